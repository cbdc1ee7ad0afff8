/**
 * Which brand a passenger takes, given the brand prices and the à-la-carte prices.
 *
 * A passenger of segment g values item i at a random WTP W ~ Logistic(μ_gi, s_gi) (from the estimation).
 * - An item included in the brand is worth E[max(W, 0)] = s·softplus(μ/s) (free disposal).
 * - An item not included can be bought à la carte at price p: it is bought when W > p, with probability
 *   sigmoid((μ − p)/s), and is worth the expected surplus E[max(W − p, 0)] = s·softplus((μ − p)/s).
 * The brand's utility is the value of what it includes plus the surplus of what can be added, minus its
 * price step over the base brand; passengers choose by multinomial logit with scale λ (`choiceScaleMinor`,
 * minor units): P(b) ∝ exp(V_b / λ). The choice is conditional on flying: whether to fly at all is the fare
 * pricing engine's question, and the base brand's price is its fare.
 *
 * Expected revenue per passenger = fare + E[brand step] + E[à-la-carte sales]. Against the baseline where
 * everyone takes the base brand and buys à la carte, the brands earn their steps and cannibalise part of
 * the à-la-carte sales; the breakdown reports both.
 */
import type { CurrencyCode } from '../domain/money';
import type { AncillaryCode } from './catalogue';
import { sigmoid, softplus } from './stats';

export interface LogisticWtp {
  meanMinor: number;
  scaleMinor: number;
}

export interface ChoiceSegment {
  id: string;
  /** relative weight (passenger share); normalised internally */
  weight: number;
  /** WTP per passenger for the whole journey, by item; items absent are worth nothing to this segment */
  wtp: Partial<Record<AncillaryCode, LogisticWtp>>;
}

export interface BrandDefinition {
  code: string;
  name: string;
  includes: AncillaryCode[];
}

export interface ChoiceProblem {
  currency: CurrencyCode;
  /** the base brand's price: the fare from the pricing engine, per passenger */
  fareMinor: number;
  /** ordered from the base brand (Light) up; each includes everything the previous one does, and more */
  brands: BrandDefinition[];
  /** à-la-carte price per passenger for the journey, by item; items absent are not sold separately here */
  alaCarteMinor: Partial<Record<AncillaryCode, number>>;
  /** items made redundant by holding another (SEAT_XL covers SEAT_STD) */
  covers: Partial<Record<AncillaryCode, AncillaryCode[]>>;
  segments: ChoiceSegment[];
  /** multinomial-logit scale λ in minor units: smaller means passengers follow value more strictly */
  choiceScaleMinor: number;
}

/** Precomputed per segment × brand: utility before the price step, and à-la-carte revenue. */
export interface ChoiceTables {
  weights: Float64Array;
  /** [g * K + b] */
  utility: Float64Array;
  alaCarte: Float64Array;
  K: number;
  G: number;
  fare: number;
  lambda: number;
}

export function effectiveIncludes(brand: BrandDefinition, covers: ChoiceProblem['covers']): Set<AncillaryCode> {
  const s = new Set<AncillaryCode>(brand.includes);
  for (const i of brand.includes) for (const c of covers[i] ?? []) s.add(c);
  return s;
}

export function validateChoiceProblem(p: ChoiceProblem): void {
  if (p.brands.length < 2) throw new Error(`brands: need at least two brands (a base brand and one bundle), got ${p.brands.length}`);
  for (let b = 1; b < p.brands.length; b++) {
    const prev = effectiveIncludes(p.brands[b - 1]!, p.covers);
    const cur = effectiveIncludes(p.brands[b]!, p.covers);
    for (const i of prev) if (!cur.has(i)) throw new Error(`brands[${b}] (${p.brands[b]!.code}) must include (or cover) everything ${p.brands[b - 1]!.code} includes; ${i} is missing`);
    if (cur.size <= prev.size) throw new Error(`brands[${b}] (${p.brands[b]!.code}) must include more than ${p.brands[b - 1]!.code}`);
  }
  if (!(p.choiceScaleMinor > 0)) throw new Error(`choiceScaleMinor must be positive, got ${p.choiceScaleMinor}`);
  if (!Number.isSafeInteger(p.fareMinor) || p.fareMinor < 0) throw new Error(`fareMinor must be a non-negative integer, got ${p.fareMinor}`);
  for (const [code, v] of Object.entries(p.alaCarteMinor)) {
    if (!Number.isSafeInteger(v) || (v as number) < 0) throw new Error(`alaCarteMinor.${code} must be a non-negative integer, got ${v}`);
  }
  const w = p.segments.reduce((s, g) => s + g.weight, 0);
  if (!(w > 0)) throw new Error('segments: the total weight must be positive');
  for (const g of p.segments) {
    for (const [code, v] of Object.entries(g.wtp)) {
      if (!(v!.scaleMinor > 0) || !Number.isFinite(v!.meanMinor)) throw new Error(`segments[${g.id}].wtp.${code}: scale must be positive and mean finite`);
    }
  }
}

export function buildChoiceTables(p: ChoiceProblem): ChoiceTables {
  validateChoiceProblem(p);
  const K = p.brands.length;
  const G = p.segments.length;
  const totalW = p.segments.reduce((s, g) => s + g.weight, 0);
  const weights = new Float64Array(G);
  const utility = new Float64Array(G * K);
  const alaCarte = new Float64Array(G * K);
  const included = p.brands.map((b) => effectiveIncludes(b, p.covers));
  p.segments.forEach((g, gi) => {
    weights[gi] = g.weight / totalW;
    for (let b = 0; b < K; b++) {
      let u = 0; let a = 0;
      for (const [code, w] of Object.entries(g.wtp) as [AncillaryCode, LogisticWtp][]) {
        if (included[b]!.has(code)) { u += w.scaleMinor * softplus(w.meanMinor / w.scaleMinor); continue; }
        const price = p.alaCarteMinor[code];
        if (price === undefined) continue;
        const z = (w.meanMinor - price) / w.scaleMinor;
        u += w.scaleMinor * softplus(z);
        a += sigmoid(z) * price;
      }
      utility[gi * K + b] = u;
      alaCarte[gi * K + b] = a;
    }
  });
  return { weights, utility, alaCarte, K, G, fare: p.fareMinor, lambda: p.choiceScaleMinor };
}

/** Expected revenue per passenger for price steps `uplifts` (uplifts[0] is the base brand's, normally 0). */
export function expectedRevenue(t: ChoiceTables, uplifts: ArrayLike<number>): number {
  const { K, G, lambda } = t;
  const v = new Float64Array(K);
  let total = 0;
  for (let g = 0; g < G; g++) {
    let vmax = -Infinity;
    for (let b = 0; b < K; b++) { v[b] = (t.utility[g * K + b]! - uplifts[b]!) / lambda; if (v[b]! > vmax) vmax = v[b]!; }
    let den = 0; let num = 0;
    for (let b = 0; b < K; b++) {
      const e = Math.exp(v[b]! - vmax);
      den += e;
      num += e * (uplifts[b]! + t.alaCarte[g * K + b]!);
    }
    total += t.weights[g]! * (t.fare + num / den);
  }
  return total;
}

export interface ChoiceOutcome {
  /** per brand, the expected share of passengers */
  shares: number[];
  revenuePerPax: number;
  /** revenue per passenger if everyone took the base brand and bought à la carte */
  baselinePerPax: number;
  brandStepPerPax: number;
  alaCartePerPax: number;
  baselineAlaCartePerPax: number;
  /** à-la-carte sales the brands take away (baseline − with brands) */
  cannibalisedPerPax: number;
  /** revenuePerPax − baselinePerPax = brandStepPerPax − cannibalisedPerPax */
  incrementalPerPax: number;
}

export function choiceOutcome(t: ChoiceTables, uplifts: ArrayLike<number>): ChoiceOutcome {
  const { K, G, lambda } = t;
  const shares = new Array<number>(K).fill(0);
  let step = 0; let alc = 0; let base = 0;
  const v = new Float64Array(K);
  for (let g = 0; g < G; g++) {
    let vmax = -Infinity;
    for (let b = 0; b < K; b++) { v[b] = (t.utility[g * K + b]! - uplifts[b]!) / lambda; if (v[b]! > vmax) vmax = v[b]!; }
    let den = 0;
    for (let b = 0; b < K; b++) { v[b] = Math.exp(v[b]! - vmax); den += v[b]!; }
    const w = t.weights[g]!;
    for (let b = 0; b < K; b++) {
      const pr = v[b]! / den;
      shares[b]! += w * pr;
      step += w * pr * uplifts[b]!;
      alc += w * pr * t.alaCarte[g * K + b]!;
    }
    base += w * t.alaCarte[g * K]!;
  }
  const revenuePerPax = t.fare + step + alc;
  const baselinePerPax = t.fare + base;
  return {
    shares, revenuePerPax, baselinePerPax, brandStepPerPax: step, alaCartePerPax: alc, baselineAlaCartePerPax: base,
    cannibalisedPerPax: base - alc, incrementalPerPax: revenuePerPax - baselinePerPax,
  };
}
