/**
 * The feedback loop on the market simulator (3MKT): our prices reach the simulated PSS through the
 * decision workflow, the simulated bookings come back, and the estimates are judged against the
 * simulator's counterfactual runs (cloned markets), which the engine itself never sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterfactualSlope, startSimLoop, MARKET, type SimLoop } from './__tests__/simLoop';
import { ElasticityFeedback } from './elasticity';
import { overrideImpact } from './overrideImpact';

let loop: SimLoop;
let feedback: ElasticityFeedback;
const estimates: { e: number; se: number }[] = [];

beforeAll(async () => {
  loop = await startSimLoop(3, '2026-01-01');
  feedback = new ElasticityFeedback(loop.store.db, loop.sim.clock, { minObservations: 20 });
  let a = 7;
  const random = () => { a = (a * 16807) % 2147483647; return a / 2147483647; };
  // ten weeks until the market is past its burn-in (the first sale horizon), then a weekly pricing cycle
  for (let day = 0; day < 70 + 7 * 5; day++) {
    if (day >= 70 && day % 7 === 0) {
      await loop.reprice(random, 0.8, 1.25);
      const r = (await feedback.reestimate())[0];
      if (r) estimates.push({ e: r.elasticity, se: r.standardError });
    }
    loop.sim.advanceDays(1);
    loop.syncBookings();
  }
}, 300_000);
afterAll(() => loop?.close());

describe('on the simulator', () => {
  it('re-estimates the elasticity from observed bookings, converging on the simulator\'s counterfactual response', () => {
    // the truth: clones of the market with the flight's open departures at 95 %, 100 % and 105 % of the base fares
    const truth = counterfactualSlope(loop, [0.95, 1, 1.05]);
    expect(truth).toBeLessThan(-1);
    expect(estimates.length).toBeGreaterThanOrEqual(4);
    const first = estimates[0]!;
    const last = estimates.at(-1)!;
    expect(last.se).toBeLessThan(first.se * 0.6);
    expect(Math.abs(last.e - truth)).toBeLessThan(Math.abs(first.e - truth));
    // measured over seeds 3–6: 6–37 % off after five cycles, from 20–60 % after the first
    expect(Math.abs(last.e - truth) / Math.abs(truth)).toBeLessThan(0.4);
  });

  it('estimates override impact against a counterfactual simulation of the recommendation: right in sign, closer with the response curve than with the elasticity', async () => {
    // two experiments, one after the other: the engine recommends the flight's base fares for its open
    // departures; a person overrides them all, 3 % below, then 5 % above; each is compared with the market
    // forked just before the override reached the PSS, where the recommendation stands
    for (const f of [0.97, 1.05]) {
      await loop.reprice(() => 0.5, 1, 1);
      const legs = new Set(loop.openLegs());
      const recs = loop.store.db.prepare(`SELECT id, proposed_value FROM decisions WHERE state = 'pushed' AND source = 'engine'
          AND cycle_id = (SELECT cycle_id FROM decisions WHERE source = 'engine' ORDER BY id DESC LIMIT 1)`).all() as { id: number; proposed_value: number }[];
      const days = 7;
      // replace until just before the experiment ends, then the engine's recommendation stands again
      const expiresAt = new Date(loop.sim.clock.nowMs() + days * 86_400_000 - 60_000).toISOString();
      const overrides = recs.map((d) => loop.wf.decisions.override('ann', {
        id: d.id, mode: 'replace', value: Math.round(d.proposed_value * f), halfLifeDays: 7, expiresAt, reason: `sandbox check ×${f}`, confirmOutsideGuardrails: true,
      }).id);
      const counterfactual = loop.sim.clone({ record: 'own', withoutControllers: true });
      loop.wf.decisions.approve('rita', { ids: overrides }, null);
      expect((await loop.wf.worker.drain()).accepted).toBe(overrides.length);
      const since = loop.store.now();
      const from = loop.sim.log.n;
      const cfFrom = counterfactual.log.n;
      for (let d = 0; d < days; d++) { loop.sim.advanceDays(1); loop.syncBookings(); }
      counterfactual.advanceDays(days);
      const revenue = (s: typeof counterfactual, start: number) => {
        let r = 0;
        for (let i = start; i < s.log.n; i++) if (s.log.carrier[i] === loop.ownIndex && s.log.market[i] === MARKET && legs.has(s.log.leg0[i]!)) r += s.log.amountMinor[i]!;
        return r;
      };
      const simulated = revenue(loop.sim, from) - revenue(counterfactual, cfFrom);
      const rows = overrideImpact(loop.store.db, loop.sim.clock, feedback, { from: since.slice(0, 10), limit: 10_000 }).rows.filter((r) => overrides.includes(r.decisionId));
      expect(rows).toHaveLength(overrides.length);
      expect(new Set(rows.map((r) => r.model))).toEqual(new Set(['response_curve']));
      const estimated = rows.reduce((s, r) => s + r.impactMinor, 0);
      // the same overrides judged by the constant elasticity alone
      const e = feedback.posterior('BOS', 'ORD', 'Y');
      const byElasticity = rows.reduce((acc, r) => acc + r.realisedRevenueMinor * (1 - (r.recommendedPriceMinor / r.overridePriceMinor) ** (1 + e.value)), 0);
      expect(Math.sign(estimated), `override ×${f}: estimated ${estimated}, simulated ${simulated}`).toBe(Math.sign(simulated));
      // next to a competitor at the same price demand is far from constant-elasticity: the response curve gets closer
      expect(Math.abs(estimated - simulated), `override ×${f}: curve ${estimated}, elasticity ${Math.round(byElasticity)}, simulated ${simulated}`).toBeLessThan(Math.abs(byElasticity - simulated));
      if (f < 1) expect(Math.abs(estimated - simulated) / Math.abs(simulated)).toBeLessThan(0.6);
      expect(loop.wf.decisions.expireDue().expired).toHaveLength(overrides.length);
    }
  });
});
