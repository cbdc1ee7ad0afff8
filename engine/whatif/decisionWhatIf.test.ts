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
import { decisionWhatIf, WhatIfCancelledError, WhatIfInputError, type DecisionWhatIfResult } from './decisionWhatIf';
import { encodeByDcp, parseByDcp } from '../pricing/byDcp';

const DCPS = [63, 56, 49, 42, 35, 31, 28, 24, 21, 17, 14, 10, 7, 5, 3, 1];
const NOW = '2025-06-02T03:00:00.000Z';
const rita: Caller = { user: 'rita', role: 'revenue_manager' };
const andy: Caller = { user: 'andy', role: 'analyst' };

let dir: string;
let backend: Backend;

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

const call = (method: 'decisions.whatIf' | 'decisions.propose', input: unknown, caller: Caller = rita) => backend.dispatcher.call(method, input as never, { caller, transport: 'inproc' });
const strip = (r: DecisionWhatIfResult) => ({ ...r, elapsedMs: 0 });

interface FlightInfo { id: string; carrier: string; origin: string; destination: string; local_date: string }
/** A departure ten days out: demand still to come in both cabins. */
const flight = () => backend.store.db.prepare("SELECT id, carrier, origin, destination, local_date FROM flights WHERE local_date = '2025-06-12' ORDER BY id LIMIT 1").get() as FlightInfo;
const ladder = (cabin: string) => (backend.store.db.prepare('SELECT rbd FROM rbds WHERE cabin = ? ORDER BY rank').pluck().all(cabin) as string[]);

async function propose(input: Record<string, unknown>): Promise<number> {
  const r = await call('decisions.propose', { reason: 'what-if test', confirmOutsideGuardrails: true, ...input });
  if (!r.ok) throw new Error(r.error.message);
  return (r.result as { id: number }).id;
}
const proposeFare = (f: FlightInfo, rbd: string, cabin: string, amountMinor: number) => propose({
  kind: 'fare',
  fare: { carrier: f.carrier, origin: f.origin, destination: f.destination, rbd, cabin, fareBasis: `WI${rbd}`, pointOfSale: 'DE', currency: 'EUR', amountMinor, validFrom: f.local_date, validTo: f.local_date, flightId: f.id },
});
const proposeClose = (f: FlightInfo, rbd: string, cabin: string) => propose({
  kind: 'authorisation', control: { flightId: f.id, rbd, cabin, authorised: 0, status: 'closed', bidPriceMinor: null, currency: null },
});
async function whatIf(input: Record<string, unknown>): Promise<DecisionWhatIfResult> {
  const r = await call('decisions.whatIf', input);
  if (!r.ok) throw new Error(r.error.message);
  return r.result as DecisionWhatIfResult;
}

describe('decision what-if on a store priced by a cycle', () => {
  it('replays an engine proposal: same seed, same result; another seed, other draws; calibration from the store', async () => {
    const dec = backend.store.db.prepare("SELECT id, flight_id FROM decisions WHERE state = 'proposed' AND kind = 'fare' AND flight_id <> '' AND travel_date >= '2025-06-08' ORDER BY id LIMIT 1").get() as { id: number; flight_id: string };
    const a = await whatIf({ ids: [dec.id], draws: 300, seed: 7 });
    const b = await whatIf({ ids: [dec.id], draws: 300, seed: 7 });
    expect(strip(a)).toEqual(strip(b));
    const c = await whatIf({ ids: [dec.id], draws: 300, seed: 8 });
    expect(c.flights[0]!.current.revenue.mean).not.toBe(a.flights[0]!.current.revenue.mean);
    const f = a.flights[0]!;
    expect(f).toMatchObject({ flightId: dec.flight_id, decisionIds: [dec.id], currency: 'EUR', changes: [expect.stringMatching(/fare .* → .*\(decision \d+\)/)] });
    expect(a).toMatchObject({ draws: 300, seed: 7, asOf: NOW, total: { currency: 'EUR', capacity: f.capacity } });
    // what the calibration used: the store's inventory and the cycle's forecast
    const inv = backend.store.db.prepare('SELECT sum(sold) FROM inventory WHERE flight_id = ?').pluck().get(dec.flight_id) as number;
    expect(f.soldNow).toBe(inv);
    expect(f.cabins.map((x) => x.forecastCycleId)).toEqual(f.cabins.map(() => expect.stringMatching(/^c\d+-/)));
    expect(f.cabins.every((x) => x.frat5 > 1 && x.frat5Source.length > 0)).toBe(true);
    // the paired interval holds the mean difference, and revenue is what is in hand plus what is to come
    expect(f.revenueDifference.meanLow95).toBeLessThanOrEqual(f.revenueDifference.mean);
    expect(f.revenueDifference.meanHigh95).toBeGreaterThanOrEqual(f.revenueDifference.mean);
    expect(f.current.revenue.p5).toBeGreaterThanOrEqual(f.revenueInHand - 1e-6);
    expect(f.current.seatsSold).toBeGreaterThan(f.soldNow);
  });

  it('a fare above everyone\'s willingness to pay lowers expected bookings; closing the lowest class raises the fare mix', async () => {
    const f = flight();
    const y = ladder('Y');
    const priced = await Promise.all(y.map((rbd) => proposeFare(f, rbd, 'Y', 10_000_000)));
    const high = (await whatIf({ ids: priced, draws: 300, seed: 1 })).flights[0]!;
    expect(high.changes).toHaveLength(y.length);
    expect(high.proposed.seatsSold).toBeLessThan(high.current.seatsSold);
    expect(high.revenueDifference.meanHigh95).toBeLessThan(0);

    const closed = await proposeClose(f, y[y.length - 1]!, 'Y');
    const mix = (await whatIf({ ids: [closed], draws: 300, seed: 1 })).flights[0]!;
    expect(mix.changes[0]).toMatch(/authorised .* → 0, closed/);
    expect(mix.proposed.seatsSold).toBeLessThan(mix.current.seatsSold);
    expect(mix.proposed.averageFareToCome!).toBeGreaterThan(mix.current.averageFareToCome!);
  });

  it('closing every class sells nothing more: revenue stays what is in hand in every draw', async () => {
    const f = flight();
    const ids = [];
    for (const cabin of ['J', 'Y']) for (const rbd of ladder(cabin)) ids.push(await proposeClose(f, rbd, cabin));
    const r = (await whatIf({ ids, draws: 100, seed: 2 })).flights[0]!;
    expect(r.proposed.seatsSold).toBe(r.soldNow);
    expect(r.proposed.maxSeatsSold).toBe(r.soldNow);
    expect(r.proposed.revenue).toMatchObject({ mean: r.revenueInHand, sd: 0 });
    expect(r.proposed.averageFareToCome).toBeNull();
  });

  it('never sells more seats than the flight has, however much demand the forecast expects', async () => {
    const f = flight();
    const id = await proposeFare(f, ladder('Y')[0]!, 'Y', 50_000);
    const db = backend.store.db;
    const rows = db.prepare('SELECT cycle_id, rbd, mean, by_dcp FROM forecasts WHERE flight_id = ?').all(f.id) as { cycle_id: string; rbd: string; mean: number; by_dcp: string }[];
    const upd = db.prepare('UPDATE forecasts SET mean = ?, by_dcp = ? WHERE flight_id = ? AND cycle_id = ? AND rbd = ?');
    try {
      for (const r of rows) { const by = parseByDcp(r.by_dcp); upd.run(r.mean * 50, encodeByDcp(by.m.map((v) => v * 50), by.s), f.id, r.cycle_id, r.rbd); }
      const res = (await whatIf({ ids: [id], draws: 60, seed: 3 })).flights[0]!;
      for (const o of [res.current, res.proposed]) {
        expect(o.maxSeatsSold).toBe(res.capacity); // demand exceeds the seats in some draws...
        expect(o.loadFactor.p95).toBe(1); // ...and never more than the seats are sold
      }
    } finally {
      for (const r of rows) upd.run(r.mean, r.by_dcp, f.id, r.cycle_id, r.rbd);
    }
  });

  it('the API validates: unknown decisions are named, sizes are bounded, analysts may run it, nothing is written', async () => {
    const before = backend.store.db.prepare('SELECT count(*) FROM audit_log').pluck().get();
    expect(await call('decisions.whatIf', { ids: [999_999, 999_998] })).toMatchObject({ ok: false, error: { code: 'not_found', field: 'ids', message: expect.stringMatching(/999999, 999998/) } });
    expect(await call('decisions.whatIf', { ids: [] })).toMatchObject({ ok: false, error: { code: 'validation', field: 'ids' } });
    expect(await call('decisions.whatIf', { ids: Array.from({ length: 201 }, (_, i) => i + 1) })).toMatchObject({ ok: false, error: { code: 'validation', field: 'ids' } });
    expect(await call('decisions.whatIf', { ids: [1], draws: 100_001 })).toMatchObject({ ok: false, error: { code: 'validation', field: 'draws' } });
    const market = backend.store.db.prepare("SELECT id FROM decisions WHERE flight_id = '' LIMIT 1").pluck().get() as number | undefined;
    if (market !== undefined) expect(await call('decisions.whatIf', { ids: [market] })).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringMatching(/market fare without a flight/) } });
    const dec = backend.store.db.prepare("SELECT id FROM decisions WHERE state = 'proposed' AND flight_id <> '' LIMIT 1").pluck().get() as number;
    expect(await call('decisions.whatIf', { ids: [dec], draws: 20 }, andy)).toMatchObject({ ok: true, result: { draws: 20 } });
    expect(backend.store.db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(before);
    await expect(decisionWhatIf(backend.store.db, { decisionIds: [dec], draws: 0 })).rejects.toThrow(WhatIfInputError);
    // a cancelled run stops between chunks of draws
    const abort = new AbortController();
    abort.abort();
    await expect(decisionWhatIf(backend.store.db, { decisionIds: [dec], draws: 600, signal: abort.signal })).rejects.toThrow(WhatIfCancelledError);
  });
});
