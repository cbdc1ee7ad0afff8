import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeFixture, FIRST_DAY, type Fixture } from '../workflow/__tests__/fixtures';
import { computeKpis } from './kpis';
import { greatCircleKm } from './geo';
import { accuracy } from './accuracy';
import { addDays } from '../domain/time';

let fx: Fixture;
beforeEach(() => { fx = makeFixture({ days: 3 }); });
afterEach(() => fx.close());

function book(id: string, flight: string, rbd: string, cabin: string, pax: number, amountMinor: number, currency = 'EUR', status = 'booked', bookedAt = '2026-11-20T10:00:00Z') {
  fx.store.db.prepare(`INSERT INTO bookings (id, record_locator, flight_id, rbd, cabin, journey_origin, journey_destination, point_of_sale, channel, passengers, amount_minor, currency, booked_at, status)
    VALUES (?, ?, ?, ?, ?, 'FRA', 'JFK', 'DE', 'direct', ?, ?, ?, ?, ?)`).run(id, id, flight, rbd, cabin, pax, amountMinor, currency, bookedAt, status);
}

describe('KPIs', () => {
  it('computes revenue, passengers, load factor, yield, RASK and average fare per market and for the network', () => {
    const jfk = 'DF400/2026-12-01/FRA';
    const cdg = 'DF100/2026-12-01/FRA';
    book('b1', jfk, 'Q', 'Y', 2, 80_000);
    book('b2', jfk, 'J', 'J', 1, 250_000);
    book('b3', jfk, 'Q', 'Y', 1, 40_000, 'EUR', 'cancelled');
    book('b4', cdg, 'Q', 'Y', 3, 36_000);
    // a booking in USD, converted at the rate dated on or before its booking day
    fx.store.db.prepare("INSERT INTO exchange_rates (base, quote, date, rate, updated_at) VALUES ('USD', 'EUR', '2026-11-19', 0.9, ?)").run(fx.store.now());
    book('b5', jfk, 'M', 'Y', 1, 60_000, 'USD');
    book('b6', jfk, 'M', 'Y', 1, 10_000, 'GBP');
    // our codeshare on a partner's flight: the partner's seats, not ours
    fx.store.db.prepare(`INSERT INTO flights (id, carrier, flight_number, origin, destination, local_date, departure_utc, arrival_utc, operating_carrier, operating_flight_number, updated_at)
      VALUES ('DF9400/2026-12-01/FRA', 'DF', 9400, 'FRA', 'JFK', '2026-12-01', '2026-12-01T16:00:00.000Z', '2026-12-02T00:00:00.000Z', 'XX', 40, '2026-11-01T00:00:00.000Z')`).run();
    fx.store.db.prepare("INSERT INTO flight_cabins (flight_id, cabin, capacity) VALUES ('DF9400/2026-12-01/FRA', 'Y', 300)").run();
    const rows = computeKpis(fx.store.db, { dateFrom: FIRST_DAY, dateTo: FIRST_DAY, now: fx.store.now(), currency: 'EUR' });
    const km = greatCircleKm({ lat: 50.0379, lon: 8.5622 }, { lat: 40.6413, lon: -73.7781 });
    expect(km).toBeGreaterThan(6_180);
    expect(km).toBeLessThan(6_220);
    const m = rows.find((r) => r.destination === 'JFK')!;
    expect(m).toMatchObject({ scope: 'market', currency: 'EUR', departures: 1, seats: 230, passengers: 5, revenueMinor: 80_000 + 250_000 + 54_000, averageFareMinor: Math.round(384_000 / 5) });
    expect(m.unconverted).toEqual([{ currency: 'GBP', revenueMinor: 10_000 }]);
    expect(m.passengers).toBe(5); // the GBP passenger flew, its revenue is apart
    expect(m.loadFactor).toBeCloseTo(5 / 230);
    expect(m.distanceKm).toBeCloseTo(km);
    expect(m.yieldMinorPerKm).toBeCloseTo(384_000 / (5 * km));
    expect(m.raskMinorPerKm).toBeCloseTo(384_000 / (230 * km));
    const net = rows.find((r) => r.scope === 'network')!;
    expect(net).toMatchObject({ departures: 2, seats: 460, passengers: 8, revenueMinor: 384_000 + 36_000 });
    const cdgKm = greatCircleKm({ lat: 50.0379, lon: 8.5622 }, { lat: 49.0097, lon: 2.5479 });
    expect(net.raskMinorPerKm).toBeCloseTo(420_000 / (230 * km + 230 * cdgKm));
  });

  it('gives the departures flown by now apart from those still on the books', () => {
    const day1 = 'DF400/2026-12-01/FRA';
    const day2 = 'DF400/2026-12-02/FRA';
    book('f1', day1, 'Q', 'Y', 4, 160_000, 'EUR', 'flown');
    book('f2', day1, 'Q', 'Y', 1, 40_000, 'EUR', 'no_show');
    book('f3', day2, 'Q', 'Y', 2, 90_000);
    const dep1 = fx.store.db.prepare('SELECT departure_utc FROM flights WHERE id = ?').pluck().get(day1) as string;
    const dep2 = fx.store.db.prepare('SELECT departure_utc FROM flights WHERE id = ?').pluck().get(day2) as string;
    expect(dep1 < dep2).toBe(true);
    const at = (now: string) => computeKpis(fx.store.db, { dateFrom: FIRST_DAY, dateTo: addDays(FIRST_DAY, 1), destination: 'JFK', now, currency: 'EUR' })[0]!;
    // between the two departures: the first has flown, the second's bookings are on the books
    const between = at(dep1);
    expect(between).toMatchObject({ departures: 2, seats: 460, passengers: 7, revenueMinor: 290_000 });
    expect(between.flown).toEqual({ departures: 1, seats: 230, passengers: 5, loadFactor: 5 / 230, revenueMinor: 200_000 });
    // before both, nothing has flown; after both, all of it
    expect(at('2026-11-30T00:00:00.000Z').flown).toEqual({ departures: 0, seats: 0, passengers: 0, loadFactor: null, revenueMinor: 0 });
    expect(at(dep2).flown).toEqual({ departures: 2, seats: 460, passengers: 7, loadFactor: 7 / 460, revenueMinor: 290_000 });
    const net = computeKpis(fx.store.db, { dateFrom: FIRST_DAY, dateTo: addDays(FIRST_DAY, 1), now: dep1, currency: 'EUR' }).find((r) => r.scope === 'network')!;
    expect(net.flown).toMatchObject({ departures: 2, seats: 460, passengers: 5, revenueMinor: 200_000 }); // DF400 and DF100 of the first day
  });

  it('counts passengers denied boarding (an overbooked cabin) among the sold, and apart', () => {
    const jfk = 'DF400/2026-12-01/FRA';
    book('d1', jfk, 'Q', 'Y', 3, 90_000, 'EUR', 'flown');
    book('d2', jfk, 'Q', 'Y', 2, 60_000, 'EUR', 'denied_boarding');
    book('d3', jfk, 'Q', 'Y', 1, 30_000, 'EUR', 'no_show');
    const rows = computeKpis(fx.store.db, { dateFrom: FIRST_DAY, dateTo: FIRST_DAY, now: fx.store.now(), currency: 'EUR' });
    expect(rows.find((r) => r.destination === 'JFK')).toMatchObject({ passengers: 6, deniedBoardings: 2, revenueMinor: 180_000 });
    expect(rows.find((r) => r.scope === 'network')).toMatchObject({ passengers: 6, deniedBoardings: 2 });
  });

  it('measures forecast accuracy (WAPE, bias) with the last forecast made at least a week before departure', () => {
    const db = fx.store.db;
    fx.clock.set('2026-12-05T00:00:00Z');
    for (const [id, at] of [['early', '2026-11-20T00:00:00Z'], ['late', '2026-11-30T00:00:00Z']]) {
      db.prepare("INSERT INTO pricing_cycles (id, started_at, status) VALUES (?, ?, 'ok')").run(id, at);
    }
    const fc = db.prepare(`INSERT INTO forecasts (cycle_id, flight_id, rbd, cabin, method, from_period, mean, sd, cancellations, net_final, show_rate, by_dcp)
      VALUES (?, ?, ?, 'Y', 'additive', 0, 1, 1, 0, ?, 1, '[]')`);
    for (let i = 0; i < 3; i++) {
      const flight = `DF400/${addDays(FIRST_DAY, i)}/FRA`;
      fc.run('early', flight, 'Q', 10 + i * 5);
      fc.run('late', flight, 'Q', 999); // too close to departure: not compared
      book(`a${i}`, flight, 'Q', 'Y', 10, 10_000);
    }
    const m = computeKpis(db, { dateFrom: FIRST_DAY, dateTo: addDays(FIRST_DAY, 2), now: fx.store.now(), leadDays: 7 }).find((r) => r.destination === 'JFK')!;
    // forecasts 10, 15, 20 against 10, 10, 10: WAPE (0 + 5 + 10) / 30, bias +15 / 30
    expect(m.forecast).toEqual({ wape: 50, bias: 50, pairs: 3 });
    expect(accuracy([])).toEqual({ wape: null, bias: null, pairs: 0 });
  });
});
