import { describe, expect, it } from 'vitest';
import { buildBrandProblem } from './brand-problem';
import { optimiseBrandedFares } from './branded-fares';
import { defaultCatalogue } from './catalogue';
import { estimateAncillaries } from './estimation';
import { syntheticHistory, type TruthItem } from './synthetic-history';

const ITEMS: TruthItem[] = [
  { code: 'BAG1', basePriceMinor: 3000, wtp: { business: { meanMinor: 3800, scaleMinor: 900 }, leisure: { meanMinor: 2600, scaleMinor: 700 } } },
  { code: 'SEAT_STD', basePriceMinor: 800, wtp: { business: { meanMinor: 1100, scaleMinor: 400 }, leisure: { meanMinor: 500, scaleMinor: 300 } } },
  { code: 'SEAT_XL', basePriceMinor: 2200, wtp: { business: { meanMinor: 2600, scaleMinor: 700 }, leisure: { meanMinor: 1200, scaleMinor: 500 } } },
  { code: 'FLEX_CHG', basePriceMinor: 3500, wtp: { business: { meanMinor: 4500, scaleMinor: 1500 }, leisure: { meanMinor: 1200, scaleMinor: 800 } } },
  { code: 'FLEX_REF', basePriceMinor: 6000, wtp: { business: { meanMinor: 7000, scaleMinor: 2500 }, leisure: { meanMinor: 1500, scaleMinor: 1200 } } },
  { code: 'PRIO', basePriceMinor: 900, wtp: { business: { meanMinor: 1200, scaleMinor: 400 }, leisure: { meanMinor: 400, scaleMinor: 300 } } },
];

describe('brand problem from the booking history', () => {
  const h = syntheticHistory({ seed: 11, days: 60, bookingsPerFlight: 30, businessShare: 0.3, items: ITEMS, priceMultipliers: [0.8, 0.9, 1, 1.1, 1.2] });
  const est = estimateAncillaries({ bookings: h.bookings, legs: h.legs, airports: h.airports, ladder: h.ladder });
  const catalogue = defaultCatalogue();

  it('takes the market segment mix, journey WTPs and catalogue prices, and prices the brands', () => {
    const { input, notes } = buildBrandProblem({ estimates: est, catalogue, market: { origin: 'FRA', destination: 'LHR', cabin: 'Y', haul: 'short', segmentsPerJourney: 1 }, currency: 'EUR', fareMinor: 9900 });
    expect(input.segments.map((s) => s.id).sort()).toEqual(['business/direct/short', 'business/ota/short', 'leisure/direct/short', 'leisure/ota/short']);
    expect(input.alaCarteMinor.BAG1).toBe(3000);
    // MEAL was never bought in the history: nobody values it, but it is still sold at its catalogue price
    expect(input.segments[0]!.wtp.MEAL).toBeUndefined();
    expect(input.alaCarteMinor.MEAL).toBe(900);
    expect(notes).toEqual([]);
    const r = optimiseBrandedFares(input);
    expect(r.brands.map((b) => b.code)).toEqual(['LIGHT', 'CLASSIC', 'FLEX']);
    expect(r.outcome.incrementalPerPax).toBeGreaterThan(0);
  });

  it('scales per-segment items to a connecting journey and notes what it assumed', () => {
    const one = buildBrandProblem({ estimates: est, catalogue, market: { origin: 'LHR', destination: 'JFK', cabin: 'Y', haul: 'long', segmentsPerJourney: 1 }, currency: 'EUR', fareMinor: 40_000 });
    const two = buildBrandProblem({ estimates: est, catalogue, market: { origin: 'LHR', destination: 'JFK', cabin: 'Y', haul: 'long', segmentsPerJourney: 2 }, currency: 'EUR', fareMinor: 40_000 });
    expect(two.input.alaCarteMinor.SEAT_XL).toBe(2 * one.input.alaCarteMinor.SEAT_XL!);
    expect(two.input.alaCarteMinor.BAG1).toBe(one.input.alaCarteMinor.BAG1);
    expect(two.input.segments[0]!.wtp.SEAT_XL!.meanMinor).toBeCloseTo(2 * one.input.segments[0]!.wtp.SEAT_XL!.meanMinor, 9);
    expect(one.notes).toContain('MEAL has no à-la-carte price in EUR for LHR-JFK: not sold separately');
    const usd = buildBrandProblem({ estimates: est, catalogue, market: { origin: 'FRA', destination: 'LHR', cabin: 'Y', haul: 'short', segmentsPerJourney: 1 }, currency: 'USD', fareMinor: 9900 });
    expect(usd.notes.join(' ')).toMatch(/no booking history in USD/);
  });
});
