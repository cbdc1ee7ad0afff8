import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../engine/domain/time';
import type { FeedLogger } from '../../engine/ports/feed-sync';
import { Secret } from '../../engine/ports/secrets';
import { seededRandom, type Sleep } from '../resilience/random';
import { HttpClient, type HttpEvent } from './client';
import { HttpCallError } from './errors';
import { ClientCredentialsTokenProvider, type ClientCredentialsOptions } from './oauth2';
import { REDACTED, Redactor, redactingLogger } from './redact';
import { recordRun, toFeedError } from './run-recorder';
import { failure } from './test-support/failure';
import { startScriptedServer, type RecordedRequest, type ScriptedServer } from './test-support/scripted-server';



const CLIENT_ID = 'dfae-client';
const SECRET = 's3cr3t/with+odd&chars=';
let server: ScriptedServer;
const closers: { close(): Promise<void> }[] = [];
const clock = fixedClock('2025-03-01T12:00:00Z');
const sleep: Sleep = async () => {};

/** The sandbox-like token endpoint: issues tok-1, tok-2, … and the API accepts only the tokens in `valid`. */
let issued: string[];
let valid: Set<string>;
let tokenReplies: ((r: RecordedRequest) => { status: number; body: unknown } | null)[];

beforeEach(async () => {
  clock.set('2025-03-01T12:00:00Z');
  issued = [];
  valid = new Set();
  tokenReplies = [];
  server = await startScriptedServer();
  server.setDefault((req) => {
    if (req.url === '/oauth/token') {
      const scripted = tokenReplies.shift()?.(req);
      if (scripted) return { kind: 'json', status: scripted.status, body: scripted.body };
      const t = `tok-${issued.length + 1}-${'x'.repeat(12)}`;
      issued.push(t);
      valid.add(t);
      return { kind: 'json', body: { access_token: t, token_type: 'Bearer', expires_in: 600 } };
    }
    const auth = String(req.headers.authorization ?? '');
    if (!valid.has(auth.replace(/^Bearer /, ''))) return { kind: 'json', status: 401, body: { error: 'invalid_token' } };
    return { kind: 'json', body: { ok: true, token: auth.slice(7, 12) } };
  });
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c.close()));
  await server.close();
});

function provider(extra: Partial<ClientCredentialsOptions> = {}, redactor = new Redactor()): ClientCredentialsTokenProvider {
  const p = new ClientCredentialsTokenProvider({
    tokenUrl: `${server.url}/oauth/token`, clientId: CLIENT_ID, clientSecret: SECRET, scope: 'inventory fares',
    clock, redactor, http: { sleep, random: seededRandom(1), retry: { maxAttempts: 2 } }, ...extra,
  });
  closers.push(p);
  return p;
}

function api(auth: ClientCredentialsTokenProvider, redactor: Redactor): HttpClient {
  const c = new HttpClient({ name: 'pss', baseUrl: `${server.url}/api`, auth, redactor, clock, sleep, random: seededRandom(2), retry: { maxAttempts: 2 } });
  closers.push(c);
  return c;
}

const tokenRequests = () => server.requests.filter((r) => r.url === '/oauth/token');

describe('OAuth2 client credentials', () => {
  it('POSTs a form-encoded grant with HTTP Basic client authentication (form-encoded id and secret)', async () => {
    const t = await provider().token();
    expect(t).toBe(issued[0]);
    const req = tokenRequests()[0]!;
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({ grant_type: 'client_credentials', scope: 'inventory fares' });
    const decoded = Buffer.from(String(req.headers.authorization).replace(/^Basic /, ''), 'base64').toString();
    expect(decoded).toBe(`dfae-client:${encodeURIComponent(SECRET).replace(/%20/g, '+')}`);
  });

  it('sends the credentials in the form when configured (client_secret_post), from a Secret', async () => {
    await provider({ clientAuth: 'body', clientSecret: new Secret(SECRET) }).token();
    const req = tokenRequests()[0]!;
    expect(req.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(req.body))).toMatchObject({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: SECRET });
  });

  it('caches the token and renews it before expiry', async () => {
    const p = provider({ renewBeforeMs: 60_000 });
    expect(await p.token()).toBe(issued[0]);
    clock.advanceMs(539_999);
    expect(await p.token()).toBe(issued[0]);
    expect(p.tokensFetched).toBe(1);
    clock.advanceMs(1);
    expect(await p.token()).toBe(issued[1]);
    expect(p.tokensFetched).toBe(2);
  });

  it('shares one token request among concurrent callers', async () => {
    const p = provider();
    const tokens = await Promise.all([p.token(), p.token(), p.token()]);
    expect(new Set(tokens).size).toBe(1);
    expect(tokenRequests()).toHaveLength(1);
  });

  it('lets a waiting caller stop waiting without cancelling the shared token request', async () => {
    const p = provider({ http: { sleep, random: seededRandom(1), retry: { maxAttempts: 1 }, requestTimeoutMs: 300 } });
    const redactor = new Redactor();
    const c = api(p, redactor);
    let release!: () => void;
    const hung = new Promise<void>((r) => { release = r; });
    server.script(() => { release(); return { kind: 'hang' }; }); // the first request (the token request) hangs
    const ac = new AbortController();
    const call = c.request({ method: 'GET', path: '/v1/a', signal: ac.signal });
    const other = p.token();
    await hung;
    ac.abort();
    const e = await failure(call);
    expect(e.kind).toBe('aborted');
    await expect(other).rejects.toThrow(/no complete answer within 300 ms/);
  });

  it('keeps using a still-valid token when an early renewal fails', async () => {
    const p = provider({ renewBeforeMs: 60_000 });
    const first = await p.token();
    clock.advanceMs(550_000); // inside the renewal window, before expiry
    tokenReplies.push(() => ({ status: 503, body: { error: 'temporarily_unavailable' } }), () => ({ status: 503, body: {} }));
    expect(await p.token()).toBe(first);
    clock.advanceMs(50_000); // expired now
    tokenReplies.push(() => ({ status: 503, body: {} }), () => ({ status: 503, body: {} }));
    await expect(p.token()).rejects.toThrow(HttpCallError);
  });

  it('on a 401 (expired token) renews once and retries', async () => {
    const redactor = new Redactor();
    const p = provider({}, redactor);
    const c = api(p, redactor);
    await c.json({ method: 'GET', path: '/v1/bookings' });
    valid.delete(issued[0]!); // the server expires the token early
    const events: HttpEvent[] = [];
    c.onEvent((e) => events.push(e));
    const res = await c.json<{ ok: boolean }>({ method: 'GET', path: '/v1/bookings' });
    expect(res.data.ok).toBe(true);
    expect(res.attempts).toBe(1);
    expect(events.filter((e) => e.type === 'token_renewed')).toHaveLength(1);
    expect(tokenRequests()).toHaveLength(2);
    const apiCalls = server.requests.filter((r) => r.url.startsWith('/api'));
    expect(apiCalls.map((r) => r.headers.authorization)).toEqual([`Bearer ${issued[0]}`, `Bearer ${issued[0]}`, `Bearer ${issued[1]}`]);
  });

  it('does not loop when the renewed token is refused too', async () => {
    const redactor = new Redactor();
    const p = provider({}, redactor);
    const c = api(p, redactor);
    server.setDefault((req) => (req.url === '/oauth/token'
      ? { kind: 'json', body: { access_token: `tok-${server.requests.length}-abcdef`, token_type: 'bearer', expires_in: 600 } }
      : { kind: 'json', status: 401, body: { error: 'invalid_token' } }));
    const e = await failure(c.request({ method: 'GET', path: '/v1/bookings' }));
    expect(e).toBeInstanceOf(HttpCallError);
    expect(e).toMatchObject({ kind: 'auth', status: 401, attempts: 1, retryable: false });
    expect(e.message).toMatch(/answered 401 again after renewing the access token/);
    expect(server.requests.filter((r) => r.url.startsWith('/api'))).toHaveLength(2);
  });

  it('reports refused client credentials clearly', async () => {
    tokenReplies.push(() => ({ status: 401, body: { error: 'invalid_client', error_description: `bad secret ${SECRET}` } }));
    const e = await failure(provider().token());
    expect(e).toMatchObject({ kind: 'auth', status: 401, retryable: false });
    expect(e.message).toMatch(/token endpoint refused the client credentials \(401\).*check the client id, the client secret/);
  });

  it('refuses a token response that is not a bearer token', async () => {
    tokenReplies.push(() => ({ status: 200, body: { access_token: 'abcd', token_type: 'mac' } }));
    await expect(provider().token()).rejects.toThrow(/token_type must be "Bearer"/);
  });

  it('never lets the secret or a token into errors, events, logs or run records', async () => {
    const redactor = new Redactor();
    const p = provider({}, redactor);
    const c = api(p, redactor);
    const lines: string[] = [];
    const sink: FeedLogger = {
      debug: (m, f) => lines.push(m + JSON.stringify(f ?? {})), info: (m, f) => lines.push(m + JSON.stringify(f ?? {})),
      warn: (m, f) => lines.push(m + JSON.stringify(f ?? {})), error: (m, f) => lines.push(m + JSON.stringify(f ?? {})),
    };
    const log = redactingLogger(sink, redactor);
    const rec = recordRun(c);
    const events: HttpEvent[] = [];
    c.onEvent((e) => events.push(e));
    await c.json({ method: 'GET', path: '/v1/a' });
    // the API echoes the token and the secret in an error body; the token endpoint echoes the secret
    server.setDefault((req) => (req.url === '/oauth/token'
      ? { kind: 'json', status: 401, body: { error: 'invalid_client', client_secret: SECRET, note: `secret was ${SECRET}` } }
      : valid.has(String(req.headers.authorization).slice(7))
        ? { kind: 'text', status: 500, body: `boom ${String(req.headers.authorization)} ${SECRET}` }
        : { kind: 'json', status: 401, body: { error: 'invalid_token', token: String(req.headers.authorization) } }));
    const e1 = await failure(c.request({ method: 'GET', path: '/v1/a' }));
    valid.clear();
    const e2 = await failure(c.request({ method: 'GET', path: '/v1/a' }));
    log.error('sync failed', { error: e1, e2: redactor.redactError(e2), authorization: `Bearer ${issued[0]}`, note: `using ${SECRET} and ${issued[0]}` });
    log.info(`token ${issued[0]} basic ${Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64')}`);
    const outputs = [
      e1.message, e2.message, JSON.stringify(e1), JSON.stringify(e2), JSON.stringify(e1.detail), JSON.stringify(e2.detail),
      JSON.stringify(toFeedError(e1, redactor)), JSON.stringify(toFeedError(e2, redactor)), JSON.stringify(events), JSON.stringify(rec.finish()),
      ...lines,
    ].join('\n');
    expect(e1.message).toMatch(/answered 500/);
    expect(e2.kind).toBe('auth');
    for (const secret of [SECRET, encodeURIComponent(SECRET), issued[0]!, Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64')]) {
      expect(outputs).not.toContain(secret);
    }
    expect(outputs).toContain(REDACTED);
  });
});
