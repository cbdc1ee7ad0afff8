import { describe, expect, it } from 'vitest';
import type { FlightLeg } from '../domain/types';
import { journeyTaxes, parseTaxRules } from './taxes';
import { NETWORK_AIRPORTS } from './synthetic-network';

const airports = new Map(NETWORK_AIRPORTS.map((a) => [a.code, a]));
const leg = (origin: string, destination: string): FlightLeg => ({ id: `${origin}${destination}`, carrier: 'DF', flightNumber: 1, origin, destination, localDate: '2026-03-01', departureUtc: '2026-03-01T08:00:00Z', arrivalUtc: '2026-03-01T10:00:00Z', cabins: [] });
const rules = parseTaxRules([
  { code: 'DE', name: 'German duty', scope: 'departure', countries: ['DE'], exemptTransfer: true, amount: { kind: 'fixed', amountMinor: 1561, currency: 'EUR' } },
  { code: 'UB', name: 'Service charge', scope: 'departure', amount: { kind: 'fixed', amountMinor: 1200, currency: 'EUR' } },
  { code: 'GB', name: 'UK APD', scope: 'departure', airports: ['LHR'], paxTypes: ['ADT'], amount: { kind: 'fixed', amountMinor: 1300, currency: 'GBP' } },
  { code: 'US', name: 'US arrival', scope: 'arrival', countries: ['US'], amount: { kind: 'fixed', amountMinor: 700, currency: 'EUR' } },
  { code: 'YQ', name: 'Surcharge', scope: 'journey', amount: { kind: 'percent_of_fare', basisPoints: 500 } },
]);

describe('taxes', () => {
  it('charges per departure, exempting transfer passengers where configured, per arrival and per journey', () => {
    const t = journeyTaxes(rules, [leg('CDG', 'FRA'), leg('FRA', 'JFK')], 'CHD', 10_001, 'EUR', airports);
    // DE exempt at FRA (transfer); UB twice; US on arrival at JFK; YQ 5 % of 100.01 rounded
    expect(t).toEqual([
      { code: 'UB', name: 'Service charge', amountMinor: 2400 },
      { code: 'US', name: 'US arrival', amountMinor: 700 },
      { code: 'YQ', name: 'Surcharge', amountMinor: 500 },
    ]);
    expect(journeyTaxes(rules, [leg('FRA', 'JFK')], 'CHD', 10_000, 'EUR', airports)[0]).toEqual({ code: 'DE', name: 'German duty', amountMinor: 1561 });
  });

  it('converts a tax in another currency at the given rate, and refuses without one', () => {
    const convert = (a: number, from: string, to: string) => (from === 'GBP' && to === 'EUR' ? a * 1.17 : Number.NaN);
    const t = journeyTaxes(rules, [leg('LHR', 'FRA')], 'ADT', 10_000, 'EUR', airports, convert);
    expect(t.find((x) => x.code === 'GB')!.amountMinor).toBe(1521);
    expect(() => journeyTaxes(rules, [leg('LHR', 'FRA')], 'ADT', 10_000, 'EUR', airports)).toThrow(/tax GB is in GBP and the offer in EUR/);
    // the rule is for adults only
    expect(journeyTaxes(rules, [leg('LHR', 'FRA')], 'INF', 1000, 'EUR', airports).map((x) => x.code)).toEqual(['UB', 'YQ']);
  });

  it('rejects a bad rule naming the field', () => {
    expect(() => parseTaxRules([{ code: 'x', name: 'n', scope: 'departure', amount: { kind: 'fixed', amountMinor: 1, currency: 'EUR' } }])).toThrow(/0\.code: expected a two- or three-character tax code/);
    expect(() => parseTaxRules([{ code: 'XX', name: 'n', scope: 'somewhere', amount: { kind: 'percent_of_fare', basisPoints: 5 } }])).toThrow(/0\.scope/);
  });
});
