/**
 * The pricing-tool adapter (connectors/specs/pricing.openapi.json): a FeedConnector syncing the competitor
 * fare observation stream (incremental cursor), elasticity estimates and dated exchange rates (from the
 * last date synced), and the CompetitorPort for real-time requests.
 *
 * Fallbacks, always flagged: real-time answers fall back to the last good answer for the same request
 * (stale, with its age), then to defaults (competitor fares: none; elasticities: the configured default per
 * cabin). Exchange rates are never invented: without a live or cached rate the request fails.
 */
import type { BreakerSnapshot, FallbackUse, FeedConnector, SyncContext, SyncResult } from '../../engine/ports/feed-sync';
import type { CompetitorFare, CompetitorFareQuery, CompetitorPort, ElasticityEstimate, ExchangeRate } from '../../engine/ports/competitor';
import type { PortAnswer } from '../../engine/ports/answer';
import type { AirportCode, CabinCode } from '../../engine/domain/types';
import type { CurrencyCode } from '../../engine/domain/money';
import { addDays, systemClock, type Clock } from '../../engine/domain/time';
import type { z } from 'zod';
import type { HttpClient } from '../http/client';
import type { ClientCredentialsTokenProvider } from '../http/oauth2';
import type { Redactor } from '../http/redact';
import { FallbackCache, type FallbackPersistence } from '../resilience/fallback-cache';
import { createSystemClient, finishRun, nextCursor, pipelinePages, splitValid, startRun, SyncTally, type HttpSettings } from '../pss/sync-kit';
import { fareStreamPage, listPage, searchAnswer, toCompetitorFare, toElasticity, toRate, wireCompetitorFare, wireElasticity, wireRate } from './wire';

export interface CompetitorConnectorOptions extends HttpSettings {
  /** the currencies exchange rates are synced from (default ["EUR"]) */
  baseCurrencies?: readonly CurrencyCode[];
  /** days of exchange-rate history fetched on the first run (default 400) */
  rateHistoryDays?: number;
  /** records per page (default 5000) */
  pageSize?: number;
  /** the elasticity used when no estimate can be had, by cabin ("*" for any other cabin); flagged as a default */
  defaultElasticities?: Record<string, number>;
  /** keeps the last good real-time answers across restarts */
  cachePersistence?: FallbackPersistence<unknown>;
}

export const DEFAULT_ELASTICITIES: Readonly<Record<string, number>> = { J: -0.6, Y: -1.3, '*': -1.0 };

export class CompetitorConnector implements FeedConnector, CompetitorPort {
  readonly feed = 'competitor' as const;
  readonly endpoint: string;
  private readonly client: HttpClient;
  private readonly tokens: ClientCredentialsTokenProvider;
  private readonly redactor: Redactor;
  private readonly cache: FallbackCache<unknown>;
  private readonly clock: Clock;

  constructor(private readonly opts: CompetitorConnectorOptions) {
    const c = createSystemClient('competitor', opts);
    this.client = c.client;
    this.tokens = c.tokens;
    this.redactor = c.redactor;
    this.clock = opts.clock ?? systemClock;
    this.cache = new FallbackCache({ clock: this.clock, persistence: opts.cachePersistence });
    this.endpoint = this.client.baseUrl.origin + this.client.baseUrl.pathname.replace(/\/$/, '');
  }

  breaker(): BreakerSnapshot {
    return this.client.breaker!.snapshot();
  }

  async sync(ctx: SyncContext): Promise<SyncResult> {
    const recording = startRun(this.client);
    const tally = new SyncTally();
    const limit = this.opts.pageSize ?? 5000;
    let fallback: FallbackUse | null = null;
    try {
      await pipelinePages<string | null, z.infer<typeof fareStreamPage>>(
        ctx.getCursor('competitorFares') ?? null,
        async (after) => (await this.client.json({ method: 'GET', path: '/v1/competitor-fares', query: { after, limit }, signal: ctx.signal }, fareStreamPage)).data,
        (page, asked) => nextCursor(page, asked, 'competitor GET /v1/competitor-fares'),
        async (page, pageNo) => {
          const { records, quarantined } = splitValid(page.data, wireCompetitorFare, toCompetitorFare, { source: 'competitor GET /v1/competitor-fares', page: pageNo });
          await tally.commit(ctx, { stream: 'competitorFares', records: { kind: 'competitorFares', items: records }, quarantined, cursor: page.nextCursor }, page.data.length);
        },
      );
      try {
        await pipelinePages<string | null, z.infer<typeof listPage>>(
          null,
          async (pageToken) => (await this.client.json({ method: 'GET', path: '/v1/elasticities', query: { pageToken, limit }, signal: ctx.signal }, listPage)).data,
          (page) => page.nextPageToken,
          async (page, pageNo) => {
            const { records, quarantined } = splitValid(page.data, wireElasticity, toElasticity, { source: 'competitor GET /v1/elasticities', page: pageNo });
            await tally.commit(ctx, { stream: 'elasticities', records: { kind: 'elasticities', items: records }, quarantined }, page.data.length);
          },
        );
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        // the engines price with the configured default elasticities until estimates arrive
        fallback = { source: 'default', asOf: ctx.clock.now().toISOString(), ageMs: 0, reason: `elasticity estimates unavailable, defaults in use: ${this.redactor.redact((e as Error).message)}` };
      }
      for (const base of this.opts.baseCurrencies ?? ['EUR']) {
        const stream = `exchangeRates:${base}`;
        const last = ctx.getCursor(stream);
        // from the newest date already in (not the day after: that is after the source's today on a second
        // sync the same day, which it refuses as a range ending before it starts); the rows are upserts
        const fromDate = last ?? addDays(ctx.clock.now().toISOString().slice(0, 10), -(this.opts.rateHistoryDays ?? 400));
        let newest = last ?? null;
        await pipelinePages<string | null, z.infer<typeof listPage>>(
          null,
          async (pageToken) => (await this.client.json({ method: 'GET', path: '/v1/exchange-rates', query: { base, fromDate, pageToken, limit }, signal: ctx.signal }, listPage)).data,
          (page) => page.nextPageToken,
          async (page, pageNo) => {
            const { records, quarantined } = splitValid(page.data, wireRate, toRate, { source: 'competitor GET /v1/exchange-rates', page: pageNo });
            for (const r of records) if (!newest || r.date > newest) newest = r.date;
            // the cursor (last date received) moves with the last page, when every quote of the dates is in
            await tally.commit(ctx, { stream, records: { kind: 'exchangeRates', items: records }, quarantined, ...(page.nextPageToken === null && newest ? { cursor: newest } : {}) }, page.data.length);
          },
        );
      }
      return finishRun({ recording, tally, redactor: this.redactor, fallback });
    } catch (error) {
      return finishRun({ recording, tally, redactor: this.redactor, error, signal: ctx.signal });
    }
  }

  async competitorFares(query: CompetitorFareQuery, signal?: AbortSignal): Promise<PortAnswer<CompetitorFare[]>> {
    const key = `fares:${JSON.stringify(query)}`;
    return this.answer(key, async () => {
      const res = await this.client.json({
        method: 'GET', path: '/v1/competitor-fares/search', signal,
        query: { origin: query.origin, destination: query.destination, fromDate: query.fromDate, toDate: query.toDate, cabin: query.cabin, carriers: query.carriers?.join(',') },
      }, searchAnswer);
      return { data: splitValid(res.data.data, wireCompetitorFare, toCompetitorFare, { source: 'competitor search' }).records, asOf: res.data.asOf };
    }, () => [], signal);
  }

  async elasticities(query: { origin: AirportCode; destination: AirportCode }, signal?: AbortSignal): Promise<PortAnswer<ElasticityEstimate[]>> {
    const key = `elasticities:${query.origin}-${query.destination}`;
    return this.answer(key, async () => {
      const res = await this.client.json({ method: 'GET', path: '/v1/elasticities', query: { origin: query.origin, destination: query.destination, limit: 10_000 }, signal }, listPage);
      return { data: splitValid(res.data.data, wireElasticity, toElasticity, { source: 'competitor elasticities' }).records, asOf: this.clock.now().toISOString() };
    }, () => this.defaultElasticities(query.origin, query.destination), signal);
  }

  async exchangeRates(query: { date: string; base: CurrencyCode; quotes?: CurrencyCode[] }, signal?: AbortSignal): Promise<PortAnswer<ExchangeRate[]>> {
    const key = `rates:${query.base}:${query.date}:${query.quotes?.join(',') ?? ''}`;
    return this.answer(key, async () => {
      const res = await this.client.json({
        method: 'GET', path: '/v1/exchange-rates', signal,
        query: { base: query.base, fromDate: addDays(query.date, -7), toDate: query.date, quotes: query.quotes?.join(','), limit: 10_000 },
      }, listPage);
      const rates = splitValid(res.data.data, wireRate, toRate, { source: 'competitor exchange rates' }).records;
      const latest = new Map<string, ExchangeRate>();
      for (const r of rates) if (r.date <= query.date && (latest.get(r.quote)?.date ?? '') < r.date) latest.set(r.quote, r);
      return { data: [...latest.values()].sort((a, b) => a.quote.localeCompare(b.quote)), asOf: this.clock.now().toISOString() };
    }, null, signal);
  }

  /** Live, else the last good answer (stale), else the default (flagged), else the live error. */
  private async answer<T>(key: string, fetch: () => Promise<{ data: T; asOf: string }>, fallbackDefault: (() => T) | null, signal?: AbortSignal): Promise<PortAnswer<T>> {
    try {
      const r = await this.cache.fetchOr(key, fetch, (e) => this.redactor.redact((e as Error).message), signal);
      if (!r.stale) {
        const live = r.value as { data: T; asOf: string };
        return { data: live.data, source: 'live', stale: false, asOf: live.asOf, ageMs: 0, reason: null };
      }
      const cached = r.value as { data: T; asOf: string };
      return { data: cached.data, source: 'cache', stale: true, asOf: cached.asOf, ageMs: r.ageMs, reason: r.reason };
    } catch (e) {
      if (signal?.aborted || !fallbackDefault) throw e;
      return { data: fallbackDefault(), source: 'default', stale: true, asOf: this.clock.now().toISOString(), ageMs: 0, reason: `no live or cached answer: ${this.redactor.redact((e as Error).message)}` };
    }
  }

  private defaultElasticities(origin: AirportCode, destination: AirportCode): ElasticityEstimate[] {
    const table = this.opts.defaultElasticities ?? DEFAULT_ELASTICITIES;
    const asOf = this.clock.now().toISOString();
    return Object.entries(table).map(([cabin, elasticity]) => ({
      origin, destination, cabin: cabin === '*' ? null : (cabin as CabinCode), segment: null, dbdFrom: null, dbdTo: null, elasticity, standardError: null, asOf,
    }));
  }

  async close(): Promise<void> {
    await Promise.all([this.client.close(), this.tokens.close()]);
  }
}

export function createCompetitorConnector(opts: CompetitorConnectorOptions): CompetitorConnector {
  return new CompetitorConnector(opts);
}
