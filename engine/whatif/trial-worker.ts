/**
 * Worker-thread entry of the revenue simulation's trial pool (trial-pool.ts): plays the runs it is sent
 * (one strategy, one trial) with experiment.ts's runOne and answers each with its outcome or its error.
 */
import { parentPort } from 'node:worker_threads';
import { runOne } from './experiment';
import type { TrialTask } from './trial-pool';

parentPort!.on('message', ({ id, task }: { id: number; task: TrialTask }) => {
  runOne(task.o, task.seed, task.strategy).then(
    (result) => parentPort!.postMessage({ id, result }),
    (e: unknown) => parentPort!.postMessage({ id, error: { message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined } }),
  );
});
