/**
 * Runs feed connectors: one run at a time per feed, a feed_runs row per run, pages committed through
 * the page committer, progress and results pushed as events, cancellation by run id.
 */
import { holderState, systemProbe, type ProcessProbe } from '../cycle/lock';
import type { Database } from 'better-sqlite3';
import type { FeedName } from '../domain/types';
import { FEED_NAMES } from '../domain/types';
import type { Clock } from '../domain/time';
import type { CommitResult, FeedConnector, SyncResult, FeedLogger, SyncProgress } from '../ports/feed-sync';
import { storeWriteError } from '../store/integrity';
import type { FeedRunRow, FeedStatus, QuarantineRow } from '../api/contract/feeds';
import type { EventBus } from '../events/bus';
import { createPageCommitter } from './commit';
import { computeFeedState, type RunSummary } from './feedState';

export const FEED_LABELS: Record<FeedName, string> = {
  pss: 'PSS (bookings, inventory, fares)',
  pros: 'PROS O&D demand',
  competitor: 'Pricing tools (competitor fares)',
  schedule: 'Network planning (schedules, codeshares)',
};

/** How often each feed is expected to succeed, by default. */
export const DEFAULT_EXPECTED_INTERVAL_MS: Record<FeedName, number> = {
  pss: 6 * 3_600_000, pros: 24 * 3_600_000, competitor: 12 * 3_600_000, schedule: 7 * 24 * 3_600_000,
};

interface FeedRunDb {
  id: number; feed: FeedName; trigger: string; started_at: string; finished_at: string | null; status: FeedRunRow['status'];
  records_in: number; records_written: number; records_quarantined: number; retries: number; latency_ms: number | null;
  duration_ms: number | null; breaker_transitions: string; error: string | null; detail: string;
}

export function toRunRow(r: FeedRunDb): FeedRunRow {
  return {
    id: r.id, feed: r.feed, trigger: r.trigger, startedAt: r.started_at, finishedAt: r.finished_at, status: r.status,
    recordsIn: r.records_in, recordsWritten: r.records_written, recordsQuarantined: r.records_quarantined, retries: r.retries,
    latencyMs: r.latency_ms, durationMs: r.duration_ms, breakerTransitions: JSON.parse(r.breaker_transitions) as FeedRunRow['breakerTransitions'],
    error: r.error, detail: JSON.parse(r.detail) as Record<string, unknown>,
  };
}

export interface FeedServiceDeps {
  db: Database;
  clock: Clock;
  events: EventBus;
  connectors: FeedConnector[];
  expectedIntervalMs?: Partial<Record<FeedName, number>>;
  /** structured log sink (the host's logger); secrets never reach it */
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => void;
  /** minimum milliseconds between two progress events of one run */
  progressIntervalMs?: number;
  /** runs after a feed run's sync, before its row is finished; what it returns joins the run's detail */
  afterRun?: (feed: FeedName, status: SyncResult['status']) => Record<string, unknown> | undefined;
  /** tells whether the process that started a run still runs (tests inject one) */
  probe?: ProcessProbe;
}

export class FeedService {
  private readonly running = new Map<FeedName, { runId: number; controller: AbortController; done: Promise<FeedRunRow> }>();
  private readonly connectors: Map<FeedName, FeedConnector>;
  private readonly intervals: Record<FeedName, number>;

  constructor(private readonly deps: FeedServiceDeps) {
    this.connectors = new Map(deps.connectors.map((c) => [c.feed, c]));
    this.intervals = { ...DEFAULT_EXPECTED_INTERVAL_MS, ...deps.expectedIntervalMs };
    this.reapInterrupted();
  }

  /**
   * Closes runs left `running` by a process that is gone (killed, crashed, powered off) as cancelled with
   * the reason (the external system did not fail: the feed's state ignores them, as it does runs a person
   * cancelled); their committed pages stay, and the next sync resumes from the last committed cursor.
   * Runs of a live process (another host on the same data folder) are left alone.
   */
  reapInterrupted(): number[] {
    const probe = this.deps.probe ?? systemProbe;
    const rows = this.deps.db.prepare("SELECT id, detail FROM feed_runs WHERE status = 'running'").all() as { id: number; detail: string }[];
    const reaped: number[] = [];
    for (const r of rows) {
      let owner: { pid?: unknown; hostname?: unknown; processStart?: unknown } | undefined;
      try { owner = (JSON.parse(r.detail) as { process?: typeof owner }).process; } catch { owner = undefined; }
      if (!owner || typeof owner.pid !== 'number' || typeof owner.hostname !== 'string') continue;
      const who = { pid: owner.pid, hostname: owner.hostname, processStart: typeof owner.processStart === 'string' ? owner.processStart : null };
      if (holderState(who, probe) !== 'gone') continue;
      this.deps.db.prepare("UPDATE feed_runs SET status = 'cancelled', finished_at = ?, error = ? WHERE id = ? AND status = 'running'").run(
        this.now(), `interrupted: the process running it (pid ${who.pid} on ${who.hostname}) stopped before the sync finished; the pages it committed are kept and the next sync resumes after them`, r.id);
      reaped.push(r.id);
    }
    return reaped;
  }

  configured(): FeedName[] {
    return FEED_NAMES.filter((f) => this.connectors.has(f));
  }

  private now(): string { return this.deps.clock.now().toISOString(); }

  runs(feed: FeedName | undefined, limit: number): FeedRunRow[] {
    const rows = (feed
      ? this.deps.db.prepare('SELECT * FROM feed_runs WHERE feed = ? ORDER BY id DESC LIMIT ?').all(feed, limit)
      : this.deps.db.prepare('SELECT * FROM feed_runs ORDER BY id DESC LIMIT ?').all(limit)) as FeedRunDb[];
    return rows.map(toRunRow);
  }

  run(id: number): FeedRunRow | null {
    const r = this.deps.db.prepare('SELECT * FROM feed_runs WHERE id = ?').get(id) as FeedRunDb | undefined;
    return r ? toRunRow(r) : null;
  }

  quarantine(q: { feed?: FeedName; runId?: number; limit: number; offset: number }): { rows: QuarantineRow[]; total: number } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.feed) { where.push('feed = ?'); params.push(q.feed); }
    if (q.runId) { where.push('feed_run_id = ?'); params.push(q.runId); }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.deps.db.prepare(`SELECT count(*) n FROM quarantine ${w}`).get(...params) as { n: number }).n;
    const rows = this.deps.db.prepare(`SELECT id, feed, feed_run_id AS feedRunId, source, location, field, reason, payload, created_at AS createdAt
      FROM quarantine ${w} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...params, q.limit, q.offset) as QuarantineRow[];
    return { rows, total };
  }

  status(): FeedStatus[] {
    const now = this.deps.clock.now();
    return this.configured().map((feed) => {
      const connector = this.connectors.get(feed)!;
      const recent = this.runs(feed, 10);
      const breaker = connector.breaker();
      const summaries: RunSummary[] = recent.map((r) => ({
        status: r.status, startedAt: r.startedAt, finishedAt: r.finishedAt, retries: r.retries,
        recordsQuarantined: r.recordsQuarantined, error: r.error,
        fallbackAsOf: (r.detail.fallback as { asOf?: string } | undefined)?.asOf ?? null,
      }));
      const s = computeFeedState({ runs: summaries, breaker: breaker.state, now, expectedIntervalMs: this.intervals[feed] });
      const lastFinished = recent.find((r) => r.status !== 'running') ?? null;
      return {
        feed, label: FEED_LABELS[feed], state: s.state, reason: s.reason, breaker: breaker.state, endpoint: connector.endpoint,
        lastRun: lastFinished, lastSuccessAt: s.lastSuccessAt,
        lastSuccessAgeSeconds: s.lastSuccessAt ? Math.max(0, (now.getTime() - Date.parse(s.lastSuccessAt)) / 1000) : null,
        fallbackAgeSeconds: s.fallbackAgeSeconds, running: this.running.has(feed),
      };
    });
  }

  /** Starts (or joins) a run of each feed; resolves with the runs once started, or once finished with wait. */
  async sync(feeds: FeedName[] | undefined, trigger: string, wait: boolean): Promise<FeedRunRow[]> {
    const list = feeds ?? this.configured();
    const unknown = list.filter((f) => !this.connectors.has(f));
    if (unknown.length) throw new Error(`feed(s) not configured: ${unknown.join(', ')}`);
    // schedule before pss (flights reference airports it may bring)
    const order: FeedName[] = ['schedule', 'pss', 'pros', 'competitor'];
    const sorted = order.filter((f) => list.includes(f));
    if (!wait) {
      const started = sorted.map((f) => this.start(f, trigger));
      return started.map((s) => this.run(s.runId)!);
    }
    // waiting: the schedule first, then the others side by side (demand and competitor fares need not
    // wait for the PSS's booking history, which is the long one)
    const results: FeedRunRow[] = [];
    if (sorted[0] === 'schedule') results.push(await this.start('schedule', trigger).done);
    results.push(...await Promise.all(sorted.filter((f) => f !== 'schedule').map((f) => this.start(f, trigger).done)));
    return results;
  }

  cancel(runId: number): boolean {
    for (const r of this.running.values()) {
      if (r.runId === runId) { r.controller.abort(new Error('cancelled from the workbench')); return true; }
    }
    return false;
  }

  /** Aborts every running run and waits for them to finish (host shutdown). */
  async stopAll(): Promise<void> {
    const runs = [...this.running.values()];
    for (const r of runs) r.controller.abort(new Error('cancelled: the workbench was stopping'));
    await Promise.allSettled(runs.map((r) => r.done));
  }

  private start(feed: FeedName, trigger: string): { runId: number; done: Promise<FeedRunRow> } {
    const existing = this.running.get(feed);
    if (existing) return existing;
    const { db, events } = this.deps;
    const connector = this.connectors.get(feed)!;
    const startedAt = this.now();
    const probe = this.deps.probe ?? systemProbe;
    const owner = { pid: probe.pid(), hostname: probe.hostname(), processStart: probe.startOf(probe.pid()) };
    const runId = Number(db.prepare(`INSERT INTO feed_runs (feed, trigger, started_at, status, detail) VALUES (?, ?, ?, 'running', ?)`)
      .run(feed, trigger, startedAt, JSON.stringify({ process: owner })).lastInsertRowid);
    const controller = new AbortController();
    const committer = createPageCommitter(db, feed, () => this.now());
    const t0 = performance.now();
    const emitLog = this.deps.log ?? (() => {});
    const log: FeedLogger = {
      debug: (m, f) => emitLog('debug', m, { feed, runId, ...f }),
      info: (m, f) => emitLog('info', m, { feed, runId, ...f }),
      warn: (m, f) => emitLog('warn', m, { feed, runId, ...f }),
      error: (m, f) => emitLog('error', m, { feed, runId, ...f }),
    };
    let written = 0;
    let refused = 0;
    let lastProgress = 0;
    const minGap = this.deps.progressIntervalMs ?? 250;
    const progress = (p: SyncProgress) => {
      const t = performance.now();
      if (t - lastProgress < minGap) return;
      lastProgress = t;
      events.emit('feed.progress', { feed, runId, phase: p.phase, recordsIn: p.recordsIn, recordsWritten: written, recordsQuarantined: refused, total: p.total });
    };
    events.emit('feed.run', this.run(runId)!);
    const done = (async (): Promise<FeedRunRow> => {
      let result: SyncResult;
      try {
        result = await connector.sync({
          feed, runId, signal: controller.signal, clock: this.deps.clock,
          getCursor: (stream) => committer.getCursor(stream),
          commit: async (page) => {
            if (controller.signal.aborted) throw controller.signal.reason instanceof Error ? controller.signal.reason : new Error('cancelled');
            let r: CommitResult;
            try {
              r = committer.commit(runId, page);
            } catch (e) {
              throw storeWriteError(e, `the ${feed} ${page.stream} page`) ?? e;
            }
            written += r.written;
            refused += r.quarantined;
            return r;
          },
          progress, log,
        });
      } catch (e) {
        result = {
          status: 'failed', recordsIn: 0, recordsWritten: written, recordsQuarantined: refused, retries: 0,
          latencyMs: null, breakerTransitions: [], fallback: null,
          error: { code: 'internal', message: (e as Error).message, retryable: true }, detail: {},
        };
      }
      // a run that did not finish because it was stopped is cancelled, whatever the connector made of the abort
      if (controller.signal.aborted && result.status !== 'ok') {
        // say who stopped it (not the HTTP client's view of the abort) and that nothing committed is lost
        const why = controller.signal.reason instanceof Error ? controller.signal.reason.message : 'cancelled';
        result = { ...result, status: 'cancelled', error: { code: 'cancelled', message: `${why}; the pages committed are kept and the next sync resumes after them`, retryable: false } };
      }
      const status = result.status === 'ok' && (refused > 0 || result.recordsQuarantined > 0) ? 'degraded' : result.status;
      let extra: Record<string, unknown> | undefined;
      try { extra = this.deps.afterRun?.(feed, result.status); } catch (e) { log.error('after-run step failed', { error: (e as Error).message }); }
      const finished = {
        finished_at: this.now(), status, records_in: result.recordsIn, records_written: Math.max(written, result.recordsWritten),
        records_quarantined: result.recordsQuarantined + refused, retries: result.retries, latency_ms: result.latencyMs, duration_ms: performance.now() - t0,
        breaker_transitions: JSON.stringify(result.breakerTransitions.map((b) => ({ at: b.at, from: b.from, to: b.to, reason: b.reason }))),
        error: result.error ? result.error.message : null,
        detail: JSON.stringify({ ...result.detail, ...extra, ...(result.fallback ? { fallback: result.fallback } : {}) }),
      };
      let row: FeedRunRow;
      try {
        db.prepare(`UPDATE feed_runs SET finished_at = @finished_at, status = @status, records_in = @records_in, records_written = @records_written,
          records_quarantined = @records_quarantined, retries = @retries, latency_ms = @latency_ms, duration_ms = @duration_ms,
          breaker_transitions = @breaker_transitions, error = @error, detail = @detail WHERE id = @id`).run({ ...finished, id: runId });
        row = this.run(runId)!;
      } catch (e) {
        // the outcome cannot be stored (disk full, read-only): report it anyway, and let the feed run again
        const why = storeWriteError(e, `the outcome of ${feed} run ${runId}`)?.message ?? (e as Error).message;
        log.error('feed run outcome not recorded', { error: why });
        row = toRunRow({ id: runId, feed, trigger, started_at: startedAt, ...finished, status: status === 'ok' || status === 'degraded' ? 'failed' : status, error: [finished.error, why].filter(Boolean).join('; ') });
      } finally {
        this.running.delete(feed);
      }
      events.emit('feed.run', row);
      const st = this.status().find((s) => s.feed === feed);
      if (st) events.emit('feed.status', st);
      log.info('feed run finished', {
        status: row.status, recordsIn: row.recordsIn, written: row.recordsWritten, quarantined: row.recordsQuarantined, durationMs: row.durationMs,
        ...(row.retries > 0 ? { retries: row.retries, retryReasons: row.detail.retryReasons } : {}),
      });
      return row;
    })();
    const entry = { runId, controller, done };
    this.running.set(feed, entry);
    return entry;
  }
}
