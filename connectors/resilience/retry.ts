/**
 * The retry loop: calls an operation until it succeeds, the classifier says the failure is final, the
 * attempts are spent, a Retry-After asks for too long, or the caller aborts. Timing comes from
 * backoff.ts; sleeping and randomness are injected.
 */
import { backoffDelayMs, type RetryPolicy } from './backoff';
import type { Random, Sleep } from './random';

/** The classifier's answer for one failure. */
export type RetryVerdict =
  | { retry: false }
  /** retryAfterMs: the server's Retry-After; when set it replaces the backoff */
  | { retry: true; reason: string; retryAfterMs?: number };

export type GiveUpReason = 'not_retryable' | 'attempts_exhausted' | 'retry_after_too_long' | 'aborted';

/** Thrown when the loop stops without success; `lastError` is what the operation threw last. */
export class RetryGaveUp extends Error {
  readonly attempts: number;
  readonly why: GiveUpReason;
  readonly lastError: unknown;
  /** the Retry-After that was refused, for why = 'retry_after_too_long' */
  readonly retryAfterMs?: number;
  constructor(lastError: unknown, attempts: number, why: GiveUpReason, retryAfterMs?: number) {
    super(`gave up after ${attempts} attempt(s): ${why}`);
    this.name = 'RetryGaveUp';
    this.lastError = lastError;
    this.attempts = attempts;
    this.why = why;
    this.retryAfterMs = retryAfterMs;
  }
}

export interface RetryInfo {
  /** the attempt that failed (1-based) */
  attempt: number;
  delayMs: number;
  reason: string;
  retryAfterMs?: number;
}

export interface RetryOptions {
  policy: RetryPolicy;
  random: Random;
  sleep: Sleep;
  signal?: AbortSignal;
  classify(error: unknown, attempt: number): RetryVerdict;
  onRetry?(info: RetryInfo): void;
}

/** Runs `operation(attempt)` with retries; see the module comment. Throws RetryGaveUp on failure. */
export async function retry<T>(operation: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (opts.signal?.aborted) throw new RetryGaveUp(opts.signal.reason, attempt - 1, 'aborted');
    try {
      return await operation(attempt);
    } catch (error) {
      if (opts.signal?.aborted) throw new RetryGaveUp(error, attempt, 'aborted');
      const verdict = opts.classify(error, attempt);
      if (!verdict.retry) throw new RetryGaveUp(error, attempt, 'not_retryable');
      if (attempt >= opts.policy.maxAttempts) throw new RetryGaveUp(error, attempt, 'attempts_exhausted');
      if (verdict.retryAfterMs !== undefined && verdict.retryAfterMs > opts.policy.maxRetryAfterMs) {
        throw new RetryGaveUp(error, attempt, 'retry_after_too_long', verdict.retryAfterMs);
      }
      const delayMs = verdict.retryAfterMs ?? backoffDelayMs(attempt, opts.policy, opts.random);
      opts.onRetry?.({ attempt, delayMs, reason: verdict.reason, retryAfterMs: verdict.retryAfterMs });
      try {
        await opts.sleep(delayMs, opts.signal);
      } catch {
        throw new RetryGaveUp(error, attempt, 'aborted');
      }
    }
  }
}
