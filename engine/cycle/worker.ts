/**
 * Worker-thread entry of the cycle's store-heavy stages (stages.ts): runs the one task in workerData
 * over its own store connection and posts `{ progress }` messages, then `{ result }` or `{ error }`.
 * Started by stageWorker.ts; from sources through pricing/worker-bootstrap.mjs (which registers tsx).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/db';
import { fixedClock } from '../domain/time';
import { auditStage, curvesStage, networkStageTask, type StageTask } from './stages';

async function main(): Promise<void> {
  const task = (workerData as { task: StageTask }).task;
  const store = openStore({ dataDir: task.dataDir, clock: fixedClock(task.now), readonly: task.kind === 'audit' });
  try {
    const result = task.kind === 'curves' ? curvesStage(store, task)
      : task.kind === 'audit' ? auditStage(store, task)
      : await networkStageTask(store, task, (done, total) => parentPort!.postMessage({ progress: { done, total } }));
    parentPort!.postMessage({ result });
  } catch (e) {
    const err = e as Error;
    parentPort!.postMessage({ error: { message: err.message, stack: err.stack } });
  } finally {
    store.close();
  }
}

void main();
