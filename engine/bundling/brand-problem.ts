/**
 * Assembles the brand-pricing problem of one market from the estimates and the catalogue: the segment mix
 * of the market's length of haul (and channels), each segment's WTP per item scaled to the journey, and
 * the à-la-carte journey prices from the catalogue (or dynamic prices given by the caller).
 */
import type { CurrencyCode } from '../domain/money';
import { ANCILLARY_CODES, resolveAncillaryPrice, unitsPerJourney, type AncillaryCatalogue, type AncillaryCode } from './catalogue';
import { DEFAULT_BRANDS, DEFAULT_BRAND_RULES, DEFAULT_PRICE_GRID, type BrandedFareInput, type BrandRules, type PriceGrid } from './branded-fares';
import type { BrandDefinition, ChoiceSegment, LogisticWtp } from './choice';
import type { AncillaryEstimates } from './estimation';
import type { HaulBand } from './haul';

export interface MarketContext {
  origin: string;
  destination: string;
  cabin: string;
  haul: HaulBand;
  /** flights in one direction of the journey (1 non-stop, 2 with one connection) */
  segmentsPerJourney: number;
}

export interface BrandProblemInput {
  estimates: AncillaryEstimates;
  catalogue: AncillaryCatalogue;
  market: MarketContext;
  currency: CurrencyCode;
  /** the base brand's fare per passenger (pricing engine) */
  fareMinor: number;
  brands?: BrandDefinition[];
  rules?: BrandRules;
  grid?: PriceGrid;
  /** restrict the segment mix to these channels */
  channels?: string[];
  /** MNL scale; default: the passenger-weighted mean WTP scale of the items the brands add */
  choiceScaleMinor?: number;
  /** per-unit prices that replace the catalogue's (e.g. dynamic prices for this flight) */
  unitPriceOverrides?: Partial<Record<AncillaryCode, number>>;
}

export interface BrandProblem {
  input: BrandedFareInput;
  /** what was assumed, for the explanation screen */
  notes: string[];
}

export interface AlaCartePrices {
  /** per passenger for the journey */
  alaCarteMinor: Partial<Record<AncillaryCode, number>>;
  itemNames: Partial<Record<AncillaryCode, string>>;
  covers: Partial<Record<AncillaryCode, AncillaryCode[]>>;
  notes: string[];
}

/** The catalogue's à-la-carte journey prices in a market (unit price × units the journey needs). */
export function alaCarteJourneyPrices(catalogue: AncillaryCatalogue, market: MarketContext, currency: CurrencyCode, unitPriceOverrides?: Partial<Record<AncillaryCode, number>>): AlaCartePrices {
  const notes: string[] = [];
  const alaCarteMinor: Partial<Record<AncillaryCode, number>> = {};
  const itemNames: Partial<Record<AncillaryCode, string>> = {};
  const covers: Partial<Record<AncillaryCode, AncillaryCode[]>> = {};
  for (const def of catalogue.definitions) {
    const code = def.code;
    itemNames[code] = def.name;
    if (def.covers.length) covers[code] = [...def.covers];
    const unit = unitPriceOverrides?.[code] ?? resolveAncillaryPrice(catalogue, { code, currency, origin: market.origin, destination: market.destination, cabin: market.cabin, haul: market.haul })?.amountMinor;
    if (unit === undefined) { notes.push(`${code} has no à-la-carte price in ${currency} for ${market.origin}-${market.destination}: not sold separately`); continue; }
    alaCarteMinor[code] = unit * unitsPerJourney(def.unit, market.segmentsPerJourney);
  }
  return { alaCarteMinor, itemNames, covers, notes };
}

export function buildBrandProblem(p: BrandProblemInput): BrandProblem {
  const brands = p.brands ?? DEFAULT_BRANDS.map((b) => ({ ...b, includes: [...b.includes] }));
  const defs = new Map(p.catalogue.definitions.map((d) => [d.code, d]));
  const units = (code: AncillaryCode) => unitsPerJourney(defs.get(code)?.unit ?? 'journey', p.market.segmentsPerJourney);
  const { alaCarteMinor, itemNames, covers, notes } = alaCarteJourneyPrices(p.catalogue, p.market, p.currency, p.unitPriceOverrides);

  let segs = p.estimates.segments.filter((s) => s.currency === p.currency && s.key.haul === p.market.haul && (!p.channels || p.channels.includes(s.key.channel)));
  if (segs.length === 0) {
    segs = p.estimates.segments.filter((s) => s.currency === p.currency && (!p.channels || p.channels.includes(s.key.channel)));
    notes.push(`no booking history in ${p.currency} for ${p.market.haul}-haul markets${p.channels ? ` in ${p.channels.join(', ')}` : ''}: using the segment mix of all hauls`);
  }
  const pooled = new Map<AncillaryCode, LogisticWtp>();
  for (const i of p.estimates.items) if (i.segment === 'all' && i.currency === p.currency && i.wtp) pooled.set(i.code, { meanMinor: i.wtp.meanMinor, scaleMinor: i.wtp.scaleMinor });
  const own = new Map<string, LogisticWtp>();
  for (const i of p.estimates.items) if (i.segment !== 'all' && i.currency === p.currency && i.wtp) own.set(`${i.segment}|${i.code}`, { meanMinor: i.wtp.meanMinor, scaleMinor: i.wtp.scaleMinor });

  const toJourney = (w: LogisticWtp, code: AncillaryCode): LogisticWtp => ({ meanMinor: w.meanMinor * units(code), scaleMinor: w.scaleMinor * units(code) });
  const segments: ChoiceSegment[] = segs.map((s) => {
    const wtp: Partial<Record<AncillaryCode, LogisticWtp>> = {};
    for (const code of ANCILLARY_CODES) {
      const w = own.get(`${s.id}|${code}`) ?? pooled.get(code);
      if (w) wtp[code] = toJourney(w, code);
    }
    return { id: s.id, weight: s.passengers, wtp };
  });
  if (segments.length === 0) {
    const wtp: Partial<Record<AncillaryCode, LogisticWtp>> = {};
    for (const [code, w] of pooled) wtp[code] = toJourney(w, code);
    segments.push({ id: 'all', weight: 1, wtp });
    notes.push(`no segment history in ${p.currency}: one pooled segment`);
  }

  let lambda = p.choiceScaleMinor;
  if (lambda === undefined) {
    const added = new Set(brands.slice(1).flatMap((b) => b.includes));
    let sw = 0; let ss = 0;
    for (const g of segments) for (const code of added) { const w = g.wtp[code]; if (w) { sw += g.weight; ss += g.weight * w.scaleMinor; } }
    lambda = sw > 0 ? ss / sw : Math.max(1, Math.round(p.fareMinor * 0.1));
    if (sw === 0) notes.push('no WTP estimate for the bundled items: the choice scale defaults to 10 % of the fare');
  }

  return {
    input: {
      currency: p.currency, fareMinor: p.fareMinor, brands, alaCarteMinor, covers, segments, choiceScaleMinor: lambda,
      rules: p.rules ?? DEFAULT_BRAND_RULES, grid: p.grid ?? DEFAULT_PRICE_GRID, itemNames,
    },
    notes,
  };
}
