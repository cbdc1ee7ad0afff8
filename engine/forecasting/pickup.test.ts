import { describe, expect, it } from 'vitest';
import { additivePickup, curvesToPickupsInto, emptyRemainingDemand, multiplicativePickup, multiplicativePickupInto, periodStatsInto } from './pickup';

// three flown departures × four periods of (unconstrained) pickup
const H = [
  2, 3, 5, 10,
  4, 1, 7, 8,
  3, 2, 6, 12,
];

describe('additive pickup', () => {
  it('sums the mean pickups still to come; sd from the remaining-demand row sums', () => {
    // remaining from period 2: 15, 15, 18 → mean 16; sample variance ((−1)² + (−1)² + 2²)/2 = 3
    const f = additivePickup(H, 3, 4, 2);
    expect(f.mean).toBeCloseTo(16, 12);
    expect(f.sd).toBeCloseTo(Math.sqrt(3), 12);
    expect(f).toMatchObject({ departures: 3, fallback: false });
  });

  it('uses the completed periods of departures still in their horizon (advanced pickup)', () => {
    const ragged = [...H, 5, 4, NaN, NaN];
    // period 1: (3 + 1 + 2 + 4)/4 = 2.5; periods 2, 3 as before: 6 + 10
    expect(additivePickup(ragged, 4, 4, 1).mean).toBeCloseTo(18.5, 12);
    expect(additivePickup(ragged, 4, 4, 2).mean).toBeCloseTo(16, 12);
  });

  it('weights the history', () => {
    const f = additivePickup(H, 3, 4, 2, [0, 0, 1]);
    expect(f.mean).toBeCloseTo(18, 12);
    expect(f.sd).toBe(0);
  });

  it('is zero past departure and without history', () => {
    expect(additivePickup(H, 3, 4, 4)).toMatchObject({ mean: 0, sd: 0 });
    expect(additivePickup([], 0, 4, 0)).toMatchObject({ mean: 0, sd: 0, departures: 0 });
  });

  it('rejects a malformed matrix, naming the field', () => {
    expect(() => additivePickup(H, 4, 4, 0)).toThrow(/fewer than departures × periods/);
    expect(() => additivePickup(H, 3, 4, 5)).toThrow(/fromPeriod/);
  });
});

describe('multiplicative pickup', () => {
  it('scales bookings on hand by the historic ratio of remaining to on-hand bookings', () => {
    // on hand at period 2: 5, 5, 5; remaining 15, 15, 18 → ratio 48/15 = 3.2; ratios 3, 3, 3.6 → sd √0.12
    const f = multiplicativePickup(H, 3, 4, 2, 6);
    expect(f.mean).toBeCloseTo(6 * 3.2, 12);
    expect(f.sd).toBeCloseTo(6 * Math.sqrt(0.12), 12);
    expect(f.fallback).toBe(false);
  });

  it('falls back to additive pickup, flagged, with nothing on hand', () => {
    const out = emptyRemainingDemand();
    multiplicativePickupInto(H, 3, 4, 2, 0, out);
    expect(out).toMatchObject({ fallback: true });
    expect(out.mean).toBeCloseTo(16, 12);
  });
});

describe('per-period statistics and curves', () => {
  it('gives the mean and sd of each period', () => {
    const m = new Float64Array(4);
    const s = new Float64Array(4);
    expect(periodStatsInto(H, 3, 4, m, s)).toBe(3);
    expect(Array.from(m)).toEqual([3, 2, 6, 10]);
    expect(s[0]).toBeCloseTo(1, 12);
    expect(s[3]).toBeCloseTo(2, 12);
  });

  it('turns cumulative curves into pickups, in place, keeping unobserved cells NaN', () => {
    const c = [2, 5, 10, 20, 1, 1, NaN, NaN];
    curvesToPickupsInto(c, 2, 4, c);
    expect(c).toEqual([2, 3, 5, 10, 1, 0, NaN, NaN]);
  });
});
