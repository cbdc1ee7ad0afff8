import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../backend';
import { fixedClock } from '../domain/time';
import type { Caller } from '../api/dispatch';
import { syntheticNetwork } from '../pricing/synthetic';
import { writeSyntheticNetwork } from '../pricing/syntheticStore';
import { openStore } from '../store/db';
import { decisionWhatIf, WhatIfInputError } from './decisionWhatIf';

const DCPS = [63, 56, 49, 42, 35, 31, 28, 24, 21, 17, 14, 10, 7, 5, 3, 1];
const NOW = '2025-06-02T03:00:00.000Z';
const rita: Caller = { user: 'rita', role: 'revenue_manager' };
const andy: Caller = { user: 'andy', role: 'analyst' };

let dir: string;
let backend: Backend;

interface Row { id: number; kind: string; flight_id: string; rbd: string; cabin: string; proposed_value: number; current_value: number | null; currency: string | null }

/** A store with a small synthetic network (bookings history) priced by a cycle: forecasts and proposed decisions. */
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-whatif-'));
  const store = openStore({ dataDir: dir, clock: fixedClock(NOW) });
  writeSyntheticNetwork(store, syntheticNetwork({ seed: 5, flights: 2, daysAhead: 20, historyDays: 28, today: '2025-06-02', dcps: DCPS }), { dcps: DCPS, history: 'bookings' });
  store.close();
  backend = createBackend({
    dataDir: dir, clock: fixedClock(NOW), connectors: [], mode: 'live', host: 'test', version: 't', backup: false,
    decisions: { autoPush: false }, cycle: { workers: 1, dcps: DCPS, historyDays: 28, horizonDays: 20 },
  });
  const r = await backend.dispatcher.call('cycle.run', { steps: { sync: false, price: true, autoApprove: false, push: false }, wait: true }, { caller: rita, transport: 'inproc' });
  if (!r.ok) throw new Error(r.error.message);
}, 60_000);
afterAll(async () => {
  await backend?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const proposed = (where = '1 = 1') => backend.store.db.prepare(`SELECT id, kind, flight_id, rbd, cabin, proposed_value, current_value, currency FROM decisions WHERE state = 'proposed' AND flight_id <> '' AND ${where} ORDER BY id`).all() as Row[];

describe('decision what-if on the store', () => {
  it('explores', () => {
    const rows = proposed();
    console.log(rows.length, rows.slice(0, 5));
    const fare = rows.find((r) => r.kind === 'fare')!;
    const res = decisionWhatIf(backend.store, { decisionIds: [fare.id], draws: 200, seed: 3 });
    console.log(JSON.stringify(res, null, 1).slice(0, 5000));
  });
});
void andy; void WhatIfInputError;
