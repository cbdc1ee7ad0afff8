import { describe, expect, it } from 'vitest';
import { incompleteBeta, logGamma, mean, pairedInterval, sampleSd, studentTCdf, studentTQuantile } from './stats';

describe('Student t', () => {
  it('matches published quantiles', () => {
    // two-sided 95 % critical values from standard tables
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.262157, 5);
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706205, 4);
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776445, 5);
    expect(studentTQuantile(0.95, 30)).toBeCloseTo(1.697261, 5);
    expect(studentTQuantile(0.975, 1000)).toBeCloseTo(1.962339, 5);
    expect(studentTQuantile(0.025, 9)).toBeCloseTo(-2.262157, 5);
    expect(studentTQuantile(0.5, 7)).toBe(0);
  });

  it('has a CDF that is symmetric and inverts the quantile', () => {
    expect(studentTCdf(0, 5)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(2.015048, 5)).toBeCloseTo(0.95, 6);
    expect(studentTCdf(-1.3, 3) + studentTCdf(1.3, 3)).toBeCloseTo(1, 12);
    for (const df of [2, 9, 25]) for (const p of [0.01, 0.3, 0.9]) expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 9);
  });

  it('rests on ln Γ and the incomplete beta function', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 10);
    // I_x(1, 1) = x; I_x(a, b) = 1 − I_{1−x}(b, a)
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(incompleteBeta(0.2, 2.5, 4) + incompleteBeta(0.8, 4, 2.5)).toBeCloseTo(1, 12);
  });

  it('refuses what has no meaning, naming the argument', () => {
    expect(() => studentTQuantile(1, 5)).toThrow(/p must lie in/);
    expect(() => studentTCdf(1, 0)).toThrow(/degrees of freedom/);
  });
});

describe('paired interval', () => {
  it('is the mean ± t · sd/√n of the differences', () => {
    const d = [1.2, 0.4, 2.1, -0.3, 1.0, 0.8, 1.6, 0.2, 1.1, 0.9];
    const r = pairedInterval(d);
    expect(r.mean).toBeCloseTo(mean(d), 12);
    expect(r.sd).toBeCloseTo(sampleSd(d), 12);
    const half = 2.262157 * (sampleSd(d) / Math.sqrt(10));
    expect(r.low).toBeCloseTo(r.mean - half, 5);
    expect(r.high).toBeCloseTo(r.mean + half, 5);
    expect(r.n).toBe(10);
    expect(sampleSd([1, 2, 3, 4])).toBeCloseTo(1.290994, 6);
  });

  it('has no interval with a single trial', () => {
    const r = pairedInterval([3]);
    expect(r.mean).toBe(3);
    expect(Number.isNaN(r.low) && Number.isNaN(r.high)).toBe(true);
  });
});
