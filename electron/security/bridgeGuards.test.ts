import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BodyTooLargeError,
  acceptsToken,
  checkBridgeRequest,
  checkContentLength,
  checkFetchSite,
  checkHost,
  checkOrigin,
  checkSessionAuth,
  checkTokenExchange,
  newSessionToken,
  readBodyLimited,
  readCookie,
  safeEqual,
  sessionCookie,
  sessionCookieName,
} from './bridgeGuards';

describe('header guards', () => {
  it('accept only 127.0.0.1:<port> and localhost:<port> as Host', () => {
    expect(checkHost('127.0.0.1:4100', 4100)).toEqual({ ok: true });
    expect(checkHost('LOCALHOST:4100', 4100)).toEqual({ ok: true });
    for (const bad of ['127.0.0.1:4101', 'evil.example:4100', 'attacker.rebind.example', '127.0.0.1', 'localhost.:4100', '[::1]:4100', '0.0.0.0:4100']) {
      expect(checkHost(bad, 4100), bad).toMatchObject({ ok: false, status: 403 });
    }
    expect(checkHost(undefined, 4100)).toMatchObject({ ok: false, status: 400 });
  });

  it('accept a missing Origin or our own, and refuse others including "null" and other ports', () => {
    expect(checkOrigin(undefined, 4100).ok).toBe(true);
    expect(checkOrigin('http://127.0.0.1:4100', 4100).ok).toBe(true);
    expect(checkOrigin('http://localhost:4100', 4100).ok).toBe(true);
    for (const bad of ['null', 'http://127.0.0.1:3000', 'https://127.0.0.1:4100', 'http://evil.example', 'app://dfae']) {
      expect(checkOrigin(bad, 4100), bad).toMatchObject({ ok: false, status: 403 });
    }
  });

  it('refuse requests a cross-site or same-site (other port) page initiated', () => {
    expect(checkFetchSite(undefined).ok).toBe(true);
    expect(checkFetchSite('same-origin').ok).toBe(true);
    expect(checkFetchSite('none').ok).toBe(true);
    expect(checkFetchSite('same-site').ok).toBe(false);
    expect(checkFetchSite('cross-site').ok).toBe(false);
  });

  it('check the declared body size', () => {
    expect(checkContentLength('100', 100).ok).toBe(true);
    expect(checkContentLength('101', 100)).toMatchObject({ ok: false, status: 413 });
    expect(checkContentLength('-1', 100)).toMatchObject({ ok: false, status: 400 });
    expect(checkContentLength('1e9', 100)).toMatchObject({ ok: false, status: 400 });
  });
});

describe('session', () => {
  const token = newSessionToken();

  it('tokens are 256-bit base64url and differ per launch', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newSessionToken()).not.toBe(token);
  });

  it('safeEqual compares exactly, whatever the lengths', () => {
    expect(safeEqual(token, token)).toBe(true);
    expect(safeEqual(token, token.slice(0, -1))).toBe(false);
    expect(safeEqual(token, `${token}x`)).toBe(false);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual(token, '')).toBe(false);
  });

  it('cookie is HttpOnly, SameSite=Strict, Path=/ and port-specific', () => {
    const c = sessionCookie(sessionCookieName(4100), token);
    expect(c).toBe(`dfae_session_4100=${token}; Path=/; HttpOnly; SameSite=Strict`);
    expect(() => sessionCookie('x', 'a;b')).toThrow();
  });

  it('reads the cookie or a bearer token', () => {
    const s = { cookieName: 'dfae_session_4100', accepts: acceptsToken(token) };
    expect(readCookie(`a=1; dfae_session_4100=${token}; b=2`, 'dfae_session_4100')).toBe(token);
    expect(checkSessionAuth({ cookieHeader: `dfae_session_4100=${token}` }, s).ok).toBe(true);
    expect(checkSessionAuth({ authorization: `Bearer ${token}` }, s).ok).toBe(true);
    expect(checkSessionAuth({ cookieHeader: `dfae_session_4101=${token}` }, s)).toMatchObject({ ok: false, status: 401 });
    expect(checkSessionAuth({ authorization: `Basic ${token}` }, s).ok).toBe(false);
    expect(checkSessionAuth({}, s).ok).toBe(false);
  });

  it('works with issued session ids instead of the token', () => {
    const issued = new Set(['sid_abc']);
    const s = { cookieName: 'dfae_session_4100', accepts: (c: string) => issued.has(c) };
    expect(checkSessionAuth({ cookieHeader: 'dfae_session_4100=sid_abc' }, s).ok).toBe(true);
    expect(checkSessionAuth({ cookieHeader: `dfae_session_4100=${token}` }, s).ok).toBe(false);
    const x = checkTokenExchange({ method: 'GET', url: `/?token=${token}`, headers: { host: 'localhost:4100' } }, { port: 4100, token, cookieValue: () => 'sid_new' });
    expect(x).toMatchObject({ ok: true, setCookie: 'dfae_session_4100=sid_new; Path=/; HttpOnly; SameSite=Strict', location: '/' });
  });

  it('never redirects the exchange off-site', () => {
    const x = checkTokenExchange({ method: 'GET', url: `//evil.example/?token=${token}`, headers: { host: 'localhost:4100' } }, { port: 4100, token });
    expect(x.ok && x.location).toBe('/');
  });
});

describe('readBodyLimited', () => {
  it('returns a body within the limit', async () => {
    expect((await readBodyLimited(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 4)).toString()).toBe('abcd');
  });

  it('stops at the first chunk past the limit, without reading the rest', async () => {
    let produced = 0;
    async function* chunks() {
      for (let i = 0; i < 1000; i++) { produced++; yield Buffer.alloc(1024); }
    }
    await expect(readBodyLimited(chunks(), 10 * 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(produced).toBe(11);
  });
});

describe('the guards in front of a real HTTP server on 127.0.0.1', () => {
  const token = newSessionToken();
  const LIMIT = 1000;
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    server = http.createServer(async (req, res) => {
      const deny = (status: number, reason: string) => { res.writeHead(status, { 'Content-Type': 'text/plain', Connection: 'close' }).end(reason); };
      if (req.url?.startsWith('/?') || req.url === '/') {
        const x = checkTokenExchange({ method: req.method ?? 'GET', url: req.url, headers: req.headers }, { port, token });
        if (!x.ok) return deny(x.status, x.reason);
        res.writeHead(303, { Location: x.location, 'Set-Cookie': x.setCookie }).end();
        return;
      }
      const g = checkBridgeRequest({ method: req.method ?? 'GET', headers: req.headers }, { port, maxBodyBytes: LIMIT, accepts: acceptsToken(token) });
      if (!g.ok) return deny(g.status, g.reason);
      try {
        const body = await readBodyLimited(req, LIMIT);
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ bytes: body.length }));
      } catch (err) {
        if (err instanceof BodyTooLargeError) return deny(413, err.message);
        throw err;
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  function request(opts: { method?: string; path: string; headers?: Record<string, string>; chunks?: string[] }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { Host: `127.0.0.1:${port}`, ...opts.headers }, timeout: 5000, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => { body += c; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      for (const c of opts.chunks ?? []) req.write(c);
      req.end();
    });
  }

  const json = { 'Content-Type': 'application/json' };

  it('exchanges the printed token for the cookie and strips it from the URL', async () => {
    const res = await request({ path: `/?token=${token}&view=fares`, headers: { 'Sec-Fetch-Site': 'none' } });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/?view=fares');
    expect(res.headers['set-cookie']).toEqual([`dfae_session_${port}=${token}; Path=/; HttpOnly; SameSite=Strict`]);
    expect((await request({ path: '/?token=wrong' })).status).toBe(401);
  });

  it('serves an API call with the cookie, refuses it without', async () => {
    const ok = await request({ method: 'POST', path: '/api/flights.list', headers: { ...json, Cookie: `dfae_session_${port}=${token}` }, chunks: ['{"a":1}'] });
    expect(ok).toMatchObject({ status: 200, body: '{"bytes":7}' });
    expect((await request({ method: 'POST', path: '/api/flights.list', headers: json, chunks: ['{}'] })).status).toBe(401);
  });

  it('refuses a rebinding Host, a foreign Origin and a cross-site page even with the cookie', async () => {
    const cookie = `dfae_session_${port}=${token}`;
    expect((await request({ path: '/api/x', headers: { Host: `evil.example:${port}`, Cookie: cookie } })).status).toBe(403);
    expect((await request({ method: 'POST', path: '/api/x', headers: { ...json, Cookie: cookie, Origin: 'http://evil.example' }, chunks: ['{}'] })).status).toBe(403);
    expect((await request({ method: 'POST', path: '/api/x', headers: { ...json, Cookie: cookie, Origin: 'http://127.0.0.1:1' }, chunks: ['{}'] })).status).toBe(403);
    expect((await request({ method: 'POST', path: '/api/x', headers: { ...json, Cookie: cookie, 'Sec-Fetch-Site': 'cross-site' }, chunks: ['{}'] })).status).toBe(403);
    expect((await request({ method: 'POST', path: '/api/x', headers: { 'Content-Type': 'text/plain', Cookie: cookie }, chunks: ['{}'] })).status).toBe(415);
  });

  it('refuses bodies over the limit, declared or chunked', async () => {
    const cookie = `dfae_session_${port}=${token}`;
    const big = 'x'.repeat(LIMIT + 1);
    const declared = await request({ method: 'POST', path: '/api/x', headers: { ...json, Cookie: cookie, 'Content-Length': String(big.length) }, chunks: [big] });
    expect(declared.status).toBe(413);
    const chunked = await request({ method: 'POST', path: '/api/x', headers: { ...json, Cookie: cookie }, chunks: ['x'.repeat(600), 'x'.repeat(600)] });
    expect(chunked.status).toBe(413);
  });
});
