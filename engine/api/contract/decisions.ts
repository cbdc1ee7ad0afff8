/**
 * Decisions: review proposals (fares, authorisation levels, bid prices) with their recommendation,
 * explanation, competitor position, forecast and load factor; propose, override, approve or reject one
 * or many; push to the PSS through the outbox; audit history; auto-approval rules.
 */
import { z } from 'zod';
import { method } from './define';
import { iataAirport, carrierCode, isoDate, rbdCode, limit } from './common';
import { DECISION_STATES, type DecisionState } from '../../workflow/lifecycle';
import { DECISION_KINDS, type DecisionKind, type DecisionSource, type OverrideMode, type ExplanationStep, type DecisionContext, type Guardrails, type PushChannel } from '../../workflow/types';
import type { Fare } from '../../domain/types';
import { AUDIT_ENTITIES } from '../../domain/audit';
import type { InventoryControl } from '../../ports/pss';
import type { DecisionWhatIfResult } from '../../whatif/decisionWhatIf';

export type { DecisionState, DecisionKind, DecisionSource, OverrideMode, ExplanationStep, DecisionContext, Guardrails, PushChannel };
export type { DecisionWhatIfResult, FlightWhatIf, WhatIfOutcomeSummary, RevenueDifference, WhatIfCabinCalibration, Distribution as WhatIfDistribution } from '../../whatif/decisionWhatIf';

const ROLES_DECIDE = ['revenue_manager', 'admin'] as const;
const ROLES_PROPOSE = ['analyst', 'revenue_manager', 'admin'] as const;

export interface DecisionRow {
  id: number;
  kind: DecisionKind;
  key: string;
  state: DecisionState;
  source: DecisionSource;
  /** the PSS sequence for its key, set when first queued */
  sequence: number | null;
  carrier: string;
  origin: string;
  destination: string;
  /** the departure for flight-specific decisions, null for a market fare */
  flightId: string | null;
  /** local departure date, or the first travel date of a fare's validity */
  travelDate: string;
  travelDateTo: string;
  cabin: string;
  rbd: string;
  /** currency of fares and bid prices; null for authorisation levels (seats) */
  currency: string | null;
  currentValue: number | null;
  recommendedValue: number | null;
  proposedValue: number;
  /** proposed against current, percent */
  changePct: number | null;
  competitorMinMinor: number | null;
  competitorCarrier: string | null;
  /** proposed against the competitor minimum, percent (fares only, same currency) */
  competitorDiffPct: number | null;
  forecastDemand: number | null;
  loadFactor: number | null;
  /** the RBD's sold and authorised seats now (departure-specific decisions) */
  sold: number | null;
  authorised: number | null;
  guardrails: Guardrails | null;
  outsideGuardrails: boolean;
  guardrailConfirmedBy: string | null;
  overrideOf: number | null;
  overrideMode: OverrideMode | null;
  overrideReason: string | null;
  influencePct: number | null;
  influenceHalfLifeDays: number | null;
  expiresAt: string | null;
  cycleId: string | null;
  recommendationId: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  approvalRule: number | null;
  queuedAt: string | null;
  pushedAt: string | null;
  pssReference: string | null;
  failureCode: string | null;
  failureReason: string | null;
  supersededBy: number | null;
}

/**
 * The review grid's rows, compact: one array per decision in GRID_COLUMNS order (no keys repeated per
 * row, no per-row conversion), for loading 100,000 proposals at once. `outsideGuardrails` is 0 or 1.
 */
export const GRID_COLUMNS = [
  'id', 'kind', 'state', 'source', 'carrier', 'origin', 'destination', 'flightId', 'travelDate', 'cabin', 'rbd', 'currency',
  'currentValue', 'recommendedValue', 'proposedValue', 'changePct', 'competitorMinMinor', 'competitorCarrier', 'forecastDemand',
  'loadFactor', 'sold', 'authorised', 'outsideGuardrails', 'overrideMode', 'expiresAt', 'decidedBy', 'pushedAt', 'failureCode',
] as const;
export type DecisionGridRow = [
  id: number, kind: DecisionKind, state: DecisionState, source: DecisionSource, carrier: string, origin: string, destination: string,
  flightId: string | null, travelDate: string, cabin: string, rbd: string, currency: string | null,
  currentValue: number | null, recommendedValue: number | null, proposedValue: number, changePct: number | null,
  competitorMinMinor: number | null, competitorCarrier: string | null, forecastDemand: number | null,
  loadFactor: number | null, sold: number | null, authorised: number | null, outsideGuardrails: 0 | 1, overrideMode: OverrideMode | null,
  expiresAt: string | null, decidedBy: string | null, pushedAt: string | null, failureCode: string | null,
];

export interface AuditRowOut {
  seq: number;
  at: string;
  actor: string;
  entity: string;
  entityId: string;
  from: string | null;
  to: string;
  reason: string;
  detail: Record<string, unknown>;
  hash: string;
  /** a decision's row: what the decision is about ("fare DF313 AMS-FRA 2026-12-10 Y/B"); null when it is no longer in the store (archived) */
  about?: string | null;
}

export interface OutboxItemRow {
  id: number;
  decisionId: number;
  channel: PushChannel;
  key: string;
  sequence: number;
  status: 'queued' | 'batched' | 'accepted' | 'rejected' | 'cancelled' | 'failed';
  batchId: number | null;
  enqueuedAt: string;
  answeredAt: string | null;
  reference: string | null;
  code: string | null;
  reason: string | null;
}

export interface DecisionDetail extends DecisionRow {
  explanation: ExplanationStep[];
  context: DecisionContext;
  /** what the PSS receives */
  payload: Fare | InventoryControl;
  history: AuditRowOut[];
  pushes: OutboxItemRow[];
  /** the bias this key's recommendations carry now, if an influence override is in force */
  influenceNowPct: number | null;
  /**
   * the values pushed for this decision's key, newest first (at most 200): the decisions in the store and
   * the replaced fares retention moved to the archive, whose values stay in the price history
   */
  pushedValues: PushedValue[];
}

export interface PushedValue {
  decisionId: number;
  pushedAt: string;
  /** the value in force before the push (null: none known) */
  fromValue: number | null;
  toValue: number;
  /** the decision itself is in an archive file (retention); its values are in the price history */
  archived: boolean;
}

export interface PushBatchRow {
  id: number;
  channel: PushChannel;
  idempotencyKey: string;
  status: 'pending' | 'answered' | 'failed';
  items: number;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  replayed: boolean | null;
  pssReceivedAt: string | null;
  accepted: number;
  rejected: number;
  createdAt: string;
  answeredAt: string | null;
}

export interface QueueStatus {
  /** items waiting to be put in a batch */
  queued: number;
  pendingBatches: number;
  /** batches whose retries are spent with the outcome unknown: their keys wait until re-queued */
  failedBatches: number;
  /** items held back because an older failed batch holds their key */
  blocked: number;
  nextAttemptAt: string | null;
  draining: boolean;
}

export interface DrainResult {
  batches: number;
  accepted: number;
  rejected: number;
  /** batches that hit a transport failure and wait for their next attempt */
  retrying: number;
  /** batches whose retries were spent in this drain */
  failed: number;
  replayed: number;
  cancelled: boolean;
  queue: QueueStatus;
}

export interface BulkResult {
  /** decisions that made the move */
  changed: number;
  ids: number[];
  /** selected decisions that could not (first 500), with why */
  skipped: { id: number; state: DecisionState | null; reason: string }[];
  skippedTotal: number;
}

export interface AutoApprovalRule {
  id: number;
  name: string;
  enabled: boolean;
  kinds: DecisionKind[];
  origin: string | null;
  destination: string | null;
  maxChangePct: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface AutoApprovalResult {
  considered: number;
  approved: number;
  /** why the others wait for a person, counted by reason */
  waiting: Record<string, number>;
  approvedIds: number[];
  dryRun: boolean;
}

export interface AuditStatus {
  ok: boolean;
  rows: number;
  /** rows before the chain in the store, moved to archive files by retention (0: none) */
  archivedRows: number;
  headSeq: number | null;
  fileHeadSeq: number | null;
  problems: { kind: string; seq: number | null; message: string }[];
  checkedAt: string;
  ms: number;
}

const kind = z.enum(DECISION_KINDS as unknown as [DecisionKind, ...DecisionKind[]]);
const state = z.enum(DECISION_STATES as unknown as [DecisionState, ...DecisionState[]]);
const cabin = z.string().regex(/^[A-Z]$/, 'expected a one-letter cabin code');
const instant = z.string().datetime({ offset: false, message: 'expected a UTC instant like 2026-12-01T00:00:00Z' });
const id = z.number().int().positive();

/** The review filter; the same filter selects decisions for bulk approve and reject. */
export const decisionFilter = z.object({
  origin: iataAirport.optional(),
  destination: iataAirport.optional(),
  carrier: carrierCode.optional(),
  flightId: z.string().min(1).max(64).optional(),
  dateFrom: isoDate.optional(),
  dateTo: isoDate.optional(),
  cabin: cabin.optional(),
  rbd: rbdCode.optional(),
  kinds: z.array(kind).min(1).optional(),
  states: z.array(state).min(1).optional(),
  source: z.enum(['engine', 'manual', 'override']).optional(),
  cycleId: z.string().min(1).max(100).optional(),
  /** |change %| at least this */
  minAbsChangePct: z.number().min(0).max(10_000).optional(),
  outsideGuardrails: z.boolean().optional(),
}).strict().refine((v) => !v.dateFrom || !v.dateTo || v.dateFrom <= v.dateTo, { message: 'dateTo is before dateFrom', path: ['dateTo'] });
export type DecisionFilter = z.output<typeof decisionFilter>;

/** Either explicit ids or a filter (decisions in the right state are taken from it). */
const selection = {
  ids: z.array(id).min(1).max(200_000).optional(),
  filter: decisionFilter.optional(),
};
const hasSelection = (v: { ids?: number[]; filter?: unknown }) => (v.ids === undefined) !== (v.filter === undefined);
const selectionMessage = { message: 'give either ids or a filter (one of them)', path: ['ids'] };

const money = z.number().int('expected an integer number of minor units').min(0).max(1e12);
const fareInput = z.object({
  carrier: carrierCode,
  origin: iataAirport,
  destination: iataAirport,
  rbd: rbdCode,
  cabin,
  fareBasis: z.string().regex(/^[A-Z0-9]{1,15}$/, 'expected a fare basis of 1 to 15 letters and digits'),
  pointOfSale: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166 country code'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code'),
  amountMinor: money,
  validFrom: isoDate,
  validTo: isoDate,
  flightId: z.string().min(1).max(64).optional(),
}).strict().refine((f) => f.validFrom <= f.validTo, { message: 'validTo is before validFrom', path: ['validTo'] });

const controlInput = z.object({
  flightId: z.string().min(1).max(64),
  rbd: rbdCode,
  cabin,
  authorised: z.number().int().min(0).max(10_000).nullable(),
  status: z.enum(['open', 'closed']).nullable(),
  bidPriceMinor: money.nullable(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code').nullable(),
}).strict();

export const decisionsContract = {
  'decisions.list': method<{ rows: DecisionRow[]; total: number }>()({
    description: 'Decisions for review, filtered by market, flight, date, cabin, state…, with current value, recommendation, competitor position, forecast and load factor.',
    access: 'read',
    input: z.object({
      filter: decisionFilter.default({}),
      sort: z.enum(['travel', 'change', 'created']).default('travel'),
      limit: limit(200_000, 5_000),
      offset: z.number().int().min(0).default(0),
    }).strict(),
  }),
  'decisions.grid': method<{ columns: typeof GRID_COLUMNS; rows: DecisionGridRow[]; total: number }>()({
    description: 'The review grid: the same filter as decisions.list, rows as compact arrays in GRID_COLUMNS order (for 100,000 rows at once).',
    access: 'read',
    input: z.object({
      filter: decisionFilter.default({}),
      sort: z.enum(['travel', 'change', 'created']).default('travel'),
      limit: limit(200_000, 100_000),
      offset: z.number().int().min(0).default(0),
    }).strict(),
  }),
  'decisions.get': method<DecisionDetail>()({
    description: 'One decision with its explanation, context, PSS payload, audit history and push answers.',
    access: 'read',
    input: z.object({ id }).strict(),
  }),
  'decisions.propose': method<DecisionRow>()({
    description: 'A person proposes a value (source manual); it supersedes older unpushed decisions for the same key.',
    access: ROLES_PROPOSE,
    writes: ['decisions', 'audit_log'],
    input: z.object({
      kind,
      fare: fareInput.optional(),
      control: controlInput.optional(),
      reason: z.string().trim().min(3, 'say why, in a few words').max(500),
      confirmOutsideGuardrails: z.boolean().default(false),
    }).strict()
      .refine((v) => (v.kind === 'fare') === (v.fare !== undefined), { message: 'a fare decision needs fare (and only fare)', path: ['fare'] })
      .refine((v) => (v.kind !== 'fare') === (v.control !== undefined), { message: 'an authorisation or bid-price decision needs control', path: ['control'] }),
  }),
  'decisions.override': method<DecisionRow>()({
    description: 'Override a decision with a reason: replace its value until an expiry, or influence (a decaying bias the engine keeps applying). Outside the guardrails it needs confirmOutsideGuardrails.',
    access: ROLES_PROPOSE,
    writes: ['decisions', 'audit_log'],
    input: z.object({
      id,
      mode: z.enum(['replace', 'influence']),
      /** replace: the new value (minor units, or seats for authorisation levels) */
      value: z.number().int().min(0).max(1e12).optional(),
      /** influence: the bias in percent */
      biasPct: z.number().min(-90).max(500).refine((b) => b !== 0, 'a bias of 0 % changes nothing').optional(),
      halfLifeDays: z.number().min(0.25).max(365).default(7),
      expiresAt: instant,
      reason: z.string().trim().min(3, 'an override needs a reason').max(500),
      confirmOutsideGuardrails: z.boolean().default(false),
    }).strict()
      .refine((v) => v.mode !== 'replace' || v.value !== undefined, { message: 'a replace override needs value', path: ['value'] })
      .refine((v) => v.mode !== 'influence' || v.biasPct !== undefined, { message: 'an influence override needs biasPct', path: ['biasPct'] }),
  }),
  'decisions.approve': method<BulkResult>()({
    description: 'Approve one or many proposed decisions (ids or a filter; a filter selects the proposals it matches when called); approved decisions are queued for the PSS. A large selection is applied in short transactions (each decision approved and queued together), so a stop part-way leaves the rest proposed: repeat the call to finish.',
    access: ROLES_DECIDE,
    writes: ['decisions', 'outbox_items', 'audit_log'],
    input: z.object({ ...selection, note: z.string().trim().max(500).optional() }).strict().refine(hasSelection, selectionMessage),
  }),
  'decisions.reject': method<BulkResult>()({
    description: 'Reject one or many proposed decisions (ids or a filter) with a reason; a large selection is applied in short transactions, as approve.',
    access: ROLES_DECIDE,
    writes: ['decisions', 'audit_log'],
    input: z.object({ ...selection, reason: z.string().trim().min(3, 'a rejection needs a reason').max(500) }).strict().refine(hasSelection, selectionMessage),
  }),
  'decisions.requeue': method<BulkResult & { batchesRearmed: number[] }>()({
    description: 'Queue failed decisions again: a batch whose outcome is unknown is retried under its own idempotency key; a rejected item goes in a new batch.',
    access: ROLES_DECIDE,
    writes: ['decisions', 'outbox_items', 'push_batches', 'audit_log'],
    input: z.object({ ids: z.array(id).min(1).max(200_000).optional(), allFailed: z.boolean().optional() }).strict()
      .refine((v) => (v.ids !== undefined) !== (v.allFailed === true), { message: 'give either ids or allFailed: true', path: ['ids'] }),
  }),
  'decisions.pushNow': method<DrainResult>()({
    description: 'Push queued decisions to the PSS now. With wait=false it returns at once; progress arrives as push.progress events.',
    access: ROLES_DECIDE,
    writes: ['decisions', 'outbox_items', 'push_batches', 'audit_log'],
    input: z.object({ wait: z.boolean().default(true) }).strict(),
  }),
  'decisions.cancelPush': method<{ cancelled: boolean }>()({
    description: 'Stop a running push after its current batch; what was not acknowledged stays in the outbox.',
    access: ROLES_DECIDE,
    input: z.object({}).strict(),
  }),
  'decisions.whatIf': method<DecisionWhatIfResult>()({
    description: 'Simulate decisions before approving them: the rest of the booking horizon of their flights is replayed over many draws, with the proposed values and with the current ones, from a market calibrated on our store (forecasts, fares, inventory, sell-up). Changes nothing.',
    access: ROLES_PROPOSE,
    input: z.object({
      ids: z.array(id).min(1, 'choose at least one decision').max(200, 'at most 200 decisions per what-if'),
      draws: z.number().int().min(1).max(100_000).default(1000),
      seed: z.number().int().min(0).max(0xffffffff).optional(),
      /** the instant to replay from (default: the forecast's pricing cycle) */
      asOf: instant.optional(),
    }).strict(),
  }),
  'decisions.history': method<AuditRowOut[]>()({
    description: 'The audit history of one decision: every transition with who, when and why.',
    access: 'read',
    input: z.object({ id }).strict(),
  }),
  'decisions.batches': method<{ rows: PushBatchRow[]; total: number; queue: QueueStatus }>()({
    description: 'Push batches, newest first, with the queue status.',
    access: 'read',
    input: z.object({ status: z.enum(['pending', 'answered', 'failed']).optional(), limit: limit(1_000, 100), offset: z.number().int().min(0).default(0) }).strict(),
  }),
  'decisions.batch': method<{ batch: PushBatchRow; items: OutboxItemRow[] }>()({
    description: 'One push batch with the PSS answer for each item (reference or reason).',
    access: 'read',
    input: z.object({ id }).strict(),
  }),
  'decisions.rules': method<AutoApprovalRule[]>()({
    description: 'Auto-approval rules for headless runs.',
    access: 'read',
    input: z.object({}).strict(),
  }),
  'decisions.saveRule': method<AutoApprovalRule>()({
    description: 'Create (no id) or change an auto-approval rule: change within ±maxChangePct, inside guardrails, no open alert on the market.',
    access: ROLES_DECIDE,
    writes: ['auto_approval_rules', 'audit_log'],
    input: z.object({
      id: id.optional(),
      name: z.string().trim().min(1).max(120),
      enabled: z.boolean().default(true),
      kinds: z.array(kind).min(1).default(['fare', 'authorisation', 'bid_price']),
      origin: iataAirport.nullable().default(null),
      destination: iataAirport.nullable().default(null),
      maxChangePct: z.number().min(0).max(100),
    }).strict(),
  }),
  'decisions.deleteRule': method<{ deleted: boolean }>()({
    description: 'Delete an auto-approval rule.',
    access: ROLES_DECIDE,
    writes: ['auto_approval_rules', 'audit_log'],
    input: z.object({ id }).strict(),
  }),
  'decisions.autoApprove': method<AutoApprovalResult>()({
    description: 'Apply the auto-approval rules to proposed decisions now (dryRun: only report what would be approved).',
    access: ROLES_DECIDE,
    writes: ['decisions', 'outbox_items', 'audit_log'],
    input: z.object({ dryRun: z.boolean().default(false), filter: decisionFilter.optional() }).strict(),
  }),
  'audit.search': method<AuditRowOut[]>()({
    description: 'The audit log, newest first: filter by entity, actor or text; page with before (a seq).',
    access: 'read',
    input: z.object({
      entity: z.enum(AUDIT_ENTITIES).optional(),
      actor: z.string().min(1).max(100).optional(),
      text: z.string().min(1).max(200).optional(),
      before: z.number().int().positive().optional(),
      limit: limit(5_000, 200),
    }).strict(),
  }),
  'audit.verify': method<AuditStatus>()({
    description: 'Recompute the audit hash chain and compare it with the head file beside the database.',
    access: ['admin'],
    input: z.object({}).strict(),
  }),
  'audit.status': method<AuditStatus | null>()({
    description: 'The result of the audit verification done at start (or the last one).',
    access: 'read',
    input: z.object({}).strict(),
  }),
};

/** Push events of the decision workflow (see events.ts). */
export interface DecisionsChangedEvent {
  /** decisions that moved (ids lists the first 1,000) */
  count: number;
  ids: number[];
  to: DecisionState;
  by: string;
}

export interface PushProgressEvent {
  phase: 'sending' | 'answered' | 'retrying' | 'failed' | 'done' | 'cancelled';
  batchId: number | null;
  channel: PushChannel | null;
  items: number;
  attempt: number;
  /** totals of this drain so far */
  batchesDone: number;
  accepted: number;
  rejected: number;
  error: string | null;
  queue: QueueStatus;
}
