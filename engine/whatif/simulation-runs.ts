/**
 * Stores a revenue simulation (engine/whatif/experiment) in the store's `simulation_runs` and
 * `simulation_trials` tables (migration 8). The workbench reads them through `simulations.list` /
 * `simulations.get` (engine/api/handlers/simulations).
 */
import type { Database } from 'better-sqlite3';
import type { ExperimentResult } from './experiment';

/** Writes one experiment and its trials in one transaction; returns the run's id. */
export function saveSimulationRun(db: Database, r: ExperimentResult, createdAt: string, label = ''): number {
  const u = r.summary.uplift;
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  const insRun = db.prepare(`INSERT INTO simulation_runs (scenario, strategy, vs, demand, label, trials, uplift_pct, uplift_low, uplift_high, options, summary, elapsed_ms, created_at)
    VALUES (@scenario, @strategy, @vs, @demand, @label, @trials, @upliftPct, @upliftLow, @upliftHigh, @options, @summary, @elapsedMs, @createdAt)`);
  const insTrial = db.prepare('INSERT INTO simulation_trials (run_id, trial, seed, uplift_pct, a, b) VALUES (?, ?, ?, ?, ?, ?)');
  return db.transaction(() => {
    const o = r.options;
    const id = Number(insRun.run({
      scenario: o.scenario, strategy: o.strategy, vs: o.vs, demand: o.demand, label, trials: r.trials.length,
      upliftPct: finite(u.mean), upliftLow: finite(u.low), upliftHigh: finite(u.high),
      options: JSON.stringify(o), summary: JSON.stringify(r.summary), elapsedMs: Math.max(0, r.elapsedMs), createdAt,
    }).lastInsertRowid);
    for (const t of r.trials) insTrial.run(id, t.trial, t.seed, finite(t.upliftPct), JSON.stringify(t.a), JSON.stringify(t.b));
    return id;
  })();
}
