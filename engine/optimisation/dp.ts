/**
 * Leg bid prices by dynamic programming over remaining capacity and time (Lee & Hersh 1993;
 * Talluri & van Ryzin 2004, §2.5), and the exact expected revenue of the DP policy and of the EMSR-b
 * policy under the same demand model.
 *
 * Demand model: each DCP period is cut into micro-periods ("steps") short enough that at most one
 * request arrives per step; in step s a request for class j arrives with probability λ_sj
 * (Σ_j λ_sj ≤ maxProbPerStep < 1), spreading the period's forecast mean evenly over its steps. Under
 * this model both values below are exact (no Monte Carlo):
 * - DP: V_s(x) = V_{s+1}(x) + Σ_j λ_sj · max(0, f_j − (V_{s+1}(x) − V_{s+1}(x−1))), V_T = 0; the bid
 *   price of the x-th remaining seat is V(x) − V(x−1), and the policy sells class j iff f_j ≥ it.
 * - EMSR-b: at the start of every DCP period, nested protection levels are recomputed by EMSR-b from
 *   the model's demand to come (mean Σλ, variance Σλ(1−λ) per class, normal approximation) and
 *   rounded; class j sells iff remaining capacity x > protection of classes 1..j−1. Its expected
 *   revenue is evaluated by the same backward recursion with that fixed accept rule.
 * The DP is optimal among all policies that see time and remaining capacity, so its value is never
 * below EMSR-b's; the gap is EMSR-b's shortfall.
 */
import { bookingLimitsInto, emsrbInto, type SeatRounding } from './emsrb';

export interface LegDemandModel {
  /** fares, highest class first (any unit) */
  readonly fares: Float64Array;
  readonly classes: number;
  /** arrival probabilities, row-major steps × classes; step 0 is the earliest */
  readonly probs: Float64Array;
  readonly steps: number;
  /** first step of each DCP period, plus `steps` at the end (length periods + 1) */
  readonly periodStart: Int32Array;
}

/**
 * Builds the micro-period model from the forecast mean demand of each class in each DCP period
 * (`periodMeans[p * classes + j]`). A period gets ceil(Σ_j mean / maxProbPerStep) steps (at least one).
 */
export function buildLegDemandModel(fares: ArrayLike<number>, periodMeans: ArrayLike<number>, periods: number, maxProbPerStep = 0.2): LegDemandModel {
  const n = fares.length;
  if (!(maxProbPerStep > 0 && maxProbPerStep < 1)) throw new RangeError(`leg DP: maxProbPerStep must lie in (0, 1), got ${maxProbPerStep}`);
  if (periodMeans.length !== periods * n) throw new RangeError(`leg DP: periodMeans has ${periodMeans.length} values, expected periods × classes = ${periods * n}`);
  for (let j = 0; j < n; j++) {
    if (!(fares[j]! >= 0) || !Number.isFinite(fares[j]!)) throw new RangeError(`leg DP: fare of class ${j + 1} must be a finite number >= 0, got ${fares[j]}`);
    if (j > 0 && fares[j]! > fares[j - 1]!) throw new RangeError(`leg DP: classes must be ordered highest fare first; class ${j + 1} fare ${fares[j]} exceeds class ${j} fare ${fares[j - 1]}`);
  }
  const periodStart = new Int32Array(periods + 1);
  let steps = 0;
  for (let p = 0; p < periods; p++) {
    let total = 0;
    for (let j = 0; j < n; j++) {
      const m = periodMeans[p * n + j]!;
      if (!(m >= 0) || !Number.isFinite(m)) throw new RangeError(`leg DP: mean demand of class ${j + 1} in period ${p} must be a finite number >= 0, got ${m}`);
      total += m;
    }
    periodStart[p] = steps;
    steps += Math.max(1, Math.ceil(total / maxProbPerStep - 1e-9));
  }
  periodStart[periods] = steps;
  const probs = new Float64Array(steps * n);
  for (let p = 0; p < periods; p++) {
    const k = periodStart[p + 1]! - periodStart[p]!;
    for (let s = periodStart[p]!; s < periodStart[p + 1]!; s++) {
      for (let j = 0; j < n; j++) probs[s * n + j] = periodMeans[p * n + j]! / k;
    }
  }
  return { fares: Float64Array.from(fares), classes: n, probs, steps, periodStart };
}

export interface LegDpResult {
  /** V at the start of `fromPeriod` with the given capacity */
  expectedRevenue: number;
  /**
   * bid prices at the start of each period from `fromPeriod` on: row p − fromPeriod holds, for every
   * remaining capacity x = 0..capacity, the value of the x-th seat V(x) − V(x−1) (x = 0: +Infinity)
   */
  bidPrices: Float64Array;
  capacity: number;
  fromPeriod: number;
}

/** Reusable buffers, so a benchmark or the simulator can run many legs without allocating. */
export interface DpWorkspace { a: Float64Array; b: Float64Array }

export function dpWorkspace(capacity: number): DpWorkspace {
  return { a: new Float64Array(capacity + 1), b: new Float64Array(capacity + 1) };
}

function checkCapacity(capacity: number, model: LegDemandModel, fromPeriod: number): void {
  if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`leg DP: capacity must be a whole number >= 0, got ${capacity}`);
  const periods = model.periodStart.length - 1;
  if (!Number.isInteger(fromPeriod) || fromPeriod < 0 || fromPeriod > periods) throw new RangeError(`leg DP: fromPeriod must lie in [0, ${periods}], got ${fromPeriod}`);
}

/** Solves the DP from the start of `fromPeriod` to departure. */
export function solveLegDp(model: LegDemandModel, capacity: number, fromPeriod = 0, ws: DpWorkspace = dpWorkspace(capacity)): LegDpResult {
  checkCapacity(capacity, model, fromPeriod);
  if (ws.a.length < capacity + 1) ws = dpWorkspace(capacity);
  const { fares, probs, classes: n, periodStart } = model;
  const periods = periodStart.length - 1;
  const rows = periods - fromPeriod;
  const bidPrices = new Float64Array(Math.max(rows, 0) * (capacity + 1));
  let next = ws.a; // V_{s+1}
  let cur = ws.b; // V_s
  next.fill(0, 0, capacity + 1);
  let p = periods - 1;
  for (let s = model.steps - 1; s >= periodStart[fromPeriod]!; s--) {
    const base = s * n;
    cur[0] = 0;
    for (let x = 1; x <= capacity; x++) {
      const vx = next[x]!;
      const bid = vx - next[x - 1]!;
      let gain = 0;
      for (let j = 0; j < n; j++) {
        const f = fares[j]!;
        if (f <= bid) break; // fares descend: no lower class beats the bid price either
        gain += probs[base + j]! * (f - bid);
      }
      cur[x] = vx + gain;
    }
    const t = next; next = cur; cur = t;
    while (p >= fromPeriod && s === periodStart[p]!) {
      const row = (p - fromPeriod) * (capacity + 1);
      bidPrices[row] = Infinity;
      for (let x = 1; x <= capacity; x++) bidPrices[row + x] = next[x]! - next[x - 1]!;
      p--;
    }
  }
  // periods with no steps at all (never: every period has >= 1 step) would be left as zeros
  return { expectedRevenue: next[capacity]!, bidPrices, capacity, fromPeriod };
}

/** The demand to come from each period's start, per class: mean Σλ and variance Σλ(1−λ). */
function demandToCome(model: LegDemandModel, p: number, mean: Float64Array, sd: Float64Array): void {
  const n = model.classes;
  mean.fill(0);
  sd.fill(0);
  for (let s = model.periodStart[p]!; s < model.steps; s++) {
    for (let j = 0; j < n; j++) {
      const l = model.probs[s * n + j]!;
      mean[j] += l;
      sd[j] += l * (1 - l);
    }
  }
  for (let j = 0; j < n; j++) sd[j] = Math.sqrt(sd[j]!);
}

/**
 * The EMSR-b policy's protection levels at the start of each period from `fromPeriod`, as whole
 * seats: row p − fromPeriod holds, for classes 1..n, the seats protected for the classes above
 * (class 1: 0), nested and capped at capacity.
 */
export function emsrbPolicy(model: LegDemandModel, capacity: number, fromPeriod = 0, rounding: SeatRounding = 'round'): Int32Array {
  checkCapacity(capacity, model, fromPeriod);
  const n = model.classes;
  const periods = model.periodStart.length - 1;
  const out = new Int32Array((periods - fromPeriod) * n);
  const mean = new Float64Array(n);
  const sd = new Float64Array(n);
  const prot = new Float64Array(Math.max(n - 1, 0));
  const limits = new Float64Array(n);
  // EMSR-b needs positive fares; classes priced at 0 are simply never protected for
  const positive = model.fares.findIndex((f) => !(f > 0));
  const m = positive < 0 ? n : positive;
  for (let p = fromPeriod; p < periods; p++) {
    demandToCome(model, p, mean, sd);
    emsrbInto(model.fares, mean, sd, m, prot);
    bookingLimitsInto(prot, m, capacity, limits, rounding);
    const row = (p - fromPeriod) * n;
    for (let j = 0; j < n; j++) out[row + j] = j < m ? capacity - limits[j]! : capacity;
  }
  return out;
}

/** Exact expected revenue of the EMSR-b policy (re-optimised at each DCP) from the start of `fromPeriod`. */
export function evaluateEmsrbPolicy(model: LegDemandModel, capacity: number, fromPeriod = 0, ws: DpWorkspace = dpWorkspace(capacity), rounding: SeatRounding = 'round'): number {
  const protections = emsrbPolicy(model, capacity, fromPeriod, rounding);
  if (ws.a.length < capacity + 1) ws = dpWorkspace(capacity);
  const { fares, probs, classes: n, periodStart } = model;
  const periods = periodStart.length - 1;
  let next = ws.a;
  let cur = ws.b;
  next.fill(0, 0, capacity + 1);
  let p = periods - 1;
  for (let s = model.steps - 1; s >= periodStart[fromPeriod]!; s--) {
    while (p > fromPeriod && s < periodStart[p]!) p--;
    const row = (p - fromPeriod) * n;
    const base = s * n;
    cur[0] = 0;
    for (let x = 1; x <= capacity; x++) {
      const vx = next[x]!;
      const loss = vx - next[x - 1]!;
      let gain = 0;
      for (let j = 0; j < n; j++) {
        if (x <= protections[row + j]!) break; // protections are nested: lower classes are closed too
        gain += probs[base + j]! * (fares[j]! - loss);
      }
      cur[x] = vx + gain;
    }
    const t = next; next = cur; cur = t;
  }
  return next[capacity]!;
}

export interface DpVersusEmsrb {
  dpRevenue: number;
  emsrbRevenue: number;
  /** dpRevenue − emsrbRevenue (>= 0) */
  gap: number;
  /** gap as a percentage of the EMSR-b revenue (0 when that is 0) */
  gapPct: number;
}

/** Both exact expected revenues under one demand model, and their gap. */
export function compareDpWithEmsrb(model: LegDemandModel, capacity: number, fromPeriod = 0, ws: DpWorkspace = dpWorkspace(capacity)): DpVersusEmsrb {
  const dpRevenue = solveLegDp(model, capacity, fromPeriod, ws).expectedRevenue;
  const emsrbRevenue = evaluateEmsrbPolicy(model, capacity, fromPeriod, ws);
  const gap = dpRevenue - emsrbRevenue;
  return { dpRevenue, emsrbRevenue, gap, gapPct: emsrbRevenue > 0 ? (100 * gap) / emsrbRevenue : 0 };
}
