import type { Database } from 'better-sqlite3';
import type { Handlers } from '../dispatch';
import type { FlightRow } from '../contract/flights';
import { flightsContract } from '../contract/flights';
import { utcToLocal } from '../../domain/time';
import { notFound } from '../errors';

interface FlightDbRow {
  id: string; carrier: string; flight_number: number; origin: string; destination: string; local_date: string;
  departure_utc: string; arrival_utc: string; operating_carrier: string | null; time_zone: string; cabins: string;
}

const SELECT = `
SELECT f.id, f.carrier, f.flight_number, f.origin, f.destination, f.local_date, f.departure_utc, f.arrival_utc,
       f.operating_carrier, a.time_zone,
       (SELECT json_group_array(json_object('cabin', c.cabin, 'capacity', c.capacity,
                 'sold', coalesce((SELECT sum(i.sold) FROM inventory i WHERE i.flight_id = f.id AND i.cabin = c.cabin), 0)))
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
    'flights.get'(input) {
      const r = db.prepare(`${SELECT} WHERE f.id = ?`).get(input.id) as FlightDbRow | undefined;
      if (!r) throw notFound(`Flight ${input.id}`, 'id');
      return toRow(r);
    },
  };
}
