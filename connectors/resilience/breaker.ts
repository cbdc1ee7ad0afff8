/**
 * A circuit breaker per connector: closed → (failureThreshold consecutive failures) → open →
 * (coolDownMs later) → half_open → one probe at a time; `successesToClose` successful probes close it,
 * a failed probe opens it again for another cool-down. Outcomes that say nothing about the dependency's
 * health (a 404, a 429 throttle, a caller's cancel) are 'neutral' and change no count.
 *
 * Time comes from the injected clock, so a test moves through the states without waiting.
 */
import type { BreakerSnapshot, BreakerState, BreakerTransition } from '../../engine/ports/feed-sync';
import { systemClock, type Clock } from '../../engine/domain/time';

export interface CircuitBreakerOptions {
  /** normally the connector (feed) it guards; shown in the monitor and in errors */
  name: string;
  /** consecutive failures that open a closed breaker (default 5) */
  failureThreshold?: number;
  /** how long an open breaker refuses calls before letting a probe through (default 30 s) */
  coolDownMs?: number;
  /** successful half-open probes that close it (default 1) */
  successesToClose?: number;
  clock?: Clock;
}

export type BreakerOutcome = 'success' | 'failure' | 'neutral';

/** Refusal of an open breaker (or of a half-open one whose probe is already out). */
export class BreakerOpenError extends Error {
  readonly breaker: string;
  /** when the next probe will be let through (UTC ISO-8601) */
  readonly retryAt: string;
  constructor(breaker: string, retryAt: string, lastFailure: string | null) {
    super(`${breaker}: circuit breaker is open, calls are refused until ${retryAt}` +
      `${lastFailure ? ` (last failure: ${lastFailure})` : ''}. The external system kept failing; it is probed again after the cool-down.`);
    this.name = 'BreakerOpenError';
    this.breaker = breaker;
    this.retryAt = retryAt;
  }
}

/** Permission for one call; release it exactly once with the call's outcome. */
export interface BreakerPermit {
  release(outcome: BreakerOutcome, failure?: string): void;
}

export type TransitionListener = (t: BreakerTransition) => void;

export class CircuitBreaker {
  readonly name: string;
  private readonly failureThreshold: number;
  private readonly coolDownMs: number;
  private readonly successesToClose: number;
  private readonly clock: Clock;
  private current: BreakerState = 'closed';
  private failures = 0;
  private probeSuccesses = 0;
  private probeOut = false;
  private openedAtMs: number | null = null;
  private lastTransitionAt: string | null = null;
  private lastFailure: string | null = null;
  private readonly listeners = new Set<TransitionListener>();

  constructor(opts: CircuitBreakerOptions) {
    this.name = opts.name;
    this.failureThreshold = positiveInt(opts.failureThreshold ?? 5, 'failureThreshold');
    this.coolDownMs = nonNegative(opts.coolDownMs ?? 30_000, 'coolDownMs');
    this.successesToClose = positiveInt(opts.successesToClose ?? 1, 'successesToClose');
    this.clock = opts.clock ?? systemClock;
  }

  /** The state now (an open breaker past its cool-down reports, and becomes, half_open). */
  state(): BreakerState {
    this.refresh();
    return this.current;
  }

  snapshot(): BreakerSnapshot {
    this.refresh();
    return {
      name: this.name,
      state: this.current,
      consecutiveFailures: this.failures,
      openedAt: this.openedAtMs === null ? null : new Date(this.openedAtMs).toISOString(),
      retryAt: this.current === 'open' && this.openedAtMs !== null ? new Date(this.openedAtMs + this.coolDownMs).toISOString() : null,
      lastTransitionAt: this.lastTransitionAt,
      lastFailure: this.lastFailure,
    };
  }

  /** Asks to make one call. Throws BreakerOpenError when the breaker refuses. */
  acquire(): BreakerPermit {
    this.refresh();
    if (this.current === 'open') throw this.refusal();
    if (this.current === 'half_open') {
      if (this.probeOut) throw this.refusal();
      this.probeOut = true;
      return this.permit(true);
    }
    return this.permit(false);
  }

  /** Runs `fn` under the breaker; `classify` maps its error to an outcome (default: failure). */
  async run<T>(fn: () => Promise<T>, classify: (error: unknown) => BreakerOutcome = () => 'failure'): Promise<T> {
    const permit = this.acquire();
    try {
      const v = await fn();
      permit.release('success');
      return v;
    } catch (e) {
      permit.release(classify(e), e instanceof Error ? e.message : String(e));
      throw e;
    }
  }

  /** Subscribes to transitions; returns the unsubscribe function. */
  onTransition(listener: TransitionListener): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /** Closes the breaker by hand (an operator's "retry now"). */
  reset(reason = 'reset by operator'): void {
    this.failures = 0;
    this.probeOut = false;
    this.probeSuccesses = 0;
    this.openedAtMs = null;
    this.move('closed', reason);
  }

  private permit(isProbe: boolean): BreakerPermit {
    let released = false;
    return {
      release: (outcome, failure) => {
        if (released) return;
        released = true;
        if (isProbe) this.probeOut = false;
        this.record(outcome, isProbe, failure);
      },
    };
  }

  private record(outcome: BreakerOutcome, isProbe: boolean, failure?: string): void {
    if (outcome === 'neutral') return;
    if (outcome === 'success') {
      this.failures = 0;
      if (isProbe && this.current === 'half_open') {
        this.probeSuccesses++;
        if (this.probeSuccesses >= this.successesToClose) {
          this.openedAtMs = null;
          this.move('closed', `probe succeeded${this.successesToClose > 1 ? ` ${this.probeSuccesses} times` : ''}`);
        }
      }
      return;
    }
    this.failures++;
    this.lastFailure = failure ?? 'failure';
    if (isProbe && this.current === 'half_open') {
      this.trip(`probe failed: ${this.lastFailure}`);
    } else if (this.current === 'closed' && this.failures >= this.failureThreshold) {
      this.trip(`${this.failures} consecutive failures, last: ${this.lastFailure}`);
    }
  }

  private trip(reason: string): void {
    this.openedAtMs = this.clock.now().getTime();
    this.probeSuccesses = 0;
    this.move('open', reason);
  }

  private refresh(): void {
    if (this.current === 'open' && this.openedAtMs !== null && this.clock.now().getTime() >= this.openedAtMs + this.coolDownMs) {
      this.probeSuccesses = 0;
      this.move('half_open', `cool-down of ${this.coolDownMs} ms elapsed, next call is a probe`);
    }
  }

  private refusal(): BreakerOpenError {
    const retryAt = this.current === 'open' && this.openedAtMs !== null
      ? new Date(this.openedAtMs + this.coolDownMs).toISOString()
      : this.clock.now().toISOString();
    return new BreakerOpenError(this.name, retryAt, this.lastFailure);
  }

  private move(to: BreakerState, reason: string): void {
    const from = this.current;
    if (from === to) return;
    this.current = to;
    const at = this.clock.now().toISOString();
    this.lastTransitionAt = at;
    const t: BreakerTransition = { breaker: this.name, from, to, at, reason };
    for (const l of [...this.listeners]) {
      try { l(t); } catch { /* a listener's failure never changes the breaker */ }
    }
  }
}

function positiveInt(v: number, field: string): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`circuit breaker: ${field} must be an integer ≥ 1, got ${v}`);
  return v;
}

function nonNegative(v: number, field: string): number {
  if (!Number.isFinite(v) || v < 0) throw new Error(`circuit breaker: ${field} must be a non-negative number, got ${v}`);
  return v;
}
