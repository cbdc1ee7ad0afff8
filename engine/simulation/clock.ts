/**
 * The simulated clock. "Today" everywhere in the sandbox comes from it. It only moves forward, and
 * only through the simulator (`advanceDays`, `advanceTo`), which plays the market up to the new
 * instant; reading it is free.
 */
import type { Clock } from '../domain/time';
import { ISO_DATE_RE } from '../domain/time';

export const DAY_MS = 86_400_000;

export class SimClock implements Clock {
  private ms: number;

  constructor(startMs: number) {
    if (!Number.isFinite(startMs)) throw new Error(`SimClock: invalid start instant ${startMs}`);
    this.ms = startMs;
  }

  now(): Date {
    return new Date(this.ms);
  }

  /** Milliseconds since the epoch (UTC). */
  nowMs(): number {
    return this.ms;
  }

  /** The current UTC calendar day as a day number (days since 1970-01-01). */
  dayNumber(): number {
    return Math.floor(this.ms / DAY_MS);
  }

  /** The current UTC date, "YYYY-MM-DD". */
  today(): string {
    return new Date(this.ms).toISOString().slice(0, 10);
  }

  nowIso(): string {
    return new Date(this.ms).toISOString();
  }

  /** Moves the clock; only the simulator calls this, after playing the market up to `ms`. */
  setMs(ms: number): void {
    if (ms < this.ms) throw new Error(`SimClock: cannot go back from ${this.nowIso()} to ${new Date(ms).toISOString()}`);
    this.ms = ms;
  }
}

/** Parses "YYYY-MM-DD" or a UTC ISO instant to epoch milliseconds, naming the field on failure. */
export function parseInstant(value: string, field: string): number {
  const ms = ISO_DATE_RE.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`${field}: "${value}" is not a date (YYYY-MM-DD) or UTC instant (ISO-8601)`);
  return ms;
}
