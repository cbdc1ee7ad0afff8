import { describe, expect, it } from 'vitest';
import { computeFeedState, type RunSummary } from './feedState';

const now = new Date('2026-11-25T12:00:00Z');
const run = (p: Partial<RunSummary>): RunSummary => ({ status: 'ok', startedAt: '2026-11-25T11:59:00Z', finishedAt: '2026-11-25T11:59:30Z', retries: 0, recordsQuarantined: 0, error: null, ...p });
const hour = 3_600_000;

describe('computeFeedState', () => {
  it('is never before the first run', () => {
    expect(computeFeedState({ runs: [], breaker: 'closed', now, expectedIntervalMs: hour }).state).toBe('never');
  });
  it('is ok after a clean recent success', () => {
    const s = computeFeedState({ runs: [run({})], breaker: 'closed', now, expectedIntervalMs: hour });
    expect(s).toMatchObject({ state: 'ok', lastSuccessAt: '2026-11-25T11:59:30Z' });
  });
  it('is degraded with retries, quarantined records, a half-open breaker, or a stale success', () => {
    expect(computeFeedState({ runs: [run({ retries: 3 })], breaker: 'closed', now, expectedIntervalMs: hour })).toMatchObject({ state: 'degraded', reason: 'Succeeded with 3 retries' });
    expect(computeFeedState({ runs: [run({ recordsQuarantined: 2 })], breaker: 'closed', now, expectedIntervalMs: hour }).reason).toBe('Succeeded with 2 records quarantined');
    expect(computeFeedState({ runs: [run({})], breaker: 'half_open', now, expectedIntervalMs: hour }).state).toBe('degraded');
    const stale = computeFeedState({ runs: [run({ finishedAt: '2026-11-25T08:00:00Z' })], breaker: 'closed', now, expectedIntervalMs: hour });
    expect(stale).toMatchObject({ state: 'degraded' });
    expect(stale.reason).toMatch(/^Stale: last success 4\.0 h ago/);
  });
  it('is down when the breaker is open or the last runs failed, degraded after a single failure', () => {
    expect(computeFeedState({ runs: [run({})], breaker: 'open', now, expectedIntervalMs: hour }).state).toBe('down');
    const one = computeFeedState({ runs: [run({ status: 'failed', error: 'status 503' }), run({})], breaker: 'closed', now, expectedIntervalMs: hour });
    expect(one).toMatchObject({ state: 'degraded', reason: 'Last run failed: status 503; previous data kept' });
    const two = computeFeedState({ runs: [run({ status: 'failed', error: 'timeout' }), run({ status: 'failed', error: 'x' }), run({})], breaker: 'closed', now, expectedIntervalMs: hour });
    expect(two).toMatchObject({ state: 'down', reason: 'Last 2 run(s) failed: timeout' });
  });
  it('is fallback with the age of the data used', () => {
    const s = computeFeedState({ runs: [run({ status: 'fallback', fallbackAsOf: '2026-11-24T12:00:00Z', error: 'timeout' })], breaker: 'closed', now, expectedIntervalMs: hour });
    expect(s).toMatchObject({ state: 'fallback', fallbackAgeSeconds: 86_400 });
    expect(s.reason).toBe('Using fallback data 1.0 days old: timeout');
  });
  it('ignores cancelled runs: cancelled by a person, or interrupted by the end of the process running them', () => {
    const interrupted = run({ status: 'cancelled', error: 'interrupted: the process running it (pid 7 on vm) stopped before the sync finished' });
    expect(computeFeedState({ runs: [interrupted], breaker: 'closed', now, expectedIntervalMs: hour }).state).toBe('never');
    expect(computeFeedState({ runs: [interrupted, run({})], breaker: 'closed', now, expectedIntervalMs: hour }).state).toBe('ok');
    const afterFailure = computeFeedState({ runs: [interrupted, run({ status: 'failed', error: 'status 503' }), run({})], breaker: 'closed', now, expectedIntervalMs: hour });
    expect(afterFailure).toMatchObject({ state: 'degraded', reason: 'Last run failed: status 503; previous data kept' });
  });
  it('ignores a run in progress', () => {
    expect(computeFeedState({ runs: [run({ status: 'running', finishedAt: null }), run({})], breaker: 'closed', now, expectedIntervalMs: hour }).state).toBe('ok');
  });
});
