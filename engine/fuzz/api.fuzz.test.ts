/**
 * Every API method through the dispatcher with hostile input (apiFuzz.ts), a short seeded campaign: no
 * throw, no internal error, every validation error naming its field, and the store unharmed afterwards
 * (integrity check, the audit chain, the seeded rows still there). The soak (`npm run soak`) runs the
 * large campaign.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../backend';
import { fixedClock } from '../domain/time';
import { contract } from '../api/contract/index';
import { checkIntegrity } from '../store/integrity';
import { fuzzApi, inputFields } from './apiFuzz';

let dir: string;
let backend: Backend;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-apifuzz-'));
  backend = createBackend({ dataDir: dir, clock: fixedClock('2026-03-01T08:00:00.000Z'), connectors: [], mode: 'sandbox', host: 'test', version: 't', backup: false, decisions: { autoPush: false, expiryIntervalMs: 0 } });
});
afterAll(async () => {
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('API fuzz through the dispatcher', () => {
  it('reads the fields of each method from its contract', () => {
    expect(inputFields(contract['flights.list'].input)).toEqual(expect.arrayContaining(['origin', 'destination', 'limit']));
  });

  it('answers every method and hostile input with a result or a clear error naming the field', async () => {
    const users = () => backend.store.db.prepare('SELECT count(*) FROM users').pluck().get() as number;
    const before = users();
    const r = await fuzzApi({ dispatcher: backend.dispatcher, contract, numRuns: 12, seed: 20261125 });
    expect(r.methods).toBe(Object.keys(contract).length);
    expect(r.cases).toBe(r.methods * 12);
    expect(r.failures).toEqual([]);
    // the campaign exercised refusals of several kinds
    expect(Object.keys(r.outcomes)).toEqual(expect.arrayContaining(['validation', 'unauthenticated', 'forbidden']));
    // still answering, the store whole
    const info = await backend.dispatcher.call('system.info', {}, { caller: { user: 'x', role: null }, transport: 'inproc' });
    expect(info.ok).toBe(true);
    expect(checkIntegrity(backend.store.db, backend.store.file, 'full').ok).toBe(true);
    expect(users()).toBeGreaterThanOrEqual(before);
  });
});
