import { afterEach, describe, expect, it } from 'vitest';
import { estimateTwoWayFe, combineWithPrior, type FeCell } from './poissonFe';
import { ElasticityFeedback, bucketOf, DEFAULT_DCPS } from './elasticity';
import { makeFixture, LADDER, FIRST_DAY, type Fixture } from '../workflow/__tests__/fixtures';
import { addDays, dayNumber } from '../domain/time';
import { flightId } from '../domain/types';
import type { RecommendationInput } from '../workflow/types';
import { applyRetention, archiveDir } from '../workflow/retention';
import { mulberry32 } from '../domain/random';

/** mulberry32 and a Poisson draw, seeded */
function rng(seed: number) {
  const u = mulberry32(seed);
  const poisson = (l: number) => { let k = 0; let p = 1; const L = Math.exp(-l); do { k++; p *= u(); } while (p > L); return k - 1; };
  return { u, poisson };
}

describe('two-way fixed-effects Poisson elasticity', () => {
  it('recovers the elasticity behind synthetic bookings, with a standard error that covers it', () => {
    const r = rng(11);
    const cells: FeCell[] = [];
    const truth = -1.8;
    for (let unit = 0; unit < 80; unit++) {
      const level = Math.log(0.5 + r.u());
      let x = 0;
      for (let day = 0; day < 60; day++) {
        if (day % 10 === 0) x = Math.log(0.8 + 0.45 * r.u());
        const bucket = Math.floor(day / 15);
        const mu = Math.exp(level + [0, 0.4, 0.9, 1.5][bucket]! + truth * x);
        cells.push({ unit, bucket, x, bookings: r.poisson(mu) });
      }
    }
    const e = estimateTwoWayFe(cells)!;
    expect(e.units).toBe(80);
    expect(e.buckets).toBe(4);
    expect(Math.abs(e.elasticity - truth)).toBeLessThan(3 * e.se);
    expect(e.se).toBeGreaterThan(0.02);
    expect(e.se).toBeLessThan(0.2);
    // no price change within any unit: nothing to learn from
    expect(estimateTwoWayFe(cells.map((c) => ({ ...c, x: c.unit * 0.01 })))).toBeNull();
  });

  it('combines an estimate with its prior by precision', () => {
    expect(combineWithPrior({ value: -2, se: 0.5 }, { value: -1, se: 0.5 })).toEqual({ value: -1.5, se: Math.sqrt(0.125) });
    expect(combineWithPrior(null, { value: -1.5, se: 1 })).toEqual({ value: -1.5, se: 1 });
    expect(bucketOf(130, DEFAULT_DCPS)).toBe(0);
    expect(bucketOf(90, DEFAULT_DCPS)).toBe(1);
    expect(bucketOf(0, DEFAULT_DCPS)).toBe(18);
  });
});

describe('elasticity feedback loop', () => {
  let fx: Fixture | undefined;
  afterEach(() => fx?.close());

  it('re-estimates from bookings after each pushed price change; the error shrinks as cycles pass', async () => {
    const TRUE = -1.6;
    const departures = 24;
    fx = makeFixture({ days: departures });
    const f = fx;
    const r = rng(5);
    const db = f.store.db;
    const feedback = new ElasticityFeedback(db, f.clock, { minObservations: 20 });
    const ys = LADDER.filter((x) => x.cabin === 'Y');
    const level = Array.from({ length: departures }, () => 0.6 + 0.8 * r.u());
    const multiplier = new Array<number>(departures).fill(1);
    const book = db.prepare(`INSERT INTO bookings (id, record_locator, flight_id, rbd, cabin, journey_origin, journey_destination, point_of_sale, channel, passengers, amount_minor, currency, booked_at, status)
      VALUES (?, ?, ?, 'Q', 'Y', 'FRA', 'JFK', 'DE', 'direct', ?, ?, 'EUR', ?, 'booked')`);
    let n = 0;
    const estimates: { e: number; se: number }[] = [];
    const start = addDays(FIRST_DAY, -100);
    for (let day = 0; day < 100 + departures; day++) {
      const date = addDays(start, day);
      f.clock.set(`${date}T06:00:00.000Z`);
      if (day % 7 === 0) {
        // a pricing cycle moves each open departure's whole Y ladder by a random factor, pushed to the PSS
        const recs: RecommendationInput[] = [];
        for (let d = 0; d < departures; d++) {
          const dep = addDays(FIRST_DAY, d);
          if (dep <= date) continue;
          multiplier[d] = 0.8 + 0.45 * r.u();
          for (const y of ys) {
            recs.push({ kind: 'fare', fare: { carrier: 'DF', origin: 'FRA', destination: 'JFK', rbd: y.rbd, cabin: 'Y', fareBasis: `${y.rbd}OWF`, pointOfSale: 'DE', currency: 'EUR',
              amountMinor: Math.round(y.fare * multiplier[d]!), validFrom: dep, validTo: dep, flightId: flightId('DF', 400, dep, 'FRA') }, guardrails: null });
          }
        }
        if (recs.length) {
          const { ids } = f.wf.decisions.ingest(`c${day}`, recs);
          f.wf.decisions.approve('rita', { ids }, null);
          await f.wf.worker.drain();
        }
        if (day > 0) {
          const est = (await feedback.reestimate({ origin: 'FRA', destination: 'JFK' }))[0];
          if (est) estimates.push({ e: est.elasticity, se: est.standardError });
        }
      }
      // the day's bookings respond to the price in force (constant elasticity), along the booking curve
      db.transaction(() => {
        for (let d = 0; d < departures; d++) {
          const dbd = dayNumber(addDays(FIRST_DAY, d)) - dayNumber(date);
          if (dbd <= 0 || dbd > 120) continue;
          const mu = level[d]! * 3 * Math.exp(-dbd / 25) * multiplier[d]! ** TRUE;
          const k = r.poisson(mu);
          if (k > 0) { n++; book.run(`b${n}`, `R${n}`, flightId('DF', 400, addDays(FIRST_DAY, d), 'FRA'), k, k * 40_000, `${date}T12:00:00Z`); }
        }
      })();
    }
    expect(estimates.length).toBeGreaterThanOrEqual(8);
    const first = estimates[0]!;
    const last = estimates.at(-1)!;
    // more price changes and bookings: a tighter estimate, closer to the truth
    expect(last.se).toBeLessThan(first.se / 2);
    expect(Math.abs(last.e - TRUE)).toBeLessThan(Math.max(3 * last.se, 0.3));
    const meanAbsError = (xs: { e: number }[]) => xs.reduce((s, x) => s + Math.abs(x.e - TRUE), 0) / xs.length;
    expect(meanAbsError(estimates.slice(-3))).toBeLessThan(meanAbsError(estimates.slice(0, 3)));
    // the next cycle reads it (engine/pricing loadElasticities reads elasticity_estimates as the feedback source)
    expect(feedback.signalFor('FRA', 'JFK', 'Y')).toMatchObject({ estimate: last.e, se: last.se });
    expect(feedback.list({ origin: 'FRA', destination: 'JFK', history: true })).toHaveLength(estimates.length);

    // retention moves the replaced pushes to an archive file, leaving their prices in price_history: the
    // estimate reads the same price timelines and gives the same answer
    const cellsBefore = feedback.cells('FRA', 'JFK', 'Y');
    const estimateBefore = (await feedback.reestimate({ origin: 'FRA', destination: 'JFK' }))[0]!;
    const pushedBefore = db.prepare('SELECT count(*) FROM decisions WHERE pushed_at IS NOT NULL').pluck().get() as number;
    const busiest = db.prepare('SELECT max(id) FROM decisions WHERE pushed_at IS NOT NULL GROUP BY key ORDER BY count(*) DESC, key LIMIT 1').pluck().get() as number;
    const valuesBefore = f.wf.decisions.get(busiest).pushedValues;
    expect(valuesBefore.length).toBeGreaterThan(3);
    expect(valuesBefore.every((v) => !v.archived)).toBe(true);
    const kept = await applyRetention(db, f.wf.audit, { auditDays: 0, decisionsDays: 1, departedDays: 0 }, { at: f.clock.now().toISOString(), dir: archiveDir(f.dir) });
    const keys = db.prepare('SELECT count(DISTINCT key) FROM decisions').pluck().get() as number;
    expect(kept.decisions!.decisions).toBe(pushedBefore - keys);
    expect(kept.decisions!.priceHistory).toBe(pushedBefore - keys);
    expect(db.prepare('SELECT count(*) FROM decisions WHERE pushed_at IS NOT NULL').pluck().get()).toBe(keys);
    expect(cellsBefore.priceChanges).toBeGreaterThan(keys);
    expect(feedback.cells('FRA', 'JFK', 'Y')).toEqual(cellsBefore);
    // the decision detail still lists every value pushed for the key: the archived ones from the price history
    expect(f.wf.decisions.get(busiest).pushedValues).toEqual(valuesBefore.map((v) => ({ ...v, archived: v.decisionId !== busiest })));
    // and an archived one says where it went
    const gone = valuesBefore.find((v) => v.decisionId !== busiest)!;
    expect(() => f.wf.decisions.get(gone.decisionId)).toThrow(`decision ${gone.decisionId} (a fare pushed ${gone.pushedAt}, since replaced) was moved to an archive file in the data folder's archive/ by retention; its values stay in the price history`);
    expect((await feedback.reestimate({ origin: 'FRA', destination: 'JFK' }))[0]).toMatchObject({ elasticity: estimateBefore.elasticity, standardError: estimateBefore.standardError });
    // a turn of the event loop between markets, and the same estimates as a pass without one (a second
    // market: the pushed fares copied to MUC-JFK, which has no flights, so no estimate)
    const cols = (db.prepare('PRAGMA table_info(decisions)').all() as { name: string }[]).map((c) => c.name).filter((c) => c !== 'id');
    db.prepare(`INSERT INTO decisions (${cols.join(', ')}) SELECT ${cols.map((c) => (c === 'origin' ? "'MUC'" : c === 'key' ? "key || '/copy'" : c)).join(', ')}
      FROM decisions WHERE pushed_at IS NOT NULL AND origin = 'FRA'`).run();
    let turns = 0;
    const sliced = await feedback.reestimate({}, async () => { turns++; });
    const whole = await feedback.reestimate({}, async () => undefined);
    expect(sliced.length).toBeGreaterThan(0);
    expect(sliced.map((r) => [r.origin, r.destination, r.cabin, r.elasticity, r.standardError])).toEqual(whole.map((r) => [r.origin, r.destination, r.cabin, r.elasticity, r.standardError]));
    const markets = db.prepare("SELECT count(*) FROM (SELECT DISTINCT origin, destination, cabin FROM decisions WHERE state IN ('pushed', 'expired') AND kind = 'fare' AND pushed_at IS NOT NULL)").pluck().get() as number;
    expect(markets).toBeGreaterThan(1);
    expect(turns).toBe(markets - 1);
  }, 60_000);
});
