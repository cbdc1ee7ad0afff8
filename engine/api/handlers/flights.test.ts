import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../backend';
import { addDays, fixedClock } from '../../domain/time';
import { flightId } from '../../domain/types';
import { inProcessClient, type Caller } from '../dispatch';
import type { Contract } from '../contract/index';
import { ApiError } from '../errors';
import { seed, FIRST_DAY } from '../../workflow/__tests__/fixtures';

let dir: string;
let backend: Backend;
const ann: Caller = { user: 'ann', role: 'analyst' };
const call = () => inProcessClient<Contract>(backend.dispatcher, ann);
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-flights-'));
  backend = createBackend({ dataDir: dir, clock: fixedClock('2026-11-25T08:00:00Z'), connectors: [], mode: 'sandbox', host: 'test', version: '0.0.0-test', decisions: { autoPush: false, expiryIntervalMs: 0 } });
  seed(backend.store, 3);
});
afterEach(async () => {
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a flight\'s booking curve', () => {
  it('gives net bookings by DCP, unconstrained, the latest forecast to departure and the same flight a year before', async () => {
    const db = backend.store.db;
    const dcps = JSON.stringify([30, 14, 7, 0]);
    const curve = db.prepare(`INSERT INTO booking_curves (flight_id, rbd, cabin, flight_key, origin, destination, departure_date, dcps, gross, cancels, closed, updated_at)
      VALUES (?, ?, ?, 'DF|400|FRA', 'FRA', 'JFK', ?, ?, ?, ?, ?, '2026-11-25T00:00:00Z')`);
    const id = flightId('DF', 400, FIRST_DAY, 'FRA');
    // two Y classes over the periods reached (to DCP 14); Q closed half of the second period; a J class apart
    curve.run(id, 'M', 'Y', FIRST_DAY, dcps, '[4,6,null,null]', '[0,1,0,0]', '[0,0,0,0]');
    curve.run(id, 'Q', 'Y', FIRST_DAY, dcps, '[10,5,null,null]', '[2,0,0,0]', '[0,0.5,0,0]');
    curve.run(id, 'J', 'J', FIRST_DAY, dcps, '[1,1,null,null]', '[0,0,0,0]', '[0,0,0,0]');
    // last year's departure: 364 days before, the same weekday
    const lyDate = addDays(FIRST_DAY, -364);
    const ly = flightId('DF', 400, lyDate, 'FRA');
    curve.run(ly, 'M', 'Y', lyDate, dcps, '[3,5,8,20]', '[0,0,1,2]', '[0,0,0,0]');
    curve.run(ly, 'Q', 'Y', lyDate, dcps, '[9,9,9,9]', '[0,0,0,0]', '[0,0,0,1]');
    // the latest finished cycle's forecast from period 2 (DCP 7) on: 6 and 2 more to come in Y, 23 net at departure
    db.prepare("INSERT INTO pricing_cycles (id, started_at, finished_at, status) VALUES ('c1', '2026-11-20T00:00:00Z', '2026-11-20T00:01:00Z', 'ok'), ('c2', '2026-11-24T00:00:00Z', '2026-11-24T00:01:00Z', 'ok'), ('c3', '2026-11-25T00:00:00Z', NULL, 'running')").run();
    const fc = db.prepare(`INSERT INTO forecasts (cycle_id, flight_id, rbd, cabin, method, from_period, mean, sd, cancellations, net_final, show_rate, by_dcp)
      VALUES (?, ?, ?, 'Y', 'additive', 2, 0, 0, 0, ?, 0.95, ?)`);
    fc.run('c1', id, 'M', 99, JSON.stringify({ m: [50, 50], s: [1, 1] })); // an older cycle: not drawn
    fc.run('c2', id, 'M', 12, JSON.stringify({ m: [2, 1], s: [1, 1] }));
    fc.run('c2', id, 'Q', 11, JSON.stringify({ m: [4, 1], s: [1, 1] }));
    fc.run('c3', id, 'M', 77, JSON.stringify({ m: [9, 9], s: [1, 1] })); // a cycle still running: not drawn
    const c = await call()('flights.bookingCurve', { id, cabin: 'Y' });
    expect(c).toMatchObject({ flightId: id, cabin: 'Y', capacity: 200, cycleId: 'c2', forecastMethod: 'additive', lastYear: { flightId: ly, localDate: lyDate } });
    // net: 4+10−2 = 12, then 6−1+5 = 10 → 22; unconstrained: Q's 5 bookings in half a period open count 10 → 27
    // forecast: 22 on hand, 12 + 11 = 23 net at departure, reached along the demand to come (6 then 2, of 8)
    expect(c.points).toEqual([
      { dcp: 30, actual: 12, unconstrained: 12, forecast: null, lastYear: 12 },
      { dcp: 14, actual: 22, unconstrained: 27, forecast: 22, lastYear: 26 },
      { dcp: 7, actual: null, unconstrained: null, forecast: 22 + (1 * 6) / 8, lastYear: 42 },
      { dcp: 0, actual: null, unconstrained: null, forecast: 23, lastYear: 69 },
    ]);
    expect(c.authorised).toBe(200);
    // a cabin apart, and no last year where the store has none
    const j = await call()('flights.bookingCurve', { id, cabin: 'J' });
    expect(j.points.map((p) => p.actual)).toEqual([1, 2, null, null]);
    const nextDay = flightId('DF', 400, addDays(FIRST_DAY, 1), 'FRA');
    const other = await call()('flights.bookingCurve', { id: nextDay, cabin: 'Y' });
    expect(other).toMatchObject({ lastYear: null, cycleId: null, points: [] });
    // a departure with no curve of its own yet still shows last year's
    const lyNext = flightId('DF', 400, addDays(FIRST_DAY, 1 - 364), 'FRA');
    curve.run(lyNext, 'M', 'Y', addDays(FIRST_DAY, 1 - 364), dcps, '[1,2,3,4]', '[0,0,0,0]', '[0,0,0,0]');
    const withLy = await call()('flights.bookingCurve', { id: nextDay, cabin: 'Y' });
    expect(withLy.lastYear).toEqual({ flightId: lyNext, localDate: addDays(FIRST_DAY, 1 - 364) });
    expect(withLy.points.map((p) => [p.dcp, p.actual, p.lastYear])).toEqual([[30, null, 1], [14, null, 3], [7, null, 6], [0, null, 10]]);
    const e = await call()('flights.bookingCurve', { id, cabin: 'F' }).catch((x: ApiError) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).message).toMatch(/Cabin F of flight/);
  });

  it('gives each cabin its seats, sold and the bid price in force at the PSS', async () => {
    const id = flightId('DF', 400, FIRST_DAY, 'FRA');
    backend.store.db.prepare("UPDATE inventory SET bid_price_minor = CASE rbd WHEN 'M' THEN 12500 ELSE 0 END, currency = 'EUR' WHERE flight_id = ? AND cabin = 'Y'").run(id);
    const f = await call()('flights.get', { id });
    expect(f.cabins.find((c) => c.cabin === 'Y')).toMatchObject({ capacity: 200, bidPriceMinor: 12_500, currency: 'EUR' });
  });
});
