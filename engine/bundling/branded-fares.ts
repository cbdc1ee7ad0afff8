/**
 * Branded fares (Light / Classic / Flex): the price step of each brand over the base brand, chosen on a
 * price grid to maximise expected revenue per passenger (fare + brand steps + à-la-carte sales, i.e. the
 * baseline plus the steps minus the à-la-carte sales the brands cannibalise), under the rules:
 *   1. a bundle costs less than its parts bought separately: step_b ≤ Σ à-la-carte prices of what brand b
 *      adds over the base brand − minBundleDiscountMinor;
 *   2. brands are ordered: step_b ≥ step_{b−1} (so Flex ≥ Classic ≥ Light);
 *   3. the step between consecutive brands stays within [minStep, maxStep] (absolute, and optionally as a
 *      fraction of the fare: the tighter bound applies).
 *
 * The optimiser is an exact branch and bound over the grid: a box of grid points is discarded when an
 * upper bound of the revenue over the box (each brand's choice probability is largest at its own lowest
 * and the others' highest steps; revenue per brand largest at its own highest step; the best mixture of
 * these bounds) is below the best point found. It returns what a brute-force search over the same grid
 * returns, ties going to the lexicographically lowest steps (tests check this on random instances).
 *
 * Each brand price explains itself: fare, the à-la-carte price of each item the brand adds, the
 * revenue-optimal discount with no rule applied, then the change each rule forced, in order. The optimum
 * is recomputed with the rules added one by one, so each rule's component is exactly what it cost.
 */
import { formatMoney, type CurrencyCode } from '../domain/money';
import type { AncillaryCode } from './catalogue';
import { buildChoiceTables, choiceOutcome, effectiveIncludes, expectedRevenue, type ChoiceOutcome, type ChoiceProblem, type ChoiceTables } from './choice';
import { assertExplains, type PriceComponent } from './explanation';

export interface BrandRules {
  /** a bundle is at least this much below its parts (1 = strictly less) */
  minBundleDiscountMinor: number;
  minStepMinor: number;
  maxStepMinor: number;
  /** optional bounds on the step as a fraction of the fare (e.g. 0.05 and 0.8) */
  minStepFractionOfFare?: number;
  maxStepFractionOfFare?: number;
}

export const DEFAULT_BRAND_RULES: BrandRules = { minBundleDiscountMinor: 1, minStepMinor: 500, maxStepMinor: 20_000 };

export interface PriceGrid {
  /** grid spacing in minor units (the market's price-point step, e.g. 100 for whole units) */
  stepMinor: number;
  /** the grid of brand b runs from 0 to maxFactor × (its parts' à-la-carte total), at least one step */
  maxFactor: number;
}

export const DEFAULT_PRICE_GRID: PriceGrid = { stepMinor: 100, maxFactor: 1.5 };

export interface BrandedFareInput extends ChoiceProblem {
  rules: BrandRules;
  grid: PriceGrid;
  /** display names of items, for the explanation */
  itemNames?: Partial<Record<AncillaryCode, string>>;
}

/** Rule levels, added one at a time: 0 none, 1 bundle below parts, 2 + brand order, 3 + step bounds. */
export type RuleLevel = 0 | 1 | 2 | 3;

export interface GridSolution {
  /** steps over the base brand, minor units, one per brand (index 0 is 0) */
  uplifts: number[];
  revenuePerPax: number;
  /** points whose revenue was evaluated */
  evaluated: number;
}

export interface BrandPrice {
  code: string;
  name: string;
  includes: AncillaryCode[];
  currency: CurrencyCode;
  priceMinor: number;
  upliftMinor: number;
  /** sum of the à-la-carte prices of what it adds over the base brand */
  partsMinor: number;
  share: number;
  components: PriceComponent[];
}

export interface BrandedFareResult {
  currency: CurrencyCode;
  fareMinor: number;
  brands: BrandPrice[];
  outcome: ChoiceOutcome;
  /** the optimum with the rules added one by one (index = RuleLevel) */
  byRuleLevel: GridSolution[];
  gridPoints: number;
  evaluated: number;
}

interface Space {
  t: ChoiceTables;
  /** non-base brands */
  d: number;
  step: number;
  /** max grid index per non-base brand */
  top: number[];
  /** parts cap per non-base brand (minor units) */
  cap: number[];
  dmin: number;
  dmax: number;
}

/** À-la-carte total of the items brand b names beyond what the base brand includes or covers. */
export function partsMinor(p: ChoiceProblem, b: number): number {
  const base = effectiveIncludes(p.brands[0]!, p.covers);
  let s = 0;
  for (const i of p.brands[b]!.includes) if (!base.has(i)) s += p.alaCarteMinor[i] ?? 0;
  return s;
}

function stepBounds(p: ChoiceProblem, r: BrandRules): { dmin: number; dmax: number } {
  let dmin = r.minStepMinor;
  let dmax = r.maxStepMinor;
  if (r.minStepFractionOfFare !== undefined) dmin = Math.max(dmin, Math.ceil(r.minStepFractionOfFare * p.fareMinor));
  if (r.maxStepFractionOfFare !== undefined) dmax = Math.min(dmax, Math.floor(r.maxStepFractionOfFare * p.fareMinor));
  return { dmin, dmax };
}

function makeSpace(input: BrandedFareInput, t?: ChoiceTables): Space {
  const { grid, rules } = input;
  if (!Number.isSafeInteger(grid.stepMinor) || grid.stepMinor <= 0) throw new Error(`grid.stepMinor must be a positive integer, got ${grid.stepMinor}`);
  if (!(grid.maxFactor > 0)) throw new Error(`grid.maxFactor must be positive, got ${grid.maxFactor}`);
  if (!(rules.minBundleDiscountMinor >= 0)) throw new Error(`rules.minBundleDiscountMinor must be non-negative, got ${rules.minBundleDiscountMinor}`);
  const tables = t ?? buildChoiceTables(input);
  const d = input.brands.length - 1;
  const top: number[] = []; const cap: number[] = [];
  for (let b = 1; b <= d; b++) {
    const parts = partsMinor(input, b);
    cap.push(parts - rules.minBundleDiscountMinor);
    top.push(Math.max(1, Math.ceil((grid.maxFactor * parts) / grid.stepMinor)));
  }
  const { dmin, dmax } = stepBounds(input, rules);
  if (dmin > dmax) throw new Error(`rules: the minimum step between brands (${dmin}) exceeds the maximum (${dmax}) for a fare of ${input.fareMinor} ${input.currency}`);
  return { t: tables, d, step: grid.stepMinor, top, cap, dmin, dmax };
}

function pointFeasible(s: Space, idx: ArrayLike<number>, level: RuleLevel): boolean {
  let prev = 0;
  for (let j = 0; j < s.d; j++) {
    const u = idx[j]! * s.step;
    if (level >= 1 && u > s.cap[j]!) return false;
    if (level >= 2 && u < prev) return false;
    if (level >= 3 && (u - prev < s.dmin || u - prev > s.dmax)) return false;
    prev = u;
  }
  return true;
}

function boxMayBeFeasible(s: Space, lo: ArrayLike<number>, hi: ArrayLike<number>, level: RuleLevel): boolean {
  for (let j = 0; j < s.d; j++) {
    const uLo = lo[j]! * s.step; const uHi = hi[j]! * s.step;
    const pLo = j === 0 ? 0 : lo[j - 1]! * s.step; const pHi = j === 0 ? 0 : hi[j - 1]! * s.step;
    if (level >= 1 && uLo > s.cap[j]!) return false;
    if (level >= 2 && uHi < pLo) return false;
    if (level >= 3 && (uHi - pLo < s.dmin || uLo - pHi > s.dmax)) return false;
  }
  return true;
}

function upliftsOf(s: Space, idx: ArrayLike<number>): Float64Array {
  const u = new Float64Array(s.d + 1);
  for (let j = 0; j < s.d; j++) u[j + 1] = idx[j]! * s.step;
  return u;
}

/** Upper bound of the expected revenue over a box of grid points (see the module comment). */
function makeUpperBound(s: Space): (lo: ArrayLike<number>, hi: ArrayLike<number>) => number {
  const { t } = s;
  const K = t.K;
  const uLo = new Float64Array(K); const uHi = new Float64Array(K);
  const vMax = new Float64Array(K); const vMin = new Float64Array(K);
  const prMax = new Float64Array(K); const rMax = new Float64Array(K);
  const order = new Int32Array(K);
  return (lo, hi) => {
    for (let j = 0; j < s.d; j++) { uLo[j + 1] = lo[j]! * s.step; uHi[j + 1] = hi[j]! * s.step; }
    let total = 0;
    for (let g = 0; g < t.G; g++) {
      for (let b = 0; b < K; b++) {
        vMax[b] = (t.utility[g * K + b]! - uLo[b]!) / t.lambda;
        vMin[b] = (t.utility[g * K + b]! - uHi[b]!) / t.lambda;
        rMax[b] = uHi[b]! + t.alaCarte[g * K + b]!;
      }
      for (let b = 0; b < K; b++) {
        let den = 1;
        for (let c = 0; c < K; c++) if (c !== b) den += Math.exp(vMin[c]! - vMax[b]!);
        prMax[b] = 1 / den;
        // insertion sort of the brands by their highest revenue, descending
        let i = b;
        while (i > 0 && rMax[order[i - 1]!]! < rMax[b]!) { order[i] = order[i - 1]!; i--; }
        order[i] = b;
      }
      let rem = 1; let ub = 0;
      for (let i = 0; i < K && rem > 0; i++) {
        const b = order[i]!;
        const take = Math.min(prMax[b]!, rem);
        ub += take * rMax[b]!;
        rem -= take;
      }
      total += t.weights[g]! * (t.fare + ub);
    }
    return total;
  };
}

function better(r1: number, u1: ArrayLike<number>, r2: number, u2: ArrayLike<number>): boolean {
  if (r1 !== r2) return r1 > r2;
  for (let i = 0; i < u1.length; i++) if (u1[i] !== u2[i]) return u1[i]! < u2[i]!;
  return false;
}

function infeasible(level: RuleLevel, s: Space, input: BrandedFareInput): Error {
  const names = ['the price grid', 'bundle below its parts', 'brand order', 'step bounds'];
  const parts = s.cap.map((c, j) => `${input.brands[j + 1]!.code} parts ${c + input.rules.minBundleDiscountMinor}`).join(', ');
  return new Error(
    `no brand prices satisfy the rules up to "${names[level]}" for a fare of ${input.fareMinor} ${input.currency}: ` +
    `steps must lie in [${s.dmin}, ${s.dmax}] minor units and each bundle below its parts (${parts}). ` +
    'Widen the step bounds, lower the minimum bundle discount or add items to the higher brands.');
}

/** Exact branch and bound over the grid at one rule level. */
export function solveBranchAndBound(input: BrandedFareInput, level: RuleLevel, tables?: ChoiceTables): GridSolution {
  const s = makeSpace(input, tables);
  let bestR = -Infinity;
  let bestIdx: Int32Array | undefined;
  let bestU: Float64Array | undefined;
  let evaluated = 0;
  const consider = (idx: Int32Array) => {
    if (!pointFeasible(s, idx, level)) return;
    const u = upliftsOf(s, idx);
    const r = expectedRevenue(s.t, u);
    evaluated++;
    if (bestU === undefined || better(r, u, bestR, bestU)) { bestR = r; bestIdx = idx; bestU = u; }
  };
  const upperBound = makeUpperBound(s);
  const stack: [Int32Array, Int32Array][] = [[new Int32Array(s.d), Int32Array.from(s.top)]];
  while (stack.length > 0) {
    const [lo, hi] = stack.pop()!;
    if (!boxMayBeFeasible(s, lo, hi, level)) continue;
    if (bestU !== undefined) {
      const ub = upperBound(lo, hi);
      if (ub < bestR - 1e-9 * Math.max(1, Math.abs(bestR))) continue;
    }
    let widest = -1; let width = 0;
    for (let j = 0; j < s.d; j++) if (hi[j]! - lo[j]! > width) { width = hi[j]! - lo[j]!; widest = j; }
    if (widest < 0) { consider(lo); continue; }
    const mid = Int32Array.from(lo, (l, j) => (l + hi[j]!) >> 1);
    consider(mid);
    const m = mid[widest]!;
    const aHi = Int32Array.from(hi); aHi[widest] = m;
    const bLo = Int32Array.from(lo); bLo[widest] = m + 1;
    stack.push([bLo, hi], [lo, aHi]);
  }
  if (!bestIdx || !bestU) throw infeasible(level, s, input);
  return { uplifts: Array.from(bestU), revenuePerPax: bestR, evaluated };
}

/** Every grid point, for tests and for checking the optimiser on small instances. */
export function solveBruteForce(input: BrandedFareInput, level: RuleLevel, tables?: ChoiceTables): GridSolution {
  const s = makeSpace(input, tables);
  const idx = new Int32Array(s.d);
  let bestR = -Infinity;
  let bestU: Float64Array | undefined;
  let evaluated = 0;
  for (;;) {
    if (pointFeasible(s, idx, level)) {
      const u = upliftsOf(s, idx);
      const r = expectedRevenue(s.t, u);
      evaluated++;
      if (bestU === undefined || better(r, u, bestR, bestU)) { bestR = r; bestU = u; }
    }
    let j = 0;
    while (j < s.d && idx[j] === s.top[j]) { idx[j] = 0; j++; }
    if (j === s.d) break;
    idx[j]!++;
  }
  if (!bestU) throw infeasible(level, s, input);
  return { uplifts: Array.from(bestU), revenuePerPax: bestR, evaluated };
}

function money(input: BrandedFareInput, minor: number): string {
  return formatMoney({ amountMinor: minor, currency: input.currency });
}

/** Optimises the brand prices and explains each one. */
export function optimiseBrandedFares(input: BrandedFareInput): BrandedFareResult {
  const tables = buildChoiceTables(input);
  const space = makeSpace(input, tables);
  // the optimum over a larger set that meets the next rule is that rule's optimum too (same tie-break)
  const levels: GridSolution[] = [solveBranchAndBound(input, 0, tables)];
  for (const l of [1, 2, 3] as RuleLevel[]) {
    const prev = levels[l - 1]!;
    const idx = prev.uplifts.slice(1).map((u) => u / space.step);
    levels.push(pointFeasible(space, idx, l) ? { ...prev, evaluated: 0 } : solveBranchAndBound(input, l, tables));
  }
  const final = levels[3]!;
  const outcome = choiceOutcome(tables, final.uplifts);
  const base = effectiveIncludes(input.brands[0]!, input.covers);
  const name = (c: AncillaryCode) => input.itemNames?.[c] ?? c;
  const { dmin, dmax } = stepBounds(input, input.rules);
  const ruleKeys = ['rule:bundle_below_parts', 'rule:brand_order', 'rule:step_bounds'];
  const ruleLabels = ['Rule: a bundle costs less than its parts', 'Rule: brands ordered (each at least the previous)', `Rule: step between brands within [${money(input, dmin)}, ${money(input, dmax)}]`];
  const brands: BrandPrice[] = input.brands.map((brand, b) => {
    const components: PriceComponent[] = [{ key: 'fare', label: `Fare of the ${input.brands[0]!.name} brand (pricing engine)`, amountMinor: input.fareMinor }];
    const parts = b === 0 ? 0 : partsMinor(input, b);
    if (b > 0) {
      for (const i of brand.includes) {
        if (base.has(i)) continue;
        const p = input.alaCarteMinor[i];
        components.push({ key: `included:${i}`, label: p === undefined ? `${name(i)}: not sold separately in this market` : `${name(i)} at its à-la-carte price`, amountMinor: p ?? 0 });
      }
      const u = levels.map((l) => l.uplifts[b]!);
      const disc = u[0]! - parts;
      components.push({ key: 'bundle_discount', label: disc <= 0 ? `Revenue-optimal bundle discount (${money(input, -disc)} below its parts, before rules)` : `Revenue-optimal bundle premium (${money(input, disc)} above its parts, before rules)`, amountMinor: disc });
      for (let r = 1; r <= 3; r++) {
        const delta = u[r]! - u[r - 1]!;
        components.push({ key: ruleKeys[r - 1]!, label: delta === 0 ? `${ruleLabels[r - 1]} (not binding)` : ruleLabels[r - 1]!, amountMinor: delta });
      }
    }
    const priceMinor = input.fareMinor + final.uplifts[b]!;
    const bp: BrandPrice = {
      code: brand.code, name: brand.name, includes: [...brand.includes], currency: input.currency,
      priceMinor, upliftMinor: final.uplifts[b]!, partsMinor: parts, share: outcome.shares[b]!, components,
    };
    assertExplains({ amountMinor: priceMinor, currency: input.currency, components }, `brand ${brand.code}`);
    return bp;
  });
  return {
    currency: input.currency, fareMinor: input.fareMinor, brands, outcome, byRuleLevel: levels,
    gridPoints: space.top.reduce((n, t) => n * (t + 1), 1), evaluated: levels.reduce((n, l) => n + l.evaluated, 0),
  };
}

/** The standard three brands. */
export const DEFAULT_BRANDS = [
  { code: 'LIGHT', name: 'Light', includes: [] as AncillaryCode[] },
  { code: 'CLASSIC', name: 'Classic', includes: ['BAG1', 'SEAT_STD', 'FLEX_CHG'] as AncillaryCode[] },
  // SEAT_XL covers the standard seat selection Classic includes
  { code: 'FLEX', name: 'Flex', includes: ['BAG1', 'FLEX_CHG', 'SEAT_XL', 'PRIO', 'MEAL', 'FLEX_REF'] as AncillaryCode[] },
];
