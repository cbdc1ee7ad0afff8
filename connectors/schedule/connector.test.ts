import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../engine/backend';
import { fixedClock } from '../../engine/domain/time';
import { reconcileSchedule } from '../../engine/etl/reconcile';
import { buildCalendar } from '../../engine/simulation/calendar';
import type { FeedConnector } from '../../engine/ports/feed-sync';
import { startTestSandbox, type TestSandbox } from '../sandbox/test-support/fixture';
import { PssConnector } from '../pss/connector';
import { ScheduleConnector, type ScheduleConnectorOptions } from './connector';

let sb: TestSandbox;
const dirs: string[] = [];
const backends: Backend[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  sb = await startTestSandbox({
    adjustScenario: (s) => {
      // A2 sells A1's first flight under its own number: a codeshare for the SSIM's DEI 10
      const schedule = [...s.schedule];
      schedule[0] = { ...schedule[0]!, codeshares: [{ carrier: 'A2', flightNumber: 9101 }] };
      return { ...s, schedule, calendar: buildCalendar(2025, 2027, 7) };
    },
  });
});
afterAll(async () => { await sb.close(); });
afterEach(async () => {
  await sb.clearFaults();
  for (const b of backends.splice(0)) await b.close();
  for (const c of closers.splice(0)) await c();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function connector(over: Partial<ScheduleConnectorOptions> = {}): ScheduleConnector {
  const c = new ScheduleConnector({ ...sb.settings('planning'), ...over });
  closers.push(() => c.close());
  return c;
}

function backend(list: FeedConnector[], clock = fixedClock('2026-03-01T06:00:00Z')): Backend {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-schedule-'));
  dirs.push(dir);
  const b = createBackend({ dataDir: dir, clock, connectors: list, mode: 'sandbox', host: 'test', version: 't' });
  backends.push(b);
  return b;
}

const count = (b: Backend, sql: string) => (b.store.db.prepare(sql).pluck().get() as number);

function operated(): number {
  const w = sb.market.flightWindow();
  return sb.market.flights(w.fromDate, w.toDate).filter((f) => f.carrier === 'A1' && !f.operatingCarrier).length;
}

describe('schedule connector against the sandbox network planning', () => {
  it('syncs airports, the calendar, the SSIM schedule and codeshares (API and DEI 10)', async () => {
    const b = backend([connector()]);
    const [run] = await b.feeds.sync(['schedule'], 'test', true);
    expect(run!.status, run!.error ?? '').toBe('ok');
    expect(count(b, 'SELECT count(*) FROM airports')).toBe(sb.market.airports().length);
    expect(count(b, 'SELECT count(*) FROM calendar_events')).toBe(sb.market.calendar('2025-01-25', '2027-07-14').length);
    expect(count(b, 'SELECT count(*) FROM calendar_events')).toBeGreaterThan(20);
    expect(count(b, 'SELECT count(*) FROM planned_legs')).toBe(operated());
    expect(count(b, "SELECT count(*) FROM planned_legs WHERE source_ref LIKE 'A1_%.ssim line %'")).toBe(operated());
    // the API's agreement, and the SSIM's DEI 10 one per itinerary variation (each with its period)
    const cs = b.store.db.prepare('SELECT marketing_carrier, marketing_flight_number, operating_carrier, source_ref FROM codeshares').all() as { marketing_carrier: string; marketing_flight_number: number; operating_carrier: string; source_ref: string }[];
    expect(cs.every((c) => c.marketing_carrier === 'A2' && c.marketing_flight_number === 9101 && c.operating_carrier === 'A1')).toBe(true);
    expect(cs.filter((c) => c.source_ref === 'planning API /v1/codeshares')).toHaveLength(1);
    expect(cs.filter((c) => /\.ssim line \d+ \(DEI 10\)$/.test(c.source_ref)).length).toBeGreaterThanOrEqual(1);
    expect(run!.detail).toMatchObject({ schedule: { errors: 0, snapshot: true } });
    // every record received is written, quarantined or merged into another as its duplicate: counted once
    const streams = Object.values((run!.detail as { streams: Record<string, { duplicates?: number }> }).streams);
    const merged = streams.reduce((s, x) => s + (x.duplicates ?? 0), 0);
    expect(run!.recordsIn).toBe(run!.recordsWritten + run!.recordsQuarantined + merged);
    expect(sb.specProblems()).toEqual([]);
  });

  it('counts the codeshares the API repeats from the SSIM file in, once, as merged duplicates', async () => {
    const b = backend([connector()]);
    const [first] = await b.feeds.sync(['schedule'], 'test', true);
    const agreements = count(b, 'SELECT count(*) FROM codeshares');
    // the planning API now also lists every agreement the SSIM file holds (the store keeps -1 and '' for "none")
    const fromFile = (b.store.db.prepare(`SELECT marketing_carrier, marketing_flight_number, operating_carrier, operating_flight_number, origin, destination, valid_from, valid_to
        FROM codeshares WHERE source_ref LIKE '%DEI 10%'`).all() as { marketing_carrier: string; marketing_flight_number: number; operating_carrier: string; operating_flight_number: number; origin: string; destination: string; valid_from: string; valid_to: string }[])
      .map((c) => ({
        marketingCarrier: c.marketing_carrier, marketingFlightNumber: c.marketing_flight_number < 0 ? null : c.marketing_flight_number, operatingCarrier: c.operating_carrier,
        operatingFlightNumber: c.operating_flight_number < 0 ? null : c.operating_flight_number, origin: c.origin || null, destination: c.destination || null,
        validFrom: c.valid_from, validTo: c.valid_to, sourceRef: 'api',
      }));
    expect(fromFile.length).toBeGreaterThan(0);
    const listed = sb.market.codeshares.bind(sb.market);
    sb.market.codeshares = () => [...listed(), ...fromFile];
    sb.sandbox.state.version++; // the sandbox's lists are cached by its state's version
    let run: Awaited<ReturnType<typeof b.feeds.sync>>[number] | undefined;
    try {
      [run] = await b.feeds.sync(['schedule'], 'test', true);
    } finally {
      sb.market.codeshares = listed;
    }
    expect(run!.status, run!.error ?? '').toBe('ok');
    expect(count(b, 'SELECT count(*) FROM codeshares')).toBe(agreements);
    expect((run!.detail as { streams: { codeshares: { duplicates?: number } } }).streams.codeshares.duplicates).toBe(fromFile.length);
    expect(run!.recordsIn).toBe(run!.recordsWritten + run!.recordsQuarantined + fromFile.length);
    expect(run!.recordsIn).toBe(first!.recordsIn + fromFile.length);
  });

  it('agrees with the PSS: reconciling the planned schedule with the operated flights finds no mismatch', async () => {
    const pss = new PssConnector({ ...sb.settings('pss'), streams: ['carriers', 'airports', 'flights'] });
    closers.push(() => pss.close());
    const b = backend([connector(), pss]);
    const runs = await b.feeds.sync(['schedule', 'pss'], 'test', true);
    expect(runs.map((r) => r.status)).toEqual(['ok', 'ok']);
    const w = sb.market.flightWindow();
    const r = reconcileSchedule(b.store.db, { fromDate: w.fromDate, toDate: w.toDate }, b.store.now);
    expect(r.planned).toBe(operated());
    expect(r.operated).toBe(operated());
    expect(r.mismatches).toEqual([]);
    // a flight the PSS moved is flagged, and the planned schedule is left as it was
    b.store.db.prepare("UPDATE flights SET departure_utc = strftime('%Y-%m-%dT%H:%M:%fZ', departure_utc, '+45 minutes') WHERE id = (SELECT min(id) FROM flights WHERE carrier = 'A1')").run();
    const planned = b.store.db.prepare('SELECT * FROM planned_legs ORDER BY id').all();
    const again = reconcileSchedule(b.store.db, { fromDate: w.fromDate, toDate: w.toDate }, b.store.now);
    expect(again.mismatches.map((m) => m.kind)).toEqual(['time_changed']);
    expect(b.store.db.prepare('SELECT * FROM planned_legs ORDER BY id').all()).toEqual(planned);
  });

  it('quarantines unusable SSIM records with line and field, and then removes nothing from the planned schedule', async () => {
    const b = backend([connector()]);
    await b.feeds.sync(['schedule'], 'test', true);
    const before = count(b, 'SELECT count(*) FROM planned_legs');
    await sb.faults('planning', [{ endpoint: 'GET /v1/schedules/ssim', badRecordRate: 0.2 }]);
    const [run] = await b.feeds.sync(['schedule'], 'test', true);
    const corrupted = (await sb.status()).systems.planning.endpoints['GET /v1/schedules/ssim']!.corruptedRecords;
    expect(corrupted).toBeGreaterThan(0);
    expect(run!.status).toBe('degraded');
    expect(run!.detail).toMatchObject({ schedule: { errors: corrupted, snapshot: false } });
    const q = b.store.db.prepare("SELECT source, location, field FROM quarantine WHERE source LIKE 'ssim %'").all() as { source: string; location: string; field: string }[];
    expect(q).toHaveLength(corrupted);
    expect(q[0]!.location).toMatch(/^line \d+$/);
    expect(q[0]!.field).toBe('periodFrom');
    expect(count(b, 'SELECT count(*) FROM planned_legs')).toBe(before);
  });

  it('falls back to the last good schedule, flagged with its age, when the schedule cannot be fetched', async () => {
    const clock = fixedClock('2026-03-01T06:00:00Z');
    const c = connector({ clock, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const b = backend([c], clock);
    await b.feeds.sync(['schedule'], 'test', true);
    const legs = count(b, 'SELECT count(*) FROM planned_legs');
    await sb.faults('planning', [{ endpoint: 'GET /v1/schedules/ssim', errorRate: 1, errorStatus: 502 }]);
    clock.advanceMs(7_200_000);
    const [run] = await b.feeds.sync(['schedule'], 'test', true);
    expect(run!.status).toBe('fallback');
    expect(run!.detail.fallback).toMatchObject({ source: 'last_good_schedule', ageMs: 7_200_000 });
    expect(b.feeds.status()[0]).toMatchObject({ state: 'fallback' });
    expect(count(b, 'SELECT count(*) FROM planned_legs')).toBe(legs);
    const answer = await c.schedule({ fromDate: '2026-03-01', toDate: '2026-03-07', carrier: 'A1' });
    expect(answer).toMatchObject({ source: 'last_good_schedule', stale: true, ageMs: 7_200_000 });
    expect(answer.data.length).toBeGreaterThan(0);
  });

  it('reads SSIM files from its drop folder once, as a snapshot of the carrier\'s schedule', async () => {
    const drop = sb.sandbox.endpoints.dropFolders.planning;
    const b = backend([connector({ dropFolder: { path: drop, stableMs: 0 } })]);
    const res = await fetch(`${sb.sandbox.endpoints.control.baseUrl}/control/files/planning`, {
      method: 'POST', headers: { authorization: `Bearer ${sb.sandbox.endpoints.control.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fromDate: '2026-03-01', toDate: '2026-03-31' }),
    });
    const written = await res.json() as { file: string; rows: number };
    expect(written.rows).toBeGreaterThan(0);
    const [run] = await b.feeds.sync(['schedule'], 'test', true);
    expect(run!.detail.files).toEqual([expect.objectContaining({ status: 'applied', file: path.basename(written.file) })]);
    expect(fs.existsSync(written.file)).toBe(false);
    const applied = b.store.db.prepare('SELECT cursor FROM feed_cursors WHERE feed = ? AND stream LIKE ?').pluck().get('schedule', 'file:%');
    expect(applied).toBe(path.basename(written.file));
  });
});
