/**
 * The cabin policy by dynamic programming over remaining seats and days to departure, for hybrid
 * demand (price-oriented and product-oriented passengers): an extension of the leg DP of
 * engine/optimisation/dp.ts (Lee & Hersh 1993) to buy-down, as in Talluri & van Ryzin's choice-based
 * DP (2004) with the hybrid demand model of Fiig et al. (2010).
 *
 * The horizon is cut into days (days before departure, DBD) and each day into steps short enough for
 * at most one request per step. In a step of period k, with classes 0..j open (j the lowest open,
 * nested), a price-oriented request arrives with probability q_k and buys class j with the sell-up
 * probability P_kj; a product-oriented request for class i arrives with probability y_ki and buys it
 * when i ≤ j. With Δ(x) = V_{s+1}(x) − V_{s+1}(x − 1), the value of the x-th seat,
 *
 *   V_s(x) = V_{s+1}(x) + max(0, max_j [ q_k·P_kj·(v_j − Δ(x)) + Σ_{i ≤ j} y_ki·(v_i − Δ(x)) ])
 *
 * where v_j is the revenue a seat sold in class j earns. The argmax is the lowest class to keep open
 * with x seats left; it is recorded at the start of each day with Δ, the bid price. Since the choice
 * already accounts for buy-down, this is the DP form of the marginal-revenue fare transformation.
 */

export interface CabinPolicy {
  capacity: number;
  /** days before departure covered: 0..horizon */
  horizon: number;
  /** lowest open class (index into the cabin's classes; −1 all closed) at the start of day dbd with x seats left: [dbd · (capacity + 1) + x] */
  lowestOpen: Int8Array;
  /** the value of the x-th seat at the start of day dbd, [dbd · (capacity + 1) + x] (x = 0: +Infinity) */
  bid: Float32Array;
  /** expected revenue to come with the whole cabin free at the sale opening */
  value: number;
}

export interface CabinDemand {
  /** classes in the cabin, highest first */
  n: number;
  periods: number;
  /** price-oriented requests per period */
  q: ArrayLike<number>;
  /** sell-up probability per period and class, [k · n + j] */
  sellUp: ArrayLike<number>;
  /** product-oriented requests per period and class, [k · n + j] */
  y: ArrayLike<number>;
  /** revenue per seat sold in each class */
  value: ArrayLike<number>;
}

/**
 * Solves the cabin DP. `periodOfDbd[dbd]` gives the booking period of a day; the period's demand is
 * spread evenly over its days in [0, horizon].
 */
export function solveCabinPolicy(dem: CabinDemand, capacity: number, horizon: number, periodOfDbd: ArrayLike<number>, maxProbPerStep = 0.25): CabinPolicy {
  const { n, periods, q, sellUp, y, value } = dem;
  const C = capacity;
  const W = C + 1;
  const lowestOpen = new Int8Array((horizon + 1) * W).fill(-1);
  const bid = new Float32Array((horizon + 1) * W);
  // days per period within the horizon
  const daysIn = new Int32Array(periods);
  for (let d = 0; d <= horizon; d++) daysIn[periodOfDbd[d]!]++;
  let next = new Float64Array(W);
  let cur = new Float64Array(W);
  const qp = new Float64Array(n);
  const yy = new Float64Array(n);
  for (let dbd = 0; dbd <= horizon; dbd++) {
    const k = periodOfDbd[dbd]!;
    const share = 1 / Math.max(1, daysIn[k]!);
    let total = q[k]! * share;
    for (let j = 0; j < n; j++) total += y[k * n + j]! * share;
    const steps = Math.max(1, Math.ceil(total / maxProbPerStep));
    const f = share / steps;
    for (let j = 0; j < n; j++) { qp[j] = q[k]! * sellUp[k * n + j]! * f; yy[j] = y[k * n + j]! * f; }
    const row = dbd * W;
    for (let s = 0; s < steps; s++) {
      cur[0] = 0;
      const last = s === steps - 1;
      for (let x = 1; x <= C; x++) {
        const vx = next[x]!;
        const delta = vx - next[x - 1]!;
        let best = 0;
        let arg = -1;
        let acc = 0;
        for (let j = 0; j < n; j++) {
          const margin = value[j]! - delta;
          acc += yy[j]! * margin;
          const r = acc + qp[j]! * margin;
          // on a tie (no demand expected in class j) open it if it does not lose: unforecast demand is welcome
          if (r > best || (r === best && margin >= 0)) { best = r; arg = j; }
        }
        cur[x] = vx + best;
        if (last) { lowestOpen[row + x] = arg; bid[row + x] = delta; }
      }
      const t = next; next = cur; cur = t;
    }
    bid[row] = Infinity;
  }
  return { capacity: C, horizon, lowestOpen, bid, value: next[C]! };
}

/**
 * Nested authorisation levels from the policy at the start of day `dbd` for a cabin with `sold` seats
 * sold of `capacity` (into `out[j]` for the cabin's classes, highest first): class j sells while the
 * seats left stay at or above the smallest x at which the policy keeps it open.
 */
export function authorisationsInto(p: CabinPolicy, dbd: number, sold: number, n: number, out: Float64Array): void {
  const W = p.capacity + 1;
  const row = Math.min(dbd, p.horizon) * W;
  const x = Math.max(0, p.capacity - sold);
  for (let j = 0; j < n; j++) {
    // smallest x' ≤ x with the policy keeping class j open at every x'' in [x', x]
    let lo = x + 1;
    for (let xx = x; xx >= 1; xx--) {
      if (p.lowestOpen[row + xx]! >= j) lo = xx; else break;
    }
    out[j] = j === 0 && lo > x ? sold : sold + (x - lo + 1);
  }
  out[0] = Math.max(out[0]!, sold);
}
