import { describe, expect, it } from 'vitest';
import { fitLogistic, sigmoid, softplus, wilsonInterval } from './stats';

describe('stats', () => {
  it('recovers the parameters of a logistic response from expected counts', () => {
    const a = 2.4; const b = -0.0008; // per minor unit: 50 % attach at 3000
    const cells = [2000, 2500, 3000, 3500, 4000].map((x) => ({ x, trials: 10_000, successes: 10_000 * sigmoid(a + b * x) }));
    const f = fitLogistic(cells)!;
    expect(f.converged).toBe(true);
    expect(f.a).toBeCloseTo(a, 6);
    expect(f.b).toBeCloseTo(b, 9);
    // standard error shrinks with data: four times the data, half the standard error
    const g = fitLogistic(cells.map((c) => ({ ...c, trials: c.trials * 4, successes: c.successes * 4 })))!;
    expect(Math.sqrt(g.covBB) / Math.sqrt(f.covBB)).toBeCloseTo(0.5, 6);
  });

  it('refuses a covariate that does not vary and a completely separated response', () => {
    expect(fitLogistic([{ x: 100, trials: 50, successes: 20 }])).toBeUndefined();
    expect(fitLogistic([{ x: 100, trials: 50, successes: 50 }, { x: 200, trials: 50, successes: 0 }])).toBeUndefined();
  });

  it('Wilson interval matches the published value for 0 of 10 and 5 of 10', () => {
    const [lo, hi] = wilsonInterval(0, 10);
    expect(lo).toBe(0);
    expect(hi).toBeCloseTo(0.2775, 4);
    const [lo5, hi5] = wilsonInterval(5, 10);
    expect(lo5).toBeCloseTo(0.2366, 4);
    expect(hi5).toBeCloseTo(0.7634, 4);
  });

  it('softplus and sigmoid are stable at the extremes', () => {
    expect(softplus(800)).toBe(800);
    expect(softplus(-800)).toBe(0);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
  });
});
