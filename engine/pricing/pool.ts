/**
 * Pricing off the main thread: a small pool of worker threads (node:worker_threads) running
 * worker.ts, and two ways to use it:
 * - `runCycleInWorker(input)`: one cycle on plain data, in a worker, for the hosts (the Electron main
 *   process must never run a network-sized cycle itself);
 * - `runCycleInPool(o)`: a network-wide cycle read from and written to the store, split by flight
 *   number into partitions (a leg's whole history stays in one partition) that the workers price in
 *   parallel, each through its own connection; the main thread registers and finishes the cycle.
 * From sources, each worker starts in worker-bootstrap.mjs, which registers tsx in the worker thread
 * and loads worker.ts (a parent's loader does not reach its workers on Node 20); a bundled host points
 * `workerUrl` at its bundled worker instead.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Store } from '../store/db';
import type { CycleInput, CycleOutput, CycleSettings, CycleWarning } from './cycle';
import { failCycle, finishCycle, startCycle } from './store';
import { createWriteLockBuffer, releaseIfHeldBy } from './writeLock';

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
  written: { forecasts: number; recommendations: number; contexts: number };
  /** wall time in the worker: reading the inputs, pricing, encoding and writing the output */
  readMs: number;
  computeMs: number;
  writeMs: number;
  /** of writeMs: the insert transactions, waiting for the pool's write lock, checkpointing after writes (the rest is encoding) */
  insertMs: number;
  lockWaitMs: number;
  checkpointMs: number;
  totalMs: number;
}

export interface PoolOptions {
  /** worker threads (default: the machine's cores, at most 4) */
  workers?: number;
  /** the worker module (default: worker.ts beside this file) */
  workerUrl?: URL;
}

interface Pending { resolve(v: unknown): void; reject(e: Error): void }

/** A fixed pool of pricing workers with a shared queue. */
export class PricingPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; task: PoolTask }[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly busy = new Map<Worker, number>();
  private nextId = 1;
  private closed = false;
  /** the workers' shared write lock (writeLock.ts): one partition writes at a time, the others go on pricing */
  private readonly writeLock = createWriteLockBuffer();

  constructor(o: PoolOptions = {}) {
    const n = Math.max(1, o.workers ?? Math.min(4, os.availableParallelism?.() ?? os.cpus().length));
    const entry = new URL('./worker.ts', import.meta.url);
    const [url, workerData] = o.workerUrl ? [o.workerUrl, { writeLock: this.writeLock }] : [new URL('./worker-bootstrap.mjs', import.meta.url), { entry: entry.href, writeLock: this.writeLock }];
    for (let i = 0; i < n; i++) {
      const w = new Worker(url, { workerData });
      const owner = w.threadId + 1;
      w.on('exit', () => releaseIfHeldBy(this.writeLock, owner));
      w.on('message', (m: { id: number; result?: unknown; error?: { message: string; stack?: string } }) => this.settle(w, m));
      w.on('error', (e) => this.crash(w, e));
      w.on('exit', (code) => { if (!this.closed && code !== 0) this.crash(w, new Error(`pricing worker exited with code ${code}`)); });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  get size(): number { return this.workers.length; }

  run<T>(task: PoolTask): Promise<T> {
    if (this.closed) return Promise.reject(new Error('pricing pool is closed'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.queue.push({ id, task });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.busy.set(w, job.id);
      w.postMessage(job);
    }
  }

  private settle(w: Worker, m: { id: number; result?: unknown; error?: { message: string; stack?: string } }): void {
    const p = this.pending.get(m.id);
    this.pending.delete(m.id);
    this.busy.delete(w);
    this.idle.push(w);
    if (p) {
      if (m.error) { const e = new Error(m.error.message); e.stack = m.error.stack; p.reject(e); } else p.resolve(m.result);
    }
    this.pump();
  }

  private crash(w: Worker, e: Error): void {
    const id = this.busy.get(w);
    if (id !== undefined) { this.pending.get(id)?.reject(e); this.pending.delete(id); this.busy.delete(w); }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new Error('pricing pool closed before the task finished'));
    this.pending.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
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
  horizonDays?: number;
  historyDays?: number;
  demandFeed?: string | null;
  /** partitions per worker (default 4, for balance) */
  partitionsPerWorker?: number;
  /** an existing pool to use (it stays open) */
  pool?: PricingPool;
}

export interface PoolCycleResult {
  cycleId: string;
  stats: CycleOutput['stats'];
  warnings: CycleWarning[];
  written: PartitionResult['written'];
  partitions: number;
  ms: number;
  /** worker time summed over partitions */
  readMs: number;
  computeMs: number;
  writeMs: number;
  insertMs: number;
  lockWaitMs: number;
  checkpointMs: number;
}

/** A network-wide cycle read from and written to the store by a pool of workers. */
export async function runCycleInPool(o: PoolCycleOptions): Promise<PoolCycleResult> {
  const t0 = performance.now();
  const numbers = (o.store.db.prepare('SELECT DISTINCT flight_number FROM flights WHERE carrier = ? ORDER BY flight_number').all(o.settings.ownCarrier) as { flight_number: number }[]).map((r) => r.flight_number);
  const pool = o.pool ?? new PricingPool(o);
  const parts = Math.max(1, Math.min(numbers.length, pool.size * (o.partitionsPerWorker ?? 4)));
  const partitions: number[][] = Array.from({ length: parts }, () => []);
  numbers.forEach((n, i) => partitions[i % parts]!.push(n));
  startCycle(o.store, { cycleId: o.cycleId, now: o.now, settings: o.settings });
  try {
    const results = await Promise.all(partitions.filter((p) => p.length > 0).map((flightNumbers) => pool.run<PartitionResult>({
      kind: 'partition', dataDir: o.store.dataDir, cycleId: o.cycleId, now: o.now, settings: o.settings, flightNumbers,
      horizonDays: o.horizonDays, historyDays: o.historyDays, demandFeed: o.demandFeed,
    })));
    const stats = { departures: 0, cabins: 0, rbds: 0, forecastKeys: 0, ms: 0 };
    const written = { forecasts: 0, recommendations: 0, contexts: 0 };
    const warnings: CycleWarning[] = [];
    let readMs = 0;
    let computeMs = 0;
    let writeMs = 0;
    let insertMs = 0;
    let lockWaitMs = 0;
    let checkpointMs = 0;
    for (const r of results) {
      readMs += r.readMs; computeMs += r.computeMs; writeMs += r.writeMs; insertMs += r.insertMs; lockWaitMs += r.lockWaitMs; checkpointMs += r.checkpointMs;
      stats.departures += r.stats.departures; stats.cabins += r.stats.cabins; stats.rbds += r.stats.rbds; stats.forecastKeys += r.stats.forecastKeys; stats.ms = Math.max(stats.ms, r.totalMs);
      written.forecasts += r.written.forecasts; written.recommendations += r.written.recommendations; written.contexts += r.written.contexts;
      warnings.push(...r.warnings);
    }
    finishCycle(o.store, o.cycleId, { stats, warnings }, written);
    return { cycleId: o.cycleId, stats, warnings, written, partitions: results.length, ms: performance.now() - t0, readMs, computeMs, writeMs, insertMs, lockWaitMs, checkpointMs };
  } catch (e) {
    failCycle(o.store, o.cycleId, e as Error);
    throw e;
  } finally {
    if (!o.pool) await pool.close();
  }
}
