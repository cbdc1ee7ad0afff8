import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { createBackend, type Backend } from '../../engine/backend';
import { fixedClock } from '../../engine/domain/time';
import { startWebBridge, type WebBridge } from './bridge';

let dir: string;
let backend: Backend;
let bridge: WebBridge;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-bridge-'));
  const staticDir = path.join(dir, 'static');
  fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  fs.writeFileSync(path.join(staticDir, 'assets', 'a.js'), 'console.log(1)');
  backend = createBackend({ dataDir: path.join(dir, 'data'), clock: fixedClock('2026-11-25T08:00:00Z'), connectors: [], mode: 'sandbox', host: 'web', version: 't' });
  bridge = await startWebBridge({
    dispatcher: backend.dispatcher, events: backend.events, staticDir, initialCaller: { user: 'local', role: 'admin' },
    maxBodyBytes: 10_000,
  });
});
afterEach(async () => {
  await bridge.close();
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function login(): Promise<string> {
  const res = await request(bridge.url, { method: 'GET' });
  expect(res.statusCode).toBe(303);
  await res.body.dump();
  const cookie = String(res.headers['set-cookie']);
  expect(cookie).toMatch(new RegExp(`^${bridge.cookieName}=[\\w-]+; Path=/; HttpOnly; SameSite=Strict$`));
  return cookie.split(';')[0]!;
}

async function api(method: string, body: unknown, headers: Record<string, string>) {
  const res = await request(`${bridge.origin}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.statusCode, body: (await res.body.json()) as { ok: boolean; result?: unknown; error?: { code: string; field?: string; message: string } } };
}

describe('web bridge', () => {
  it('listens on 127.0.0.1 and exchanges the one-time token for an HttpOnly SameSite=Strict cookie', async () => {
    expect(bridge.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const cookie = await login();
    const again = await request(bridge.url);
    expect(again.statusCode).toBe(401);
    await again.body.dump();
    const page = await request(`${bridge.origin}/`, { headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(String(page.headers['content-security-policy'])).toMatch(/default-src 'self'; script-src 'self'.*style-src 'self' 'nonce-[\w+/=-]+'/);
    expect(await page.body.text()).toContain('<title>t</title>');
  });

  it('answers a used link with how to get another, and a new link (Enter in the terminal) opens a second session', async () => {
    const first = await login();
    const used = await request(bridge.url);
    expect(used.statusCode).toBe(401);
    expect(await used.body.text()).toMatch(/already used.*press Enter in the terminal/);
    const second = await request(bridge.newLoginUrl());
    expect(second.statusCode).toBe(303);
    await second.body.dump();
    const cookie = String(second.headers['set-cookie']).split(';')[0]!;
    expect(cookie).not.toBe(first);
    const page = await request(`${bridge.origin}/`, { headers: { cookie } });
    expect(page.statusCode).toBe(200);
    await page.body.dump();
  });

  it('requires the cookie or the bearer token on every request', async () => {
    const page = await request(`${bridge.origin}/assets/a.js`);
    expect(page.statusCode).toBe(401);
    await page.body.dump();
    const anon = await api('system.info', {}, {});
    expect(anon.status).toBe(401);
    const bearer = await api('system.info', {}, { authorization: `Bearer ${bridge.token}` });
    expect(bearer).toMatchObject({ status: 200, body: { ok: true } });
    const wrong = await api('system.info', {}, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
  });

  it('maps envelopes to HTTP statuses: 400 with the field, 404 for an unknown method, bad JSON, oversized bodies', async () => {
    const cookie = await login();
    const bad = await api('fares.list', { origin: 'X' }, { cookie });
    expect(bad).toMatchObject({ status: 400, body: { ok: false, error: { code: 'validation', field: 'origin' } } });
    const unknown = await api('nope.nothing', {}, { cookie });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'unknown_method' } } });
    const json = await api('fares.list', '{not json', { cookie });
    expect(json).toMatchObject({ status: 400, body: { error: { code: 'validation' } } });
    expect(json.body.error?.message).toMatch(/not valid JSON/);
    const big = await api('fares.list', { origin: 'A'.repeat(20_000) }, { cookie });
    expect(big.status).toBe(413);
    const ok = await api('fares.list', { origin: 'FRA' }, { cookie });
    expect(ok).toMatchObject({ status: 200, body: { ok: true, result: { rows: [], total: 0 } } });
  });

  it('rejects foreign Host and Origin headers (DNS rebinding, cross-site requests)', async () => {
    const cookie = await login();
    const host = await new Promise<number>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: bridge.port, path: '/api/system.info', method: 'POST', headers: { host: 'evil.example:80', cookie } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.end('{}');
    });
    expect(host).toBe(403);
    const origin = await api('system.info', {}, { cookie, origin: 'https://evil.example' });
    expect(origin.status).toBe(403);
    const same = await api('system.info', {}, { cookie, origin: bridge.origin });
    expect(same.status).toBe(200);
  });

  it('streams push events as Server-Sent Events to a session', async () => {
    const cookie = await login();
    const got = await new Promise<string>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: bridge.port, path: '/api/events', headers: { cookie } }, (res) => {
        expect(res.headers['content-type']).toMatch(/text\/event-stream/);
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          if (buf.includes(': connected')) backend.events.emit('feed.progress', { feed: 'pss', runId: 7, phase: 'bookings page 1', recordsIn: 10, recordsWritten: 9, recordsQuarantined: 1, total: null });
          const m = /event: feed\.progress\ndata: (.*)\n\n/.exec(buf);
          if (m) { req.destroy(); resolve(m[1]!); }
        });
      });
      req.on('error', reject);
    });
    expect(JSON.parse(got)).toMatchObject({ name: 'feed.progress', payload: { runId: 7, recordsQuarantined: 1 }, at: '2026-11-25T08:00:00.000Z' });
  });
});
