/**
 * Plays a revenue simulation's runs (one strategy, one trial each) in worker threads, one per core, so
 * the trials of `npm run simulate` run side by side. Each run is seeded and plays its own market, so the
 * result is the same as one after the other (experiment.test.ts checks it). The queue is the pricing
 * pool's (engine/pricing/taskPool.ts); the workers start as every engine worker does (../workerStart.ts:
 a trial.worker bundle beside a bundled host, else the sources through the tsx bootstrap).
 */
import { Worker } from 'node:worker_threads';
import { TaskPool } from '../pricing/taskPool';
import { engineWorkerStart } from '../workerStart';
import type { ExperimentOptions, RunOne } from './experiment';
import type { StrategyName } from './strategies';

export interface TrialTask { o: ExperimentOptions; seed: number; strategy: StrategyName }

export interface TrialPool {
  /** how many runs it plays at once */
  readonly size: number;
  run: RunOne;
  close(): Promise<void>;
}

/** A pool of `size` workers running trial-worker.ts. */
export function createTrialPool(size: number): TrialPool {
  const start = engineWorkerStart(import.meta.url, 'trial.worker', './trial-worker.ts');
  const pool = new TaskPool<TrialTask>(size, () => new Worker(start.url, { workerData: start.data }), 'simulation');
  return {
    size: pool.size,
    run: (o, seed, strategy) => pool.run({ o, seed, strategy }),
    close: () => pool.close(),
  };
}
