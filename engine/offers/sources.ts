/**
 * What the assembler asks of the other engines, as injected functions:
 * - the fare of each RBD for a journey (the pricing engine; `farePricerFromFares` reads the stored fares,
 *   dynamic per-departure prices first),
 * - the brands and their price steps for a market (the bundling engine; `brandSourceFromResults` serves
 *   the optimiser's results),
 * - à-la-carte ancillary prices (the catalogue, optionally dynamic by load factor and time to departure).
 */
import type { CurrencyCode } from '../domain/money';
import type { Airport, Fare, FlightLeg, Rbd } from '../domain/types';
import { dayNumber } from '../domain/time';
import { definitionOf, resolveAncillaryPrice, unitsPerJourney, type AncillaryCatalogue, type AncillaryCode } from '../bundling/catalogue';
import { optimiseBrandedFares, type BrandedFareInput, type BrandedFareResult } from '../bundling/branded-fares';
import { dynamicAncillaryPrice, type DynamicAncillaryRule } from '../bundling/dynamic-prices';
import type { PriceComponent } from '../bundling/explanation';
import type { FareComponentCode, FareRecommendation } from '../pricing/types';
import { DEFAULT_HAUL_BANDS, marketHaul, type HaulBands } from '../bundling/haul';

export interface JourneyPricingQuery {
  origin: string;
  destination: string;
  /** local departure date of the journey */
  departureDate: string;
  cabin: string;
  pointOfSale: string;
  channel: string;
  currency?: CurrencyCode;
  legs: readonly FlightLeg[];
  /** the instant of the request */
  at: string;
}

export interface FareQuote {
  rbd: Rbd;
  fareBasis: string;
  /** adult one-way fare for the whole journey */
  amountMinor: number;
  currency: CurrencyCode;
  /** the pricing engine's explanation, summing exactly to amountMinor; absent: one "fare" component */
  components?: PriceComponent[];
}

export type JourneyPricer = (q: JourneyPricingQuery) => readonly FareQuote[];

/**
 * Prices journeys from fare records (the store's `fares`): the journey's market, cabin, point of sale and
 * travel date; a fare narrowed to one departure (flightId) wins over the market fare for a non-stop journey.
 * One quote per RBD: the most specific fare, then the lowest.
 */
export function farePricerFromFares(fares: readonly Fare[]): JourneyPricer {
  const byMarket = new Map<string, Fare[]>();
  for (const f of fares) {
    const k = `${f.carrier}|${f.origin}|${f.destination}|${f.cabin}`;
    (byMarket.get(k) ?? byMarket.set(k, []).get(k)!).push(f);
  }
  return (q) => {
    const carrier = q.legs[0]!.carrier;
    const list = byMarket.get(`${carrier}|${q.origin}|${q.destination}|${q.cabin}`) ?? [];
    const best = new Map<string, Fare>();
    const flight = q.legs.length === 1 ? q.legs[0]!.id : undefined;
    for (const f of list) {
      if (f.pointOfSale !== q.pointOfSale) continue;
      if (q.currency && f.currency !== q.currency) continue;
      if (q.departureDate < f.validFrom || q.departureDate > f.validTo) continue;
      if (f.flightId && f.flightId !== flight) continue;
      const prev = best.get(f.rbd);
      if (!prev || (f.flightId && !prev.flightId) || (!!f.flightId === !!prev.flightId && f.amountMinor < prev.amountMinor)) best.set(f.rbd, f);
    }
    return [...best.values()].map((f) => ({
      rbd: f.rbd, fareBasis: f.fareBasis, amountMinor: f.amountMinor, currency: f.currency,
      components: [{ key: 'fare', label: f.flightId ? `Dynamic fare ${f.fareBasis} for this departure` : `Fare ${f.fareBasis} (${f.validFrom} to ${f.validTo})`, amountMinor: f.amountMinor }],
    }));
  };
}

const PRICING_LABELS: Record<FareComponentCode, string> = {
  base: 'Filed fare', forecast: 'Demand forecast against the seats left', protection: 'Protection levels (class closed below)',
  bid_price: 'Not below the bid price', competitor: 'Competitor position', elasticity: 'Price elasticity',
  price_point: 'Rounded to the price points', ladder_rung: 'Snapped to a ladder rung', max_change: 'Guardrail: maximum change per cycle',
  monotone_ladder: 'Guardrail: a higher class is never cheaper', floor: 'Guardrail: floor', ceiling: 'Guardrail: ceiling',
};

/**
 * Non-stop journeys priced by the pricing engine's recommendations for the departure (explanation kept,
 * component by component); RBDs without one, and connections, priced by `fallback` (the market fares).
 */
export function farePricerWithRecommendations(recommendations: readonly FareRecommendation[], fallback: JourneyPricer): JourneyPricer {
  const byFlight = new Map<string, FareRecommendation[]>();
  for (const r of recommendations) {
    const k = `${r.flightId}|${r.cabin}`;
    (byFlight.get(k) ?? byFlight.set(k, []).get(k)!).push(r);
  }
  return (q) => {
    const base = fallback(q);
    const recs = q.legs.length === 1 ? byFlight.get(`${q.legs[0]!.id}|${q.cabin}`) : undefined;
    if (!recs) return base;
    const out = new Map(base.map((f) => [f.rbd, f]));
    for (const r of recs) {
      if (q.currency && r.currency !== q.currency) continue;
      out.set(r.rbd, {
        rbd: r.rbd, fareBasis: out.get(r.rbd)?.fareBasis ?? `${r.rbd}DYN`, amountMinor: r.recommendedMinor, currency: r.currency,
        components: r.explanation.components.map((c) => ({ key: `pricing:${c.code}`, label: PRICING_LABELS[c.code], amountMinor: c.amountMinor })),
      });
    }
    return [...out.values()];
  };
}

export interface BrandOffer {
  code: string;
  name: string;
  includes: AncillaryCode[];
  /** price step over the base brand, per passenger per journey */
  upliftMinor: number;
  currency: CurrencyCode;
  /** the step explained (components after the fare), summing exactly to upliftMinor */
  components: PriceComponent[];
}

export interface BrandQuery {
  origin: string;
  destination: string;
  cabin: string;
  currency: CurrencyCode;
  channel: string;
  segmentsPerJourney: number;
  /** the base brand's fare for this journey */
  fareMinor: number;
}

export type BrandSource = (q: BrandQuery) => readonly BrandOffer[];

/** A fare-only brand, for markets with no branded fares. */
export const BASE_ONLY: BrandSource = (q) => [{ code: 'LIGHT', name: 'Light', includes: [], upliftMinor: 0, currency: q.currency, components: [] }];

/** The brands of an optimiser result as steps over the fare: its components without the fare. */
export function brandOffersFromResult(r: BrandedFareResult): BrandOffer[] {
  return r.brands.map((b) => ({
    code: b.code, name: b.name, includes: [...b.includes], upliftMinor: b.upliftMinor, currency: b.currency,
    components: b.components.filter((c) => c.key !== 'fare'),
  }));
}

/**
 * Serves optimiser results keyed by market "ORIGIN-DESTINATION/CABIN/CURRENCY/SEGMENTS" (either
 * direction); markets without a result get the fare-only brand.
 */
export function brandSourceFromResults(results: ReadonlyMap<string, BrandedFareResult>, fallback: BrandSource = BASE_ONLY): BrandSource {
  const cache = new Map<string, BrandOffer[]>();
  for (const [k, r] of results) cache.set(k, brandOffersFromResult(r));
  return (q) => cache.get(brandMarketKey(q.origin, q.destination, q.cabin, q.currency, q.segmentsPerJourney))
    ?? cache.get(brandMarketKey(q.destination, q.origin, q.cabin, q.currency, q.segmentsPerJourney))
    ?? fallback(q);
}

/**
 * Runs the bundling optimiser for each market it is asked about (results cached, at most `cacheSize`
 * kept); `problemFor` returns undefined for markets without branded fares. The brand steps depend on the
 * fare only through step bounds given as a fraction of it: without those, one result serves every fare.
 */
export function brandSourceFromOptimiser(problemFor: (q: BrandQuery) => BrandedFareInput | undefined, opts: { fallback?: BrandSource; cacheSize?: number } = {}): BrandSource {
  const cache = new Map<string, readonly BrandOffer[]>();
  const limit = opts.cacheSize ?? 10_000;
  return (q) => {
    const market = `${brandMarketKey(q.origin, q.destination, q.cabin, q.currency, q.segmentsPerJourney)}/${q.channel}`;
    const exact = `${market}/${q.fareMinor}`;
    const hit = cache.get(market) ?? cache.get(exact);
    if (hit) return hit;
    const problem = problemFor(q);
    const offers = problem ? brandOffersFromResult(optimiseBrandedFares(problem)) : (opts.fallback ?? BASE_ONLY)(q);
    const fareSensitive = !!problem && (problem.rules.minStepFractionOfFare !== undefined || problem.rules.maxStepFractionOfFare !== undefined);
    if (cache.size >= limit) cache.clear();
    cache.set(fareSensitive ? exact : market, offers);
    return offers;
  };
}

export function brandMarketKey(origin: string, destination: string, cabin: string, currency: CurrencyCode, segments: number): string {
  return `${origin}-${destination}/${cabin}/${currency}/${segments}`;
}

export interface AncillaryQuery {
  code: AncillaryCode;
  origin: string;
  destination: string;
  cabin: string;
  currency: CurrencyCode;
  legs: readonly FlightLeg[];
  /** seats sold in the cabin per leg (for dynamic prices) */
  soldInCabin: (flightId: string) => number | undefined;
  at: string;
}

export interface AncillaryQuote {
  name: string;
  /** per passenger for the whole journey */
  journeyPriceMinor: number;
  currency: CurrencyCode;
}

export type AncillaryPricer = (q: AncillaryQuery) => AncillaryQuote | undefined;

/**
 * À-la-carte prices from the catalogue, per unit times the units a journey needs; with dynamic rules, an
 * item priced per segment moves with each leg's load factor and the time to its departure (an item per
 * journey with the first leg's).
 */
export function ancillaryPricerFromCatalogue(catalogue: AncillaryCatalogue, airports: readonly Airport[], opts: { dynamic?: readonly DynamicAncillaryRule[]; haulBands?: HaulBands } = {}): AncillaryPricer {
  const ap = new Map(airports.map((a) => [a.code, a]));
  const rules = new Map((opts.dynamic ?? []).map((r) => [r.code, r]));
  return (q) => {
    const def = catalogue.definitions.find((d) => d.code === q.code);
    if (!def) return undefined;
    const haul = marketHaul(ap, q.origin, q.destination, opts.haulBands ?? DEFAULT_HAUL_BANDS).band;
    const base = resolveAncillaryPrice(catalogue, { code: q.code, currency: q.currency, origin: q.origin, destination: q.destination, cabin: q.cabin, haul });
    if (!base) return undefined;
    const rule = rules.get(q.code);
    const units = unitsPerJourney(def.unit, q.legs.length);
    if (!rule) return { name: definitionOf(catalogue, q.code).name, journeyPriceMinor: base.amountMinor * units, currency: base.currency };
    const priced = (def.unit === 'segment' ? q.legs : q.legs.slice(0, 1)).map((leg) => {
      const cap = leg.cabins.find((c) => c.cabin === q.cabin)?.capacity ?? 0;
      const sold = q.soldInCabin(leg.id) ?? 0;
      const days = Math.max(0, dayNumber(leg.departureUtc.slice(0, 10)) - dayNumber(q.at.slice(0, 10)));
      return dynamicAncillaryPrice({ base: { amountMinor: base.amountMinor, currency: base.currency }, loadFactor: cap > 0 ? sold / cap : 1, daysToDeparture: days, rule }).amountMinor;
    });
    return { name: def.name, journeyPriceMinor: priced.reduce((s, x) => s + x, 0), currency: base.currency };
  };
}
