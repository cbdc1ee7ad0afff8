import { describe, expect, it } from 'vitest';
import { estimateAncillaries, estimatesFor } from './estimation';
import { syntheticHistory, type TruthItem } from './synthetic-history';

const ITEMS: TruthItem[] = [
  { code: 'BAG1', basePriceMinor: 3000, wtp: { business: { meanMinor: 3800, scaleMinor: 900 }, leisure: { meanMinor: 2600, scaleMinor: 700 } } },
  { code: 'SEAT_XL', basePriceMinor: 4000, wtp: { business: { meanMinor: 4200, scaleMinor: 1200 }, leisure: { meanMinor: 1800, scaleMinor: 900 } } },
];

describe('ancillary estimation', () => {
  const h = syntheticHistory({ seed: 7, days: 120, bookingsPerFlight: 40, businessShare: 0.3, items: ITEMS, priceMultipliers: [0.7, 0.85, 1, 1.15, 1.3] });
  const est = estimateAncillaries({ bookings: h.bookings, legs: h.legs, airports: h.airports, ladder: h.ladder });

  it('classifies segments by purpose proxy, channel and haul, and reports shares', () => {
    const ids = est.segments.map((s) => s.id).sort();
    expect(ids).toEqual(['business/direct/long', 'business/direct/short', 'business/ota/long', 'business/ota/short', 'leisure/direct/long', 'leisure/direct/short', 'leisure/ota/long', 'leisure/ota/short']);
    const business = est.segments.filter((s) => s.key.purpose === 'business').reduce((s, x) => s + x.share, 0);
    expect(business).toBeGreaterThan(0.25);
    expect(business).toBeLessThan(0.35);
    expect(est.segments.reduce((s, x) => s + x.share, 0)).toBeCloseTo(1, 9);
    expect(est.quarantined).toEqual([]);
  });

  it('recovers the willingness to pay per purpose from varied prices, within its uncertainty', () => {
    for (const purpose of ['business', 'leisure'] as const) {
      for (const item of ITEMS) {
        const e = estimatesFor(est, `${purpose}/direct/short`, 'EUR').get(item.code)!;
        expect(e.priceResponse.status).toBe('estimated');
        expect(e.wtp!.source).toBe('price_response');
        const truth = item.wtp[purpose];
        const tol = Math.max(3 * e.wtp!.meanStdErrMinor, 0.05 * truth.meanMinor);
        expect(Math.abs(e.wtp!.meanMinor - truth.meanMinor), `${purpose} ${item.code}`).toBeLessThan(tol);
        expect(e.wtp!.scaleMinor / truth.scaleMinor).toBeGreaterThan(0.7);
        expect(e.wtp!.scaleMinor / truth.scaleMinor).toBeLessThan(1.4);
        // the true attach rate at the mean price lies in the 95 % interval (loosely: the raw rate's)
        const [lo, hi] = e.attachRate.ci95;
        expect(e.attachRate.raw).toBeGreaterThanOrEqual(lo);
        expect(e.attachRate.raw).toBeLessThanOrEqual(hi);
        if (e.priceResponse.status === 'estimated') expect(e.priceResponse.elasticityAtMean).toBeLessThan(0);
      }
    }
  });

  it('falls back to a stated prior scale when the price never varied, and says why', () => {
    const flat = syntheticHistory({ seed: 8, days: 40, bookingsPerFlight: 30, businessShare: 0.3, items: ITEMS, priceMultipliers: [1] });
    const e = estimateAncillaries({ bookings: flat.bookings, legs: flat.legs, airports: flat.airports, ladder: flat.ladder });
    const bag = estimatesFor(e, 'leisure/direct/short', 'EUR').get('BAG1')!;
    expect(bag.priceResponse).toMatchObject({ status: 'none', reason: expect.stringMatching(/1 distinct offered price/) });
    expect(bag.wtp!.source).toBe('prior_scale');
    expect(bag.wtp!.scaleMinor).toBeCloseTo(0.35 * 3000, 6);
    // the WTP reproduces the observed (shrunk) attach rate at the observed price
    const implied = 1 / (1 + Math.exp(-(bag.wtp!.meanMinor - 3000) / bag.wtp!.scaleMinor));
    expect(implied).toBeCloseTo(bag.attachRate.shrunk, 3);
  });

  it('shrinks a small segment towards the pooled rate and borrows the pooled slope', () => {
    const small = syntheticHistory({ seed: 9, days: 60, bookingsPerFlight: 30, businessShare: 0.3, items: ITEMS, priceMultipliers: [0.8, 1, 1.2] });
    // keep only a handful of business bookings in the OTA channel
    let kept = 0;
    const bookings = small.bookings.filter((b) => {
      const business = b.rbd === 'Y' || b.rbd === 'B';
      if (!(business && b.channel === 'ota' && b.journeyDestination === 'LHR')) return true;
      kept++;
      return kept <= 8;
    });
    const e = estimateAncillaries({ bookings, legs: small.legs, airports: small.airports, ladder: small.ladder });
    const seg = estimatesFor(e, 'business/ota/short', 'EUR').get('BAG1')!;
    const pooled = estimatesFor(e, 'all', 'EUR').get('BAG1')!;
    expect(seg.passengers).toBeLessThanOrEqual(16);
    const raw = seg.attachRate.raw;
    // the shrunk rate lies between the segment's raw rate and the pooled rate
    expect(seg.attachRate.shrunk).toBeGreaterThanOrEqual(Math.min(raw, pooled.attachRate.raw) - 1e-12);
    expect(seg.attachRate.shrunk).toBeLessThanOrEqual(Math.max(raw, pooled.attachRate.raw) + 1e-12);
    expect(seg.priceResponse.status).toBe('pooled');
    expect(seg.wtp!.source).toBe('pooled_price_response');
  });

  it('imputes the price a non-buyer was offered from buyers of the same flight', () => {
    const pooled = estimatesFor(est, 'all', 'EUR').get('BAG1')!;
    // with 40 bookings a flight and attach around 40 %, every flight has a buyer: nothing left unpriced
    expect(pooled.unpriced).toBe(0);
    expect(pooled.meanPriceMinor).toBeGreaterThan(2500);
    expect(pooled.meanPriceMinor).toBeLessThan(3500);
  });

  it('quarantines bad records naming the field, skips cancelled bookings and treats amount-0 items as bundled', () => {
    const base = h.bookings[0]!;
    const bookings = [
      { ...base, id: 'X1', flightId: 'DF999/2025-01-01/FRA' },
      { ...base, id: 'X2', ancillaries: [{ code: 'PARROT', amountMinor: 100, currency: 'EUR' }] },
      { ...base, id: 'X3', ancillaries: [{ code: 'BAG1', amountMinor: 100, currency: 'USD' }] },
      { ...base, id: 'X4', passengers: 0 },
      { ...base, id: 'X5', journeyOrigin: 'ZZZ' },
      { ...base, id: 'X6', status: 'cancelled' as const },
      { ...base, id: 'X7', passengers: 1, ancillaries: [{ code: 'BAG1', amountMinor: 0, currency: 'EUR' }] },
    ];
    const e = estimateAncillaries({ bookings, legs: h.legs, airports: h.airports, ladder: h.ladder });
    expect(e.quarantined.map((q) => [q.bookingId, q.field])).toEqual([
      ['X1', 'flightId'], ['X2', 'ancillaries[0].code'], ['X3', 'ancillaries[0].currency'], ['X4', 'passengers'], ['X5', 'journeyOrigin'],
    ]);
    expect(e.quarantined[1]!.reason).toMatch(/unknown ancillary code "PARROT"/);
    // X2 and X3 keep the booking (only the bad item is quarantined); X7 holds BAG1 through a bundle
    expect(e.used.bookings).toBe(3);
    const bag = estimatesFor(e, 'all', 'EUR').get('BAG1')!;
    expect(bag.bundled).toBe(1);
    expect(bag.passengers).toBe(e.used.passengers - 1);
  });
});
