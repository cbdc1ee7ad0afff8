/**
 * Schema 5: people and decisions.
 * - users: local profiles, scrypt password hash with its own salt and parameters;
 * - audit_log: append-only (triggers refuse UPDATE and DELETE), each row hash-chained to the previous;
 * - decisions: fares and inventory controls (authorisation levels, bid prices) through the lifecycle of
 *   DESIGN.md, with the recommendation, its explanation and review context beside the proposed value;
 * - decision_keys: the last PSS sequence handed out per decision key;
 * - push_batches / outbox_items: the durable outbox (one idempotency key per batch, per-item answers);
 * - auto_approval_rules, alerts, elasticity_estimates: headless approvals and the feedback loop.
 */
export const sql = `
CREATE TABLE users (
  login TEXT PRIMARY KEY CHECK (length(login) BETWEEN 2 AND 64),
  display_name TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
  role TEXT NOT NULL CHECK (role IN ('analyst', 'revenue_manager', 'admin')),
  password_salt BLOB NOT NULL,
  password_hash BLOB NOT NULL,
  scrypt_n INTEGER NOT NULL CHECK (scrypt_n >= 2),
  scrypt_r INTEGER NOT NULL CHECK (scrypt_r >= 1),
  scrypt_p INTEGER NOT NULL CHECK (scrypt_p >= 1),
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  locked_until TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_login_at TEXT
) STRICT;

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}',
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  hash TEXT NOT NULL CHECK (length(hash) = 64)
) STRICT;
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, seq);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be changed'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be deleted'); END;

CREATE TABLE decisions (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('fare', 'authorisation', 'bid_price')),
  key TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('recommended', 'proposed', 'approved', 'rejected', 'queued', 'pushed', 'failed', 'superseded', 'expired')),
  source TEXT NOT NULL CHECK (source IN ('engine', 'manual', 'override')),
  sequence INTEGER CHECK (sequence IS NULL OR sequence > 0),
  carrier TEXT NOT NULL,
  origin TEXT NOT NULL CHECK (length(origin) = 3),
  destination TEXT NOT NULL CHECK (length(destination) = 3),
  flight_id TEXT NOT NULL DEFAULT '',
  travel_date TEXT NOT NULL,
  travel_date_to TEXT NOT NULL,
  cabin TEXT NOT NULL,
  rbd TEXT NOT NULL,
  currency TEXT CHECK (currency IS NULL OR length(currency) = 3),
  current_value INTEGER,
  recommended_value INTEGER,
  proposed_value INTEGER NOT NULL,
  change_pct REAL,
  payload TEXT NOT NULL,
  cycle_id TEXT,
  recommendation_id TEXT,
  explanation TEXT NOT NULL DEFAULT '[]',
  context TEXT NOT NULL DEFAULT '{}',
  competitor_min_minor INTEGER,
  competitor_carrier TEXT,
  forecast_demand REAL,
  load_factor REAL,
  guard_floor INTEGER,
  guard_ceiling INTEGER,
  guard_max_change_pct REAL,
  outside_guardrails INTEGER NOT NULL DEFAULT 0 CHECK (outside_guardrails IN (0, 1)),
  guardrail_confirmed_by TEXT,
  override_of INTEGER REFERENCES decisions(id),
  override_mode TEXT CHECK (override_mode IS NULL OR override_mode IN ('replace', 'influence')),
  override_reason TEXT,
  influence_pct REAL,
  influence_half_life_days REAL,
  expires_at TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  decision_note TEXT,
  approval_rule INTEGER,
  queued_at TEXT,
  pushed_at TEXT,
  pss_reference TEXT,
  failure_code TEXT,
  failure_reason TEXT,
  superseded_by INTEGER,
  ended_at TEXT,
  CHECK ((source = 'override') = (override_mode IS NOT NULL)),
  CHECK (override_mode IS NULL OR length(override_reason) > 0)
) STRICT;
CREATE INDEX decisions_key ON decisions (key, id);
CREATE INDEX decisions_state ON decisions (state, id);
CREATE INDEX decisions_market ON decisions (origin, destination, travel_date);
CREATE INDEX decisions_review ON decisions (travel_date, origin, destination, flight_id, cabin, rbd, id);
CREATE INDEX decisions_flight ON decisions (flight_id) WHERE flight_id <> '';
CREATE INDEX decisions_expiry ON decisions (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX decisions_cycle ON decisions (cycle_id) WHERE cycle_id IS NOT NULL;

CREATE TABLE decision_keys (
  key TEXT PRIMARY KEY,
  last_sequence INTEGER NOT NULL CHECK (last_sequence > 0)
) STRICT, WITHOUT ROWID;

CREATE TABLE push_batches (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL CHECK (channel IN ('fares', 'inventory')),
  idempotency_key TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('pending', 'answered', 'failed')),
  items INTEGER NOT NULL CHECK (items > 0),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  replayed INTEGER CHECK (replayed IS NULL OR replayed IN (0, 1)),
  pss_received_at TEXT,
  accepted INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  answered_at TEXT
) STRICT;
CREATE INDEX push_batches_status ON push_batches (status, id);

CREATE TABLE outbox_items (
  id INTEGER PRIMARY KEY,
  decision_id INTEGER NOT NULL REFERENCES decisions(id),
  channel TEXT NOT NULL CHECK (channel IN ('fares', 'inventory')),
  key TEXT NOT NULL,
  sequence INTEGER NOT NULL CHECK (sequence > 0),
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'batched', 'accepted', 'rejected', 'cancelled', 'failed')),
  batch_id INTEGER REFERENCES push_batches(id),
  enqueued_at TEXT NOT NULL,
  answered_at TEXT,
  reference TEXT,
  code TEXT,
  reason TEXT
) STRICT;
CREATE INDEX outbox_items_queue ON outbox_items (status, id);
CREATE INDEX outbox_items_batch ON outbox_items (batch_id);
CREATE INDEX outbox_items_decision ON outbox_items (decision_id);

CREATE TABLE auto_approval_rules (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  kinds TEXT NOT NULL DEFAULT '["fare","authorisation","bid_price"]',
  origin TEXT,
  destination TEXT,
  max_change_pct REAL NOT NULL CHECK (max_change_pct >= 0 AND max_change_pct <= 100),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  dedupe_key TEXT NOT NULL,
  origin TEXT,
  destination TEXT,
  subject TEXT,
  message TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}',
  raised_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  occurrences INTEGER NOT NULL DEFAULT 1,
  acknowledged_by TEXT,
  acknowledged_at TEXT,
  resolved_at TEXT
) STRICT;
CREATE UNIQUE INDEX alerts_open ON alerts (dedupe_key) WHERE resolved_at IS NULL;
CREATE INDEX alerts_market ON alerts (origin, destination) WHERE resolved_at IS NULL;

CREATE TABLE elasticity_estimates (
  id INTEGER PRIMARY KEY,
  origin TEXT NOT NULL CHECK (length(origin) = 3),
  destination TEXT NOT NULL CHECK (length(destination) = 3),
  cabin TEXT NOT NULL,
  elasticity REAL NOT NULL,
  standard_error REAL NOT NULL CHECK (standard_error >= 0),
  prior_elasticity REAL NOT NULL,
  prior_standard_error REAL NOT NULL,
  observations INTEGER NOT NULL,
  price_changes INTEGER NOT NULL,
  bookings INTEGER NOT NULL,
  estimated_at TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX elasticity_estimates_market ON elasticity_estimates (origin, destination, cabin, id);
`;
