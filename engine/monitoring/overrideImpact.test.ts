import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeFixture, fareRec, flightFare, FIRST_DAY, type Fixture } from '../workflow/__tests__/fixtures';
import { ElasticityFeedback } from './elasticity';
import { elasticityRatio, impactOf, overrideImpact } from './overrideImpact';
import { applyRetention, archiveDir } from '../workflow/retention';

describe('override impact (pure)', () => {
  const withElasticity = (revenueMinor: number, bookings: number, overridePrice: number, recommendedPrice: number, value: number, se: number) => {
    const r = recommendedPrice / overridePrice;
    const d = elasticityRatio(r, { value, se });
    return impactOf({ revenueMinor, bookings, priceRatio: r, demandRatio: d.ratio, demandLogSe: d.logSe });
  };

  it('compares realised revenue with the revenue the model expects at the recommended price', () => {
    // override 100, recommendation 110, ε = −1.5: at 110 the model expects 1.1^−1.5 of the bookings
    const x = withElasticity(100_000, 10, 100, 110, -1.5, 0);
    const cf = 100_000 * 1.1 * 1.1 ** -1.5;
    expect(x.counterfactualBookings).toBeCloseTo(10 * 1.1 ** -1.5);
    expect(x.counterfactualRevenueMinor).toBe(Math.round(cf));
    expect(x.impactMinor).toBe(Math.round(100_000 - cf));
    // Poisson noise of 10 bookings at the counterfactual revenue per booking
    expect(x.stdErrorMinor).toBe(Math.round(Math.sqrt((10_000 * 1.1 * 1.1 ** -1.5) ** 2 * 10)));
    expect(withElasticity(100_000, 10, 100, 110, -1.5, 0.5).stdErrorMinor).toBeGreaterThan(x.stdErrorMinor);
    // elastic demand (ε < −1): a lower price than recommended earns more
    expect(withElasticity(100_000, 10, 90, 100, -3, 0).impactMinor).toBeGreaterThan(0);
    expect(withElasticity(100_000, 10, 110, 100, -3, 0).impactMinor).toBeLessThan(0);
  });
});

describe('override impact (store)', () => {
  let fx: Fixture;
  beforeEach(() => { fx = makeFixture({ days: 5 }); });
  afterEach(() => fx.close());

  it('measures each pushed override over the bookings until the next price reached the PSS, with its uncertainty', async () => {
    const db = fx.store.db;
    const { ids } = fx.wf.decisions.ingest('c1', [fareRec(400, FIRST_DAY, 'Q', 44_000), fareRec(400, FIRST_DAY, 'M', 55_000)]);
    const o = fx.wf.decisions.override('ann', { id: ids[0]!, mode: 'replace', value: 40_000, halfLifeDays: 7, expiresAt: '2026-11-30T00:00:00.000Z', reason: 'match XX sale', confirmOutsideGuardrails: false });
    fx.wf.decisions.approve('rita', { ids: [o.id, ids[1]!] }, null);
    await fx.wf.worker.drain();
    db.prepare(`INSERT INTO elasticity_estimates (origin, destination, cabin, elasticity, standard_error, prior_elasticity, prior_standard_error, observations, price_changes, bookings, estimated_at)
      VALUES ('FRA', 'JFK', 'Y', -1.5, 0.0001, -1.5, 1000, 500, 20, 400, ?)`).run(fx.store.now());
    const book = db.prepare(`INSERT INTO bookings (id, record_locator, flight_id, rbd, cabin, journey_origin, journey_destination, point_of_sale, channel, passengers, amount_minor, currency, booked_at, status)
      VALUES (?, ?, 'DF400/2026-12-01/FRA', ?, 'Y', 'FRA', 'JFK', 'DE', 'direct', ?, ?, 'EUR', ?, ?)`);
    book.run('before', 'R0', 'Q', 1, 40_000, '2026-11-25T07:00:00Z', 'booked'); // before the override reached the PSS
    for (let i = 0; i < 8; i++) book.run(`q${i}`, `R${i}`, 'Q', 1, 40_000, '2026-11-26T10:00:00Z', 'booked');
    book.run('cx', 'RX', 'Q', 1, 40_000, '2026-11-26T10:00:00Z', 'cancelled');
    book.run('m', 'RM', 'M', 2, 110_000, '2026-11-26T10:00:00Z', 'booked');
    fx.clock.set('2026-11-27T00:00:00.000Z');
    // the engine is held back by the override, but a person's newer price reaches the PSS: the window ends there
    expect(fx.wf.decisions.ingest('c2', [fareRec(400, FIRST_DAY, 'Q', 45_000)]).held).toHaveLength(1);
    const next = fx.wf.decisions.propose('rita', { payload: { kind: 'fare', fare: flightFare(400, FIRST_DAY, 'Q', 45_000) }, reason: 'back to plan', confirmOutsideGuardrails: false });
    fx.wf.decisions.approve('rita', { ids: [next.id] }, null);
    await fx.wf.worker.drain();
    book.run('after', 'RA', 'Q', 1, 45_000, '2026-11-27T10:00:00Z', 'booked');
    fx.clock.set('2026-11-28T00:00:00.000Z');
    const r = overrideImpact(db, fx.clock, new ElasticityFeedback(db, fx.clock), { limit: 100 });
    expect(r.rows).toHaveLength(1);
    const row = r.rows[0]!;
    const ratio = 44_000 / 40_000;

    const d = elasticityRatio(ratio, { value: row.elasticity.value, se: row.elasticity.standardError });
    const expected = impactOf({ revenueMinor: 320_000, bookings: 8, priceRatio: ratio, demandRatio: d.ratio, demandLogSe: d.logSe });
    expect(row).toMatchObject({
      decisionId: o.id, mode: 'replace', by: 'ann', reason: 'match XX sale', from: '2026-11-25T08:00:00.000Z', to: '2026-11-27T00:00:00.000Z',
      overridePriceMinor: 40_000, recommendedPriceMinor: 44_000, bookings: 8, model: 'elasticity', realisedRevenueMinor: 320_000, impactMinor: expected.impactMinor, stdErrorMinor: expected.stdErrorMinor,
    });
    expect(row.elasticity.value).toBeCloseTo(-1.5, 3);
    expect(row.counterfactualRevenueMinor).toBe(Math.round(320_000 * ratio * ratio ** -1.5));
    expect(row.ci95Minor[0]).toBeLessThan(row.impactMinor);
    expect(row.ci95Minor[1]).toBeGreaterThan(row.impactMinor);
    expect(r.totals).toEqual([{ currency: 'EUR', overrides: 1, impactMinor: row.impactMinor, stdErrorMinor: row.stdErrorMinor, ci95Minor: row.ci95Minor }]);

    // a later price replaces the person's; once retention has moved that replaced push to an archive
    // file, its push time (kept in price_history) still ends the override's window
    const later = fx.wf.decisions.propose('rita', { payload: { kind: 'fare', fare: flightFare(400, FIRST_DAY, 'Q', 46_000) }, reason: 'later', confirmOutsideGuardrails: false });
    fx.wf.decisions.approve('rita', { ids: [later.id] }, null);
    await fx.wf.worker.drain();
    const kept = await applyRetention(db, fx.wf.audit, { auditDays: 0, decisionsDays: 1, departedDays: 0 }, { at: '2026-11-30T00:00:00.000Z', dir: archiveDir(fx.dir) });
    expect(kept.decisions).toMatchObject({ decisions: 2, priceHistory: 1 }); // and the engine's held price, superseded unpushed
    expect(db.prepare('SELECT decision_id FROM price_history').pluck().all()).toEqual([next.id]);
    expect(overrideImpact(db, fx.clock, new ElasticityFeedback(db, fx.clock), { limit: 100 })).toEqual(r);
  });
});
