import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../engine/domain/time';
import { HttpClient } from './client';
import { HttpCallError } from './errors';
import { REDACTED, Redactor } from './redact';
import { recordRun, RETRY_REASONS_KEPT, syncResult, toFeedError, type RunStats } from './run-recorder';
import { startScriptedServer, type ScriptedServer } from './test-support/scripted-server';

const quiet: RunStats = { attempts: 3, retries: 0, retryReasons: [], latencyMs: 4, tokenRenewals: 0, breakerTransitions: [] };
const counts = { recordsIn: 10, recordsWritten: 10, recordsQuarantined: 0 };

describe('syncResult', () => {
  it('applies the feed-state rules', () => {
    expect(syncResult({ stats: quiet, ...counts }).status).toBe('ok');
    expect(syncResult({ stats: { ...quiet, retries: 1 }, ...counts }).status).toBe('degraded');
    expect(syncResult({ stats: quiet, ...counts, recordsQuarantined: 1 }).status).toBe('degraded');
    expect(syncResult({ stats: { ...quiet, breakerTransitions: [{ breaker: 'pss', from: 'half_open', to: 'closed', at: '2025-03-01T00:00:00.000Z', reason: 'probe succeeded' }] }, ...counts }).status).toBe('degraded');
    const error = { code: 'timeout', message: 'x', retryable: true };
    expect(syncResult({ stats: quiet, ...counts, error }).status).toBe('failed');
    const fallback = { source: 'cache' as const, asOf: '2025-03-01T00:00:00.000Z', ageMs: 60_000, reason: 'timeout' };
    expect(syncResult({ stats: quiet, ...counts, error, fallback })).toMatchObject({ status: 'fallback', fallback, error });
    expect(syncResult({ stats: quiet, ...counts, error, cancelled: true }).status).toBe('cancelled');
    expect(syncResult({ stats: quiet, ...counts, detail: { pages: 2 } }).detail).toEqual({ attempts: 3, tokenRenewals: 0, pages: 2 });
    // a degraded run says why it retried
    const retryReasons = [{ attempt: 1, url: 'http://127.0.0.1:1/v1/fares', reason: 'HTTP 503' }];
    expect(syncResult({ stats: { ...quiet, retries: 1, retryReasons }, ...counts }).detail).toEqual({ attempts: 3, tokenRenewals: 0, retryReasons });
  });
});

describe('recordRun', () => {
  let server: ScriptedServer;
  let client: HttpClient;
  beforeEach(async () => {
    server = await startScriptedServer();
    client = new HttpClient({ name: 'pss', baseUrl: server.url, sleep: async () => {}, clock: fixedClock('2025-03-01T00:00:00Z'), breaker: { failureThreshold: 1, coolDownMs: 1_000 }, retry: { maxAttempts: 2 } });
  });
  afterEach(async () => { await client.close(); await server.close(); });

  it('counts one run only, and stops counting when finished', async () => {
    await client.request({ method: 'GET', path: '/before' });
    const rec = recordRun(client);
    server.script({ kind: 'text', status: 503 });
    const e = await client.request({ method: 'GET', path: '/a' }).catch((x: unknown) => x);
    const stats = rec.finish();
    expect(stats).toMatchObject({ attempts: 1, retries: 0, tokenRenewals: 0 });
    expect(stats.breakerTransitions.map((t) => `${t.from}>${t.to}`)).toEqual(['closed>open']);
    await client.request({ method: 'GET', path: '/after' }).catch(() => undefined);
    expect(rec.finish()).toBe(stats);
    expect(toFeedError(e, new Redactor())).toEqual((e as HttpCallError).toFeedError());
    expect(toFeedError(new Error('disk full: token abcd1234'), new Redactor(['abcd1234']))).toEqual({ code: 'internal', message: `Error: disk full: token ${REDACTED}`, retryable: false });
  });

  it('keeps why it retried: the attempt, the endpoint and the reason, the first few of many', async () => {
    // a client without a breaker (the one above opens at the first failure and refuses the retry)
    const retrying = new HttpClient({ name: 'pss', baseUrl: server.url, sleep: async () => {}, clock: fixedClock('2025-03-01T00:00:00Z'), retry: { maxAttempts: 2 } });
    const rec = recordRun(retrying);
    for (let i = 0; i < RETRY_REASONS_KEPT + 5; i++) {
      server.script({ kind: 'text', status: 503 }, { kind: 'json', body: { ok: true } });
      await retrying.request({ method: 'GET', path: `/page/${i}`, query: { after: 'secret-cursor' } });
    }
    await retrying.close();
    const stats = rec.finish();
    expect(stats.retries).toBe(RETRY_REASONS_KEPT + 5);
    expect(stats.retryReasons).toHaveLength(RETRY_REASONS_KEPT);
    expect(stats.retryReasons[0]).toEqual({ attempt: 1, url: `${server.url}/page/0`, reason: expect.stringMatching(/503/) });
  });
});
