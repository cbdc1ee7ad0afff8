import { describe, expect, it } from 'vitest';
import { AccuracyAccumulator, backtestKey } from './backtest';
import { normaliseDcps } from './dcp';
import { syntheticKey } from './synthetic';

const DCPS = normaliseDcps([63, 56, 49, 42, 35, 31, 28, 24, 21, 17, 14, 10, 7, 5, 3, 1]);
const SHAPE = [3, 1.5, 1.5, 1.5, 1.5, 1, 1, 1.2, 1.4, 1.6, 2, 2.5, 2.6, 2.8, 3, 3, 1];
const DAYS = Array.from({ length: 180 }, (_, i) => 19000 + i);
const LAST = DAYS[DAYS.length - 1]!;
const settings = { factors: false, alpha: 0.3 } as const;
const points = [1, 4, 8, 12, 15];

function scores(seed: number, extra: Parameters<typeof syntheticKey>[0] extends infer O ? Partial<O> : never) {
  const acc = new AccuracyAccumulator(DCPS);
  for (let k = 0; k < 3; k++) backtestKey(syntheticKey({ seed: seed + k, days: DAYS, shape: SHAPE, ...extra }).history, { dcps: DCPS, holdout: 10, settings, points, naive: false }, acc);
  return acc;
}

describe('method selection on synthetic series where each method wins in turn', () => {
  it('picks additive pickup for stationary demand with a past, temporary surge', () => {
    // a surge 40 to 20 days before the held-out departures: recency weighting over-reacts to it,
    // and independent periods make bookings on hand uninformative
    const acc = scores(100, { level: (day) => (day > LAST - 75 && day <= LAST - 45 ? 2.2 : 1) });
    expect(acc.best()).toBe('additive');
  });

  it('picks exponential smoothing after a lasting level shift', () => {
    const acc = scores(200, { level: (day) => (day > LAST - 90 ? 2 : 1) });
    expect(acc.best()).toBe('exp-smoothing');
  });

  it('picks multiplicative pickup when each departure has its own scale that its early bookings reveal', () => {
    const acc = scores(300, { scaleSd: 0.7, shape: SHAPE.map((s) => s * 3) });
    expect(acc.best()).toBe('multiplicative');
  });
});

describe('accuracy figures', () => {
  it('reports WAPE, MAPE and bias by method and DCP, and skips censored cells', () => {
    const { history } = syntheticKey({ seed: 5, days: DAYS, shape: SHAPE, closeProb: 0.1 });
    const acc = backtestKey(history, { dcps: DCPS, holdout: 6, settings, points: [1, 8] });
    const rows = acc.summary();
    const overall = acc.overall('additive')!;
    expect(overall.cells).toBeGreaterThan(0);
    expect(overall.cells).toBeLessThan(12); // some cells censored
    expect(overall.wape).toBeGreaterThan(0);
    expect(overall.wape).toBeLessThan(0.5);
    const byDcp = rows.filter((r) => r.method === 'additive' && r.dcpIndex !== null);
    expect(byDcp.map((r) => r.dcp)).toEqual([63, 24]); // forecasts made at DCP index k − 1
    expect(byDcp.reduce((a, r) => a + r.cells, 0)).toBe(overall.cells);
    // WAPE and bias by hand from the sums
    expect(overall.wape).toBeGreaterThanOrEqual(Math.abs(overall.bias));
  });

  it('scores same-as-last-year and pairs it with each method', () => {
    const days = Array.from({ length: 400 }, (_, i) => 19000 + i);
    const acc = backtestKey(syntheticKey({ seed: 9, days, shape: SHAPE, scaleSd: 0.2 }).history, { dcps: DCPS, holdout: 8, settings, points: [2, 10] });
    const naive = acc.overall('same-as-last-year')!;
    expect(naive.cells).toBe(16);
    const v = acc.versusNaive('additive')!;
    expect(v.cells).toBe(16);
    expect(v.methodWape).toBeLessThan(v.naiveWape);
  });
});
