/** Writers for the foundation tables: airports, carriers, fare ladders, flights, inventory, fares, bookings. */
import type { Database } from 'better-sqlite3';
import type { KindWriter } from './types';
import { RecordRefused } from './types';

function existsCheck(db: Database, sql: string) {
  const stmt = db.prepare(sql).pluck();
  const cache = new Set<string>();
  return (key: string) => {
    if (cache.has(key)) return true;
    const ok = stmt.get(key) !== undefined;
    if (ok) cache.add(key);
    return ok;
  };
}

export const airportsWriter: KindWriter<'airports'> = {
  prepare(db) {
    const stmt = db.prepare(`INSERT INTO airports (code, name, time_zone, lat, lon, country) VALUES (@code, @name, @timeZone, @lat, @lon, @country)
      ON CONFLICT (code) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone, lat = excluded.lat, lon = excluded.lon, country = excluded.country`);
    return { write: (a) => { stmt.run({ ...a, country: a.country ?? null }); } };
  },
};

export const carriersWriter: KindWriter<'carriers'> = {
  prepare(db) {
    const stmt = db.prepare(`INSERT INTO carriers (code, name, own) VALUES (?, ?, ?)
      ON CONFLICT (code) DO UPDATE SET name = excluded.name, own = excluded.own`);
    return { write: (c) => { stmt.run(c.code, c.name, c.own ? 1 : 0); } };
  },
};

export const rbdsWriter: KindWriter<'rbds'> = {
  prepare(db) {
    const carrierKnown = existsCheck(db, 'SELECT 1 FROM carriers WHERE code = ?');
    const stmt = db.prepare(`INSERT INTO rbds (carrier, rbd, cabin, rank, name) VALUES (@carrier, @rbd, @cabin, @rank, @name)
      ON CONFLICT (carrier, rbd) DO UPDATE SET cabin = excluded.cabin, rank = excluded.rank, name = excluded.name`);
    return {
      write: (r) => {
        if (!carrierKnown(r.carrier)) throw new RecordRefused('carrier', `unknown carrier ${r.carrier}: its reference data must arrive first`);
        stmt.run({ ...r, name: r.name ?? null });
      },
    };
  },
};

export const flightsWriter: KindWriter<'flights'> = {
  prepare(db, now) {
    const carrierKnown = existsCheck(db, 'SELECT 1 FROM carriers WHERE code = ?');
    const airportKnown = existsCheck(db, 'SELECT 1 FROM airports WHERE code = ?');
    const upsert = db.prepare(`INSERT INTO flights (id, carrier, flight_number, origin, destination, local_date, departure_utc, arrival_utc,
        operating_carrier, operating_flight_number, aircraft, updated_at)
      VALUES (@id, @carrier, @flightNumber, @origin, @destination, @localDate, @departureUtc, @arrivalUtc, @operatingCarrier, @operatingFlightNumber, @aircraft, @updatedAt)
      ON CONFLICT (id) DO UPDATE SET departure_utc = excluded.departure_utc, arrival_utc = excluded.arrival_utc,
        operating_carrier = excluded.operating_carrier, operating_flight_number = excluded.operating_flight_number,
        aircraft = excluded.aircraft, updated_at = excluded.updated_at`);
    const cabin = db.prepare(`INSERT INTO flight_cabins (flight_id, cabin, capacity) VALUES (?, ?, ?)
      ON CONFLICT (flight_id, cabin) DO UPDATE SET capacity = excluded.capacity`);
    return {
      write: (f) => {
        if (!carrierKnown(f.carrier)) throw new RecordRefused('carrier', `unknown carrier ${f.carrier}: its reference data must arrive first`);
        for (const [field, code] of [['origin', f.origin], ['destination', f.destination]] as const) {
          if (!airportKnown(code)) throw new RecordRefused(field, `unknown airport ${code}: its reference data must arrive first`);
        }
        upsert.run({
          id: f.id, carrier: f.carrier, flightNumber: f.flightNumber, origin: f.origin, destination: f.destination, localDate: f.localDate,
          departureUtc: f.departureUtc, arrivalUtc: f.arrivalUtc, operatingCarrier: f.operatingCarrier ?? null,
          operatingFlightNumber: f.operatingFlightNumber ?? null, aircraft: f.aircraft ?? null, updatedAt: now(),
        });
        for (const c of f.cabins) cabin.run(f.id, c.cabin, c.capacity);
      },
    };
  },
};

export const inventoryWriter: KindWriter<'inventory'> = {
  prepare(db, now) {
    const flight = db.prepare('SELECT departure_utc FROM flights WHERE id = ?').pluck();
    const current = db.prepare('SELECT sold, authorised, status FROM inventory WHERE flight_id = ? AND rbd = ?');
    const upsert = db.prepare(`INSERT INTO inventory (flight_id, rbd, cabin, sold, authorised, status, bid_price_minor, currency, updated_at)
      VALUES (@flightId, @rbd, @cabin, @sold, @authorised, @status, @bidPriceMinor, @currency, @updatedAt)
      ON CONFLICT (flight_id, rbd) DO UPDATE SET cabin = excluded.cabin, sold = excluded.sold, authorised = excluded.authorised,
        status = excluded.status, bid_price_minor = excluded.bid_price_minor, currency = excluded.currency, updated_at = excluded.updated_at`);
    const snapshot = db.prepare(`INSERT OR REPLACE INTO inventory_snapshots (flight_id, rbd, captured_at, days_before_departure, sold, authorised, status)
      VALUES (?, ?, ?, ?, ?, ?, ?)`);
    return {
      write: (i) => {
        const dep = flight.get(i.flightId) as string | undefined;
        if (dep === undefined) throw new RecordRefused('flightId', `unknown flight ${i.flightId}: the flight must arrive before its inventory`);
        const before = current.get(i.flightId, i.rbd) as { sold: number; authorised: number; status: string } | undefined;
        const at = now();
        upsert.run({ ...i, bidPriceMinor: i.bidPriceMinor ?? null, currency: i.currency ?? null, updatedAt: at });
        if (!before || before.sold !== i.sold || before.authorised !== i.authorised || before.status !== i.status) {
          const dbd = Math.max(-1, Math.floor((Date.parse(dep) - Date.parse(at)) / 86_400_000));
          snapshot.run(i.flightId, i.rbd, at, dbd, i.sold, i.authorised, i.status);
        }
      },
    };
  },
};

export const faresWriter: KindWriter<'fares'> = {
  prepare(db, now) {
    const stmt = db.prepare(`INSERT INTO fares (carrier, origin, destination, rbd, cabin, fare_basis, point_of_sale, currency, amount_minor,
        valid_from, valid_to, flight_id, source, updated_at)
      VALUES (@carrier, @origin, @destination, @rbd, @cabin, @fareBasis, @pointOfSale, @currency, @amountMinor, @validFrom, @validTo, @flightId, 'pss', @updatedAt)
      ON CONFLICT (carrier, origin, destination, rbd, fare_basis, point_of_sale, currency, valid_from, valid_to, flight_id)
      DO UPDATE SET amount_minor = excluded.amount_minor, cabin = excluded.cabin, updated_at = excluded.updated_at`);
    return { write: (f) => { stmt.run({ ...f, flightId: f.flightId ?? '', updatedAt: now() }); } };
  },
};

export const bookingsWriter: KindWriter<'bookings'> = {
  prepare(db) {
    const flightKnown = existsCheck(db, 'SELECT 1 FROM flights WHERE id = ?');
    // positional parameters: binding an array is about twice as fast as binding named ones
    const stmt = db.prepare(`INSERT INTO bookings (id, record_locator, flight_id, rbd, cabin, fare_basis, journey_origin, journey_destination,
        point_of_sale, channel, passengers, amount_minor, currency, booked_at, status, status_at, ancillaries)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET status = excluded.status, status_at = excluded.status_at, ancillaries = excluded.ancillaries,
        amount_minor = excluded.amount_minor
      WHERE bookings.rbd = excluded.rbd`);
    // an event in another class (a rebooking) takes the second statement: naming rbd in the upsert's SET
    // would rewrite the row's entry in the (flight_id, rbd) index on every status event, changed or not
    const rebooked = db.prepare('UPDATE bookings SET status = ?, status_at = ?, ancillaries = ?, amount_minor = ?, rbd = ? WHERE id = ?');
    // an event past 'booked' (flown, cancelled, ...) is nearly always of a booking already stored: a plain
    // update binds 6 values instead of 17 and skips the insert the upsert tries first
    const statusEvent = db.prepare('UPDATE bookings SET status = ?, status_at = ?, ancillaries = ?, amount_minor = ? WHERE id = ? AND rbd = ?');
    return {
      write: (b) => {
        if (!flightKnown(b.flightId)) throw new RecordRefused('flightId', `unknown flight ${b.flightId}: the flight must arrive before its bookings`);
        const ancillaries = b.ancillaries.length ? JSON.stringify(b.ancillaries) : '[]';
        const statusAt = b.statusAt ?? null;
        if (b.status !== 'booked' && statusEvent.run(b.status, statusAt, ancillaries, b.amountMinor, b.id, b.rbd).changes === 1) return;
        const r = stmt.run(b.id, b.recordLocator, b.flightId, b.rbd, b.cabin, b.fareBasis ?? null, b.journeyOrigin, b.journeyDestination, b.pointOfSale, b.channel,
          b.passengers, b.amountMinor, b.currency, b.bookedAt, b.status, statusAt, ancillaries);
        if (r.changes === 0) rebooked.run(b.status, statusAt, ancillaries, b.amountMinor, b.rbd, b.id);
      },
    };
  },
};
