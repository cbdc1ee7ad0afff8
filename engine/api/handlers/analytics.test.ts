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
import { cycleRecs, seed, FIRST_DAY } from '../../workflow/__tests__/fixtures';
import { periodStarts } from './analytics';

let dir: string;
let backend: Backend;
const clock = fixedClock('2026-11-25T08:00:00Z');
const ann: Caller = { user: 'ann', role: 'analyst' };
const call = () => inProcessClient<Contract>(backend.dispatcher, ann);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-analytics-'));
  backend = createBackend({ dataDir: dir, clock, connectors: [], mode: 'sandbox', host: 'test', version: '0.0.0-test', decisions: { autoPush: false, expiryIntervalMs: 0 } });
  seed(backend.store, 10);
});
afterEach(async () => {
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('review summary', () => {
  it('sums decisions under the review filter by market, then by flight for the drill-down', async () => {
    backend.decisions.workflow.decisions.ingest('c1', [...cycleRecs(10, 4), ...cycleRecs(5, 30, 100)]);
    const m = (await call()('analytics.reviewSummary', {})).rows;
    expect(m.map((r) => [r.key, r.decisions, r.flights])).toEqual([['FRA-CDG', 20, 5], ['FRA-JFK', 40, 10]]);
    const cdg = m[0]!;
    // FRA-CDG moves 30 %: outside the fixture's 20 % guardrail
    expect(cdg).toMatchObject({ outsideGuardrails: 20, byState: { proposed: 20 }, firstDate: FIRST_DAY, lastDate: addDays(FIRST_DAY, 4) });
    expect(cdg.avgChangePct).toBeCloseTo(30, 0);
    const jfk = m[1]!;
    expect(jfk.avgChangePct).toBeCloseTo(4, 0);
    expect(jfk.outsideGuardrails).toBe(0);
    const flights = (await call()('analytics.reviewSummary', { groupBy: 'flight', filter: { origin: 'FRA', destination: 'JFK', dateTo: addDays(FIRST_DAY, 2) } })).rows;
    expect(flights.map((r) => [r.flightId, r.travelDate, r.decisions])).toEqual([0, 1, 2].map((i) => [flightId('DF', 400, addDays(FIRST_DAY, i), 'FRA'), addDays(FIRST_DAY, i), 4]));
    expect(flights[0]!.avgLoadFactor).toBeCloseTo(0.8); // 4 Y classes × 40 sold of 200 seats
    const big = (await call()('analytics.reviewSummary', { filter: { minAbsChangePct: 10 } })).rows;
    expect(big.map((r) => r.key)).toEqual(['FRA-CDG']);
  });
});

describe('competitor fares', () => {
  it('puts our lowest open fare beside the competitors\' minimum, quartiles and each carrier, converted at the dated rate', async () => {
    const db = backend.store.db;
    db.prepare("INSERT INTO carriers (code, name, own) VALUES ('YY', 'Other', 0), ('ZZ', 'Third', 0)").run();
    db.prepare("INSERT INTO exchange_rates (base, quote, date, rate, updated_at) VALUES ('USD', 'EUR', '2026-11-20', 0.5, '2026-11-20T00:00:00Z')").run();
    const ins = db.prepare(`INSERT INTO competitor_fares (carrier, origin, destination, departure_date, cabin, amount_minor, currency, observed_at) VALUES (?, 'FRA', 'JFK', ?, 'Y', ?, ?, ?)`);
    ins.run('XX', FIRST_DAY, 30_000, 'EUR', '2026-11-20T00:00:00Z');
    ins.run('XX', FIRST_DAY, 36_000, 'EUR', '2026-11-24T00:00:00Z'); // the later observation wins
    ins.run('YY', FIRST_DAY, 80_000, 'USD', '2026-11-24T00:00:00Z'); // 400.00 EUR
    ins.run('ZZ', FIRST_DAY, 50_000, 'EUR', '2026-11-24T00:00:00Z');
    ins.run('ZZ', FIRST_DAY, 10_000, 'EUR', '2026-11-30T00:00:00Z'); // observed after now: not yet known
    ins.run('YY', addDays(FIRST_DAY, 1), 20_000, 'GBP', '2026-11-24T00:00:00Z'); // no GBP rate
    // close Q on the first day: the lowest open fare becomes M (55,000)
    db.prepare("UPDATE inventory SET status = 'closed' WHERE rbd = 'Q' AND flight_id = ?").run(flightId('DF', 400, FIRST_DAY, 'FRA'));
    const s = await call()('analytics.competitorFares', { origin: 'FRA', destination: 'JFK', cabin: 'Y', dateFrom: FIRST_DAY, dateTo: addDays(FIRST_DAY, 1) });
    expect(s).toMatchObject({ currency: 'EUR', carriers: ['XX', 'YY', 'ZZ'], unconverted: 1 });
    expect(s.points[0]).toEqual({ date: FIRST_DAY, ownMinor: 55_000, minMinor: 36_000, q1Minor: 38_000, medianMinor: 40_000, q3Minor: 45_000, byCarrier: { XX: 36_000, YY: 40_000, ZZ: 50_000 } });
    expect(s.points[1]).toMatchObject({ date: addDays(FIRST_DAY, 1), ownMinor: 40_000, minMinor: null, byCarrier: {} });
  });
});

describe('demand by DCP', () => {
  it('sums booked and forecast demand per DCP over the departures, beside the chosen method\'s backtest', async () => {
    const db = backend.store.db;
    const dcps = JSON.stringify([30, 7, 0]);
    const curve = db.prepare(`INSERT INTO booking_curves (flight_id, rbd, cabin, flight_key, origin, destination, departure_date, dcps, gross, cancels, closed, updated_at)
      VALUES (?, ?, 'Y', 'DF|400|FRA', 'FRA', 'JFK', ?, ?, ?, '[0,0,0]', '[0,0,0]', '2026-11-25T00:00:00Z')`);
    const f1 = flightId('DF', 400, FIRST_DAY, 'FRA');
    const f2 = flightId('DF', 400, addDays(FIRST_DAY, 1), 'FRA');
    curve.run(f1, 'Y', FIRST_DAY, dcps, JSON.stringify([10, 4, null]));
    curve.run(f1, 'Q', FIRST_DAY, dcps, JSON.stringify([6, null, null]));
    curve.run(f2, 'Y', addDays(FIRST_DAY, 1), dcps, JSON.stringify([5, null, null]));
    db.prepare("INSERT INTO pricing_cycles (id, started_at, finished_at, status, settings) VALUES ('c9', '2026-11-24T00:00:00Z', '2026-11-24T00:01:00Z', 'ok', ?)").run(JSON.stringify({ dcps: [30, 7] }));
    const fc = db.prepare(`INSERT INTO forecasts (cycle_id, flight_id, rbd, cabin, method, from_period, mean, sd, cancellations, net_final, show_rate, by_dcp)
      VALUES ('c9', ?, ?, 'Y', 'additive', ?, 0, 0, 0, 0, 0.95, ?)`);
    fc.run(f1, 'Y', 2, JSON.stringify({ m: [3], s: [1] }));
    fc.run(f2, 'Y', 1, JSON.stringify({ m: [4, 2], s: [2, 2] }));
    const bt = db.prepare(`INSERT INTO backtest_results (run_at, origin, destination, cabin, method, dcp, cells, actual, forecast, wape, mape, bias, chosen)
      VALUES (?, 'FRA', 'JFK', 'Y', ?, ?, 40, ?, ?, ?, ?, ?, ?)`);
    bt.run('2026-11-20T00:00:00Z', 'additive', -1, 100, 90, 30, 35, -10, 1); // an older run: not shown
    bt.run('2026-11-24T00:00:00Z', 'additive', -1, 100, 95, 12, 15, -5, 1);
    bt.run('2026-11-24T00:00:00Z', 'multiplicative', -1, 100, 110, 18, 20, 10, 0);
    bt.run('2026-11-24T00:00:00Z', 'additive', 7, 20, 18, 11, 13, -10, 0);
    bt.run('2026-11-24T00:00:00Z', 'multiplicative', 7, 20, 25, 30, 33, 25, 0);
    const d = await call()('analytics.demandByDcp', { origin: 'FRA', destination: 'JFK', cabin: 'Y', dateFrom: FIRST_DAY, dateTo: addDays(FIRST_DAY, 1) });
    expect(d).toMatchObject({ departures: 2, cycleId: 'c9', backtest: { runAt: '2026-11-24T00:00:00Z', chosen: 'additive' } });
    expect(d.backtest!.methods).toEqual([
      { method: 'additive', wape: 12, mape: 15, bias: -5, cells: 40, chosen: true },
      { method: 'multiplicative', wape: 18, mape: 20, bias: 10, cells: 40, chosen: false },
    ]);
    expect(d.points.map((x) => [x.dcp, x.booked, x.forecastToCome])).toEqual([[30, 21, null], [7, 4, 4], [0, null, 5]]);
    expect(d.points[2]!.forecastSd).toBeCloseTo(Math.sqrt(1 + 4));
    expect(d.points[1]).toMatchObject({ backtestActual: 20, backtestForecast: 18, wape: 11, bias: -10 });
  });
});

describe('trends', () => {
  it('gives load factor and revenue per period from the monitoring KPIs', async () => {
    const db = backend.store.db;
    const book = db.prepare(`INSERT INTO bookings (id, record_locator, flight_id, rbd, cabin, journey_origin, journey_destination, point_of_sale, channel, passengers, amount_minor, currency, booked_at, status)
      VALUES (?, 'ABC123', ?, 'Y', 'Y', 'FRA', 'JFK', 'DE', 'web', ?, ?, 'EUR', '2026-11-01T00:00:00Z', 'booked')`);
    book.run('b1', flightId('DF', 400, FIRST_DAY, 'FRA'), 2, 180_000);
    book.run('b2', flightId('DF', 400, addDays(FIRST_DAY, 7), 'FRA'), 1, 90_000);
    const t = await call()('analytics.trends', { origin: 'FRA', destination: 'JFK', dateFrom: FIRST_DAY, dateTo: addDays(FIRST_DAY, 9), granularity: 'week' });
    // 2026-12-01 is a Tuesday: the first week is cut at Sunday 12-06
    expect(t.points.map((p) => [p.period, p.departures, p.seats, p.passengers, p.revenueMinor])).toEqual([
      ['2026-12-01', 6, 6 * 230, 2, 180_000],
      ['2026-12-07', 4, 4 * 230, 1, 90_000],
    ]);
    expect(t.currency).toBe('EUR');
    expect(t.points[0]!.loadFactor).toBeCloseTo(2 / 1380);
    expect(t.points.map((p) => p.flownDepartures)).toEqual([0, 0]); // all still to fly on 2026-11-25
    // a week later the first week's flights have flown, the second's not yet
    clock.set('2026-12-07T00:00:00Z');
    try {
      const later = await call()('analytics.trends', { origin: 'FRA', destination: 'JFK', dateFrom: FIRST_DAY, dateTo: addDays(FIRST_DAY, 9), granularity: 'week' });
      expect(later.points.map((p) => [p.departures, p.flownDepartures])).toEqual([[6, 6], [4, 0]]);
    } finally {
      clock.set('2026-11-25T08:00:00Z');
    }
    const e = await call()('analytics.trends', { dateFrom: '2026-01-01', dateTo: '2026-12-31', granularity: 'day' }).catch((x: ApiError) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).field).toBe('granularity');
    // a date range the charts refuse, named by its field and its limit
    for (const [method, input, limit] of [
      ['analytics.trends', { dateFrom: '2026-01-01', dateTo: '2028-12-31', granularity: 'month' }, 800],
      ['analytics.demandByDcp', { origin: 'FRA', destination: 'JFK', dateFrom: '2026-12-31', dateTo: '2026-12-01' }, 400],
      ['analytics.competitorFares', { origin: 'FRA', destination: 'JFK', dateFrom: '2026-01-01', dateTo: '2027-12-31' }, 400],
    ] as const) {
      const bad = await (call() as (m: string, i: unknown) => Promise<unknown>)(method, input).catch((x: ApiError) => x);
      expect(bad).toBeInstanceOf(ApiError);
      expect((bad as ApiError).issues).toContainEqual({ field: 'dateTo', message: `dateTo must be on or after dateFrom and at most ${limit} days later` });
    }
  });

  it('cuts periods at Mondays and month starts', () => {
    expect(periodStarts('2026-12-30', '2027-02-02', 'month')).toEqual([
      { start: '2026-12-30', end: '2026-12-31' }, { start: '2027-01-01', end: '2027-01-31' }, { start: '2027-02-01', end: '2027-02-02' },
    ]);
    expect(periodStarts('2026-12-06', '2026-12-08', 'week')).toEqual([{ start: '2026-12-06', end: '2026-12-06' }, { start: '2026-12-07', end: '2026-12-08' }]);
  });
});
