/**
 * Overbooking: how many seats to authorise above physical capacity (Talluri & van Ryzin 2004, §4.2,
 * the static risk model). Each booking held at departure shows up independently with probability q
 * (from the cancellation and no-show forecasts); with y bookings the shows are Binomial(y, q). One more
 * booking earns the marginal fare r and, if it shows when the others already fill the cabin, costs the
 * denied-boarding cost c. So booking y + 1 is worth taking while
 *     r ≥ c · q · P(Binomial(y, q) ≥ C),
 * and the authorised capacity is the first y at which it is not, capped by a maximum overbooking
 * percentage. Binomial probabilities are computed exactly by convolution (no approximation).
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
  // dist[k] = P(k shows among y bookings), grown one booking at a time
  let dist = new Float64Array(cap + 2);
  dist[0] = 1;
  let y = 0;
  const grow = () => {
    const next = new Float64Array(cap + 2);
    for (let k = 0; k <= y; k++) {
      const p = dist[k]!;
      if (p === 0) continue;
      next[k] += p * (1 - q);
      next[k + 1] += p * q;
    }
    dist = next;
    y++;
  };
  const tailAtLeast = (m: number) => { let s = 0; for (let k = m; k <= y; k++) s += dist[k]!; return s; };
  while (y < capacity) grow();
  const worthOneMore = () => r >= c * q * tailAtLeast(capacity);
  while (y < cap && worthOneMore()) grow();
  const capped = y === cap && cap > 0 && worthOneMore();
  let expectedDenied = 0;
  for (let k = capacity + 1; k <= y; k++) expectedDenied += (k - capacity) * dist[k]!;
  return { authorised: y, overbooked: y - capacity, deniedProbability: tailAtLeast(capacity + 1), expectedDenied, capped };
}
