// Price history: the pushed fares that a newer push of the same key has replaced. Under a daily cycle
// on the sandbox hub network about 170,000 fares are pushed a day, and each pushed decision stayed in
// `decisions` (about 2.8 KB with its indexes and outbox item) until its flight had departed
// `departedDays` ago: a store growing by about 0.5 GB a day for well over a year. Retention now moves
// a replaced push to the decision archive like any ended decision and keeps here only what the
// elasticity estimates and the overrides' impact read of it (about a tenth of the bytes); rows go when
// their departures pass the departed age, as the decisions do. Nothing here is the only copy: every
// row's decision is whole in an archive file recorded in decision_archives. A key (about 75 bytes) is
// stored once in price_keys, not in each of the hundred or so daily pushes of a departure's fare.
export const sql = `
CREATE TABLE price_keys (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE
) STRICT;
CREATE TABLE price_history (
  decision_id INTEGER PRIMARY KEY,
  key_id INTEGER NOT NULL REFERENCES price_keys(id),
  origin TEXT NOT NULL CHECK (length(origin) = 3),
  destination TEXT NOT NULL CHECK (length(destination) = 3),
  cabin TEXT NOT NULL,
  rbd TEXT NOT NULL,
  flight_id TEXT NOT NULL,
  travel_date TEXT NOT NULL,
  travel_date_to TEXT NOT NULL,
  pushed_at TEXT NOT NULL,
  sequence INTEGER,
  current_value INTEGER,
  proposed_value INTEGER NOT NULL
) STRICT;
CREATE INDEX price_history_market ON price_history (origin, destination, cabin, travel_date_to);
CREATE INDEX price_history_key ON price_history (key_id, pushed_at);
CREATE INDEX price_history_departure ON price_history (travel_date_to);
`;
