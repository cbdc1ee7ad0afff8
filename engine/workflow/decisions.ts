/**
 * The decision service: pricing cycles write `recommended` decisions and publish them as `proposed`;
 * people propose (source manual) and override (replace until an expiry, or influence); revenue managers
 * approve or reject one or many in one transaction; approved decisions are queued in the outbox.
 * A newer decision for a key supersedes every older one not yet pushed. Every move is an audit row.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Clock } from '../domain/time';
import { GRID_COLUMNS, type BulkResult, type DecisionDetail, type DecisionFilter, type DecisionGridRow, type DecisionRow } from '../api/contract/decisions';
import type { AuditEntry, AuditLog } from './audit';
import { WorkflowError } from './errors';
import { filterSql } from './filter';
import { guardrailBreaches } from './guardrails';
import { applyInfluence, biasAt, type Influence } from './influence';
import { changePct, headlineOf, keyOf, pushPayloadOf, withHeadline } from './keys';
import { SUPERSEDABLE, TransitionError, assertTransition, canTransition, type DecisionState } from './lifecycle';
import { StoreLookups } from './lookups';
import { inSlices, type SliceOptions } from './slices';
import type { Outbox } from './outbox';
import {
  DecisionRepository, SELECT_DECISIONS, toDecisionRow, toOutboxItemRow,
  type DecisionDbRow, type OutboxItemDbRow,
} from './repository';
import type { DecisionContext, DecisionKind, DecisionPayload, ExplanationStep, Guardrails, OverrideMode, RecommendationInput } from './types';
import { decodeExplanation, encodeExplanation } from './explanationCodec';
import { decodeContext, encodeContext } from './contextCodec';
import { decodePayload, encodePayload, type PayloadRow } from './payloadCodec';
import { PUSHES_OF_KEY } from '../store/priceHistory';

/** A new proposal as its listeners see it. */
export type ProposedRow = Pick<DecisionDbRow, 'id' | 'kind' | 'origin' | 'destination' | 'state'>;

export interface DecisionServiceOptions {
  db: Database;
  clock: Clock;
  audit: AuditLog;
  repo: DecisionRepository;
  outbox: Outbox;
  /** the market's guardrails (pricing settings), for proposals and overrides that carry none */
  guardrailsFor?: (p: DecisionPayload) => Guardrails | null;
  /** after decisions moved (events, alerts, the push worker) */
  onChanged?: (ids: number[], to: DecisionState, by: string) => void;
  /** after decisions became proposed (large-move alerts), with their id, kind, market and state (not their texts) */
  onProposed?: (rows: ProposedRow[]) => void;
}

export interface IngestResult {
  cycleId: string;
  written: number;
  published: number;
  /** recommendations kept back by an override in force on their key */
  held: { id: number; key: string; by: number; reason: string }[];
  superseded: number;
  ids: number[];
  /**
   * with `keepStanding`: the live decisions (proposed, approved or queued) that already carry what a recommendation
   * proposes (same value against the same value in force), kept instead of a new decision
   */
  standing: number[];
}

export type Selection = { ids: number[]; filter?: undefined } | { ids?: undefined; filter: DecisionFilter };

/** Override fields of a new decision. */
interface OverrideFields {
  of: number;
  mode: OverrideMode;
  reason: string;
  expiresAt: string;
  influencePct: number | null;
  halfLifeDays: number | null;
}

interface NewDecision {
  payload: DecisionPayload;
  state: 'recommended' | 'proposed';
  source: DecisionRow['source'];
  flight: { carrier: string; origin: string; destination: string; travelDate: string; travelDateTo: string };
  currentValue: number | null;
  recommendedValue: number | null;
  value: number;
  cycleId: string | null;
  recommendationId: string | null;
  explanation: ExplanationStep[];
  context: DecisionContext;
  guardrails: Guardrails | null;
  outside: boolean;
  confirmedBy: string | null;
  override: OverrideFields | null;
  actor: string;
}

const SKIP_LIST_MAX = 500;
/** Review orders: by travel, a cabin's classes down its fare ladder (the decisions_review index), by size of change, newest first. */
const ORDER = {
  travel: 'd.travel_date, d.origin, d.destination, d.flight_id, d.cabin, d.rbd_rank, d.rbd, d.id',
  change: 'abs(d.change_pct) DESC NULLS LAST, d.id',
  created: 'd.id DESC',
} as const;

export class DecisionService {
  readonly repo: DecisionRepository;
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly audit: AuditLog;
  private readonly outbox: Outbox;

  constructor(private readonly opts: DecisionServiceOptions) {
    this.db = opts.db;
    this.clock = opts.clock;
    this.audit = opts.audit;
    this.repo = opts.repo;
    this.outbox = opts.outbox;
  }

  private now(): string { return this.clock.now().toISOString(); }

  private readonly stmts = new Map<string, Statement>();
  /** A prepared statement, prepared once per SQL text. */
  private q(sql: string): Statement {
    let st = this.stmts.get(sql);
    if (!st) { st = this.db.prepare(sql); this.stmts.set(sql, st); }
    return st;
  }


  // ---------------------------------------------------------------- reading

  list(filter: DecisionFilter, sort: 'travel' | 'change' | 'created', limit: number, offset: number): { rows: DecisionRow[]; total: number } {
    const { where, params } = filterSql(filter);
    const total = this.q(`SELECT count(*) FROM decisions d ${where}`).pluck().get(params) as number;
    const rows = this.q(`${SELECT_DECISIONS} ${where} ORDER BY ${ORDER[sort]} LIMIT @limit OFFSET @offset`).raw()
      .all({ ...params, limit, offset }) as unknown[][];
    return { rows: rows.map(toDecisionRow), total };
  }

  /** The review grid's compact rows, straight from SQL (GRID_COLUMNS order). */
  grid(filter: DecisionFilter, sort: 'travel' | 'change' | 'created', limit: number, offset: number): { columns: typeof GRID_COLUMNS; rows: DecisionGridRow[]; total: number } {
    const { where, params } = filterSql(filter);
    const total = this.q(`SELECT count(*) FROM decisions d ${where}`).pluck().get(params) as number;
    const rows = this.q(`SELECT d.id, d.kind, d.state, d.source, d.carrier, d.origin, d.destination, nullif(d.flight_id, ''), d.travel_date, d.cabin, d.rbd, d.currency,
        d.current_value, d.recommended_value, d.proposed_value, d.change_pct, d.competitor_min_minor, d.competitor_carrier, d.forecast_demand,
        d.load_factor, i.sold, i.authorised, d.outside_guardrails, d.override_mode, d.expires_at, d.decided_by, d.pushed_at, d.failure_code
      FROM decisions d LEFT JOIN inventory i ON d.flight_id <> '' AND i.flight_id = d.flight_id AND i.rbd = d.rbd
      ${where} ORDER BY ${ORDER[sort]} LIMIT @limit OFFSET @offset`).raw().all({ ...params, limit, offset }) as DecisionGridRow[];
    return { columns: GRID_COLUMNS, rows, total };
  }

  row(id: number): DecisionRow {
    const r = this.q(`${SELECT_DECISIONS} WHERE d.id = ?`).raw().get(id) as unknown[] | undefined;
    if (!r) throw new WorkflowError('not_found', this.missing(id), 'id');
    return toDecisionRow(r);
  }

  /** Why a decision is not in the store: never made, or moved to an archive file by retention. */
  private missing(id: number): string {
    const archivedFare = this.q('SELECT pushed_at FROM price_history WHERE decision_id = ?').pluck().get(id) as string | undefined;
    if (archivedFare) return `decision ${id} (a fare pushed ${archivedFare}, since replaced) was moved to an archive file in the data folder's archive/ by retention; its values stay in the price history`;
    const archives = this.q('SELECT count(*) FROM decision_archives').pluck().get() as number;
    const newest = (this.q('SELECT max(id) FROM decisions').pluck().get() as number | null) ?? 0;
    return archives > 0 && id > 0 && id < newest
      ? `decision ${id} is not in the store: retention has moved older decisions to ${archives} archive file(s) in the data folder's archive/ (the Archive screen and archive.decisions search them)`
      : `decision ${id} was not found`;
  }

  get(id: number): DecisionDetail {
    const row = this.row(id);
    const d = this.repo.get(id)!;
    const inf = this.activeInfluences().get(d.key);
    const payload = decodePayload(d.payload, d);
    const live = d.flight_id ? new StoreLookups(this.db).loadFactor(d.flight_id, d.cabin) : null;
    return {
      ...row,
      loadFactor: live ?? row.loadFactor,
      explanation: decodeExplanation(d.explanation),
      context: decodeContext(d.context),
      payload: pushPayloadOf(payload),
      history: this.audit.history('decision', id),
      pushes: (this.q('SELECT * FROM outbox_items WHERE decision_id = ? ORDER BY id').all(id) as OutboxItemDbRow[]).map(toOutboxItemRow),
      influenceNowPct: inf ? biasAt(inf, this.clock.now()) || null : null,
      pushedValues: (this.q(`SELECT id, pushed_at, current_value, proposed_value, archived FROM ${PUSHES_OF_KEY} ORDER BY pushed_at DESC, id DESC LIMIT 200`)
        .raw().all({ key: d.key }) as [number, string, number | null, number, number][])
        .map(([decisionId, pushedAt, fromValue, toValue, archived]) => ({ decisionId, pushedAt, fromValue, toValue, archived: archived === 1 })),
    };
  }

  // ---------------------------------------------------------------- pricing cycles

  /**
   * Writes a cycle's recommendations as `recommended` (an influence override in force on a key biases
   * its value, as an explanation step) and, unless publish is false, publishes them as `proposed`.
   */
  ingest(cycleId: string, recs: readonly RecommendationInput[], opts: { publish?: boolean; actor?: string; /** keep a live decision that already proposes the same move (IngestResult.standing) */ keepStanding?: boolean } = {}): IngestResult {
    const actor = opts.actor ?? 'system:pricing';
    const at = this.now();
    const lookups = new StoreLookups(this.db);
    const influences = this.activeInfluences();
    const ids: number[] = [];
    const publish = opts.publish !== false;
    const live = this.q(`SELECT id, state, proposed_value, current_value, outside_guardrails FROM decisions INDEXED BY decisions_key
      WHERE key = ? AND state IN ('proposed', 'approved', 'queued') ORDER BY id DESC LIMIT 1`);
    // a standing proposal still waiting for a person shows this cycle's reasons (forecast, competitors, explanation);
    // an approved or queued one keeps those it was approved on
    const refresh = this.q(`UPDATE decisions SET recommended_value = @recommended_value, explanation = @explanation, context = @context,
      competitor_min_minor = @competitor_min_minor, competitor_carrier = @competitor_carrier, forecast_demand = @forecast_demand, load_factor = @load_factor
      WHERE id = @id AND state = 'proposed'`);
    const result = this.audit.tx(() => {
      this.expireDueInTx(at);
      // published at once unless an override holds the key (publishInTx's rules: a new decision has no newer one)
      const holds = publish ? this.holds(at) : new Map<string, { id: number; reason: string }>();
      const published: number[] = [];
      const held: IngestResult['held'] = [];
      const standing: number[] = [];
      let superseded = 0;
      for (const [i, rec] of recs.entries()) {
        const where = `recommendation ${i}${rec.recommendationId ? ` (${rec.recommendationId})` : ''}`;
        const payload: DecisionPayload = rec.kind === 'fare' ? { kind: 'fare', fare: rec.fare } : { kind: rec.kind, control: rec.control };
        const key = keyOf(payload);
        const flight = this.whereOf(payload, rec.flight, lookups, where);
        let value = headlineOf(payload);
        const explanation = [...(rec.explanation ?? [])];
        const context: DecisionContext = { ...(rec.context ?? {}) };
        const inf = influences.get(key);
        const biased = inf ? applyInfluence(value, inf, this.clock.now()) : null;
        const recommendedValue = value;
        if (biased) {
          value = biased.value;
          explanation.push(biased.step);
          context.influence = { decisionId: inf!.decisionId, biasPct: biasAt(inf!, this.clock.now()) };
        }
        const finalPayload = biased ? withHeadline(payload, value) : payload;
        const current = rec.currentValue !== undefined ? rec.currentValue : lookups.currentValue(key, payload, flight.travelDate);
        this.fillContext(context, finalPayload, flight, lookups);
        const guardrails = rec.guardrails ?? this.opts.guardrailsFor?.(finalPayload) ?? null;
        const outside = guardrailBreaches(value, current, guardrails).length > 0;
        const hold = holds.get(key);
        if (opts.keepStanding && publish && !hold) {
          // the same move already waits for a person, or is approved or on its way to the PSS: it stands, and a
          // copy would only supersede it (an approval undone, the review's ids changed, two audit rows more)
          const l = live.get(key) as { id: number; state: string; proposed_value: number; current_value: number | null; outside_guardrails: number } | undefined;
          if (l && l.proposed_value === value && l.current_value === current && l.outside_guardrails === (outside ? 1 : 0)) {
            if (l.state === 'proposed') {
              const comp = context.competitor ?? null;
              refresh.run({
                id: l.id, recommended_value: recommendedValue, explanation: encodeExplanation(explanation), context: encodeContext(context),
                competitor_min_minor: comp?.minMinor ?? null, competitor_carrier: comp?.carrier ?? null, forecast_demand: context.forecastDemand ?? null, load_factor: context.loadFactor ?? null,
              });
            }
            standing.push(l.id);
            continue;
          }
        }
        superseded += this.supersedeWhere(key, 'recommended', Number.MAX_SAFE_INTEGER, actor, at, `a newer recommendation of cycle ${cycleId} replaces it`);
        const id = this.insert({
          payload: finalPayload, state: 'recommended', source: 'engine', flight, currentValue: current, recommendedValue, value,
          cycleId, recommendationId: rec.recommendationId ?? null, explanation, context, guardrails, outside, confirmedBy: null, override: null, actor,
        }, at, `pricing cycle ${cycleId}`, publish && !hold ? `published by cycle ${cycleId}` : undefined);
        ids.push(id);
        if (hold) held.push({ id, key, by: hold.id, reason: hold.reason });
        else if (publish) {
          superseded += this.supersedeOlder(key, id, actor, at);
          published.push(id);
        }
      }
      return { cycleId, written: ids.length, published: published.length, held, superseded, ids, standing };
    });
    if (result.published) this.opts.onProposed?.(this.proposedRows(ids).filter((r) => r.state === 'proposed'));
    this.opts.onChanged?.(ids, result.published ? 'proposed' : 'recommended', actor);
    return result;
  }

  /** Publishes recommended decisions (by id, or a whole cycle) as proposed. */
  publish(sel: { ids?: number[]; cycleId?: string }, actor: string): { published: number[]; held: IngestResult['held']; superseded: number } {
    const at = this.now();
    const ids = sel.ids ?? (this.q("SELECT id FROM decisions WHERE cycle_id = ? AND state = 'recommended' ORDER BY id").pluck().all(sel.cycleId) as number[]);
    const r = this.audit.tx(() => this.publishInTx(ids, actor, at));
    if (r.published.length) {
      this.opts.onProposed?.(this.proposedRows(r.published));
      this.opts.onChanged?.(r.published, 'proposed', actor);
    }
    return r;
  }

  private publishInTx(ids: readonly number[], actor: string, at: string): { published: number[]; held: IngestResult['held']; superseded: number } {
    const holds = this.holds(at);
    const published: number[] = [];
    const held: IngestResult['held'] = [];
    let superseded = 0;
    const newer = this.q("SELECT id FROM decisions WHERE key = ? AND id > ? AND state IN ('proposed', 'approved', 'queued', 'failed', 'pushed') ORDER BY id DESC LIMIT 1").pluck();
    for (const id of ids) {
      const d = this.repo.get(id);
      if (!d || d.state !== 'recommended') continue;
      const hold = holds.get(d.key);
      if (hold && hold.id !== d.id) { held.push({ id, key: d.key, by: hold.id, reason: hold.reason }); continue; }
      const later = newer.get(d.key, d.id) as number | undefined;
      if (later !== undefined) {
        this.repo.move([d], 'superseded', actor, `decision ${later} for the same key is newer`, at, { superseded_by: later, ended_at: at });
        superseded++;
        continue;
      }
      superseded += this.supersedeOlder(d.key, d.id, actor, at);
      this.repo.move([d], 'proposed', actor, `published by cycle ${d.cycle_id ?? '(none)'}`, at);
      published.push(id);
    }
    return { published, held, superseded };
  }

  // ---------------------------------------------------------------- people

  /** A person proposes a value for a key (source manual). */
  propose(actor: string, input: { payload: DecisionPayload; reason: string; confirmOutsideGuardrails: boolean; flight?: RecommendationInput['flight'] }): DecisionRow {
    const at = this.now();
    const lookups = new StoreLookups(this.db);
    const key = keyOf(input.payload);
    const flight = this.whereOf(input.payload, input.flight, lookups, 'the proposal');
    const value = headlineOf(input.payload);
    const current = lookups.currentValue(key, input.payload, flight.travelDate);
    const guardrails = this.opts.guardrailsFor?.(input.payload) ?? null;
    const outside = this.checkGuardrails(value, current, guardrails, input.confirmOutsideGuardrails);
    const context: DecisionContext = {};
    this.fillContext(context, input.payload, flight, lookups);
    const id = this.audit.tx(() => {
      const newId = this.insert({
        payload: input.payload, state: 'proposed', source: 'manual', flight, currentValue: current, recommendedValue: null, value,
        cycleId: null, recommendationId: null, explanation: [{ key: 'manual', label: `Proposed by ${actor}: ${input.reason}`, amount: value }],
        context, guardrails, outside, confirmedBy: outside ? actor : null, override: null, actor,
      }, at, `proposed by a person: ${input.reason}`);
      this.supersedeOlder(key, newId, actor, at);
      return newId;
    });
    this.opts.onProposed?.(this.proposedRows([id]));
    this.opts.onChanged?.([id], 'proposed', actor);
    return this.row(id);
  }

  /**
   * Overrides a decision with a reason: replace its value until an expiry, or influence (a bias the
   * engine keeps applying to this key's recommendations, decaying, until it expires).
   */
  override(actor: string, input: { id: number; mode: OverrideMode; value?: number; biasPct?: number; halfLifeDays: number; expiresAt: string; reason: string; confirmOutsideGuardrails: boolean }): DecisionRow {
    const at = this.now();
    const base = this.repo.get(input.id);
    if (!base) throw new WorkflowError('not_found', `decision ${input.id} was not found`, 'id');
    if (!['recommended', 'proposed', 'approved', 'queued', 'failed', 'pushed'].includes(base.state)) {
      const newest = this.q('SELECT id FROM decisions WHERE key = ? ORDER BY id DESC LIMIT 1').pluck().get(base.key) as number;
      throw new WorkflowError('conflict', `decision ${base.id} is ${base.state}; override the newest decision for this key (${newest}) instead`, 'id');
    }
    const newer = this.q("SELECT id FROM decisions WHERE key = ? AND id > ? AND state NOT IN ('rejected', 'superseded', 'expired') LIMIT 1").pluck().get(base.key, base.id) as number | undefined;
    if (newer !== undefined) throw new WorkflowError('conflict', `decision ${newer} for the same key is newer than ${base.id}; override that one`, 'id');
    if (input.expiresAt <= at) throw new WorkflowError('validation', `expiresAt ${input.expiresAt} is not in the future (now is ${at})`, 'expiresAt');
    const engineValue = base.recommended_value ?? base.proposed_value;
    const value = input.mode === 'replace' ? input.value! : Math.max(0, Math.round(engineValue * (1 + input.biasPct! / 100)));
    const guardrails = base.guard_floor !== null || base.guard_ceiling !== null || base.guard_max_change_pct !== null
      ? { floor: base.guard_floor, ceiling: base.guard_ceiling, maxChangePct: base.guard_max_change_pct }
      : this.opts.guardrailsFor?.(decodePayload(base.payload, base)) ?? null;
    const outside = this.checkGuardrails(value, base.current_value, guardrails, input.confirmOutsideGuardrails);
    const payload = withHeadline(decodePayload(base.payload, base), value);
    const explanation = decodeExplanation(base.explanation);
    if (explanation.length === 0) explanation.push({ key: 'base', label: `Value of decision ${base.id}`, amount: engineValue });
    const label = input.mode === 'replace'
      ? `Override by ${actor} (replace until ${input.expiresAt.slice(0, 16)}Z): ${input.reason}`
      : `Override by ${actor} (influence ${input.biasPct! > 0 ? '+' : ''}${input.biasPct} %, half-life ${input.halfLifeDays} d, until ${input.expiresAt.slice(0, 16)}Z): ${input.reason}`;
    if (value !== engineValue) explanation.push({ key: `override:${input.mode}`, label, amount: value - engineValue });
    const id = this.audit.tx(() => {
      const newId = this.insert({
        payload, state: 'proposed', source: 'override',
        flight: { carrier: base.carrier, origin: base.origin, destination: base.destination, travelDate: base.travel_date, travelDateTo: base.travel_date_to },
        currentValue: base.current_value, recommendedValue: engineValue, value, cycleId: base.cycle_id, recommendationId: base.recommendation_id,
        explanation, context: decodeContext(base.context), guardrails, outside, confirmedBy: outside ? actor : null,
        override: { of: base.id, mode: input.mode, reason: input.reason, expiresAt: input.expiresAt, influencePct: input.mode === 'influence' ? input.biasPct! : null, halfLifeDays: input.mode === 'influence' ? input.halfLifeDays : null },
        actor,
      }, at, `override (${input.mode}) of decision ${base.id}: ${input.reason}${outside ? ' — outside the guardrails, confirmed' : ''}`);
      this.supersedeOlder(base.key, newId, actor, at);
      return newId;
    });
    this.opts.onProposed?.(this.proposedRows([id]));
    this.opts.onChanged?.([id], 'proposed', actor);
    return this.row(id);
  }

  /** Approves proposed decisions and queues them for the PSS, all in one transaction. */
  approve(actor: string, sel: Selection, note: string | null, rule?: { id: number; why: (d: DecisionDbRow) => string }): BulkResult {
    const at = this.now();
    const result = this.audit.tx(() => {
      this.expireDueInTx(at);
      const { take, skipped } = this.select(sel, 'approved', at);
      const reason = (d: DecisionDbRow) => rule ? `auto-approved by rule ${rule.id}: ${rule.why(d)}` : `approved by ${actor}${note ? `: ${note}` : ''}`;
      for (const d of take) {
        this.repo.move([d], 'approved', actor, reason(d), at, { decided_by: actor, decided_at: at, decision_note: note, approval_rule: rule?.id ?? null },
          () => (rule ? { rule: rule.id } : undefined));
      }
      this.outbox.enqueue(take.map((d) => ({ ...d, state: 'approved' as const })), actor, at);
      return { changed: take.length, ids: take.map((d) => d.id), skipped: skipped.slice(0, SKIP_LIST_MAX), skippedTotal: skipped.length };
    });
    if (result.changed) this.opts.onChanged?.(result.ids, 'queued', actor);
    return result;
  }

  /**
   * Approves a selection of any size as many short transactions (engine/workflow/slices.ts), so the
   * event loop is free between them: the API and the auto-approval use this. A filter selects the
   * proposed decisions it matches when called; each slice checks its decisions' state again.
   */
  approveInSlices(actor: string, sel: Selection, note: string | null, rule?: { id: number; why: (d: DecisionDbRow) => string }, o?: SliceOptions): Promise<BulkResult> {
    return this.bulkInSlices(sel, (ids) => this.approve(actor, { ids }, note, rule), o);
  }

  /** Rejects a selection of any size in short transactions, as approveInSlices. */
  rejectInSlices(actor: string, sel: Selection, reason: string, o?: SliceOptions): Promise<BulkResult> {
    return this.bulkInSlices(sel, (ids) => this.reject(actor, { ids }, reason), o);
  }

  private async bulkInSlices(sel: Selection, step: (ids: number[]) => BulkResult, o?: SliceOptions): Promise<BulkResult> {
    let ids: number[];
    if (sel.ids) ids = sel.ids;
    else {
      const { where, params } = filterSql({ ...sel.filter, states: ['proposed'] });
      ids = this.q(`SELECT d.id FROM decisions d ${where} ORDER BY d.id`).pluck().all(params) as number[];
    }
    const total: BulkResult = { changed: 0, ids: [], skipped: [], skippedTotal: 0 };
    await this.audit.deferHeadWrites(() => inSlices(ids, (slice) => {
      const r = step([...slice]);
      total.changed += r.changed;
      for (const id of r.ids) total.ids.push(id);
      for (const s of r.skipped) if (total.skipped.length < SKIP_LIST_MAX) total.skipped.push(s);
      total.skippedTotal += r.skippedTotal;
    }, o));
    return total;
  }

  reject(actor: string, sel: Selection, reason: string): BulkResult {
    const at = this.now();
    const result = this.audit.tx(() => {
      const { take, skipped } = this.select(sel, 'rejected', at);
      this.repo.move(take, 'rejected', actor, `rejected by ${actor}: ${reason}`, at, { decided_by: actor, decided_at: at, decision_note: reason, ended_at: at });
      return { changed: take.length, ids: take.map((d) => d.id), skipped: skipped.slice(0, SKIP_LIST_MAX), skippedTotal: skipped.length };
    });
    if (result.changed) this.opts.onChanged?.(result.ids, 'rejected', actor);
    return result;
  }

  /** Queues failed decisions again (see Outbox.requeue). */
  requeue(actor: string, sel: { ids?: number[]; allFailed?: boolean }): BulkResult & { batchesRearmed: number[] } {
    const at = this.now();
    const result = this.audit.tx(() => {
      const rows = sel.allFailed
        ? this.q("SELECT * FROM decisions WHERE state = 'failed' ORDER BY id").all() as DecisionDbRow[]
        : this.rowsByIds(sel.ids ?? []);
      const found = new Set(rows.map((r) => r.id));
      const skipped: BulkResult['skipped'] = [];
      for (const id of sel.ids ?? []) if (!found.has(id)) skipped.push({ id, state: null, reason: `decision ${id} was not found` });
      const take = rows.filter((d) => {
        if (d.state === 'failed') return true;
        skipped.push({ id: d.id, state: d.state, reason: new TransitionError(d.id, d.state, 'queued').message });
        return false;
      });
      const r = this.outbox.requeue(take, actor, at);
      // decisions of a failed batch that were superseded meanwhile: re-arm their batch when asked for all
      if (sel.allFailed) {
        const orphans = this.q("SELECT id FROM push_batches WHERE status = 'failed' ORDER BY id").pluck().all() as number[];
        for (const b of orphans) { r.requeued.push(...this.outbox.rearm(b, actor, at)); r.batchesRearmed.push(b); }
      }
      return { changed: r.requeued.length, ids: r.requeued, skipped: skipped.slice(0, SKIP_LIST_MAX), skippedTotal: skipped.length, batchesRearmed: r.batchesRearmed };
    });
    if (result.changed || result.batchesRearmed.length) this.opts.onChanged?.(result.ids, 'queued', actor);
    return result;
  }

  /**
   * Moves overrides past their expiry to expired and publishes what they held back; and the proposals of
   * flights that have departed before anyone decided on them (nothing can be pushed for a flight that left:
   * they would wait in the review queue, first in its date order, for ever).
   */
  expireDue(): { expired: number[]; published: number[] } {
    const at = this.now();
    const r = this.audit.tx(() => {
      const due = this.expireDueInTx(at);
      return { ...due, expired: [...due.expired, ...this.expireDepartedInTx(at)] };
    });
    if (r.expired.length) this.opts.onChanged?.(r.expired, 'expired', 'system:expiry');
    if (r.published.length) {
      this.opts.onProposed?.(this.proposedRows(r.published));
      this.opts.onChanged?.(r.published, 'proposed', 'system:expiry');
    }
    return r;
  }

  private expireDueInTx(at: string): { expired: number[]; published: number[] } {
    // INDEXED BY: without statistics the planner prefers decisions_state and scans every live decision
    const due = this.q(`SELECT * FROM decisions INDEXED BY decisions_due WHERE expires_at IS NOT NULL AND expires_at <= ?
      AND state IN ('proposed', 'approved', 'queued', 'failed', 'pushed') ORDER BY id`).all(at) as DecisionDbRow[];
    const expired: number[] = [];
    const keys = new Set<string>();
    for (const d of due) {
      if (d.state === 'queued' && this.outbox.cancelWaiting(d.id, at) === 'in_batch') continue; // expires once its batch is answered
      this.repo.move([d], 'expired', 'system:expiry', `the override expired at ${d.expires_at}`, at, { ended_at: at });
      expired.push(d.id);
      keys.add(d.key);
    }
    const published: number[] = [];
    for (const key of keys) {
      const waiting = this.q("SELECT id FROM decisions WHERE key = ? AND state = 'recommended' ORDER BY id DESC LIMIT 1").pluck().get(key) as number | undefined;
      if (waiting !== undefined) published.push(...this.publishInTx([waiting], 'system:expiry', at).published);
    }
    return { expired, published };
  }

  /** The proposals (waiting for a person) of flights that departed by `at` become expired, with the departure in the reason. */
  private expireDepartedInTx(at: string): number[] {
    // a departure's local date is at most a day after its UTC date: the review index narrows to those dates
    const lastDate = new Date(Date.parse(at) + 86_400_000).toISOString().slice(0, 10);
    const gone = this.q(`SELECT d.id, d.state, f.departure_utc AS departed FROM decisions d INDEXED BY decisions_state_travel JOIN flights f ON f.id = d.flight_id
      WHERE d.state = 'proposed' AND d.travel_date <= ? AND d.flight_id <> '' AND f.departure_utc <= ? ORDER BY d.id`).all(lastDate, at) as { id: number; state: DecisionState; departed: string }[];
    const byDeparture = new Map<string, { id: number; state: DecisionState }[]>();
    for (const g of gone) (byDeparture.get(g.departed) ?? byDeparture.set(g.departed, []).get(g.departed)!).push(g);
    for (const [departed, rows] of byDeparture) this.repo.move(rows, 'expired', 'system:expiry', `the flight departed at ${departed} before a decision`, at, { ended_at: at });
    return gone.map((g) => g.id);
  }

  // ---------------------------------------------------------------- internals

  /** Influence overrides in force, by key: approved, not expired, not followed by a newer person's decision. */
  activeInfluences(at: string = this.now()): Map<string, Influence> {
    const rows = this.q(`SELECT d.id, d.key, d.influence_pct, d.influence_half_life_days, d.decided_at, d.expires_at, d.created_by, d.override_reason
      FROM decisions d INDEXED BY decisions_influences WHERE d.override_mode = 'influence' AND d.decided_by IS NOT NULL AND d.state NOT IN ('rejected', 'expired') AND d.expires_at > ?
        AND NOT EXISTS (SELECT 1 FROM decisions n WHERE n.key = d.key AND n.id > d.id AND n.source IN ('manual', 'override') AND n.state <> 'rejected')
      ORDER BY d.id`).all(at) as { id: number; key: string; influence_pct: number; influence_half_life_days: number; decided_at: string; expires_at: string; created_by: string; override_reason: string }[];
    return new Map(rows.map((r) => [r.key, {
      decisionId: r.id, key: r.key, biasPct: r.influence_pct, halfLifeDays: r.influence_half_life_days,
      startedAt: r.decided_at, expiresAt: r.expires_at, by: r.created_by, reason: r.override_reason,
    }]));
  }

  /** Keys a person's override holds: a replace override in force, or an influence override awaiting a decision. */
  private holds(at: string): Map<string, { id: number; reason: string }> {
    const rows = this.q(`SELECT id, key, override_mode, expires_at FROM decisions INDEXED BY decisions_overrides WHERE source = 'override' AND (
        (override_mode = 'replace' AND state IN ('proposed', 'approved', 'queued', 'failed', 'pushed') AND expires_at > @at)
        OR (override_mode = 'influence' AND state = 'proposed'))`).all({ at }) as { id: number; key: string; override_mode: OverrideMode; expires_at: string }[];
    return new Map(rows.map((r) => [r.key, {
      id: r.id,
      reason: r.override_mode === 'replace' ? `override ${r.id} replaces the recommendation until ${r.expires_at}` : `influence override ${r.id} awaits approval`,
    }]));
  }

  private checkGuardrails(value: number, current: number | null, g: Guardrails | null, confirmed: boolean): boolean {
    const breaches = guardrailBreaches(value, current, g);
    if (breaches.length && !confirmed) {
      throw new WorkflowError('conflict', `outside the guardrails: ${breaches.map((b) => b.message).join('; ')}. Confirm with confirmOutsideGuardrails: true to go ahead; it will be marked.`, 'confirmOutsideGuardrails');
    }
    return breaches.length > 0;
  }

  private whereOf(p: DecisionPayload, given: RecommendationInput['flight'], lookups: StoreLookups, where: string): NewDecision['flight'] {
    if (p.kind === 'fare') {
      const f = p.fare;
      const date = f.flightId ? (lookups.flight(f.flightId)?.localDate ?? given?.localDate ?? f.validFrom) : f.validFrom;
      return { carrier: f.carrier, origin: f.origin, destination: f.destination, travelDate: date, travelDateTo: f.flightId ? date : f.validTo };
    }
    const fl = lookups.flight(p.control.flightId) ?? given;
    if (!fl) throw new WorkflowError('validation', `${where}: flight ${p.control.flightId} is not in the store; sync the PSS first or give flight (carrier, origin, destination, localDate)`, 'control.flightId');
    return { carrier: fl.carrier, origin: fl.origin, destination: fl.destination, travelDate: fl.localDate, travelDateTo: fl.localDate };
  }

  private fillContext(c: DecisionContext, p: DecisionPayload, flight: NewDecision['flight'], lookups: StoreLookups): void {
    const flightId = p.kind === 'fare' ? p.fare.flightId : p.control.flightId;
    const cabin = p.kind === 'fare' ? p.fare.cabin : p.control.cabin;
    if (c.competitor === undefined && p.kind === 'fare' && flight.travelDate === flight.travelDateTo) {
      c.competitor = lookups.competitor(flight.origin, flight.destination, flight.travelDate, cabin, p.fare.currency);
    }
    if (c.loadFactor === undefined && flightId) c.loadFactor = lookups.loadFactor(flightId, cabin);
  }

  /**
   * Inserts a decision in `n.state` with its audit row. `publishedAs` (a recommendation published in
   * the same transaction) writes the row as proposed at once, with both audit rows (∅ → recommended,
   * recommended → proposed): one write of the row and its indexes instead of an insert and a move.
   */
  private insert(n: NewDecision, at: string, reason: string, publishedAs?: string): number {
    const p = n.payload;
    const flightId = p.kind === 'fare' ? (p.fare.flightId ?? '') : p.control.flightId;
    const cabin = p.kind === 'fare' ? p.fare.cabin : p.control.cabin;
    const rbd = p.kind === 'fare' ? p.fare.rbd : p.control.rbd;
    const currency = p.kind === 'fare' ? p.fare.currency : p.kind === 'bid_price' ? p.control.currency : null;
    const o = n.override;
    const comp = n.context.competitor ?? null;
    const row: PayloadRow = {
      kind: p.kind, carrier: n.flight.carrier, origin: n.flight.origin, destination: n.flight.destination,
      flight_id: flightId, travel_date: n.flight.travelDate, travel_date_to: n.flight.travelDateTo, cabin, rbd, currency, proposed_value: n.value,
    };
    // the columns listed, not spread from `row`: with a spread into this 40-key literal the bench published its
    // 10,000 recommendations in 0.9 s instead of 0.43 s (the time in this function's own code, V8)
    const id = Number(this.insertStmt.run({
      kind: row.kind, key: keyOf(p), state: publishedAs === undefined ? n.state : 'proposed', source: n.source, carrier: row.carrier, origin: row.origin,
      destination: row.destination, flight_id: row.flight_id, travel_date: row.travel_date, travel_date_to: row.travel_date_to, cabin, rbd, currency,
      current_value: n.currentValue, recommended_value: n.recommendedValue, proposed_value: n.value, change_pct: changePct(n.currentValue, n.value),
      payload: encodePayload(p, row), cycle_id: n.cycleId, recommendation_id: n.recommendationId, explanation: encodeExplanation(n.explanation),
      context: encodeContext(n.context), competitor_min_minor: comp?.minMinor ?? null, competitor_carrier: comp?.carrier ?? null,
      forecast_demand: n.context.forecastDemand ?? null, load_factor: n.context.loadFactor ?? null,
      guard_floor: n.guardrails?.floor ?? null, guard_ceiling: n.guardrails?.ceiling ?? null, guard_max_change_pct: n.guardrails?.maxChangePct ?? null,
      outside_guardrails: n.outside ? 1 : 0, guardrail_confirmed_by: n.confirmedBy,
      override_of: o?.of ?? null, override_mode: o?.mode ?? null, override_reason: o?.reason ?? null, influence_pct: o?.influencePct ?? null,
      influence_half_life_days: o?.halfLifeDays ?? null, expires_at: o?.expiresAt ?? null, created_by: n.actor, created_at: at,
    }).lastInsertRowid);
    const entries: AuditEntry[] = [{ actor: n.actor, entity: 'decision', entityId: id, from: null, to: n.state, reason, detail: { key: keyOf(p), value: n.value, source: n.source } }];
    if (publishedAs !== undefined) {
      assertTransition(id, n.state, 'proposed');
      entries.push({ actor: n.actor, entity: 'decision', entityId: id, from: n.state, to: 'proposed', reason: publishedAs });
    }
    this.audit.append(entries, at);
    return id;
  }

  private get insertStmt() {
    return this.q(`INSERT INTO decisions (kind, key, state, source, carrier, origin, destination, flight_id, travel_date, travel_date_to, cabin, rbd, currency,
      current_value, recommended_value, proposed_value, change_pct, payload, cycle_id, recommendation_id, explanation, context, competitor_min_minor,
      competitor_carrier, forecast_demand, load_factor, guard_floor, guard_ceiling, guard_max_change_pct, outside_guardrails, guardrail_confirmed_by,
      override_of, override_mode, override_reason, influence_pct, influence_half_life_days, expires_at, created_by, created_at, updated_at, rbd_rank)
      VALUES (@kind, @key, @state, @source, @carrier, @origin, @destination, @flight_id, @travel_date, @travel_date_to, @cabin, @rbd, @currency,
      @current_value, @recommended_value, @proposed_value, @change_pct, @payload, @cycle_id, @recommendation_id, @explanation, @context, @competitor_min_minor,
      @competitor_carrier, @forecast_demand, @load_factor, @guard_floor, @guard_ceiling, @guard_max_change_pct, @outside_guardrails, @guardrail_confirmed_by,
      @override_of, @override_mode, @override_reason, @influence_pct, @influence_half_life_days, @expires_at, @created_by, @created_at, @created_at,
      coalesce((SELECT rank FROM rbds WHERE carrier = @carrier AND rbd = @rbd), 0))`);
  }

  /**
   * Withdraws the engine's proposals of earlier cycles that a newer cycle no longer makes: for each item (a
   * departure's fare or authorisation of an RBD, or bid price of a cabin) that cycle `cycleId` recommends
   * keeping at the value in force, or moving by less than is worth filing, the engine's pending `proposed`
   * decisions of other cycles become `superseded` with `reason` (without it, a proposal of yesterday's view
   * would wait in the review queue, and could be approved, after today's cycle says to leave the value
   * alone). An item of kind null stands for every proposal of its departure (one the cycle no longer prices).
   * People's proposals and overrides, and what is approved or queued, are left as they are.
   */
  withdrawStale(cycleId: string, items: readonly { flightId: string; origin: string; destination: string; travelDate: string; kind: DecisionKind | null; rbd: string; cabin: string; reason: string }[], actor = 'system:pricing'): number[] {
    if (items.length === 0) return [];
    const at = this.now();
    const byFlight = new Map<string, typeof items[number][]>();
    for (const it of items) (byFlight.get(it.flightId) ?? byFlight.set(it.flightId, []).get(it.flightId)!).push(it);
    // the pending decisions of a departure: the state and travel index's prefix, then the row for its source and cycle
    const pending = this.q(`SELECT id, state, kind, rbd, cabin, source, cycle_id FROM decisions INDEXED BY decisions_state_travel
      WHERE state = 'proposed' AND travel_date = ? AND origin = ? AND destination = ? AND flight_id = ?`);
    const withdrawn: number[] = [];
    this.audit.tx(() => {
      for (const [flightId, list] of byFlight) {
        const first = list[0]!;
        const rows = pending.all(first.travelDate, first.origin, first.destination, flightId) as (Pick<DecisionDbRow, 'id' | 'state' | 'kind' | 'rbd' | 'cabin' | 'source'> & { cycle_id: string | null })[];
        for (const d of rows) {
          if (d.source !== 'engine' || d.cycle_id === cycleId) continue;
          const it = list.find((x) => x.kind === null || (x.kind === d.kind && (d.kind === 'bid_price' ? x.cabin === d.cabin : x.rbd === d.rbd)));
          if (!it) continue;
          this.repo.move([d], 'superseded', actor, it.reason, at, { ended_at: at });
          withdrawn.push(d.id);
        }
      }
    });
    if (withdrawn.length) this.opts.onChanged?.(withdrawn, 'superseded', actor);
    return withdrawn;
  }

  /** Supersedes every older decision of the key not yet pushed. */
  private supersedeOlder(key: string, newId: number, actor: string, at: string): number {
    return this.supersedeWhere(key, null, newId, actor, at, `decision ${newId} for the same key is newer`, newId);
  }

  private supersedeWhere(key: string, only: DecisionState | null, belowId: number, actor: string, at: string, reason: string, by: number | null = null): number {
    const states = only ? [only] : SUPERSEDABLE;
    // id and state are all a move needs (not the row's payload, explanation and context texts)
    const rows = this.q(`SELECT id, state FROM decisions WHERE key = ? AND id < ? AND state IN (SELECT value FROM json_each(?)) ORDER BY id`)
      .all(key, belowId, JSON.stringify(states)) as Pick<DecisionDbRow, 'id' | 'state'>[];
    for (const d of rows) {
      const waiting = d.state === 'queued' ? this.outbox.cancelWaiting(d.id, at) : 'none';
      this.repo.move([d], 'superseded', actor, waiting === 'in_batch' ? `${reason} (already in a push batch, which is sent unchanged)` : reason, at,
        { superseded_by: by, ended_at: at });
    }
    return rows.length;
  }

  private proposedRows(ids: readonly number[]): ProposedRow[] {
    if (ids.length === 0) return [];
    return this.q('SELECT id, kind, origin, destination, state FROM decisions WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').all(JSON.stringify(ids)) as ProposedRow[];
  }

  private rowsByIds(ids: readonly number[]): DecisionDbRow[] {
    if (ids.length === 0) return [];
    return this.q('SELECT * FROM decisions WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').all(JSON.stringify(ids)) as DecisionDbRow[];
  }

  /** The selected decisions that may make the move (proposed and unexpired), and why the others may not. */
  private select(sel: Selection, to: 'approved' | 'rejected', at: string): { take: DecisionDbRow[]; skipped: BulkResult['skipped'] } {
    let rows: DecisionDbRow[];
    const skipped: BulkResult['skipped'] = [];
    if (sel.ids) {
      rows = this.rowsByIds(sel.ids);
      const found = new Set(rows.map((r) => r.id));
      for (const id of sel.ids) if (!found.has(id)) skipped.push({ id, state: null, reason: `decision ${id} was not found` });
    } else {
      const { where, params } = filterSql({ ...sel.filter, states: ['proposed'] });
      rows = this.q(`SELECT d.* FROM decisions d ${where} ORDER BY d.id`).all(params) as DecisionDbRow[];
    }
    const take: DecisionDbRow[] = [];
    for (const d of rows) {
      if (!canTransition(d.state, to)) skipped.push({ id: d.id, state: d.state, reason: new TransitionError(d.id, d.state, to).message });
      else if (d.state !== 'proposed') skipped.push({ id: d.id, state: d.state, reason: `decision ${d.id} is ${d.state}; only proposed decisions can be ${to}` });
      else if (d.expires_at !== null && d.expires_at <= at) skipped.push({ id: d.id, state: d.state, reason: `decision ${d.id} expired at ${d.expires_at}` });
      else take.push(d);
    }
    return { take, skipped };
  }
}
