/**
 * A bundled host (the packaged desktop app's main.cjs, the soak's children) has no tsx to run the
 * TypeScript worker: the pool must find the bundled worker beside the bundle, or decode inline.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
let dir: string;

/** a host that decodes one page through the pool and prints what happened */
const HOST = (poolFile: string) => `
import { DecodePool } from ${JSON.stringify(poolFile)};
const pool = new DecodePool(1);
const page = Buffer.from(JSON.stringify({ data: [], nextCursor: 'c-1', hasMore: false }));
pool.decode('bookingEvents', page, 1).then(
  (out) => { console.log(JSON.stringify({ ok: true, nextCursor: out.nextCursor })); return pool.close(); },
  (e) => { console.log(JSON.stringify({ ok: false, error: e.name })); return pool.close(); },
);
`;

async function bundle(out: string, withWorker: boolean): Promise<string> {
  fs.mkdirSync(out, { recursive: true });
  const entry = path.join(out, 'host-src.ts');
  fs.writeFileSync(entry, HOST(path.join(here, 'decode-pool.ts')));
  await esbuild.build({
    entryPoints: { host: entry, ...(withWorker ? { 'page-decode.worker': path.join(here, 'page-decode.worker.ts') } : {}) },
    // CommonJS with import.meta.url defined as the file's URL, as the desktop app's main.cjs is built
    // (electron/build/bundle.mjs); npm packages bundled in, so tsx does not resolve from the project
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outdir: out, outExtension: { '.js': '.cjs' }, logLevel: 'silent',
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  });
  return path.join(out, 'host.cjs');
}

const run = (file: string) => JSON.parse(spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 30_000 }).stdout.trim() || '{}') as { ok: boolean; nextCursor?: string; error?: string };

beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-decode-bundle-')); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('decode pool in a bundled host', () => {
  it('runs the bundled worker found beside the bundle', async () => {
    expect(run(await bundle(path.join(dir, 'with'), true))).toEqual({ ok: true, nextCursor: 'c-1' });
  });

  it('without it (and without tsx) says the worker is unavailable, so the adapter decodes inline', async () => {
    expect(run(await bundle(path.join(dir, 'without'), false))).toEqual({ ok: false, error: 'WorkerUnavailable' });
  });
});
