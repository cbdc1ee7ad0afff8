/**
 * Pricing off the main thread: a small pool of worker threads (node:worker_threads) running
 * worker.ts, and two ways to use it:
 * - `runCycleInWorker(input)`: one cycle on plain data, in a worker, for the hosts (the Electron main
 *   process must never run a network-sized cycle itself);
 * - `runCycleInPool(o)`: a network-wide cycle read from and written to the store, split by flight
 *   number into partitions (a leg's whole history stays in one partition) that the workers price in
 *   parallel, each through its own connection; the main thread registers and finishes the cycle.
 *   The workers' connections do not copy the write-ahead log into the database at commit: a thread of
 *   its own does (`startCheckpointer`), so that neither the copy nor its fsyncs hold up a writer.
 * From sources, each worker starts in worker-bootstrap.mjs, which registers tsx in the worker thread
 * and loads worker.ts (a parent's loader does not reach its workers on Node 20); a bundled host has
 * pricing.worker.cjs (or .mjs) beside it, or points `workerUrl` at its bundled worker (../workerStart.ts).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Store } from '../store/db';
import type { CheckpointerResult } from '../store/checkpoints';
import type { CycleInput, CycleOutput, CycleSettings, CycleWarning } from './cycle';
import { failCycle, finishCycle, startCycle, type WrittenCounts } from './store';
import { createWriteLockBuffer, releaseIfHeldBy } from './writeLock';
import { TaskPool } from './taskPool';
import { engineWorkerStart } from '../workerStart';

export type PoolTask =
  | { kind: 'cycle'; input: CycleInput }
  | {
    kind: 'partition';
    dataDir: string;
    cycleId: string;
    now: string;
    settings: CycleSettings;
    flightNumbers: number[];
    horizonDays?: number;
    historyDays?: number;
    demandFeed?: string | null;
    chunkCabins?: number;
  };

export interface PartitionResult {
  stats: CycleOutput['stats'];
  warnings: CycleWarning[];
  written: WrittenCounts;
  /** wall time in the worker: reading the inputs, pricing, encoding and writing the output */
  readMs: number;
  computeMs: number;
  writeMs: number;
  /** of writeMs: the insert transactions, and waiting for the pool's write lock (the rest is encoding) */
  insertMs: number;
  lockWaitMs: number;
  totalMs: number;
}

export interface PoolOptions {
  /** worker threads (default: the machine's cores, at most 4) */
  workers?: number;
  /** the worker module (default: worker.ts beside this file) */
  workerUrl?: URL;
}

/**
 * A worker's young generation (where V8 allocates first and collects cheaply), in MB. A partition's
 * rows wait for the write lock in batches of thousands of cabins, each cabin a dozen rows and explained
 * recommendations: with V8's default the collector copied them again and again and promoted them.
 * 192 MB (semi-spaces of 64 MB): about 7 % less CPU time a cabin in alternating runs of the engines
 * probe (82,500 departures).
 */
const YOUNG_GENERATION_MB = 192;

export interface Checkpointer { stop(): Promise<CheckpointerResult> }

/** A fixed pool of pricing workers with a shared queue (taskPool.ts). */
export class PricingPool extends TaskPool<PoolTask> {
  /** the workers' module and data (the checkpointer starts from the same) */
  private readonly start: { url: URL; workerData: Record<string, unknown> };

  constructor(o: PoolOptions = {}) {
    const n = Math.max(1, o.workers ?? Math.min(4, os.availableParallelism?.() ?? os.cpus().length));
    // the workers' shared write lock (writeLock.ts): one partition writes at a time, the others go on pricing
    const writeLock = createWriteLockBuffer();
    const start = engineWorkerStart(import.meta.url, 'pricing.worker', './worker.ts', o.workerUrl);
    const url = start.url;
    const workerData = { ...start.data, writeLock };
    super(n, () => {
      const w = new Worker(url, { workerData, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
      const owner = w.threadId + 1;
      w.on('exit', () => releaseIfHeldBy(writeLock, owner));
      return w;
    }, 'pricing');
    this.start = { url, workerData };
  }

  /**
   * Starts a thread that copies the store's write-ahead log into the database (passive checkpoints,
   * every `intervalMs` and once more when stopped) while the workers write through connections that do
   * not (wal_autocheckpoint = 0). `stop()` answers its count and time, or rejects with its error.
   */
  startCheckpointer(dataDir: string, intervalMs = 20): Checkpointer {
    const stopWord = new SharedArrayBuffer(4);
    const w = new Worker(this.start.url, { workerData: { ...this.start.workerData, checkpointer: { dataDir, stop: stopWord, intervalMs } } });
    const done = new Promise<CheckpointerResult>((resolve, reject) => {
      w.once('message', (m: { result?: CheckpointerResult; error?: { message: string; stack?: string } }) => {
        if (m.result) resolve(m.result);
        else { const e = new Error(`store checkpoints: ${m.error?.message}`); e.stack = m.error?.stack; reject(e); }
      });
      w.once('error', (e) => reject(new Error(`store checkpoints: ${e.message}`)));
      w.once('exit', (code) => reject(new Error(`store checkpoints: the thread exited with code ${code} before answering`)));
    });
    done.catch(() => undefined); // answered by stop()
    return {
      stop: async () => {
        const word = new Int32Array(stopWord);
        Atomics.store(word, 0, 1);
        Atomics.notify(word, 0);
        try { return await done; } finally { await w.terminate(); }
      },
    };
  }
}

/** Runs one cycle on plain data in a worker thread. */
export async function runCycleInWorker(input: CycleInput, o: PoolOptions = {}): Promise<CycleOutput> {
  const pool = new PricingPool({ ...o, workers: 1 });
  try {
    return await pool.run<CycleOutput>({ kind: 'cycle', input });
  } finally {
    await pool.close();
  }
}

export interface PoolCycleOptions extends PoolOptions {
  store: Store;
  cycleId: string;
  now: string;
  settings: CycleSettings;
  /** price only these flight numbers of the own carrier (default: all of them) */
  flightNumbers?: readonly number[] | null;
  horizonDays?: number;
  historyDays?: number;
  demandFeed?: string | null;
  /** partitions per worker (default 4, for balance) */
  partitionsPerWorker?: number;
  /** an existing pool to use (it stays open) */
  pool?: PricingPool;
  /** stops the cycle: the pool is closed, its workers end, the cycle is marked failed and the call rejects */
  signal?: AbortSignal;
  /** after each partition is written */
  onPartition?: (done: number, total: number) => void;
}

export interface PoolCycleResult {
  cycleId: string;
  stats: CycleOutput['stats'];
  warnings: CycleWarning[];
  written: PartitionResult['written'];
  partitions: number;
  workers: number;
  ms: number;
  /** worker time summed over partitions */
  readMs: number;
  computeMs: number;
  writeMs: number;
  insertMs: number;
  lockWaitMs: number;
  /** the checkpointer thread's passive checkpoints and their wall time */
  checkpoints: CheckpointerResult;
}

/** What a cancelled pool cycle rejects with (and records as the cycle's error). */
export const POOL_CANCELLED = 'pricing was cancelled: the workers were stopped';

/** A network-wide cycle read from and written to the store by a pool of workers. */
export async function runCycleInPool(o: PoolCycleOptions): Promise<PoolCycleResult> {
  const t0 = performance.now();
  const own = o.store.db.prepare('SELECT DISTINCT flight_number FROM flights WHERE carrier = ? ORDER BY flight_number').pluck().all(o.settings.ownCarrier) as number[];
  const wanted = o.flightNumbers ? new Set(o.flightNumbers) : null;
  const numbers = wanted ? own.filter((n) => wanted.has(n)) : own;
  startCycle(o.store, { cycleId: o.cycleId, now: o.now, settings: o.settings });
  const stats = { departures: 0, cabins: 0, rbds: 0, forecastKeys: 0, partnerOperated: 0, influenced: 0, ms: 0 };
  const written: WrittenCounts = { forecasts: 0, recommendations: 0, contexts: 0, byKind: { fare: 0, authorisation: 0, bid_price: 0 } };
  const warnings: CycleWarning[] = [];
  const sums = { readMs: 0, computeMs: 0, writeMs: 0, insertMs: 0, lockWaitMs: 0 };
  if (numbers.length === 0) {
    finishCycle(o.store, o.cycleId, { stats, warnings }, written);
    return { cycleId: o.cycleId, stats, warnings, written, partitions: 0, workers: 0, ms: performance.now() - t0, ...sums, checkpoints: { checkpoints: 0, ms: 0 } };
  }
  const pool = o.pool ?? new PricingPool({ workerUrl: o.workerUrl, workers: o.workers === undefined ? undefined : Math.min(o.workers, numbers.length) });
  const parts = Math.max(1, Math.min(numbers.length, pool.size * (o.partitionsPerWorker ?? 4)));
  const partitions: number[][] = Array.from({ length: parts }, () => []);
  numbers.forEach((n, i) => partitions[i % parts]!.push(n));
  const onAbort = () => { void pool.close(); };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const checkpointer = pool.startCheckpointer(o.store.dataDir);
  let stopped: Promise<CheckpointerResult> | undefined;
  let done = 0;
  try {
    if (o.signal?.aborted) throw new Error(POOL_CANCELLED);
    await Promise.all(partitions.map(async (flightNumbers) => {
      const r = await pool.run<PartitionResult>({
        kind: 'partition', dataDir: o.store.dataDir, cycleId: o.cycleId, now: o.now, settings: o.settings, flightNumbers,
        horizonDays: o.horizonDays, historyDays: o.historyDays, demandFeed: o.demandFeed,
      });
      sums.readMs += r.readMs; sums.computeMs += r.computeMs; sums.writeMs += r.writeMs; sums.insertMs += r.insertMs; sums.lockWaitMs += r.lockWaitMs;
      stats.departures += r.stats.departures; stats.cabins += r.stats.cabins; stats.rbds += r.stats.rbds; stats.forecastKeys += r.stats.forecastKeys; stats.partnerOperated += r.stats.partnerOperated; stats.influenced += r.stats.influenced; stats.ms = Math.max(stats.ms, r.totalMs);
      written.forecasts += r.written.forecasts; written.recommendations += r.written.recommendations; written.contexts += r.written.contexts;
      for (const k of ['fare', 'authorisation', 'bid_price'] as const) written.byKind[k] += r.written.byKind[k];
      for (const w of r.warnings) warnings.push(w);
      o.onPartition?.(++done, parts);
    }));
    stopped = checkpointer.stop();
    const checkpoints = await stopped;
    finishCycle(o.store, o.cycleId, { stats, warnings }, written);
    return { cycleId: o.cycleId, stats, warnings, written, partitions: parts, workers: pool.size, ms: performance.now() - t0, ...sums, checkpoints };
  } catch (e) {
    const err = o.signal?.aborted ? new Error(POOL_CANCELLED) : e as Error;
    failCycle(o.store, o.cycleId, err);
    throw err;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    if (!stopped) await checkpointer.stop().catch(() => undefined); // the cycle's own error is the one to report
    if (!o.pool) await pool.close();
  }
}
