import { describe, expect, it } from 'vitest';
import { competitorPosition, competitorTarget, ExchangeRates, quantile, type CompetitorFare } from './competitor';

const rates = new ExchangeRates([
  { base: 'USD', quote: 'EUR', rate: 0.9, date: '2025-01-01' },
  { base: 'USD', quote: 'EUR', rate: 0.95, date: '2025-03-01' },
  { base: 'EUR', quote: 'JPY', rate: 160, date: '2025-01-01' },
]);

const fare = (carrier: string, amountMinor: number, currency: string, observedAt: string): CompetitorFare => ({
  carrier, origin: 'FRA', destination: 'JFK', departureDate: '2025-04-10', cabin: 'Y', amountMinor, currency, observedAt,
});

describe('dated exchange rates', () => {
  it('use the latest rate dated on or before the day, in both directions, with minor-unit exponents', () => {
    expect(rates.convert(10000, 'USD', 'EUR', '2025-02-15')).toEqual({ amountMinor: 9000, rate: 0.9, rateDate: '2025-01-01' });
    expect(rates.convert(10000, 'USD', 'EUR', '2025-03-01').amountMinor).toBe(9500);
    expect(rates.convert(9500, 'EUR', 'USD', '2025-03-02').amountMinor).toBe(10000);
    expect(rates.convert(100, 'EUR', 'JPY', '2025-02-01').amountMinor).toBe(160); // 1.00 EUR = 160 JPY (no minor unit)
    expect(() => rates.convert(100, 'USD', 'EUR', '2024-12-31')).toThrow(/no exchange rate USD→EUR dated on or before 2024-12-31/);
  });
});

describe('competitor position and strategy', () => {
  const fares = [
    fare('LH', 50000, 'EUR', '2025-04-01T10:00:00Z'),
    fare('UA', 60000, 'USD', '2025-04-01T09:00:00Z'), // 570.00 EUR at 0.95
    fare('UA', 52000, 'USD', '2025-03-20T09:00:00Z'), // older observation of the same carrier: ignored
    fare('DL', 46000, 'EUR', '2025-03-02T09:00:00Z'), // too old (more than 7 days)
    fare('AA', 48000, 'EUR', '2025-04-02T08:00:00Z'),
    fare('XX', 10000, 'EUR', '2025-04-02T08:00:00Z'), // our own carrier
  ];
  const pos = competitorPosition(fares, { origin: 'FRA', destination: 'JFK', cabin: 'Y', departureDate: '2025-04-10', currency: 'EUR', now: '2025-04-03T00:00:00Z', ownCarrier: 'XX' }, rates)!;

  it('keeps the latest recent observation per carrier, converted at the observation day rate', () => {
    expect(pos.carriers).toEqual(['AA', 'LH', 'UA']);
    expect(pos.pricesMinor).toEqual([48000, 50000, 57000]);
    expect(pos.minMinor).toBe(48000);
    expect(pos.q1Minor).toBe(49000);
    expect(pos.q3Minor).toBe(53500);
    expect(pos.rates.USD).toEqual({ rate: 0.95, date: '2025-03-01' });
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
  });

  it('sets targets relative to the minimum or the quartile band', () => {
    expect(competitorTarget(pos, { kind: 'match', reference: 'min' }, 52000).targetMinor).toBe(48000);
    expect(competitorTarget(pos, { kind: 'undercut', reference: 'min', amountMinor: 1000 }, 52000).targetMinor).toBe(47000);
    expect(competitorTarget(pos, { kind: 'undercut', reference: 'min', pct: 5 }, 52000).targetMinor).toBe(45600);
    expect(competitorTarget(pos, { kind: 'premium', reference: 'min', pct: 10 }, 52000).targetMinor).toBe(52800);
    expect(competitorTarget(pos, { kind: 'match', reference: 'quartile-band' }, 52000).targetMinor).toBe(52000); // inside the band: stays
    expect(competitorTarget(pos, { kind: 'match', reference: 'quartile-band' }, 60000).targetMinor).toBe(53500);
    expect(competitorTarget(pos, { kind: 'undercut', reference: 'quartile-band', amountMinor: 2000 }, 52000).targetMinor).toBe(51500);
    expect(competitorTarget(null, { kind: 'match', reference: 'min' }, 52000)).toMatchObject({ targetMinor: null, note: expect.stringMatching(/no recent competitor fare/) });
    expect(() => competitorTarget(pos, { kind: 'premium', reference: 'min' }, 1)).toThrow(/amountMinor or pct/);
  });
});
