/**
 * The ancillary catalogue: what can be sold beside a fare (bags, seats, meals, Wi-Fi, priority, lounge,
 * change and refund flexibility) and its à-la-carte prices per market and currency.
 *
 * Prices are rules; the most specific rule that matches a market wins (origin and destination airport,
 * then cabin, then length of haul), ties going to the earlier rule. A price is per passenger and per
 * unit: a flight segment for seats, meals, Wi-Fi and lounge, the journey (one direction) for bags,
 * priority and flexibility.
 */
import { z } from 'zod';
import { CURRENCY_RE, type CurrencyCode } from '../domain/money';
import { HAUL_BANDS, type HaulBand } from './haul';

export const ANCILLARY_CODES = ['BAG1', 'SEAT_STD', 'SEAT_XL', 'MEAL', 'WIFI', 'PRIO', 'LOUNGE', 'FLEX_CHG', 'FLEX_REF'] as const;
export type AncillaryCode = (typeof ANCILLARY_CODES)[number];
const CODE_SET: ReadonlySet<string> = new Set(ANCILLARY_CODES);
export function isAncillaryCode(code: string): code is AncillaryCode {
  return CODE_SET.has(code);
}

export type AncillaryGroup = 'baggage' | 'seat' | 'meal' | 'connectivity' | 'priority' | 'lounge' | 'flexibility';
export type AncillaryUnit = 'segment' | 'journey';

export interface AncillaryDefinition {
  code: AncillaryCode;
  name: string;
  group: AncillaryGroup;
  unit: AncillaryUnit;
  /**
   * Items this one makes redundant when held (an extra-legroom seat is also a chosen seat): a brand that
   * includes SEAT_XL is not sold SEAT_STD à la carte.
   */
  covers: AncillaryCode[];
}

export const DEFAULT_DEFINITIONS: readonly AncillaryDefinition[] = [
  { code: 'BAG1', name: 'First checked bag (23 kg)', group: 'baggage', unit: 'journey', covers: [] },
  { code: 'SEAT_STD', name: 'Standard seat selection', group: 'seat', unit: 'segment', covers: [] },
  { code: 'SEAT_XL', name: 'Extra-legroom seat', group: 'seat', unit: 'segment', covers: ['SEAT_STD'] },
  { code: 'MEAL', name: 'Hot meal', group: 'meal', unit: 'segment', covers: [] },
  { code: 'WIFI', name: 'Wi-Fi', group: 'connectivity', unit: 'segment', covers: [] },
  { code: 'PRIO', name: 'Priority check-in and boarding', group: 'priority', unit: 'journey', covers: [] },
  { code: 'LOUNGE', name: 'Lounge access', group: 'lounge', unit: 'segment', covers: [] },
  { code: 'FLEX_CHG', name: 'Free changes (fare difference applies)', group: 'flexibility', unit: 'journey', covers: [] },
  { code: 'FLEX_REF', name: 'Refundable', group: 'flexibility', unit: 'journey', covers: [] },
];

export interface AncillaryPriceRule {
  code: AncillaryCode;
  currency: CurrencyCode;
  amountMinor: number;
  origin?: string;
  destination?: string;
  /** a market rule also matches the reverse direction unless false */
  bothDirections?: boolean;
  cabin?: string;
  haul?: HaulBand;
}

export interface AncillaryCatalogue {
  definitions: AncillaryDefinition[];
  prices: AncillaryPriceRule[];
}

const codeSchema = z.enum(ANCILLARY_CODES);
const airportSchema = z.string().regex(/^[A-Z]{3}$/, 'expected a three-letter IATA airport code');

export const AncillaryDefinitionSchema = z.strictObject({
  code: codeSchema,
  name: z.string().min(1),
  group: z.enum(['baggage', 'seat', 'meal', 'connectivity', 'priority', 'lounge', 'flexibility']),
  unit: z.enum(['segment', 'journey']),
  covers: z.array(codeSchema).default([]),
});

export const AncillaryPriceRuleSchema = z.strictObject({
  code: codeSchema,
  currency: z.string().regex(CURRENCY_RE, 'expected an ISO 4217 currency code'),
  amountMinor: z.number().int('must be an integer number of minor units').min(0),
  origin: airportSchema.optional(),
  destination: airportSchema.optional(),
  bothDirections: z.boolean().optional(),
  cabin: z.string().min(1).max(2).optional(),
  haul: z.enum(HAUL_BANDS as [HaulBand, ...HaulBand[]]).optional(),
});

export const AncillaryCatalogueSchema = z.strictObject({
  definitions: z.array(AncillaryDefinitionSchema).min(1),
  prices: z.array(AncillaryPriceRuleSchema),
}).superRefine((c, ctx) => {
  const seen = new Set<string>();
  c.definitions.forEach((d, i) => {
    if (seen.has(d.code)) ctx.addIssue({ code: 'custom', path: ['definitions', i, 'code'], message: `ancillary ${d.code} is defined twice` });
    seen.add(d.code);
    d.covers.forEach((x, j) => {
      if (x === d.code) ctx.addIssue({ code: 'custom', path: ['definitions', i, 'covers', j], message: `${d.code} cannot cover itself` });
    });
  });
  c.prices.forEach((p, i) => {
    if (!seen.has(p.code)) ctx.addIssue({ code: 'custom', path: ['prices', i, 'code'], message: `price for ${p.code}, which the catalogue does not define` });
  });
});

/** Validates a catalogue (settings, UI edits); throws naming each bad field. */
export function parseCatalogue(input: unknown): AncillaryCatalogue {
  const r = AncillaryCatalogueSchema.safeParse(input);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`invalid ancillary catalogue: ${lines.join('; ')}`);
  }
  return r.data as AncillaryCatalogue;
}

export function definitionOf(catalogue: AncillaryCatalogue, code: AncillaryCode): AncillaryDefinition {
  const d = catalogue.definitions.find((x) => x.code === code);
  if (!d) throw new Error(`ancillary ${code} is not in the catalogue`);
  return d;
}

export interface PriceQuery {
  code: AncillaryCode;
  currency: CurrencyCode;
  origin: string;
  destination: string;
  cabin: string;
  haul: HaulBand;
}

export interface ResolvedAncillaryPrice {
  code: AncillaryCode;
  currency: CurrencyCode;
  /** per passenger per unit (segment or journey, see `unit`) */
  amountMinor: number;
  unit: AncillaryUnit;
  /** index of the rule in catalogue.prices that set it */
  ruleIndex: number;
}

function ruleMatches(r: AncillaryPriceRule, q: PriceQuery): boolean {
  if (r.code !== q.code || r.currency !== q.currency) return false;
  if (r.cabin !== undefined && r.cabin !== q.cabin) return false;
  if (r.haul !== undefined && r.haul !== q.haul) return false;
  const fwd = (r.origin === undefined || r.origin === q.origin) && (r.destination === undefined || r.destination === q.destination);
  if (fwd) return true;
  if (r.bothDirections === false) return false;
  return (r.origin === undefined || r.origin === q.destination) && (r.destination === undefined || r.destination === q.origin);
}

function specificity(r: AncillaryPriceRule): number {
  return (r.origin !== undefined ? 8 : 0) + (r.destination !== undefined ? 8 : 0) + (r.cabin !== undefined ? 2 : 0) + (r.haul !== undefined ? 1 : 0);
}

/** The à-la-carte price of one item in one market, or undefined when no rule prices it in that currency. */
export function resolveAncillaryPrice(catalogue: AncillaryCatalogue, q: PriceQuery): ResolvedAncillaryPrice | undefined {
  let best = -1;
  let bestScore = -1;
  catalogue.prices.forEach((r, i) => {
    if (!ruleMatches(r, q)) return;
    const s = specificity(r);
    if (s > bestScore) { best = i; bestScore = s; }
  });
  if (best < 0) return undefined;
  const rule = catalogue.prices[best]!;
  return { code: q.code, currency: rule.currency, amountMinor: rule.amountMinor, unit: definitionOf(catalogue, q.code).unit, ruleIndex: best };
}

/** Units of an item a passenger needs for a journey of `segments` flights. */
export function unitsPerJourney(unit: AncillaryUnit, segments: number): number {
  return unit === 'segment' ? segments : 1;
}

/**
 * A starting catalogue for a new workbench: prices by length of haul in EUR and USD, for the revenue
 * manager to edit. They are defaults of the product, not market data.
 */
export function defaultCatalogue(): AncillaryCatalogue {
  // [short, medium, long] in major units
  const table: Record<AncillaryCode, [number, number, number]> = {
    BAG1: [30, 45, 70], SEAT_STD: [8, 14, 30], SEAT_XL: [22, 40, 90], MEAL: [9, 14, 0], WIFI: [6, 10, 18],
    PRIO: [9, 12, 20], LOUNGE: [35, 45, 60], FLEX_CHG: [35, 60, 120], FLEX_REF: [60, 110, 250],
  };
  const prices: AncillaryPriceRule[] = [];
  for (const currency of ['EUR', 'USD']) {
    for (const code of ANCILLARY_CODES) {
      HAUL_BANDS.forEach((haul, i) => {
        const major = table[code][i]!;
        if (major > 0) prices.push({ code, currency, haul, amountMinor: major * 100 });
      });
    }
  }
  return { definitions: DEFAULT_DEFINITIONS.map((d) => ({ ...d, covers: [...d.covers] })), prices };
}
