/**
 * The one full cycle, for every host: sync all feeds → rebuild booking curves → forecast, optimise and
 * price (pricing worker pool) → network LP bid prices where connections exist (worker thread) →
 * proposals → auto-approval within the rules → push approved decisions → a stored report.
 *
 * - One run at a time per data folder: an in-process check and the cross-process lock file (lock.ts),
 *   so the desktop's "run cycle" and a headless `dfae run` never overlap.
 * - Cancellable: the step in progress stops cleanly (feed runs keep their committed pages, the pricing
 *   and stage workers are stopped, proposals stop between chunks; a push finishes the batch in flight,
 *   or abandons it after a grace period — the outbox keeps it under its idempotency key).
 * - Progress as `cycle.progress` events, the run as `cycle.run` events, structured log lines per step.
 * - Dry run: everything but approving and pushing; the report lists what a real run would push.
 * - The report (cycle_runs) says what was synced, priced, auto-approved and by which rule, what waits
 *   for a person and why, what was pushed and failed, each step's duration, and the warnings.
 */
import path from 'node:path';
import os from 'node:os';
import type { Store } from '../store/db';
import type { EventBus } from '../events/bus';
import type { FeedService } from '../etl/feedService';
import type { Workflow } from '../workflow/index';
import { ingestPricingCycle } from '../workflow/fromPricing';
import { SliceSizer, yieldToLoop } from '../workflow/slices';
import type { CycleOutcome, CycleReport, CycleRunRow, CycleStepName, CycleStepReport, CycleSteps, CycleFeedResult, CycleWarning } from '../api/contract/cycle';
import type { AutoApprovalRule, DecisionFilter, DrainResult } from '../api/contract/decisions';
import type { FeedRunRow } from '../api/contract/feeds';
import type { FeedName } from '../domain/types';
import { addDays } from '../domain/time';
import { DEFAULT_DCPS, normaliseDcps } from '../forecasting/dcp';
import { loadPricingSettings, minFareChangeFor } from '../api/handlers/settings';
import { worthFiling } from '../domain/fareChange';
import { loadDeparture, pruneCycleOutputs, thinForecasts } from '../pricing/store';
import { applyRetention, archiveDir, loadRetention } from '../workflow/retention';
import type { CabinContext } from '../pricing/cycle';
import type { Recommendation } from '../pricing/types';
import { acquireCycleLock, systemProbe, type CycleLock, type ProcessProbe } from './lock';
import { CycleRuns } from './runs';
import { flightNumbersFor, marketFilter, parseMarkets } from './markets';
import { CancelledError, priceInPool } from './price';
import { runStage } from './stageWorker';
import type { NetworkStageSummary } from './stages';
import type { ConnectionRules } from './network';
import { pushDiff, type PushDiff } from './diff';
import { operatedByItsCarrierSql } from '../domain/codeshare';

type Log = (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => void;

export interface CycleServiceDeps {
  store: Store;
  events: EventBus;
  feeds: FeedService;
  workflow: Workflow;
  host: CycleReport['host'];
  log?: Log;
}

export interface CycleServiceOptions {
  /** pricing worker threads (default: cores − 1, 1 to 4) */
  workers?: number;
  /** departures priced from today (default 365) and days of flown history read (default 400) */
  horizonDays?: number;
  historyDays?: number;
  /** the DCPs of the curves and forecasts (default forecasting/dcp DEFAULT_DCPS) */
  dcps?: readonly number[];
  /** the network LP stage (default on); false: leg-level bid prices only */
  network?: false | { rules?: ConnectionRules };
  /** which recommendations become proposals: those that change a value (default), or all */
  proposals?: 'changed' | 'all';
  /** the most recommendations written as decisions in one transaction (default 10,000); slices are sized by time below that */
  proposalChunk?: number;
  /** the newest finished pricing cycles whose recommendations and contexts are kept; older ones are pruned after the proposals (default 3) */
  keepCycleOutputs?: number;
  push?: {
    /** how long a run waits for a PSS that answers with transport failures before leaving batches in the outbox (default 10 min) */
    deadlineMs?: number;
    /** after a cancel, how long the batch in flight may take before it is abandoned (default 15 s) */
    graceMs?: number;
  };
  /** the cross-process lock (default on) */
  lock?: boolean;
  /** bundled hosts: their pricing and stage worker modules */
  pricingWorkerUrl?: URL;
  stageWorkerUrl?: URL;
  probe?: ProcessProbe;
}

export interface CycleRunRequest {
  steps?: Partial<CycleSteps>;
  markets?: readonly string[];
  dryRun?: boolean;
  /** why it runs: "manual", "headless:once", "schedule:0 5 * * * Europe/Berlin"… */
  trigger: string;
  /** the user or system actor who started it */
  startedBy: string;
}

export interface CycleResult {
  report: CycleReport;
  /** dry runs: every decision a real run would push */
  diff: PushDiff | null;
}

export interface CycleRunHandle {
  runId: number;
  done: Promise<CycleResult>;
}

export class CycleBusyError extends Error {
  constructor(readonly runId: number) {
    super(`cycle run ${runId} is still running in this process: wait for it to finish, or cancel it first`);
    this.name = 'CycleBusyError';
  }
}

const ALL_STEPS: CycleSteps = { sync: true, price: true, autoApprove: true, push: true };
const FEED_ORDER: FeedName[] = ['schedule', 'pss', 'pros', 'competitor'];

interface RunContext {
  report: CycleReport;
  controller: AbortController;
  /** set by a cancel: the reason */
  cancelReason: string | null;
  lock: CycleLock | null;
  t0: number;
  ownCarrier: string | null;
  feedRunIds: Set<number>;
  approve: Map<number, string>;
  /** the live decisions of earlier cycles that already propose what this cycle recommends (kept, not copied) */
  standing: number[];
  done: Promise<CycleResult>;
  /** the own flight numbers serving the run's markets, read once for the curves and price steps */
  flightNumbers?: ReturnType<typeof flightNumbersFor>;
}

const since = (t: number) => Math.round(performance.now() - t);

function fallbackOf(r: FeedRunRow): CycleFeedResult['fallback'] {
  const f = r.detail.fallback as { source?: string; asOf?: string; ageMs?: number; reason?: string } | undefined;
  return f?.source ? { source: f.source, asOf: f.asOf ?? '', ageHours: Math.round(((f.ageMs ?? 0) / 3_600_000) * 10) / 10, reason: f.reason ?? '' } : null;
}

function changed(r: Recommendation): boolean {
  if (r.kind === 'authorisation') return r.recommended !== r.current;
  return r.recommendedMinor !== r.currentMinor;
}

export class CycleService {
  readonly runs: CycleRuns;
  private current: RunContext | null = null;
  private readonly probe: ProcessProbe;

  constructor(private readonly deps: CycleServiceDeps, private readonly o: CycleServiceOptions = {}) {
    this.probe = o.probe ?? systemProbe;
    this.runs = new CycleRuns(deps.store.db, this.probe);
    this.runs.reapInterrupted(deps.store.now());
  }

  /** The run in progress in this process, if any. */
  get active(): number | null {
    return this.current?.report.runId ?? null;
  }

  /**
   * Starts a run; resolves its handle at once. Throws CycleBusyError (a run in this process),
   * CycleLockHeldError (another process holds the data folder's lock) or MarketsError (a bad market).
   */
  start(req: CycleRunRequest): CycleRunHandle {
    if (this.current) throw new CycleBusyError(this.current.report.runId);
    const steps: CycleSteps = { ...ALL_STEPS, ...req.steps };
    const markets = parseMarkets(req.markets ?? []);
    const lock = this.o.lock === false ? null : acquireCycleLock(this.deps.store.dataDir, { host: this.deps.host, command: `${req.trigger} (${req.startedBy})` }, this.probe);
    try {
      const { store } = this.deps;
      const startedAt = store.now();
      const base = {
        host: this.deps.host, trigger: req.trigger, startedBy: req.startedBy, hostname: this.probe.hostname(), pid: this.probe.pid(),
        startedAt, dryRun: req.dryRun ?? false, markets, steps,
      };
      this.runs.reapInterrupted(startedAt);
      const runId = this.runs.start({ ...base, processStart: this.probe.startOf(this.probe.pid()) });
      const report: CycleReport = {
        runId, ...base, finishedAt: null, durationMs: null, status: 'running', outcome: null, asOf: startedAt,
        stepReports: [], sync: null, curves: null, pricing: null, network: null, proposals: null, retention: null, autoApproval: null, push: null, wouldPush: null,
        warnings: [], error: null,
      };
      if (lock?.tookOver) {
        report.warnings.push({ step: 'sync', code: 'stale_lock', message: `took over the stale lock of ${lock.tookOver.host} ${lock.tookOver.command} (pid ${lock.tookOver.pid}), whose process is gone` });
      }
      this.runs.save(report);
      const ctx: RunContext = {
        report, controller: new AbortController(), cancelReason: null, lock, t0: performance.now(), ownCarrier: null,
        feedRunIds: new Set(), approve: new Map(), standing: [], done: Promise.resolve(null as never),
      };
      this.current = ctx;
      this.deps.events.emit('cycle.run', this.runs.row(runId)!);
      this.log('info', 'cycle run started', { runId, trigger: req.trigger, startedBy: req.startedBy, dryRun: base.dryRun, markets, steps, tookOverStaleLock: lock?.tookOver ?? null });
      ctx.done = this.execute(ctx).finally(() => {
        this.current = null;
        ctx.lock?.release();
      });
      return { runId, done: ctx.done };
    } catch (e) {
      lock?.release();
      throw e;
    }
  }

  /** Starts a run and waits for its result. */
  async run(req: CycleRunRequest): Promise<CycleResult> {
    return this.start(req).done;
  }

  /** Stops the run in progress cleanly (see the module comment); false when it is not running here. */
  cancel(runId: number, reason = 'cancelled by the user'): boolean {
    const ctx = this.current;
    if (!ctx || ctx.report.runId !== runId || ctx.controller.signal.aborted) return false;
    ctx.cancelReason = reason;
    this.log('warn', 'cycle run cancel requested', { runId, reason });
    ctx.controller.abort(new CancelledError(reason));
    for (const id of ctx.feedRunIds) this.deps.feeds.cancel(id);
    return true;
  }

  /** Host shutdown: cancels the run in progress and waits for it to end. */
  async close(reason = 'the host is shutting down'): Promise<void> {
    const ctx = this.current;
    if (!ctx) return;
    this.cancel(ctx.report.runId, reason);
    await ctx.done.catch(() => undefined);
  }

  list(q: { limit: number; host?: CycleRunRow['host'] }): { rows: CycleRunRow[]; running: CycleRunRow | null } {
    this.runs.reapInterrupted(this.deps.store.now());
    return { rows: this.runs.list(q), running: this.runs.running() };
  }

  report(runId: number): CycleReport | null {
    return this.runs.report(runId);
  }

  // ------------------------------------------------------------------ the run

  private log(level: Parameters<Log>[0], message: string, fields: Record<string, unknown>): void {
    this.deps.log?.(level, message, fields);
  }

  private progress(ctx: RunContext, step: CycleStepName, message: string, done: number | null = null, total: number | null = null): void {
    this.deps.events.emit('cycle.progress', { runId: ctx.report.runId, step, message, done, total });
  }

  private warn(ctx: RunContext, w: CycleWarning): void {
    ctx.report.warnings.push(w);
    this.log('warn', w.message, { runId: ctx.report.runId, step: w.step, code: w.code });
  }

  private async step(ctx: RunContext, step: CycleStepName, body: () => Promise<{ summary: string; status?: CycleStepReport['status'] }>): Promise<void> {
    const rep: CycleStepReport = { step, status: 'ok', startedAt: this.deps.store.now(), durationMs: null, summary: '' };
    ctx.report.stepReports.push(rep);
    if (ctx.controller.signal.aborted) {
      Object.assign(rep, { status: 'cancelled', startedAt: null, summary: `not started: ${ctx.cancelReason}` });
      return;
    }
    this.progress(ctx, step, `${step}…`);
    this.log('info', 'step started', { runId: ctx.report.runId, step });
    const t = performance.now();
    try {
      const r = await body();
      rep.summary = r.summary;
      rep.status = r.status ?? 'ok';
    } catch (e) {
      const cancelled = ctx.controller.signal.aborted;
      rep.status = cancelled ? 'cancelled' : 'failed';
      rep.summary = cancelled ? `stopped: ${ctx.cancelReason}` : (e as Error).message;
      throw e;
    } finally {
      rep.durationMs = since(t);
      this.log(rep.status === 'failed' ? 'error' : 'info', 'step finished', { runId: ctx.report.runId, step, status: rep.status, durationMs: rep.durationMs, summary: rep.summary });
      this.runs.save(ctx.report);
    }
  }

  private skip(ctx: RunContext, step: CycleStepName, summary: string): void {
    ctx.report.stepReports.push({ step, status: 'skipped', startedAt: null, durationMs: null, summary });
  }

  private async execute(ctx: RunContext): Promise<CycleResult> {
    const r = ctx.report;
    const { steps } = r;
    let diff: PushDiff | null = null;
    let failure: Error | null = null;
    type Body = () => Promise<{ summary: string; status?: CycleStepReport['status'] }>;
    const plan: [CycleStepName, Body | string][] = [];
    if (steps.sync) plan.push(['sync', () => this.sync(ctx)]);
    if (steps.price) {
      plan.push(['curves', () => this.curves(ctx)], ['price', () => this.price(ctx)]);
      plan.push(['network', this.o.network === false ? 'the network stage is switched off' : () => this.network(ctx)]);
      plan.push(['proposals', () => this.proposals(ctx)]);
    }
    if (steps.autoApprove) plan.push(['approve', () => this.approve(ctx)]);
    if (r.dryRun) {
      plan.push(['push', async () => {
        diff = pushDiff(this.deps.store.db, ctx.approve);
        r.wouldPush = diff.summary;
        return { summary: `dry run: ${diff.summary.total} decision(s) would be pushed`, status: 'skipped' };
      }]);
    } else if (steps.push) {
      plan.push(['push', () => this.push(ctx)]);
    }
    for (const [i, [name, body]] of plan.entries()) {
      if (typeof body === 'string') { this.skip(ctx, name, body); continue; }
      try {
        await this.step(ctx, name, body);
      } catch (e) {
        failure = e as Error;
        const why = ctx.controller.signal.aborted ? null : `not run: the ${name} step failed`;
        for (const [rest] of plan.slice(i + 1)) {
          r.stepReports.push({ step: rest, status: why ? 'skipped' : 'cancelled', startedAt: null, durationMs: null, summary: why ?? `not started: ${ctx.cancelReason}` });
        }
        break;
      }
    }
    const cancelled = ctx.controller.signal.aborted;
    let outcome: CycleOutcome;
    if (cancelled) outcome = 'cancelled';
    else if (failure) outcome = 'failed';
    else if (r.push && (r.push.rejected > 0 || r.push.failed > 0 || r.push.deadlineReached)) outcome = 'push_failures';
    else if (r.sync?.fallbackUsed) outcome = 'feed_fallback';
    else outcome = 'success';
    r.outcome = outcome;
    r.status = outcome === 'cancelled' ? 'cancelled' : outcome === 'failed' ? 'failed' : outcome === 'success' && r.warnings.length === 0 ? 'ok' : 'warning';
    r.error = cancelled ? ctx.cancelReason : failure ? failure.message : null;
    if (failure && !cancelled) this.log('error', 'cycle run failed', { runId: r.runId, error: failure.stack ?? failure.message });
    r.finishedAt = this.deps.store.now();
    r.durationMs = since(ctx.t0);
    this.runs.save(r);
    this.log(outcome === 'success' ? 'info' : 'warn', 'cycle run finished', {
      runId: r.runId, status: r.status, outcome, durationMs: r.durationMs, warnings: r.warnings.length,
      priced: r.pricing?.recommendations ?? null, proposed: r.proposals?.published ?? null, autoApproved: r.autoApproval?.approved ?? null,
      pushed: r.push?.accepted ?? null, pushFailed: r.push ? r.push.rejected + r.push.failed : null, wouldPush: r.wouldPush?.total ?? null,
    });
    this.deps.events.emit('cycle.run', this.runs.row(r.runId)!);
    return { report: r, diff };
  }

  // ------------------------------------------------------------------ steps

  private async sync(ctx: RunContext): Promise<{ summary: string; status?: CycleStepReport['status'] }> {
    const { feeds, events } = this.deps;
    const trigger = `cycle:${ctx.report.runId}`;
    const configured = feeds.configured();
    const off = events.subscribe((m) => {
      if (m.name === 'feed.run' && m.payload.trigger === trigger && m.payload.status === 'running') ctx.feedRunIds.add(m.payload.id);
      if (m.name === 'feed.progress' && ctx.feedRunIds.has(m.payload.runId)) this.progress(ctx, 'sync', `${m.payload.feed}: ${m.payload.phase}`, m.payload.recordsIn, m.payload.total);
    });
    const results: CycleFeedResult[] = [];
    ctx.report.sync = { feeds: results, fallbackUsed: false };
    try {
      for (const feed of FEED_ORDER.filter((f) => configured.includes(f))) {
        if (ctx.controller.signal.aborted) break;
        this.progress(ctx, 'sync', `${feed}…`, results.length, configured.length);
        const [run] = await feeds.sync([feed], trigger, true);
        if (!run) continue;
        const fr: CycleFeedResult = {
          feed, runId: run.id, status: run.status, recordsIn: run.recordsIn, recordsWritten: run.recordsWritten, recordsQuarantined: run.recordsQuarantined,
          durationMs: run.durationMs === null ? null : Math.round(run.durationMs), error: run.error, fallback: fallbackOf(run),
        };
        results.push(fr);
        this.log(run.status === 'ok' || run.status === 'degraded' ? 'info' : 'warn', 'feed synced', {
          runId: ctx.report.runId, step: 'sync', feed, feedRunId: run.id, status: run.status, recordsIn: run.recordsIn, recordsWritten: run.recordsWritten,
          recordsQuarantined: run.recordsQuarantined, durationMs: fr.durationMs,
        });
        if (run.status === 'failed' || run.status === 'fallback') {
          ctx.report.sync.fallbackUsed = true;
          this.warn(ctx, {
            step: 'sync', code: `feed_${run.status}`,
            message: `${feed}: ${run.status === 'fallback' ? `live data not used, fallback ${fr.fallback?.source ?? ''} (${fr.fallback?.reason ?? run.error ?? ''})` : `sync failed (${run.error ?? 'no detail'}); the cycle goes on with what the store holds`}`,
          });
        } else if (run.recordsQuarantined > 0) {
          this.warn(ctx, { step: 'sync', code: 'records_quarantined', message: `${feed}: ${run.recordsQuarantined} record(s) quarantined (see the feed's quarantine)` });
        }
      }
    } finally {
      off();
    }
    if (ctx.controller.signal.aborted) throw new CancelledError(ctx.cancelReason ?? 'cancelled');
    const written = results.reduce((a, f) => a + f.recordsWritten, 0);
    if (results.length === 0) {
      this.warn(ctx, { step: 'sync', code: 'no_feeds', message: 'no feed is configured: the cycle works on what the store already holds' });
      return { summary: 'no feed is configured', status: 'warning' };
    }
    const bad = results.filter((f) => f.status === 'failed' || f.status === 'fallback');
    return {
      summary: `${results.length} feed(s), ${written} record(s) written${bad.length ? `; ${bad.map((f) => `${f.feed} ${f.status}`).join(', ')}` : ''}`,
      status: bad.length ? 'warning' : 'ok',
    };
  }

  private settings(ctx: RunContext) {
    const db = this.deps.store.db;
    if (!ctx.ownCarrier) {
      ctx.ownCarrier = (db.prepare('SELECT code FROM carriers WHERE own = 1 ORDER BY code LIMIT 1').pluck().get() as string | undefined) ?? null;
      if (!ctx.ownCarrier) throw new Error('no own carrier is known yet: sync the PSS feed (it brings the carriers) before pricing');
    }
    return {
      ownCarrier: ctx.ownCarrier,
      dcps: normaliseDcps(this.o.dcps ?? DEFAULT_DCPS),
      horizonDays: this.o.horizonDays ?? 365,
      historyDays: this.o.historyDays ?? 400,
    };
  }

  private flightNumbers(ctx: RunContext): ReturnType<typeof flightNumbersFor> {
    return (ctx.flightNumbers ??= flightNumbersFor(this.deps.store.db, this.settings(ctx).ownCarrier, ctx.report.markets));
  }

  private async curves(ctx: RunContext): Promise<{ summary: string }> {
    const s = this.settings(ctx);
    const today = ctx.report.asOf.slice(0, 10);
    // the baseline is the last whole-network rebuild: a run of some markets rebuilds only the flight
    // numbers it prices (those the price step reads), so it leaves the others' curves as they were
    const last = this.runs.lastCurves();
    const full = !last || JSON.stringify(last.dcps) !== JSON.stringify(s.dcps) || last.asOf > ctx.report.asOf;
    const earliest = addDays(today, -s.historyDays);
    const since = full ? earliest : addDays(last.asOf.slice(0, 10), -7);
    const fromDate = since > earliest ? since : earliest;
    const toDate = addDays(today, s.horizonDays);
    const { flightNumbers } = this.flightNumbers(ctx);
    const r = await runStage<{ written: number }>(
      { kind: 'curves', dataDir: this.deps.store.dataDir, now: ctx.report.asOf, dcps: s.dcps, fromDate, toDate, carrier: s.ownCarrier, ...(flightNumbers ? { flightNumbers } : {}) },
      { signal: ctx.controller.signal, workerUrl: this.o.stageWorkerUrl },
    );
    ctx.report.curves = { written: r.written, fromDate, toDate, full, dcps: s.dcps, flightNumbers: flightNumbers?.length ?? null };
    const which = flightNumbers ? ` of ${flightNumbers.length} flight number(s)` : '';
    return { summary: `${r.written} booking curve(s) rebuilt for departures${which} ${fromDate} to ${toDate}${full ? ' (full rebuild)' : ''}` };
  }

  private async price(ctx: RunContext): Promise<{ summary: string; status?: CycleStepReport['status'] }> {
    const { store, feeds } = this.deps;
    const s = this.settings(ctx);
    const r = ctx.report;
    const { flightNumbers, unserved } = this.flightNumbers(ctx);
    for (const m of unserved) this.warn(ctx, { step: 'price', code: 'market_not_served', message: `market ${m}: no ${s.ownCarrier} flight serves it; nothing to price there` });
    const cycleId = `c${r.runId}-${r.asOf.replace(/[-:]/g, '').slice(0, 15)}`;
    const workers = this.o.workers ?? Math.max(1, Math.min(4, (os.availableParallelism?.() ?? os.cpus().length) - 1));
    const out = await priceInPool({
      store, cycleId, now: r.asOf, settings: { ownCarrier: s.ownCarrier, dcps: s.dcps, ...loadPricingSettings(store.db) },
      flightNumbers, horizonDays: s.horizonDays, historyDays: s.historyDays, demandFeed: feeds.configured().includes('pros') ? 'pros' : null,
      workers, workerUrl: this.o.pricingWorkerUrl, signal: ctx.controller.signal,
      onPartition: (done, total) => this.progress(ctx, 'price', `partition ${done} of ${total} priced`, done, total),
    });
    const counts = { ...out.written.byKind };
    r.pricing = { cycleId, departures: out.stats.departures, cabins: out.stats.cabins, rbds: out.stats.rbds, recommendations: counts, partitions: out.partitions, workers: out.workers };
    const byCode = new Map<string, { n: number; first: string }>();
    for (const w of out.warnings) {
      const g = byCode.get(w.code) ?? { n: 0, first: `${w.where}: ${w.message}` };
      g.n++;
      byCode.set(w.code, g);
    }
    for (const [code, g] of byCode) this.warn(ctx, { step: 'price', code, message: g.n > 1 ? `${g.n}× ${code}, e.g. ${g.first}` : g.first });
    return {
      summary: `${out.stats.departures} departure(s), ${out.stats.cabins} cabin(s) priced in ${out.partitions} partition(s) on ${out.workers} worker(s): ${counts.fare} fare(s), ${counts.authorisation} authorisation level(s), ${counts.bid_price} bid price(s)${out.stats.partnerOperated ? `; ${out.stats.partnerOperated} codeshare departure(s) on partners' flights left to the operating carrier` : ''}${out.stats.influenced ? `; ${out.stats.influenced} departure(s) forecast under a demand influence` : ''}`,
      status: byCode.size ? 'warning' : 'ok',
    };
  }

  private async network(ctx: RunContext): Promise<{ summary: string; status?: CycleStepReport['status'] }> {
    const r = ctx.report;
    if (!r.pricing || r.pricing.departures === 0) return { summary: 'nothing was priced', status: 'skipped' };
    const s = this.settings(ctx);
    const n = await runStage<NetworkStageSummary>({
      kind: 'network', dataDir: this.deps.store.dataDir, now: r.asOf, cycleId: r.pricing.cycleId, dcps: s.dcps, carrier: s.ownCarrier,
      historyDays: s.historyDays, horizonDays: s.horizonDays, rules: this.o.network ? this.o.network.rules : undefined,
    }, { signal: ctx.controller.signal, workerUrl: this.o.stageWorkerUrl, onProgress: (done, total) => this.progress(ctx, 'network', `day ${done} of ${total}`, done, total) });
    r.network = {
      connectingMarkets: n.connectingMarkets, days: n.days, solved: n.solved, itineraries: n.itineraries, legs: n.legs, bidPrices: n.bidPrices, openItineraries: n.openItineraries,
      closedItineraries: n.closedItineraries, currency: n.currency, lpMs: Math.round(n.lpMs),
    };
    if (n.warnings.length) this.warn(ctx, { step: 'network', code: 'network_partial', message: `${n.warnings.length} leg(s) or itinerar(ies) left out of the LP, e.g. ${n.warnings[0]}` });
    if (n.connectingMarkets === 0) return { summary: 'no two priced legs connect: leg bid prices stand' };
    if (n.solved === 0) return { summary: `no connections with O&D demand and a through fare in ${n.connectingMarkets} connecting market(s): leg bid prices stand` };
    return {
      summary: `${n.solved} day(s) solved: ${n.itineraries} connecting itinerar(ies) over ${n.legs} leg cabin(s); ${n.bidPrices} LP bid price(s); ${n.openItineraries} open, ${n.closedItineraries} closed`,
      status: n.warnings.length ? 'warning' : 'ok',
    };
  }

  private async proposals(ctx: RunContext): Promise<{ summary: string; status?: CycleStepReport['status'] }> {
    const { store, workflow } = this.deps;
    const r = ctx.report;
    if (!r.pricing) return { summary: 'nothing was priced', status: 'skipped' };
    const cycleId = r.pricing.cycleId;
    const inMarkets = marketFilter(r.markets);
    const all = this.o.proposals === 'all';
    // proposals are written in slices sized to take about 25 ms each (reading included), with a turn of
    // the event loop between them, so the workbench stays responsive while a cycle publishes
    const sizer = new SliceSizer({ first: 200, max: this.o.proposalChunk ?? 10_000 });
    let sliceStart = performance.now();
    const p = { considered: 0, unchanged: 0, belowMinChange: 0, withdrawn: 0, outsideMarkets: 0, written: 0, published: 0, standing: 0, held: 0, superseded: 0, skipped: 0 };
    const minChange = minFareChangeFor(store.db);
    r.proposals = p;
    const flights = store.db.prepare('SELECT DISTINCT flight_id FROM pricing_contexts WHERE cycle_id = ? ORDER BY flight_id').pluck().all(cycleId) as string[];
    let recs: Recommendation[] = [];
    let contexts: CabinContext[] = [];
    // what this cycle recommends leaving as it is: older cycles' proposals for it are withdrawn
    let stale: Parameters<typeof workflow.decisions.withdrawStale>[1][number][] = [];
    const skipped: string[] = [];
    const staleOf = (x: Recommendation, reason: string) => ({
      flightId: x.flightId, origin: x.origin, destination: x.destination, travelDate: x.departureDate, kind: x.kind, rbd: x.kind === 'bid_price' ? '' : x.rbd, cabin: x.cabin, reason,
    });
    const flush = () => {
      if (stale.length) p.withdrawn += workflow.decisions.withdrawStale(cycleId, stale).length;
      stale = [];
      if (recs.length === 0) return;
      const res = ingestPricingCycle(workflow.decisions, store.db, { cycleId, recommendations: recs, contexts }, { publish: true, keepStanding: true });
      p.written += res.written; p.published += res.published; p.held += res.held.length; p.superseded += res.superseded; p.skipped += res.skipped.length;
      p.standing += res.standing.length;
      for (const id of res.standing) ctx.standing.push(id);
      for (const s of res.skipped) if (skipped.length < 3) skipped.push(`${s.key}: ${s.reason}`);
      recs = [];
      contexts = [];
    };
    // many short transactions: the audit head file is written once a second meanwhile, not after each
    await workflow.audit.deferHeadWrites(async () => {
      let done = 0;
      for (const flightId of flights) {
        if (ctx.controller.signal.aborted) throw new CancelledError(ctx.cancelReason ?? 'cancelled');
        const { recommendations: mine, contexts: theirs } = loadDeparture(store, { cycleId, flightId });
        p.considered += mine.length;
        const keep = mine.filter((x) => {
          if (!inMarkets(x.origin, x.destination)) { p.outsideMarkets++; return false; }
          if (!all && !changed(x)) { p.unchanged++; stale.push(staleOf(x, `cycle ${cycleId} recommends keeping the value in force`)); return false; }
          // a fare move smaller than the market's smallest change worth filing waits until it adds up
          if (!all && x.kind === 'fare' && !worthFiling(x.recommendedMinor, x.currentMinor, minChange(x.origin, x.destination))) {
            p.belowMinChange++;
            stale.push(staleOf(x, `cycle ${cycleId} recommends a move smaller than the smallest change worth filing`));
            return false;
          }
          return true;
        });
        if (keep.length) {
          recs.push(...keep);
          contexts.push(...theirs);
        }
        if (recs.length + stale.length >= sizer.next()) {
          const n = recs.length + stale.length;
          flush();
          sizer.took(n, performance.now() - sliceStart);
          this.progress(ctx, 'proposals', `${p.published} proposal(s) published`, done, flights.length);
          await yieldToLoop();
          sliceStart = performance.now();
        }
        done++;
      }
      // our codeshares on partners' flights are not priced (their seats are the partner's): earlier cycles'
      // proposals for them are withdrawn too
      const partners = store.db.prepare(`SELECT f.id, f.origin, f.destination, f.local_date FROM flights f INDEXED BY flights_date
          WHERE f.local_date >= ? AND NOT ${operatedByItsCarrierSql('f')} AND f.carrier IN (SELECT code FROM carriers WHERE own = 1)`)
        .all(r.asOf.slice(0, 10)) as { id: string; origin: string; destination: string; local_date: string }[];
      for (const f of partners) {
        if (!inMarkets(f.origin, f.destination)) continue;
        stale.push({ flightId: f.id, origin: f.origin, destination: f.destination, travelDate: f.local_date, kind: null, rbd: '', cabin: '', reason: `cycle ${cycleId} leaves this codeshare to the partner operating the flight` });
      }
      flush();
    });
    if (p.skipped) this.warn(ctx, { step: 'proposals', code: 'recommendation_skipped', message: `${p.skipped} recommendation(s) could not become a decision, e.g. ${skipped.join('; ')}` });
    // the proposals carry what they need: older cycles' recommendations and contexts only grow the store
    const pruned = await pruneCycleOutputs(store, this.o.keepCycleOutputs ?? 3, yieldToLoop);
    // and of older cycles' forecasts, those neither the newest nor the forecast-accuracy KPIs read
    const thinned = r.dryRun ? null : await thinForecasts(store, r.asOf, undefined, yieldToLoop);
    // retention: ended, replaced and long-departed decisions and old audit rows move to archive files (not in a dry run)
    const kept = r.dryRun ? null : await applyRetention(store.db, workflow.audit, loadRetention(store.db), { at: r.asOf, dir: archiveDir(store.dataDir), between: yieldToLoop });
    if (kept && (kept.audit || kept.decisions || kept.resumed)) {
      r.retention = {
        decisions: kept.decisions?.decisions ?? 0, outboxItems: kept.decisions?.outboxItems ?? 0, priceHistory: kept.decisions?.priceHistory ?? 0, auditRows: kept.audit?.rows ?? 0,
        files: [kept.decisions?.file, kept.audit?.file].filter((f): f is string => !!f).map((f) => path.relative(store.dataDir, f)), ms: Math.round(kept.ms),
        ...(kept.resumed ? { resumed: kept.resumed } : {}),
      };
    }
    return {
      summary: `${p.published} proposal(s) published (${p.standing ? `${p.standing} already proposed by an earlier cycle and kept, ` : ''}${p.unchanged} unchanged, ${p.belowMinChange ? `${p.belowMinChange} below the smallest change to file, ` : ''}${p.outsideMarkets} outside the markets, ${p.held} held by overrides, ${p.superseded} older superseded)`
        + (p.withdrawn ? `; ${p.withdrawn} proposal(s) of earlier cycles withdrawn (values this cycle keeps, codeshares left to the partner operating them)` : '')
        + (pruned.cycles ? `; the recommendations and contexts of ${pruned.cycles} older cycle(s) pruned (${pruned.rows} rows)` : '')
        + (thinned?.departures ? `; ${thinned.departures} superseded departure forecast(s) of older cycles deleted (${thinned.rows} rows)` : '')
        + (r.retention ? `; archived ${r.retention.decisions} decision(s) (${r.retention.priceHistory} replaced fare(s) kept in the price history) with ${r.retention.outboxItems} outbox item(s) and ${r.retention.auditRows} audit row(s) to ${r.retention.files.join(', ')}` : '')
        + (r.retention?.resumed ? `; ${r.retention.resumed} decision(s) an interrupted earlier run had archived deleted from the store` : ''),
      status: p.skipped ? 'warning' : 'ok',
    };
  }

  private async approve(ctx: RunContext): Promise<{ summary: string }> {
    const { workflow } = this.deps;
    const r = ctx.report;
    const filters: DecisionFilter[] = (r.markets.length ? r.markets : [null]).map((m) => ({
      ...(r.pricing ? { cycleId: r.pricing.cycleId } : {}),
      ...(m ? { origin: m.slice(0, 3), destination: m.slice(4) } : {}),
    }));
    const a = { considered: 0, approved: 0, rules: [] as NonNullable<CycleReport['autoApproval']>['rules'], waiting: {} as Record<string, number>, dryRun: r.dryRun };
    // which rule approved (or would approve) each: the counts for the report, and in a dry run each decision's reason
    const byRule = new Map<number, { rule: AutoApprovalRule; approved: number }>();
    // this cycle's proposals, and those of earlier cycles it found standing (what it recommends, already proposed)
    const selections: { filter?: DecisionFilter; ids?: number[] }[] = filters.map((filter) => ({ filter }));
    if (ctx.standing.length) selections.push({ ids: ctx.standing });
    for (const sel of selections) {
      const { result: res, byRule: groups } = await workflow.autoApproval.runByRule({ dryRun: r.dryRun, ...sel });
      a.considered += res.considered;
      a.approved += res.approved;
      for (const [k, n] of Object.entries(res.waiting)) a.waiting[k] = (a.waiting[k] ?? 0) + n;
      for (const { rule, ids } of groups) {
        const g = byRule.get(rule.id) ?? { rule, approved: 0 };
        g.approved += ids.length;
        byRule.set(rule.id, g);
        if (r.dryRun) for (const id of ids) ctx.approve.set(id, `auto-approval rule ${rule.id} "${rule.name}" (change within ±${rule.maxChangePct} %)`);
      }
    }
    const rules = workflow.autoApproval.list();
    a.rules = [...byRule.values()].map(({ rule, approved }) => ({ ruleId: rule.id, name: rule.name, maxChangePct: rule.maxChangePct, approved })).sort((x, y) => x.ruleId - y.ruleId);
    r.autoApproval = a;
    const waiting = Object.values(a.waiting).reduce((s, n) => s + n, 0);
    if (rules.filter((x) => x.enabled).length === 0 && a.considered > 0) {
      this.warn(ctx, { step: 'approve', code: 'no_rules', message: 'no auto-approval rule is enabled: every proposal waits for a person (set rules in the workbench: Approvals → Auto-approval rules)' });
    }
    return { summary: `${a.approved} of ${a.considered} proposal(s) ${r.dryRun ? 'would be ' : ''}auto-approved${a.rules.length ? ` (${a.rules.map((x) => `rule ${x.ruleId} "${x.name}": ${x.approved}`).join(', ')})` : ''}; ${waiting} wait for a person` };
  }

  private async push(ctx: RunContext): Promise<{ summary: string; status?: CycleStepReport['status'] }> {
    const { worker, outbox } = this.deps.workflow;
    const r = ctx.report;
    const total: Omit<DrainResult, 'queue' | 'cancelled'> = { batches: 0, accepted: 0, rejected: 0, retrying: 0, failed: 0, replayed: 0 };
    const push = { ...total, cancelled: false, deadlineReached: false, queue: worker.queue() };
    r.push = push;
    if (!worker.configured) {
      const q = worker.queue();
      if (q.queued + q.pendingBatches > 0) this.warn(ctx, { step: 'push', code: 'no_pss', message: `no PSS is configured: ${q.queued} decision(s) stay queued in the outbox` });
      return { summary: 'no PSS is configured', status: 'skipped' };
    }
    const signal = ctx.controller.signal;
    const deadline = Date.now() + (this.o.push?.deadlineMs ?? 600_000);
    let grace: NodeJS.Timeout | null = null;
    const onCancel = () => { grace = setTimeout(() => worker.cancel(), this.o.push?.graceMs ?? 15_000); };
    signal.addEventListener('abort', onCancel, { once: true });
    try {
      while (!signal.aborted) {
        const d = await worker.drain({ maxBatches: 1 });
        for (const k of Object.keys(total) as (keyof typeof total)[]) push[k] += d[k];
        if (d.cancelled) { push.cancelled = true; break; }
        this.progress(ctx, 'push', `${push.accepted} accepted, ${push.rejected} rejected`, push.batches, null);
        if (d.batches > 0 || d.retrying > 0 || d.failed > 0) {
          this.log('info', 'push progress', { runId: r.runId, step: 'push', batches: push.batches, accepted: push.accepted, rejected: push.rejected, retrying: push.retrying, failed: push.failed });
        }
        if (d.batches > 0 || d.failed > 0) continue;
        const q = outbox.status();
        if (q.pendingBatches === 0 || !q.nextAttemptAt) break; // idle (or only items held by failed batches)
        const wait = Date.parse(q.nextAttemptAt) - this.deps.store.clock.now().getTime();
        if (Date.now() + wait > deadline) { push.deadlineReached = true; break; }
        this.progress(ctx, 'push', `the PSS did not answer; next attempt in ${Math.ceil(wait / 1000)} s`, push.batches, null);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.max(0, wait));
          signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
        });
      }
    } finally {
      signal.removeEventListener('abort', onCancel);
      if (grace) clearTimeout(grace);
      push.queue = worker.queue();
    }
    if (signal.aborted) push.cancelled = true;
    if (push.rejected) this.warn(ctx, { step: 'push', code: 'push_rejected', message: `the PSS rejected ${push.rejected} decision(s); they are failed, visible and re-queueable` });
    if (push.failed) this.warn(ctx, { step: 'push', code: 'push_failed', message: `${push.failed} batch(es) failed after their retries; their decisions are failed and re-queueable` });
    if (push.deadlineReached) this.warn(ctx, { step: 'push', code: 'push_deadline', message: `the PSS kept failing; ${push.queue.pendingBatches} batch(es) and ${push.queue.queued} queued item(s) stay in the outbox for the next push` });
    if (push.cancelled) throw new CancelledError(ctx.cancelReason ?? 'cancelled');
    return {
      summary: `${push.accepted} decision(s) pushed in ${push.batches} batch(es), ${push.rejected} rejected${push.replayed ? `, ${push.replayed} replayed` : ''}; outbox: ${push.queue.queued} queued, ${push.queue.pendingBatches} pending batch(es)`,
      status: push.rejected || push.failed || push.deadlineReached ? 'warning' : 'ok',
    };
  }
}
