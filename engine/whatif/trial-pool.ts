/**
 * Plays a revenue simulation's runs (one strategy, one trial each) in worker threads, one per core, so
 * the trials of `npm run simulate` run side by side. Each run is seeded and plays its own market, so the
 * result is the same as one after the other (experiment.test.ts checks it).
 */
import { Worker } from 'node:worker_threads';
import type { ExperimentOptions, RunOne } from './experiment';
import type { StrategyName } from './strategies';

type Answer = { id: number; run?: Awaited<ReturnType<RunOne>>; error?: string };

export interface TrialPool {
  /** how many runs it plays at once */
  readonly size: number;
  run: RunOne;
  close(): Promise<void>;
}

/** A pool of `size` workers (from sources through the tsx bootstrap, as the cycle's stage workers). */
export function createTrialPool(size: number): TrialPool {
  const entry = new URL('./trial-worker.ts', import.meta.url);
  const idle: Worker[] = [];
  const waiting: ((w: Worker) => void)[] = [];
  const pending = new Map<number, { resolve: (r: Answer['run'] & object) => void; reject: (e: Error) => void; worker: Worker }>();
  let next = 0;
  let closed = false;
  const all: Worker[] = [];
  for (let i = 0; i < size; i++) {
    const w = new Worker(new URL('../pricing/worker-bootstrap.mjs', import.meta.url), { workerData: { entry: entry.href } });
    w.on('message', (m: Answer) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.run!);
      release(w);
    });
    const fail = (e: Error) => {
      for (const [id, p] of pending) if (p.worker === w) { pending.delete(id); p.reject(e); }
    };
    w.on('error', fail);
    w.on('exit', (code) => { if (!closed) fail(new Error(`a simulation worker exited with code ${code}`)); });
    all.push(w);
    idle.push(w);
  }
  function release(w: Worker): void {
    const take = waiting.shift();
    if (take) take(w);
    else idle.push(w);
  }
  function acquire(): Promise<Worker> {
    const w = idle.pop();
    return w ? Promise.resolve(w) : new Promise((r) => waiting.push(r));
  }
  return {
    size,
    run: async (o: ExperimentOptions, seed: number, strategy: StrategyName) => {
      if (closed) throw new Error('the simulation pool is closed');
      const w = await acquire();
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, worker: w });
        w.postMessage({ id, o, seed, strategy });
      });
    },
    close: async () => {
      closed = true;
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
