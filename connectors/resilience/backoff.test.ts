import { describe, expect, it } from 'vitest';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, parseRetryAfter, retryPolicy } from './backoff';
import { seededRandom } from './random';

describe('backoffDelayMs (full jitter)', () => {
  const policy = retryPolicy({ baseDelayMs: 100, maxDelayMs: 1_000 });

  it('draws within [0, min(max, base·2^(n−1))) and doubles the ceiling per retry', () => {
    const random = seededRandom(7);
    for (let retry = 1; retry <= 8; retry++) {
      const ceiling = Math.min(1_000, 100 * 2 ** (retry - 1));
      for (let i = 0; i < 200; i++) {
        const d = backoffDelayMs(retry, policy, random);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(ceiling);
      }
    }
  });

  it('spreads delays over the whole range (jitter, not a fixed step)', () => {
    const random = seededRandom(11);
    const draws = Array.from({ length: 500 }, () => backoffDelayMs(4, policy, random));
    expect(Math.min(...draws)).toBeLessThan(100);
    expect(Math.max(...draws)).toBeGreaterThan(700);
  });

  it('is deterministic for a seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const seqA = [1, 2, 3, 4].map((n) => backoffDelayMs(n, policy, a));
    const seqB = [1, 2, 3, 4].map((n) => backoffDelayMs(n, policy, b));
    expect(seqA).toEqual(seqB);
  });

  it('uses the extremes of the random source exactly', () => {
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(3, policy, () => 0.999999)).toBe(399);
    expect(backoffDelayMs(30, policy, () => 0.5)).toBe(500);
  });

  it('refuses bad input', () => {
    expect(() => backoffDelayMs(0, policy, Math.random)).toThrow(/retry must be an integer/);
    expect(() => retryPolicy({ maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => retryPolicy({ baseDelayMs: -1 })).toThrow(/baseDelayMs/);
    expect(retryPolicy()).toEqual(DEFAULT_RETRY_POLICY);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2025-03-01T12:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter(['120'], now)).toBe(120_000);
  });

  it('reads an HTTP-date relative to the clock', () => {
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 11:59:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('2025-03-01T12:00:05', now)).toBeUndefined();
  });
});
