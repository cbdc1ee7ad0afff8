/**
 * The soak's child processes are started hundreds of times: from TypeScript sources each start spends
 * seconds loading and transforming the module graph on a loaded machine. So they are bundled once per
 * soak with esbuild (as the packaged hosts are), each npm package left to node_modules, the pricing and
 * stage workers bundled beside them and handed to the cycle as its worker modules.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** inside the project, so the bundles resolve their npm packages from its node_modules (and ignored by git) */
export const BUILD_DIR = path.join(ROOT, 'e2e', 'artifacts', 'soak-build');

export interface SoakBundle {
  /** the entry points' bundles by name */
  files: Record<string, string>;
  /** the cycle's worker modules (CycleServiceOptions pricingWorkerUrl / stageWorkerUrl) */
  workers: { pricing: string; stage: string };
}

/** Bundles `entries` (name → source file, relative to the project) with the cycle's two workers. */
export async function bundleSoakChildren(entries: Record<string, string>, outDir = BUILD_DIR): Promise<SoakBundle> {
  fs.mkdirSync(outDir, { recursive: true });
  const all = {
    ...entries,
    // named as the engine looks for them beside a bundle (engine/workerStart.ts)
    'pricing.worker': 'engine/pricing/worker.ts',
    'stage.worker': 'engine/cycle/worker.ts',
    // the PSS adapter's page decoder, found beside the bundle (connectors/pss/decode-pool.ts)
    'page-decode.worker': 'connectors/pss/page-decode.worker.ts',
  };
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries(all).map(([k, v]) => [k, path.join(ROOT, v)])),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    splitting: false,
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  const file = (name: string) => path.join(outDir, `${name}.mjs`);
  return {
    files: Object.fromEntries(Object.keys(entries).map((k) => [k, file(k)])),
    workers: { pricing: pathToFileURL(file('pricing.worker')).href, stage: pathToFileURL(file('stage.worker')).href },
  };
}
