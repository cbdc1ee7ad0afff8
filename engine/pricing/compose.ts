/**
 * The price of every RBD of one departure × cabin, as a sum of explained components.
 *
 * Each RBD has a reference fare R (its rung of the market's filed ladder) and a base fare B (the fare
 * filed now for this departure: the current value, R when no dynamic price was filed). Each input gives
 * a target price, and its component moves the price part of the way from B toward that target
 * (weight w), truncated toward zero to whole price steps:
 * - forecast: demand pressure ρ = demand to come / seats left; target R·ρ^(1/|ε₀|) (the clearing
 *   price under the market's reference elasticity ε₀, capped at ±maxSignalPct);
 * - protection: a class the protection levels close (no seat available to it) is priced up to the
 *   fare of the lowest class still open above it;
 * - bid price: never below the opportunity cost of the seat (the leg bid price, or the sum of the
 *   legs' bid prices for a connection), rounded up to a whole step;
 * - competitor: the strategy's target for our selling fare (the lowest open class), carried to every
 *   class in proportion to its reference fare so the ladder keeps its shape (capped);
 * - elasticity: the market's estimated elasticity, shrunk toward ε₀ by its precision: the revenue-
 *   optimal markup over opportunity cost scales with ε/(1 + ε), so the target is R·m(ε)/m(ε₀) (capped).
 * With the weights of forecast, competitor and elasticity summing to 1, the price lands on their
 * weighted target, and repeated cycles converge instead of drifting. Then the guardrails, in order,
 * each a component absorbing exactly what it changes:
 * price point (the base snapped to the market's price points), ladder rung (ladder-priced markets:
 * the nearest filed rung), max change per cycle (around the current fare; in ladder-priced markets the
 * band narrows to the rungs inside it), monotone ladder (a class is never dearer than the class above
 * it), floor, ceiling (the hard limits, last, so never violated; they may leave a filed rung).
 *
 * Since every signal depends on the fares (R, B) and its own input only, changing one input moves
 * only its own component; the guardrail components absorb whatever the limits require. The components
 * sum to the price exactly, in integer minor units, with no residual. Nothing about passengers enters:
 * prices depend on the product and the market only.
 */
import { roundToPricePoint } from '../domain/money';
import { shrinkElasticity } from './elasticity';
import { FARE_COMPONENT_ORDER, GUARDRAIL_COMPONENTS, type DetailValue, type FareComponent, type FareExplanation } from './types';

export interface PricePoints {
  /** minor units between price points (e.g. 100 = whole units) */
  step: number;
  /** the ending of every price point (e.g. 99 for x.99), in [0, step) */
  ending?: number;
}

export interface Guardrails {
  floorMinor?: number | null;
  ceilingMinor?: number | null;
  /** largest move per cycle, % of the current fare */
  maxChangePct?: number | null;
  pricePoints: PricePoints;
}

export interface PricingWeights {
  forecast: number;
  protection: number;
  bidPrice: number;
  competitor: number;
  elasticity: number;
}

export interface PricingParameters {
  /** the market's reference elasticity ε₀ (< −1) */
  referenceElasticity: number;
  /** prior sd used to shrink estimated elasticities toward ε₀ */
  elasticityPriorSd: number;
  /** cap of each relative signal (forecast, competitor, elasticity), in % */
  maxSignalPct: number;
  weights: PricingWeights;
}

export const DEFAULT_PRICING_PARAMETERS: PricingParameters = {
  referenceElasticity: -1.6,
  elasticityPriorSd: 0.4,
  maxSignalPct: 25,
  weights: { forecast: 0.4, protection: 1, bidPrice: 1, competitor: 0.3, elasticity: 0.3 },
};

export interface RbdPricingInput {
  rbd: string;
  /** the class's rung of the market's filed ladder, minor units */
  referenceMinor: number;
  /** the fare filed now for this departure (the current value), minor units */
  baseMinor: number;
  /** protection input: seats this class may still sell under the nested limits */
  availableSeats: number;
  /** bid-price input: opportunity cost of a seat for this fare, minor units */
  bidPriceMinor: number;
}

export interface ForecastSignal {
  /** demand to come for the cabin (mean, sd) */
  demandToCome: number;
  sd: number;
  /** seats left to sell (authorised capacity − bookings held) */
  remainingSeats: number;
  daysToDeparture: number;
  method: string;
  /** the analysts' demand influences in the forecast ("Strike −35 %; Fair +100 %"), when any */
  influence?: string | null;
}

export interface CompetitorSignal {
  /** the strategy's target for our selling fare, or null (no component) */
  targetMinor: number | null;
  /** our selling fare now (the lowest open class's base fare) */
  sellingMinor: number;
  /** the selling class's reference fare: every class moves to R·target/this */
  sellingReferenceMinor: number;
  strategy: string;
  minMinor?: number | null;
  q1Minor?: number | null;
  q3Minor?: number | null;
  competitors?: number;
  note?: string;
}

export interface ElasticitySignal {
  estimate: number;
  se: number;
  observations: number;
}

export interface CabinPricingInput {
  currency: string;
  mode: 'ladder' | 'continuous';
  /** the cabin's classes, highest first */
  rbds: readonly RbdPricingInput[];
  forecast: ForecastSignal;
  competitor: CompetitorSignal;
  elasticity: ElasticitySignal | null;
  params: PricingParameters;
  guardrails: Guardrails;
}

export interface RbdPrice {
  rbd: string;
  currentMinor: number;
  recommendedMinor: number;
  explanation: FareExplanation;
}

const clampAbs = (v: number, cap: number) => Math.max(-cap, Math.min(cap, v));
const truncStep = (v: number, step: number) => Math.trunc(v / step) * step || 0;
const ceilStep = (v: number, step: number) => Math.ceil(v / step - 1e-9) * step || 0;

/** The smallest price point >= v and the largest <= v. */
export function ceilPricePoint(v: number, pp: PricePoints): number {
  const e = pp.ending ?? 0;
  return Math.ceil((v - e) / pp.step - 1e-9) * pp.step + e;
}
export function floorPricePoint(v: number, pp: PricePoints): number {
  const e = pp.ending ?? 0;
  return Math.floor((v - e) / pp.step + 1e-9) * pp.step + e;
}

function checkInput(x: CabinPricingInput): void {
  const { step, ending = 0 } = x.guardrails.pricePoints;
  if (!Number.isInteger(step) || step <= 0) throw new RangeError(`pricing: price point step must be a whole number of minor units > 0, got ${step}`);
  if (!Number.isInteger(ending) || ending < 0 || ending >= step) throw new RangeError(`pricing: price point ending ${ending} must lie in [0, ${step})`);
  if (!(x.params.referenceElasticity < -1)) throw new RangeError(`pricing: reference elasticity must be < −1 (revenue-optimal prices exist only then), got ${x.params.referenceElasticity}`);
  x.rbds.forEach((r, i) => {
    if (!Number.isSafeInteger(r.baseMinor) || r.baseMinor <= 0) throw new RangeError(`pricing: ${r.rbd} (class ${i + 1}) base fare must be a whole number of minor units > 0, got ${r.baseMinor}`);
    if (!Number.isSafeInteger(r.referenceMinor) || r.referenceMinor <= 0) throw new RangeError(`pricing: ${r.rbd} (class ${i + 1}) reference fare must be a whole number of minor units > 0, got ${r.referenceMinor}`);
    if (!(r.bidPriceMinor >= 0)) throw new RangeError(`pricing: ${r.rbd} bid price must be >= 0, got ${r.bidPriceMinor}`);
  });
  const g = x.guardrails;
  if (g.floorMinor != null && g.ceilingMinor != null && ceilPricePoint(g.floorMinor, g.pricePoints) > floorPricePoint(g.ceilingMinor, g.pricePoints)) {
    throw new RangeError(`pricing: floor ${g.floorMinor} and ceiling ${g.ceilingMinor} ${x.currency} leave no price point between them; widen the market's guardrails`);
  }
  if (g.maxChangePct != null && !(g.maxChangePct >= 0)) throw new RangeError(`pricing: max change per cycle must be >= 0 %, got ${g.maxChangePct}`);
}

/** Prices every class of one departure × cabin (see module comment). */
export function priceCabin(x: CabinPricingInput): RbdPrice[] {
  checkInput(x);
  const { step } = x.guardrails.pricePoints;
  const pp = x.guardrails.pricePoints;
  const w = x.params.weights;
  const cap = x.params.maxSignalPct / 100;
  const e0 = x.params.referenceElasticity;
  // cabin-level target factors on the reference fare (each from its own input only)
  const f = x.forecast;
  const pressure = f.demandToCome / Math.max(f.remainingSeats, 0.5);
  const forecastFactor = 1 + clampAbs(Math.pow(pressure, 1 / Math.abs(e0)) - 1, cap);
  const c = x.competitor;
  const competitorFactor = c.targetMinor === null || !(c.sellingReferenceMinor > 0) ? null : 1 + clampAbs(c.targetMinor / c.sellingReferenceMinor - 1, cap);
  const shrunk = shrinkElasticity(x.elasticity ? { elasticity: x.elasticity.estimate, se: x.elasticity.se } : null, e0, x.params.elasticityPriorSd);
  const eUsed = Math.min(shrunk.elasticity, -1.1);
  const markup = (e: number) => e / (1 + e);
  const elasticityFactor = x.elasticity ? 1 + clampAbs(markup(eUsed) / markup(e0) - 1, cap) : null;
  const rungs = [...new Set(x.rbds.map((r) => roundToPricePoint(r.referenceMinor, step, pp.ending ?? 0)))].sort((a, b) => a - b);
  // the cabin-level details are shared (read-only) by the classes' components
  const forecastDetail = {
    demandToCome: round2(f.demandToCome), sd: round2(f.sd), remainingSeats: f.remainingSeats, pressure: round3(pressure),
    daysToDeparture: f.daysToDeparture, method: f.method, factor: round4(forecastFactor), weight: w.forecast,
    ...(f.influence ? { influence: f.influence } : {}),
  };
  const competitorDetail = {
    strategy: c.strategy, sellingTargetMinor: c.targetMinor, sellingMinor: c.sellingMinor, sellingReferenceMinor: c.sellingReferenceMinor,
    factor: competitorFactor === null ? null : round4(competitorFactor), minMinor: c.minMinor ?? null,
    q1Minor: c.q1Minor ?? null, q3Minor: c.q3Minor ?? null, competitors: c.competitors ?? 0, note: c.note ?? null, weight: w.competitor,
  };
  const elasticityDetail = {
    estimate: x.elasticity ? round3(x.elasticity.estimate) : null, se: x.elasticity ? round3(x.elasticity.se) : null,
    observations: x.elasticity?.observations ?? 0, used: round3(eUsed), reference: e0, shrinkWeight: round3(shrunk.weight),
    factor: elasticityFactor === null ? null : round4(elasticityFactor), weight: w.elasticity,
  };
  const pricePointDetail = { step, ending: pp.ending ?? 0 };
  const rungDetail = { mode: x.mode };

  const n = x.rbds.length;
  const comps: FareComponent[][] = [];
  const price: number[] = [];
  for (let j = 0; j < n; j++) {
    const r = x.rbds[j]!;
    const B = r.baseMinor;
    const R = r.referenceMinor;
    const list: FareComponent[] = [];
    list.push({ code: 'base', amountMinor: B, detail: { rbd: r.rbd, referenceMinor: R } });
    list.push({ code: 'forecast', amountMinor: truncStep(w.forecast * (R * forecastFactor - B), step), detail: forecastDetail });
    // protection: the lowest open class above this one, if this one is closed
    let protectionAmount = 0;
    let openAbove: string | null = null;
    if (r.availableSeats <= 0) {
      for (let i = j - 1; i >= 0; i--) {
        if (x.rbds[i]!.availableSeats > 0) { openAbove = x.rbds[i]!.rbd; protectionAmount = w.protection * Math.max(0, x.rbds[i]!.baseMinor - B); break; }
      }
    }
    list.push({ code: 'protection', amountMinor: truncStep(protectionAmount, step), detail: { availableSeats: r.availableSeats, closed: r.availableSeats <= 0, pricedAs: openAbove } });
    list.push({ code: 'bid_price', amountMinor: ceilStep(w.bidPrice * Math.max(0, r.bidPriceMinor - B), step), detail: { bidPriceMinor: Math.round(r.bidPriceMinor) } });
    list.push({ code: 'competitor', amountMinor: competitorFactor === null ? 0 : truncStep(w.competitor * (R * competitorFactor - B), step), detail: competitorDetail });
    list.push({ code: 'elasticity', amountMinor: elasticityFactor === null ? 0 : truncStep(w.elasticity * (R * elasticityFactor - B), step), detail: elasticityDetail });
    let p = list.reduce((a, k) => a + k.amountMinor, 0);
    const snapped = roundToPricePoint(p, step, pp.ending ?? 0);
    list.push({ code: 'price_point', amountMinor: snapped - p, detail: pricePointDetail });
    p = snapped;
    let rung = p;
    if (x.mode === 'ladder') {
      rung = rungs.reduce((best, v) => (Math.abs(v - p) < Math.abs(best - p) || (Math.abs(v - p) === Math.abs(best - p) && v > best) ? v : best), rungs[0]!);
    }
    list.push({ code: 'ladder_rung', amountMinor: rung - p, detail: rungDetail });
    p = rung;
    const mc = x.guardrails.maxChangePct;
    let lo = -Infinity;
    let hi = Infinity;
    if (mc != null) {
      lo = ceilPricePoint(B * (1 - mc / 100), pp);
      hi = floorPricePoint(B * (1 + mc / 100), pp);
      if (lo > hi) { lo = hi = roundToPricePoint(B, step, pp.ending ?? 0); }
      if (x.mode === 'ladder') {
        // stay on the filed rungs: the band shrinks to the rungs inside it (the current fare is one)
        const own = roundToPricePoint(B, step, pp.ending ?? 0);
        lo = Math.min(own, rungs.find((v) => v >= lo) ?? own);
        hi = Math.max(own, [...rungs].reverse().find((v) => v <= hi) ?? own);
      }
    }
    const bounded = Math.min(Math.max(p, lo), hi);
    list.push({ code: 'max_change', amountMinor: bounded - p, detail: { maxChangePct: mc ?? null, lowMinor: Number.isFinite(lo) ? lo : null, highMinor: Number.isFinite(hi) ? hi : null } });
    p = bounded;
    comps.push(list);
    price.push(p);
  }
  // monotone ladder, top down: a class never dearer than the class above it (the uniform floor and
  // ceiling that follow keep the order, so the ladder stays monotone)
  for (let j = 0; j < n; j++) {
    const capAbove = j > 0 ? price[j - 1]! : Infinity;
    const v = Math.min(price[j]!, capAbove);
    comps[j]!.push({ code: 'monotone_ladder', amountMinor: v - price[j]!, detail: { classAbove: j > 0 ? x.rbds[j - 1]!.rbd : null, classAbovePriceMinor: j > 0 ? price[j - 1]! : null } });
    price[j] = v;
  }
  const floor = x.guardrails.floorMinor != null ? ceilPricePoint(x.guardrails.floorMinor, pp) : -Infinity;
  const ceiling = x.guardrails.ceilingMinor != null ? floorPricePoint(x.guardrails.ceilingMinor, pp) : Infinity;
  const floorDetail = { floorMinor: Number.isFinite(floor) ? floor : null };
  const ceilingDetail = { ceilingMinor: Number.isFinite(ceiling) ? ceiling : null };
  return x.rbds.map((r, j) => {
    const list = comps[j]!;
    let p = price[j]!;
    const fl = Math.max(p, floor);
    list.push({ code: 'floor', amountMinor: fl - p, detail: floorDetail });
    p = fl;
    const ce = Math.min(p, ceiling);
    list.push({ code: 'ceiling', amountMinor: ce - p, detail: ceilingDetail });
    p = ce;
    const conflicts: string[] = [];
    const mcMeta = list[MAX_CHANGE_INDEX]!.detail;
    if (typeof mcMeta.lowMinor === 'number' && p < mcMeta.lowMinor) conflicts.push(`max change: ${p} is below ${mcMeta.lowMinor} because the ladder or the ceiling required it`);
    if (typeof mcMeta.highMinor === 'number' && p > mcMeta.highMinor) conflicts.push(`max change: ${p} is above ${mcMeta.highMinor} because the floor required it`);
    const applied = list.filter((k) => GUARDRAIL_COMPONENTS.has(k.code) && k.amountMinor !== 0).map((k) => k.code);
    return {
      rbd: r.rbd,
      currentMinor: r.baseMinor,
      recommendedMinor: p,
      explanation: { currency: x.currency, components: list, guardrailsApplied: applied, conflicts },
    };
  });
}

/** position of the max-change component in every explanation (see FARE_COMPONENT_ORDER) */
const MAX_CHANGE_INDEX = 8;

const round2 = (v: number) => Math.round(v * 100) / 100 || 0;
const round3 = (v: number) => Math.round(v * 1000) / 1000 || 0;
const round4 = (v: number) => Math.round(v * 10000) / 10000 || 0;

/** The details a cabin's classes share (stored once per cabin by the store). */
export interface SharedFareDetails {
  currency: string;
  mode: 'ladder' | 'continuous';
  forecast: Record<string, DetailValue>;
  competitor: Record<string, DetailValue>;
  elasticity: Record<string, DetailValue>;
  price_point: Record<string, DetailValue>;
  ladder_rung: Record<string, DetailValue>;
  floor: Record<string, DetailValue>;
  ceiling: Record<string, DetailValue>;
  maxChangePct: DetailValue;
}

/** A fare explanation without its shared details, as compact JSON-able data. */
export interface StoredFareExplanation {
  /** the twelve amounts in FARE_COMPONENT_ORDER */
  a: number[];
  /** class details: reference fare, seats available, priced as, bid price, max-change band, class above and its price */
  d: [number, number, string | null, number, number | null, number | null, string | null, number | null];
  /** conflicts, when any */
  x?: string[];
}

export function sharedFareDetails(e: FareExplanation, mode: 'ladder' | 'continuous'): SharedFareDetails {
  const c = e.components;
  return {
    currency: e.currency, mode,
    forecast: c[1]!.detail, competitor: c[4]!.detail, elasticity: c[5]!.detail, price_point: c[6]!.detail, ladder_rung: c[7]!.detail,
    floor: c[10]!.detail, ceiling: c[11]!.detail, maxChangePct: c[MAX_CHANGE_INDEX]!.detail.maxChangePct ?? null,
  };
}

export function encodeFareExplanation(e: FareExplanation): StoredFareExplanation {
  const c = e.components;
  if (c.length !== FARE_COMPONENT_ORDER.length || c.some((k, i) => k.code !== FARE_COMPONENT_ORDER[i])) throw new Error('fare explanation: components are not in FARE_COMPONENT_ORDER; it was not made by priceCabin');
  const base = c[0]!.detail;
  const prot = c[2]!.detail;
  const mc = c[MAX_CHANGE_INDEX]!.detail;
  const ml = c[9]!.detail;
  const out: StoredFareExplanation = {
    a: c.map((k) => k.amountMinor),
    d: [base.referenceMinor as number, prot.availableSeats as number, prot.pricedAs as string | null, c[3]!.detail.bidPriceMinor as number,
      mc.lowMinor as number | null, mc.highMinor as number | null, ml.classAbove as string | null, ml.classAbovePriceMinor as number | null],
  };
  if (e.conflicts.length > 0) out.x = e.conflicts;
  return out;
}

export function decodeFareExplanation(s: StoredFareExplanation, rbd: string, shared: SharedFareDetails): FareExplanation {
  const [ref, seats, pricedAs, bid, lo, hi, above, abovePrice] = s.d;
  const details: Record<string, DetailValue>[] = [
    { rbd, referenceMinor: ref }, shared.forecast, { availableSeats: seats, closed: seats <= 0, pricedAs }, { bidPriceMinor: bid },
    shared.competitor, shared.elasticity, shared.price_point, shared.ladder_rung,
    { maxChangePct: shared.maxChangePct, lowMinor: lo, highMinor: hi }, { classAbove: above, classAbovePriceMinor: abovePrice },
    shared.floor, shared.ceiling,
  ];
  const components = FARE_COMPONENT_ORDER.map((code, i) => ({ code, amountMinor: s.a[i]!, detail: details[i]! }));
  return {
    currency: shared.currency, components,
    guardrailsApplied: components.filter((k) => GUARDRAIL_COMPONENTS.has(k.code) && k.amountMinor !== 0).map((k) => k.code),
    conflicts: s.x ?? [],
  };
}
