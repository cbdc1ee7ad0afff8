/**
 * Writers for the feeds beyond the PSS (schema 3): demand, route performance, competitor fares,
 * elasticities, exchange rates, the planned schedule, codeshares and the calendar.
 *
 * Optional key parts are stored as '' or -1 (see migration 0003) and mapped back by the readers.
 * `plannedLegs` and `codeshares` arrive as full snapshots of one carrier and date range: what the page
 * does not contain in that scope is removed, in the page's transaction.
 */
import type { KindWriter } from './types';
import { RecordRefused } from './types';

const orEmpty = (v: string | null | undefined): string => v ?? '';
const orMinusOne = (v: number | null | undefined): number => v ?? -1;

function checkDates(from: string, to: string, fromField: string): void {
  if (from > to) throw new RecordRefused(fromField, `${fromField} ${from} is after the end date ${to}`);
}

export const demandWriter: KindWriter<'demand'> = {
  prepare(db, now) {
    const stmt = db.prepare(`INSERT INTO demand (carrier, origin, destination, departure_date, cabin, dcp, kind, bookings, unconstrained_demand, as_of, updated_at)
      VALUES (@carrier, @origin, @destination, @departureDate, @cabin, @dcp, @kind, @bookings, @unconstrainedDemand, @asOf, @updatedAt)
      ON CONFLICT (carrier, origin, destination, departure_date, cabin, dcp) DO UPDATE SET kind = excluded.kind, bookings = excluded.bookings,
        unconstrained_demand = excluded.unconstrained_demand, as_of = excluded.as_of, updated_at = excluded.updated_at
      WHERE excluded.as_of >= demand.as_of`);
    return { write: (d) => { stmt.run({ ...d, updatedAt: now() }); } };
  },
};

export const routePerformanceWriter: KindWriter<'routePerformance'> = {
  prepare(db, now) {
    const stmt = db.prepare(`INSERT INTO route_performance (carrier, origin, destination, departure_date, cabin, seats, passengers, load_factor, revenue_minor, currency, as_of, updated_at)
      VALUES (@carrier, @origin, @destination, @departureDate, @cabin, @seats, @passengers, @loadFactor, @revenueMinor, @currency, @asOf, @updatedAt)
      ON CONFLICT (carrier, origin, destination, departure_date, cabin) DO UPDATE SET seats = excluded.seats, passengers = excluded.passengers,
        load_factor = excluded.load_factor, revenue_minor = excluded.revenue_minor, currency = excluded.currency, as_of = excluded.as_of,
        updated_at = excluded.updated_at
      WHERE excluded.as_of >= route_performance.as_of`);
    return {
      write: (r) => {
        if ((r.revenueMinor === null) !== (r.currency === null)) throw new RecordRefused('currency', 'revenue and its currency must be given together');
        stmt.run({ ...r, updatedAt: now() });
      },
    };
  },
};

export const competitorFaresWriter: KindWriter<'competitorFares'> = {
  prepare(db) {
    const stmt = db.prepare(`INSERT INTO competitor_fares (carrier, origin, destination, departure_date, cabin, brand, amount_minor, currency, observed_at)
      VALUES (@carrier, @origin, @destination, @departureDate, @cabin, @brand, @amountMinor, @currency, @observedAt)
      ON CONFLICT (carrier, origin, destination, departure_date, cabin, brand, currency, observed_at) DO UPDATE SET amount_minor = excluded.amount_minor`);
    return { write: (f) => { stmt.run({ ...f, cabin: orEmpty(f.cabin), brand: orEmpty(f.brand) }); } };
  },
};

export const elasticitiesWriter: KindWriter<'elasticities'> = {
  prepare(db, now) {
    const stmt = db.prepare(`INSERT INTO elasticities (origin, destination, cabin, segment, dbd_from, dbd_to, elasticity, standard_error, as_of, updated_at)
      VALUES (@origin, @destination, @cabin, @segment, @dbdFrom, @dbdTo, @elasticity, @standardError, @asOf, @updatedAt)
      ON CONFLICT (origin, destination, cabin, segment, dbd_from, dbd_to) DO UPDATE SET elasticity = excluded.elasticity,
        standard_error = excluded.standard_error, as_of = excluded.as_of, updated_at = excluded.updated_at
      WHERE excluded.as_of >= elasticities.as_of`);
    return {
      write: (e) => {
        if ((e.dbdFrom === null) !== (e.dbdTo === null)) throw new RecordRefused('dbdFrom', 'a days-before-departure range needs both ends, or neither');
        if (e.dbdFrom !== null && e.dbdTo !== null && e.dbdFrom < e.dbdTo) throw new RecordRefused('dbdFrom', `dbdFrom ${e.dbdFrom} must be >= dbdTo ${e.dbdTo} (days before departure count down)`);
        stmt.run({
          ...e, cabin: orEmpty(e.cabin), segment: orEmpty(e.segment), dbdFrom: orMinusOne(e.dbdFrom), dbdTo: orMinusOne(e.dbdTo), updatedAt: now(),
        });
      },
    };
  },
};

export const exchangeRatesWriter: KindWriter<'exchangeRates'> = {
  prepare(db, now) {
    const stmt = db.prepare(`INSERT INTO exchange_rates (base, quote, date, rate, updated_at) VALUES (@base, @quote, @date, @rate, @updatedAt)
      ON CONFLICT (base, quote, date) DO UPDATE SET rate = excluded.rate, updated_at = excluded.updated_at`);
    return {
      write: (r) => {
        if (r.base === r.quote) throw new RecordRefused('quote', `a rate from ${r.base} to itself is not an exchange rate`);
        stmt.run({ ...r, updatedAt: now() });
      },
    };
  },
};

const legKey = (id: string, suffix: string) => `${id}\u0000${suffix}`;

export const plannedLegsWriter: KindWriter<'plannedLegs'> = {
  prepare(db, now) {
    const upsert = db.prepare(`INSERT INTO planned_legs (id, operational_suffix, carrier, flight_number, origin, destination, local_date, departure_utc,
        arrival_utc, departure_local_time, arrival_local_time, arrival_local_date, departure_utc_offset_minutes, arrival_utc_offset_minutes,
        operating_carrier, operating_flight_number, aircraft, aircraft_configuration, cabins, service_type, passenger, itinerary_variation,
        leg_sequence, source_ref, updated_at)
      VALUES (@id, @operationalSuffix, @carrier, @flightNumber, @origin, @destination, @localDate, @departureUtc, @arrivalUtc, @departureLocalTime,
        @arrivalLocalTime, @arrivalLocalDate, @departureUtcOffsetMinutes, @arrivalUtcOffsetMinutes, @operatingCarrier, @operatingFlightNumber,
        @aircraft, @aircraftConfiguration, @cabins, @serviceType, @passenger, @itineraryVariation, @legSequence, @sourceRef, @updatedAt)
      ON CONFLICT (id, operational_suffix) DO UPDATE SET carrier = excluded.carrier, flight_number = excluded.flight_number,
        origin = excluded.origin, destination = excluded.destination, local_date = excluded.local_date, departure_utc = excluded.departure_utc,
        arrival_utc = excluded.arrival_utc, departure_local_time = excluded.departure_local_time, arrival_local_time = excluded.arrival_local_time,
        arrival_local_date = excluded.arrival_local_date, departure_utc_offset_minutes = excluded.departure_utc_offset_minutes,
        arrival_utc_offset_minutes = excluded.arrival_utc_offset_minutes, operating_carrier = excluded.operating_carrier,
        operating_flight_number = excluded.operating_flight_number, aircraft = excluded.aircraft, aircraft_configuration = excluded.aircraft_configuration,
        cabins = excluded.cabins, service_type = excluded.service_type, passenger = excluded.passenger, itinerary_variation = excluded.itinerary_variation,
        leg_sequence = excluded.leg_sequence, source_ref = excluded.source_ref, updated_at = excluded.updated_at`);
    const inScope = db.prepare('SELECT id, operational_suffix AS suffix FROM planned_legs WHERE carrier = ? AND local_date BETWEEN ? AND ?');
    const remove = db.prepare('DELETE FROM planned_legs WHERE id = ? AND operational_suffix = ?');
    return {
      write: (l) => {
        if (l.arrivalUtc < l.departureUtc) throw new RecordRefused('arrivalUtc', `arrival ${l.arrivalUtc} is before departure ${l.departureUtc}`);
        upsert.run({
          id: l.id, operationalSuffix: l.operationalSuffix, carrier: l.carrier, flightNumber: l.flightNumber, origin: l.origin,
          destination: l.destination, localDate: l.localDate, departureUtc: l.departureUtc, arrivalUtc: l.arrivalUtc,
          departureLocalTime: l.departureLocalTime, arrivalLocalTime: l.arrivalLocalTime, arrivalLocalDate: l.arrivalLocalDate,
          departureUtcOffsetMinutes: l.departureUtcOffsetMinutes, arrivalUtcOffsetMinutes: l.arrivalUtcOffsetMinutes,
          operatingCarrier: l.operatingCarrier ?? null, operatingFlightNumber: l.operatingFlightNumber ?? null, aircraft: l.aircraft ?? null,
          aircraftConfiguration: l.aircraftConfiguration, cabins: JSON.stringify(l.cabins), serviceType: l.serviceType,
          passenger: l.passenger ? 1 : 0, itineraryVariation: l.itineraryVariation, legSequence: l.legSequence, sourceRef: l.sourceRef,
          updatedAt: now(),
        });
      },
      keyOf: (l) => legKey(l.id, l.operationalSuffix),
      finishSnapshot(scope, kept) {
        let removed = 0;
        for (const r of inScope.all(scope.carrier, scope.fromDate, scope.toDate) as { id: string; suffix: string }[]) {
          if (!kept.has(legKey(r.id, r.suffix))) removed += remove.run(r.id, r.suffix).changes;
        }
        return removed;
      },
    };
  },
};

const codeshareKey = (c: { marketingCarrier: string; marketingFlightNumber: number | null; operatingCarrier: string; operatingFlightNumber: number | null; origin: string | null; destination: string | null; validFrom: string; validTo: string }) =>
  [c.marketingCarrier, orMinusOne(c.marketingFlightNumber), c.operatingCarrier, orMinusOne(c.operatingFlightNumber), orEmpty(c.origin), orEmpty(c.destination), c.validFrom, c.validTo].join('\u0000');

export const codesharesWriter: KindWriter<'codeshares'> = {
  prepare(db, now) {
    const upsert = db.prepare(`INSERT INTO codeshares (marketing_carrier, marketing_flight_number, operating_carrier, operating_flight_number, origin,
        destination, valid_from, valid_to, source_ref, updated_at)
      VALUES (@marketingCarrier, @marketingFlightNumber, @operatingCarrier, @operatingFlightNumber, @origin, @destination, @validFrom, @validTo, @sourceRef, @updatedAt)
      ON CONFLICT (marketing_carrier, marketing_flight_number, operating_carrier, operating_flight_number, origin, destination, valid_from, valid_to)
      DO UPDATE SET source_ref = excluded.source_ref, updated_at = excluded.updated_at`);
    // the scope is the operating carrier's agreements that overlap the date range
    const inScope = db.prepare(`SELECT marketing_carrier AS marketingCarrier, marketing_flight_number AS marketingFlightNumber, operating_carrier AS operatingCarrier,
        operating_flight_number AS operatingFlightNumber, origin, destination, valid_from AS validFrom, valid_to AS validTo
      FROM codeshares WHERE operating_carrier = ? AND valid_from <= ? AND valid_to >= ?`);
    const remove = db.prepare(`DELETE FROM codeshares WHERE marketing_carrier = ? AND marketing_flight_number = ? AND operating_carrier = ?
      AND operating_flight_number = ? AND origin = ? AND destination = ? AND valid_from = ? AND valid_to = ?`);
    return {
      write: (c) => {
        checkDates(c.validFrom, c.validTo, 'validFrom');
        if (c.marketingCarrier === c.operatingCarrier && c.marketingFlightNumber === c.operatingFlightNumber) {
          throw new RecordRefused('marketingFlightNumber', `${c.marketingCarrier}${c.marketingFlightNumber ?? ''} cannot be a codeshare of itself`);
        }
        upsert.run({
          marketingCarrier: c.marketingCarrier, marketingFlightNumber: orMinusOne(c.marketingFlightNumber), operatingCarrier: c.operatingCarrier,
          operatingFlightNumber: orMinusOne(c.operatingFlightNumber), origin: orEmpty(c.origin), destination: orEmpty(c.destination),
          validFrom: c.validFrom, validTo: c.validTo, sourceRef: c.sourceRef, updatedAt: now(),
        });
      },
      keyOf: codeshareKey,
      finishSnapshot(scope, kept) {
        let removed = 0;
        const rows = inScope.all(scope.carrier, scope.toDate, scope.fromDate) as { marketingCarrier: string; marketingFlightNumber: number; operatingCarrier: string; operatingFlightNumber: number; origin: string; destination: string; validFrom: string; validTo: string }[];
        for (const r of rows) {
          const asRecord = {
            ...r, marketingFlightNumber: r.marketingFlightNumber === -1 ? null : r.marketingFlightNumber,
            operatingFlightNumber: r.operatingFlightNumber === -1 ? null : r.operatingFlightNumber,
            origin: r.origin || null, destination: r.destination || null,
          };
          if (!kept.has(codeshareKey(asRecord))) {
            removed += remove.run(r.marketingCarrier, r.marketingFlightNumber, r.operatingCarrier, r.operatingFlightNumber, r.origin, r.destination, r.validFrom, r.validTo).changes;
          }
        }
        return removed;
      },
    };
  },
};

export const calendarWriter: KindWriter<'calendar'> = {
  prepare(db, now) {
    const stmt = db.prepare(`INSERT INTO calendar_events (from_date, to_date, name, kind, country, airport, updated_at)
      VALUES (@fromDate, @toDate, @name, @kind, @country, @airport, @updatedAt)
      ON CONFLICT (from_date, name, country, airport) DO UPDATE SET to_date = excluded.to_date, kind = excluded.kind, updated_at = excluded.updated_at`);
    return {
      write: (e) => {
        checkDates(e.fromDate, e.toDate, 'fromDate');
        stmt.run({ ...e, country: orEmpty(e.country), airport: orEmpty(e.airport), updatedAt: now() });
      },
    };
  },
};
