import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../engine/domain/time';
import type { BreakerTransition } from '../../engine/ports/feed-sync';
import { BreakerOpenError, CircuitBreaker } from './breaker';

function setup(opts: { failureThreshold?: number; successesToClose?: number } = {}) {
  const clock = fixedClock('2025-03-01T12:00:00Z');
  const b = new CircuitBreaker({ name: 'pss', failureThreshold: 3, coolDownMs: 10_000, clock, ...opts });
  const transitions: BreakerTransition[] = [];
  b.onTransition((t) => transitions.push(t));
  const fail = () => b.acquire().release('failure', '503 from GET /v1/bookings');
  const succeed = () => b.acquire().release('success');
  return { clock, b, transitions, fail, succeed };
}

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures and refuses calls', () => {
    const { b, transitions, fail } = setup();
    fail();
    fail();
    expect(b.state()).toBe('closed');
    fail();
    expect(b.state()).toBe('open');
    expect(transitions).toEqual([{ breaker: 'pss', from: 'closed', to: 'open', at: '2025-03-01T12:00:00.000Z', reason: '3 consecutive failures, last: 503 from GET /v1/bookings' }]);
    const err = (() => { try { b.acquire(); } catch (e) { return e; } return null; })();
    expect(err).toBeInstanceOf(BreakerOpenError);
    expect((err as BreakerOpenError).retryAt).toBe('2025-03-01T12:00:10.000Z');
    expect(b.snapshot()).toMatchObject({ state: 'open', consecutiveFailures: 3, openedAt: '2025-03-01T12:00:00.000Z', retryAt: '2025-03-01T12:00:10.000Z' });
  });

  it('a success resets the count; neutral outcomes change nothing', () => {
    const { b, fail, succeed } = setup();
    fail();
    fail();
    succeed();
    fail();
    fail();
    b.acquire().release('neutral');
    expect(b.state()).toBe('closed');
    expect(b.snapshot().consecutiveFailures).toBe(2);
  });

  it('goes half-open after the cool-down, lets one probe through, closes on its success', () => {
    const { b, clock, transitions, fail } = setup();
    fail(); fail(); fail();
    clock.advanceMs(9_999);
    expect(() => b.acquire()).toThrow(BreakerOpenError);
    clock.advanceMs(1);
    expect(b.state()).toBe('half_open');
    const probe = b.acquire();
    expect(() => b.acquire()).toThrow(BreakerOpenError); // one probe at a time
    probe.release('success');
    expect(b.state()).toBe('closed');
    expect(transitions.map((t) => `${t.from}>${t.to}`)).toEqual(['closed>open', 'open>half_open', 'half_open>closed']);
    expect(transitions[1]!.at).toBe('2025-03-01T12:00:10.000Z');
  });

  it('a failed probe opens it again for another cool-down', () => {
    const { b, clock, transitions, fail } = setup();
    fail(); fail(); fail();
    clock.advanceMs(10_000);
    b.acquire().release('failure', 'timeout');
    expect(b.state()).toBe('open');
    expect(transitions.at(-1)).toMatchObject({ from: 'half_open', to: 'open', reason: 'probe failed: timeout', at: '2025-03-01T12:00:10.000Z' });
    expect(b.snapshot().retryAt).toBe('2025-03-01T12:00:20.000Z');
  });

  it('needs successesToClose probes when configured', () => {
    const { b, clock, fail } = setup({ successesToClose: 2 });
    fail(); fail(); fail();
    clock.advanceMs(10_000);
    b.acquire().release('success');
    expect(b.state()).toBe('half_open');
    b.acquire().release('success');
    expect(b.state()).toBe('closed');
  });

  it('a neutral probe frees the probe slot and stays half-open', () => {
    const { b, clock, fail } = setup();
    fail(); fail(); fail();
    clock.advanceMs(10_000);
    b.acquire().release('neutral');
    expect(b.state()).toBe('half_open');
    expect(() => b.acquire()).not.toThrow();
  });

  it('run() wraps a call and reset() closes by hand', async () => {
    const { b, transitions } = setup({ failureThreshold: 1 });
    await expect(b.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(b.state()).toBe('open');
    b.reset();
    expect(b.state()).toBe('closed');
    expect(await b.run(async () => 7)).toBe(7);
    expect(transitions.at(-1)).toMatchObject({ to: 'closed', reason: 'reset by operator' });
  });

  it('releasing a permit twice counts once', () => {
    const { b } = setup();
    const p = b.acquire();
    p.release('failure');
    p.release('failure');
    expect(b.snapshot().consecutiveFailures).toBe(1);
  });

  it('refuses bad options', () => {
    expect(() => new CircuitBreaker({ name: 'x', failureThreshold: 0 })).toThrow(/failureThreshold/);
    expect(() => new CircuitBreaker({ name: 'x', coolDownMs: -1 })).toThrow(/coolDownMs/);
  });
});
