import { describe, expect, it } from 'vitest';
import { FlightHistory } from './history';
import { levelPrior, nearestLevel, posteriorLevel } from './demandLevel';

/** A history of one class over 3 periods: each departure books `perPeriod[d]` in every period. */
function history(perPeriod: readonly number[]): FlightHistory {
  const h = new FlightHistory(26, 1, 3, 0.1);
  for (const b of perPeriod) h.add(0, () => b, () => false, () => 100, () => 3 * b * 100, () => 3 * b);
  return h;
}

describe('demand level of a departure', () => {
  it('expects the history mean of cumulative bookings before each period', () => {
    const p = levelPrior(history([2, 4, 6]), [0]);
    expect(Array.from(p.expected)).toEqual([0, 4, 8, 12]);
  });

  it('takes the prior shape from the dispersion beyond Poisson, bounded', () => {
    // cumulative before period 1: 2, 4, 6 → mean 4, variance 4: Poisson, no excess → the upper bound
    expect(levelPrior(history([2, 4, 6]), [0]).alpha[1]).toBe(400);
    // 0, 10, 20 → mean 10, variance 100: 1/α = (100 − 10)/100 = 0.9 → below the lower bound 4
    expect(levelPrior(history([0, 10, 20]), [0]).alpha[1]).toBe(4);
    // before period 3: 15, 30, 45 → mean 30, variance 225: 1/α = 195/900
    expect(levelPrior(history([5, 10, 15]), [0]).alpha[3]).toBeCloseTo(900 / 195, 10);
  });

  it('needs two departures: none or one gives no information', () => {
    const p = levelPrior(history([7]), [0]);
    expect(Array.from(p.expected)).toEqual([0, 0, 0, 0]);
  });

  it('moves the level towards what the departure booked, the more so the less dispersed the prior', () => {
    expect(posteriorLevel(10, 10, 8)).toBe(1);
    expect(posteriorLevel(20, 10, 10)).toBeCloseTo(1.5, 12);
    expect(posteriorLevel(0, 10, 10)).toBeCloseTo(0.5, 12);
    expect(posteriorLevel(20, 10, 400)).toBeLessThan(posteriorLevel(20, 10, 10));
    expect(posteriorLevel(0, 0, 5)).toBe(1);
    expect(() => posteriorLevel(1, 1, 0)).toThrow(/alpha must be > 0/);
  });

  it('picks the nearest level on a log scale', () => {
    const levels = [0.6, 0.75, 0.9, 1, 1.12, 1.28, 1.5, 1.75];
    expect(nearestLevel(levels, 1)).toBe(3);
    expect(nearestLevel(levels, 1.05)).toBe(3);
    expect(nearestLevel(levels, 1.07)).toBe(4);
    expect(nearestLevel(levels, 0.1)).toBe(0);
    expect(nearestLevel(levels, 9)).toBe(7);
  });
});
