/**
 * Per-run figures for the feed-run record: attempts, retries, mean latency, token renewals and breaker
 * transitions, collected from a client's events for the duration of one sync run.
 */
import type { BreakerTransition, FallbackUse, FeedError, SyncResult, SyncStatus } from '../../engine/ports/feed-sync';
import type { HttpClient, HttpEvent } from './client';
import { HttpCallError } from './errors';
import type { Redactor } from './redact';

export interface RunStats {
  /** HTTP attempts made (first tries and retries) */
  attempts: number;
  retries: number;
  /** why the first RETRY_REASONS_KEPT retries were made (the rest are counted in `retries` only) */
  retryReasons: RetryReason[];
  /** mean latency of the attempts, null when none were made */
  latencyMs: number | null;
  tokenRenewals: number;
  breakerTransitions: BreakerTransition[];
}

/** One retry: the attempt that failed, the endpoint (without its query) and why it was retried. */
export interface RetryReason {
  attempt: number;
  url: string;
  reason: string;
}

/** Retry reasons kept in a run's record: enough to say why a run was degraded, bounded for a run of thousands. */
export const RETRY_REASONS_KEPT = 20;

export interface RunRecording {
  /** the figures so far */
  stats(): RunStats;
  /** stops listening and returns the final figures */
  finish(): RunStats;
}

/** Starts recording a client's (and its breaker's) events. */
export function recordRun(client: HttpClient): RunRecording {
  let attempts = 0;
  let retries = 0;
  const retryReasons: RetryReason[] = [];
  let latencySum = 0;
  let tokenRenewals = 0;
  const transitions: BreakerTransition[] = [];
  const offEvents = client.onEvent((e: HttpEvent) => {
    if (e.type === 'attempt') {
      attempts++;
      latencySum += e.latencyMs;
    } else if (e.type === 'retry') {
      retries++;
      if (retryReasons.length < RETRY_REASONS_KEPT) retryReasons.push({ attempt: e.attempt, url: e.url, reason: e.reason });
    } else tokenRenewals++;
  });
  const offBreaker = client.breaker?.onTransition((t) => transitions.push(t)) ?? (() => {});
  const stats = (): RunStats => ({
    attempts, retries, retryReasons: [...retryReasons], tokenRenewals,
    latencyMs: attempts === 0 ? null : latencySum / attempts,
    breakerTransitions: [...transitions],
  });
  let final: RunStats | null = null;
  return {
    stats,
    finish() {
      if (!final) {
        offEvents();
        offBreaker();
        final = stats();
      }
      return final;
    },
  };
}

/** Any error as a run-record error, redacted. */
export function toFeedError(error: unknown, redactor: Redactor): FeedError {
  if (error instanceof HttpCallError) {
    const fe = error.toFeedError();
    return { ...fe, message: redactor.redact(fe.message) };
  }
  const safe = redactor.redactError(error);
  return { code: safe.code ?? 'internal', message: `${safe.name}: ${safe.message}`, retryable: false };
}

export interface SyncOutcome {
  stats: RunStats;
  recordsIn: number;
  recordsWritten: number;
  recordsQuarantined: number;
  /** set when the engines must use fallback data for this feed */
  fallback?: FallbackUse | null;
  error?: FeedError | null;
  cancelled?: boolean;
  detail?: Record<string, unknown>;
}

/**
 * A run's result with its status by the feed-state rules: cancelled; fallback (fallback data in use,
 * whether or not the live fetch also failed); failed (an error and no fallback); degraded (it worked, but
 * with retries, quarantined records or breaker transitions); ok.
 */
export function syncResult(o: SyncOutcome): SyncResult {
  const fallback = o.fallback ?? null;
  const error = o.error ?? null;
  let status: SyncStatus;
  if (o.cancelled) status = 'cancelled';
  else if (fallback) status = 'fallback';
  else if (error) status = 'failed';
  else if (o.stats.retries > 0 || o.recordsQuarantined > 0 || o.stats.breakerTransitions.length > 0) status = 'degraded';
  else status = 'ok';
  return {
    status,
    recordsIn: o.recordsIn,
    recordsWritten: o.recordsWritten,
    recordsQuarantined: o.recordsQuarantined,
    retries: o.stats.retries,
    latencyMs: o.stats.latencyMs,
    breakerTransitions: o.stats.breakerTransitions,
    fallback,
    error,
    detail: {
      attempts: o.stats.attempts, tokenRenewals: o.stats.tokenRenewals,
      ...(o.stats.retryReasons.length ? { retryReasons: o.stats.retryReasons } : {}),
      ...(o.detail ?? {}),
    },
  };
}
