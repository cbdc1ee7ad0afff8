import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/db';
import { fixedClock } from '../domain/time';
import { flightId, type FlightLeg } from '../domain/types';
import type { PlannedLeg } from '../ports/schedule';
import { createPageCommitter } from './commit';
import { openMismatches, reconcileSchedule } from './reconcile';

let dir: string;
let store: Store;
const clock = fixedClock('2026-03-01T06:00:00Z');

function flight(n: number, date: string, over: Partial<FlightLeg> = {}): FlightLeg {
  return {
    id: flightId('DF', n, date, 'FRA'), carrier: 'DF', flightNumber: n, origin: 'FRA', destination: 'LHR', localDate: date,
    departureUtc: `${date}T07:00:00.000Z`, arrivalUtc: `${date}T08:40:00.000Z`, aircraft: '320', cabins: [{ cabin: 'Y', capacity: 150 }], ...over,
  };
}

function planned(f: FlightLeg, over: Partial<PlannedLeg> = {}): PlannedLeg {
  return {
    ...f, serviceType: 'J', passenger: true, operationalSuffix: '', itineraryVariation: 1, legSequence: 1, departureLocalTime: '08:00',
    arrivalLocalTime: '08:40', arrivalLocalDate: f.localDate, departureUtcOffsetMinutes: 60, arrivalUtcOffsetMinutes: 0,
    aircraftConfiguration: 'Y150', sourceRef: 'test', ...over,
  };
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-reconcile-'));
  store = openStore({ dataDir: dir, clock });
  const run = Number(store.db.prepare("INSERT INTO feed_runs (feed, trigger, started_at, status) VALUES ('pss', 'test', ?, 'ok')").run(store.now()).lastInsertRowid);
  const pss = createPageCommitter(store.db, 'pss', store.now);
  pss.commit(run, { stream: 'carriers', records: { kind: 'carriers', items: [{ code: 'DF', name: 'DFAE Air', own: true }, { code: 'PA', name: 'Partner', own: false }] }, quarantined: [] });
  pss.commit(run, { stream: 'airports', records: { kind: 'airports', items: [
    { code: 'FRA', name: 'Frankfurt', timeZone: 'Europe/Berlin', lat: 50.03, lon: 8.56 },
    { code: 'LHR', name: 'Heathrow', timeZone: 'Europe/London', lat: 51.47, lon: -0.45 },
    { code: 'CDG', name: 'Paris CDG', timeZone: 'Europe/Paris', lat: 49.0, lon: 2.55 },
  ] }, quarantined: [] });
  const d = '2026-04-01';
  // PSS: 1 same as plan, 2 30 min later, 3 other aircraft, 4 to CDG, 5 not planned, 6 marketed only (not compared)
  pss.commit(run, { stream: 'flights', records: { kind: 'flights', items: [
    flight(1, d), flight(2, d, { departureUtc: `${d}T07:30:00.000Z`, arrivalUtc: `${d}T09:10:00.000Z` }), flight(3, d, { aircraft: '321' }),
    flight(4, d, { destination: 'CDG' }), flight(5, d), flight(6000, d, { operatingCarrier: 'PA', operatingFlightNumber: 12 }),
  ] }, quarantined: [] });
  const plan = createPageCommitter(store.db, 'schedule', store.now);
  // plan: 1 to 4, 7 (missing in the PSS), 8 cargo (not compared)
  plan.commit(run, { stream: 'schedule', records: { kind: 'plannedLegs', items: [
    planned(flight(1, d)), planned(flight(2, d)), planned(flight(3, d)), planned(flight(4, d)), planned(flight(7, d)),
    planned(flight(8, d), { serviceType: 'F', passenger: false }),
  ] }, quarantined: [] });
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('reconcileSchedule', () => {
  it('flags every kind of difference between plan and PSS, and changes neither side', () => {
    const before = store.db.prepare('SELECT * FROM flights ORDER BY id').all();
    const beforePlan = store.db.prepare('SELECT * FROM planned_legs ORDER BY id').all();
    const r = reconcileSchedule(store.db, { fromDate: '2026-04-01', toDate: '2026-04-01' }, store.now);
    expect(r.planned).toBe(5);
    expect(r.operated).toBe(5);
    const got = r.mismatches.map((m) => `${m.flightId} ${m.kind}`).sort();
    expect(got).toEqual([
      'DF2/2026-04-01/FRA time_changed',
      'DF3/2026-04-01/FRA aircraft_changed',
      'DF4/2026-04-01/FRA route_changed',
      'DF5/2026-04-01/FRA missing_in_plan',
      'DF7/2026-04-01/FRA missing_in_pss',
    ]);
    expect(r.mismatches.find((m) => m.kind === 'time_changed')!.detail).toBe('departure 08:00 planned, 09:30 in the PSS; arrival 08:40 planned, 10:10 in the PSS');
    expect(r.opened).toBe(5);
    expect(store.db.prepare('SELECT * FROM flights ORDER BY id').all()).toEqual(before);
    expect(store.db.prepare('SELECT * FROM planned_legs ORDER BY id').all()).toEqual(beforePlan);
    expect(openMismatches(store.db)).toHaveLength(5);
  });

  it('keeps a mismatch open while it is found again and resolves it once it is gone', () => {
    reconcileSchedule(store.db, { fromDate: '2026-04-01', toDate: '2026-04-01' }, store.now);
    clock.advanceMs(3_600_000);
    const again = reconcileSchedule(store.db, { fromDate: '2026-04-01', toDate: '2026-04-01' }, store.now);
    expect(again.opened).toBe(0);
    // the PSS moves flight 2 back to plan
    store.db.prepare("UPDATE flights SET departure_utc = '2026-04-01T07:00:00.000Z', arrival_utc = '2026-04-01T08:40:00.000Z' WHERE id = 'DF2/2026-04-01/FRA'").run();
    clock.advanceMs(3_600_000);
    const third = reconcileSchedule(store.db, { fromDate: '2026-04-01', toDate: '2026-04-01' }, store.now);
    expect(third.resolved).toBe(1);
    const row = store.db.prepare("SELECT first_seen_at, resolved_at FROM schedule_mismatches WHERE flight_id = 'DF2/2026-04-01/FRA'").get();
    expect(row).toEqual({ first_seen_at: '2026-03-01T06:00:00.000Z', resolved_at: '2026-03-01T08:00:00.000Z' });
    expect(openMismatches(store.db).map((m) => m.kind).sort()).toEqual(['aircraft_changed', 'missing_in_plan', 'missing_in_pss', 'route_changed']);
  });

  it('tolerates small time differences when asked and leaves other dates alone', () => {
    const r = reconcileSchedule(store.db, { fromDate: '2026-04-01', toDate: '2026-04-01', timeToleranceMinutes: 30 }, store.now);
    expect(r.mismatches.some((m) => m.kind === 'time_changed')).toBe(false);
    const none = reconcileSchedule(store.db, { fromDate: '2026-05-01', toDate: '2026-05-31' }, store.now);
    expect(none).toMatchObject({ planned: 0, operated: 0, mismatches: [], resolved: 0 });
  });
});
