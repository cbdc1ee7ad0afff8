import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../engine/backend';
import { fixedClock } from '../../engine/domain/time';
import { startTestSandbox, type TestSandbox } from '../sandbox/test-support/fixture';
import { ProsConnector, type ProsConnectorOptions } from './connector';

let sb: TestSandbox;
const dirs: string[] = [];
const backends: Backend[] = [];
const connectors: ProsConnector[] = [];

beforeAll(async () => { sb = await startTestSandbox(); });
afterAll(async () => { await sb.close(); });
afterEach(async () => {
  await sb.clearFaults();
  for (const b of backends.splice(0)) await b.close();
  for (const c of connectors.splice(0)) await c.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function connector(over: Partial<ProsConnectorOptions> = {}): ProsConnector {
  const c = new ProsConnector({ ...sb.settings('pros'), ownCarriers: [sb.market.ownCarrier], historyDays: 30, horizonDays: 120, ...over });
  connectors.push(c);
  return c;
}

function backend(c: ProsConnector, clock = fixedClock(sb.market.clock.now().toISOString())): Backend {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-pros-'));
  dirs.push(dir);
  const b = createBackend({ dataDir: dir, clock, connectors: [c], mode: 'sandbox', host: 'test', version: 't' });
  backends.push(b);
  return b;
}

const count = (b: Backend, sql: string) => (b.store.db.prepare(sql).pluck().get() as number);

/** The latest figure per key the sandbox has published so far. */
function published(): Map<string, { kind: string; bookings: number }> {
  const m = new Map<string, { kind: string; bookings: number }>();
  for (let after = 0; ;) {
    const p = sb.market.demandPublications(after, 100_000);
    for (const { record: d } of p.items) m.set(`${d.origin}${d.destination} ${d.departureDate} ${d.cabin} ${d.dcp}`, { kind: d.kind, bookings: d.bookings });
    if (!p.hasMore) break;
    after = p.next;
  }
  return m;
}

describe('PROS connector against the sandbox PROS', () => {
  it('syncs the demand stream and route performance, with counts equal to what the sandbox publishes', async () => {
    const b = backend(connector());
    const [run] = await b.feeds.sync(['pros'], 'test', true);
    expect(run!.status, run!.error ?? '').toBe('ok');
    const pub = published();
    expect(pub.size).toBeGreaterThan(500);
    expect(count(b, 'SELECT count(*) FROM demand')).toBe(pub.size);
    expect(count(b, "SELECT count(*) FROM demand WHERE kind = 'historical'")).toBe([...pub.values()].filter((v) => v.kind === 'historical').length);
    const today = sb.market.clock.now().toISOString().slice(0, 10);
    const routes = sb.market.routePerformance('2026-01-30', '2026-06-29');
    expect(routes.length).toBeGreaterThan(0);
    expect(count(b, 'SELECT count(*) FROM route_performance')).toBe(routes.length);
    expect(b.store.db.prepare("SELECT cursor FROM feed_cursors WHERE feed = 'pros' AND stream = 'routePerformance'").pluck().get()).toBe('2026-02-27');
    expect(today).toBe('2026-03-01');
    expect(sb.specProblems()).toEqual([]);
  });

  it('reads only new publications after the market moves, from its cursor', async () => {
    const b = backend(connector());
    await b.feeds.sync(['pros'], 'test', true);
    const before = count(b, 'SELECT count(*) FROM demand');
    await sb.advance(2);
    const mark = sb.exchanges.length;
    const [run] = await b.feeds.sync(['pros'], 'test', true);
    expect(run!.status).toBe('ok');
    const demandCalls = sb.exchanges.slice(mark).filter((x) => x.endpoint === 'GET /v1/demand');
    expect(demandCalls[0]!.query.after).toMatch(/^s\d+$/);
    expect(run!.recordsIn).toBeLessThan(before);
    expect(count(b, 'SELECT count(*) FROM demand')).toBe(published().size);
  });

  it('ingests CSV batch files from the drop folder whole, quarantining bad rows with file and line, and archives them once', async () => {
    const drop = sb.sandbox.endpoints.dropFolders.pros;
    const c = connector({ dropFolder: { path: drop, stableMs: 0 } });
    const b = backend(c);
    const written = await fetch(`${sb.sandbox.endpoints.control.baseUrl}/control/files/pros`, {
      method: 'POST', headers: { authorization: `Bearer ${sb.sandbox.endpoints.control.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'route_performance', fromDate: '2026-02-01', toDate: '2026-02-20', badRowRate: 0.1 }),
    }).then((r) => r.json()) as { file: string; rows: number; badRows: number };
    expect(written.badRows).toBeGreaterThan(0);
    const copy = fs.readFileSync(written.file);
    const [run] = await b.feeds.sync(['pros'], 'test', true);
    expect(run!.detail.files).toEqual([expect.objectContaining({ status: 'applied', file: path.basename(written.file) })]);
    const q = b.store.db.prepare("SELECT source, location, field, reason FROM quarantine WHERE source LIKE 'file %'").all() as { source: string; location: string; field: string; reason: string }[];
    expect(q).toHaveLength(written.badRows);
    expect(q[0]!.source).toBe(`file ${path.basename(written.file)}`);
    expect(q[0]!.location).toMatch(/^line \d+$/);
    expect(q[0]!.field).toBe('departure_date');
    expect(fs.existsSync(written.file)).toBe(false);
    expect(fs.readdirSync(path.join(drop, 'archive')).some((f) => f.endsWith(path.basename(written.file)))).toBe(true);
    // the same content dropped again is archived without being applied twice
    fs.writeFileSync(path.join(drop, path.basename(written.file)), copy);
    const quarantinedBefore = count(b, 'SELECT count(*) FROM quarantine');
    const [again] = await b.feeds.sync(['pros'], 'test', true);
    expect(again!.detail.files).toEqual([expect.objectContaining({ status: 'duplicate' })]);
    expect(count(b, 'SELECT count(*) FROM quarantine')).toBe(quarantinedBefore);
  });

  it('rejects a file that breaks its specification whole, records why, and applies nothing of it', async () => {
    const drop = sb.sandbox.endpoints.dropFolders.pros;
    const c = connector({ dropFolder: { path: drop, stableMs: 0 } });
    const b = backend(c);
    fs.writeFileSync(path.join(drop, 'demand_20260301T060000Z.csv'), 'carrier,origin\nAL1,BOS\n');
    const [run] = await b.feeds.sync(['pros'], 'test', true);
    expect(run!.detail.files).toEqual([expect.objectContaining({ status: 'rejected', reason: expect.stringMatching(/required column/) })]);
    const q = b.store.db.prepare("SELECT location, reason FROM quarantine WHERE source = 'file demand_20260301T060000Z.csv'").get() as { location: string; reason: string };
    expect(q).toMatchObject({ location: 'whole file', reason: expect.stringMatching(/file rejected, nothing applied/) });
    expect(fs.readdirSync(path.join(drop, 'rejected')).some((f) => f.endsWith('demand_20260301T060000Z.csv'))).toBe(true);
  });

  it('falls back to historical averages, flagged with their age, when the feed is down', async () => {
    const clock = fixedClock(new Date(sb.market.clock.now().getTime() + 6 * 3_600_000).toISOString());
    const c = connector({ clock, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const b = backend(c, clock);
    await b.feeds.sync(['pros'], 'test', true);
    const live = await c.demand({ origin: 'BOS', destination: 'ORD', fromDate: '2026-03-02', toDate: '2026-03-08' });
    expect(live).toMatchObject({ source: 'live', stale: false });
    expect(live.data.length).toBeGreaterThan(0);
    await sb.faults('pros', [{ endpoint: '*', errorRate: 1, errorStatus: 503, retryAfterS: 0 }]);
    clock.advanceMs(3_600_000);
    const [run] = await b.feeds.sync(['pros'], 'test', true);
    expect(run!.status).toBe('fallback');
    expect(run!.error).toMatch(/503/);
    expect(run!.detail.fallback).toMatchObject({ source: 'historical_average', asOf: expect.any(String) });
    expect(b.feeds.status()[0]).toMatchObject({ state: 'fallback' });
    expect(b.feeds.status()[0]!.fallbackAgeSeconds).toBeGreaterThan(0);
    const avg = await c.demand({ origin: 'BOS', destination: 'ORD', fromDate: '2026-03-02', toDate: '2026-03-08', dcps: [7] });
    expect(avg).toMatchObject({ source: 'historical_average', stale: true });
    expect(avg.reason).toMatch(/503/);
    expect(avg.data.length).toBeGreaterThan(0);
    expect(avg.data.every((d) => d.dcp === 7 && d.bookings >= 0)).toBe(true);
    const rp = await c.routePerformance({ origin: 'BOS', destination: 'ORD', fromDate: '2026-03-02', toDate: '2026-03-03' });
    expect(rp).toMatchObject({ source: 'historical_average', stale: true });
  });

  it('flags the feed as stale (fallback) when its newest figure is older than the limit', async () => {
    const b = backend(connector({ staleAfterMs: 3_600_000 }), fixedClock(new Date(sb.market.clock.now().getTime() + 6 * 3_600_000).toISOString()));
    const [run] = await b.feeds.sync(['pros'], 'test', true);
    expect(run!.status).toBe('fallback');
    expect(run!.error).toBeNull();
    expect((run!.detail.fallback as { reason: string }).reason).toMatch(/newest PROS figure is .* old/);
  });
});
