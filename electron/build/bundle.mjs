/**
 * Bundles the Electron main process, its worker threads and the preload with esbuild, for `npm run pack`
 * and `npm start`:
 *   electron/main/main.ts          → <outDir>/main.cjs      (Node in Electron's main process)
 *   electron/main/**\/*.worker.ts   → <outDir>/<name>.worker.cjs (worker_threads entries)
 *   electron/preload/preload.ts    → <outDir>/preload.cjs   (sandboxed preload)
 * Main and workers keep every npm package external (electron, better-sqlite3 and its native binding,
 * highs' wasm, pino's transports are loaded from node_modules at run time, as packaged); our own
 * TypeScript (engine/, connectors/, electron/) is bundled in. The preload is sandboxed, so it is a
 * single file that may require only 'electron': importing a Node built-in fails the build.
 */
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MAIN_ENTRY = 'electron/main/main.ts';
export const PRELOAD_ENTRY = 'electron/preload/preload.ts';
/** Electron 45 runs a newer Node and Chromium than these; the targets only bound the syntax emitted. */
const NODE_TARGET = 'node22';
const CHROME_TARGET = 'chrome130';

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/**
 * Lists worker entries: electron/main/**\/*.worker.ts and connectors/**\/*.worker.ts (e.g. the PSS
 * adapter's page decoder, which finds its bundle beside main.cjs), named by file.
 */
export function findWorkerEntries(projectDir = PROJECT_DIR) {
  const out = {};
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.worker.ts')) {
        const name = e.name.replace(/\.ts$/, '');
        if (out[name]) throw new Error(`bundleElectron: two workers named ${e.name} (${out[name]} and ${p}); rename one`);
        out[name] = p;
      }
    }
  };
  walk(path.join(projectDir, 'electron', 'main'));
  walk(path.join(projectDir, 'connectors'));
  return out;
}

/** esbuild plugin: the sandboxed preload may import 'electron' and our own code, nothing of Node. */
const sandboxedPreload = {
  name: 'dfae-sandboxed-preload',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (BUILTINS.has(args.path)) {
        return { errors: [{ text: `the preload runs sandboxed and cannot import the Node built-in "${args.path}" (imported by ${path.relative(PROJECT_DIR, args.importer) || args.importer}); do that work in the main process behind an IPC method` }] };
      }
      return undefined;
    });
  },
};

/**
 * @param {{ outDir?: string, watch?: boolean, projectDir?: string, minify?: boolean, sourcemap?: boolean,
 *           logLevel?: import('esbuild').LogLevel, onRebuild?: (errors: number) => void }} [opts]
 * @returns {Promise<{ outputs: string[], dispose(): Promise<void> }>} outputs: absolute paths written
 *   (after the first build when watching); dispose() stops watching.
 */
export async function bundleElectron(opts = {}) {
  const projectDir = opts.projectDir ?? PROJECT_DIR;
  const outDir = path.resolve(projectDir, opts.outDir ?? 'electron/dist');
  const main = path.join(projectDir, MAIN_ENTRY);
  const preload = path.join(projectDir, PRELOAD_ENTRY);
  for (const [what, file] of [['main process', main], ['preload', preload]]) {
    if (!fs.existsSync(file)) throw new Error(`bundleElectron: the ${what} entry ${path.relative(projectDir, file)} does not exist`);
  }

  const common = {
    absWorkingDir: projectDir,
    bundle: true,
    format: 'cjs',
    outdir: outDir,
    outExtension: { '.js': '.cjs' },
    sourcemap: opts.sourcemap ?? true,
    minify: opts.minify ?? false,
    logLevel: opts.logLevel ?? 'warning',
    metafile: true,
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': JSON.stringify(opts.watch ? 'development' : 'production') },
  };
  const reporter = (label) => ({
    name: `dfae-report-${label}`,
    setup(build) {
      build.onEnd((result) => opts.onRebuild?.(result.errors.length));
    },
  });

  const mainOptions = {
    ...common,
    entryPoints: { main, ...findWorkerEntries(projectDir) },
    platform: 'node',
    target: NODE_TARGET,
    // Every npm package stays a require() of node_modules (packaged as production dependencies).
    packages: 'external',
    // Our sources are ESM; in CJS output import.meta.url would be empty, so give it the file's URL.
    define: { ...common.define, 'import.meta.url': '__dfaeImportMetaUrl' },
    banner: { js: 'const __dfaeImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    plugins: [reporter('main')],
  };
  const preloadOptions = {
    ...common,
    entryPoints: { preload },
    platform: 'browser',
    target: CHROME_TARGET,
    external: ['electron'],
    plugins: [sandboxedPreload, reporter('preload')],
  };

  fs.mkdirSync(outDir, { recursive: true });
  if (opts.watch) {
    const contexts = await Promise.all([esbuild.context(mainOptions), esbuild.context(preloadOptions)]);
    const results = await Promise.all(contexts.map((c) => c.rebuild()));
    await Promise.all(contexts.map((c) => c.watch()));
    return { outputs: outputsOf(results, projectDir), dispose: async () => { await Promise.all(contexts.map((c) => c.dispose())); } };
  }
  const results = await Promise.all([esbuild.build(mainOptions), esbuild.build(preloadOptions)]);
  return { outputs: outputsOf(results, projectDir), dispose: async () => undefined };
}

function outputsOf(results, projectDir) {
  return results
    .flatMap((r) => Object.keys(r.metafile?.outputs ?? {}))
    .filter((f) => f.endsWith('.cjs'))
    .map((f) => path.resolve(projectDir, f))
    .sort();
}
