/**
 * Schema 3: the feeds beyond the PSS — demand and route performance (PROS O&D), competitor fares,
 * elasticity estimates and dated exchange rates (pricing tools), the planned schedule, codeshare
 * agreements and the holiday/event calendar (network planning) — and the schedule mismatches found by
 * reconciling the planned schedule with the PSS's operated flights.
 *
 * Optional key parts are stored as '' (text) or -1 (integer) rather than NULL, so that UNIQUE keys hold
 * (SQLite treats NULLs as distinct); the writers map them back and forth.
 */
export const sql = `
CREATE TABLE demand (
  carrier TEXT NOT NULL,
  origin TEXT NOT NULL CHECK (length(origin) = 3),
  destination TEXT NOT NULL CHECK (length(destination) = 3),
  departure_date TEXT NOT NULL,
  cabin TEXT NOT NULL,
  dcp INTEGER NOT NULL CHECK (dcp >= 0),
  kind TEXT NOT NULL CHECK (kind IN ('historical', 'current')),
  bookings REAL NOT NULL CHECK (bookings >= 0),
  unconstrained_demand REAL CHECK (unconstrained_demand IS NULL OR unconstrained_demand >= 0),
  as_of TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (carrier, origin, destination, departure_date, cabin, dcp)
) STRICT, WITHOUT ROWID;
CREATE INDEX demand_market ON demand (origin, destination, departure_date);

CREATE TABLE route_performance (
  carrier TEXT NOT NULL,
  origin TEXT NOT NULL CHECK (length(origin) = 3),
  destination TEXT NOT NULL CHECK (length(destination) = 3),
  departure_date TEXT NOT NULL,
  cabin TEXT NOT NULL,
  seats INTEGER NOT NULL CHECK (seats >= 0),
  passengers INTEGER NOT NULL CHECK (passengers >= 0),
  load_factor REAL NOT NULL CHECK (load_factor >= 0),
  revenue_minor INTEGER,
  currency TEXT CHECK (currency IS NULL OR length(currency) = 3),
  as_of TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((revenue_minor IS NULL) = (currency IS NULL)),
  PRIMARY KEY (carrier, origin, destination, departure_date, cabin)
) STRICT, WITHOUT ROWID;
CREATE INDEX route_performance_date ON route_performance (departure_date);

CREATE TABLE competitor_fares (
  id INTEGER PRIMARY KEY,
  carrier TEXT NOT NULL,
  origin TEXT NOT NULL CHECK (length(origin) = 3),
  destination TEXT NOT NULL CHECK (length(destination) = 3),
  departure_date TEXT NOT NULL,
  cabin TEXT NOT NULL DEFAULT '',
  brand TEXT NOT NULL DEFAULT '',
  amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  observed_at TEXT NOT NULL,
  UNIQUE (carrier, origin, destination, departure_date, cabin, brand, currency, observed_at)
) STRICT;
CREATE INDEX competitor_fares_market ON competitor_fares (origin, destination, departure_date);

CREATE TABLE elasticities (
  origin TEXT NOT NULL CHECK (length(origin) = 3),
  destination TEXT NOT NULL CHECK (length(destination) = 3),
  cabin TEXT NOT NULL DEFAULT '',
  segment TEXT NOT NULL DEFAULT '',
  dbd_from INTEGER NOT NULL DEFAULT -1,
  dbd_to INTEGER NOT NULL DEFAULT -1,
  elasticity REAL NOT NULL,
  standard_error REAL CHECK (standard_error IS NULL OR standard_error >= 0),
  as_of TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (origin, destination, cabin, segment, dbd_from, dbd_to)
) STRICT, WITHOUT ROWID;

CREATE TABLE exchange_rates (
  base TEXT NOT NULL CHECK (length(base) = 3),
  quote TEXT NOT NULL CHECK (length(quote) = 3),
  date TEXT NOT NULL,
  rate REAL NOT NULL CHECK (rate > 0),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (base, quote, date)
) STRICT, WITHOUT ROWID;

CREATE TABLE planned_legs (
  id TEXT NOT NULL,
  operational_suffix TEXT NOT NULL DEFAULT '',
  carrier TEXT NOT NULL,
  flight_number INTEGER NOT NULL CHECK (flight_number BETWEEN 1 AND 9999),
  origin TEXT NOT NULL CHECK (length(origin) = 3),
  destination TEXT NOT NULL CHECK (length(destination) = 3),
  local_date TEXT NOT NULL,
  departure_utc TEXT NOT NULL,
  arrival_utc TEXT NOT NULL,
  departure_local_time TEXT NOT NULL,
  arrival_local_time TEXT NOT NULL,
  arrival_local_date TEXT NOT NULL,
  departure_utc_offset_minutes INTEGER NOT NULL,
  arrival_utc_offset_minutes INTEGER NOT NULL,
  operating_carrier TEXT,
  operating_flight_number INTEGER,
  aircraft TEXT,
  aircraft_configuration TEXT NOT NULL DEFAULT '',
  cabins TEXT NOT NULL DEFAULT '[]',
  service_type TEXT NOT NULL,
  passenger INTEGER NOT NULL CHECK (passenger IN (0, 1)),
  itinerary_variation INTEGER NOT NULL,
  leg_sequence INTEGER NOT NULL,
  source_ref TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (id, operational_suffix)
) STRICT, WITHOUT ROWID;
CREATE INDEX planned_legs_carrier_date ON planned_legs (carrier, local_date);

CREATE TABLE codeshares (
  marketing_carrier TEXT NOT NULL,
  marketing_flight_number INTEGER NOT NULL DEFAULT -1,
  operating_carrier TEXT NOT NULL,
  operating_flight_number INTEGER NOT NULL DEFAULT -1,
  origin TEXT NOT NULL DEFAULT '',
  destination TEXT NOT NULL DEFAULT '',
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  source_ref TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (valid_from <= valid_to),
  PRIMARY KEY (marketing_carrier, marketing_flight_number, operating_carrier, operating_flight_number, origin, destination, valid_from, valid_to)
) STRICT, WITHOUT ROWID;
CREATE INDEX codeshares_operating ON codeshares (operating_carrier, valid_from);

CREATE TABLE calendar_events (
  from_date TEXT NOT NULL,
  to_date TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('holiday', 'event', 'school_holiday')),
  country TEXT NOT NULL DEFAULT '',
  airport TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  CHECK (from_date <= to_date),
  PRIMARY KEY (from_date, name, country, airport)
) STRICT, WITHOUT ROWID;
CREATE INDEX calendar_events_dates ON calendar_events (to_date, from_date);

CREATE TABLE schedule_mismatches (
  id INTEGER PRIMARY KEY,
  flight_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('missing_in_pss', 'missing_in_plan', 'time_changed', 'aircraft_changed', 'route_changed')),
  detail TEXT NOT NULL,
  first_seen_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  resolved_at TEXT,
  UNIQUE (flight_id, kind)
) STRICT;
CREATE INDEX schedule_mismatches_open ON schedule_mismatches (resolved_at, flight_id);
`;
