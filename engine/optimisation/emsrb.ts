/**
 * Leg-level nested protection levels: Littlewood's rule, EMSR-a and EMSR-b (Belobaba 1987, 1992),
 * and the nested booking limits they imply.
 *
 * Conventions (all functions):
 * - classes are ordered highest fare first: class 1 is index 0;
 * - demand for each class is independent and normal with the given mean and standard deviation
 *   (the forecast of demand still to come for this departure);
 * - the protection level y_j is the number of seats held for classes 1..j together (cumulative), so
 *   there are n − 1 of them for n classes; class j + 1 may sell only while more than y_j seats remain;
 * - the booking limit (authorisation level) of class j is capacity − y_{j−1} (class 1: capacity);
 * - fares and demands are plain numbers in any one unit (fares in minor units or major units alike:
 *   only their ratios matter).
 *
 * These run inside the market simulator (every competitor, every leg, every DCP), so each has an
 * allocation-free `…Into` form working on caller-owned arrays.
 */
import { normQuantile, normSf } from './normal';

export interface FareClassDemand {
  /** the fare (or transformed fare) of the class, any currency unit, > 0 */
  fare: number;
  /** mean demand to come for the class */
  mean: number;
  /** standard deviation of that demand, >= 0 */
  sd: number;
}

/**
 * Littlewood's rule (two classes): protect y seats for the high fare where P(D_high > y) = low/high,
 * i.e. y = mean + sd · Φ⁻¹(1 − lowFare/highFare). With lowFare ≥ highFare nothing is protected (0);
 * with sd = 0 the whole mean is protected. The result is raw (may be negative for small means).
 */
export function littlewood(highFare: number, lowFare: number, mean: number, sd: number): number {
  if (!(highFare > 0)) throw new RangeError(`littlewood: highFare must be > 0, got ${highFare}`);
  if (!(lowFare >= 0)) throw new RangeError(`littlewood: lowFare must be >= 0, got ${lowFare}`);
  if (!(sd >= 0)) throw new RangeError(`littlewood: sd must be >= 0, got ${sd}`);
  return protectFor(mean, sd, lowFare / highFare);
}

/** y = mean + sd·Φ⁻¹(1 − ratio), with the degenerate ends handled (ratio ≥ 1 → 0; sd = 0 → mean). */
function protectFor(mean: number, sd: number, ratio: number): number {
  if (ratio >= 1) return 0;
  if (sd === 0) return mean;
  if (ratio <= 0) return Infinity;
  return mean + sd * normQuantile(1 - ratio);
}

function checkLadder(where: string, fares: ArrayLike<number>, means: ArrayLike<number>, sds: ArrayLike<number>, n: number): void {
  let prevFare = Infinity;
  for (let i = 0; i < n; i++) {
    const fare = fares[i]!;
    const mean = means[i]!;
    const sd = sds[i]!;
    if (!(fare > 0) || !Number.isFinite(fare)) throw new RangeError(`${where}: class ${i + 1} fare must be a finite number > 0, got ${fare}`);
    if (!(mean >= 0) || !Number.isFinite(mean)) throw new RangeError(`${where}: class ${i + 1} mean must be a finite number >= 0, got ${mean}`);
    if (!(sd >= 0) || !Number.isFinite(sd)) throw new RangeError(`${where}: class ${i + 1} sd must be a finite number >= 0, got ${sd}`);
    if (fare > prevFare) throw new RangeError(`${where}: classes must be ordered highest fare first; class ${i + 1} fare ${fare} exceeds class ${i} fare ${prevFare}`);
    prevFare = fare;
  }
}

/**
 * EMSR-b into caller-owned storage: writes the n − 1 raw cumulative protection levels to `out[0..n-2]`.
 * Classes 1..j are aggregated into one class with mean Σμ, sd √Σσ² and the demand-weighted fare F̄_j,
 * then Littlewood's rule against f_{j+1}: y_j = Σμ + √Σσ² · Φ⁻¹(1 − f_{j+1}/F̄_j).
 * If classes 1..j have no mean demand, their fares are weighted by variance instead (no demand at all → 0).
 */
export function emsrbInto(fares: ArrayLike<number>, means: ArrayLike<number>, sds: ArrayLike<number>, n: number, out: { [i: number]: number }): void {
  checkLadder('emsrb', fares, means, sds, n);
  let sumMean = 0;
  let sumVar = 0;
  let revenue = 0; // Σ f·μ
  let varRevenue = 0; // Σ f·σ², for the no-mean fallback
  for (let j = 0; j < n - 1; j++) {
    const f = fares[j]!;
    const m = means[j]!;
    const v = sds[j]! * sds[j]!;
    sumMean += m;
    sumVar += v;
    revenue += f * m;
    varRevenue += f * v;
    let weightedFare: number;
    if (sumMean > 0) weightedFare = revenue / sumMean;
    else if (sumVar > 0) weightedFare = varRevenue / sumVar;
    else { out[j] = 0; continue; }
    out[j] = protectFor(sumMean, Math.sqrt(sumVar), fares[j + 1]! / weightedFare);
  }
}

/** EMSR-b raw cumulative protection levels for classes 1..n−1 (highest class first). */
export function emsrb(classes: readonly FareClassDemand[]): number[] {
  const n = classes.length;
  const out = new Array<number>(Math.max(0, n - 1));
  emsrbInto(classes.map((c) => c.fare), classes.map((c) => c.mean), classes.map((c) => c.sd), n, out);
  return out;
}

/**
 * EMSR-a into caller-owned storage: y_j = Σ_{k≤j} (μ_k + σ_k Φ⁻¹(1 − f_{j+1}/f_k)), the sum of the
 * pairwise Littlewood protections of each higher class against class j + 1.
 */
export function emsraInto(fares: ArrayLike<number>, means: ArrayLike<number>, sds: ArrayLike<number>, n: number, out: { [i: number]: number }): void {
  checkLadder('emsra', fares, means, sds, n);
  for (let j = 0; j < n - 1; j++) {
    const next = fares[j + 1]!;
    let y = 0;
    for (let k = 0; k <= j; k++) y += protectFor(means[k]!, sds[k]!, next / fares[k]!);
    out[j] = y;
  }
}

/** EMSR-a raw cumulative protection levels for classes 1..n−1 (highest class first). */
export function emsra(classes: readonly FareClassDemand[]): number[] {
  const n = classes.length;
  const out = new Array<number>(Math.max(0, n - 1));
  emsraInto(classes.map((c) => c.fare), classes.map((c) => c.mean), classes.map((c) => c.sd), n, out);
  return out;
}

export type SeatRounding = 'round' | 'floor' | 'ceil';

function roundSeats(y: number, rounding: SeatRounding): number {
  return rounding === 'floor' ? Math.floor(y + 1e-9) : rounding === 'ceil' ? Math.ceil(y - 1e-9) : Math.round(y);
}

/**
 * Nested booking limits into caller-owned storage (`out[0..n-1]`), from n − 1 raw protection levels:
 * BL_1 = capacity, BL_{j+1} = capacity − y_j with y_j rounded to whole seats (`rounding`, default
 * 'round'; Phillips 2005 floors), made non-decreasing in j and clamped to [0, capacity], so the limits
 * are nested (non-increasing down the ladder) and never exceed capacity.
 */
export function bookingLimitsInto(protections: ArrayLike<number>, n: number, capacity: number, out: { [i: number]: number }, rounding: SeatRounding = 'round'): void {
  if (!(capacity >= 0) || !Number.isInteger(capacity)) throw new RangeError(`bookingLimits: capacity must be a whole number >= 0, got ${capacity}`);
  if (n < 1) return;
  out[0] = capacity;
  let held = 0;
  for (let j = 0; j < n - 1; j++) {
    const y = protections[j]!;
    if (Number.isNaN(y)) throw new RangeError(`bookingLimits: protection level ${j + 1} is NaN`);
    const seats = y === Infinity ? capacity : y === -Infinity ? 0 : roundSeats(y, rounding);
    held = Math.min(capacity, Math.max(held, seats, 0));
    out[j + 1] = capacity - held;
  }
}

/** Nested booking limits for n classes from their n − 1 raw protection levels (see bookingLimitsInto). */
export function bookingLimits(protections: readonly number[], capacity: number, rounding: SeatRounding = 'round'): number[] {
  const n = protections.length + 1;
  const out = new Array<number>(n);
  bookingLimitsInto(protections, n, capacity, out, rounding);
  return out;
}

/**
 * Protection levels as the controls use them: rounded to whole seats, non-decreasing, within
 * [0, capacity], with the top class's 0 first (n values for n classes), e.g. 0 20 35 54 80 117.
 */
export function nestedProtections(protections: readonly number[], capacity: number, rounding: SeatRounding = 'round'): number[] {
  const limits = bookingLimits(protections, capacity, rounding);
  return limits.map((l) => capacity - l);
}

/**
 * The EMSR bid price of the `seats`-th remaining seat: the largest expected marginal seat revenue
 * among the EMSR-b aggregates, max_j F̄_j · P(S_j ≥ seats), where S_j (normal, mean Σμ, sd √Σσ² of
 * classes 1..j) is the demand of classes 1..j and F̄_j their demand-weighted fare; P(S ≥ x) is taken
 * with a continuity correction, P(S > x − ½). It is the opportunity cost of selling that seat now, a
 * cheap leg bid price consistent with the EMSR-b controls (the DP gives the exact one).
 */
export function emsrBidPrice(fares: ArrayLike<number>, means: ArrayLike<number>, sds: ArrayLike<number>, n: number, seats: number): number {
  if (seats <= 0) return Infinity;
  let sumMean = 0;
  let sumVar = 0;
  let revenue = 0;
  let best = 0;
  for (let j = 0; j < n; j++) {
    const m = means[j]!;
    sumMean += m;
    sumVar += sds[j]! * sds[j]!;
    revenue += fares[j]! * m;
    if (sumMean <= 0) continue;
    const sd = Math.sqrt(sumVar);
    const p = sd > 0 ? normSf((seats - 0.5 - sumMean) / sd) : (sumMean >= seats - 0.5 ? 1 : 0);
    const v = (revenue / sumMean) * p;
    if (v > best) best = v;
  }
  return best;
}
