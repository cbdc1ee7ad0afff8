import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../engine/backend';
import { fixedClock } from '../../engine/domain/time';
import { openStore } from '../../engine/store/db';
import { createPageCommitter } from '../../engine/etl/commit';
import type { SyncContext } from '../../engine/ports/feed-sync';
import type { Fare } from '../../engine/domain/types';
import { startTestSandbox, type TestSandbox } from '../sandbox/test-support/fixture';
import { PssConnector } from './connector';

let sb: TestSandbox;
const dirs: string[] = [];
const backends: Backend[] = [];
const connectors: PssConnector[] = [];

beforeAll(async () => { sb = await startTestSandbox(); });
afterAll(async () => { await sb.close(); });
afterEach(async () => {
  await sb.clearFaults();
  for (const b of backends.splice(0)) await b.close();
  for (const c of connectors.splice(0)) await c.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-pss-'));
  dirs.push(d);
  return d;
}

function connector(over: Parameters<TestSandbox['settings']>[1] & Partial<ConstructorParameters<typeof PssConnector>[0]> = {}): PssConnector {
  const c = new PssConnector({ ...sb.settings('pss', over), pageSize: 500, bookingPageSize: 2000, ...over });
  connectors.push(c);
  return c;
}

function backend(c: PssConnector, clock = fixedClock('2026-03-01T06:00:00Z')): Backend {
  const b = createBackend({ dataDir: tmp(), clock, connectors: [c], mode: 'sandbox', host: 'test', version: 't' });
  backends.push(b);
  return b;
}

const count = (b: Backend, sql: string) => (b.store.db.prepare(sql).pluck().get() as number);

/** What the sandbox serves now: distinct booking ids (latest state), flights, inventory rows, fares. */
function served() {
  const ids = new Map<string, string>();
  for (let after = 0; ;) {
    const p = sb.market.bookingEvents(after, 100_000);
    for (const e of p.items) ids.set(e.booking.id, e.booking.status);
    if (!p.hasMore) break;
    after = p.next;
  }
  const w = sb.market.flightWindow();
  return { bookings: ids, flights: sb.market.flights(w.fromDate, w.toDate).length, inventory: sb.market.inventory(sb.market.clock.now().toISOString().slice(0, 10), w.toDate).length, fares: sb.market.fares().length };
}

describe('PSS connector against the sandbox PSS', () => {
  it('syncs reference data, flights, inventory, fares and bookings into the store, with counts equal to what the sandbox serves', async () => {
    const b = backend(connector());
    const [run] = await b.feeds.sync(['pss'], 'test', true);
    expect(run!.status, run!.error ?? '').toBe('ok');
    const s = served();
    expect(count(b, 'SELECT count(*) FROM flights')).toBe(s.flights);
    expect(count(b, 'SELECT count(*) FROM inventory')).toBe(s.inventory);
    expect(count(b, 'SELECT count(*) FROM fares')).toBe(s.fares);
    expect(count(b, 'SELECT count(*) FROM bookings')).toBe(s.bookings.size);
    expect(s.bookings.size).toBeGreaterThan(1000);
    expect(count(b, "SELECT count(*) FROM bookings WHERE status = 'cancelled'")).toBe([...s.bookings.values()].filter((x) => x === 'cancelled').length);
    expect(count(b, 'SELECT count(*) FROM quarantine')).toBe(0);
    expect(run!.detail).toMatchObject({ streams: { bookings: { quarantined: 0 } } });
    // amounts are normalised to minor units with their currency
    const one = b.store.db.prepare('SELECT amount_minor, currency FROM fares LIMIT 1').get() as { amount_minor: number; currency: string };
    expect(Number.isInteger(one.amount_minor)).toBe(true);
    expect(one.currency).toMatch(/^[A-Z]{3}$/);
    expect(sb.specProblems()).toEqual([]);
  });

  it('syncs incrementally: after the market moves a day, only new events are read and the store matches the sandbox again', async () => {
    const c = connector();
    const b = backend(c);
    await b.feeds.sync(['pss'], 'test', true);
    const cursor = b.store.db.prepare("SELECT cursor FROM feed_cursors WHERE feed = 'pss' AND stream = 'bookings'").pluck().get() as string;
    await sb.advance(1);
    const before = sb.exchanges.length;
    const [run] = await b.feeds.sync(['pss'], 'test', true);
    expect(run!.status).toBe('ok');
    const first = sb.exchanges.slice(before).find((x) => x.endpoint === 'GET /v1/booking-events')!;
    expect(first.query.after).toBe(cursor);
    expect(count(b, 'SELECT count(*) FROM bookings')).toBe(served().bookings.size);
  });

  it('resumes after a crash from the last committed page, without gaps or duplicates', async () => {
    // a run that dies after its third booking page is committed
    const dir = tmp();
    const store = openStore({ dataDir: dir });
    const committer = createPageCommitter(store.db, 'pss', store.now);
    let bookingPages = 0;
    const ctx = (signal: AbortSignal, onCommit: (stream: string) => void): SyncContext => ({
      feed: 'pss', runId: 1, signal, clock: store.clock, getCursor: (s) => committer.getCursor(s),
      commit: async (page) => { const r = committer.commit(1, page); onCommit(page.stream); return r; },
      progress: () => {}, log: { debug() {}, info() {}, warn() {}, error() {} },
    });
    store.db.prepare("INSERT INTO feed_runs (id, feed, trigger, started_at, status) VALUES (1, 'pss', 'test', '2026-03-01T00:00:00Z', 'running')").run();
    const crash = new AbortController();
    const c1 = connector({ bookingPageSize: 700 });
    const r1 = await c1.sync(ctx(crash.signal, (s) => { if (s === 'bookings' && ++bookingPages === 3) crash.abort(new Error('process killed')); }));
    expect(r1.status).toBe('cancelled');
    const partial = store.db.prepare('SELECT count(*) FROM bookings').pluck().get() as number;
    expect(partial).toBeGreaterThan(0);
    const cursorAfterCrash = committer.getCursor('bookings');
    const c2 = connector({ bookingPageSize: 700 });
    const r2 = await c2.sync(ctx(new AbortController().signal, () => {}));
    expect(r2.status).toBe('ok');
    const resumedFrom = sb.exchanges.filter((x) => x.endpoint === 'GET /v1/booking-events').map((x) => x.query.after);
    expect(resumedFrom).toContain(cursorAfterCrash);
    // the same rows as one uninterrupted sync
    const clean = backend(connector());
    await clean.feeds.sync(['pss'], 'test', true);
    const rows = (db: typeof store.db) => db.prepare('SELECT id, status, status_at, amount_minor, ancillaries FROM bookings ORDER BY id').all();
    expect(rows(store.db)).toEqual(rows(clean.store.db));
    store.close();
  });

  it('decodes booking pages in a worker thread, three pages in flight, with the same result; a broken body is fetched again', async () => {
    await sb.faults('pss', [{ endpoint: 'GET /v1/booking-events', malformedRate: 1, count: 1 }]);
    const b = backend(connector({ decodeWorkers: 1 }));
    const [run] = await b.feeds.sync(['pss'], 'test', true);
    expect(run!.status).toBe('degraded');
    expect(run!.retries).toBe(1);
    // and says why
    expect(run!.detail.retryReasons).toEqual([{ attempt: 1, url: '/v1/booking-events', reason: expect.stringMatching(/^the decode worker could not decode page 1 \(malformed JSON/) }]);
    expect(count(b, 'SELECT count(*) FROM bookings')).toBe(served().bookings.size);
    const calls = sb.exchanges.filter((x) => x.endpoint === 'GET /v1/booking-events' && x.injected === null);
    // pages were asked for by the Link header of the page before, and every page but the last had one
    expect(calls.length).toBeGreaterThan(3);
  });

  it('stops when cancelled, says who stopped it, keeps the feed out of "down", and the next sync resumes to the full history', async () => {
    const b = backend(connector({ bookingPageSize: 200 }));
    let cancelled = false;
    let phase = '';
    const stop = b.events.subscribe((m) => {
      if (cancelled || m.name !== 'feed.progress' || m.payload.recordsWritten === 0) return;
      phase = m.payload.phase;
      if (phase.startsWith('bookings')) cancelled = b.feeds.cancel(m.payload.runId);
    });
    const [run] = await b.feeds.sync(['pss'], 'test', true);
    stop();
    expect(cancelled).toBe(true);
    // the progress of the booking history says how far it has come
    expect(phase).toMatch(/^bookings page \d+, events up to 20\d\d-\d\d-\d\d$/);
    expect(run).toMatchObject({ status: 'cancelled', error: 'cancelled from the workbench; the pages committed are kept and the next sync resumes after them' });
    const kept = count(b, 'SELECT count(*) FROM bookings');
    expect(kept).toBeLessThan(served().bookings.size);
    expect(b.feeds.status().find((f) => f.feed === 'pss')).toMatchObject({ state: 'never', lastRun: { status: 'cancelled' } });
    const [again] = await b.feeds.sync(['pss'], 'test', true);
    expect(again!.status, again!.error ?? '').toBe('ok');
    expect(count(b, 'SELECT count(*) FROM bookings')).toBe(served().bookings.size);
    expect(b.feeds.status().find((f) => f.feed === 'pss')!.state).toBe('ok');
  });

  it('goes on decoding in this thread when the decode worker dies during a sync', async () => {
    const c = connector({ decodeWorkers: 1, bookingPageSize: 200 });
    const b = backend(c);
    // a real worker terminated after the first booking page is committed, while the next ones are in flight
    let killed = false;
    const stop = b.events.subscribe((m) => {
      if (killed || m.name !== 'feed.progress') return;
      const pool = (c as unknown as { pool: { workers: { terminate(): Promise<number> }[] } | null }).pool;
      if (pool && pool.workers.length) { killed = true; void pool.workers[0]!.terminate(); }
    });
    const [run] = await b.feeds.sync(['pss'], 'test', true);
    stop();
    expect(killed).toBe(true);
    expect(run!.error).toBeNull();
    expect(count(b, 'SELECT count(*) FROM bookings')).toBe(served().bookings.size);
  });

  it('quarantines malformed records with the reason and raw payload while the rest of each page lands', async () => {
    await sb.faults('pss', [{ endpoint: 'GET /v1/booking-events', badRecordRate: 0.01 }]);
    const b = backend(connector());
    const [run] = await b.feeds.sync(['pss'], 'test', true);
    const status = await sb.status();
    const corrupted = status.systems.pss.endpoints['GET /v1/booking-events']!.corruptedRecords;
    expect(corrupted).toBeGreaterThan(0);
    expect(run!.status).toBe('degraded');
    expect(run!.recordsQuarantined).toBe(corrupted);
    const q = b.store.db.prepare("SELECT source, location, field, reason, payload FROM quarantine WHERE feed = 'pss'").all() as { source: string; location: string; field: string; reason: string; payload: string }[];
    expect(q).toHaveLength(corrupted);
    expect(q[0]!.source).toBe('pss GET /v1/booking-events');
    expect(q[0]!.location).toMatch(/^page \d+, item \d+$/);
    expect(q[0]!.payload).toContain('$sandboxFault');
    expect(q[0]!.reason).toContain(q[0]!.field);
    // every other booking landed
    const all = served().bookings;
    const bad = new Set(q.map((x) => (JSON.parse(x.payload) as { bookingId?: unknown }).bookingId).filter((x): x is string => typeof x === 'string'));
    expect(count(b, 'SELECT count(*) FROM bookings')).toBeGreaterThanOrEqual(all.size - corrupted);
    for (const id of bad) expect(all.has(id)).toBe(true);
  });

  it.each([
    ['a 503 with Retry-After', { errorRate: 1, errorStatus: 503, retryAfterS: 2, count: 2 }, 'error'],
    ['a 429 with Retry-After', { errorRate: 1, errorStatus: 429, retryAfterS: 1, count: 1 }, 'error'],
    ['a connection reset', { resetRate: 1, count: 2 }, 'reset'],
    ['a malformed body', { malformedRate: 1, count: 1 }, 'malformed'],
    ['a truncated body', { truncatedRate: 1, count: 1 }, 'truncated'],
  ])('completes through %s, retrying with backoff, and records the retries', async (_name, rule, kind) => {
    await sb.faults('pss', [{ endpoint: 'GET /v1/flights', ...rule }]);
    const before = (await sb.status()).systems.pss.faultsInjected[kind] ?? 0;
    const c = connector({ streams: ['carriers', 'airports', 'flights'] });
    const b = backend(c);
    const [run] = await b.feeds.sync(['pss'], 'test', true);
    expect(run!.status).toBe('degraded');
    expect(run!.retries).toBe(rule.count);
    expect(count(b, 'SELECT count(*) FROM flights')).toBe(served().flights);
    const injected = (await sb.status()).systems.pss.faultsInjected;
    expect((injected[kind] ?? 0) - before).toBe(rule.count);
  });

  it('honours Retry-After when it retries a 503', async () => {
    await sb.faults('pss', [{ endpoint: 'GET /v1/carriers', errorRate: 1, errorStatus: 503, retryAfterS: 3, count: 1 }]);
    const settings = sb.settings('pss');
    const c = new PssConnector({ ...settings, streams: ['carriers'] });
    connectors.push(c);
    const run = (await backend(c).feeds.sync(['pss'], 'test', true))[0]!;
    expect(run.status).toBe('degraded');
    expect(settings.sleeps).toEqual([3000]);
  });

  it('times out a hung request and retries it', async () => {
    await sb.faults('pss', [{ endpoint: 'GET /v1/rbd-ladders', hangRate: 1, count: 1 }]);
    const c = connector({ requestTimeoutMs: 400, streams: ['carriers', 'rbds'] });
    const b = backend(c);
    const [run] = await b.feeds.sync(['pss'], 'test', true);
    expect(run!.status).toBe('degraded');
    expect(run!.retries).toBe(1);
    expect(count(b, 'SELECT count(*) FROM rbds')).toBe(sb.market.rbds().length);
  });

  it('renews an expired token once on a 401 and retries the call', async () => {
    await sb.faults('pss', [{ endpoint: 'GET /v1/fares', expiredTokenRate: 1, count: 1 }]);
    const c = connector({ streams: ['carriers', 'fares'] });
    const b = backend(c);
    const [run] = await b.feeds.sync(['pss'], 'test', true);
    expect(run!.error).toBeNull();
    expect(c.tokensFetched).toBe(2);
    expect(run!.detail).toMatchObject({ tokenRenewals: 1 });
    expect(count(b, 'SELECT count(*) FROM fares')).toBe(served().fares);
  });

  it('fails with a clear recorded error when the PSS keeps failing, opens the breaker, and recovers after the cool-down', async () => {
    await sb.faults('pss', [{ endpoint: 'GET /v1/carriers', errorRate: 1, errorStatus: 503, retryAfterS: 0 }]);
    const clock = fixedClock('2026-03-01T06:00:00Z');
    const c = connector({ clock, breaker: { failureThreshold: 3, coolDownMs: 60_000 }, retry: { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 20 }, streams: ['carriers', 'airports', 'flights'] });
    const b = backend(c, clock);
    const [failed] = await b.feeds.sync(['pss'], 'test', true);
    expect(failed!.status).toBe('failed');
    expect(failed!.error).toMatch(/breaker|503/);
    expect(failed!.breakerTransitions.map((t) => t.to)).toContain('open');
    expect(c.breaker().state).toBe('open');
    expect(b.feeds.status()[0]).toMatchObject({ state: 'down', breaker: 'open' });
    // while open, a run fails at once without calling the PSS
    const calls = sb.exchanges.length;
    const [refused] = await b.feeds.sync(['pss'], 'test', true);
    expect(refused!.status).toBe('failed');
    expect(refused!.error).toMatch(/circuit breaker is open/);
    expect(sb.exchanges.length).toBe(calls);
    // the PSS recovers; after the cool-down a probe closes the breaker and the run completes
    await sb.clearFaults();
    clock.advanceMs(61_000);
    const [ok] = await b.feeds.sync(['pss'], 'test', true);
    expect(ok!.status).toBe('degraded');
    expect(ok!.breakerTransitions.map((t) => `${t.from}>${t.to}`)).toEqual(['open>half_open', 'half_open>closed']);
    expect(c.breaker().state).toBe('closed');
    expect(count(b, 'SELECT count(*) FROM flights')).toBe(served().flights);
  });
});

describe('PSS push port against the sandbox PSS', () => {
  function fareFor(rbd: string, amountMinor: number): Fare {
    const base = sb.market.fares().find((f) => f.rbd === rbd && !f.flightId)!;
    return { ...base, amountMinor, validFrom: '2026-04-01', validTo: '2026-04-30' };
  }

  it('applies a fare batch once: a replayed key returns the first answer and changes nothing, counted at the sandbox', async () => {
    const c = connector();
    const mark = sb.exchanges.length;
    const before = await sb.status();
    const batch = {
      idempotencyKey: 'batch-0001-fares',
      items: [
        { itemId: 'o1', key: 'fare:a', sequence: 1, payload: fareFor('Y2', 33_300) },
        { itemId: 'o2', key: 'fare:b', sequence: 1, payload: { ...fareFor('Y3', 22_200), rbd: 'ZZ' } },
      ],
    };
    const first = await c.pushFares(batch);
    expect(first.replayed).toBe(false);
    expect(first.items[0]).toMatchObject({ itemId: 'o1', status: 'accepted', reference: expect.any(String) });
    expect(first.items[1]).toMatchObject({ itemId: 'o2', status: 'rejected', code: 'invalid_rbd' });
    const faresAfterFirst = JSON.stringify(sb.market.fares());
    const again = await c.pushFares(batch);
    expect(again.replayed).toBe(true);
    expect(again.items).toEqual(first.items);
    expect(again.receivedAt).toBe(first.receivedAt);
    expect(JSON.stringify(sb.market.fares())).toBe(faresAfterFirst);
    const after = await sb.status();
    expect(after.pushes.fares.batches - before.pushes.fares.batches).toBe(1);
    expect(after.pushes.fares.replayed - before.pushes.fares.replayed).toBe(1);
    expect(after.pushes.fares.itemsAccepted - before.pushes.fares.itemsAccepted).toBe(1);
    expect(sb.specProblems(mark)).toEqual([]);
  });

  it('rejects an older sequence after a newer one for the same key, and refuses a reused key with another batch', async () => {
    const c = connector();
    await c.pushFares({ idempotencyKey: 'batch-seq-0001', items: [{ itemId: 'n', key: 'fare:k', sequence: 5, payload: fareFor('Y2', 30_000) }] });
    const older = await c.pushFares({ idempotencyKey: 'batch-seq-0002', items: [{ itemId: 'o', key: 'fare:k', sequence: 4, payload: fareFor('Y2', 29_000) }] });
    expect(older.items[0]).toMatchObject({ status: 'rejected', code: 'stale_sequence' });
    const err = await c.pushFares({ idempotencyKey: 'batch-seq-0001', items: [{ itemId: 'x', key: 'fare:k', sequence: 9, payload: fareFor('Y2', 31_000) }] }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/422.*idempotency_key_reused/);
  });

  it('retries a push through a 503 with its idempotency key, so the PSS applies it once', async () => {
    await sb.faults('pss', [{ endpoint: 'POST /v1/inventory-controls/batches', errorRate: 1, errorStatus: 503, retryAfterS: 0, count: 1 }]);
    const c = connector();
    const w = sb.market.flightWindow();
    const flight = sb.market.inventory('2026-03-10', w.toDate)[0]!;
    const before = (await sb.status()).pushes.controls;
    const r = await c.pushInventoryControls({
      idempotencyKey: 'ctl-batch-0001',
      items: [{ itemId: 'c1', key: `ctl:${flight.flightId}/${flight.rbd}`, sequence: 1, payload: { flightId: flight.flightId, rbd: flight.rbd, cabin: flight.cabin, authorised: 0, status: null, bidPriceMinor: null, currency: null } }],
    });
    expect(r.items[0]).toMatchObject({ status: 'accepted' });
    const after = (await sb.status()).pushes.controls;
    expect(after.batches - before.batches).toBe(1);
    expect(sb.market.inventory('2026-03-10', w.toDate).find((i) => i.flightId === flight.flightId && i.rbd === flight.rbd)!.authorised).toBe(0);
  });

  it('pushes an authorisation above the seats (overbooking); passengers showing up beyond them are denied boarding and synced so', async () => {
    const c = connector();
    const date = sb.market.clock.now().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const rows = sb.market.inventory(tomorrow, tomorrow);
    const flightId = rows[0]!.flightId;
    const cabin = rows[0]!.cabin;
    const seats = sb.market.flights(tomorrow, tomorrow).find((f) => f.id === flightId)!.cabins.find((x) => x.cabin === cabin)!.capacity;
    const most = Math.floor(seats * 1.5);
    const mine = rows.filter((r) => r.flightId === flightId && r.cabin === cabin);
    const r = await c.pushInventoryControls({
      idempotencyKey: 'ctl-overbook-0001',
      items: [
        ...mine.map((x, i) => ({ itemId: `ob${i}`, key: `ctl:${flightId}/${x.rbd}`, sequence: 1, payload: { flightId, rbd: x.rbd, cabin, authorised: most, status: 'open' as const, bidPriceMinor: null, currency: null } })),
        { itemId: 'too-many', key: `ctl:${flightId}/${mine[0]!.rbd}/x`, sequence: 1, payload: { flightId, rbd: mine[0]!.rbd, cabin, authorised: most + 1, status: null, bidPriceMinor: null, currency: null } },
      ],
    });
    expect(r.items.slice(0, -1).every((x) => x.status === 'accepted')).toBe(true);
    expect(r.items.at(-1)).toMatchObject({ status: 'rejected', code: 'exceeds_capacity' });
    const flight = sb.market.flights(tomorrow, tomorrow).find((f) => f.id === flightId)!;
    for (let i = 0; i < 100; i++) {
      const o = sb.market.createOrder({ offerId: `ob-${i}`, origin: flight.origin, destination: flight.destination, passengers: 9, pointOfSale: sb.market.fares()[0]!.pointOfSale, channel: 'direct', segments: [{ flightId, rbd: mine[0]!.rbd }], expectedTotal: null, ancillaries: [] });
      if (!o.ok) break;
    }
    const sold = sb.market.inventory(tomorrow, tomorrow).filter((x) => x.flightId === flightId && x.cabin === cabin).reduce((a, x) => a + x.sold, 0);
    expect(sold).toBeLessThanOrEqual(most);
    expect(sold).toBeGreaterThan(seats);
    await sb.advance(2);
    const b = backend(c);
    const [run] = await b.feeds.sync(['pss'], 'test', true);
    expect(run!.status, run!.error ?? '').toBe('ok');
    const pax = (status: string) => count(b, `SELECT coalesce(sum(passengers), 0) FROM bookings WHERE flight_id = '${flightId}' AND cabin = '${cabin}' AND status = '${status}'`);
    expect(pax('denied_boarding')).toBeGreaterThan(0);
    expect(pax('flown')).toBeLessThanOrEqual(seats);
    expect(pax('flown') + pax('denied_boarding')).toBeGreaterThan(seats);
    expect(count(b, 'SELECT count(*) FROM quarantine')).toBe(0);
  });

  it('splits a large batch into parts with derived keys and answers every item in order', async () => {
    const c = connector({ pushChunkSize: 3 });
    const items = Array.from({ length: 7 }, (_, i) => ({ itemId: `s${i}`, key: `fare:split:${i}`, sequence: 1, payload: fareFor('Y4', 10_000 + i) }));
    const r = await c.pushFares({ idempotencyKey: 'split-batch-0001', items });
    expect(r.items.map((x) => x.itemId)).toEqual(items.map((x) => x.itemId));
    expect(r.items.every((x) => x.status === 'accepted')).toBe(true);
    const posted = sb.exchanges.filter((x) => x.endpoint === 'POST /v1/fares/batches' && String(x.headers['idempotency-key']).startsWith('split-batch-0001'));
    expect(posted.map((x) => x.headers['idempotency-key'])).toEqual(['split-batch-0001#1', 'split-batch-0001#2', 'split-batch-0001#3']);
  });
});
