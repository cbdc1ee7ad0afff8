/**
 * The pricing step: the network-wide pricing cycle in the pricing engine's worker pool (never on the
 * caller's thread), over the flight numbers of the run's markets (all by default), partitioned by flight
 * number so each leg's history stays in one worker. It reports each partition as it finishes and stops
 * at cancellation: the pool is closed, the workers end, and the cycle is marked failed ("cancelled").
 */
import type { Store } from '../store/db';
import type { CycleSettings, CycleWarning } from '../pricing/cycle';
import { PricingPool, type PartitionResult } from '../pricing/pool';
import { failCycle, finishCycle, startCycle } from '../pricing/store';

export interface PriceStepOptions {
  store: Store;
  cycleId: string;
  now: string;
  settings: CycleSettings;
  /** price only these flight numbers (null: every own flight number) */
  flightNumbers: readonly number[] | null;
  horizonDays: number;
  historyDays: number;
  demandFeed: string | null;
  workers: number;
  /** the pricing worker module for bundled hosts (default: the engine's own) */
  workerUrl?: URL;
  signal: AbortSignal;
  onPartition?: (done: number, total: number) => void;
}

export interface PriceStepResult {
  stats: { departures: number; cabins: number; rbds: number; forecastKeys: number };
  warnings: CycleWarning[];
  written: PartitionResult['written'];
  partitions: number;
  workers: number;
}

export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

export async function priceInPool(o: PriceStepOptions): Promise<PriceStepResult> {
  const all = (o.store.db.prepare('SELECT DISTINCT flight_number FROM flights WHERE carrier = ? ORDER BY flight_number').pluck().all(o.settings.ownCarrier) as number[]);
  const wanted = o.flightNumbers ? new Set(o.flightNumbers) : null;
  const numbers = wanted ? all.filter((n) => wanted.has(n)) : all;
  startCycle(o.store, { cycleId: o.cycleId, now: o.now, settings: o.settings });
  const stats = { departures: 0, cabins: 0, rbds: 0, forecastKeys: 0 };
  const written = { forecasts: 0, recommendations: 0, contexts: 0 };
  const warnings: CycleWarning[] = [];
  if (numbers.length === 0) {
    finishCycle(o.store, o.cycleId, { stats: { ...stats, ms: 0 }, warnings }, written);
    return { stats, warnings, written, partitions: 0, workers: 0 };
  }
  const pool = new PricingPool({ workers: Math.min(o.workers, numbers.length), workerUrl: o.workerUrl });
  const parts = Math.max(1, Math.min(numbers.length, pool.size * 4));
  const partitions: number[][] = Array.from({ length: parts }, () => []);
  numbers.forEach((n, i) => partitions[i % parts]!.push(n));
  const onAbort = () => { void pool.close(); };
  o.signal.addEventListener('abort', onAbort, { once: true });
  let done = 0;
  let maxMs = 0;
  try {
    if (o.signal.aborted) throw new CancelledError();
    await Promise.all(partitions.map(async (flightNumbers) => {
      const r = await pool.run<PartitionResult>({
        kind: 'partition', dataDir: o.store.dataDir, cycleId: o.cycleId, now: o.now, settings: o.settings, flightNumbers,
        horizonDays: o.horizonDays, historyDays: o.historyDays, demandFeed: o.demandFeed,
      });
      stats.departures += r.stats.departures; stats.cabins += r.stats.cabins; stats.rbds += r.stats.rbds; stats.forecastKeys += r.stats.forecastKeys;
      written.forecasts += r.written.forecasts; written.recommendations += r.written.recommendations; written.contexts += r.written.contexts;
      maxMs = Math.max(maxMs, r.totalMs);
      warnings.push(...r.warnings);
      o.onPartition?.(++done, parts);
    }));
    finishCycle(o.store, o.cycleId, { stats: { ...stats, ms: maxMs }, warnings }, written);
    return { stats, warnings, written, partitions: parts, workers: pool.size };
  } catch (e) {
    const err = o.signal.aborted ? new CancelledError('pricing was cancelled: the workers were stopped') : e as Error;
    failCycle(o.store, o.cycleId, err);
    throw err;
  } finally {
    o.signal.removeEventListener('abort', onAbort);
    await pool.close();
  }
}
