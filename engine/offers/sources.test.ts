import { describe, expect, it } from 'vitest';
import type { FlightLeg } from '../domain/types';
import { DEFAULT_BRANDS, DEFAULT_BRAND_RULES, optimiseBrandedFares, type BrandedFareInput } from '../bundling/branded-fares';
import { defaultCatalogue } from '../bundling/catalogue';
import { DEFAULT_DYNAMIC_RULES } from '../bundling/dynamic-prices';
import { ancillaryPricerFromCatalogue, brandMarketKey, brandSourceFromOptimiser, brandSourceFromResults } from './sources';
import { NETWORK_AIRPORTS } from './synthetic-network';

const leg = (id: string, origin: string, destination: string, dep: string): FlightLeg => ({
  id, carrier: 'DF', flightNumber: 1, origin, destination, localDate: dep.slice(0, 10), departureUtc: dep, arrivalUtc: dep, cabins: [{ cabin: 'Y', capacity: 100 }],
});
const at = '2026-02-20T10:00:00.000Z';

const problem = (fareMinor: number, rules = DEFAULT_BRAND_RULES): BrandedFareInput => ({
  currency: 'EUR', fareMinor, brands: DEFAULT_BRANDS.map((b) => ({ ...b, includes: [...b.includes] })),
  alaCarteMinor: { BAG1: 3000, SEAT_STD: 800, FLEX_CHG: 3500, SEAT_XL: 2200, PRIO: 900, MEAL: 900, FLEX_REF: 6000 }, covers: { SEAT_XL: ['SEAT_STD'] },
  segments: [{ id: 'g', weight: 1, wtp: { BAG1: { meanMinor: 2800, scaleMinor: 700 }, FLEX_CHG: { meanMinor: 2500, scaleMinor: 900 }, FLEX_REF: { meanMinor: 3000, scaleMinor: 1500 } } }],
  choiceScaleMinor: 1000, rules, grid: { stepMinor: 100, maxFactor: 1 },
});

describe('engine sources for the assembler', () => {
  it('à-la-carte journey prices: per segment items count each flight, per journey items once', () => {
    const price = ancillaryPricerFromCatalogue(defaultCatalogue(), NETWORK_AIRPORTS);
    const legs = [leg('A', 'LHR', 'FRA', '2026-03-02T06:00:00Z'), leg('B', 'FRA', 'MAD', '2026-03-02T08:00:00Z')];
    const q = { origin: 'LHR', destination: 'MAD', cabin: 'Y', currency: 'EUR', legs, soldInCabin: () => 50, at };
    expect(price({ ...q, code: 'SEAT_STD' })).toEqual({ name: 'Standard seat selection', journeyPriceMinor: 2 * 800, currency: 'EUR' });
    expect(price({ ...q, code: 'BAG1' })!.journeyPriceMinor).toBe(3000);
    expect(price({ ...q, code: 'BAG1', currency: 'GBP' })).toBeUndefined();
  });

  it('dynamic à-la-carte prices follow each leg’s load factor and time to departure, inside the guardrails', () => {
    const price = ancillaryPricerFromCatalogue(defaultCatalogue(), NETWORK_AIRPORTS, { dynamic: DEFAULT_DYNAMIC_RULES });
    const legs = [leg('A', 'FRA', 'MAD', '2026-03-02T06:00:00Z')];
    const q = { code: 'SEAT_XL' as const, origin: 'FRA', destination: 'MAD', cabin: 'Y', currency: 'EUR', legs, at };
    const empty = price({ ...q, soldInCabin: () => 20 })!.journeyPriceMinor;
    const full = price({ ...q, soldInCabin: () => 97 })!.journeyPriceMinor;
    expect(empty).toBeLessThan(2200);
    expect(full).toBeGreaterThan(2200);
    expect(full).toBeLessThanOrEqual(Math.floor(2200 * 1.6));
    expect(empty).toBeGreaterThanOrEqual(Math.ceil(2200 * 0.7));
  });

  it('serves optimiser results in either direction, and the fare-only brand elsewhere', () => {
    const r = optimiseBrandedFares(problem(10_000));
    const source = brandSourceFromResults(new Map([[brandMarketKey('FRA', 'MAD', 'Y', 'EUR', 1), r]]));
    const q = { cabin: 'Y', currency: 'EUR', channel: 'direct', segmentsPerJourney: 1, fareMinor: 9000 };
    const there = source({ ...q, origin: 'FRA', destination: 'MAD' });
    expect(there.map((b) => b.code)).toEqual(['LIGHT', 'CLASSIC', 'FLEX']);
    expect(there[1]!.components.map((c) => c.key)).not.toContain('fare');
    expect(there[1]!.components.reduce((s, c) => s + c.amountMinor, 0)).toBe(there[1]!.upliftMinor);
    expect(source({ ...q, origin: 'MAD', destination: 'FRA' })).toEqual(there);
    expect(source({ ...q, origin: 'FRA', destination: 'LHR' })).toEqual([{ code: 'LIGHT', name: 'Light', includes: [], upliftMinor: 0, currency: 'EUR', components: [] }]);
  });

  it('runs the optimiser once per market, or per fare when the step bounds depend on the fare', () => {
    let calls = 0;
    const plain = brandSourceFromOptimiser((q) => { calls++; return problem(q.fareMinor); });
    const q = { origin: 'FRA', destination: 'MAD', cabin: 'Y', currency: 'EUR', channel: 'direct', segmentsPerJourney: 1 };
    const a = plain({ ...q, fareMinor: 9000 });
    expect(plain({ ...q, fareMinor: 12_000 })).toBe(a);
    expect(calls).toBe(1);
    calls = 0;
    const relative = brandSourceFromOptimiser((qq) => { calls++; return problem(qq.fareMinor, { ...DEFAULT_BRAND_RULES, maxStepFractionOfFare: 0.5 }); });
    relative({ ...q, fareMinor: 9000 });
    relative({ ...q, fareMinor: 9000 });
    relative({ ...q, fareMinor: 12_000 });
    expect(calls).toBe(2);
  });
});
