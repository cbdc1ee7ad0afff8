/**
 * Engine workers in a bundled host: the desktop app's main.cjs (and the soak's children) have no TypeScript
 * loader, so a worker starts from its bundle beside the host's bundle (engine/workerStart.ts).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineWorkerStart } from './workerStart';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '..');
let dir: string;

beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-engine-workers-')); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('engineWorkerStart', () => {
  it('takes the module given, else the bundle beside the caller, else the TypeScript entry through the bootstrap', () => {
    const d = fs.mkdtempSync(path.join(dir, 'resolve-'));
    const caller = pathToFileURL(path.join(d, 'main.cjs')).href;
    const given = new URL('file:///somewhere/else.cjs');
    expect(engineWorkerStart(caller, 'stage.worker', './worker.ts', given)).toEqual({ url: given, data: {} });
    const fromSources = engineWorkerStart(caller, 'stage.worker', './worker.ts');
    expect(fromSources.url.href).toBe(new URL('./pricing/worker-bootstrap.mjs', pathToFileURL(path.join(here, 'x.ts'))).href);
    expect(fromSources.data).toEqual({ entry: new URL('./worker.ts', caller).href });
    fs.writeFileSync(path.join(d, 'stage.worker.mjs'), '');
    expect(engineWorkerStart(caller, 'stage.worker', './worker.ts').url.href).toBe(pathToFileURL(path.join(d, 'stage.worker.mjs')).href);
    fs.writeFileSync(path.join(d, 'stage.worker.cjs'), '');
    expect(engineWorkerStart(caller, 'stage.worker', './worker.ts').url.href).toBe(pathToFileURL(path.join(d, 'stage.worker.cjs')).href);
  });
});

/** a host that runs the checkpoint stage task (already told to stop: it copies once and answers) */
const HOST = (stageWorkerFile: string, dataDir: string) => `
const { runStage } = require(${JSON.stringify(stageWorkerFile)});
const stop = new SharedArrayBuffer(4);
Atomics.store(new Int32Array(stop), 0, 1);
runStage({ kind: 'checkpoints', dataDir: ${JSON.stringify(dataDir)}, stop, intervalMs: 10, minFrames: 1000 }, { signal: new AbortController().signal }).then(
  (r) => console.log(JSON.stringify({ ok: true, checkpoints: r.checkpoints })),
  (e) => console.log(JSON.stringify({ ok: false, error: String(e.message).slice(0, 200) })),
);
`;

async function bundle(out: string, withWorker: boolean): Promise<string> {
  fs.mkdirSync(out, { recursive: true });
  const entry = path.join(out, 'host-src.ts');
  fs.writeFileSync(entry, HOST(path.join(here, 'cycle', 'stageWorker.ts'), path.join(out, 'data')));
  await esbuild.build({
    entryPoints: { host: entry, ...(withWorker ? { 'stage.worker': path.join(ROOT, 'electron', 'main', 'stage.worker.ts') } : {}) },
    // as the desktop app's main.cjs is built (electron/build/bundle.mjs): CommonJS, import.meta.url defined
    // as the file's URL, npm packages external (found through NODE_PATH here)
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', outdir: out, outExtension: { '.js': '.cjs' }, logLevel: 'silent',
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  });
  return path.join(out, 'host.cjs');
}

const run = (file: string) => JSON.parse(spawnSync(process.execPath, [file], {
  encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
}).stdout.trim() || '{}') as { ok: boolean; checkpoints?: number; error?: string };

describe('the stage worker in a bundled host', () => {
  it('starts from stage.worker.cjs beside the bundle', async () => {
    expect(run(await bundle(path.join(dir, 'with'), true))).toEqual({ ok: true, checkpoints: 1 });
  }, 60_000);

  it('without it, the task fails with an error naming the missing module (no TypeScript loader in a bundle)', async () => {
    const r = run(await bundle(path.join(dir, 'without'), false));
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/worker-bootstrap\.mjs/);
  }, 60_000);
});
