/**
 * Worker-thread entry of the revenue simulation's trial pool (trial-pool.ts): plays the runs it is sent
 * (one strategy, one trial) with experiment.ts's runOne and answers each with its outcome.
 */
import { parentPort } from 'node:worker_threads';
import { runOne, type ExperimentOptions } from './experiment';
import type { StrategyName } from './strategies';

parentPort!.on('message', (m: { id: number; o: ExperimentOptions; seed: number; strategy: StrategyName }) => {
  runOne(m.o, m.seed, m.strategy).then(
    (run) => parentPort!.postMessage({ id: m.id, run }),
    (e: unknown) => parentPort!.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) }),
  );
});
