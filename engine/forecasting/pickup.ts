/**
 * Pickup forecasting on DCP-indexed booking curves (see dcp.ts for the period convention).
 *
 * The history of one forecast key (a leg × RBD, or an O&D market × fare class) is a row-major matrix
 * `values[d * periods + p]`: the (unconstrained) demand picked up by past departure d in period p.
 * `NaN` marks a period not observed yet (a departure still in its booking horizon), so partially
 * flown departures contribute the periods they have completed ("advanced pickup").
 *
 * - Additive pickup: demand to come from period `fromPeriod` = Σ_{p ≥ fromPeriod} mean pickup of p.
 * - Multiplicative pickup: demand to come = bookings on hand × (Σ remaining / Σ on hand) over past
 *   departures observed in full; it needs bookings on hand and falls back to additive without them.
 * - Optional `weights` (one per departure, >= 0) weight the history, e.g. exponential smoothing
 *   (smoothing.ts) or day-of-week matching; without them every departure counts the same.
 *
 * Every forecast carries a standard deviation: the weighted sample sd of the remaining demand over
 * departures observed across all remaining periods (so the correlation between periods counts), or,
 * with fewer than three of them, the square root of the sum of the per-period variances.
 *
 * All functions are allocation-free on caller-owned storage: they run in the market simulator.
 */

export interface RemainingDemand {
  /** mean demand to come */
  mean: number;
  /** its standard deviation */
  sd: number;
  /** past departures the forecast rests on (0: no history, mean and sd are 0) */
  departures: number;
  /** true when the requested method could not apply and additive pickup was used instead */
  fallback: boolean;
}

export function emptyRemainingDemand(): RemainingDemand {
  return { mean: 0, sd: 0, departures: 0, fallback: false };
}

function checkShape(where: string, values: ArrayLike<number>, departures: number, periods: number, fromPeriod: number, weights?: ArrayLike<number>): void {
  if (!Number.isInteger(departures) || departures < 0) throw new RangeError(`${where}: departures must be a whole number >= 0, got ${departures}`);
  if (!Number.isInteger(periods) || periods < 1) throw new RangeError(`${where}: periods must be a whole number >= 1, got ${periods}`);
  if (values.length < departures * periods) throw new RangeError(`${where}: values hold ${values.length} cells, fewer than departures × periods = ${departures * periods}`);
  if (!Number.isInteger(fromPeriod) || fromPeriod < 0 || fromPeriod > periods) throw new RangeError(`${where}: fromPeriod must be a whole number in [0, ${periods}], got ${fromPeriod}`);
  if (weights && weights.length < departures) throw new RangeError(`${where}: ${weights.length} weights for ${departures} departures`);
}

/** Weighted mean and unbiased (reliability-weights) sd of one period's pickups, skipping NaN cells. */
function columnStats(values: ArrayLike<number>, departures: number, periods: number, p: number, weights: ArrayLike<number> | undefined, out: { mean: number; variance: number; n: number }): void {
  let sw = 0;
  let sw2 = 0;
  let sx = 0;
  let n = 0;
  for (let d = 0; d < departures; d++) {
    const x = values[d * periods + p]!;
    if (Number.isNaN(x)) continue;
    const w = weights ? weights[d]! : 1;
    if (w <= 0) continue;
    sw += w;
    sw2 += w * w;
    sx += w * x;
    n++;
  }
  if (n === 0) { out.mean = 0; out.variance = 0; out.n = 0; return; }
  const mean = sx / sw;
  let ss = 0;
  for (let d = 0; d < departures; d++) {
    const x = values[d * periods + p]!;
    if (Number.isNaN(x)) continue;
    const w = weights ? weights[d]! : 1;
    if (w <= 0) continue;
    ss += w * (x - mean) * (x - mean);
  }
  const denom = sw - sw2 / sw;
  out.mean = mean;
  out.variance = denom > 0 ? ss / denom : 0;
  out.n = n;
}

const scratch = { mean: 0, variance: 0, n: 0 };

/**
 * Per-period weighted mean and sd of the pickups into `meanOut[p]` and `sdOut[p]` (NaN cells
 * skipped; a period nobody observed gets 0 and 0). Returns the number of departures observed in period 0.
 */
export function periodStatsInto(values: ArrayLike<number>, departures: number, periods: number, meanOut: { [i: number]: number }, sdOut: { [i: number]: number }, weights?: ArrayLike<number>): number {
  checkShape('periodStats', values, departures, periods, 0, weights);
  let n0 = 0;
  for (let p = 0; p < periods; p++) {
    columnStats(values, departures, periods, p, weights, scratch);
    meanOut[p] = scratch.mean;
    sdOut[p] = Math.sqrt(scratch.variance);
    if (p === 0) n0 = scratch.n;
  }
  return n0;
}

/** Weighted sd of the remaining-demand row sums over rows fully observed on [from, periods); -1 if fewer than 3. */
function rowSumSd(values: ArrayLike<number>, departures: number, periods: number, from: number, weights: ArrayLike<number> | undefined): number {
  let sw = 0;
  let sw2 = 0;
  let sx = 0;
  let sxx = 0;
  let n = 0;
  for (let d = 0; d < departures; d++) {
    const w = weights ? weights[d]! : 1;
    if (w <= 0) continue;
    let s = 0;
    let complete = true;
    for (let p = from; p < periods; p++) {
      const x = values[d * periods + p]!;
      if (Number.isNaN(x)) { complete = false; break; }
      s += x;
    }
    if (!complete) continue;
    sw += w;
    sw2 += w * w;
    sx += w * s;
    sxx += w * s * s;
    n++;
  }
  if (n < 3) return -1;
  const mean = sx / sw;
  const denom = sw - sw2 / sw;
  const v = denom > 0 ? (sxx - sw * mean * mean) / denom : 0;
  return Math.sqrt(Math.max(0, v));
}

/**
 * Additive pickup: the demand to come from `fromPeriod` (inclusive) to departure, with its sd, into `out`.
 */
export function additivePickupInto(values: ArrayLike<number>, departures: number, periods: number, fromPeriod: number, out: RemainingDemand, weights?: ArrayLike<number>): RemainingDemand {
  checkShape('additivePickup', values, departures, periods, fromPeriod, weights);
  let mean = 0;
  let variance = 0;
  let used = 0;
  for (let p = fromPeriod; p < periods; p++) {
    columnStats(values, departures, periods, p, weights, scratch);
    mean += scratch.mean;
    variance += scratch.variance;
    if (scratch.n > used) used = scratch.n;
  }
  const sdRows = fromPeriod < periods ? rowSumSd(values, departures, periods, fromPeriod, weights) : 0;
  out.mean = mean;
  out.sd = sdRows >= 0 ? sdRows : Math.sqrt(variance);
  out.departures = used;
  out.fallback = false;
  return out;
}

/**
 * Multiplicative pickup: demand to come = onHand × Σw·remaining / Σw·onHand over past departures
 * observed in every period; sd = onHand × weighted sd of the per-departure ratios. Falls back to
 * additive pickup (out.fallback = true) when nothing is on hand or no past departure had bookings on
 * hand at this point of its curve.
 */
export function multiplicativePickupInto(values: ArrayLike<number>, departures: number, periods: number, fromPeriod: number, onHand: number, out: RemainingDemand, weights?: ArrayLike<number>): RemainingDemand {
  checkShape('multiplicativePickup', values, departures, periods, fromPeriod, weights);
  if (!(onHand >= 0)) throw new RangeError(`multiplicativePickup: onHand must be >= 0, got ${onHand}`);
  let swOn = 0;
  let swRem = 0;
  let sw = 0;
  let sw2 = 0;
  let sr = 0;
  let srr = 0;
  let n = 0;
  for (let d = 0; d < departures; d++) {
    const w = weights ? weights[d]! : 1;
    if (w <= 0) continue;
    let on = 0;
    let rem = 0;
    let complete = true;
    for (let p = 0; p < periods; p++) {
      const x = values[d * periods + p]!;
      if (Number.isNaN(x)) { complete = false; break; }
      if (p < fromPeriod) on += x; else rem += x;
    }
    if (!complete || on <= 0) continue;
    swOn += w * on;
    swRem += w * rem;
    const r = rem / on;
    sw += w;
    sw2 += w * w;
    sr += w * r;
    srr += w * r * r;
    n++;
  }
  if (onHand <= 0 || n === 0 || fromPeriod === 0) {
    additivePickupInto(values, departures, periods, fromPeriod, out, weights);
    out.fallback = fromPeriod < periods;
    return out;
  }
  const ratio = swRem / swOn;
  let sdRatio = 0;
  if (n >= 2) {
    const m = sr / sw;
    const denom = sw - sw2 / sw;
    sdRatio = denom > 0 ? Math.sqrt(Math.max(0, (srr - sw * m * m) / denom)) : 0;
  }
  out.mean = onHand * ratio;
  out.sd = onHand * sdRatio;
  out.departures = n;
  out.fallback = false;
  return out;
}

/** Additive pickup returning a fresh result (see additivePickupInto). */
export function additivePickup(values: ArrayLike<number>, departures: number, periods: number, fromPeriod: number, weights?: ArrayLike<number>): RemainingDemand {
  return additivePickupInto(values, departures, periods, fromPeriod, emptyRemainingDemand(), weights);
}

/** Multiplicative pickup returning a fresh result (see multiplicativePickupInto). */
export function multiplicativePickup(values: ArrayLike<number>, departures: number, periods: number, fromPeriod: number, onHand: number, weights?: ArrayLike<number>): RemainingDemand {
  return multiplicativePickupInto(values, departures, periods, fromPeriod, onHand, emptyRemainingDemand(), weights);
}

/**
 * Turns cumulative booking curves (bookings on hand at each DCP, row-major departures × periods,
 * NaN for DCPs not reached yet) into per-period pickups in `out` (same layout; may be the same array).
 */
export function curvesToPickupsInto(cumulative: ArrayLike<number>, departures: number, periods: number, out: { [i: number]: number }): void {
  for (let d = 0; d < departures; d++) {
    let prev = 0;
    for (let p = 0; p < periods; p++) {
      const c = cumulative[d * periods + p]!;
      out[d * periods + p] = c - prev; // NaN stays NaN
      prev = c;
    }
  }
}
