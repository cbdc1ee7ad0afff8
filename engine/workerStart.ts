/**
 * Where an engine worker thread (the pricing pool's, the cycle's stages', the checkpoint thread) starts:
 * - the module the host gave (a `workerUrl` option), else
 * - its bundle beside the caller's bundle, `<name>.cjs` or `.mjs`: the desktop app's main.cjs has
 *   pricing.worker.cjs and stage.worker.cjs beside it (electron/main/*.worker.ts, electron/build/bundle.mjs),
 *   the soak's children their .mjs (e2e/soak/support/bundle.ts), and a bundle has no TypeScript loader, else
 * - from sources: pricing/worker-bootstrap.mjs registers tsx in the thread and loads the TypeScript entry.
 * (connectors/source-worker.ts does the same for the connectors' workers, which may not import this.)
 */
import fs from 'node:fs';

export interface WorkerStart {
  url: URL;
  /** what the bootstrap needs in workerData (nothing for a bundle) */
  data: Record<string, unknown>;
}

export function engineWorkerStart(callerUrl: string, bundledName: string, sourceEntry: string, given?: URL): WorkerStart {
  if (given) return { url: given, data: {} };
  for (const ext of ['cjs', 'mjs']) {
    const bundled = new URL(`./${bundledName}.${ext}`, callerUrl);
    if (bundled.protocol === 'file:' && fs.existsSync(bundled)) return { url: bundled, data: {} };
  }
  return { url: new URL('./pricing/worker-bootstrap.mjs', import.meta.url), data: { entry: new URL(sourceEntry, callerUrl).href } };
}
