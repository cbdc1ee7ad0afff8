import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../../engine/backend';
import { fixedClock } from '../../../engine/domain/time';
import type { DecisionWhatIfResult } from '../../../engine/api/contract/decisions';
import { syntheticNetwork } from '../../../engine/pricing/synthetic';
import { writeSyntheticNetwork } from '../../../engine/pricing/syntheticStore';
import { openStore } from '../../../engine/store/db';
import { captureIO } from '../testSupport';
import { main } from '../cli';
import { parseDecisionIds } from './whatif';

const DCPS = [63, 56, 49, 42, 35, 31, 28, 24, 21, 17, 14, 10, 7, 5, 3, 1];
const NOW = '2025-06-02T03:00:00.000Z';
let dataDir: string;
let ids: number[];

/** A data folder priced by a cycle (synthetic network): proposed decisions with forecasts behind them. */
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-whatif-cli-'));
  const store = openStore({ dataDir, clock: fixedClock(NOW) });
  writeSyntheticNetwork(store, syntheticNetwork({ seed: 5, flights: 2, daysAhead: 12, historyDays: 28, today: '2025-06-02', dcps: DCPS }), { dcps: DCPS, history: 'bookings' });
  store.close();
  const backend = createBackend({ dataDir, clock: fixedClock(NOW), connectors: [], mode: 'live', host: 'test', version: 't', backup: false, decisions: { autoPush: false }, cycle: { workers: 1, dcps: DCPS, historyDays: 28, horizonDays: 12 } });
  try {
    const r = await backend.dispatcher.call('cycle.run', { steps: { sync: false, price: true, autoApprove: false, push: false }, wait: true }, { caller: { user: 'rita', role: 'revenue_manager' }, transport: 'inproc' });
    if (!r.ok) throw new Error(r.error.message);
    ids = backend.store.db.prepare("SELECT id FROM decisions WHERE state = 'proposed' AND flight_id <> '' AND travel_date >= '2025-06-08' ORDER BY flight_id, id LIMIT 2").pluck().all() as number[];
  } finally {
    await backend.close();
  }
}, 60_000);
afterAll(() => { fs.rmSync(dataDir, { recursive: true, force: true }); });

async function run(args: string[]) {
  const io = captureIO({});
  const code = await main(['whatif', '--data-dir', dataDir, ...args], io);
  return { code, out: io.text('stdout'), err: io.text('stderr') };
}

describe('dfae whatif', () => {
  it('--json prints the API result; the same seed prints the same numbers', async () => {
    const a = await run(['--decisions', ids.join(','), '--draws', '200', '--seed', '4', '--json']);
    expect(a.code, a.err).toBe(0);
    const res = JSON.parse(a.out) as DecisionWhatIfResult;
    expect(res).toMatchObject({ draws: 200, seed: 4, asOf: NOW });
    expect(res.flights.flatMap((f) => f.decisionIds).sort()).toEqual([...ids].sort());
    const b = JSON.parse((await run(['--decisions', ids.join(','), '--draws', '200', '--seed', '4', '--json'])).out) as DecisionWhatIfResult;
    expect({ ...b, elapsedMs: 0 }).toEqual({ ...res, elapsedMs: 0 });
  });

  it('prints current, proposed and the difference with its interval per flight, in the documented lines', async () => {
    const r = await run(['--decisions', String(ids[0]), '--draws', '100', '--seed', '4']);
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse((await run(['--decisions', String(ids[0]), '--draws', '100', '--seed', '4', '--json'])).out) as DecisionWhatIfResult;
    const f = json.flights[0]!;
    expect(r.out).toMatch(/^what-if as of 2025-06-02T03:00:00.000Z: 100 draws, seed 4, 1 flight\(s\), [\d.]+ s$/m);
    expect(r.out).toContain(`flight ${f.flightId} ${f.origin}-${f.destination} ${f.localDate}: capacity ${f.capacity}, sold now ${f.soldNow}`);
    expect(r.out).toMatch(/^ {2}change {5}.* → .*\(decision \d+\)$/m);
    expect(r.out).toContain(`  current    revenue ${f.current.revenue.mean.toFixed(2).padStart(12)}`);
    expect(r.out).toContain(`  proposed   revenue ${f.proposed.revenue.mean.toFixed(2).padStart(12)}`);
    expect(r.out).toMatch(/^ {2}difference revenue [+-][\d.]+ EUR per departure, 95 % interval [+-][\d.]+\.\.[+-][\d.]+ \((better|worse|not distinguishable from zero)\)$/m);
    expect(r.out).toMatch(/^assumptions:$/m);
  });

  it('bad options exit 2 naming the option; unknown decisions are named', async () => {
    expect(() => parseDecisionIds('12,x')).toThrow(/--decisions must list decision ids/);
    const bad = await run(['--decisions', '12,,a']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--decisions must list decision ids/);
    const unknown = await run(['--decisions', '999999']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/--decisions: no decision 999999/);
    const draws = await run(['--decisions', String(ids[0]), '--draws', '0']);
    expect(draws.code).toBe(2);
    expect(draws.err).toMatch(/--draws/);
  });
});
