/**
 * Retry timing: exponential backoff with full jitter, and `Retry-After` (seconds or HTTP-date).
 */
import type { Random } from './random';

export interface RetryPolicy {
  /** attempts in all, the first one included (1 = never retry) */
  maxAttempts: number;
  /** the backoff ceiling of the first retry; it doubles with each retry */
  baseDelayMs: number;
  /** the backoff ceiling never exceeds this */
  maxDelayMs: number;
  /** a Retry-After asking for a longer wait than this ends the call rather than waiting */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
});

/** Checks a policy and fills defaults; throws naming the bad field. */
export function retryPolicy(partial: Partial<RetryPolicy> = {}): RetryPolicy {
  const p = { ...DEFAULT_RETRY_POLICY, ...partial };
  for (const [k, v] of Object.entries(p)) {
    if (!Number.isFinite(v) || v < 0) throw new Error(`retry policy: ${k} must be a non-negative number, got ${v}`);
  }
  if (!Number.isInteger(p.maxAttempts) || p.maxAttempts < 1) throw new Error(`retry policy: maxAttempts must be an integer ≥ 1, got ${p.maxAttempts}`);
  return p;
}

/**
 * The wait before retry number `retry` (1 for the first retry): full jitter, a uniform draw in
 * [0, min(maxDelayMs, baseDelayMs · 2^(retry−1))).
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: Random): number {
  if (!Number.isInteger(retry) || retry < 1) throw new Error(`backoffDelayMs: retry must be an integer ≥ 1, got ${retry}`);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(retry - 1, 52));
  return Math.floor(random() * ceiling);
}

/**
 * Parses a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns the wait in
 * milliseconds (0 for a date in the past), or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | readonly string[] | undefined, now: Date): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // an HTTP-date always names the weekday and GMT, e.g. "Wed, 21 Oct 2015 07:28:00 GMT"
  if (!/GMT$/.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}
