/**
 * What every adapter's sync shares (used by connectors/pss, pros, competitor and schedule):
 * - `splitValid`: checks each wire record at the boundary (zod) and normalises it, keeping the bad ones
 *   for quarantine with the field, the reason and the raw record;
 * - `pipelinePages`: fetches the next page while the current one is committed, the cursor moving only
 *   through the commit;
 * - `SyncTally` and `finishRun`: the run's counts, HTTP figures and outcome as a SyncResult.
 *
 * (A candidate for the shared toolkit; see the report of the connectors work.)
 */
import type { z } from 'zod';
import type { FallbackUse, QuarantinedRecord, SyncContext, SyncResult } from '../../engine/ports/feed-sync';
import type { Clock } from '../../engine/domain/time';
import { HttpClient } from '../http/client';
import { ClientCredentialsTokenProvider } from '../http/oauth2';
import { recordRun, RETRY_REASONS_KEPT, syncResult, toFeedError, type RetryReason, type RunRecording } from '../http/run-recorder';
import { Redactor } from '../http/redact';
import type { TlsPolicyOptions } from '../http/tls';
import type { RetryPolicy } from '../resilience/backoff';
import type { CircuitBreakerOptions } from '../resilience/breaker';
import type { Random, Sleep } from '../resilience/random';

/** OAuth2 client-credentials settings of one external system. */
export interface OAuthSettings {
  tokenUrl: string;
  clientId: string;
  /** the secret's value, revealed from the SecretStore by the composition root */
  clientSecret: string;
  scope?: string;
  /** 'basic' (default) or 'body' */
  clientAuth?: 'basic' | 'body';
}

/** How an adapter reaches its system: base URL, OAuth2 client, TLS, timeouts, retry and breaker. */
export interface HttpSettings {
  baseUrl: string;
  auth: OAuthSettings;
  tls?: TlsPolicyOptions;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  breaker?: Omit<CircuitBreakerOptions, 'name' | 'clock'>;
  /** injected for tests: time, sleeping between retries, jitter */
  clock?: Clock;
  sleep?: Sleep;
  random?: Random;
}

/** The client an adapter uses: undici + the resilience toolkit + a cached, renewed OAuth2 token. */
export function createSystemClient(name: string, s: HttpSettings): { client: HttpClient; tokens: ClientCredentialsTokenProvider; redactor: Redactor } {
  const redactor = new Redactor();
  const shared = {
    tls: s.tls, connectTimeoutMs: s.connectTimeoutMs, requestTimeoutMs: s.requestTimeoutMs, retry: s.retry,
    clock: s.clock, sleep: s.sleep, random: s.random,
  };
  const tokens = new ClientCredentialsTokenProvider({
    name, tokenUrl: s.auth.tokenUrl, clientId: s.auth.clientId, clientSecret: s.auth.clientSecret, scope: s.auth.scope,
    clientAuth: s.auth.clientAuth, redactor, clock: s.clock, http: shared,
  });
  const client = new HttpClient({ ...shared, name, baseUrl: s.baseUrl, auth: tokens, redactor, breaker: s.breaker ?? {} });
  return { client, tokens, redactor };
}

/** A record the normaliser refuses, naming the field. */
export class RecordProblem extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'RecordProblem';
  }
}

/**
 * Validates (against `schema`, or not when null: the records were checked already, e.g. CSV rows by their
 * column spec) and normalises a page's records. Each record failing is quarantined (source, location, field,
 * reason, raw payload); the others are returned in order. Locations are "page p, item i" unless `locate`
 * names them (e.g. a file line).
 */
export function splitValid<W, D>(
  items: readonly unknown[],
  schema: z.ZodType<W> | null,
  normalise: (w: W) => D,
  where: { source: string; page?: number; locate?: (index: number) => string },
): { records: D[]; quarantined: QuarantinedRecord[] } {
  const records: D[] = [];
  const quarantined: QuarantinedRecord[] = [];
  const locate = where.locate ?? ((i: number) => `page ${where.page ?? 1}, item ${i + 1}`);
  for (let i = 0; i < items.length; i++) {
    const raw = items[i];
    let value: W;
    if (schema) {
      const r = schema.safeParse(raw);
      if (!r.success) {
        const issue = r.error.issues[0]!;
        const field = issue.path.map(String).join('.') || '(record)';
        quarantined.push({ source: where.source, location: locate(i), field, reason: `${field}: ${issue.message}`, payload: raw });
        continue;
      }
      value = r.data;
    } else {
      value = raw as W;
    }
    try {
      records.push(normalise(value));
    } catch (e) {
      const field = e instanceof RecordProblem ? e.field : '(record)';
      quarantined.push({ source: where.source, location: locate(i), field, reason: (e as Error).message, payload: raw });
    }
  }
  return { records, quarantined };
}

/**
 * Runs `fetch` page by page: page n + 1 is requested while page n is handled, so the remote side works
 * while the store writes. `next` returns the argument of the following fetch, or null after the last page.
 */
export async function pipelinePages<A, P>(
  first: A,
  fetch: (arg: A, pageNo: number) => Promise<P>,
  next: (page: P, asked: A) => A | null,
  handle: (page: P, pageNo: number) => Promise<void>,
): Promise<number> {
  let pageNo = 1;
  let asked = first;
  let pending: Promise<P> = fetch(first, pageNo);
  for (;;) {
    const page = await pending;
    const arg = next(page, asked);
    let prefetch: Promise<P> | null = null;
    if (arg !== null) {
      prefetch = fetch(arg, pageNo + 1);
      // handled below; avoid an unhandled rejection if `handle` throws first
      prefetch.catch(() => {});
    }
    await handle(page, pageNo);
    if (!prefetch) return pageNo;
    pending = prefetch;
    asked = arg as A;
    pageNo++;
  }
}

/**
 * The cursor of a stream's next page, or null after the last one. A stream that says more follows but
 * does not move its cursor would loop for ever: that is an error naming the system.
 */
export function nextCursor(page: { hasMore: boolean; nextCursor: string }, asked: string | null, where: string): string | null {
  if (!page.hasMore) return null;
  if (page.nextCursor === asked) {
    throw new Error(`${where}: the system says more data follow but its cursor did not advance from "${asked}"; it does not follow the interface specification`);
  }
  return page.nextCursor;
}

/**
 * Counts of one run, per stream and in total. `recordsQuarantined` counts what the connector quarantined
 * (the engine adds the records its store refused); per stream, `refused` counts the latter.
 */
export class SyncTally {
  recordsIn = 0;
  recordsWritten = 0;
  recordsQuarantined = 0;
  /** records the store refused (quarantined by the engine) */
  refused = 0;
  /** calls the adapter repeated itself (e.g. a page whose body could not be decoded), beside the client's retries */
  retries = 0;
  /** why (the first RETRY_REASONS_KEPT) */
  readonly retryReasons: RetryReason[] = [];
  /** records received that repeat another of the run, merged into it (written once) */
  duplicates = 0;
  readonly streams: Record<string, { in: number; written: number; quarantined: number; refused: number; pages: number; duplicates?: number }> = {};

  /** Counts `n` records of a stream received but merged into others of the run as their duplicates (in, never written). */
  merged(stream: string, n: number): void {
    if (n <= 0) return;
    const s = (this.streams[stream] ??= { in: 0, written: 0, quarantined: 0, refused: 0, pages: 0 });
    s.in += n;
    s.duplicates = (s.duplicates ?? 0) + n;
    this.recordsIn += n;
    this.duplicates += n;
  }

  /** Counts a call the adapter repeats itself, with the endpoint and why. */
  retried(url: string, reason: string): void {
    this.retries++;
    if (this.retryReasons.length < RETRY_REASONS_KEPT) this.retryReasons.push({ attempt: 1, url, reason });
  }

  /** Commits one page through the context and counts it. */
  async commit(ctx: SyncContext, page: Parameters<SyncContext['commit']>[0], received: number, reached?: string): Promise<void> {
    const s = (this.streams[page.stream] ??= { in: 0, written: 0, quarantined: 0, refused: 0, pages: 0 });
    const r = await ctx.commit(page);
    s.pages++;
    s.in += received;
    s.written += r.written;
    s.quarantined += page.quarantined.length;
    s.refused += r.quarantined;
    this.recordsIn += received;
    this.recordsWritten += r.written;
    this.recordsQuarantined += page.quarantined.length;
    this.refused += r.quarantined;
    ctx.progress({ phase: `${page.stream} page ${s.pages}${reached ? `, ${reached}` : ''}`, recordsIn: this.recordsIn, total: null });
  }
}

/** Starts recording a client's figures for one run (attempts, retries, latency, breaker transitions). */
export function startRun(client: HttpClient): RunRecording {
  return recordRun(client);
}

/**
 * The SyncResult of a run (status by the toolkit's feed-state rules, see `syncResult`), with the per-stream
 * counts in its detail and the error redacted.
 */
export function finishRun(opts: {
  recording: RunRecording;
  tally: SyncTally;
  redactor: Redactor;
  error?: unknown;
  fallback?: FallbackUse | null;
  detail?: Record<string, unknown>;
  signal?: AbortSignal;
}): SyncResult {
  const failed = opts.error !== undefined;
  const stats = opts.recording.finish();
  return syncResult({
    stats: {
      ...stats, retries: stats.retries + opts.tally.retries,
      retryReasons: [...stats.retryReasons, ...opts.tally.retryReasons].slice(0, RETRY_REASONS_KEPT)
        .map((r) => ({ ...r, url: opts.redactor.redact(r.url), reason: opts.redactor.redact(r.reason) })),
    },
    recordsIn: opts.tally.recordsIn,
    recordsWritten: opts.tally.recordsWritten,
    recordsQuarantined: opts.tally.recordsQuarantined,
    fallback: opts.fallback ?? null,
    error: failed ? toFeedError(opts.error, opts.redactor) : null,
    cancelled: failed && (opts.signal?.aborted ?? false),
    detail: opts.redactor.redactValue({ streams: opts.tally.streams, ...(opts.detail ?? {}) }) as Record<string, unknown>,
  });
}
