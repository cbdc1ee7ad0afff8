/**
 * The demand level of one departure, learnt from its own bookings so far (booking-to-date
 * conditioning of the forecast).
 *
 * A departure's demand is the flight's mean demand times a level K that is common to all its
 * periods (PODS k-factors: system, market and segment draws shared by the whole departure), so a
 * departure that booked more than usual so far will go on doing so. With a Gamma(α, α) prior on K
 * (mean 1, variance 1/α) and Poisson bookings of mean K·m, after `observed` bookings where the history
 * expected `expected`, the posterior mean of K is (α + observed) / (α + expected).
 *
 * α comes from the history itself: the variance of the departures' cumulative bookings beyond the
 * Poisson variance is m²/α (negative binomial), so 1/α = (var − m) / m², bounded.
 */
import type { FlightHistory } from './history';

/** Demand levels for which the policy is solved; a departure uses the one nearest its estimate. */
export const DEFAULT_DEMAND_LEVELS: readonly number[] = [0.6, 0.75, 0.9, 1, 1.12, 1.28, 1.5, 1.75];

export interface LevelPrior {
  /** mean cumulative bookings of the classes over the history's departures, before period K: [K], K = 0..P */
  expected: Float64Array;
  /** prior shape α of the level before period K (1/α = excess dispersion), [K] */
  alpha: Float64Array;
}

const MIN_ALPHA = 4;
const MAX_ALPHA = 400;

/** The prior of the level from the history, for cumulative bookings of `classes` before each period. */
export function levelPrior(h: FlightHistory, classes: readonly number[]): LevelPrior {
  const P = h.P;
  const D = h.count;
  const expected = new Float64Array(P + 1);
  const alpha = new Float64Array(P + 1).fill(MAX_ALPHA);
  if (D < 2) return { expected, alpha };
  const cum = new Float64Array(D);
  for (let K = 1; K <= P; K++) {
    let s = 0;
    for (let d = 0; d < D; d++) {
      const base = h.slot(d) * h.nCl * P;
      for (const c of classes) cum[d] += h.bookings[base + c * P + K - 1]!;
      s += cum[d]!;
    }
    const m = s / D;
    let v = 0;
    for (let d = 0; d < D; d++) v += (cum[d]! - m) ** 2;
    v /= D - 1;
    expected[K] = m;
    const excess = m > 0 ? (v - m) / (m * m) : 0;
    alpha[K] = Math.min(MAX_ALPHA, Math.max(MIN_ALPHA, excess > 0 ? 1 / excess : MAX_ALPHA));
  }
  return { expected, alpha };
}

/** Posterior mean of the level after `observed` bookings where `expected` were expected (shape α). */
export function posteriorLevel(observed: number, expected: number, alpha: number): number {
  if (!(alpha > 0)) throw new RangeError(`demand level: alpha must be > 0, got ${alpha}`);
  return (alpha + Math.max(0, observed)) / (alpha + Math.max(0, expected));
}

/** Index of the level nearest `r` on a log scale (levels ascending). */
export function nearestLevel(levels: readonly number[], r: number): number {
  let best = 0;
  let bestD = Infinity;
  const lr = Math.log(Math.max(r, 1e-9));
  for (let i = 0; i < levels.length; i++) {
    const d = Math.abs(Math.log(levels[i]!) - lr);
    if (d < bestD) { bestD = d; best = i; }
  }
  return best;
}
