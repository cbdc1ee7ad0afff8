import { describe, expect, it } from 'vitest';
import { authorisedCapacity } from './overbooking';

/** P(Binomial(y, q) >= m) by the closed form, for the check. */
function tail(y: number, q: number, m: number): number {
  let s = 0;
  for (let k = m; k <= y; k++) {
    let c = 1;
    for (let i = 0; i < k; i++) c = (c * (y - i)) / (i + 1);
    s += c * q ** k * (1 - q) ** (y - k);
  }
  return s;
}

describe('overbooking (static risk model)', () => {
  it('authorises the first y at which one more booking costs more in denied boardings than it earns', () => {
    const input = { capacity: 100, showRate: 0.9, deniedBoardingCost: 400, marginalFare: 100 };
    const r = authorisedCapacity(input);
    expect(r.authorised).toBeGreaterThan(100);
    expect(r.capped).toBe(false);
    // the rule holds at y − 1 and fails at y
    expect(100).toBeGreaterThanOrEqual(400 * 0.9 * tail(r.authorised - 1, 0.9, 100));
    expect(100).toBeLessThan(400 * 0.9 * tail(r.authorised, 0.9, 100));
    expect(r.deniedProbability).toBeCloseTo(tail(r.authorised, 0.9, 101), 10);
  });

  it('overbooks less when denied boardings cost more, and not at all when everyone shows', () => {
    const cheap = authorisedCapacity({ capacity: 150, showRate: 0.92, deniedBoardingCost: 200, marginalFare: 80 });
    const dear = authorisedCapacity({ capacity: 150, showRate: 0.92, deniedBoardingCost: 2000, marginalFare: 80 });
    expect(dear.authorised).toBeLessThan(cheap.authorised);
    expect(authorisedCapacity({ capacity: 150, showRate: 1, deniedBoardingCost: 200, marginalFare: 80 }).authorised).toBe(150);
  });

  it('respects the cap and says so', () => {
    const r = authorisedCapacity({ capacity: 100, showRate: 0.5, deniedBoardingCost: 10, marginalFare: 100, maxOverbookingPct: 10 });
    expect(r).toMatchObject({ authorised: 110, overbooked: 10, capped: true });
  });

  it('refuses a show rate outside (0, 1]', () => {
    expect(() => authorisedCapacity({ capacity: 10, showRate: 0, deniedBoardingCost: 1, marginalFare: 1 })).toThrow(/showRate/);
  });
});
