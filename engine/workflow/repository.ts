/**
 * Decision rows in SQLite: mapping to the API's rows, and the one way a decision changes state —
 * `move`, which checks the lifecycle, updates the row only if it is still in the state the caller saw,
 * and appends the audit row in the same transaction.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { DecisionRow, OutboxItemRow, PushBatchRow } from '../api/contract/decisions';
import type { AuditEntry, AuditLog } from './audit';
import { assertTransition, type DecisionState } from './lifecycle';
import type { DecisionKind, DecisionSource, OverrideMode, PushChannel } from './types';

export interface DecisionDbRow {
  id: number; kind: DecisionKind; key: string; state: DecisionState; source: DecisionSource; sequence: number | null;
  carrier: string; origin: string; destination: string; flight_id: string; travel_date: string; travel_date_to: string;
  cabin: string; rbd: string; currency: string | null; current_value: number | null; recommended_value: number | null;
  proposed_value: number; change_pct: number | null; payload: string; cycle_id: string | null; recommendation_id: string | null;
  explanation: string; context: string; competitor_min_minor: number | null; competitor_carrier: string | null;
  forecast_demand: number | null; load_factor: number | null; guard_floor: number | null; guard_ceiling: number | null;
  guard_max_change_pct: number | null; outside_guardrails: number; guardrail_confirmed_by: string | null;
  override_of: number | null; override_mode: OverrideMode | null; override_reason: string | null;
  influence_pct: number | null; influence_half_life_days: number | null; expires_at: string | null;
  created_by: string; created_at: string; updated_at: string; decided_by: string | null; decided_at: string | null;
  decision_note: string | null; approval_rule: number | null; queued_at: string | null; pushed_at: string | null;
  pss_reference: string | null; failure_code: string | null; failure_reason: string | null; superseded_by: number | null;
  ended_at: string | null;
}

/** A decision row as the review list reads it: everything but the payload, explanation and context texts. */
export type DecisionListDbRow = Omit<DecisionDbRow, 'payload' | 'explanation' | 'context'> & { inv_sold: number | null; inv_authorised: number | null };

const LIST_COLUMNS = ['id', 'kind', 'key', 'state', 'source', 'sequence', 'carrier', 'origin', 'destination', 'flight_id', 'travel_date', 'travel_date_to',
  'cabin', 'rbd', 'currency', 'current_value', 'recommended_value', 'proposed_value', 'change_pct', 'cycle_id', 'recommendation_id',
  'competitor_min_minor', 'competitor_carrier', 'forecast_demand', 'load_factor', 'guard_floor', 'guard_ceiling', 'guard_max_change_pct',
  'outside_guardrails', 'guardrail_confirmed_by', 'override_of', 'override_mode', 'override_reason', 'influence_pct', 'influence_half_life_days',
  'expires_at', 'created_by', 'created_at', 'updated_at', 'decided_by', 'decided_at', 'decision_note', 'approval_rule', 'queued_at', 'pushed_at',
  'pss_reference', 'failure_code', 'failure_reason', 'superseded_by'] as const;

/** Decisions for review, with the RBD's sold / authorised now (departure-specific decisions). */
export const SELECT_DECISIONS = `SELECT ${LIST_COLUMNS.map((c) => `d.${c}`).join(', ')}, i.sold AS inv_sold, i.authorised AS inv_authorised
  FROM decisions d LEFT JOIN inventory i ON d.flight_id <> '' AND i.flight_id = d.flight_id AND i.rbd = d.rbd`;

/** Column positions of SELECT_DECISIONS, read with `.raw()` (arrays are much cheaper than objects for 100,000 rows). */
const AT = Object.fromEntries([...LIST_COLUMNS, 'inv_sold', 'inv_authorised'].map((c, i) => [c, i])) as Record<keyof DecisionListDbRow, number>;

/** Maps one raw row of SELECT_DECISIONS to the API's row. */
export function toDecisionRow(a: readonly unknown[]): DecisionRow {
  const r = <K extends keyof DecisionListDbRow>(k: K) => a[AT[k]] as DecisionListDbRow[K];
  const floor = r('guard_floor');
  const ceiling = r('guard_ceiling');
  const maxChange = r('guard_max_change_pct');
  const proposed = r('proposed_value');
  const comp = r('competitor_min_minor');
  const flight = r('flight_id');
  return {
    id: r('id'), kind: r('kind'), key: r('key'), state: r('state'), source: r('source'), sequence: r('sequence'),
    carrier: r('carrier'), origin: r('origin'), destination: r('destination'), flightId: flight || null,
    travelDate: r('travel_date'), travelDateTo: r('travel_date_to'), cabin: r('cabin'), rbd: r('rbd'), currency: r('currency'),
    currentValue: r('current_value'), recommendedValue: r('recommended_value'), proposedValue: proposed, changePct: r('change_pct'),
    competitorMinMinor: comp, competitorCarrier: r('competitor_carrier'),
    competitorDiffPct: r('kind') === 'fare' && comp ? ((proposed - comp) / comp) * 100 : null,
    forecastDemand: r('forecast_demand'), loadFactor: r('load_factor'), sold: r('inv_sold'), authorised: r('inv_authorised'),
    guardrails: floor !== null || ceiling !== null || maxChange !== null ? { floor, ceiling, maxChangePct: maxChange } : null,
    outsideGuardrails: r('outside_guardrails') === 1, guardrailConfirmedBy: r('guardrail_confirmed_by'),
    overrideOf: r('override_of'), overrideMode: r('override_mode'), overrideReason: r('override_reason'),
    influencePct: r('influence_pct'), influenceHalfLifeDays: r('influence_half_life_days'), expiresAt: r('expires_at'),
    cycleId: r('cycle_id'), recommendationId: r('recommendation_id'), createdBy: r('created_by'), createdAt: r('created_at'),
    updatedAt: r('updated_at'), decidedBy: r('decided_by'), decidedAt: r('decided_at'), decisionNote: r('decision_note'),
    approvalRule: r('approval_rule'), queuedAt: r('queued_at'), pushedAt: r('pushed_at'), pssReference: r('pss_reference'),
    failureCode: r('failure_code'), failureReason: r('failure_reason'), supersededBy: r('superseded_by'),
  };
}

/** Maps a whole decision row (as `SELECT *` gives it, e.g. from an archive file) to the API's row, without the inventory now. */
export function dbRowToDecisionRow(d: DecisionDbRow): DecisionRow {
  const row = d as unknown as Record<string, unknown>;
  return toDecisionRow([...LIST_COLUMNS.map((c) => row[c] ?? null), null, null]);
}

export interface OutboxItemDbRow {
  id: number; decision_id: number; channel: PushChannel; key: string; sequence: number; payload: string;
  status: OutboxItemRow['status']; batch_id: number | null; enqueued_at: string; answered_at: string | null;
  reference: string | null; code: string | null; reason: string | null;
}

export function toOutboxItemRow(r: OutboxItemDbRow): OutboxItemRow {
  return {
    id: r.id, decisionId: r.decision_id, channel: r.channel, key: r.key, sequence: r.sequence, status: r.status,
    batchId: r.batch_id, enqueuedAt: r.enqueued_at, answeredAt: r.answered_at, reference: r.reference, code: r.code, reason: r.reason,
  };
}

export interface PushBatchDbRow {
  id: number; channel: PushChannel; idempotency_key: string; status: PushBatchRow['status']; items: number; attempts: number;
  next_attempt_at: string; last_error: string | null; replayed: number | null; pss_received_at: string | null;
  accepted: number; rejected: number; created_at: string; answered_at: string | null;
}

export function toPushBatchRow(r: PushBatchDbRow): PushBatchRow {
  return {
    id: r.id, channel: r.channel, idempotencyKey: r.idempotency_key, status: r.status, items: r.items, attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at, lastError: r.last_error, replayed: r.replayed === null ? null : r.replayed === 1,
    pssReceivedAt: r.pss_received_at, accepted: r.accepted, rejected: r.rejected, createdAt: r.created_at, answeredAt: r.answered_at,
  };
}

/** Columns `move` may set beside the state. */
export type MoveColumns = Partial<Pick<DecisionDbRow,
  'sequence' | 'decided_by' | 'decided_at' | 'decision_note' | 'approval_rule' | 'queued_at' | 'pushed_at' | 'pss_reference' |
  'failure_code' | 'failure_reason' | 'superseded_by' | 'ended_at'>>;

export class StaleStateError extends Error {
  constructor(readonly decisionId: number, readonly expected: DecisionState) {
    super(`decision ${decisionId} changed while this was being done (it is no longer ${expected}); reload and try again`);
    this.name = 'StaleStateError';
  }
}

export class DecisionRepository {
  private readonly moveStmts = new Map<string, Statement>();
  private readonly getStmt: Statement;

  constructor(readonly db: Database, readonly audit: AuditLog) {
    this.getStmt = db.prepare('SELECT * FROM decisions WHERE id = ?');
  }

  get(id: number): DecisionDbRow | undefined {
    return this.getStmt.get(id) as DecisionDbRow | undefined;
  }

  /**
   * Moves decisions to `to` (inside a transaction). Each must still be in the state given; the audit
   * rows are appended in one go.
   */
  move(items: readonly { id: number; state: DecisionState }[], to: DecisionState, actor: string, reason: string, at: string,
    cols: MoveColumns = {}, detail?: (id: number) => Record<string, unknown> | undefined): void {
    if (items.length === 0) return;
    const names = Object.keys(cols).sort() as (keyof MoveColumns)[];
    const sig = names.join(',');
    let stmt = this.moveStmts.get(sig);
    if (!stmt) {
      stmt = this.db.prepare(`UPDATE decisions SET state = @to, updated_at = @at${names.map((n) => `, ${n} = @${n}`).join('')} WHERE id = @id AND state = @from`);
      this.moveStmts.set(sig, stmt);
    }
    const entries: AuditEntry[] = [];
    for (const d of items) {
      assertTransition(d.id, d.state, to);
      const res = stmt.run({ ...cols, to, at, id: d.id, from: d.state });
      if (res.changes !== 1) throw new StaleStateError(d.id, d.state);
      entries.push({ actor, entity: 'decision', entityId: d.id, from: d.state, to, reason, detail: detail?.(d.id) });
    }
    this.audit.append(entries, at);
  }
}
