import type { Database } from 'better-sqlite3';
import type { Handlers } from '../dispatch';
import type { BookingCurvePoint, FlightRow } from '../contract/flights';
import { flightsContract } from '../contract/flights';
import { addDays, utcToLocal } from '../../domain/time';
import { parseByDcp } from '../../pricing/byDcp';
import { legKeyOf } from '../../pricing/curves';
import { notFound } from '../errors';

interface FlightDbRow {
  id: string; carrier: string; flight_number: number; origin: string; destination: string; local_date: string;
  departure_utc: string; arrival_utc: string; operating_carrier: string | null; time_zone: string; cabins: string;
}

const SELECT = `
SELECT f.id, f.carrier, f.flight_number, f.origin, f.destination, f.local_date, f.departure_utc, f.arrival_utc,
       f.operating_carrier, a.time_zone,
       (SELECT json_group_array(json_object('cabin', c.cabin, 'capacity', c.capacity,
                 'sold', coalesce((SELECT sum(i.sold) FROM inventory i WHERE i.flight_id = f.id AND i.cabin = c.cabin), 0),
                 'bidPriceMinor', (SELECT max(i.bid_price_minor) FROM inventory i WHERE i.flight_id = f.id AND i.cabin = c.cabin),
                 'currency', (SELECT i.currency FROM inventory i WHERE i.flight_id = f.id AND i.cabin = c.cabin AND i.currency IS NOT NULL LIMIT 1)))
          FROM flight_cabins c WHERE c.flight_id = f.id) AS cabins
FROM flights f JOIN airports a ON a.code = f.origin`;

function toRow(r: FlightDbRow): FlightRow {
  return {
    id: r.id, carrier: r.carrier, flightNumber: r.flight_number, origin: r.origin, destination: r.destination,
    localDate: r.local_date, departureLocalTime: utcToLocal(r.departure_utc, r.time_zone).time, originTimeZone: r.time_zone,
    departureUtc: r.departure_utc, arrivalUtc: r.arrival_utc, operatingCarrier: r.operating_carrier,
    cabins: JSON.parse(r.cabins) as FlightRow['cabins'],
  };
}

export function flightsHandlers(deps: { db: Database }): Handlers<typeof flightsContract> {
  const { db } = deps;
  return {
    'flights.list'(input) {
      const where: string[] = [];
      const params: Record<string, unknown> = {};
      if (input.origin) { where.push('f.origin = @origin'); params.origin = input.origin; }
      if (input.destination) { where.push('f.destination = @destination'); params.destination = input.destination; }
      if (input.carrier) { where.push('f.carrier = @carrier'); params.carrier = input.carrier; }
      if (input.dateFrom) { where.push('f.local_date >= @dateFrom'); params.dateFrom = input.dateFrom; }
      if (input.dateTo) { where.push('f.local_date <= @dateTo'); params.dateTo = input.dateTo; }
      const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = (db.prepare(`SELECT count(*) AS n FROM flights f ${w}`).get(params) as { n: number }).n;
      const rows = db.prepare(`${SELECT} ${w} ORDER BY f.local_date, f.departure_utc, f.carrier, f.flight_number LIMIT @limit OFFSET @offset`)
        .all({ ...params, limit: input.limit, offset: input.offset }) as FlightDbRow[];
      return { rows: rows.map(toRow), total };
    },
    'flights.bookingCurve'(input) {
      const f = db.prepare('SELECT id, carrier, flight_number AS flightNumber, origin, local_date FROM flights WHERE id = ?').get(input.id) as
        { id: string; carrier: string; flightNumber: number; origin: string; local_date: string } | undefined;
      if (!f) throw notFound(`Flight ${input.id}`, 'id');
      const capacity = db.prepare('SELECT capacity FROM flight_cabins WHERE flight_id = ? AND cabin = ?').pluck().get(f.id, input.cabin) as number | undefined;
      if (capacity === undefined) throw notFound(`Cabin ${input.cabin} of flight ${f.id}`, 'cabin');
      const authorised = db.prepare('SELECT max(authorised) FROM inventory WHERE flight_id = ? AND cabin = ?').pluck().get(f.id, input.cabin) as number | null;
      const curvesOf = db.prepare('SELECT dcps, gross, cancels, closed FROM booking_curves WHERE flight_id = ? AND cabin = ?');
      const mine = curvesOf.all(f.id, input.cabin) as CurveRow[];
      // last year: the same flight (the curves' key) 364 days before, found even before this departure has a curve
      const lyDate = addDays(f.local_date, -364);
      const ly = db.prepare('SELECT flight_id FROM booking_curves WHERE flight_key = ? AND departure_date = ? LIMIT 1').pluck().get(legKeyOf(f), lyDate) as string | undefined;
      const mineSum = cumulative(mine);
      const lySum = ly ? cumulative(curvesOf.all(ly, input.cabin) as CurveRow[]) : null;
      const dcps = mineSum?.dcps ?? lySum?.dcps ?? [];
      // the latest finished cycle's forecast of this departure: to come from the first period not reached
      const fc = db.prepare(`SELECT fo.cycle_id, fo.method, fo.from_period, fo.by_dcp, fo.net_final FROM forecasts fo
          WHERE fo.flight_id = @id AND fo.cabin = @cabin AND fo.cycle_id = (SELECT fo2.cycle_id FROM forecasts fo2 JOIN pricing_cycles pc ON pc.id = fo2.cycle_id
            WHERE fo2.flight_id = @id AND pc.status = 'ok' ORDER BY pc.started_at DESC LIMIT 1)`).all({ id: f.id, cabin: input.cabin }) as
        { cycle_id: string; method: string; from_period: number; by_dcp: string; net_final: number }[];
      const forecast = new Array<number | null>(dcps.length).fill(null);
      if (fc.length && dcps.length) {
        const from = Math.min(...fc.map((r) => r.from_period));
        const toCome = new Array<number>(dcps.length).fill(0);
        for (const r of fc) parseByDcp(r.by_dcp).m.forEach((m, i) => { if (r.from_period + i < dcps.length) toCome[r.from_period + i]! += m; });
        const onHand = from > 0 ? (mineSum?.actual[from - 1] ?? 0) : 0;
        const final = fc.reduce((a, r) => a + r.net_final, 0);
        const total = toCome.reduce((a, v) => a + v, 0);
        // the expected net bookings at departure, reached along the expected demand to come
        let seen = 0;
        if (from > 0) forecast[from - 1] = onHand;
        for (let k = from; k < dcps.length; k++) {
          seen += toCome[k]!;
          forecast[k] = total > 0 ? onHand + ((final - onHand) * seen) / total : final;
        }
      }
      const points: BookingCurvePoint[] = dcps.map((dcp, k) => ({
        dcp, actual: mineSum?.actual[k] ?? null, unconstrained: mineSum?.unconstrained[k] ?? null, forecast: forecast[k] ?? null, lastYear: lySum?.actual[k] ?? null,
      }));
      return {
        flightId: f.id, cabin: input.cabin, capacity, authorised, points,
        lastYear: ly ? { flightId: ly, localDate: lyDate } : null, cycleId: fc[0]?.cycle_id ?? null, forecastMethod: fc[0]?.method ?? null,
      };
    },
    'flights.get'(input) {
      const r = db.prepare(`${SELECT} WHERE f.id = ?`).get(input.id) as FlightDbRow | undefined;
      if (!r) throw notFound(`Flight ${input.id}`, 'id');
      return toRow(r);
    },
  };
}

interface CurveRow { dcps: string; gross: string; cancels: string; closed: string }

/**
 * A cabin's classes summed by booking period, cumulative: net (gross less cancellations) and unconstrained
 * (a class's bookings while open prorated over the part of the period it was closed). Periods not reached yet
 * (no gross in any class) are null. Null when the cabin has no curve.
 */
function cumulative(rows: readonly CurveRow[]): { dcps: number[]; actual: (number | null)[]; unconstrained: (number | null)[] } | null {
  if (rows.length === 0) return null;
  const dcps = JSON.parse(rows[0]!.dcps) as number[];
  const net = new Array<number | null>(dcps.length).fill(null);
  const unc = new Array<number | null>(dcps.length).fill(null);
  for (const r of rows) {
    const gross = JSON.parse(r.gross) as (number | null)[];
    const cancels = JSON.parse(r.cancels) as (number | null)[];
    const closed = JSON.parse(r.closed) as (number | null)[];
    for (let k = 0; k < dcps.length; k++) {
      const g = gross[k];
      if (g === null || g === undefined) continue;
      const c = cancels[k] ?? 0;
      const shut = Math.min(1, Math.max(0, closed[k] ?? 0));
      net[k] = (net[k] ?? 0) + g - c;
      unc[k] = (unc[k] ?? 0) + (shut < 1 ? g / (1 - shut) : g) - c;
    }
  }
  let a = 0;
  let u = 0;
  const actual = net.map((v) => (v === null ? null : (a += v)));
  const unconstrained = unc.map((v) => (v === null ? null : (u += v)));
  return { dcps, actual, unconstrained };
}
