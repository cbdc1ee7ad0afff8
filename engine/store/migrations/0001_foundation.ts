/** Schema 1: reference data, flights, fare ladders, fares, inventory, bookings, feed runs and quarantine. */
export const sql = `
CREATE TABLE carriers (
  code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 2 AND 3),
  name TEXT NOT NULL,
  own INTEGER NOT NULL DEFAULT 0 CHECK (own IN (0, 1))
) STRICT;

CREATE TABLE airports (
  code TEXT PRIMARY KEY CHECK (length(code) = 3),
  name TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
  country TEXT
) STRICT;

CREATE TABLE flights (
  id TEXT PRIMARY KEY,
  carrier TEXT NOT NULL REFERENCES carriers(code),
  flight_number INTEGER NOT NULL CHECK (flight_number BETWEEN 1 AND 9999),
  origin TEXT NOT NULL REFERENCES airports(code),
  destination TEXT NOT NULL REFERENCES airports(code),
  local_date TEXT NOT NULL,
  departure_utc TEXT NOT NULL,
  arrival_utc TEXT NOT NULL,
  operating_carrier TEXT,
  operating_flight_number INTEGER,
  aircraft TEXT,
  updated_at TEXT NOT NULL,
  UNIQUE (carrier, flight_number, local_date, origin)
) STRICT;
CREATE INDEX flights_market_date ON flights (origin, destination, local_date);
CREATE INDEX flights_date ON flights (local_date);

CREATE TABLE flight_cabins (
  flight_id TEXT NOT NULL REFERENCES flights(id) ON DELETE CASCADE,
  cabin TEXT NOT NULL,
  capacity INTEGER NOT NULL CHECK (capacity >= 0),
  PRIMARY KEY (flight_id, cabin)
) STRICT, WITHOUT ROWID;

CREATE TABLE rbds (
  carrier TEXT NOT NULL REFERENCES carriers(code),
  rbd TEXT NOT NULL CHECK (length(rbd) BETWEEN 1 AND 2),
  cabin TEXT NOT NULL,
  rank INTEGER NOT NULL CHECK (rank >= 0),
  name TEXT,
  PRIMARY KEY (carrier, rbd)
) STRICT, WITHOUT ROWID;

CREATE TABLE fares (
  id INTEGER PRIMARY KEY,
  carrier TEXT NOT NULL,
  origin TEXT NOT NULL,
  destination TEXT NOT NULL,
  rbd TEXT NOT NULL,
  cabin TEXT NOT NULL,
  fare_basis TEXT NOT NULL,
  point_of_sale TEXT NOT NULL,
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  flight_id TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (carrier, origin, destination, rbd, fare_basis, point_of_sale, currency, valid_from, valid_to, flight_id)
) STRICT;
CREATE INDEX fares_market ON fares (origin, destination, valid_from);
CREATE INDEX fares_flight ON fares (flight_id) WHERE flight_id <> '';

CREATE TABLE inventory (
  flight_id TEXT NOT NULL REFERENCES flights(id) ON DELETE CASCADE,
  rbd TEXT NOT NULL,
  cabin TEXT NOT NULL,
  sold INTEGER NOT NULL CHECK (sold >= 0),
  authorised INTEGER NOT NULL CHECK (authorised >= 0),
  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  bid_price_minor INTEGER,
  currency TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (flight_id, rbd)
) STRICT, WITHOUT ROWID;

CREATE TABLE inventory_snapshots (
  flight_id TEXT NOT NULL REFERENCES flights(id) ON DELETE CASCADE,
  rbd TEXT NOT NULL,
  captured_at TEXT NOT NULL,
  days_before_departure INTEGER NOT NULL,
  sold INTEGER NOT NULL,
  authorised INTEGER NOT NULL,
  status TEXT NOT NULL,
  PRIMARY KEY (flight_id, rbd, captured_at)
) STRICT, WITHOUT ROWID;

CREATE TABLE bookings (
  id TEXT PRIMARY KEY,
  record_locator TEXT NOT NULL,
  flight_id TEXT NOT NULL,
  rbd TEXT NOT NULL,
  cabin TEXT NOT NULL,
  fare_basis TEXT,
  journey_origin TEXT NOT NULL,
  journey_destination TEXT NOT NULL,
  point_of_sale TEXT NOT NULL,
  channel TEXT NOT NULL,
  passengers INTEGER NOT NULL CHECK (passengers > 0),
  amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
  currency TEXT NOT NULL,
  booked_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled', 'flown', 'no_show')),
  status_at TEXT,
  ancillaries TEXT NOT NULL DEFAULT '[]'
) STRICT;
CREATE INDEX bookings_flight ON bookings (flight_id, rbd);

CREATE TABLE feed_runs (
  id INTEGER PRIMARY KEY,
  feed TEXT NOT NULL,
  trigger TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'degraded', 'failed', 'fallback', 'cancelled')),
  records_in INTEGER NOT NULL DEFAULT 0,
  records_written INTEGER NOT NULL DEFAULT 0,
  records_quarantined INTEGER NOT NULL DEFAULT 0,
  retries INTEGER NOT NULL DEFAULT 0,
  latency_ms REAL,
  duration_ms REAL,
  breaker_transitions TEXT NOT NULL DEFAULT '[]',
  error TEXT,
  detail TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX feed_runs_feed ON feed_runs (feed, started_at);

CREATE TABLE feed_cursors (
  feed TEXT NOT NULL,
  stream TEXT NOT NULL,
  cursor TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (feed, stream)
) STRICT, WITHOUT ROWID;

CREATE TABLE quarantine (
  id INTEGER PRIMARY KEY,
  feed TEXT NOT NULL,
  feed_run_id INTEGER REFERENCES feed_runs(id),
  source TEXT NOT NULL,
  location TEXT NOT NULL,
  field TEXT,
  reason TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX quarantine_feed ON quarantine (feed, created_at);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
`;
