/**
 * Runs one of the cycle's store-heavy stages (stages.ts) in its own worker thread, so the host's main
 * thread (the Electron main process, the web bridge) stays responsive. Cancelling terminates the worker:
 * its open transaction, if any, is rolled back with its connection.
 */
import { Worker } from 'node:worker_threads';
import type { BackupInspector, BackupInspection } from '../store/backup';
import type { StageTask } from './stages';
import { CancelledError } from './price';
import { engineWorkerStart } from '../workerStart';

export interface StageWorkerOptions {
  signal: AbortSignal;
  /** the worker module (default: stage.worker.cjs or .mjs beside a bundled host, else worker.ts through the tsx bootstrap) */
  workerUrl?: URL;
  onProgress?: (done: number, total: number) => void;
  /** the worker does not keep the process alive (a thread that runs until stopped, e.g. the checkpoints) */
  unref?: boolean;
}

export function runStage<T>(task: StageTask, o: StageWorkerOptions): Promise<T> {
  if (o.signal.aborted) return Promise.reject(new CancelledError());
  const start = engineWorkerStart(import.meta.url, 'stage.worker', './worker.ts', o.workerUrl);
  const worker = new Worker(start.url, { workerData: { ...start.data, task } });
  if (o.unref) worker.unref();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      o.signal.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = () => finish(() => reject(new CancelledError(`the ${task.kind} stage was cancelled: its worker was stopped`)));
    o.signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: { progress?: { done: number; total: number }; result?: T; error?: { message: string; stack?: string } }) => {
      if (m.progress) o.onProgress?.(m.progress.done, m.progress.total);
      else if (m.error) finish(() => { const e = new Error(m.error!.message); e.stack = m.error!.stack; reject(e); });
      else finish(() => resolve(m.result as T));
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => finish(() => reject(new Error(`the ${task.kind} stage worker exited with code ${code} before answering`))));
  });
}

/**
 * A backup inspector (store/backup.ts) that runs the copy's full integrity check in a stage worker, so the
 * calling thread keeps serving: on the host's thread the check held up every request for its whole length
 * (16.5 s for the 1.5 GB store of the sandbox's first sync; minutes on a store of tens of GB).
 */
export function workerBackupInspector(o: { nativeBinding?: string; workerUrl?: URL } = {}): BackupInspector {
  return (file) => runStage<BackupInspection>({ kind: 'backupCheck', file, nativeBinding: o.nativeBinding }, { signal: new AbortController().signal, workerUrl: o.workerUrl });
}
