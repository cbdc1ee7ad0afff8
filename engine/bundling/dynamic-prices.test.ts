import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DYNAMIC_RULES, dynamicAncillaryPrice, interpolate, parseDynamicRule, type DynamicAncillaryRule } from './dynamic-prices';
import { sumComponents } from './explanation';

const seatXl = DEFAULT_DYNAMIC_RULES.find((r) => r.code === 'SEAT_XL')!;

describe('dynamic ancillary prices', () => {
  it('interpolates curves linearly and flat beyond their ends', () => {
    const c = [{ at: 0.5, multiplier: 0.8 }, { at: 1, multiplier: 1.2 }];
    expect(interpolate(c, 0.2)).toBe(0.8);
    expect(interpolate(c, 0.75)).toBeCloseTo(1.0, 12);
    expect(interpolate(c, 1.3)).toBe(1.2);
  });

  it('raises an extra-legroom seat on a full flight close to departure, explained step by step', () => {
    const p = dynamicAncillaryPrice({ base: { amountMinor: 4000, currency: 'EUR' }, loadFactor: 0.95, daysToDeparture: 0, rule: seatXl });
    // 4000 × 1.3 = 5200, × 1.1 = 5720, rounded to 5700; ceiling 1.6 × 4000 = 6400 not reached
    expect(p.amountMinor).toBe(5700);
    expect(p.components.map((c) => [c.key, c.amountMinor])).toEqual([
      ['base', 4000], ['load_factor', 1200], ['time_to_departure', 520], ['rounding', -20], ['guardrail:max_step', 0], ['guardrail:floor_ceiling', 0],
    ]);
    expect(p.clamps).toEqual([]);
  });

  it('limits the change from the previous price, and the floor wins over the step limit', () => {
    const p = dynamicAncillaryPrice({ base: { amountMinor: 4000, currency: 'EUR' }, loadFactor: 0.95, daysToDeparture: 0, previousMinor: 4000, rule: seatXl });
    expect(p.amountMinor).toBe(4800); // +20 % of 4000
    expect(p.clamps).toEqual(['max_step']);
    const q = dynamicAncillaryPrice({ base: { amountMinor: 4000, currency: 'EUR' }, loadFactor: 0.2, daysToDeparture: 60, previousMinor: 1000, rule: seatXl });
    expect(q.amountMinor).toBe(2800); // floor 0.7 × 4000, though the step limit allowed only 1200
    expect(q.clamps).toEqual(['max_step', 'floor']);
    expect(sumComponents(q.components)).toBe(q.amountMinor);
  });

  it('never leaves its guardrails and always sums exactly (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 100_000 }), fc.double({ min: 0, max: 1.2, noNaN: true }), fc.integer({ min: 0, max: 365 }),
      fc.option(fc.integer({ min: 0, max: 200_000 }), { nil: undefined }), fc.constantFrom(...DEFAULT_DYNAMIC_RULES),
      (base, lf, days, previousMinor, rule: DynamicAncillaryRule) => {
        const p = dynamicAncillaryPrice({ base: { amountMinor: base, currency: 'EUR' }, loadFactor: lf, daysToDeparture: days, previousMinor, rule });
        expect(sumComponents(p.components)).toBe(p.amountMinor);
        expect(p.amountMinor).toBeGreaterThanOrEqual(p.floorMinor);
        expect(p.amountMinor).toBeLessThanOrEqual(p.ceilingMinor);
        if (previousMinor !== undefined && !p.clamps.includes('floor') && !p.clamps.includes('ceiling')) {
          expect(Math.abs(p.amountMinor - previousMinor)).toBeLessThanOrEqual(Math.floor(previousMinor * rule.maxStepFraction!));
        }
      },
    ), { numRuns: 500, seed: 42 });
  });

  it('rejects bad rules naming the field', () => {
    expect(() => parseDynamicRule({ ...seatXl, byLoadFactor: [{ at: 0.9, multiplier: 1 }, { at: 0.5, multiplier: 1 }] })).toThrow(/byLoadFactor: points must be in strictly increasing order/);
    expect(() => parseDynamicRule({ ...seatXl, code: 'PONY' })).toThrow(/code:/);
    expect(() => dynamicAncillaryPrice({ base: { amountMinor: 1000, currency: 'EUR' }, loadFactor: 0.5, daysToDeparture: 3, rule: { ...seatXl, floorMinor: 5000, ceilingFraction: 1 } })).toThrow(/floor 5000 exceeds the ceiling 1000/);
  });
});
