/**
 * The network-planning and codeshare adapter (connectors/specs/planning.openapi.json): a FeedConnector
 * syncing airports, the holiday and event calendar, the planned schedule as an IATA SSIM chapter 7 file
 * (connectors/ssim: unusable records quarantined with line and field, warnings kept in the run's detail),
 * codeshare agreements (the API's and the SSIM DEI 10/50 ones), and SSIM files of its drop folder; and the
 * SchedulePort for real-time requests.
 *
 * A clean SSIM file replaces the planned schedule of its carrier and validity as a snapshot. A file with
 * unusable records updates what it can and removes nothing, so a damaged file never erases flights.
 * Fallback: when the schedule cannot be fetched, the last good schedule stays in force (the store keeps
 * it; the port answers it from its cache) and the run says so with its age.
 */
import { createHash } from 'node:crypto';
import type { BreakerSnapshot, FallbackUse, FeedConnector, QuarantinedRecord, SyncContext, SyncResult } from '../../engine/ports/feed-sync';
import type { CalendarEvent, CodeshareAgreement, PlannedLeg, ScheduleQuery, SchedulePort } from '../../engine/ports/schedule';
import type { PortAnswer } from '../../engine/ports/answer';
import type { Airport } from '../../engine/domain/types';
import { addDays, systemClock, type Clock } from '../../engine/domain/time';
import type { z } from 'zod';
import type { HttpClient } from '../http/client';
import type { ClientCredentialsTokenProvider } from '../http/oauth2';
import type { Redactor } from '../http/redact';
import type { Route } from '../files/drop-folder';
import { FallbackCache, type FallbackPersistence } from '../resilience/fallback-cache';
import { readSsimSchedule, toQuarantine, type SsimSchedule } from '../ssim/expand';
import type { SsimFile } from '../ssim/types';
import { createSystemClient, finishRun, pipelinePages, splitValid, startRun, SyncTally, type HttpSettings } from '../pss/sync-kit';
import { RunDropFolder, commitFile, type DropFolderSettings, type RunRef } from '../pss/file-drops';
import { listPage, toCalendarEvent, toCodeshare, toPlanningAirport, wireCalendarEvent, wireCodeshare, wirePlanningAirport } from './wire';

export interface ScheduleConnectorOptions extends HttpSettings {
  /** SSIM drop folder (optional) */
  dropFolder?: DropFolderSettings;
  /** the schedule window asked for (default: what the system offers) */
  window?: { fromDate: string; toDate: string };
  /** calendar events synced: days back and ahead of today (default 400 and 500) */
  calendarDays?: { back: number; ahead: number };
  pageSize?: number;
  /** keeps the last good answers (the last good schedule among them) across restarts */
  cachePersistence?: FallbackPersistence<unknown>;
}

interface ScheduleCursor { at: string; source: string; legs: number }

type ReadSchedule = SsimSchedule & { file: SsimFile };

/**
 * The legs of a read SSIM file per carrier, and each carrier's validity: its carrier record's (type 2)
 * when stated, else the span of its legs' dates.
 */
function schedulePages(s: ReadSchedule): { byCarrier: Map<string, PlannedLeg[]>; validity: Map<string, { fromDate: string; toDate: string }> } {
  const byCarrier = new Map<string, PlannedLeg[]>();
  const validity = new Map<string, { fromDate: string; toDate: string }>();
  for (const c of s.file.carriers) if (c.validFrom && c.validTo) validity.set(c.airline, { fromDate: c.validFrom, toDate: c.validTo });
  const stated = new Set(validity.keys());
  for (const l of s.legs) {
    const list = byCarrier.get(l.carrier);
    if (list) list.push(l);
    else byCarrier.set(l.carrier, [l]);
    if (stated.has(l.carrier)) continue;
    const v = validity.get(l.carrier);
    validity.set(l.carrier, v ? { fromDate: l.localDate < v.fromDate ? l.localDate : v.fromDate, toDate: l.localDate > v.toDate ? l.localDate : v.toDate } : { fromDate: l.localDate, toDate: l.localDate });
  }
  return { byCarrier, validity };
}

export class ScheduleConnector implements FeedConnector, SchedulePort {
  readonly feed = 'schedule' as const;
  readonly endpoint: string;
  private readonly client: HttpClient;
  private readonly tokens: ClientCredentialsTokenProvider;
  private readonly redactor: Redactor;
  private readonly cache: FallbackCache<unknown>;
  private readonly clock: Clock;
  private readonly drops: RunDropFolder | null;

  constructor(private readonly opts: ScheduleConnectorOptions) {
    const c = createSystemClient('schedule', opts);
    this.client = c.client;
    this.tokens = c.tokens;
    this.redactor = c.redactor;
    this.clock = opts.clock ?? systemClock;
    this.cache = new FallbackCache({ clock: this.clock, persistence: opts.cachePersistence });
    this.endpoint = this.client.baseUrl.origin + this.client.baseUrl.pathname.replace(/\/$/, '');
    this.drops = opts.dropFolder ? new RunDropFolder(opts.dropFolder, (run) => [this.ssimRoute(run)]) : null;
  }

  breaker(): BreakerSnapshot {
    return this.client.breaker!.snapshot();
  }

  async sync(ctx: SyncContext): Promise<SyncResult> {
    const recording = startRun(this.client);
    const tally = new SyncTally();
    const detail: Record<string, unknown> = {};
    const pageSize = this.opts.pageSize ?? 2000;
    try {
      await this.syncList(ctx, tally, 'airports', '/v1/airports', {}, wirePlanningAirport, toPlanningAirport, pageSize);
      const today = ctx.clock.now().toISOString().slice(0, 10);
      const cal = this.opts.calendarDays ?? { back: 400, ahead: 500 };
      await this.syncList(ctx, tally, 'calendar', '/v1/calendar', { fromDate: addDays(today, -cal.back), toDate: addDays(today, cal.ahead) }, wireCalendarEvent, toCalendarEvent, pageSize);

      let fetched: { text: string; name: string };
      try {
        fetched = await this.fetchSsim(ctx.signal);
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        const last = readCursor(ctx.getCursor('schedule'));
        if (!last) throw e;
        const fallback: FallbackUse = {
          source: 'last_good_schedule', asOf: last.at, ageMs: Math.max(0, ctx.clock.now().getTime() - Date.parse(last.at)),
          reason: `the planned schedule could not be fetched; the last good one (${last.source}, ${last.legs} legs) stays in force: ${this.redactor.redact((e as Error).message)}`,
        };
        if (this.drops) detail.files = await this.dropScan(ctx, tally);
        return finishRun({ recording, tally, redactor: this.redactor, error: e, fallback, detail });
      }
      const schedule = readSsimSchedule(fetched.text, { source: fetched.name });
      const apiCodeshares = await this.fetchCodeshares(ctx, tally, pageSize);
      const applied = await this.applySchedule(ctx, tally, schedule, apiCodeshares, 'schedule', null);
      detail.schedule = applied;
      await this.cache.put('schedule:all', schedule.legs);
      if (this.drops) detail.files = await this.dropScan(ctx, tally);
      return finishRun({ recording, tally, redactor: this.redactor, detail });
    } catch (error) {
      return finishRun({ recording, tally, redactor: this.redactor, error, detail, signal: ctx.signal });
    }
  }

  private async syncList<W, D>(ctx: SyncContext, tally: SyncTally, stream: 'airports' | 'calendar', path: string, query: Record<string, string>, schema: z.ZodType<W>, normalise: (w: W) => D, limit: number): Promise<void> {
    await pipelinePages<string | null, z.infer<typeof listPage>>(
      null,
      async (pageToken) => (await this.client.json({ method: 'GET', path, query: { ...query, pageToken, limit }, signal: ctx.signal }, listPage)).data,
      (page) => page.nextPageToken,
      async (page, pageNo) => {
        const { records, quarantined } = splitValid(page.data, schema, normalise, { source: `schedule GET ${path}`, page: pageNo });
        await tally.commit(ctx, { stream, records: { kind: stream, items: records } as never, quarantined }, page.data.length);
      },
    );
  }

  private async fetchSsim(signal?: AbortSignal): Promise<{ text: string; name: string }> {
    const res = await this.client.request({
      method: 'GET', path: '/v1/schedules/ssim', signal, headers: { accept: 'text/plain' },
      query: this.opts.window ? { fromDate: this.opts.window.fromDate, toDate: this.opts.window.toDate } : {},
    });
    const name = /filename="([^"]+)"/.exec(res.headers['content-disposition'] ?? '')?.[1] ?? 'schedule.ssim';
    return { text: res.body.toString('latin1'), name };
  }

  private async fetchCodeshares(ctx: SyncContext, tally: SyncTally, limit: number): Promise<CodeshareAgreement[]> {
    const out: CodeshareAgreement[] = [];
    const quarantined: QuarantinedRecord[] = [];
    await pipelinePages<string | null, z.infer<typeof listPage>>(
      null,
      async (pageToken) => (await this.client.json({ method: 'GET', path: '/v1/codeshares', query: { pageToken, limit }, signal: ctx.signal }, listPage)).data,
      (page) => page.nextPageToken,
      async (page, pageNo) => {
        const r = splitValid(page.data, wireCodeshare, toCodeshare, { source: 'schedule GET /v1/codeshares', page: pageNo });
        out.push(...r.records);
        quarantined.push(...r.quarantined);
      },
    );
    // the valid ones are counted in once merged with the file's (applySchedule): here, what was quarantined
    if (quarantined.length) await tally.commit(ctx, { stream: 'codeshares-api', records: { kind: 'codeshares', items: [] }, quarantined }, quarantined.length);
    return out;
  }

  /**
   * Writes a read SSIM file: its unusable records to quarantine, its legs per carrier (as a snapshot of the
   * carrier's validity when the file is clean), then the codeshares (the file's and `extra`). `fileCursor`
   * commits the file's identity with its last page (drop folder files).
   */
  private async applySchedule(ctx: SyncContext, tally: SyncTally, s: ReadSchedule, extra: CodeshareAgreement[], stream: string, fileCursor: { stream: string; cursor: string } | null) {
    const clean = s.errors.length === 0;
    const quarantined = toQuarantine(s.source, s.errors);
    const { byCarrier, validity } = schedulePages(s);
    const carrierFiles = s.legs.length ? [...byCarrier.keys()] : [];
    // codeshares first: the legs page carries the file's cursor, so a re-run re-applies both
    const codeshares = dedupeCodeshares([...s.codeshares, ...extra]);
    // the same agreement in the file and from the API (or twice in one): counted in, written once
    tally.merged('codeshares', s.codeshares.length + extra.length - codeshares.length);
    const byOperating = new Map<string, CodeshareAgreement[]>();
    for (const c of codeshares) {
      const list = byOperating.get(c.operatingCarrier);
      if (list) list.push(c);
      else byOperating.set(c.operatingCarrier, [c]);
    }
    for (const [carrier, list] of byOperating) {
      const scope = { carrier, fromDate: list.reduce((d, c) => (c.validFrom < d ? c.validFrom : d), list[0]!.validFrom), toDate: list.reduce((d, c) => (c.validTo > d ? c.validTo : d), list[0]!.validTo) };
      await tally.commit(ctx, { stream: 'codeshares', records: { kind: 'codeshares', items: list, ...(clean ? { snapshot: scope } : {}) }, quarantined: [] }, list.length);
    }
    if (carrierFiles.length === 0) {
      await tally.commit(ctx, { stream, records: { kind: 'plannedLegs', items: [] }, quarantined, ...(fileCursor ? { cursor: fileCursor.cursor } : {}) }, s.errors.length);
    }
    for (let i = 0; i < carrierFiles.length; i++) {
      const carrier = carrierFiles[i]!;
      const legs = byCarrier.get(carrier)!;
      const v = validity.get(carrier)!;
      const last = i === carrierFiles.length - 1;
      const cursor = last ? (fileCursor?.cursor ?? JSON.stringify({ at: ctx.clock.now().toISOString(), source: s.source, legs: s.legs.length } satisfies ScheduleCursor)) : undefined;
      await tally.commit(ctx, {
        stream: last && fileCursor ? fileCursor.stream : stream,
        records: { kind: 'plannedLegs', items: legs, ...(clean ? { snapshot: { carrier, fromDate: v.fromDate, toDate: v.toDate } } : {}) },
        quarantined: i === 0 ? quarantined : [], ...(cursor !== undefined ? { cursor } : {}),
      }, legs.length + (i === 0 ? s.errors.length : 0));
    }
    return {
      source: s.source, legs: s.legs.length, passengerLegs: s.legs.filter((l) => l.passenger).length, codeshares: codeshares.length,
      errors: s.errors.length, snapshot: clean,
      warnings: s.warnings.slice(0, 50).map((w) => `line ${w.line} ${w.field}: ${w.message}`), warningsTotal: s.warnings.length,
    };
  }

  private ssimRoute(run: RunRef): Route {
    return {
      kind: 'ssim',
      matches: (name) => /\.(ssim|txt)$/i.test(name),
      ingest: async (bytes, fileName) => {
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        const ctx = run.ctx!;
        if (this.drops!.applied(ctx, sha256)) return { status: 'duplicate', kind: 'ssim', sha256 };
        const s = readSsimSchedule(bytes, { source: fileName });
        if (s.file.legRecords.length === 0 && s.errors.length > 0 && s.legs.length === 0) {
          return { status: 'rejected', kind: 'ssim', sha256, reason: `no usable flight-leg record (${s.errors.length} errors)`, details: s.errors.slice(0, 20).map((e) => `line ${e.line} ${e.field}: ${e.message}`) };
        }
        await this.applySchedule(ctx, run.tally!, s, [], `file-ssim:${fileName}`, { stream: `file:${sha256}`, cursor: fileName });
        return { status: 'applied', kind: 'ssim', sha256, rowsIn: s.file.legRecords.length, rowsApplied: s.file.uniqueLegRecords.length, quarantined: s.errors.length, unknownColumns: [] };
      },
    };
  }

  private async dropScan(ctx: SyncContext, tally: SyncTally) {
    const outcomes = await this.drops!.scan(ctx, tally, { kind: 'plannedLegs', items: [] });
    return outcomes.map((o) => ({ file: o.file, status: o.status, movedTo: o.movedTo, ...(o.status === 'rejected' ? { reason: o.reason } : {}) }));
  }

  // — the SchedulePort —

  async schedule(query: ScheduleQuery, signal?: AbortSignal): Promise<PortAnswer<PlannedLeg[]>> {
    const pick = (legs: PlannedLeg[]) => legs.filter((l) => l.localDate >= query.fromDate && l.localDate <= query.toDate && (!query.carrier || l.carrier === query.carrier));
    try {
      const f = await this.fetchSsim(signal);
      const legs = readSsimSchedule(f.text, { source: f.name }).legs;
      await this.cache.put('schedule:all', legs);
      return { data: pick(legs), source: 'live', stale: false, asOf: this.clock.now().toISOString(), ageMs: 0, reason: null };
    } catch (e) {
      if (signal?.aborted) throw e;
      const hit = await this.cache.get('schedule:all');
      if (!hit) throw e;
      return { data: pick(hit.value as PlannedLeg[]), source: 'last_good_schedule', stale: true, asOf: hit.storedAt, ageMs: hit.ageMs, reason: this.redactor.redact((e as Error).message) };
    }
  }

  async codeshares(query: ScheduleQuery, signal?: AbortSignal): Promise<PortAnswer<CodeshareAgreement[]>> {
    const a = await this.cached('codeshares', () => this.fetchAll('/v1/codeshares', {}, wireCodeshare, toCodeshare, signal), signal);
    return { ...a, data: a.data.filter((c) => c.validTo >= query.fromDate && c.validFrom <= query.toDate && (!query.carrier || c.operatingCarrier === query.carrier || c.marketingCarrier === query.carrier)) };
  }

  async airports(signal?: AbortSignal): Promise<PortAnswer<Airport[]>> {
    return this.cached('airports', () => this.fetchAll('/v1/airports', {}, wirePlanningAirport, toPlanningAirport, signal), signal);
  }

  async calendar(query: { fromDate: string; toDate: string }, signal?: AbortSignal): Promise<PortAnswer<CalendarEvent[]>> {
    return this.cached(`calendar:${query.fromDate}:${query.toDate}`, () => this.fetchAll('/v1/calendar', query, wireCalendarEvent, toCalendarEvent, signal), signal);
  }

  private async fetchAll<W, D>(path: string, query: Record<string, string>, schema: z.ZodType<W>, normalise: (w: W) => D, signal?: AbortSignal): Promise<D[]> {
    const out: D[] = [];
    await pipelinePages<string | null, z.infer<typeof listPage>>(
      null,
      async (pageToken) => (await this.client.json({ method: 'GET', path, query: { ...query, pageToken, limit: 10_000 }, signal }, listPage)).data,
      (page) => page.nextPageToken,
      async (page) => { out.push(...splitValid(page.data, schema, normalise, { source: `schedule ${path}` }).records); },
    );
    return out;
  }

  private async cached<T>(key: string, fetch: () => Promise<T>, signal?: AbortSignal): Promise<PortAnswer<T>> {
    const r = await this.cache.fetchOr(key, fetch, (e) => this.redactor.redact((e as Error).message), signal);
    if (!r.stale) return { data: r.value as T, source: 'live', stale: false, asOf: r.fetchedAt, ageMs: 0, reason: null };
    return { data: r.value as T, source: 'cache', stale: true, asOf: r.storedAt, ageMs: r.ageMs, reason: r.reason };
  }

  async close(): Promise<void> {
    await Promise.all([this.client.close(), this.tokens.close()]);
  }
}

function dedupeCodeshares(list: CodeshareAgreement[]): CodeshareAgreement[] {
  const seen = new Map<string, CodeshareAgreement>();
  for (const c of list) {
    const k = [c.marketingCarrier, c.marketingFlightNumber, c.operatingCarrier, c.operatingFlightNumber, c.origin, c.destination, c.validFrom, c.validTo].join('|');
    if (!seen.has(k)) seen.set(k, c);
  }
  return [...seen.values()];
}

function readCursor(text: string | undefined): ScheduleCursor | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as ScheduleCursor;
    return typeof v.at === 'string' ? v : null;
  } catch {
    return null;
  }
}

export function createScheduleConnector(opts: ScheduleConnectorOptions): ScheduleConnector {
  return new ScheduleConnector(opts);
}
