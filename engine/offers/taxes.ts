/**
 * Taxes and charges as configured per market and airport: a fixed amount or a share of the fare, charged
 * per departing or arriving passenger at an airport (or country), per flight segment, or once per journey;
 * transfer passengers can be exempt at the connection point. Applied per passenger type.
 */
import { z } from 'zod';
import { CURRENCY_RE, type CurrencyCode } from '../domain/money';
import type { Airport, FlightLeg } from '../domain/types';
import { PAX_TYPES, type PaxType } from './request';

export const TaxRuleSchema = z.strictObject({
  /** IATA tax code or the airline's, e.g. "DE", "UB", "YR" */
  code: z.string().regex(/^[A-Z0-9]{2,3}$/, 'expected a two- or three-character tax code'),
  name: z.string().min(1),
  scope: z.enum(['departure', 'arrival', 'segment', 'journey']),
  /** where it applies (the airport departed from, arrived at, or the journey's origin); none: everywhere */
  airports: z.array(z.string().regex(/^[A-Z]{3}$/)).optional(),
  countries: z.array(z.string().regex(/^[A-Z]{2}$/)).optional(),
  paxTypes: z.array(z.enum(PAX_TYPES)).optional(),
  /** passengers connecting at the airport do not pay a departure/arrival charge there */
  exemptTransfer: z.boolean().default(false),
  amount: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('fixed'), amountMinor: z.number().int().min(0), currency: z.string().regex(CURRENCY_RE) }),
    z.strictObject({ kind: z.literal('percent_of_fare'), basisPoints: z.number().int().min(0).max(10_000) }),
  ]),
});

export type TaxRule = z.output<typeof TaxRuleSchema>;

export function parseTaxRules(input: unknown): TaxRule[] {
  const r = z.array(TaxRuleSchema).safeParse(input);
  if (!r.success) throw new Error(`invalid tax rules: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

export type CurrencyConverter = (amountMinor: number, from: CurrencyCode, to: CurrencyCode) => number;

export interface TaxLine {
  code: string;
  name: string;
  amountMinor: number;
}

function applies(rule: TaxRule, airport: string, airports: ReadonlyMap<string, Airport>): boolean {
  if (!rule.airports && !rule.countries) return true;
  if (rule.airports?.includes(airport)) return true;
  const country = airports.get(airport)?.country;
  return country !== undefined && (rule.countries?.includes(country) ?? false);
}

/**
 * The taxes one passenger of a type pays on one journey, in the offer's currency. Rules with a fixed amount
 * in another currency are converted with `convert`; without it they are an error naming the rule.
 */
export function journeyTaxes(
  rules: readonly TaxRule[], legs: readonly FlightLeg[], paxType: PaxType, paxFareMinor: number, currency: CurrencyCode,
  airports: ReadonlyMap<string, Airport>, convert?: CurrencyConverter,
): TaxLine[] {
  const out: TaxLine[] = [];
  const amountOf = (rule: TaxRule): number => {
    if (rule.amount.kind === 'percent_of_fare') return Math.round((paxFareMinor * rule.amount.basisPoints) / 10_000);
    if (rule.amount.currency === currency) return rule.amount.amountMinor;
    if (!convert) throw new Error(`tax ${rule.code} is in ${rule.amount.currency} and the offer in ${currency}: give the assembler a dated currency converter`);
    return Math.round(convert(rule.amount.amountMinor, rule.amount.currency, currency));
  };
  for (const rule of rules) {
    if (rule.paxTypes && !rule.paxTypes.includes(paxType)) continue;
    let times = 0;
    legs.forEach((leg, i) => {
      if (rule.scope === 'departure' && applies(rule, leg.origin, airports) && !(rule.exemptTransfer && i > 0)) times++;
      if (rule.scope === 'arrival' && applies(rule, leg.destination, airports) && !(rule.exemptTransfer && i < legs.length - 1)) times++;
      if (rule.scope === 'segment' && applies(rule, leg.origin, airports)) times++;
    });
    if (rule.scope === 'journey' && applies(rule, legs[0]!.origin, airports)) times = 1;
    if (times === 0) continue;
    const amount = amountOf(rule) * times;
    if (amount > 0) out.push({ code: rule.code, name: rule.name, amountMinor: amount });
  }
  return out;
}
