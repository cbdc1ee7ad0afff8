/**
 * Network (O&D) bid prices by the deterministic linear programme (Williamson 1992; Talluri & van
 * Ryzin 2004, §3.3), solved with HiGHS (the `highs` package, HiGHS compiled to WebAssembly):
 *
 *   maximise   Σ_i fare_i · x_i
 *   subject to Σ_{i uses leg l} x_i ≤ capacity_l    (one row per leg; its dual is the leg's bid price)
 *              0 ≤ x_i ≤ demand_i                    (one column per itinerary × fare class "product")
 *
 * The bid price of a leg is the dual value of its capacity row: the revenue one more seat on that leg
 * would add. A product (a local or a connecting fare) is open only when its fare is strictly above
 * the sum of the bid prices of the legs it uses.
 */
import highsLoader from 'highs';
import type { Highs } from 'highs';

export interface NetworkLeg {
  /** the leg departure (flight id) */
  id: string;
  /** seats available (remaining or authorised capacity) */
  capacity: number;
}

export interface NetworkProduct {
  /** e.g. "BOS-LAX/Y3" */
  id: string;
  /** indices into `legs` of the legs this itinerary uses (each at most once) */
  legs: readonly number[];
  /** fare (net revenue of the itinerary), any one unit for the whole model */
  fare: number;
  /** expected demand to come */
  demand: number;
}

export interface NetworkLpInput {
  legs: readonly NetworkLeg[];
  products: readonly NetworkProduct[];
}

export interface NetworkLpResult {
  /** HiGHS model status, e.g. "Optimal" */
  status: string;
  /** optimal expected revenue of the LP */
  objective: number;
  /** per leg: its capacity row's dual, the bid price (>= 0) */
  bidPrices: Float64Array;
  /** per product: the LP's allocation */
  allocation: Float64Array;
  /** per product: fare strictly above the sum of its legs' bid prices */
  open: boolean[];
  /** solve time in milliseconds */
  ms: number;
}

let loading: Promise<Highs> | undefined;

/** Loads (once per thread) the HiGHS WebAssembly solver. */
export function loadLpSolver(): Promise<Highs> {
  loading ??= highsLoader();
  return loading;
}

/** Tolerance on "strictly above": a fare within this of the bid-price sum counts as equal. */
const OPEN_EPS = 1e-7;

/** A product is open only when its fare is strictly above the sum of its legs' bid prices. */
export function isOpen(fare: number, legs: readonly number[], bidPrices: ArrayLike<number>): boolean {
  let sum = 0;
  for (const l of legs) sum += bidPrices[l]!;
  return fare > sum + OPEN_EPS * Math.max(1, Math.abs(sum));
}

function validate(input: NetworkLpInput): void {
  input.legs.forEach((l, i) => {
    if (!(l.capacity >= 0) || !Number.isFinite(l.capacity)) throw new RangeError(`network LP: leg ${i} (${l.id}) capacity must be a finite number >= 0, got ${l.capacity}`);
  });
  input.products.forEach((p, i) => {
    if (!(p.fare >= 0) || !Number.isFinite(p.fare)) throw new RangeError(`network LP: product ${i} (${p.id}) fare must be a finite number >= 0, got ${p.fare}`);
    if (!(p.demand >= 0) || !Number.isFinite(p.demand)) throw new RangeError(`network LP: product ${i} (${p.id}) demand must be a finite number >= 0, got ${p.demand}`);
    if (p.legs.length === 0) throw new RangeError(`network LP: product ${i} (${p.id}) uses no leg`);
    const seen = new Set<number>();
    for (const l of p.legs) {
      if (!Number.isInteger(l) || l < 0 || l >= input.legs.length) throw new RangeError(`network LP: product ${i} (${p.id}) names leg index ${l}, outside 0..${input.legs.length - 1}`);
      if (seen.has(l)) throw new RangeError(`network LP: product ${i} (${p.id}) uses leg ${l} twice`);
      seen.add(l);
    }
  });
}

/** Solves the network LP with an already loaded solver (synchronous). */
export function solveNetworkLp(highs: Highs, input: NetworkLpInput): NetworkLpResult {
  validate(input);
  const t0 = performance.now();
  const m = input.legs.length;
  const n = input.products.length;
  let nnz = 0;
  for (const p of input.products) nnz += p.legs.length;
  const starts = new Int32Array(n + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz).fill(1);
  const cost = new Float64Array(n);
  const upper = new Float64Array(n);
  let k = 0;
  input.products.forEach((p, i) => {
    starts[i] = k;
    const sorted = [...p.legs].sort((a, b) => a - b);
    for (const l of sorted) indices[k++] = l;
    cost[i] = p.fare;
    upper[i] = p.demand;
  });
  starts[n] = k;
  const out = highs.raw.lpCall({
    numCols: n,
    numRows: m,
    sense: highs.constants.objectiveSense.maximize,
    colCost: cost,
    colLower: new Float64Array(n),
    colUpper: upper,
    rowLower: new Float64Array(m).fill(-highs.infinity),
    rowUpper: Float64Array.from(input.legs, (l) => l.capacity),
    matrix: { format: 'csc', numRows: m, numCols: n, starts, indices, values },
  });
  if (out.status === -1) throw new Error(`network LP: HiGHS failed to solve the model (${m} legs, ${n} products); check capacities and demands`);
  const { modelStatus, solution } = out.value;
  const status = modelStatusName(highs, modelStatus);
  if (status !== 'Optimal') throw new Error(`network LP: HiGHS ended with status ${status} (${m} legs, ${n} products)`);
  // for a maximisation HiGHS reports a "≤" row's dual as the objective's gain per unit of right-hand
  // side (>= 0): the bid price; solver noise around 0 is cleared
  const bidPrices = Float64Array.from(solution.rowDual, (d) => (d < 1e-9 ? 0 : d));
  const allocation = Float64Array.from(solution.colValue);
  let objective = 0;
  for (let i = 0; i < n; i++) objective += cost[i]! * allocation[i]!;
  const open = input.products.map((p) => isOpen(p.fare, p.legs, bidPrices));
  return { status, objective, bidPrices, allocation, open, ms: performance.now() - t0 };
}

function modelStatusName(highs: Highs, code: number): string {
  for (const [name, value] of Object.entries(highs.constants.modelStatus)) if (value === code) return name === 'optimal' ? 'Optimal' : name;
  return `status ${code}`;
}

/** Loads the solver if needed and solves the network LP. */
export async function networkBidPrices(input: NetworkLpInput): Promise<NetworkLpResult> {
  return solveNetworkLp(await loadLpSolver(), input);
}
