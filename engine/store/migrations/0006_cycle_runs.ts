/**
 * Schema 6: runs of the full cycle (engine/cycle) — sync, curves, price, network, proposals,
 * auto-approval, push — by any host (desktop "run cycle", the headless `dfae` command, the web bridge).
 * One row per run with the counts the run history lists, and the whole report as JSON.
 * `pid`, `process_start` and `hostname` identify the process that ran it, so a run left `running` by a
 * process that is gone is shown as interrupted.
 */
export const sql = `
CREATE TABLE cycle_runs (
  id INTEGER PRIMARY KEY,
  host TEXT NOT NULL CHECK (host IN ('desktop', 'web', 'headless', 'test')),
  trigger TEXT NOT NULL CHECK (length(trigger) BETWEEN 1 AND 200),
  started_by TEXT NOT NULL,
  hostname TEXT NOT NULL,
  pid INTEGER NOT NULL,
  process_start TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'warning', 'failed', 'cancelled', 'interrupted')),
  outcome TEXT CHECK (outcome IS NULL OR outcome IN ('success', 'feed_fallback', 'push_failures', 'failed', 'cancelled', 'interrupted')),
  dry_run INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
  markets TEXT NOT NULL DEFAULT '[]',
  steps TEXT NOT NULL,
  pricing_cycle_id TEXT,
  synced INTEGER NOT NULL DEFAULT 0,
  priced INTEGER NOT NULL DEFAULT 0,
  proposed INTEGER NOT NULL DEFAULT 0,
  auto_approved INTEGER NOT NULL DEFAULT 0,
  waiting INTEGER NOT NULL DEFAULT 0,
  pushed INTEGER NOT NULL DEFAULT 0,
  push_failed INTEGER NOT NULL DEFAULT 0,
  duration_ms REAL,
  report TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(report)),
  error TEXT
) STRICT;
CREATE INDEX cycle_runs_started ON cycle_runs (started_at, id);
CREATE INDEX cycle_runs_running ON cycle_runs (status) WHERE status = 'running';
`;
