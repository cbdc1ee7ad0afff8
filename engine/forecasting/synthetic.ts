/**
 * Synthetic booking histories with a known truth, for tests and benchmarks: Poisson bookings per DCP
 * period around a booking-curve shape, times a level that may change over time and a random scale
 * per departure (shared by its periods), optionally censored by class closures.
 */
import { HistoryBuilder, type KeyHistory } from './history';
import { seededRng } from './rng';

export interface SyntheticKeyOptions {
  seed: number;
  /** departure days (day numbers), ascending */
  days: readonly number[];
  /** mean bookings of each period at level 1 */
  shape: readonly number[];
  /** demand level of a departure day (default 1) */
  level?: (day: number) => number;
  /** sd of the log of a per-departure scale shared by all its periods (default 0) */
  scaleSd?: number;
  /** probability that a period is closed, censoring its bookings to a random fraction (default 0) */
  closeProb?: number;
  /** fraction of bookings later cancelled (default 0) */
  cancelRate?: number;
  /** no-show rate of flown passengers (default 0) */
  noShowRate?: number;
  /** the day the history is seen: periods ending after it are NaN (default: all flown) */
  asOf?: number;
  /** DCPs (normalised) for asOf masking; required with asOf */
  dcps?: readonly number[];
}

export interface SyntheticKey {
  history: KeyHistory;
  /** the true mean demand of each departure and period (departures × periods) */
  trueMean: Float64Array;
  /** the uncensored demand drawn (departures × periods) */
  demand: Float64Array;
}

export function syntheticKey(o: SyntheticKeyOptions): SyntheticKey {
  const rng = seededRng(o.seed);
  const P = o.shape.length;
  const b = new HistoryBuilder(P);
  const trueMean = new Float64Array(o.days.length * P);
  const demand = new Float64Array(o.days.length * P);
  o.days.forEach((day, d) => {
    const scale = Math.exp((o.scaleSd ?? 0) * rng.normal() - ((o.scaleSd ?? 0) ** 2) / 2);
    const level = o.level ? o.level(day) : 1;
    const gross: number[] = [];
    const closed: number[] = [];
    const cancels: number[] = [];
    let net = 0;
    for (let p = 0; p < P; p++) {
      const mean = o.shape[p]! * level * scale;
      trueMean[d * P + p] = o.shape[p]! * level;
      const x = rng.poisson(mean);
      demand[d * P + p] = x;
      let seen = x;
      let shut = 0;
      if (rng.next() < (o.closeProb ?? 0)) { shut = 1; seen = Math.floor(x * rng.next()); }
      const reached = o.asOf === undefined || day - o.dcps![p]! <= o.asOf;
      let c = 0;
      for (let i = 0; i < seen; i++) if (rng.next() < (o.cancelRate ?? 0)) c++;
      gross.push(reached ? seen : NaN);
      closed.push(shut);
      cancels.push(reached ? c : 0);
      net += seen - c;
    }
    const flown = o.asOf === undefined || day <= o.asOf;
    let noShows = 0;
    for (let i = 0; i < net; i++) if (rng.next() < (o.noShowRate ?? 0)) noShows++;
    b.add(day, gross, { closed, cancels, shows: flown ? net - noShows : NaN, noShows: flown ? noShows : NaN });
  });
  return { history: b.build(), trueMean, demand };
}
