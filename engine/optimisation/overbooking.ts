/**
 * Overbooking: how many seats to authorise above physical capacity (Talluri & van Ryzin 2004, §4.2,
 * the static risk model). Each booking held at departure shows up independently with probability q
 * (from the cancellation and no-show forecasts); with y bookings the shows are Binomial(y, q). One more
 * booking earns the marginal fare r and, if it shows when the others already fill the cabin, costs the
 * denied-boarding cost c. So booking y + 1 is worth taking while
 *     r ≥ c · q · P(Binomial(y, q) ≥ C),
 * and the authorised capacity is the first y at which it is not, capped by a maximum overbooking
 * percentage. Binomial probabilities are exact (log-gamma pmf and its ratio recurrence; no normal
 * approximation).
 */

export interface OverbookingInput {
  /** physical seats of the cabin */
  capacity: number;
  /** probability that a booking held now flies: (1 − cancellation rate to come) · (1 − no-show rate) */
  showRate: number;
  /** cost of one denied boarding (compensation, rebooking, goodwill), same unit as marginalFare */
  deniedBoardingCost: number;
  /** revenue of the marginal booking (e.g. the lowest open fare) */
  marginalFare: number;
  /** cap on authorised seats above capacity, in % of capacity (default 20) */
  maxOverbookingPct?: number;
}

export interface OverbookingResult {
  /** authorised capacity (>= capacity) */
  authorised: number;
  /** authorised − capacity */
  overbooked: number;
  /** P(shows > capacity) if every authorised seat is booked */
  deniedProbability: number;
  /** expected denied boardings if every authorised seat is booked */
  expectedDenied: number;
  /** true when the cap, not the cost trade-off, set the authorised capacity */
  capped: boolean;
}

export function authorisedCapacity(input: OverbookingInput): OverbookingResult {
  const { capacity, showRate: q, deniedBoardingCost: c, marginalFare: r } = input;
  const maxPct = input.maxOverbookingPct ?? 20;
  if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`overbooking: capacity must be a whole number >= 0, got ${capacity}`);
  if (!(q > 0 && q <= 1)) throw new RangeError(`overbooking: showRate must lie in (0, 1], got ${q}`);
  if (!(c >= 0) || !Number.isFinite(c)) throw new RangeError(`overbooking: deniedBoardingCost must be a finite number >= 0, got ${c}`);
  if (!(r >= 0) || !Number.isFinite(r)) throw new RangeError(`overbooking: marginalFare must be a finite number >= 0, got ${r}`);
  if (!(maxPct >= 0)) throw new RangeError(`overbooking: maxOverbookingPct must be >= 0, got ${maxPct}`);
  const cap = capacity + Math.floor((capacity * maxPct) / 100 + 1e-9);
  const worthOneMore = (y: number) => r >= c * q * binomialTailAtLeast(y, q, capacity);
  let y = capacity;
  while (y < cap && worthOneMore(y)) y++;
  const capped = y === cap && cap > 0 && worthOneMore(y);
  let expectedDenied = 0;
  if (y > capacity) {
    let pmf = binomialPmf(y, q, capacity + 1);
    for (let k = capacity + 1; k <= y; k++) {
      expectedDenied += (k - capacity) * pmf;
      pmf *= ((y - k) / (k + 1)) * (q / (1 - q));
    }
  }
  return { authorised: y, overbooked: y - capacity, deniedProbability: binomialTailAtLeast(y, q, capacity + 1), expectedDenied, capped };
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error about 1e-15). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  x -= 1;
  let a = c[0]!;
  const t = x + g + 0.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(Binomial(n, q) = k), exact up to rounding. */
export function binomialPmf(n: number, q: number, k: number): number {
  if (k < 0 || k > n) return 0;
  if (q >= 1) return k === n ? 1 : 0;
  if (q <= 0) return k === 0 ? 1 : 0;
  return Math.exp(lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1) + k * Math.log(q) + (n - k) * Math.log1p(-q));
}

/** P(Binomial(n, q) >= m), summing the pmf upward from m by its ratio recurrence. */
export function binomialTailAtLeast(n: number, q: number, m: number): number {
  if (m <= 0) return 1;
  if (m > n) return 0;
  if (q >= 1) return 1;
  let pmf = binomialPmf(n, q, m);
  let sum = 0;
  const odds = q / (1 - q);
  for (let k = m; k <= n; k++) {
    sum += pmf;
    pmf *= ((n - k) / (k + 1)) * odds;
  }
  return Math.min(1, sum);
}
