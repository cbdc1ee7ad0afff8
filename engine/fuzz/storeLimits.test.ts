/**
 * Disk full and read-only, made with SQLite's own controls (tests run as root, so file permissions do not
 * bind): `PRAGMA max_page_count` leaves the database no room, `PRAGMA query_only` refuses every write.
 * Through a feed sync and the API dispatcher: a clear error, reads keep working, nothing half-written
 * (each page whole or absent, its cursor with it; no record misfiled as quarantined), and a later sync
 * resumes from the last committed page without gap or duplicate.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../backend';
import { fixedClock } from '../domain/time';
import type { Booking } from '../domain/types';
import type { FeedConnector, SyncContext, SyncPage, SyncResult } from '../ports/feed-sync';
import type { Caller } from '../api/dispatch';
import { syntheticHubNetwork } from '../offers/synthetic-network';
import { syntheticHistory } from '../bundling/synthetic-history';
import { AuditLog } from '../workflow/audit';
import { auditHeadPath } from '../workflow/auditHead';

const NOW = '2026-02-20T10:00:00.000Z';
const net = syntheticHubNetwork({ seed: 3, spokes: 4, rotationsPerDay: 2, startDate: '2026-03-01', days: 6, codeshareEvery: 4 });
const history = syntheticHistory({ seed: 11, days: 60, bookingsPerFlight: 6, businessShare: 0.3, startDate: '2025-11-01', priceMultipliers: [1], items: [] });
const BOOKINGS = history.bookings as Booking[];
const PAGE = 100;

/**
 * A PSS-like feed: reference pages, then booking pages of PAGE items; the bookings stream resumes from its
 * committed cursor (the index of the next booking), as the real adapters do. `afterCommits` runs after the
 * last page (to change the store's state mid-run).
 */
class PagedFeed implements FeedConnector {
  readonly feed = 'pss' as const;
  readonly endpoint = 'fixture:paged';
  afterCommits: (() => void) | null = null;
  breaker() { return { name: 'pss', state: 'closed' as const, consecutiveFailures: 0, openedAt: null, retryAt: null, lastTransitionAt: null, lastFailure: null }; }
  async sync(ctx: SyncContext): Promise<SyncResult> {
    let n = 0;
    let written = 0;
    try {
      const ref: SyncPage['records'][] = [
        { kind: 'carriers', items: [{ code: 'DF', name: 'Demo Flights', own: true }, { code: 'PA', name: 'Partner Air', own: false }] },
        { kind: 'airports', items: [...net.airports, ...history.airports.filter((a) => !net.airports.some((b) => b.code === a.code))] },
        { kind: 'rbds', items: net.ladder },
        { kind: 'flights', items: [...net.legs, ...history.legs] },
      ];
      for (const r of ref) written += (await ctx.commit({ stream: r.kind, records: r, quarantined: [] })).written;
      for (let at = Number(ctx.getCursor('bookings') ?? 0); at < BOOKINGS.length; at += PAGE) {
        const items = BOOKINGS.slice(at, at + PAGE);
        n += items.length;
        written += (await ctx.commit({ stream: 'bookings', records: { kind: 'bookings', items }, quarantined: [], cursor: String(at + items.length) })).written;
      }
      this.afterCommits?.();
      return { status: 'ok', recordsIn: n, recordsWritten: written, recordsQuarantined: 0, retries: 0, latencyMs: null, breakerTransitions: [], fallback: null, error: null, detail: {} };
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'internal';
      return { status: 'failed', recordsIn: n, recordsWritten: written, recordsQuarantined: 0, retries: 0, latencyMs: null, breakerTransitions: [], fallback: null, error: { code, message: (e as Error).message, retryable: true }, detail: {} };
    }
  }
}

const admin: Caller = { user: 'admin', role: 'admin' };
let dir: string;
let backend: Backend;
let feed: PagedFeed;

const call = (method: string, input: unknown = {}) => backend.dispatcher.call(method, input, { caller: admin, transport: 'inproc' });
const count = (table: string) => backend.store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
const cursor = () => backend.store.db.prepare("SELECT cursor FROM feed_cursors WHERE feed = 'pss' AND stream = 'bookings'").pluck().get() as string | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-limits-'));
  feed = new PagedFeed();
  backend = createBackend({ dataDir: dir, clock: fixedClock(NOW), connectors: [feed], mode: 'sandbox', host: 'test', version: 't', decisions: { autoPush: false, expiryIntervalMs: 0 } });
});
afterEach(async () => {
  backend.store.db.pragma('query_only = OFF');
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** every booking page is whole or absent, and the cursor is exactly the bookings that landed */
function assertNothingHalfWritten(): void {
  const landed = count('bookings');
  expect(landed % PAGE === 0 || landed === BOOKINGS.length).toBe(true);
  expect(Number(cursor() ?? 0)).toBe(landed);
  const ids = backend.store.db.prepare('SELECT id FROM bookings ORDER BY rowid').pluck().all() as string[];
  expect(ids).toEqual(BOOKINGS.slice(0, landed).map((b) => b.id));
  expect(count('quarantine')).toBe(0);
  expect(backend.store.checkIntegrity('full').ok).toBe(true);
}

/**
 * No room left where a new user would go: the size limit at the current page count, then filler users of
 * shrinking size until SQLite answers SQLITE_FULL at each size (their table and login index are full).
 */
function fillUp(): void {
  const db = backend.store.db;
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  const ins = db.prepare(`INSERT INTO users (login, display_name, role, password_salt, password_hash, scrypt_n, scrypt_r, scrypt_p, created_at, updated_at)
    VALUES (?, ?, 'analyst', x'00', x'00', 2, 1, 1, ?, ?)`);
  let i = 0;
  for (const size of [120, 40, 10, 1]) {
    for (;;) {
      try {
        ins.run(`fill-${String(i++).padStart(6, '0')}`, 'x'.repeat(size), NOW, NOW);
      } catch (e) {
        expect((e as { code?: string }).code).toBe('SQLITE_FULL');
        break;
      }
    }
  }
}

describe('disk full (PRAGMA max_page_count)', () => {
  it('fails the feed run with a clear error, keeps whole pages only, reads keep working, and the next sync resumes without gap or duplicate', async () => {
    expect(BOOKINGS.length).toBeGreaterThan(5 * PAGE);
    const pages = backend.store.db.pragma('page_count', { simple: true }) as number;
    backend.store.db.pragma(`max_page_count = ${pages + 40}`);
    const [run] = await backend.feeds.sync(['pss'], 'test', true);
    expect(run!.status).toBe('failed');
    expect(run!.error).toMatch(/pss bookings page was not saved, nothing of it was kept: the database is full .*Free disk space and try again/);
    const landed = count('bookings');
    expect(landed).toBeGreaterThan(0);
    expect(landed).toBeLessThan(BOOKINGS.length);
    assertNothingHalfWritten();

    // reads work through the API
    const runs = await call('feeds.runs', { limit: 5 });
    expect(runs.ok && (runs.result as { status: string }[])[0]!.status).toBe('failed');
    const status = await call('feeds.status');
    expect(status.ok && (status.result as { state: string; running: boolean }[])[0]).toMatchObject({ state: 'down', running: false });
    expect((await call('feeds.quarantine', {})).ok).toBe(true);

    // a write through the API: a clear error naming the method, nothing kept (users, audit rows)
    fillUp();
    const users = count('users');
    const audit = count('audit_log');
    expect(users).toBeGreaterThan(0);
    const res = await call('users.create', { login: 'newbie', displayName: 'New Person', password: 'correct horse battery', role: 'analyst' });
    expect(res).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(!res.ok && res.error.message).toMatch(/^users\.create was not saved, nothing of it was kept: the database is full/);
    expect(count('users')).toBe(users);
    expect(count('audit_log')).toBe(audit);
    expect(new AuditLog(backend.store.db, backend.store.clock, auditHeadPath(backend.store.file)).verify().ok).toBe(true);

    // room again: the next run resumes after the last committed page
    backend.store.db.pragma('max_page_count = 1073741823');
    backend.store.db.prepare("DELETE FROM users WHERE login LIKE 'fill-%'").run();
    const [again] = await backend.feeds.sync(['pss'], 'test', true);
    expect(again!.status).toBe('ok');
    expect(again!.recordsIn).toBe(BOOKINGS.length - landed);
    expect(count('bookings')).toBe(BOOKINGS.length);
    assertNothingHalfWritten();
    expect((await call('users.create', { login: 'newbie', displayName: 'New Person', password: 'correct horse battery', role: 'analyst' })).ok).toBe(true);
  });
});

describe('read-only (PRAGMA query_only)', () => {
  it('refuses syncs and writes with a clear error while every read still answers, and writes nothing', async () => {
    await backend.feeds.sync(['pss'], 'test', true);
    const before = { runs: count('feed_runs'), bookings: count('bookings'), users: count('users') };
    backend.store.db.pragma('query_only = ON');
    const sync = await call('feeds.sync', { feeds: ['pss'] });
    expect(sync).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(!sync.ok && sync.error.message).toMatch(/^feeds\.sync was not saved, nothing of it was kept: the database is read-only .*reading still works/);
    const create = await call('users.create', { login: 'newbie', displayName: 'New Person', password: 'correct horse battery', role: 'analyst' });
    expect(!create.ok && create.error.message).toMatch(/read-only/);
    for (const [m, input] of [['feeds.status', {}], ['feeds.runs', {}], ['users.list', {}], ['decisions.list', {}], ['auth.status', {}]] as const) {
      const r = await call(m, input);
      expect(r.ok, `${m}: ${JSON.stringify(r).slice(0, 200)}`).toBe(true);
    }
    expect({ runs: count('feed_runs'), bookings: count('bookings'), users: count('users') }).toEqual(before);
  });

  it('a run whose outcome cannot be recorded still ends: the feed is not left running and can sync again', async () => {
    feed.afterCommits = () => { backend.store.db.pragma('query_only = ON'); };
    const [run] = await backend.feeds.sync(['pss'], 'test', true);
    expect(run!.status).toBe('failed');
    expect(run!.error).toMatch(/the outcome of pss run \d+ was not saved.*read-only/);
    expect(backend.feeds.status()[0]!.running).toBe(false);
    feed.afterCommits = null;
    backend.store.db.pragma('query_only = OFF');
    const [next] = await backend.feeds.sync(['pss'], 'test', true);
    expect(next!.id).not.toBe(run!.id);
    expect(next!.status).toBe('ok');
    expect(count('bookings')).toBe(BOOKINGS.length);
  });
});
