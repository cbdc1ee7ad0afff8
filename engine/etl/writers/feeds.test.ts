import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../store/db';
import { fixedClock } from '../../domain/time';
import { createPageCommitter, type PageCommitter } from '../commit';
import type { PlannedLeg, CodeshareAgreement } from '../../ports/schedule';
import { flightId, type Booking } from '../../domain/types';
import { WRITERS } from './index';
import type { FeedRecordKind } from '../../ports/records';

let dir: string;
let store: Store;
let committer: PageCommitter;
let runId: number;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-writers-'));
  store = openStore({ dataDir: dir, clock: fixedClock('2026-03-01T06:00:00Z') });
  committer = createPageCommitter(store.db, 'schedule', store.now);
  runId = Number(store.db.prepare("INSERT INTO feed_runs (feed, trigger, started_at, status) VALUES ('schedule', 'test', ?, 'running')").run(store.now()).lastInsertRowid);
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function leg(n: number, date: string, over: Partial<PlannedLeg> = {}): PlannedLeg {
  return {
    id: flightId('DF', n, date, 'FRA'), carrier: 'DF', flightNumber: n, origin: 'FRA', destination: 'LHR', localDate: date,
    departureUtc: `${date}T07:00:00.000Z`, arrivalUtc: `${date}T08:30:00.000Z`, cabins: [{ cabin: 'J', capacity: 20 }, { cabin: 'Y', capacity: 150 }],
    serviceType: 'J', passenger: true, operationalSuffix: '', itineraryVariation: 1, legSequence: 1, departureLocalTime: '08:00',
    arrivalLocalTime: '08:30', arrivalLocalDate: date, departureUtcOffsetMinutes: 60, arrivalUtcOffsetMinutes: 0, aircraftConfiguration: 'J20Y150',
    aircraft: '320', sourceRef: `test line ${n}`, ...over,
  };
}

describe('feed writers', () => {
  it('have a writer for every record kind', () => {
    const kinds: FeedRecordKind[] = ['carriers', 'rbds', 'flights', 'bookings', 'inventory', 'fares', 'demand', 'routePerformance', 'competitorFares',
      'elasticities', 'exchangeRates', 'plannedLegs', 'codeshares', 'airports', 'calendar'];
    for (const k of kinds) expect(WRITERS[k], k).toBeDefined();
  });

  it('write demand and keep the newer figure when an older one arrives later', () => {
    const base = { carrier: 'DF', origin: 'FRA', destination: 'LHR', departureDate: '2026-04-01', cabin: 'Y', dcp: 21, kind: 'current' as const, unconstrainedDemand: null };
    committer.commit(runId, { stream: 'demand', records: { kind: 'demand', items: [{ ...base, bookings: 40, asOf: '2026-03-01T00:00:00Z' }] }, quarantined: [] });
    committer.commit(runId, { stream: 'demand', records: { kind: 'demand', items: [{ ...base, bookings: 35, asOf: '2026-02-20T00:00:00Z' }] }, quarantined: [] });
    expect(store.db.prepare('SELECT bookings FROM demand').pluck().get()).toBe(40);
  });

  it('store optional key parts so that the same competitor observation is not duplicated', () => {
    const f = { carrier: 'LH', origin: 'FRA', destination: 'LHR', departureDate: '2026-04-01', cabin: null, brand: null, amountMinor: 12_900, currency: 'EUR', observedAt: '2026-03-01T05:00:00Z' };
    committer.commit(runId, { stream: 'competitorFares', records: { kind: 'competitorFares', items: [f, { ...f, amountMinor: 13_000 }] }, quarantined: [] });
    expect(store.db.prepare('SELECT count(*) n, max(amount_minor) a, max(cabin) c FROM competitor_fares').get()).toEqual({ n: 1, a: 13_000, c: '' });
  });

  it('quarantine refused records with the field and keep the rest of the page', () => {
    const ok = { origin: 'FRA', destination: 'LHR', cabin: 'Y', segment: 'leisure', dbdFrom: 21, dbdTo: 0, elasticity: -1.4, standardError: 0.2, asOf: '2026-03-01T00:00:00Z' };
    const r = committer.commit(runId, {
      stream: 'elasticities',
      records: { kind: 'elasticities', items: [ok, { ...ok, dbdFrom: 0, dbdTo: 21 }, { ...ok, segment: null, dbdFrom: null, dbdTo: null }] },
      quarantined: [],
    });
    expect(r).toEqual({ written: 2, quarantined: 1 });
    const q = store.db.prepare('SELECT field, reason, location FROM quarantine').get() as { field: string; reason: string; location: string };
    expect(q.field).toBe('dbdFrom');
    expect(q.location).toBe('item 2 of 3');
    expect(store.db.prepare("SELECT dbd_from FROM elasticities WHERE segment = ''").pluck().get()).toBe(-1);
  });

  it('refuse an exchange rate to the same currency and a calendar event that ends before it starts', () => {
    const r1 = committer.commit(runId, { stream: 'fx', records: { kind: 'exchangeRates', items: [{ base: 'EUR', quote: 'EUR', date: '2026-03-01', rate: 1 }, { base: 'EUR', quote: 'USD', date: '2026-03-01', rate: 1.08 }] }, quarantined: [] });
    const r2 = committer.commit(runId, { stream: 'calendar', records: { kind: 'calendar', items: [{ fromDate: '2026-04-05', toDate: '2026-04-03', name: 'Easter', kind: 'holiday', country: 'DE', airport: null }] }, quarantined: [] });
    expect([r1, r2]).toEqual([{ written: 1, quarantined: 1 }, { written: 0, quarantined: 1 }]);
  });

  it('replace the planned schedule of a carrier and date range as a snapshot, leaving other carriers and dates alone', () => {
    const scope = { carrier: 'DF', fromDate: '2026-04-01', toDate: '2026-04-30' };
    committer.commit(runId, { stream: 'schedule', records: { kind: 'plannedLegs', items: [leg(1, '2026-04-01'), leg(2, '2026-04-01'), leg(3, '2026-05-02'), leg(4, '2026-04-02', { carrier: 'LH', id: flightId('LH', 4, '2026-04-02', 'FRA') })], snapshot: scope }, quarantined: [] });
    // the second snapshot drops flight 2 and changes flight 1's time
    const r = committer.commit(runId, { stream: 'schedule', records: { kind: 'plannedLegs', items: [leg(1, '2026-04-01', { departureLocalTime: '08:30', departureUtc: '2026-04-01T07:30:00.000Z' })], snapshot: scope }, quarantined: [] });
    expect(r.written).toBe(1);
    const rows = store.db.prepare('SELECT id, departure_local_time t FROM planned_legs ORDER BY id').all();
    expect(rows).toEqual([
      { id: 'DF1/2026-04-01/FRA', t: '08:30' },
      { id: 'DF3/2026-05-02/FRA', t: '08:00' },
      { id: 'LH4/2026-04-02/FRA', t: '08:00' },
    ]);
  });

  it('replace codeshares of an operating carrier overlapping the range as a snapshot', () => {
    const cs = (mkt: number, from: string, to: string): CodeshareAgreement => ({
      marketingCarrier: 'PA', marketingFlightNumber: mkt, operatingCarrier: 'DF', operatingFlightNumber: mkt - 5000, origin: null, destination: null,
      validFrom: from, validTo: to, sourceRef: 'api',
    });
    const scope = { carrier: 'DF', fromDate: '2026-03-29', toDate: '2026-10-24' };
    committer.commit(runId, { stream: 'codeshares', records: { kind: 'codeshares', items: [cs(5001, '2026-03-29', '2026-10-24'), cs(5002, '2026-03-29', '2026-10-24'), cs(5003, '2025-10-26', '2026-03-28')], snapshot: scope }, quarantined: [] });
    committer.commit(runId, { stream: 'codeshares', records: { kind: 'codeshares', items: [cs(5001, '2026-03-29', '2026-10-24')], snapshot: scope }, quarantined: [] });
    expect(store.db.prepare('SELECT marketing_flight_number FROM codeshares ORDER BY 1').pluck().all()).toEqual([5001, 5003]);
  });
  it('apply booking events in order: a status event updates the booking or stores one not seen yet, an event in another class moves it in the flight index', () => {
    store.db.exec(`INSERT INTO carriers (code, name, own) VALUES ('DF', 'DF', 1); INSERT INTO airports (code, name, time_zone, lat, lon) VALUES ('FRA', 'Frankfurt', 'Europe/Berlin', 50, 8), ('LHR', 'London', 'Europe/London', 51, 0)`);
    const f = flightId('DF', 1, '2026-04-01', 'FRA');
    store.db.prepare(`INSERT INTO flights (id, carrier, flight_number, origin, destination, local_date, departure_utc, arrival_utc, updated_at)
      VALUES (?, 'DF', 1, 'FRA', 'LHR', '2026-04-01', '2026-04-01T06:00:00Z', '2026-04-01T07:30:00Z', '2026-03-01T00:00:00Z')`).run(f);
    const b = { id: 'ABC123-1', recordLocator: 'ABC123', flightId: f, rbd: 'Q', cabin: 'Y', journeyOrigin: 'FRA', journeyDestination: 'LHR', pointOfSale: 'DE', channel: 'direct',
      passengers: 2, amountMinor: 19_800, currency: 'EUR', bookedAt: '2026-03-01T10:00:00Z', status: 'booked' as Booking['status'], ancillaries: [] };
    const page = (items: (typeof b & { statusAt?: string })[]) => committer.commit(runId, { stream: 'bookings', records: { kind: 'bookings', items: items as never }, quarantined: [] });
    page([b, { ...b, id: 'ABC123-2' }]);
    page([{ ...b, status: 'cancelled', statusAt: '2026-03-05T09:00:00Z', amountMinor: 0 }]);
    page([{ ...b, id: 'ABC123-2', rbd: 'M', amountMinor: 25_800, ancillaries: [{ code: 'BAG1', currency: 'EUR', amountMinor: 3_000 }] as never }]);
    // a status event of a booking not stored yet (a history read from its middle), and one in another class
    page([{ ...b, id: 'XYZ789-1', recordLocator: 'XYZ789', status: 'flown', statusAt: '2026-04-01T06:00:00Z' }]);
    page([{ ...b, id: 'ABC123-2', rbd: 'B', status: 'no_show', statusAt: '2026-04-01T06:00:00Z', amountMinor: 31_000 }]);
    const rows = store.db.prepare('SELECT id, rbd, status, status_at, amount_minor, ancillaries FROM bookings ORDER BY id').all();
    expect(rows).toEqual([
      { id: 'ABC123-1', rbd: 'Q', status: 'cancelled', status_at: '2026-03-05T09:00:00Z', amount_minor: 0, ancillaries: '[]' },
      { id: 'ABC123-2', rbd: 'B', status: 'no_show', status_at: '2026-04-01T06:00:00Z', amount_minor: 31_000, ancillaries: '[]' },
      { id: 'XYZ789-1', rbd: 'Q', status: 'flown', status_at: '2026-04-01T06:00:00Z', amount_minor: 19_800, ancillaries: '[]' },
    ]);
    expect(store.db.prepare('SELECT record_locator FROM bookings WHERE id = ?').pluck().get('XYZ789-1')).toBe('XYZ789');
    // read through the (flight_id, rbd) index
    expect(store.db.prepare('SELECT id FROM bookings INDEXED BY bookings_flight WHERE flight_id = ? AND rbd = ?').pluck().all(f, 'M')).toEqual([]);
    expect(store.db.prepare('SELECT id FROM bookings INDEXED BY bookings_flight WHERE flight_id = ? AND rbd = ?').pluck().all(f, 'B')).toEqual(['ABC123-2']);
    expect(store.db.prepare('SELECT id FROM bookings INDEXED BY bookings_flight WHERE flight_id = ? AND rbd = ?').pluck().all(f, 'Q')).toEqual(['ABC123-1', 'XYZ789-1']);
  });
});
