/**
 * The cycle_runs table (schema 6): a row per run with the counts the history lists and the whole
 * report. A row left `running` by a process that no longer runs (killed, machine restarted) is marked
 * `interrupted` when the history is read.
 */
import type { Database } from 'better-sqlite3';
import type { CycleOutcome, CycleReport, CycleRunRow, CycleRunStatus, CycleSteps } from '../api/contract/cycle';
import { holderState, systemProbe, type ProcessProbe } from './lock';

interface RunDbRow {
  id: number; host: CycleRunRow['host']; trigger: string; started_by: string; hostname: string; pid: number; process_start: string | null; started_at: string; finished_at: string | null;
  status: CycleRunStatus; outcome: CycleOutcome | null; dry_run: number; markets: string; steps: string; pricing_cycle_id: string | null;
  synced: number; priced: number; proposed: number; auto_approved: number; waiting: number; pushed: number; push_failed: number;
  duration_ms: number | null; report: string; error: string | null;
  /** read from the report (RUN_COLUMNS) */
  kept: number;
}

/** A run's columns, and from its report the proposals of earlier cycles it kept (counted since stop 33; 0 before). */
const RUN_COLUMNS = "*, coalesce(json_extract(report, '$.proposals.standing'), 0) AS kept";

function toRow(r: RunDbRow): CycleRunRow {
  return {
    id: r.id, host: r.host, trigger: r.trigger, startedBy: r.started_by, hostname: r.hostname, startedAt: r.started_at, finishedAt: r.finished_at,
    status: r.status, outcome: r.outcome, dryRun: r.dry_run === 1, markets: JSON.parse(r.markets) as string[], steps: JSON.parse(r.steps) as CycleSteps,
    pricingCycleId: r.pricing_cycle_id, synced: r.synced, priced: r.priced, proposed: r.proposed, kept: r.kept, autoApproved: r.auto_approved, waiting: r.waiting,
    pushed: r.pushed, pushFailed: r.push_failed, durationMs: r.duration_ms, error: r.error,
  };
}

/** The history's counts, from a report. */
function countsOf(r: CycleReport) {
  return {
    synced: r.sync?.feeds.reduce((a, f) => a + f.recordsWritten, 0) ?? 0,
    priced: r.pricing ? r.pricing.recommendations.fare + r.pricing.recommendations.authorisation + r.pricing.recommendations.bid_price : 0,
    proposed: r.proposals?.published ?? 0,
    autoApproved: r.autoApproval?.approved ?? 0,
    waiting: r.autoApproval ? Object.values(r.autoApproval.waiting).reduce((a, n) => a + n, 0) : 0,
    pushed: r.push?.accepted ?? 0,
    pushFailed: (r.push?.rejected ?? 0) + (r.push ? r.push.queue.failedBatches : 0),
  };
}

export class CycleRuns {
  constructor(private readonly db: Database, private readonly probe: ProcessProbe = systemProbe) {}

  /** Inserts a running row and returns its id. */
  start(r: Pick<CycleReport, 'host' | 'trigger' | 'startedBy' | 'hostname' | 'pid' | 'startedAt' | 'dryRun' | 'markets' | 'steps'> & { processStart: string | null }): number {
    return Number(this.db.prepare(`INSERT INTO cycle_runs (host, trigger, started_by, hostname, pid, process_start, started_at, status, dry_run, markets, steps)
      VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)`).run(r.host, r.trigger.slice(0, 200), r.startedBy, r.hostname, r.pid, r.processStart, r.startedAt, r.dryRun ? 1 : 0,
      JSON.stringify(r.markets), JSON.stringify(r.steps)).lastInsertRowid);
  }

  /** Stores the report as it stands (during the run, and at its end). */
  save(r: CycleReport): void {
    const c = countsOf(r);
    this.db.prepare(`UPDATE cycle_runs SET finished_at = ?, status = ?, outcome = ?, pricing_cycle_id = ?, synced = ?, priced = ?, proposed = ?,
        auto_approved = ?, waiting = ?, pushed = ?, push_failed = ?, duration_ms = ?, report = ?, error = ? WHERE id = ?`).run(
      r.finishedAt, r.status, r.outcome, r.pricing?.cycleId ?? null, c.synced, c.priced, c.proposed, c.autoApproved, c.waiting, c.pushed, c.pushFailed,
      r.durationMs, JSON.stringify(r), r.error, r.runId,
    );
  }

  /** Marks runs left running by processes that are gone as interrupted (their reports say so). */
  reapInterrupted(at: string): number[] {
    const running = this.db.prepare("SELECT * FROM cycle_runs WHERE status = 'running'").all() as RunDbRow[];
    const reaped: number[] = [];
    for (const r of running) {
      if (holderState({ pid: r.pid, hostname: r.hostname, processStart: r.process_start }, this.probe) !== 'gone') continue;
      const report = JSON.parse(r.report) as Partial<CycleReport>;
      const error = `the process running it (pid ${r.pid} on ${r.hostname}) stopped before the run finished`;
      const full: Partial<CycleReport> = { ...report, status: 'interrupted', outcome: 'interrupted', finishedAt: at, error };
      this.db.prepare("UPDATE cycle_runs SET status = 'interrupted', outcome = 'interrupted', finished_at = ?, error = ?, report = ? WHERE id = ? AND status = 'running'")
        .run(at, error, JSON.stringify(full), r.id);
      reaped.push(r.id);
    }
    return reaped;
  }

  list(q: { limit: number; host?: CycleRunRow['host'] }): CycleRunRow[] {
    const rows = (q.host
      ? this.db.prepare(`SELECT ${RUN_COLUMNS} FROM cycle_runs WHERE host = ? ORDER BY id DESC LIMIT ?`).all(q.host, q.limit)
      : this.db.prepare(`SELECT ${RUN_COLUMNS} FROM cycle_runs ORDER BY id DESC LIMIT ?`).all(q.limit)) as RunDbRow[];
    return rows.map(toRow);
  }

  row(id: number): CycleRunRow | null {
    const r = this.db.prepare(`SELECT ${RUN_COLUMNS} FROM cycle_runs WHERE id = ?`).get(id) as RunDbRow | undefined;
    return r ? toRow(r) : null;
  }

  report(id: number): CycleReport | null {
    const r = this.db.prepare('SELECT report FROM cycle_runs WHERE id = ?').get(id) as { report: string } | undefined;
    if (!r) return null;
    const rep = JSON.parse(r.report) as CycleReport;
    return rep.runId ? rep : null;
  }

  running(): CycleRunRow | null {
    const r = this.db.prepare(`SELECT ${RUN_COLUMNS} FROM cycle_runs WHERE status = 'running' ORDER BY id DESC LIMIT 1`).get() as RunDbRow | undefined;
    return r ? toRow(r) : null;
  }

  /** The as-of instant and DCPs of the last whole-network run whose curve rebuild finished (the next rebuilds from a few days before it; a run of some markets rebuilt only theirs). */
  lastCurves(): { asOf: string; dcps: number[] } | null {
    const r = this.db.prepare(`SELECT json_extract(report, '$.asOf') AS asOf, json_extract(report, '$.curves.dcps') AS dcps FROM cycle_runs
      WHERE json_extract(report, '$.curves.written') IS NOT NULL AND coalesce(json_array_length(report, '$.markets'), 0) = 0 ORDER BY id DESC LIMIT 1`).get() as { asOf: string | null; dcps: string | null } | undefined;
    return r?.asOf && r.dcps ? { asOf: r.asOf, dcps: JSON.parse(r.dcps) as number[] } : null;
  }
}
