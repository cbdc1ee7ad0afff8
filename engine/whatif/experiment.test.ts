import { describe, expect, it } from 'vitest';
import { createThreeMktMarket } from '../simulation';
import { checkExperimentOptions, runExperiment, type ExperimentOptions, type ExperimentResult } from './experiment';
import { createStrategy } from './strategies';
import { createTrialPool } from './trial-pool';

const small = (o: Partial<ExperimentOptions> & Pick<ExperimentOptions, 'strategy' | 'vs'>): ExperimentOptions =>
  ({ scenario: '3mkt', trials: 2, demand: 'medium', seed: 500, samples: 21, burnIn: 75, ...o });

/** What must repeat exactly: everything but wall-clock timings. */
const repeatable = (r: ExperimentResult) => ({ summary: r.summary, trials: r.trials.map((t) => ({ ...t, a: { ...t.a, elapsedMs: 0 }, b: { ...t.b, elapsedMs: 0 } })) });

describe('revenue simulation', () => {
  it('gives the same result for the same seed and a different one for another seed', async () => {
    const o = small({ strategy: 'dynamic', vs: 'E', trials: 1 });
    const a = await runExperiment(o);
    const b = await runExperiment(o);
    expect(repeatable(a)).toEqual(repeatable(b));
    const c = await runExperiment({ ...o, seed: 501 });
    expect(c.summary.a.total.revenue).not.toBe(a.summary.a.total.revenue);
    // the summary holds both strategies per carrier and in total
    expect(a.summary.a.carriers.map((x) => x.carrier)).toEqual(['AL1', 'AL2']);
    expect(a.summary.a.total.revenue).toBeCloseTo(a.summary.a.carriers[0]!.revenue + a.summary.a.carriers[1]!.revenue, 6);
    expect(a.summary.uplift.mean).toBeCloseTo(a.trials[0]!.upliftPct, 12);
  }, 60_000);

  it('gives the same result with its runs side by side in a pool of worker threads, trials reported in order', async () => {
    const o = small({ strategy: 'dynamic', vs: 'E', trials: 3 });
    const here = await runExperiment(o);
    const pool = createTrialPool(2);
    const order: number[] = [];
    try {
      const pooled = await runExperiment(o, (t) => order.push(t.trial), pool.run, pool.size);
      expect(repeatable(pooled)).toEqual(repeatable(here));
    } finally {
      await pool.close();
    }
    expect(order).toEqual([0, 1, 2]);
  }, 120_000);

  it('answers a run that fails in its worker with the error of that run', async () => {
    const pool = createTrialPool(1);
    try {
      // an assumption runExperiment would refuse, sent to the worker directly: the strategy cannot be made there
      await expect(pool.run(small({ strategy: 'dynamic', vs: 'E', assumptions: { frat5Scale: -1 } }), 1, 'dynamic')).rejects.toThrow(/frat5Scale must be a positive number/);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('runs both strategies on the same passengers: a strategy against itself has no uplift', async () => {
    const r = await runExperiment(small({ strategy: 'E', vs: 'E' }));
    for (const t of r.trials) expect(t.upliftPct).toBe(0);
    expect(r.summary.a).toEqual(r.summary.b);
  }, 30_000);

  it('E earns more than FCFS at high demand on 3MKT', async () => {
    const r = await runExperiment(small({ strategy: 'E', vs: 'fcfs', demand: 'high', trials: 3 }));
    expect(r.summary.uplift.low).toBeGreaterThan(0);
    for (const t of r.trials) expect(t.upliftPct).toBeGreaterThan(5);
    // FCFS fills with the cheapest classes: a higher load factor, a lower average fare
    const [e, f] = [r.summary.a.carriers[0]!, r.summary.b.carriers[0]!];
    expect(f.loadFactor).toBeGreaterThan(e.loadFactor);
    expect(f.averageFare).toBeLessThan(e.averageFare);
  }, 30_000);

  it('conserves seats and revenue under the dynamic strategy: never above capacity, revenue = the fares sold', () => {
    const mk = createThreeMktMarket({ seed: 9, startDate: '2025-01-01', demandMultiplier: 1.2, controllers: { AL1: createStrategy('dynamic') }, record: 'all' });
    const sim = mk.sim;
    const L = sim.legs;
    const violations: string[] = [];
    let checked = 0;
    for (let d = 0; d < 100; d++) {
      mk.advanceDays(1);
      if (d % 5) continue;
      for (let leg = 0; leg < L.nLegs; leg++) {
        if (L.stateOf(leg) === 0) continue;
        let sum = 0;
        for (let c = 0; c < L.mc; c++) sum += L.soldOf(leg, c);
        if (sum !== L.cabSoldOf(leg, 0)) violations.push(`leg ${leg}: classes sum to ${sum}, cabin sold ${L.cabSoldOf(leg, 0)}`);
        if (L.cabSoldOf(leg, 0) > L.capOf(leg, 0)) violations.push(`leg ${leg}: ${L.cabSoldOf(leg, 0)} sold of ${L.capOf(leg, 0)} seats`);
        checked++;
      }
    }
    expect(violations).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
    // the dynamic strategy does control: on flights still on sale some class of ours is limited below the cabin
    const inv = mk.inventory({ carrier: 'AL1', from: mk.today(), to: '2025-12-31' });
    expect(inv.length).toBeGreaterThan(0);
    expect(inv.some((r) => r.authorised < r.capacity || r.status === 'closed')).toBe(true);
    // revenue: the booking log's fares (none cancelled in 3MKT) = the carriers' totals = the legs' prorated revenue
    let logged = 0;
    for (let i = 0; i < sim.log.n; i++) logged += sim.log.value[i]!;
    let carriers = 0;
    for (const c of sim.net.carriers) carriers += sim.marketingTotals(c.idx, L.day0, sim.curDay + 200).revenue;
    let legs = 0;
    for (let leg = 0; leg < L.nLegs; leg++) for (let c = 0; c < L.mc; c++) legs += L.revenueOf(leg, c);
    expect(logged).toBeGreaterThan(0);
    expect(Math.abs(logged - carriers) / carriers).toBeLessThan(1e-9);
    expect(Math.abs(legs - carriers) / carriers).toBeLessThan(1e-9);
  }, 60_000);

  it('names the option at fault', () => {
    expect(() => checkExperimentOptions(small({ strategy: 'E', vs: 'fcfs', trials: 0 }))).toThrow(/trials must be a whole number >= 1/);
    expect(() => checkExperimentOptions(small({ strategy: 'E', vs: 'fcfs', demand: 'huge' as 'low' }))).toThrow(/demand must be low, medium or high/);
    expect(() => createStrategy('dynamic', { assumptions: { frat5Scale: -1 } })).toThrow(/frat5Scale/);
  });
});
