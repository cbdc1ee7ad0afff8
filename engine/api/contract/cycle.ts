/**
 * The full cycle (engine/cycle): sync all feeds → rebuild booking curves → forecast, optimise and price
 * (worker pool) → network LP bid prices where connections exist → proposals → auto-approval within the
 * rules → push approved decisions → report. The desktop's "run cycle" button, the web bridge and the
 * headless `dfae` command run the same service; every run is stored with its report, so the run history
 * shows headless runs beside the desktop's.
 */
import { z } from 'zod';
import { method } from './define';
import type { FeedName } from '../../domain/types';
import type { FeedRunRow } from './feeds';
import type { DecisionKind, DrainResult } from './decisions';

const MANAGE = ['revenue_manager', 'admin'] as const;

/** The steps of a run, in order. `price` covers curves, pricing, the network stage and the proposals. */
export type CycleStepName = 'sync' | 'curves' | 'price' | 'network' | 'proposals' | 'approve' | 'push';
export const CYCLE_STEP_NAMES: readonly CycleStepName[] = ['sync', 'curves', 'price', 'network', 'proposals', 'approve', 'push'];

/** Which parts of the cycle a run does (the headless schedules use the same four switches). */
export interface CycleSteps { sync: boolean; price: boolean; autoApprove: boolean; push: boolean }

export type CycleRunStatus = 'running' | 'ok' | 'warning' | 'failed' | 'cancelled' | 'interrupted';
/**
 * What a finished run means for whoever scheduled it (the headless exit code follows it):
 * success; feed_fallback (a feed failed or served fallback data, the run went on with what the store
 * holds); push_failures (the PSS rejected decisions, or batches are still undelivered); failed (a step
 * failed); cancelled (stopped by a person or a signal); interrupted (its process died).
 */
export type CycleOutcome = 'success' | 'feed_fallback' | 'push_failures' | 'failed' | 'cancelled' | 'interrupted';

export interface CycleStepReport {
  step: CycleStepName;
  status: 'ok' | 'warning' | 'failed' | 'skipped' | 'cancelled';
  startedAt: string | null;
  durationMs: number | null;
  /** what happened, in one line */
  summary: string;
}

export interface CycleFeedResult {
  feed: FeedName;
  runId: number;
  status: FeedRunRow['status'];
  recordsIn: number;
  recordsWritten: number;
  recordsQuarantined: number;
  durationMs: number | null;
  error: string | null;
  /** the fallback the connector served instead of live data, with its age */
  fallback: { source: string; asOf: string; ageHours: number; reason: string } | null;
}

export interface CycleWarning {
  step: CycleStepName;
  code: string;
  message: string;
}

/** A line of "what would be pushed" (dry runs): one decision and why it would go. */
export interface CyclePushItem {
  decisionId: number;
  kind: DecisionKind;
  key: string;
  origin: string;
  destination: string;
  flightId: string;
  travelDate: string;
  cabin: string;
  rbd: string;
  /** the currency of the values (null: an authorisation level in seats) */
  currency: string | null;
  currentValue: number | null;
  proposedValue: number;
  changePct: number | null;
  /** e.g. "auto-approval rule 3 \"small moves\"" or "approved by rita, waiting in the outbox" */
  why: string;
}

export interface CycleReport {
  runId: number;
  host: 'desktop' | 'web' | 'headless' | 'test';
  trigger: string;
  startedBy: string;
  hostname: string;
  pid: number;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  status: CycleRunStatus;
  outcome: CycleOutcome | null;
  dryRun: boolean;
  /** markets "ORG-DST" priced and proposed; empty: all */
  markets: string[];
  steps: CycleSteps;
  /** the instant the cycle priced as of */
  asOf: string;
  stepReports: CycleStepReport[];
  sync: { feeds: CycleFeedResult[]; fallbackUsed: boolean } | null;
  /**
   * full: every departure of the history was rebuilt (first run, or the DCPs changed); else from a few days
   * before the last whole-network run. flightNumbers: how many flight numbers a run of some markets rebuilt
   * (null or absent: every flight)
   */
  curves: { written: number; fromDate: string; toDate: string; full: boolean; dcps: number[]; flightNumbers?: number | null } | null;
  pricing: {
    cycleId: string;
    departures: number;
    cabins: number;
    rbds: number;
    recommendations: Record<DecisionKind, number>;
    partitions: number;
    workers: number;
  } | null;
  network: {
    /** journey markets two of the priced legs connect into (the LP's candidates; 0 when none connect; absent from older reports) */
    connectingMarkets?: number;
    /** departure days with connections, LPs solved, itineraries and legs in them */
    days: number;
    solved: number;
    itineraries: number;
    legs: number;
    /** leg × cabin bid prices the LP set (replacing the leg's EMSR-b bid price) */
    bidPrices: number;
    openItineraries: number;
    closedItineraries: number;
    currency: string | null;
    lpMs: number;
  } | null;
  proposals: {
    /** recommendations of the cycle read back */
    considered: number;
    /** left out: their value is the current one (nothing to push) */
    unchanged: number;
    /** left out: fares closer to the fare in force than the market's smallest change worth filing */
    belowMinChange: number;
    /** earlier cycles' pending proposals for what this cycle left out as unchanged or below the smallest change: superseded */
    withdrawn: number;
    /** left out by the markets filter */
    outsideMarkets: number;
    written: number;
    published: number;
    /**
     * recommendations an earlier cycle's live decision already proposes (same value against the same value in
     * force): that decision is kept, not copied (absent in reports of runs before it was counted)
     */
    standing?: number;
    held: number;
    superseded: number;
    skipped: number;
  } | null;
  /** what retention moved to the data folder's archive/ after the proposals (null: not run, a dry run or nothing past its age) */
  retention?: {
    decisions: number;
    outboxItems: number;
    /** replaced pushed fares among the decisions, kept in price_history */
    priceHistory: number;
    auditRows: number;
    /** the archive files written, in the data folder */
    files: string[];
    /** decisions an interrupted earlier run had archived but not deleted from the store, deleted now */
    resumed?: number;
    ms: number;
  } | null;
  autoApproval: {
    considered: number;
    approved: number;
    /** the rules that approved, with how many each */
    rules: { ruleId: number; name: string; maxChangePct: number; approved: number }[];
    /** decisions waiting for a person, counted by why */
    waiting: Record<string, number>;
    dryRun: boolean;
  } | null;
  /** the outbox drain's counts; deadlineReached: the push deadline passed with batches still undelivered (they stay in the outbox) */
  push: (DrainResult & { deadlineReached: boolean }) | null;
  /** dry runs: what a real run would push (the first items; totals cover all) */
  wouldPush: {
    total: number;
    byKind: Partial<Record<DecisionKind, number>>;
    byMarket: { market: string; count: number }[];
    items: CyclePushItem[];
    truncated: boolean;
  } | null;
  warnings: CycleWarning[];
  error: string | null;
}

/** A run as the history lists it. */
export interface CycleRunRow {
  id: number;
  host: CycleReport['host'];
  trigger: string;
  startedBy: string;
  hostname: string;
  startedAt: string;
  finishedAt: string | null;
  status: CycleRunStatus;
  outcome: CycleOutcome | null;
  dryRun: boolean;
  markets: string[];
  steps: CycleSteps;
  pricingCycleId: string | null;
  synced: number;
  priced: number;
  proposed: number;
  /** earlier cycles' proposals the run recommended again and kept (CycleReport.proposals.standing) */
  kept: number;
  autoApproved: number;
  waiting: number;
  pushed: number;
  pushFailed: number;
  durationMs: number | null;
  error: string | null;
}

/** Progress of a running cycle (event `cycle.progress`). */
export interface CycleProgressEvent {
  runId: number;
  step: CycleStepName;
  message: string;
  /** units done and expected in this step, when known */
  done: number | null;
  total: number | null;
}

/** Why a proposal waits for a person instead of being auto-approved (the codes of CycleReport.autoApproval.waiting). */
export const AUTO_APPROVAL_WAIT_REASONS: Readonly<Record<string, string>> = {
  no_rule: 'no enabled auto-approval rule covers its kind and market',
  change_too_large: 'its change is beyond every covering rule\'s ±x %',
  outside_guardrails: 'it is outside its guardrails (floor, ceiling or maximum change)',
  open_alert: 'an unacknowledged alert is open on its market (or a feed is down or stale)',
  no_current_value: 'there is no current value to measure the change against',
  not_engine: 'it was proposed or overridden by a person',
};

const market = z.string().regex(/^[A-Z]{3}-[A-Z]{3}$/, 'a market like "LHR-JFK"');

export const cycleContract = {
  'cycle.run': method<{ run: CycleRunRow; report: CycleReport | null }>()({
    description: 'Runs the cycle (sync, price, auto-approve, push). wait=false returns the started run at once (progress as cycle.progress events); wait=true returns its report.',
    access: MANAGE,
    writes: ['cycle_runs', 'feed_runs', 'pricing_cycles', 'pricing_contexts', 'forecasts', 'decisions', 'push_batches', 'outbox_items', 'audit_log'],
    input: z.object({
      steps: z.object({ sync: z.boolean().default(true), price: z.boolean().default(true), autoApprove: z.boolean().default(true), push: z.boolean().default(true) }).strict()
        .default({ sync: true, price: true, autoApprove: true, push: true })
        .refine((s) => s.sync || s.price || s.autoApprove || s.push, { message: 'choose at least one step', path: ['sync'] }),
      markets: z.array(market).max(500).default([]),
      dryRun: z.boolean().default(false),
      wait: z.boolean().default(false),
    }).strict(),
  }),
  'cycle.cancel': method<{ cancelled: boolean }>()({
    description: 'Stops a running cycle: the step in progress ends cleanly (a push finishes or abandons its batch; the outbox keeps it).',
    access: MANAGE,
    input: z.object({ runId: z.number().int().positive() }).strict(),
  }),
  'cycle.runs': method<{ rows: CycleRunRow[]; running: CycleRunRow | null }>()({
    description: 'Cycle runs, newest first, from every host (desktop, headless, web), with the run in progress.',
    access: 'read',
    input: z.object({
      limit: z.number().int().min(1).max(1_000).default(50),
      host: z.enum(['desktop', 'web', 'headless', 'test']).optional(),
    }).strict(),
  }),
  'cycle.get': method<CycleReport>()({
    description: 'A cycle run\'s report: synced, priced, auto-approved and why, waiting for a person, pushed, failed, duration per step, warnings.',
    access: 'read',
    input: z.object({ runId: z.number().int().positive() }).strict(),
  }),
};
