/**
 * Worker-thread entry of the cycle's store-heavy stages (stages.ts): runs the one task in workerData
 * over its own store connection (a backup check opens only the backup file) and posts `{ progress }`
 * messages, then `{ result }` or `{ error }`.
 * Started by stageWorker.ts; from sources through pricing/worker-bootstrap.mjs (which registers tsx).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/db';
import { inspectBackupFile } from '../store/backup';
import { runCheckpointLoop } from '../store/checkpoints';
import { fixedClock } from '../domain/time';
import { auditStage, curvesStage, networkStageTask, type StageTask } from './stages';

async function run(task: StageTask): Promise<unknown> {
  if (task.kind === 'backupCheck') return inspectBackupFile(task.file, task.nativeBinding);
  if (task.kind === 'checkpoints') {
    const store = openStore({ dataDir: task.dataDir, nativeBinding: task.nativeBinding });
    try {
      return runCheckpointLoop(store.db, { stop: new Int32Array(task.stop), intervalMs: task.intervalMs, minFrames: task.minFrames });
    } finally {
      store.close();
    }
  }
  const store = openStore({ dataDir: task.dataDir, clock: fixedClock(task.now), readonly: task.kind === 'audit' });
  try {
    return task.kind === 'curves' ? curvesStage(store, task)
      : task.kind === 'audit' ? auditStage(store, task)
      : await networkStageTask(store, task, (done, total) => parentPort!.postMessage({ progress: { done, total } }));
  } finally {
    store.close();
  }
}

async function main(): Promise<void> {
  try {
    parentPort!.postMessage({ result: await run((workerData as { task: StageTask }).task) });
  } catch (e) {
    const err = e as Error;
    parentPort!.postMessage({ error: { message: err.message, stack: err.stack } });
  }
}

void main();
