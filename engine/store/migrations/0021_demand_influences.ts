// Demand influences: an analyst's factor on the forecast demand of a market's departures over dates (a strike, an
// event the calendar feed does not know, a competitor leaving the market). The pricing cycle reads those overlapping its
// departures as configured calendar events bound to the market (engine/pricing/influences.ts). origin / destination /
// cabin NULL: every origin / destination / cabin.
export const sql = `
CREATE TABLE demand_influences (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  origin TEXT CHECK (origin IS NULL OR length(origin) = 3),
  destination TEXT CHECK (destination IS NULL OR length(destination) = 3),
  cabin TEXT CHECK (cabin IS NULL OR length(cabin) = 1),
  from_date TEXT NOT NULL CHECK (length(from_date) = 10),
  to_date TEXT NOT NULL CHECK (length(to_date) = 10 AND to_date >= from_date),
  factor REAL NOT NULL CHECK (factor >= 0.2 AND factor <= 5),
  note TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX demand_influences_dates ON demand_influences (to_date, from_date);
`;
