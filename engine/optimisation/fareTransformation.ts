/**
 * Marginal-revenue fare transformation (Fiig, Isler, Hopperstad & Belobaba 2010) and EMSR-b on the
 * transformed fares, for price-sensitive demand.
 *
 * Demand of a cabin's classes (highest fare first) comes in two kinds:
 * - price-oriented ("priceable") demand buys the lowest open class; `priceable[j]` is the increment
 *   of that demand when class j becomes the lowest open class (for a Q-forecast with sell-up
 *   probabilities P_j: Q·(P_j − P_{j−1})), so opening down to class j sells Σ_{i≤j} priceable[i] seats
 *   of it, all at f_j;
 * - product-oriented ("yieldable") demand buys its own class, as in the independent-demand model.
 * Opening down to class j gives cumulative demand Q_j = Σ_{i≤j} (priceable_i + yieldable_i) and revenue
 * R_j = Σ_{i≤j} yieldable_i·f_i + f_j·Σ_{i≤j} priceable_i. The efficient classes are the vertices of the
 * upper concave hull of (0, 0), (Q_1, R_1), …, (Q_n, R_n) with positive slope; every other class is
 * inefficient and closed. An efficient class's adjusted fare is the slope of the hull segment that
 * ends at it (its marginal revenue per extra seat sold), and its demand is the increment of Q along
 * that segment. With only yieldable demand the transformation is the identity; with only priceable
 * demand it is Fiig's MR transformation.
 */
import { bookingLimitsInto, emsrbInto, type SeatRounding } from './emsrb';

/** demand increments below this (passengers) count as none, so rounding noise never shapes the frontier */
const MIN_DEMAND = 1e-9;

export interface FareTransformation {
  /** per class: the adjusted (marginal-revenue) fare, or null when the class is inefficient */
  adjustedFares: (number | null)[];
  /** per class: true when it lies on the efficient frontier */
  efficient: boolean[];
  /** the efficient classes in ladder order, with the demand EMSR-b should see for each */
  frontier: { index: number; adjustedFare: number; mean: number; sd: number }[];
}

function check(fares: readonly number[], v: readonly number[] | undefined, name: string): void {
  if (v && v.length !== fares.length) throw new RangeError(`fare transformation: ${name} has ${v.length} values for ${fares.length} classes`);
  v?.forEach((x, i) => { if (!(x >= 0) || !Number.isFinite(x)) throw new RangeError(`fare transformation: ${name}[${i}] must be a finite number >= 0, got ${x}`); });
}

/**
 * The MR fare transformation. `priceableSd` and `yieldableSd` (optional) give each increment's
 * standard deviation; the frontier's demand sd merges the increments it absorbs as independent.
 */
export function mrFareTransformation(
  fares: readonly number[],
  priceable: readonly number[],
  yieldable?: readonly number[],
  priceableSd?: readonly number[],
  yieldableSd?: readonly number[],
): FareTransformation {
  const n = fares.length;
  check(fares, fares, 'fares');
  check(fares, priceable, 'priceable');
  check(fares, yieldable, 'yieldable');
  check(fares, priceableSd, 'priceableSd');
  check(fares, yieldableSd, 'yieldableSd');
  for (let i = 1; i < n; i++) if (fares[i]! > fares[i - 1]!) throw new RangeError(`fare transformation: classes must be ordered highest fare first; class ${i + 1} fare ${fares[i]} exceeds class ${i} fare ${fares[i - 1]}`);
  // cumulative demand and revenue when opening down to each class
  const q = new Float64Array(n + 1);
  const r = new Float64Array(n + 1);
  const v = new Float64Array(n + 1); // cumulative variance of the increments
  let sumPriceable = 0;
  let yieldRevenue = 0;
  for (let j = 0; j < n; j++) {
    const p = priceable[j]!;
    const y = yieldable?.[j] ?? 0;
    sumPriceable += p;
    yieldRevenue += y * fares[j]!;
    q[j + 1] = q[j]! + p + y;
    r[j + 1] = yieldRevenue + fares[j]! * sumPriceable;
    v[j + 1] = v[j]! + (priceableSd?.[j] ?? 0) ** 2 + (yieldableSd?.[j] ?? 0) ** 2;
  }
  // upper concave hull from the origin (monotone chain on points sorted by q; a class adding less
  // than MIN_DEMAND is dominated by the class above it, which sells the same seats dearer)
  const hull: number[] = [0];
  for (let j = 1; j <= n; j++) {
    if (q[j]! - q[hull[hull.length - 1]!]! < MIN_DEMAND) continue;
    while (hull.length >= 2) {
      const a = hull[hull.length - 2]!;
      const b = hull[hull.length - 1]!;
      // drop b when it lies on or below the chord from a to j
      const cross = (q[b]! - q[a]!) * (r[j]! - r[a]!) - (r[b]! - r[a]!) * (q[j]! - q[a]!);
      if (cross >= 0) hull.pop(); else break;
    }
    hull.push(j);
  }
  const adjustedFares: (number | null)[] = new Array(n).fill(null);
  const efficient: boolean[] = new Array(n).fill(false);
  const frontier: FareTransformation['frontier'] = [];
  for (let h = 1; h < hull.length; h++) {
    const a = hull[h - 1]!;
    const b = hull[h]!;
    const slope = (r[b]! - r[a]!) / (q[b]! - q[a]!);
    if (!(slope > 0)) break; // opening further loses revenue: this class and all below are inefficient
    adjustedFares[b - 1] = slope;
    efficient[b - 1] = true;
    frontier.push({ index: b - 1, adjustedFare: slope, mean: q[b]! - q[a]!, sd: Math.sqrt(v[b]! - v[a]!) });
  }
  return { adjustedFares, efficient, frontier };
}

export interface TransformedControls {
  transformation: FareTransformation;
  /** raw EMSR-b protection levels of the efficient classes (frontier order), on adjusted fares */
  frontierProtections: number[];
  /**
   * nested booking limits for every class: an efficient class gets capacity − the protection of
   * the efficient classes above it; an inefficient class is closed whenever it would be the lowest
   * open class, so it takes the limit of the next efficient class below it (0 when none)
   */
  bookingLimits: number[];
}

/** EMSR-b on MR-transformed fares, with inefficient classes closed (see TransformedControls). */
export function emsrbOnTransformedFares(
  fares: readonly number[],
  priceable: readonly number[],
  capacity: number,
  opts: { yieldable?: readonly number[]; priceableSd?: readonly number[]; yieldableSd?: readonly number[]; rounding?: SeatRounding } = {},
): TransformedControls {
  const t = mrFareTransformation(fares, priceable, opts.yieldable, opts.priceableSd, opts.yieldableSd);
  const k = t.frontier.length;
  const protections = new Array<number>(Math.max(0, k - 1));
  emsrbInto(t.frontier.map((c) => c.adjustedFare), t.frontier.map((c) => c.mean), t.frontier.map((c) => c.sd), k, protections);
  const frontierLimits = new Array<number>(k);
  bookingLimitsInto(protections, k, capacity, frontierLimits, opts.rounding);
  const limits = new Array<number>(fares.length).fill(0);
  let next = 0; // limit of the next efficient class below
  for (let j = fares.length - 1, h = k - 1; j >= 0; j--) {
    if (h >= 0 && t.frontier[h]!.index === j) { next = frontierLimits[h]!; h--; }
    limits[j] = next;
  }
  // classes above the first efficient one (no demand of their own) stay open; with no demand at all
  // nothing needs protecting and every class is open
  const firstEfficient = k > 0 ? t.frontier[0]!.index : fares.length;
  for (let j = 0; j < firstEfficient; j++) limits[j] = capacity;
  return { transformation: t, frontierProtections: protections, bookingLimits: limits };
}
