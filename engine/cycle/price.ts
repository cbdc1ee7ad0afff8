/**
 * The pricing step: the network-wide pricing cycle in the pricing engine's worker pool (never on the
 * caller's thread), over the flight numbers of the run's markets (all by default), partitioned by flight
 * number so each leg's history stays in one worker. It reports each partition as it finishes and stops
 * at cancellation: the pool is closed, the workers end, and the cycle is marked failed ("cancelled").
 */
import type { Store } from '../store/db';
import type { CycleSettings, CycleWarning } from '../pricing/cycle';
import { runCycleInPool, type PartitionResult } from '../pricing/pool';

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
  stats: { departures: number; cabins: number; rbds: number; forecastKeys: number; partnerOperated: number; influenced: number };
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
  try {
    const r = await runCycleInPool(o);
    return { stats: r.stats, warnings: r.warnings, written: r.written, partitions: r.partitions, workers: r.workers };
  } catch (e) {
    if (o.signal.aborted) throw new CancelledError((e as Error).message);
    throw e;
  }
}
