/**
 * Price-sensitive demand: Frat5 sell-up curves, Q-forecasting and hybrid forecasting
 * (Belobaba & Hopperstad 2004; Boyd & Kallesen 2004; Fiig et al. 2010).
 *
 * - The sell-up probability from the lowest class Q (fare f_Q) to a class F (fare f_F) is
 *   P(f_F) = exp((f_F/f_Q − 1) · ln(0.5) / (Frat5 − 1)): Frat5 is the fare ratio at which half of the
 *   price-oriented passengers still buy. Frat5 is editable per market and per DCP period (passengers
 *   booking close to departure sell up more: higher Frat5).
 * - Q-forecasting: the bookings of a period are converted to Q-equivalent bookings (those that would
 *   have been made at the Q fare) by dividing by the sell-up probability of the lowest class open in
 *   that period; the Q demand is forecast by pickup and partitioned back to the classes.
 * - Hybrid forecasting: bookings in the lowest open class are price-oriented (converted to
 *   Q-equivalents); bookings in a higher class while a lower one was open are product-oriented
 *   (yieldable) and forecast per class like independent demand.
 */

export const LN_HALF = Math.log(0.5);

/** Sell-up probability for a fare ratio f_F/f_Q >= 1 (ratios below 1 are certain: 1). */
export function sellUpProbability(fareRatio: number, frat5: number): number {
  if (!(frat5 > 1) || !Number.isFinite(frat5)) throw new RangeError(`sell-up: Frat5 must be a finite number > 1, got ${frat5}`);
  if (!(fareRatio >= 0) || !Number.isFinite(fareRatio)) throw new RangeError(`sell-up: fare ratio must be a finite number >= 0, got ${fareRatio}`);
  if (fareRatio <= 1) return 1;
  return Math.exp(((fareRatio - 1) * LN_HALF) / (frat5 - 1));
}

/**
 * A Frat5 curve: one value per DCP period (from the first period to departure), or a single value
 * for every period. Markets override it; values must be > 1.
 */
export type Frat5Curve = number | readonly number[];

export function frat5For(curve: Frat5Curve, period: number): number {
  const v = typeof curve === 'number' ? curve : curve[Math.min(Math.max(period, 0), curve.length - 1)];
  if (v === undefined || !(v > 1)) throw new RangeError(`Frat5 for period ${period} must be > 1, got ${v}`);
  return v;
}

/** A default Frat5 curve on the 3MKT/PODS DCPs shape: 1.4 far out, rising to 3.0 at departure. */
export function defaultFrat5Curve(periods: number, farOut = 1.4, close = 3.0): number[] {
  return Array.from({ length: periods }, (_, p) => farOut + ((close - farOut) * p) / Math.max(1, periods - 1));
}

/** Q-equivalent bookings: bookings made while `lowestOpenFare` was the cheapest on sale. */
export function qEquivalent(bookings: number, lowestOpenFare: number, qFare: number, frat5: number): number {
  if (!(qFare > 0)) throw new RangeError(`Q-equivalent: the Q fare must be > 0, got ${qFare}`);
  return bookings / sellUpProbability(lowestOpenFare / qFare, frat5);
}

/**
 * Partitions a Q demand (mean, sd) to the classes of a ladder (fares highest first, the last being
 * Q): the price-oriented demand that buys class j when it is the lowest open is Q·P_j, so each class
 * adds Q·(P_j − P_{j−1}). The increments' sds treat the passengers' choices as independent thinning
 * of the Q demand: Var_j = ΔP_j·μ + ΔP_j²·max(0, σ² − μ) (Poisson-exact, plus the over-dispersion
 * shared in proportion).
 */
export function partitionQ(qMean: number, qSd: number, fares: readonly number[], frat5: number): { means: number[]; sds: number[]; sellUp: number[] } {
  const n = fares.length;
  if (n === 0) return { means: [], sds: [], sellUp: [] };
  const qFare = fares[n - 1]!;
  if (!(qFare > 0)) throw new RangeError(`partitionQ: the lowest fare (Q) must be > 0, got ${qFare}`);
  const extraVar = Math.max(0, qSd * qSd - qMean);
  const means: number[] = [];
  const sds: number[] = [];
  const sellUp: number[] = [];
  let prev = 0;
  for (let j = 0; j < n; j++) {
    const p = sellUpProbability(fares[j]! / qFare, frat5);
    const d = Math.max(0, p - prev);
    sellUp.push(p);
    means.push(qMean * d);
    sds.push(Math.sqrt(d * qMean + d * d * extraVar));
    prev = Math.max(prev, p);
  }
  return { means, sds, sellUp };
}

/**
 * Splits one departure-period's bookings by class (ladder order, highest first) into price-oriented
 * Q-equivalents and product-oriented bookings, given the lowest class open in the period
 * (`lowestOpen`, an index; −1 when nothing was open). Returns the Q-equivalent count and writes the
 * product-oriented bookings per class into `yieldableOut` (0 for the lowest open class and below).
 */
export function hybridSplitInto(bookings: ArrayLike<number>, fares: ArrayLike<number>, lowestOpen: number, frat5: number, yieldableOut: { [i: number]: number }): number {
  const n = fares.length;
  const qFare = fares[n - 1]!;
  for (let j = 0; j < n; j++) yieldableOut[j] = 0;
  if (lowestOpen < 0) return 0;
  for (let j = 0; j < lowestOpen; j++) yieldableOut[j] = bookings[j]!;
  // bookings below the lowest open class cannot happen; count any (data lag) with it as price-oriented
  let priceable = 0;
  for (let j = lowestOpen; j < n; j++) priceable += bookings[j]!;
  return priceable / sellUpProbability(fares[lowestOpen]! / qFare, frat5);
}
