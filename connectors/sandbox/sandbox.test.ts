import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { startTestSandbox, type TestSandbox } from './test-support/fixture';
import { FaultPlan, corruptRecords } from './http/faults';
import { mulberry32 } from '../../engine/domain/random';
import { startSandboxProcess, tsxLoaderUrl } from './process';
import { SANDBOX_MALLOC_TUNABLE, SANDBOX_NODE_FLAGS } from './node-flags';
import { loadOrBuildMarket, marketCacheFile } from './simulator-market';
import { startChoiceWorker, type ChoiceWorker } from './choice-worker';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let sb: TestSandbox;
beforeAll(async () => { sb = await startTestSandbox({ historyDays: 7 }); });
afterAll(async () => { await sb.close(); });

const pss = () => sb.sandbox.endpoints.systems.pss;

async function token(): Promise<string> {
  const s = pss();
  const res = await fetch(s.tokenUrl, {
    method: 'POST', body: 'grant_type=client_credentials',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${s.clientId}:${s.clientSecret}`).toString('base64')}` },
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('sandbox OAuth2 token endpoint', () => {
  it('issues a bearer token with expires_in to a client authenticated by Basic or in the form', async () => {
    const s = pss();
    const basic = await fetch(s.tokenUrl, {
      method: 'POST', body: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${s.clientId}:${s.clientSecret}`).toString('base64')}` },
    });
    expect(basic.status).toBe(200);
    expect(await basic.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600, access_token: expect.any(String) });
    const form = await fetch(s.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: s.clientId, client_secret: s.clientSecret }) });
    expect(form.status).toBe(200);
  });

  it.each([
    ['a wrong secret', { grant_type: 'client_credentials', client_id: 'dfae-sandbox-pss', client_secret: 'nope' }, 401, 'invalid_client'],
    ['another grant', { grant_type: 'password', client_id: 'dfae-sandbox-pss', client_secret: 'x' }, 400, 'unsupported_grant_type'],
    ['no grant', { client_id: 'dfae-sandbox-pss' }, 400, 'invalid_request'],
  ])('refuses %s with the RFC 6749 error', async (_n, form, status, error) => {
    const res = await fetch(pss().tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error });
  });

  it('answers a call without a valid token with 401 and WWW-Authenticate', async () => {
    const none = await fetch(`${pss().baseUrl}/v1/carriers`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer realm="sandbox"/);
    const bad = await fetch(`${pss().baseUrl}/v1/carriers`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });
});

describe('sandbox API conventions', () => {
  it('pages by keyset and refuses a page token used with another query', async () => {
    const t = await token();
    const h = { authorization: `Bearer ${t}` };
    const first = await (await fetch(`${pss().baseUrl}/v1/fares?limit=5`, { headers: h })).json() as { data: unknown[]; nextPageToken: string };
    expect(first.data).toHaveLength(5);
    const second = await (await fetch(`${pss().baseUrl}/v1/fares?limit=5&pageToken=${first.nextPageToken}`, { headers: h })).json() as { data: unknown[] };
    expect(second.data).not.toEqual(first.data);
    const wrong = await fetch(`${pss().baseUrl}/v1/flights?limit=5&pageToken=${first.nextPageToken}`, { headers: h });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { field: 'pageToken', message: expect.stringMatching(/different query/) } });
  });

  it('names the field of a bad parameter, and answers unknown paths and methods', async () => {
    const h = { authorization: `Bearer ${await token()}` };
    const bad = await fetch(`${pss().baseUrl}/v1/flights?fromDate=2026-13-45`, { headers: h });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_request', field: 'fromDate' } });
    expect((await fetch(`${pss().baseUrl}/v2/nothing`, { headers: h })).status).toBe(404);
    const wrongMethod = await fetch(`${pss().baseUrl}/v1/flights`, { method: 'DELETE', headers: h });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });

  it('requires the idempotency key on writes', async () => {
    const res = await fetch(`${pss().baseUrl}/v1/fares/batches`, { method: 'POST', headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' }, body: '{"items":[]}' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'idempotency_key_required' } });
  });

  it('keeps its control API behind the control token', async () => {
    const res = await fetch(`${sb.sandbox.endpoints.control.baseUrl}/control/status`);
    expect(res.status).toBe(401);
    expect((await sb.status()).now).toBe('2026-03-01T00:00:00.000Z');
  });
});

describe('sandbox faults', () => {
  it('are seeded: the same rules against the same requests give the same faults, and a count runs out', () => {
    const outcomes = (seed: number) => {
      const plan = new FaultPlan(seed, 'pss');
      plan.set([{ endpoint: 'GET /v1/flights', errorRate: 0.3, resetRate: 0.2 }, { endpoint: '*', latencyMs: 5, count: 3 }]);
      return Array.from({ length: 40 }, () => { const d = plan.decide('GET /v1/flights'); return `${d.action?.kind ?? '-'}/${d.latencyMs}`; });
    };
    expect(outcomes(1)).toEqual(outcomes(1));
    expect(outcomes(1)).not.toEqual(outcomes(2));
    expect(outcomes(1).slice(3).every((o) => o.endsWith('/0'))).toBe(true);
    expect(outcomes(1).filter((o) => o.startsWith('error')).length).toBeGreaterThan(3);
  });

  it('corrupt one field of a share of the records, at least one', () => {
    const records = Array.from({ length: 50 }, (_, i) => ({ a: i, b: 'x', c: [1], nested: { n: 1 } }));
    const n = corruptRecords(records, 0.1, mulberry32(3));
    const bad = records.filter((r) => Object.values(r).some((v) => v && typeof v === 'object' && '$sandboxFault' in v));
    expect(bad).toHaveLength(n);
    expect(n).toBeGreaterThan(0);
    expect(corruptRecords([{ a: 1 }], 0.0001, mulberry32(1))).toBe(1);
    // nested objects are left alone: a record's object fields are not picked
    expect(records.every((r) => !('$sandboxFault' in r.nested))).toBe(true);
  });
});

describe('sandbox market cache', () => {
  it('a market restored and given a choice worker plays on as the one built (the saved dates held, the room made again)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-market-cache-'));
    let worker: ChoiceWorker | null = null;
    try {
      const opts = { seed: 3, today: '2026-03-01', scenario: '3mkt' as const, historyDays: 20 };
      const built = loadOrBuildMarket(opts, dir).market;
      const restored = loadOrBuildMarket(opts, dir);
      expect(restored.fromCache).toBe(true);
      const sim = restored.market.sim;
      expect([sim.legs.nDays, sim.legs.capDays]).toEqual([built.sim.legs.nDays, built.sim.legs.capDays]);
      // every answer waited for, so that each goes through the main thread's checks on the restored, shared legs
      worker = startChoiceWorker(sim, { strict: true, onError: (e) => { throw e; } });
      built.advanceDays(3);
      restored.market.advanceDays(3);
      expect(restored.market.lastBookingSequence()).toBe(built.lastBookingSequence());
      expect(restored.market.bookingEvents(0, 100_000)).toEqual(built.bookingEvents(0, 100_000));
      expect(restored.market.inventory('2026-03-02', '2026-03-20')).toEqual(built.inventory('2026-03-02', '2026-03-20'));
      expect(worker.stats()!.taken).toBeGreaterThan(0);
    } finally {
      await worker?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('saves a built market and restores it exactly on the next start with the same options', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-market-cache-'));
    try {
      const opts = { seed: 5, today: '2026-03-01', scenario: '3mkt' as const, historyDays: 10 };
      const built = loadOrBuildMarket(opts, dir);
      expect(built.fromCache).toBe(false);
      expect(fs.existsSync(marketCacheFile(dir, opts))).toBe(true);
      const restored = loadOrBuildMarket(opts, dir);
      expect(restored.fromCache).toBe(true);
      expect(restored.market.lastBookingSequence()).toBe(built.market.lastBookingSequence());
      expect(restored.market.bookingEvents(0, 500)).toEqual(built.market.bookingEvents(0, 500));
      // both play on identically
      built.market.advanceDays(1);
      restored.market.advanceDays(1);
      expect(restored.market.lastBookingSequence()).toBe(built.market.lastBookingSequence());
      expect(restored.market.inventory('2026-03-02', '2026-03-05')).toEqual(built.market.inventory('2026-03-02', '2026-03-05'));
      // the next day's build replaces that day's snapshot; other markets' snapshots stay
      const other = { ...opts, seed: 6 };
      loadOrBuildMarket(other, dir);
      const nextDay = { ...opts, today: '2026-03-02' };
      expect(loadOrBuildMarket(nextDay, dir).fromCache).toBe(false);
      expect(fs.readdirSync(dir).sort()).toEqual([path.basename(marketCacheFile(dir, nextDay)), path.basename(marketCacheFile(dir, other))].sort());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sandbox in its own process', () => {
  it('starts, prints its endpoints, serves, and stops on close', async () => {
    const p = await startSandboxProcess({ seed: 3, today: '2026-03-01', scenario: '3mkt', historyDays: 5, readyTimeoutMs: 120_000 });
    try {
      expect(p.endpoints.systems.pss.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(p.endpoints.now).toBe('2026-03-01T00:00:00.000Z');
      const res = await fetch(`${p.endpoints.control.baseUrl}/control/status`, { headers: { authorization: `Bearer ${p.endpoints.control.token}` } });
      expect(res.status).toBe(200);
      // with its V8 flags (a young generation for the pages it serves)
      if (process.platform === 'linux') {
        expect(fs.readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').split('\0')).toEqual(expect.arrayContaining([...SANDBOX_NODE_FLAGS]));
        // and its memory in huge pages (connectors/sandbox/node-flags.ts)
        expect(fs.readFileSync(`/proc/${p.pid}/environ`, 'utf8').split('\0').find((v) => v.startsWith('GLIBC_TUNABLES='))).toContain(SANDBOX_MALLOC_TUNABLE);
      }
    } finally {
      await p.close();
    }
    expect(() => process.kill(p.pid, 0)).toThrow();
    // given no drop folder, it made a temporary one, and took it away when it stopped
    const dropRoot = path.dirname(p.endpoints.dropFolders.pros);
    expect(dropRoot.startsWith(path.join(os.tmpdir(), 'dfae-sandbox-drop-'))).toBe(true);
    expect(fs.existsSync(dropRoot)).toBe(false);
  });

  it('stops by itself when the host that started it ends without closing it', async () => {
    const host = spawn(process.execPath, ['--import', tsxLoaderUrl(), path.join(__dirname, 'test-support', 'sandbox-parent.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: host.stdout! }).once('line', resolve);
        host.once('exit', (code) => reject(new Error(`the host exited with ${code} before its sandbox was ready`)));
      });
      const { sandboxPid } = JSON.parse(line) as { sandboxPid: number };
      expect(() => process.kill(sandboxPid, 0)).not.toThrow();
      host.kill('SIGKILL'); // no close(), no signal to the sandbox
      await vi.waitFor(() => expect(() => process.kill(sandboxPid, 0)).toThrow(), { timeout: 20_000, interval: 100 });
    } finally {
      if (host.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
    }
  });

  it('reports a CLI failure with its message', async () => {
    await expect(startSandboxProcess({ today: '2026-02-30x' as string, readyTimeoutMs: 60_000 })).rejects.toThrow(/--today must be a date|exited with code/);
  });
});
