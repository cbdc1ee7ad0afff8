/**
 * The feed-sync port: how the ETL runs a connector. The engine owns the run (feed_runs row, cursors,
 * quarantine, events); a connector only fetches, normalises and hands over pages through `commit`.
 *
 * Contract, in order of importance:
 * 1. A page is committed atomically: its records, its quarantined records and the stream's new cursor
 *    are written in one SQLite transaction. A crash between pages loses nothing and duplicates nothing:
 *    the next run reads the cursor back with `getCursor` and resumes after the last committed page.
 * 2. The cursor moves only through `commit`; a page with no records (or only quarantined ones) still
 *    moves it. Connectors never keep their own cursor.
 * 3. Bad input is quarantined (with source, location, field and reason), never dropped.
 * 4. Nothing a connector passes to the engine (log fields, errors, quarantined payloads, the result)
 *    contains a secret: connectors redact before they hand anything over.
 */
import type { Clock } from '../domain/time';
import type { FeedName } from '../domain/types';
import type { FeedRecordBatch } from './records';

/** A circuit breaker's state as the API and the feed monitor show it. */
export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerTransition {
  /** the breaker's name: normally the connector (feed) it guards */
  breaker: string;
  from: BreakerState;
  to: BreakerState;
  /** UTC ISO-8601 */
  at: string;
  /** why, in one line, e.g. "5 consecutive failures, last: 503 from GET /v1/bookings" */
  reason: string;
}

/** A breaker's observable state. */
export interface BreakerSnapshot {
  name: string;
  state: BreakerState;
  consecutiveFailures: number;
  /** when the breaker last opened (UTC ISO-8601) */
  openedAt: string | null;
  /** when an open breaker lets the next probe through (UTC ISO-8601) */
  retryAt: string | null;
  lastTransitionAt: string | null;
  /** the last failure that counted, redacted */
  lastFailure: string | null;
}

/** A record that could not be used, kept with why. Mirrors the `quarantine` table. */
export interface QuarantinedRecord {
  /** what it came from, e.g. "pss GET /v1/bookings", "file demand_2025-03-01.csv", "ssim schedule.ssim" */
  source: string;
  /** where in the source, e.g. "page 3, item 17", "line 42" */
  location: string;
  /** the field at fault, when one is */
  field?: string;
  /** what is wrong and, when known, what to do */
  reason: string;
  /** the raw record as received (redacted), serialised as JSON by the engine */
  payload: unknown;
}

/**
 * One page of a stream: normalised domain records, the records that were quarantined, and the stream's
 * cursor after this page. The engine writes all three in one transaction.
 */
export interface SyncPage {
  /** the stream within the feed, e.g. "bookings", "inventory", "schedule" */
  stream: string;
  records: FeedRecordBatch;
  quarantined: QuarantinedRecord[];
  /** the stream's cursor after this page; undefined leaves it unchanged (a full-snapshot stream) */
  cursor?: string;
}

export interface CommitResult {
  /** records inserted or updated */
  written: number;
  /** records the engine itself refused (e.g. a foreign key to an unknown flight), quarantined by it */
  quarantined: number;
}

export interface SyncProgress {
  /** what the connector is doing, e.g. "bookings page 4" */
  phase: string;
  /** records received so far in this run */
  recordsIn: number;
  /** records expected in total, when the source says */
  total: number | null;
}

/** Structured logging without secrets. The engine adds feed, run id and time. */
export interface FeedLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** What the engine hands a connector for one run. */
export interface SyncContext {
  feed: FeedName;
  runId: number;
  /** aborted when the user cancels the run or the host shuts down */
  signal: AbortSignal;
  clock: Clock;
  /** the stream's cursor as last committed, undefined on the first run */
  getCursor(stream: string): string | undefined;
  /** writes one page atomically (records + quarantined + cursor), see the module comment */
  commit(page: SyncPage): Promise<CommitResult>;
  progress(p: SyncProgress): void;
  log: FeedLogger;
}

/** Where a fallback value came from. */
export type FallbackSource = 'cache' | 'historical_average' | 'default' | 'last_good_schedule';

export interface FallbackUse {
  source: FallbackSource;
  /** the instant the fallback data were current (UTC ISO-8601) */
  asOf: string;
  ageMs: number;
  /** why the live data were not used (redacted) */
  reason: string;
}

/** A run's failure, safe to store and show. */
export interface FeedError {
  /** a stable code, e.g. "timeout", "status_503", "auth", "breaker_open", "tls", "payload" */
  code: string;
  /** what failed, where, and what to do; never contains a secret */
  message: string;
  retryable: boolean;
}

export type SyncStatus = 'ok' | 'degraded' | 'failed' | 'fallback' | 'cancelled';

/** A run's outcome. Counts are for this run only; `recordsWritten` sums the commits' `written`. */
export interface SyncResult {
  status: SyncStatus;
  recordsIn: number;
  recordsWritten: number;
  recordsQuarantined: number;
  /** HTTP retries (not counting the first attempt of each call) */
  retries: number;
  /** mean latency of the run's HTTP attempts, null when none were made */
  latencyMs: number | null;
  breakerTransitions: BreakerTransition[];
  fallback: FallbackUse | null;
  error: FeedError | null;
  /** anything else worth showing (per-stream counts, warnings), JSON-serialisable, redacted */
  detail: Record<string, unknown>;
}

/** A connector the ETL can run. One instance per configured external system. */
export interface FeedConnector {
  readonly feed: FeedName;
  /** base URL or folder shown in the feed monitor (no credentials) */
  readonly endpoint: string;
  sync(ctx: SyncContext): Promise<SyncResult>;
  /** the breaker guarding this connector, for the feed monitor */
  breaker(): BreakerSnapshot;
}
