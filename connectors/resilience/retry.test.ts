import { describe, expect, it } from 'vitest';
import { retry, RetryGaveUp, type RetryOptions } from './retry';
import { retryPolicy } from './backoff';
import { seededRandom, type Sleep } from './random';

function recordingSleep(): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      waits.push(ms);
    },
  };
}

function opts(extra: Partial<RetryOptions> & Pick<RetryOptions, 'sleep'>): RetryOptions {
  return {
    policy: retryPolicy({ maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 10_000 }),
    random: seededRandom(1),
    classify: () => ({ retry: true, reason: 'transient' }),
    ...extra,
  };
}

describe('retry', () => {
  it('retries transient failures with backoff until success', async () => {
    const { sleep, waits } = recordingSleep();
    let calls = 0;
    const v = await retry(async (attempt) => {
      calls++;
      if (attempt < 3) throw new Error(`fail ${attempt}`);
      return 'done';
    }, opts({ sleep }));
    expect(v).toBe('done');
    expect(calls).toBe(3);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeLessThan(100);
    expect(waits[1]).toBeLessThan(200);
  });

  it('waits exactly the Retry-After when the classifier gives one', async () => {
    const { sleep, waits } = recordingSleep();
    let n = 0;
    await retry(async () => { if (n++ === 0) throw new Error('429'); return 1; },
      opts({ sleep, classify: () => ({ retry: true, reason: '429', retryAfterMs: 2_500 }) }));
    expect(waits).toEqual([2_500]);
  });

  it('stops at once on a final failure', async () => {
    const { sleep, waits } = recordingSleep();
    const err = await retry(async () => { throw new Error('400'); }, opts({ sleep, classify: () => ({ retry: false }) })).catch((e) => e);
    expect(err).toBeInstanceOf(RetryGaveUp);
    expect(err).toMatchObject({ attempts: 1, why: 'not_retryable' });
    expect((err as RetryGaveUp).lastError).toEqual(new Error('400'));
    expect(waits).toEqual([]);
  });

  it('gives up when the attempts are spent', async () => {
    const { sleep, waits } = recordingSleep();
    const err = await retry(async () => { throw new Error('503'); }, opts({ sleep })).catch((e) => e);
    expect(err).toMatchObject({ attempts: 4, why: 'attempts_exhausted' });
    expect(waits).toHaveLength(3);
  });

  it('refuses a Retry-After longer than the policy allows', async () => {
    const { sleep, waits } = recordingSleep();
    const err = await retry(async () => { throw new Error('429'); },
      opts({ sleep, classify: () => ({ retry: true, reason: '429', retryAfterMs: 60_000 }) })).catch((e) => e);
    expect(err).toMatchObject({ attempts: 1, why: 'retry_after_too_long', retryAfterMs: 60_000 });
    expect(waits).toEqual([]);
  });

  it('stops when the caller aborts during the wait', async () => {
    const ac = new AbortController();
    const sleep: Sleep = async (_ms, signal) => { ac.abort(new Error('user cancelled')); signal?.throwIfAborted(); };
    let calls = 0;
    const err = await retry(async () => { calls++; throw new Error('503'); }, opts({ sleep, signal: ac.signal })).catch((e) => e);
    expect(err).toMatchObject({ why: 'aborted', attempts: 1 });
    expect(calls).toBe(1);
  });

  it('reports each retry', async () => {
    const { sleep } = recordingSleep();
    const seen: number[] = [];
    await retry(async (a) => { if (a < 3) throw new Error('x'); }, opts({ sleep, onRetry: (i) => seen.push(i.attempt) }));
    expect(seen).toEqual([1, 2]);
  });
});
