/**
 * A feed's state as DESIGN.md defines it, from its recent runs and its breaker:
 * - ok: the last run succeeded within the feed's expected interval;
 * - degraded: succeeded with retries or quarantined records, the breaker is half-open, or the last
 *   success is older than the expected interval;
 * - down: the breaker is open, or the last runs failed;
 * - fallback: the engines are using cached, historical or default data for it (with its age).
 */
import { formatSeconds } from '../domain/time';
import type { FeedState } from '../domain/types';
import type { BreakerState } from '../ports/feed-sync';

export interface RunSummary {
  status: 'running' | 'ok' | 'degraded' | 'failed' | 'fallback' | 'cancelled';
  startedAt: string;
  finishedAt: string | null;
  retries: number;
  recordsQuarantined: number;
  error: string | null;
  /** for fallback runs: when the data used were current */
  fallbackAsOf?: string | null;
}

export interface FeedStateInput {
  /** newest first; running runs included */
  runs: RunSummary[];
  breaker: BreakerState;
  now: Date;
  /** how often the feed is expected to succeed */
  expectedIntervalMs: number;
  /** consecutive failed runs that make the feed down */
  failuresForDown?: number;
}

export interface FeedStateOutput {
  state: FeedState;
  reason: string;
  lastSuccessAt: string | null;
  fallbackAgeSeconds: number | null;
}

function age(fromIso: string, now: Date): number {
  return Math.max(0, (now.getTime() - Date.parse(fromIso)) / 1000);
}

export function computeFeedState(input: FeedStateInput): FeedStateOutput {
  const finished = input.runs.filter((r) => r.status !== 'running' && r.status !== 'cancelled');
  const success = finished.find((r) => r.status === 'ok' || r.status === 'degraded');
  const lastSuccessAt = success?.finishedAt ?? null;
  const last = finished[0];
  const base = { lastSuccessAt, fallbackAgeSeconds: null as number | null };
  if (input.breaker === 'open') {
    return { ...base, state: 'down', reason: `Circuit breaker open${last?.error ? `: ${last.error}` : ''}` };
  }
  if (!last) return { ...base, state: 'never', reason: 'Not synchronised yet' };
  const needed = input.failuresForDown ?? 2;
  const failedStreak = finished.slice(0, needed).filter((r) => r.status === 'failed').length;
  if (last.status === 'fallback') {
    const asOf = last.fallbackAsOf ?? lastSuccessAt;
    const ageS = asOf ? age(asOf, input.now) : null;
    return { ...base, state: 'fallback', fallbackAgeSeconds: ageS, reason: `Using fallback data${ageS !== null ? ` ${formatSeconds(ageS)} old` : ''}${last.error ? `: ${last.error}` : ''}` };
  }
  if (last.status === 'failed') {
    if (failedStreak >= needed || !success) return { ...base, state: 'down', reason: `Last ${failedStreak} run(s) failed: ${last.error ?? 'unknown error'}` };
    return { ...base, state: 'degraded', reason: `Last run failed: ${last.error ?? 'unknown error'}; previous data kept` };
  }
  if (input.breaker === 'half_open') return { ...base, state: 'degraded', reason: 'Circuit breaker half-open: probing the endpoint' };
  const successAge = lastSuccessAt ? age(lastSuccessAt, input.now) : Infinity;
  if (successAge * 1000 > input.expectedIntervalMs) {
    return { ...base, state: 'degraded', reason: `Stale: last success ${formatSeconds(successAge)} ago, expected every ${formatSeconds(input.expectedIntervalMs / 1000)}` };
  }
  if (last.status === 'degraded' || last.retries > 0 || last.recordsQuarantined > 0) {
    const why = [last.retries > 0 ? `${last.retries} retries` : '', last.recordsQuarantined > 0 ? `${last.recordsQuarantined} records quarantined` : ''].filter(Boolean).join(', ');
    return { ...base, state: 'degraded', reason: `Succeeded with ${why || 'warnings'}` };
  }
  return { ...base, state: 'ok', reason: `Last run succeeded ${formatSeconds(successAge)} ago` };
}
