import type { Database } from 'better-sqlite3';
import type { Handlers } from '../dispatch';
import type { FareRow } from '../contract/fares';
import { faresContract } from '../contract/fares';
import { utcToLocal } from '../../domain/time';

interface FareDbRow {
  flight_id: string; carrier: string; flight_number: number; origin: string; destination: string; local_date: string;
  departure_utc: string; time_zone: string; cabin: string; rbd: string; rank: number;
  fare_basis: string | null; amount_minor: number | null; currency: string | null; point_of_sale: string | null;
  flight_specific: number | null; sold: number | null; authorised: number | null; status: 'open' | 'closed' | null;
}

/**
 * The fare shown for a departure and RBD: a dynamic price for that departure first, else the market fare
 * valid on its local date; for the requested point of sale, or by default the origin's country.
 */
const FARE_PICK = `
  SELECT x.id FROM fares x
   WHERE x.carrier = f.carrier AND x.origin = f.origin AND x.destination = f.destination AND x.rbd = r.rbd
     AND x.valid_from <= f.local_date AND x.valid_to >= f.local_date AND x.flight_id IN ('', f.id)
     AND (@pos IS NULL OR x.point_of_sale = @pos)
   ORDER BY x.flight_id = '', x.point_of_sale <> coalesce(@pos, a.country, ''), x.updated_at DESC, x.id DESC
   LIMIT 1`;

export function faresHandlers(deps: { db: Database }): Handlers<typeof faresContract> {
  const { db } = deps;
  return {
    'fares.list'(input) {
      const where: string[] = [];
      const params: Record<string, unknown> = { pos: input.pointOfSale ?? null };
      if (input.origin) { where.push('f.origin = @origin'); params.origin = input.origin; }
      if (input.destination) { where.push('f.destination = @destination'); params.destination = input.destination; }
      if (input.carrier) { where.push('f.carrier = @carrier'); params.carrier = input.carrier; }
      if (input.flightId) { where.push('f.id = @flightId'); params.flightId = input.flightId; }
      if (input.rbd) { where.push('r.rbd = @rbd'); params.rbd = input.rbd; }
      if (input.dateFrom) { where.push('f.local_date >= @dateFrom'); params.dateFrom = input.dateFrom; }
      if (input.dateTo) { where.push('f.local_date <= @dateTo'); params.dateTo = input.dateTo; }
      const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const from = `FROM flights f
        JOIN airports a ON a.code = f.origin
        JOIN flight_cabins c ON c.flight_id = f.id
        JOIN rbds r ON r.carrier = f.carrier AND r.cabin = c.cabin`;
      const { pos: _pos, ...countParams } = params;
      const total = (db.prepare(`SELECT count(*) AS n ${from} ${w}`).get(countParams) as { n: number }).n;
      const rows = db.prepare(`
        SELECT f.id AS flight_id, f.carrier, f.flight_number, f.origin, f.destination, f.local_date, f.departure_utc, a.time_zone,
               r.cabin, r.rbd, r.rank, fa.fare_basis, fa.amount_minor, fa.currency, fa.point_of_sale,
               fa.flight_id <> '' AS flight_specific, i.sold, i.authorised, i.status
        ${from}
        LEFT JOIN inventory i ON i.flight_id = f.id AND i.rbd = r.rbd
        LEFT JOIN fares fa ON fa.id = (${FARE_PICK})
        ${w}
        ORDER BY f.local_date, f.departure_utc, f.carrier, f.flight_number, r.cabin, r.rank
        LIMIT @limit OFFSET @offset`).all({ ...params, limit: input.limit, offset: input.offset }) as FareDbRow[];
      const localTimes = new Map<string, string>();
      return {
        total,
        rows: rows.map((r): FareRow => {
          let t = localTimes.get(r.flight_id);
          if (t === undefined) { t = utcToLocal(r.departure_utc, r.time_zone).time; localTimes.set(r.flight_id, t); }
          return {
            flightId: r.flight_id, carrier: r.carrier, flightNumber: r.flight_number, origin: r.origin, destination: r.destination,
            localDate: r.local_date, departureLocalTime: t, originTimeZone: r.time_zone, cabin: r.cabin, rbd: r.rbd, rank: r.rank,
            fareBasis: r.fare_basis, amountMinor: r.amount_minor, currency: r.currency, pointOfSale: r.point_of_sale,
            flightSpecific: r.flight_specific === 1, sold: r.sold, authorised: r.authorised, status: r.status,
          };
        }),
      };
    },
    'fares.markets'(input) {
      return db.prepare(`SELECT origin, destination, count(*) AS flights FROM flights
        ${input.carrier ? 'WHERE carrier = ?' : ''} GROUP BY origin, destination ORDER BY origin, destination`)
        .all(...(input.carrier ? [input.carrier] : [])) as { origin: string; destination: string; flights: number }[];
    },
  };
}
