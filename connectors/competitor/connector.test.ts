import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../engine/backend';
import { fixedClock } from '../../engine/domain/time';
import { startTestSandbox, type TestSandbox } from '../sandbox/test-support/fixture';
import { CompetitorConnector, type CompetitorConnectorOptions } from './connector';

let sb: TestSandbox;
let base: string;
const dirs: string[] = [];
const backends: Backend[] = [];
const connectors: CompetitorConnector[] = [];

beforeAll(async () => {
  // 3MKT prices in one currency: a second one (a Canadian point of sale) gives the pricing tool rates to serve
  sb = await startTestSandbox({
    adjustScenario: (s) => ({ ...s, pointsOfSale: [...s.pointsOfSale, { code: 'CA', currency: 'CAD' }], fx: { initial: { ...s.fx.initial, CAD: 1.36 }, dailyVolatility: { ...s.fx.dailyVolatility, CAD: 0.004 } } }),
  });
  base = sb.market.sim.spec.baseCurrency;
});
afterAll(async () => { await sb.close(); });
afterEach(async () => {
  await sb.clearFaults();
  for (const b of backends.splice(0)) await b.close();
  for (const c of connectors.splice(0)) await c.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const clock = () => fixedClock(new Date(sb.market.clock.now().getTime() + 6 * 3_600_000).toISOString());

function connector(over: Partial<CompetitorConnectorOptions> = {}): CompetitorConnector {
  const c = new CompetitorConnector({ ...sb.settings('pricing'), baseCurrencies: [base], rateHistoryDays: 30, ...over });
  connectors.push(c);
  return c;
}

function backend(c: CompetitorConnector, ck = clock()): Backend {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-competitor-'));
  dirs.push(dir);
  const b = createBackend({ dataDir: dir, clock: ck, connectors: [c], mode: 'sandbox', host: 'test', version: 't' });
  backends.push(b);
  return b;
}

const count = (b: Backend, sql: string) => (b.store.db.prepare(sql).pluck().get() as number);

function observations(): number {
  const keys = new Set<string>();
  for (let after = 0; ;) {
    const p = sb.market.competitorObservations(after, 100_000);
    for (const { fare: f } of p.items) keys.add(`${f.carrier}|${f.origin}|${f.destination}|${f.departureDate}|${f.cabin}|${f.brand}|${f.currency}|${f.observedAt}`);
    if (!p.hasMore) break;
    after = p.next;
  }
  return keys.size;
}

describe('competitor connector against the sandbox pricing tool', () => {
  it('syncs competitor fares, elasticity estimates and dated exchange rates, with counts equal to what the sandbox serves', async () => {
    const b = backend(connector());
    const [run] = await b.feeds.sync(['competitor'], 'test', true);
    expect(run!.status, run!.error ?? '').toBe('ok');
    expect(count(b, 'SELECT count(*) FROM competitor_fares')).toBe(observations());
    expect(observations()).toBeGreaterThan(100);
    expect(count(b, 'SELECT count(*) FROM elasticities')).toBe(sb.market.elasticities().length);
    expect(count(b, 'SELECT max(elasticity) FROM elasticities')).toBeLessThan(0);
    const today = sb.market.clock.now().toISOString().slice(0, 10);
    const rates = sb.market.exchangeRates(base, '2026-01-01', today);
    expect(rates.length).toBeGreaterThan(20);
    expect(count(b, 'SELECT count(*) FROM exchange_rates')).toBe(rates.filter((r) => r.date >= '2026-01-30').length);
    expect(b.store.db.prepare("SELECT cursor FROM feed_cursors WHERE feed = 'competitor' AND stream = ?").pluck().get(`exchangeRates:${base}`)).toBe(today);
    expect(sb.specProblems()).toEqual([]);
    // a second sync the same day: the rates resume from today (the day after would be a range the tool refuses)
    const [again] = await b.feeds.sync(['competitor'], 'test', true);
    expect(again!.status, again!.error ?? '').toBe('ok');
    expect(count(b, 'SELECT count(*) FROM exchange_rates')).toBe(rates.filter((r) => r.date >= '2026-01-30').length);
    // and after the market moves a day, the new day's rates come in
    sb.market.advanceDays(1);
    const [next] = await b.feeds.sync(['competitor'], 'test', true);
    expect(next!.status, next!.error ?? '').toBe('ok');
    expect(count(b, 'SELECT max(date) FROM exchange_rates')).toBe(sb.market.clock.now().toISOString().slice(0, 10));
  });

  it('answers real-time requests live, then from the last good answer (stale, with its age), then with flagged defaults', async () => {
    const ck = clock();
    const c = connector({ clock: ck, retry: { maxAttempts: 1 } });
    const q = { origin: 'BOS', destination: 'LAX', fromDate: '2026-03-05', toDate: '2026-03-20' };
    const live = await c.competitorFares(q);
    expect(live).toMatchObject({ source: 'live', stale: false, reason: null });
    expect(live.data.length).toBeGreaterThan(0);
    expect(live.data.every((f) => f.carrier !== sb.market.ownCarrier && Number.isInteger(f.amountMinor))).toBe(true);
    const el = await c.elasticities({ origin: 'BOS', destination: 'ORD' });
    expect(el.source).toBe('live');
    await sb.faults('pricing', [{ endpoint: '*', errorRate: 1, errorStatus: 503, retryAfterS: 0 }]);
    ck.advanceMs(90_000);
    const cached = await c.competitorFares(q);
    expect(cached).toMatchObject({ source: 'cache', stale: true, ageMs: 90_000 });
    expect(cached.data).toEqual(live.data);
    expect(cached.reason).toMatch(/503/);
    const other = await c.elasticities({ origin: 'ORD', destination: 'LAX' });
    expect(other).toMatchObject({ source: 'default', stale: true });
    expect(other.data.map((e) => e.elasticity).every((x) => x < 0)).toBe(true);
    // exchange rates are never invented
    await expect(c.exchangeRates({ date: '2026-02-20', base })).rejects.toThrow(/503/);
  });

  it('marks the run fallback (defaults) when elasticity estimates cannot be had, keeping what else it synced', async () => {
    await sb.faults('pricing', [{ endpoint: 'GET /v1/elasticities', errorRate: 1, errorStatus: 500 }]);
    const b = backend(connector({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } }));
    const [run] = await b.feeds.sync(['competitor'], 'test', true);
    expect(run!.status).toBe('fallback');
    expect(run!.detail.fallback).toMatchObject({ source: 'default', reason: expect.stringMatching(/defaults in use.*500/) });
    expect(count(b, 'SELECT count(*) FROM competitor_fares')).toBe(observations());
    expect(count(b, 'SELECT count(*) FROM exchange_rates')).toBeGreaterThan(0);
  });

  it('quarantines malformed observations while the rest of the page lands, and resumes the stream by cursor', async () => {
    await sb.faults('pricing', [{ endpoint: 'GET /v1/competitor-fares', badRecordRate: 0.02 }]);
    const b = backend(connector({ pageSize: 300 }));
    const [run] = await b.feeds.sync(['competitor'], 'test', true);
    const corrupted = (await sb.status()).systems.pricing.endpoints['GET /v1/competitor-fares']!.corruptedRecords;
    expect(corrupted).toBeGreaterThan(0);
    expect(run!.status).toBe('degraded');
    expect(count(b, "SELECT count(*) FROM quarantine WHERE source = 'competitor GET /v1/competitor-fares'")).toBe(corrupted);
    expect(count(b, 'SELECT count(*) FROM competitor_fares')).toBeGreaterThan(observations() - corrupted - 1);
    // a second run starts after the last committed page and reads nothing new
    await sb.clearFaults();
    const [again] = await b.feeds.sync(['competitor'], 'test', true);
    expect(again!.detail).toMatchObject({ streams: { competitorFares: { in: 0 } } });
  });
});
