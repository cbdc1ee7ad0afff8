import { describe, expect, it } from 'vitest';
import { createThreeMktMarket } from '../../simulation';
import { DynamicController } from './controller';
import { displacementAdjustedValue } from './displacement';

describe('displacement-adjusted value of a class on a leg', () => {
  it('values local passengers at the local fare and connecting ones at their fare less the other leg\'s bid', () => {
    // 3MKT BOS-ORD Y0: 2 local at 400, 3 BOS-LAX at 750 with the ORD-LAX bid price at 150 → (800 + 1,800) / 5
    expect(displacementAdjustedValue(2, 400, [{ passengers: 3, fare: 750, otherLegBid: 150 }])).toBeCloseTo(520, 10);
    // a bid above the fare: the connecting passenger is worth nothing here, never less
    expect(displacementAdjustedValue(1, 100, [{ passengers: 1, fare: 200, otherLegBid: 260 }])).toBeCloseTo(50, 10);
    // only connecting passengers, several markets; an unfiled fare or nobody counts for nothing
    expect(displacementAdjustedValue(0, 400, [{ passengers: 1, fare: 300, otherLegBid: 100 }, { passengers: 1, fare: 500, otherLegBid: 0 }, { passengers: 4, fare: NaN, otherLegBid: 0 }])).toBeCloseTo(350, 10);
    expect(displacementAdjustedValue(0, 400, [{ passengers: 0, fare: 750, otherLegBid: 0 }])).toBeNaN();
  });

  it('on 3MKT values the short leg\'s top class above its mileage share of the connecting fare', () => {
    const ctl = new DynamicController();
    const mk = createThreeMktMarket({ seed: 12, startDate: '2025-01-01', controllers: { AL1: ctl }, record: 'none' });
    mk.advanceDays(110);
    const v = ctl.classValues();
    const bosOrd = v.find((x) => x.origin === 'BOS' && x.destination === 'ORD')!;
    const ordLax = v.find((x) => x.origin === 'ORD' && x.destination === 'LAX')!;
    // Y0 on BOS-ORD: local 400, BOS-LAX 750 less the ORD-LAX bid; the mileage share of 750 is about 250
    expect(bosOrd.prorated[0]!).toBeLessThan(300);
    expect(bosOrd.displacementAdjusted[0]!).toBeGreaterThan(400);
    expect(bosOrd.displacementAdjusted[0]!).toBeLessThan(750);
    // every class's value is within its fares: below the connecting fare, the lowest one above zero
    for (const x of [bosOrd, ordLax]) for (const d of x.displacementAdjusted) { expect(d).toBeGreaterThan(0); expect(d).toBeLessThanOrEqual(750); }
  }, 30_000);
});
