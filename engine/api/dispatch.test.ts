import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../backend';
import { fixedClock } from '../domain/time';
import { inProcessClient } from './dispatch';
import type { Contract } from './contract/index';
import { ApiError } from './errors';
import { MIGRATIONS } from '../store/migrations/index';

const SCHEMA = Math.max(...MIGRATIONS.map((m) => m.version));

let dir: string;
let backend: Backend;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-api-'));
  backend = createBackend({ dataDir: dir, clock: fixedClock('2026-11-25T08:00:00Z'), connectors: [], mode: 'sandbox', host: 'test', version: '0.0.0-test' });
});
afterEach(async () => {
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const admin = { caller: { user: 'tester', role: 'admin' as const }, transport: 'inproc' as const };

describe('API dispatcher', () => {
  it('answers a valid call with a result envelope', async () => {
    const env = await backend.dispatcher.call('system.info', {}, admin);
    expect(env).toMatchObject({ ok: true, result: { version: '0.0.0-test', mode: 'sandbox', host: 'test', now: '2026-11-25T08:00:00.000Z', schemaVersion: SCHEMA } });
  });

  it('names an unknown method and lists the known ones', async () => {
    const env = await backend.dispatcher.call('fares.lsit', {}, admin);
    expect(env.ok).toBe(false);
    if (!env.ok) {
      expect(env.error.code).toBe('unknown_method');
      expect(env.error.message).toMatch(/Unknown API method "fares\.lsit"\. Known methods: .*fares\.list/);
    }
  });

  it('rejects bad input with the field at fault, never a crash', async () => {
    const cases: [string, unknown, string][] = [
      ['fares.list', { origin: 'FRANKFURT' }, 'origin'],
      ['fares.list', { dateFrom: '2026-02-30' }, 'dateFrom'],
      ['fares.list', { dateFrom: '2026-12-10', dateTo: '2026-12-01' }, 'dateTo'],
      ['fares.list', { limit: -5 }, 'limit'],
      ['fares.list', { limit: 'many' }, 'limit'],
      ['fares.list', { bogus: 1 }, 'bogus'],
      ['fares.list', { '': 1 }, '""'],
      ['flights.list', 'not an object', '(input)'],
      ['feeds.sync', { feeds: ['pss', 'telex'] }, 'feeds.1'],
      ['feeds.runs', { limit: 1e9 }, 'limit'],
    ];
    for (const [method, input, field] of cases) {
      const env = await backend.dispatcher.call(method, input, admin);
      expect(env.ok, `${method} ${JSON.stringify(input)}`).toBe(false);
      if (!env.ok) {
        expect(env.error.code).toBe('validation');
        expect(env.error.field).toBe(field);
        expect(env.error.message).toContain(`Invalid input for ${method}: ${field}:`);
      }
    }
  });

  it('answers not_found for a missing flight and enforces login on non-public methods', async () => {
    const missing = await backend.dispatcher.call('flights.get', { id: 'DF1/2026-12-01/FRA' }, admin);
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found', field: 'id' } });
    const anon = await backend.dispatcher.call('fares.list', {}, { caller: { user: 'anonymous', role: null }, transport: 'http' });
    expect(anon).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const pub = await backend.dispatcher.call('system.info', {}, { caller: { user: 'anonymous', role: null }, transport: 'http' });
    expect(pub.ok).toBe(true);
  });

  it('gives a typed in-process client that throws ApiError', async () => {
    const call = inProcessClient<Contract>(backend.dispatcher, admin.caller);
    const info = await call('system.info', {});
    expect(info.schemaVersion).toBe(SCHEMA);
    await expect(call('flights.get', { id: 'nope' })).rejects.toBeInstanceOf(ApiError);
    const rows = await call('fares.list', { origin: 'FRA' });
    expect(rows).toEqual({ rows: [], total: 0 });
  });
});
