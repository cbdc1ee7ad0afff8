/**
 * The PROS O&D adapter (connectors/specs/pros.openapi.json, CSV files per connectors/specs/csv.ts): a
 * FeedConnector syncing the demand publication stream (incremental cursor), route performance (a window
 * from the last flown date synced to the horizon) and the CSV batch files of its drop folder; and the
 * DemandPort answering real-time market queries.
 *
 * Fallback: when the feed fails or its newest figure is older than `staleAfterMs` (by the workbench's
 * clock), the run is marked
 * `fallback` with the age of the data the engines now rely on (historical averages), and the port answers
 * from historical averages, flagged.
 */
import type { BreakerSnapshot, FallbackUse, FeedConnector, SyncContext, SyncResult } from '../../engine/ports/feed-sync';
import type { DemandPort, DemandQuery, DemandRecord, RoutePerformance } from '../../engine/ports/demand';
import type { PortAnswer } from '../../engine/ports/answer';
import { addDays } from '../../engine/domain/time';
import type { z } from 'zod';
import type { HttpClient } from '../http/client';
import type { ClientCredentialsTokenProvider } from '../http/oauth2';
import type { Redactor } from '../http/redact';
import { route } from '../files/drop-folder';
import type { FallbackPersistence } from '../resilience/fallback-cache';
import { PROS_DEMAND_FILE, PROS_ROUTE_PERFORMANCE_FILE } from '../specs/csv';
import { createSystemClient, finishRun, nextCursor, pipelinePages, splitValid, startRun, SyncTally, type HttpSettings } from '../pss/sync-kit';
import { RunDropFolder, commitFile, type DropFolderSettings } from '../pss/file-drops';
import { HistoricalAverages, type AveragesSnapshot } from './historical-averages';
import {
  demandFromRow, demandStreamPage, marketAnswer, routePage, routePerformanceFromRow, toDemand, toRoutePerformance, wireDemand, wireRoutePerformance,
} from './wire';

export interface ProsConnectorOptions extends HttpSettings {
  /** our carrier, whose figures the port's fallback answers with */
  ownCarriers: readonly string[];
  /** the CSV drop folder (optional) */
  dropFolder?: DropFolderSettings;
  /** demand records per page (default 5000) */
  pageSize?: number;
  /** the newest figure older than this makes the feed stale (default 36 h) */
  staleAfterMs?: number;
  /** route performance: days of flown history fetched on the first run (default 400) */
  historyDays?: number;
  /** route performance: days ahead (default 365) */
  horizonDays?: number;
  /** keeps the historical averages across restarts */
  averagesPersistence?: FallbackPersistence<AveragesSnapshot>;
}

interface DemandCursor { c: string; asOf: string | null }

export class ProsConnector implements FeedConnector, DemandPort {
  readonly feed = 'pros' as const;
  readonly endpoint: string;
  private readonly client: HttpClient;
  private readonly tokens: ClientCredentialsTokenProvider;
  private readonly redactor: Redactor;
  private readonly drops: RunDropFolder | null;
  private averages = new HistoricalAverages();
  private averagesLoaded = false;

  constructor(private readonly opts: ProsConnectorOptions) {
    const c = createSystemClient('pros', opts);
    this.client = c.client;
    this.tokens = c.tokens;
    this.redactor = c.redactor;
    this.endpoint = this.client.baseUrl.origin + this.client.baseUrl.pathname.replace(/\/$/, '');
    this.drops = opts.dropFolder ? new RunDropFolder(opts.dropFolder, (run) => [
      route(PROS_DEMAND_FILE, {
        alreadyApplied: (sha) => this.drops!.applied(run.ctx!, sha),
        apply: async (b) => {
          const { records, quarantined } = splitValid(b.rows.map((r) => r.value), null, demandFromRow, { source: `file ${b.file}`, locate: (i) => `line ${b.rows[i]!.line}` });
          this.averages.addDemand(records);
          await commitFile(run, b.file, b.sha256, { kind: 'demand', items: records }, [...b.quarantined, ...quarantined], b.rows.length + b.quarantined.length);
        },
      }),
      route(PROS_ROUTE_PERFORMANCE_FILE, {
        alreadyApplied: (sha) => this.drops!.applied(run.ctx!, sha),
        apply: async (b) => {
          const { records, quarantined } = splitValid(b.rows.map((r) => r.value), null, routePerformanceFromRow, { source: `file ${b.file}`, locate: (i) => `line ${b.rows[i]!.line}` });
          await commitFile(run, b.file, b.sha256, { kind: 'routePerformance', items: records }, [...b.quarantined, ...quarantined], b.rows.length + b.quarantined.length);
        },
      }),
    ]) : null;
  }

  breaker(): BreakerSnapshot {
    return this.client.breaker!.snapshot();
  }

  async sync(ctx: SyncContext): Promise<SyncResult> {
    await this.loadAverages();
    const recording = startRun(this.client);
    const tally = new SyncTally();
    const detail: Record<string, unknown> = {};
    const cursor = readCursor(ctx.getCursor('demand'));
    let newest = cursor.asOf;
    let serverNow: string | null = null;
    try {
      // demand publications, incremental
      await pipelinePages<string | null, z.infer<typeof demandStreamPage>>(
        cursor.c || null,
        async (after) => (await this.client.json({ method: 'GET', path: '/v1/demand', query: { after, limit: this.opts.pageSize ?? 5000 }, signal: ctx.signal }, demandStreamPage)).data,
        (page, asked) => nextCursor(page, asked, 'pros GET /v1/demand'),
        async (page, pageNo) => {
          serverNow = page.asOf;
          const { records, quarantined } = splitValid(page.data, wireDemand, toDemand, { source: 'pros GET /v1/demand', page: pageNo });
          for (const r of records) if (!newest || r.asOf > newest) newest = r.asOf;
          this.averages.addDemand(records);
          const next: DemandCursor = { c: page.nextCursor, asOf: newest };
          await tally.commit(ctx, { stream: 'demand', records: { kind: 'demand', items: records }, quarantined, cursor: JSON.stringify(next) }, page.data.length);
        },
      );
      // route performance: from the last date whose departures had all flown, to the horizon
      const today = (serverNow ?? ctx.clock.now().toISOString()).slice(0, 10);
      const flownThrough = ctx.getCursor('routePerformance');
      const fromDate = flownThrough ? addDays(flownThrough, 1) : addDays(today, -(this.opts.historyDays ?? 400));
      const toDate = addDays(today, this.opts.horizonDays ?? 365);
      await pipelinePages<string | null, z.infer<typeof routePage>>(
        null,
        async (pageToken) => (await this.client.json({ method: 'GET', path: '/v1/route-performance', query: { fromDate, toDate, pageToken, limit: this.opts.pageSize ?? 5000 }, signal: ctx.signal }, routePage)).data,
        (page) => page.nextPageToken,
        async (page, pageNo) => {
          const { records, quarantined } = splitValid(page.data, wireRoutePerformance, toRoutePerformance, { source: 'pros GET /v1/route-performance', page: pageNo });
          this.averages.addRoutes(records, today);
          // the cursor moves (to the day before yesterday: those departures are final) with the last page only
          const last = page.nextPageToken === null;
          await tally.commit(ctx, { stream: 'routePerformance', records: { kind: 'routePerformance', items: records }, quarantined, ...(last ? { cursor: addDays(today, -2) } : {}) }, page.data.length);
        },
      );
      if (this.drops) detail.files = await this.dropScan(ctx, tally);
      await this.saveAverages();
      const fallback = this.staleness(newest, ctx.clock.now().toISOString());
      return finishRun({ recording, tally, redactor: this.redactor, fallback, detail });
    } catch (error) {
      if (this.drops && !ctx.signal.aborted) {
        try { detail.files = await this.dropScan(ctx, tally); } catch (e) { detail.filesError = this.redactor.redact((e as Error).message); }
      }
      await this.saveAverages();
      const fallback = newest && !ctx.signal.aborted ? this.fallbackUse(newest, ctx.clock.now(), `the PROS feed failed: ${this.redactor.redact((error as Error).message)}`) : null;
      return finishRun({ recording, tally, redactor: this.redactor, error, fallback, detail, signal: ctx.signal });
    }
  }

  private async dropScan(ctx: SyncContext, tally: SyncTally) {
    const outcomes = await this.drops!.scan(ctx, tally, { kind: 'demand', items: [] });
    return outcomes.map((o) => ({ file: o.file, status: o.status, movedTo: o.movedTo, ...(o.status === 'rejected' ? { reason: o.reason } : {}) }));
  }

  private staleness(newest: string | null, now: string): FallbackUse | null {
    if (!newest) return null;
    const age = Date.parse(now) - Date.parse(newest);
    const limit = this.opts.staleAfterMs ?? 36 * 3_600_000;
    if (age <= limit) return null;
    return this.fallbackUse(newest, new Date(now), `the newest PROS figure is ${(age / 3_600_000).toFixed(1)} h old (stale after ${(limit / 3_600_000).toFixed(0)} h)`);
  }

  private fallbackUse(asOf: string, now: Date, reason: string): FallbackUse {
    return { source: 'historical_average', asOf, ageMs: Math.max(0, now.getTime() - Date.parse(asOf)), reason };
  }

  async demand(query: DemandQuery, signal?: AbortSignal): Promise<PortAnswer<DemandRecord[]>> {
    return this.live(`/v1/markets/${query.origin}/${query.destination}/demand`,
      { fromDate: query.fromDate, toDate: query.toDate, cabin: query.cabin, dcps: query.dcps?.join(',') },
      (data) => splitValid(data, wireDemand, toDemand, { source: 'pros market demand', page: 1 }).records,
      () => this.averages.demand(query, this.opts.ownCarriers), signal);
  }

  async routePerformance(query: Omit<DemandQuery, 'dcps'>, signal?: AbortSignal): Promise<PortAnswer<RoutePerformance[]>> {
    return this.live(`/v1/markets/${query.origin}/${query.destination}/route-performance`,
      { fromDate: query.fromDate, toDate: query.toDate, cabin: query.cabin },
      (data) => splitValid(data, wireRoutePerformance, toRoutePerformance, { source: 'pros market route performance', page: 1 }).records,
      () => this.averages.routePerformance(query, this.opts.ownCarriers), signal);
  }

  private async live<T>(path: string, query: Record<string, string | undefined>, read: (data: unknown[]) => T[], averages: () => T[], signal?: AbortSignal): Promise<PortAnswer<T[]>> {
    await this.loadAverages();
    try {
      const res = await this.client.json({ method: 'GET', path, query, signal }, marketAnswer);
      const data = read(res.data.data);
      return { data, source: 'live', stale: false, asOf: res.data.asOf, ageMs: 0, reason: null };
    } catch (e) {
      if (signal?.aborted) throw e;
      const asOf = this.averages.asOf ?? new Date(0).toISOString();
      const now = this.opts.clock?.now() ?? new Date();
      return {
        data: averages(), source: 'historical_average', stale: true, asOf, ageMs: Math.max(0, now.getTime() - Date.parse(asOf)),
        reason: `${this.redactor.redact((e as Error).message)}${this.averages.size === 0 ? ' (no history to average yet)' : ''}`,
      };
    }
  }

  private async loadAverages(): Promise<void> {
    if (this.averagesLoaded) return;
    this.averagesLoaded = true;
    const saved = await this.opts.averagesPersistence?.load('pros-historical-averages');
    if (saved) this.averages = HistoricalAverages.fromSnapshot(saved.value);
  }

  private async saveAverages(): Promise<void> {
    await this.opts.averagesPersistence?.save('pros-historical-averages', { value: this.averages.snapshot(), storedAt: new Date().toISOString() });
  }

  async close(): Promise<void> {
    await Promise.all([this.client.close(), this.tokens.close()]);
  }
}

function readCursor(text: string | undefined): DemandCursor {
  if (!text) return { c: '', asOf: null };
  try {
    const v = JSON.parse(text) as DemandCursor;
    if (typeof v.c === 'string') return v;
  } catch { /* an older plain cursor */ }
  return { c: text, asOf: null };
}

export function createProsConnector(opts: ProsConnectorOptions): ProsConnector {
  return new ProsConnector(opts);
}
