/**
 * Schema 8: revenue simulations (issue 10, `npm run simulate`): one row per experiment — two RM
 * strategies for our carrier on the same random draws — with its options, its summary (per carrier
 * and total for both strategies, our fare mix and booking curve, the uplift with its interval) and
 * one row per trial (the paired outcomes and that trial's uplift).
 */
export const sql = `
CREATE TABLE simulation_runs (
  id INTEGER PRIMARY KEY,
  scenario TEXT NOT NULL CHECK (scenario IN ('3mkt', 'sandbox')),
  strategy TEXT NOT NULL CHECK (length(strategy) BETWEEN 1 AND 40),
  vs TEXT NOT NULL CHECK (length(vs) BETWEEN 1 AND 40),
  demand TEXT NOT NULL CHECK (demand IN ('low', 'medium', 'high')),
  label TEXT NOT NULL DEFAULT '' CHECK (length(label) <= 200),
  trials INTEGER NOT NULL CHECK (trials >= 1),
  uplift_pct REAL,
  uplift_low REAL,
  uplift_high REAL,
  options TEXT NOT NULL CHECK (json_valid(options)),
  summary TEXT NOT NULL CHECK (json_valid(summary)),
  elapsed_ms REAL NOT NULL CHECK (elapsed_ms >= 0),
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX simulation_runs_created ON simulation_runs (created_at, id);

CREATE TABLE simulation_trials (
  run_id INTEGER NOT NULL REFERENCES simulation_runs (id) ON DELETE CASCADE,
  trial INTEGER NOT NULL CHECK (trial >= 0),
  seed INTEGER NOT NULL,
  uplift_pct REAL,
  a TEXT NOT NULL CHECK (json_valid(a)),
  b TEXT NOT NULL CHECK (json_valid(b)),
  PRIMARY KEY (run_id, trial)
) STRICT;
`;
