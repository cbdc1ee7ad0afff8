import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { z } from 'zod';
import { fixedClock } from '../../engine/domain/time';
import { seededRandom, type Sleep } from '../resilience/random';
import { HttpClient, isLoopback, type HttpClientOptions, type HttpEvent } from './client';
import { recordRun } from './run-recorder';
import { failure } from './test-support/failure';
import { startScriptedServer, type ScriptedServer } from './test-support/scripted-server';

let server: ScriptedServer;
const clients: HttpClient[] = [];
let waits: number[];
const sleep: Sleep = async (ms, signal) => { signal?.throwIfAborted(); waits.push(ms); };
const clock = fixedClock('2025-03-01T12:00:00Z');

function client(extra: Partial<HttpClientOptions> = {}): HttpClient {
  const c = new HttpClient({
    name: 'pss', baseUrl: `${server.url}/api`, sleep, random: seededRandom(3), clock,
    retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 30_000 },
    breaker: { failureThreshold: 50 },
    requestTimeoutMs: 2_000,
    ...extra,
  });
  clients.push(c);
  return c;
}


beforeEach(async () => {
  server = await startScriptedServer();
  waits = [];
  clock.set('2025-03-01T12:00:00Z');
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server.close();
});

describe('HttpClient against a real server', () => {
  it('GETs JSON below the base URL with query parameters', async () => {
    server.script({ kind: 'json', body: { items: [1, 2, 3] } });
    const res = await client().json<{ items: number[] }>({ method: 'GET', path: '/v1/bookings', query: { cursor: 'abc', rbd: ['Y', 'B'], skip: undefined } });
    expect(res).toMatchObject({ status: 200, data: { items: [1, 2, 3] }, attempts: 1 });
    expect(server.requests[0]).toMatchObject({ method: 'GET', url: '/api/v1/bookings?cursor=abc&rbd=Y&rbd=B' });
    expect(server.requests[0]!.headers.accept).toBe('application/json');
  });

  it('retries 5xx with jittered backoff, then succeeds', async () => {
    server.script({ kind: 'text', status: 503 }, { kind: 'text', status: 502 }, { kind: 'json', body: { ok: 1 } });
    const c = client();
    const rec = recordRun(c);
    const res = await c.json({ method: 'GET', path: '/v1/inventory' });
    expect(res.attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeLessThan(100);
    expect(waits[1]).toBeLessThan(200);
    const stats = rec.finish();
    expect(stats).toMatchObject({ attempts: 3, retries: 2, tokenRenewals: 0 });
    expect(stats.latencyMs).toBeGreaterThan(0);
  });

  it('honours Retry-After in seconds and as an HTTP-date on 429', async () => {
    server.script(
      { kind: 'text', status: 429, headers: { 'retry-after': '7' } },
      { kind: 'text', status: 429, headers: { 'retry-after': 'Sat, 01 Mar 2025 12:00:12 GMT' } },
      { kind: 'json', body: [] },
    );
    await client().json({ method: 'GET', path: '/v1/fares' });
    expect(waits).toEqual([7_000, 12_000]);
  });

  it('fails clearly when Retry-After asks for longer than allowed', async () => {
    server.script({ kind: 'text', status: 503, headers: { 'retry-after': '3600' } });
    const e = await failure(client().request({ method: 'GET', path: '/v1/fares' }));
    expect(e.kind).toBe('status');
    expect(e.status).toBe(503);
    expect(e.message).toMatch(/asked to retry after 3600 s, longer than the 30 s allowed/);
    expect(waits).toEqual([]);
    expect(e.retryable).toBe(true);
  });

  it('gives up after maxAttempts with the last status, and what to do', async () => {
    server.setDefault({ kind: 'text', status: 500, body: 'database unavailable' });
    const e = await failure(client().request({ method: 'GET', path: '/v1/bookings' }));
    expect(server.requests).toHaveLength(4);
    expect(e).toMatchObject({ kind: 'status', status: 500, attempts: 4, code: 'status_500' });
    expect(e.message).toContain(`pss: GET ${server.url}/api/v1/bookings failed after 4 attempts: server answered 500: database unavailable`);
    expect(e.message).toMatch(/What to do: /);
    expect(e.toFeedError()).toEqual({ code: 'status_500', message: e.message, retryable: true });
  });

  it('does not retry other 4xx', async () => {
    server.script({ kind: 'json', status: 400, body: { error: 'bad cursor' } });
    const e = await failure(client().request({ method: 'GET', path: '/v1/bookings' }));
    expect(e).toMatchObject({ kind: 'status', status: 400, attempts: 1, retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it('treats okStatuses as answers', async () => {
    server.script({ kind: 'json', status: 404, body: { error: 'no such flight' } });
    const res = await client().json({ method: 'GET', path: '/v1/flights/XX1', okStatuses: [404] });
    expect(res.status).toBe(404);
  });

  it('times out a hung request on the whole-request deadline and retries it', async () => {
    server.script({ kind: 'hang' }, { kind: 'json', body: { ok: true } });
    const res = await client({ requestTimeoutMs: 150 }).json({ method: 'GET', path: '/v1/bookings' });
    expect(res.attempts).toBe(2);
  });

  it('reports a timeout when every attempt hangs', async () => {
    server.setDefault({ kind: 'hang' });
    const e = await failure(client({ requestTimeoutMs: 100, retry: { maxAttempts: 2 } }).request({ method: 'GET', path: '/v1/bookings' }));
    expect(e).toMatchObject({ kind: 'timeout', attempts: 2, retryable: true });
    expect(e.message).toMatch(/no complete answer within 100 ms/);
  });

  it('retries a connection reset and a truncated body', async () => {
    server.script({ kind: 'reset' }, { kind: 'truncate', body: '{"items":[1,2' }, { kind: 'json', body: { items: [1, 2] } });
    const res = await client().json({ method: 'GET', path: '/v1/bookings' });
    expect(res.data).toEqual({ items: [1, 2] });
    expect(res.attempts).toBe(3);
  });

  it('retries malformed JSON, and reports it when it persists', async () => {
    server.script({ kind: 'malformed' }, { kind: 'json', body: { ok: true } });
    expect((await client().json({ method: 'GET', path: '/v1/a' })).attempts).toBe(2);
    server.setDefault({ kind: 'malformed' });
    const e = await failure(client().json({ method: 'GET', path: '/v1/a' }));
    expect(e).toMatchObject({ kind: 'payload', attempts: 4 });
    expect(e.message).toMatch(/malformed JSON/);
  });

  it('checks the body against a schema and does not retry a mismatch', async () => {
    server.script({ kind: 'json', body: { items: 'not-a-list' } });
    const e = await failure(client().json({ method: 'GET', path: '/v1/a' }, z.object({ items: z.array(z.number()) })));
    expect(e).toMatchObject({ kind: 'payload', attempts: 1, retryable: false });
    expect(e.message).toMatch(/does not match the interface specification: items:/);
  });

  it('never retries a POST without an idempotency key', async () => {
    server.setDefault({ kind: 'text', status: 503 });
    const e = await failure(client().request({ method: 'POST', path: '/v1/fares/push', json: { items: [] } }));
    expect(server.requests).toHaveLength(1);
    expect(e.attempts).toBe(1);
    expect(e.message).toMatch(/not retried: POST without an idempotency key may not be repeated/);
  });

  it('retries a POST that carries an idempotency key, sending the key each time', async () => {
    server.script({ kind: 'reset' }, { kind: 'text', status: 503 }, { kind: 'json', body: { accepted: 2 } });
    const res = await client().json({ method: 'POST', path: '/v1/fares/push', json: { items: [1, 2] }, idempotencyKey: 'batch-42' });
    expect(res.attempts).toBe(3);
    expect(server.requests.slice(1).map((r) => [r.headers['idempotency-key'], r.body])).toEqual([['batch-42', '{"items":[1,2]}'], ['batch-42', '{"items":[1,2]}']]);
    expect(server.requests[1]!.headers['content-type']).toBe('application/json');
  });

  it('retries a POST whose connection was refused (nothing was sent)', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const c = client({ baseUrl: `http://127.0.0.1:${port}`, retry: { maxAttempts: 3 } });
    const e = await failure(c.request({ method: 'POST', path: '/push', json: {} }));
    expect(e).toMatchObject({ kind: 'connect', attempts: 3 });
    expect(e.message).toMatch(/ECONNREFUSED/);
  });

  it('stops when the caller aborts', async () => {
    server.setDefault({ kind: 'hang' });
    const ac = new AbortController();
    const p = client().request({ method: 'GET', path: '/v1/a', signal: ac.signal });
    setImmediate(() => ac.abort());
    const e = await failure(p);
    expect(e.kind).toBe('aborted');
    expect(waits).toEqual([]);
  });

  it('opens the breaker after consecutive failures, fails fast, probes after the cool-down and recovers', async () => {
    server.setDefault({ kind: 'text', status: 503 });
    const c = client({ breaker: { failureThreshold: 3, coolDownMs: 30_000 }, retry: { maxAttempts: 2 } });
    const rec = recordRun(c);
    await failure(c.request({ method: 'GET', path: '/v1/a' })); // 2 failures
    const e = await failure(c.request({ method: 'GET', path: '/v1/a' })); // the 3rd opens it: no retry into an open breaker
    expect(c.breaker!.state()).toBe('open');
    expect(e).toMatchObject({ kind: 'status', status: 503, attempts: 1 });
    expect(e.message).toMatch(/the circuit breaker is now open, calls are refused until 2025-03-01T12:00:30.000Z/);
    expect(server.requests).toHaveLength(3);
    const fast = await failure(c.request({ method: 'GET', path: '/v1/a' }));
    expect(fast).toMatchObject({ kind: 'breaker_open', attempts: 1, retryable: true });
    expect(fast.message).toMatch(/circuit breaker is open, calls are refused until 2025-03-01T12:00:30.000Z/);
    expect(server.requests).toHaveLength(3);
    clock.advanceMs(30_000);
    server.setDefault({ kind: 'json', body: { ok: true } });
    await c.json({ method: 'GET', path: '/v1/a' });
    expect(c.breaker!.state()).toBe('closed');
    expect(rec.finish().breakerTransitions.map((t) => t.to)).toEqual(['open', 'half_open', 'closed']);
  });

  it('does not count 4xx or 429 against the breaker', async () => {
    server.setDefault({ kind: 'text', status: 404 });
    const c = client({ breaker: { failureThreshold: 2 }, retry: { maxAttempts: 1 } });
    for (let i = 0; i < 3; i++) await failure(c.request({ method: 'GET', path: '/v1/a' }));
    server.setDefault({ kind: 'text', status: 429, headers: { 'retry-after': '1' } });
    for (let i = 0; i < 3; i++) await failure(c.request({ method: 'GET', path: '/v1/a' }));
    expect(c.breaker!.state()).toBe('closed');
  });

  it('emits attempt and retry events', async () => {
    server.script({ kind: 'text', status: 500 }, { kind: 'json', body: {} });
    const c = client();
    const events: HttpEvent[] = [];
    c.onEvent((e) => events.push(e));
    await c.json({ method: 'GET', path: '/v1/a' });
    expect(events.map((e) => (e.type === 'attempt' ? `attempt:${e.status}:${e.ok}` : e.type))).toEqual(['attempt:500:false', 'retry', 'attempt:200:true']);
  });

  it('refuses responses larger than the limit', async () => {
    server.script({ kind: 'json', body: { blob: 'x'.repeat(5_000) } });
    const e = await failure(client({ maxResponseBytes: 1_000 }).request({ method: 'GET', path: '/v1/a' }));
    expect(e).toMatchObject({ kind: 'payload', attempts: 1 });
    expect(e.message).toMatch(/exceeds the 1000-byte limit/);
  });

  it('refuses plain HTTP to a remote host and credentials in URLs', () => {
    expect(() => new HttpClient({ name: 'pss', baseUrl: 'http://pss.example.com/api' })).toThrow(/plain HTTP to a remote host/);
    expect(() => new HttpClient({ name: 'pss', baseUrl: 'https://user:pw@pss.example.com/' })).toThrow(/must not carry credentials/);
    expect(() => new HttpClient({ name: 'pss', baseUrl: 'ftp://x/' })).toThrow(/must be http\(s\)/);
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('[::1]')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
  });
});
