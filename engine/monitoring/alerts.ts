/**
 * Alerts: feed stale or down, push failed, competitor undercut beyond a threshold, a proposed move
 * larger than a threshold, forecast error beyond a threshold, and a tampered audit trail. One open
 * alert per cause (its dedupe key): raising it again counts an occurrence; it resolves when the cause
 * clears. Each change is pushed as an event; acknowledging is recorded (who, when) in the audit trail.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Clock } from '../domain/time';
import { addDays } from '../domain/time';
import { formatMoney } from '../domain/money';
import type { AlertKind, AlertRow, AlertSeverity, AlertThresholds } from '../api/contract/monitoring';
import type { FeedStatus } from '../api/contract/feeds';
import type { AuditStatus } from '../api/contract/decisions';
import type { AuditLog } from '../workflow/audit';
import type { PushBatchDbRow } from '../workflow/repository';
import type { ProposedRow } from '../workflow/decisions';
import { convertMinor } from './fx';
import { computeKpis } from './kpis';
import type { DiskSpace } from './disk';

export const DEFAULT_THRESHOLDS: AlertThresholds = { feedStaleMinutes: 180, competitorUndercutPct: 10, largeMovePct: 25, forecastWapePct: 35, diskFreeMinGb: 10 };
const SETTINGS_KEY = 'monitoring.thresholds';

export interface AlertInput {
  kind: AlertKind;
  severity: AlertSeverity;
  dedupeKey: string;
  origin?: string | null;
  destination?: string | null;
  subject?: string | null;
  message: string;
  detail?: Record<string, unknown>;
}

interface AlertDbRow {
  id: number; kind: AlertKind; severity: AlertSeverity; dedupe_key: string; origin: string | null; destination: string | null;
  subject: string | null; message: string; detail: string; raised_at: string; last_seen_at: string; occurrences: number;
  acknowledged_by: string | null; acknowledged_at: string | null; resolved_at: string | null;
}

function toRow(r: AlertDbRow): AlertRow {
  return {
    id: r.id, kind: r.kind, severity: r.severity, origin: r.origin, destination: r.destination, subject: r.subject, message: r.message,
    detail: JSON.parse(r.detail) as Record<string, unknown>, raisedAt: r.raised_at, lastSeenAt: r.last_seen_at, occurrences: r.occurrences,
    acknowledgedBy: r.acknowledged_by, acknowledgedAt: r.acknowledged_at, resolvedAt: r.resolved_at,
    status: r.resolved_at ? 'resolved' : r.acknowledged_at ? 'acknowledged' : 'open',
  };
}

export type AlertEmitter = (name: 'alert.raised' | 'alert.updated', row: AlertRow) => void;

export class AlertService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly emit: AlertEmitter = () => {},
  ) {}

  private now(): string { return this.clock.now().toISOString(); }

  thresholds(): AlertThresholds {
    const v = this.db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(SETTINGS_KEY) as string | undefined;
    return { ...DEFAULT_THRESHOLDS, ...(v ? JSON.parse(v) as Partial<AlertThresholds> : {}) };
  }

  setThresholds(actor: string, patch: Partial<AlertThresholds>): AlertThresholds {
    const at = this.now();
    return this.audit.tx(() => {
      const before = this.thresholds();
      const next = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as AlertThresholds;
      this.db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
        .run(SETTINGS_KEY, JSON.stringify(next), at);
      const changes = (Object.keys(next) as (keyof AlertThresholds)[]).filter((k) => next[k] !== before[k]).map((k) => `${k} ${before[k]} → ${next[k]}`);
      if (changes.length) this.audit.append([{ actor, entity: 'rule', entityId: SETTINGS_KEY, from: 'saved', to: 'saved', reason: `alert thresholds: ${changes.join(', ')}`, detail: { ...next } }], at);
      return next;
    });
  }

  /** Raises an alert, or counts another occurrence of the open one with the same dedupe key. */
  raise(a: AlertInput): AlertRow {
    const at = this.now();
    const open = this.db.prepare('SELECT * FROM alerts WHERE dedupe_key = ? AND resolved_at IS NULL').get(a.dedupeKey) as AlertDbRow | undefined;
    if (open) {
      this.db.prepare('UPDATE alerts SET last_seen_at = ?, occurrences = occurrences + 1, message = ?, detail = ?, severity = ? WHERE id = ?')
        .run(at, a.message, JSON.stringify(a.detail ?? {}), a.severity, open.id);
      const row = this.get(open.id)!;
      this.emit('alert.updated', row);
      return row;
    }
    const id = Number(this.db.prepare(`INSERT INTO alerts (kind, severity, dedupe_key, origin, destination, subject, message, detail, raised_at, last_seen_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(a.kind, a.severity, a.dedupeKey, a.origin ?? null, a.destination ?? null, a.subject ?? null, a.message,
      JSON.stringify(a.detail ?? {}), at, at).lastInsertRowid);
    const row = this.get(id)!;
    this.emit('alert.raised', row);
    return row;
  }

  /** Resolves the open alert of a cause; returns it, or null when none was open. */
  resolve(dedupeKey: string, why: string): AlertRow | null {
    const open = this.db.prepare('SELECT id, detail FROM alerts WHERE dedupe_key = ? AND resolved_at IS NULL').get(dedupeKey) as { id: number; detail: string } | undefined;
    if (!open) return null;
    const detail = { ...(JSON.parse(open.detail) as Record<string, unknown>), resolution: why };
    this.db.prepare('UPDATE alerts SET resolved_at = ?, detail = ? WHERE id = ?').run(this.now(), JSON.stringify(detail), open.id);
    const row = this.get(open.id)!;
    this.emit('alert.updated', row);
    return row;
  }

  get(id: number): AlertRow | null {
    const r = this.db.prepare('SELECT * FROM alerts WHERE id = ?').get(id) as AlertDbRow | undefined;
    return r ? toRow(r) : null;
  }

  acknowledge(actor: string, ids: readonly number[], note: string | null): number {
    const at = this.now();
    const changed = this.audit.tx(() => {
      const rows = this.db.prepare('SELECT * FROM alerts WHERE id IN (SELECT value FROM json_each(?)) AND acknowledged_at IS NULL AND resolved_at IS NULL')
        .all(JSON.stringify(ids)) as AlertDbRow[];
      const upd = this.db.prepare('UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ? WHERE id = ?');
      for (const r of rows) upd.run(actor, at, r.id);
      this.audit.append(rows.map((r) => ({ actor, entity: 'alert' as const, entityId: r.id, from: 'open', to: 'acknowledged', reason: note ? `acknowledged: ${note}` : `acknowledged: ${r.message}`.slice(0, 500) })), at);
      return rows.map((r) => r.id);
    });
    for (const id of changed) this.emit('alert.updated', this.get(id)!);
    return changed.length;
  }

  list(q: { status: 'open' | 'acknowledged' | 'resolved' | 'active' | 'all'; kind?: AlertKind; origin?: string; destination?: string; limit: number; offset: number }): { rows: AlertRow[]; total: number; open: number } {
    const w: string[] = [];
    const p: Record<string, unknown> = { limit: q.limit, offset: q.offset };
    if (q.status === 'open') w.push('resolved_at IS NULL AND acknowledged_at IS NULL');
    if (q.status === 'acknowledged') w.push('resolved_at IS NULL AND acknowledged_at IS NOT NULL');
    if (q.status === 'active') w.push('resolved_at IS NULL');
    if (q.status === 'resolved') w.push('resolved_at IS NOT NULL');
    if (q.kind) { w.push('kind = @kind'); p.kind = q.kind; }
    if (q.origin) { w.push('origin = @origin'); p.origin = q.origin; }
    if (q.destination) { w.push('destination = @destination'); p.destination = q.destination; }
    const where = w.length ? `WHERE ${w.join(' AND ')}` : '';
    const { limit: _l, offset: _o, ...cp } = p;
    return {
      rows: (this.db.prepare(`SELECT * FROM alerts ${where} ORDER BY resolved_at IS NOT NULL, last_seen_at DESC, id DESC LIMIT @limit OFFSET @offset`).all(p) as AlertDbRow[]).map(toRow),
      total: this.db.prepare(`SELECT count(*) FROM alerts ${where}`).pluck().get(cp) as number,
      open: this.db.prepare('SELECT count(*) FROM alerts WHERE resolved_at IS NULL AND acknowledged_at IS NULL').pluck().get() as number,
    };
  }

  // ------------------------------------------------------------------ checks

  /** Feed down or stale (no success for longer than the threshold); resolves when the feed is back. */
  checkFeed(s: FeedStatus): { raised: number; resolved: number } {
    const t = this.thresholds();
    const n = { raised: 0, resolved: 0 };
    const down = s.state === 'down';
    const age = s.lastSuccessAgeSeconds;
    if (down) {
      this.raise({ kind: 'feed_down', severity: 'critical', dedupeKey: `feed_down:${s.feed}`, subject: s.feed, message: `${s.label} is down: ${s.reason}`, detail: { breaker: s.breaker, endpoint: s.endpoint, lastSuccessAt: s.lastSuccessAt } });
      n.raised++;
    } else if (this.resolve(`feed_down:${s.feed}`, `${s.label} is ${s.state} again`)) {
      n.resolved++;
    }
    if (!down && s.state !== 'never' && age !== null && age > t.feedStaleMinutes * 60) {
      this.raise({ kind: 'feed_stale', severity: 'warning', dedupeKey: `feed_stale:${s.feed}`, subject: s.feed,
        message: `${s.label} has had no successful sync for ${Math.round(age / 60)} minutes (threshold ${t.feedStaleMinutes})`, detail: { lastSuccessAt: s.lastSuccessAt } });
      n.raised++;
    } else if (age !== null && age <= t.feedStaleMinutes * 60 && this.resolve(`feed_stale:${s.feed}`, `${s.label} synced at ${s.lastSuccessAt}`)) {
      n.resolved++;
    }
    return n;
  }

  /**
   * Little free space on the data folder's disk: a warning under the threshold, critical under a fifth
   * of it (a full disk stops every write); resolves when there is enough again.
   */
  checkDisk(space: DiskSpace): { raised: number; resolved: number } {
    const minGb = this.thresholds().diskFreeMinGb;
    const gb = (bytes: number) => Math.round(bytes / 1e8) / 10;
    const freeGb = gb(space.freeBytes);
    if (space.freeBytes < minGb * 1e9) {
      const critical = space.freeBytes < (minGb / 5) * 1e9;
      this.raise({
        kind: 'disk_low', severity: critical ? 'critical' : 'warning', dedupeKey: 'disk_low', subject: space.path,
        message: `The disk of the data folder ${space.path} has ${freeGb} GB free of ${gb(space.totalBytes)} GB (threshold ${minGb} GB). The store grows with every cycle; when the disk is full, nothing more is written: free space or move the data folder`,
        detail: { path: space.path, freeBytes: space.freeBytes, totalBytes: space.totalBytes, thresholdGb: minGb },
      });
      return { raised: 1, resolved: 0 };
    }
    return { raised: 0, resolved: this.resolve('disk_low', `${freeGb} GB free again`) ? 1 : 0 };
  }

  pushFailed(batch: PushBatchDbRow, error: string, decisions: number): void {
    this.raise({ kind: 'push_failed', severity: 'critical', dedupeKey: `push_failed:batch:${batch.id}`, subject: `batch ${batch.id}`,
      message: `Push batch ${batch.id} (${batch.items} ${batch.channel} item(s)) failed after ${batch.attempts} attempts: ${error}. ${decisions} decision(s) are failed; re-queue them to retry under the same idempotency key.`,
      detail: { batchId: batch.id, idempotencyKey: batch.idempotency_key, error } });
  }

  /** A batch answered: a push_failed alert on it (re-armed and now through) resolves; rejected items raise one per batch. */
  pushAnswered(batch: PushBatchDbRow, failedIds: readonly number[]): void {
    this.resolve(`push_failed:batch:${batch.id}`, `batch ${batch.id} answered: ${batch.accepted} accepted, ${batch.rejected} rejected`);
    if (failedIds.length) {
      this.raise({ kind: 'push_failed', severity: 'warning', dedupeKey: `push_rejected:batch:${batch.id}`, subject: `batch ${batch.id}`,
        message: `The PSS rejected ${failedIds.length} item(s) of batch ${batch.id}; they are failed with the PSS's reason and can be re-queued.`,
        detail: { batchId: batch.id, decisionIds: failedIds.slice(0, 100) } });
    }
  }

  /**
   * Proposed fare moves larger than the threshold: one alert per market, kept to what is pending (how many
   * fare proposals of the market move beyond it, and the largest), checked for each market of newly
   * proposed decisions; it resolves once none is left (approved, rejected, superseded or within it).
   * Authorisation levels and bid prices are left out: closing or reopening a nested class moves its
   * booking limit by up to 100 % as a matter of course.
   */
  proposed(rows: readonly ProposedRow[]): void {
    const markets = new Map<string, { origin: string; destination: string }>();
    for (const d of rows) if (d.kind === 'fare') markets.set(`${d.origin}-${d.destination}`, { origin: d.origin, destination: d.destination });
    if (markets.size === 0) return;
    const t = this.thresholds().largeMovePct;
    this.db.transaction(() => { for (const [m, k] of markets) this.checkLargeMoves(m, k.origin, k.destination, t); })();
  }

  /** After decisions leave `proposed` (approved, rejected, superseded…): rechecks the markets with an open large-move alert. */
  decided(): void {
    const open = this.db.prepare("SELECT subject, origin, destination FROM alerts WHERE kind = 'large_move' AND resolved_at IS NULL AND origin IS NOT NULL").all() as { subject: string; origin: string; destination: string }[];
    if (open.length === 0) return;
    const t = this.thresholds().largeMovePct;
    this.db.transaction(() => { for (const a of open) this.checkLargeMoves(a.subject, a.origin, a.destination, t); })();
  }

  /** The reads of checkLargeMoves, prepared once: all stay in the partial index decisions_pending_fare_moves. */
  private movesSql: { up: Statement; down: Statement; hi: Statement; lo: Statement } | null = null;

  private checkLargeMoves(m: string, origin: string, destination: string, t: number): void {
    const pending = "FROM decisions WHERE state = 'proposed' AND kind = 'fare' AND origin = ? AND destination = ?";
    const pick = `SELECT id, flight_id, rbd, current_value, proposed_value, change_pct ${pending} AND change_pct IS NOT NULL ORDER BY change_pct`;
    const q = this.movesSql ??= {
      up: this.db.prepare(`SELECT count(*) ${pending} AND change_pct > ?`).pluck(),
      down: this.db.prepare(`SELECT count(*) ${pending} AND change_pct < ?`).pluck(),
      hi: this.db.prepare(`${pick} DESC LIMIT 1`),
      lo: this.db.prepare(`${pick} ASC LIMIT 1`),
    };
    const up = q.up.get(origin, destination, t) as number;
    const down = q.down.get(origin, destination, -t) as number;
    const dk = `large_move:market:${m}`;
    if (up + down === 0) { this.resolve(dk, `no pending fare proposal for ${m} moves beyond ±${t} %`); return; }
    type Move = { id: number; flight_id: string; rbd: string; current_value: number | null; proposed_value: number | null; change_pct: number };
    const hi = q.hi.get(origin, destination) as Move;
    const lo = q.lo.get(origin, destination) as Move;
    const top = Math.abs(lo.change_pct) > Math.abs(hi.change_pct) ? lo : hi;
    this.raise({ kind: 'large_move', severity: 'warning', dedupeKey: dk, origin, destination, subject: m,
      message: `${up + down} pending fare proposal(s) for ${m} move beyond ±${t} % (${up} up, ${down} down); the largest, decision ${top.id} (${top.flight_id || m} ${top.rbd}), by ${top.change_pct >= 0 ? '+' : ''}${top.change_pct.toFixed(1)} %`,
      detail: { count: up + down, up, down, largest: { decisionId: top.id, currentValue: top.current_value, proposedValue: top.proposed_value, changePct: top.change_pct } } });
  }

  /**
   * Competitor undercut: for each own departure in the next `horizonDays`, our selling fare (the lowest
   * fare of an open class with seats in the cabin) against the lowest competitor fare observed for the
   * market and date; an alert per market when a competitor is below us by more than the threshold.
   */
  checkCompetitors(opts: { cabin?: string; horizonDays?: number } = {}): { raised: number; resolved: number } {
    const t = this.thresholds();
    const today = this.now().slice(0, 10);
    const until = addDays(today, opts.horizonDays ?? 60);
    const cabin = opts.cabin ?? 'Y';
    const own = this.db.prepare(`
      SELECT f.id, f.origin, f.destination, f.local_date, min(fa.amount_minor) AS own, fa.currency
        FROM flights f JOIN inventory i ON i.flight_id = f.id AND i.cabin = @cabin AND i.status = 'open' AND i.authorised > i.sold
        JOIN fares fa ON fa.id = (SELECT x.id FROM fares x WHERE x.carrier = f.carrier AND x.origin = f.origin AND x.destination = f.destination AND x.rbd = i.rbd
                                     AND x.valid_from <= f.local_date AND x.valid_to >= f.local_date AND x.flight_id IN ('', f.id)
                                   ORDER BY x.flight_id = '', x.updated_at DESC, x.id DESC LIMIT 1)
       WHERE f.carrier IN (SELECT code FROM carriers WHERE own = 1) AND f.local_date BETWEEN @today AND @until
       GROUP BY f.id`).all({ cabin, today, until }) as { id: string; origin: string; destination: string; local_date: string; own: number; currency: string }[];
    const comp = this.db.prepare(`SELECT carrier, amount_minor, currency, max(observed_at) AS observed_at FROM competitor_fares
       WHERE origin = ? AND destination = ? AND departure_date = ? AND cabin IN (?, '') GROUP BY carrier, currency`);
    const worst = new Map<string, { origin: string; destination: string; flights: { flightId: string; own: number; competitor: number; currency: string; carrier: string; pct: number }[] }>();
    const markets = new Set<string>();
    for (const o of own) {
      const mk = `${o.origin}-${o.destination}`;
      markets.add(mk);
      let best: { amount: number; carrier: string } | null = null;
      for (const c of comp.all(o.origin, o.destination, o.local_date, cabin) as { carrier: string; amount_minor: number; currency: string }[]) {
        const v = convertMinor(this.db, c.amount_minor, c.currency, o.currency, o.local_date);
        if (v !== null && (!best || v < best.amount)) best = { amount: v, carrier: c.carrier };
      }
      if (!best) continue;
      const pct = ((o.own - best.amount) / o.own) * 100;
      if (pct > t.competitorUndercutPct) {
        const w = worst.get(mk) ?? { origin: o.origin, destination: o.destination, flights: [] };
        w.flights.push({ flightId: o.id, own: o.own, competitor: best.amount, currency: o.currency, carrier: best.carrier, pct });
        worst.set(mk, w);
      }
    }
    let raised = 0;
    let resolved = 0;
    for (const mk of markets) {
      const w = worst.get(mk);
      if (w) {
        w.flights.sort((a, b) => b.pct - a.pct);
        const top = w.flights[0]!;
        this.raise({ kind: 'competitor_undercut', severity: 'warning', dedupeKey: `competitor_undercut:${mk}`, origin: w.origin, destination: w.destination, subject: mk,
          message: `${top.carrier} undercuts us on ${mk} on ${w.flights.length} departure(s) by more than ${t.competitorUndercutPct} %; worst ${top.flightId}: ${formatMoney({ amountMinor: Math.round(top.competitor), currency: top.currency })} against our ${formatMoney({ amountMinor: top.own, currency: top.currency })} (${(top.pct).toFixed(1)} % below)`,
          detail: { departures: w.flights.slice(0, 20) } });
        raised++;
      } else if (this.resolve(`competitor_undercut:${mk}`, 'no competitor below the threshold any more')) {
        resolved++;
      }
    }
    return { raised, resolved };
  }

  /** Forecast WAPE per market over departures of the last `days` days, against the threshold. */
  checkForecastError(days = 28): { raised: number; resolved: number } {
    const t = this.thresholds();
    const now = this.now();
    const rows = computeKpis(this.db, { dateFrom: addDays(now.slice(0, 10), -days), dateTo: now.slice(0, 10), now });
    let raised = 0;
    let resolved = 0;
    for (const r of rows) {
      if (r.scope !== 'market' || !r.forecast || r.forecast.wape === null) continue;
      const mk = `${r.origin}-${r.destination}`;
      if (r.forecast.wape > t.forecastWapePct) {
        this.raise({ kind: 'forecast_error', severity: 'warning', dedupeKey: `forecast_error:${mk}`, origin: r.origin, destination: r.destination, subject: mk,
          message: `Forecast error on ${mk}: WAPE ${r.forecast.wape.toFixed(1)} % (bias ${r.forecast.bias!.toFixed(1)} %) over ${r.forecast.pairs} departure-cabins of the last ${days} days, above ${t.forecastWapePct} %`,
          detail: { ...r.forecast } });
        raised++;
      } else if (this.resolve(`forecast_error:${mk}`, `WAPE ${r.forecast.wape.toFixed(1)} % is within the threshold`)) {
        resolved++;
      }
    }
    return { raised, resolved };
  }

  auditChecked(s: AuditStatus): void {
    if (s.ok) return;
    this.raise({ kind: 'audit_tampered', severity: 'critical', dedupeKey: 'audit_tampered', subject: 'audit_log',
      message: `The audit trail failed verification: ${s.problems.filter((p) => !['head_behind', 'head_file_missing'].includes(p.kind)).map((p) => p.message).slice(0, 3).join('; ')}`,
      detail: { problems: s.problems.slice(0, 20), rows: s.rows } });
  }
}
