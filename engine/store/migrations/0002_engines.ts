/**
 * Schema 2: what the forecasting, optimisation and pricing engines persist.
 * - booking_curves: per leg departure × RBD, the bookings, cancellations and closures per DCP period
 *   (derived from bookings and inventory snapshots by the curve builder; the forecasters' history);
 * - pricing_cycles: one row per pricing cycle run;
 * - pricing_contexts: per cycle × departure × cabin, the inputs shared by the cabin's classes
 *   (forecast signal, competitor position, elasticity, controls), stored once;
 * - forecasts: per leg × cycle × RBD, the demand to come per remaining DCP (mean, sd), the method and
 *   the cancellation / no-show forecast (keyed by flight first: read by departure);
 * - recommendations: fares, authorisation levels and bid prices with their explanations (keyed by
 *   cycle and key; a key starts with its flight id, so a departure's are one key range);
 * - backtest_results: forecast accuracy per market × cabin × method × DCP;
 * - booking_elasticities: price elasticities estimated from the booking history.
 */
export const sql = `
CREATE TABLE booking_curves (
  flight_id TEXT NOT NULL,
  rbd TEXT NOT NULL CHECK (length(rbd) BETWEEN 1 AND 2),
  cabin TEXT NOT NULL,
  flight_key TEXT NOT NULL,
  origin TEXT NOT NULL,
  destination TEXT NOT NULL,
  departure_date TEXT NOT NULL,
  dcps TEXT NOT NULL,
  gross TEXT NOT NULL,
  cancels TEXT NOT NULL,
  closed TEXT NOT NULL,
  shows INTEGER,
  no_shows INTEGER,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (flight_id, rbd)
) STRICT, WITHOUT ROWID;
CREATE INDEX booking_curves_key ON booking_curves (flight_key, departure_date);
CREATE INDEX booking_curves_date ON booking_curves (departure_date);

CREATE TABLE pricing_cycles (
  id TEXT PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
  settings TEXT NOT NULL DEFAULT '{}',
  stats TEXT NOT NULL DEFAULT '{}',
  warnings TEXT NOT NULL DEFAULT '[]',
  error TEXT
) STRICT;

CREATE TABLE pricing_contexts (
  cycle_id TEXT NOT NULL REFERENCES pricing_cycles(id) ON DELETE CASCADE,
  flight_id TEXT NOT NULL,
  cabin TEXT NOT NULL,
  context TEXT NOT NULL,
  PRIMARY KEY (cycle_id, flight_id, cabin)
) STRICT, WITHOUT ROWID;

CREATE TABLE forecasts (
  flight_id TEXT NOT NULL,
  cycle_id TEXT NOT NULL REFERENCES pricing_cycles(id) ON DELETE CASCADE,
  rbd TEXT NOT NULL,
  cabin TEXT NOT NULL,
  method TEXT NOT NULL,
  from_period INTEGER NOT NULL CHECK (from_period >= 0),
  mean REAL NOT NULL CHECK (mean >= 0),
  sd REAL NOT NULL CHECK (sd >= 0),
  cancellations REAL NOT NULL,
  net_final REAL NOT NULL,
  show_rate REAL NOT NULL CHECK (show_rate BETWEEN 0 AND 1),
  by_dcp TEXT NOT NULL,
  fallback TEXT,
  PRIMARY KEY (flight_id, cycle_id, rbd)
) STRICT, WITHOUT ROWID;

CREATE TABLE recommendations (
  cycle_id TEXT NOT NULL REFERENCES pricing_cycles(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('fare', 'authorisation', 'bid_price')),
  flight_id TEXT NOT NULL,
  cabin TEXT NOT NULL,
  rbd TEXT NOT NULL DEFAULT '',
  origin TEXT NOT NULL,
  destination TEXT NOT NULL,
  departure_date TEXT NOT NULL,
  days_to_departure REAL NOT NULL,
  current_value INTEGER,
  recommended_value INTEGER NOT NULL,
  currency TEXT CHECK (currency IS NULL OR length(currency) = 3),
  explanation TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CHECK ((kind = 'authorisation') = (currency IS NULL)),
  PRIMARY KEY (cycle_id, key, kind)
) STRICT, WITHOUT ROWID;

CREATE TABLE backtest_results (
  id INTEGER PRIMARY KEY,
  run_at TEXT NOT NULL,
  origin TEXT NOT NULL,
  destination TEXT NOT NULL,
  cabin TEXT NOT NULL,
  method TEXT NOT NULL,
  dcp INTEGER NOT NULL DEFAULT -1,
  cells INTEGER NOT NULL CHECK (cells >= 0),
  actual REAL NOT NULL,
  forecast REAL NOT NULL,
  wape REAL NOT NULL,
  mape REAL NOT NULL,
  bias REAL NOT NULL,
  chosen INTEGER NOT NULL DEFAULT 0 CHECK (chosen IN (0, 1)),
  UNIQUE (run_at, origin, destination, cabin, method, dcp)
) STRICT;
CREATE INDEX backtest_results_market ON backtest_results (origin, destination, cabin, run_at);

CREATE TABLE booking_elasticities (
  origin TEXT NOT NULL,
  destination TEXT NOT NULL,
  cabin TEXT NOT NULL,
  estimated_at TEXT NOT NULL,
  elasticity REAL NOT NULL,
  standard_error REAL NOT NULL CHECK (standard_error >= 0),
  observations INTEGER NOT NULL CHECK (observations >= 0),
  groups INTEGER NOT NULL CHECK (groups >= 0),
  method TEXT NOT NULL,
  PRIMARY KEY (origin, destination, cabin, estimated_at)
) STRICT, WITHOUT ROWID;
`;
