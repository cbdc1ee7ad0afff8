import { describe, expect, it } from 'vitest';
import { createThreeMktMarket } from '../../simulation';
import { bookedInsideAdvancePurchase } from './advancePurchase';
import { DynamicController } from './controller';

const DCPS = [63, 56, 49, 42, 35, 31, 28, 24, 21, 17, 14, 10, 7, 5, 3, 1, 0];

describe('advance purchase learnt from bookings', () => {
  it('is broken only by a booking in a period wholly inside the window', () => {
    const at = (period: number) => (k: number) => (k === period ? 1 : 0);
    // AP 21: period 9 holds bookings made 17–20 days out (inside); period 8 holds 21–23 (outside)
    expect(bookedInsideAdvancePurchase(DCPS, 21, at(9))).toBe(true);
    expect(bookedInsideAdvancePurchase(DCPS, 21, at(8))).toBe(false);
    // AP 3: period 15 holds 1–2 days out (inside); period 14 holds 3–4 (outside)
    expect(bookedInsideAdvancePurchase(DCPS, 3, at(15))).toBe(true);
    expect(bookedInsideAdvancePurchase(DCPS, 3, at(14))).toBe(false);
    // no rule, or net bookings of zero or below, never count
    expect(bookedInsideAdvancePurchase(DCPS, 0, () => 5)).toBe(false);
    expect(bookedInsideAdvancePurchase(DCPS, 21, () => 0)).toBe(false);
    expect(bookedInsideAdvancePurchase(DCPS, 21, () => -1)).toBe(false);
  });

  it('learns on 3MKT (advance purchase disabled) that its restricted classes sell inside their windows', () => {
    const ctl = new DynamicController();
    const mk = createThreeMktMarket({ seed: 11, startDate: '2025-01-01', controllers: { AL1: ctl }, record: 'none' });
    expect(ctl.advancePurchaseIgnored().some(Boolean)).toBe(false);
    mk.advanceDays(30);
    const learnt = ctl.advancePurchaseIgnored();
    // Y0 and Y1 have no advance purchase: nothing to learn; Y5 (21 days) sells to the last days
    expect(learnt[0]).toBe(false);
    expect(learnt[1]).toBe(false);
    expect(learnt[5]).toBe(true);
  }, 30_000);
});
