/**
 * Starts a worker thread whose entry is a `*.worker.ts` module beside the caller. In a bundled host the
 * worker is its bundled sibling (`<name>.cjs` or `.mjs` beside the bundle: electron/build/bundle.mjs, the
 * soak's bundles). From sources it runs the TypeScript entry through tsx's loader, registered inside the
 * worker (a worker does not inherit the parent's module hooks). Throws when neither can start.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** The bundled file names of a worker entry named e.g. "page-decode.worker". */
export function bundledWorkerFiles(name: string): readonly string[] {
  return [`${name}.cjs`, `${name}.mjs`];
}

export function startSourceWorker(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
  for (const file of bundledWorkerFiles(name)) {
    const bundled = new URL(`./${file}`, callerUrl);
    if (bundled.protocol === 'file:' && fs.existsSync(bundled)) return new Worker(bundled, options);
  }
  const require = createRequire(callerUrl);
  // the ESM build of tsx's API (its package exports map "tsx/esm/api" to this for import)
  const tsxApi = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { ...options, eval: true });
}
