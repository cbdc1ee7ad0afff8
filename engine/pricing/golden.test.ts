/**
 * Golden output of the pricing cycle, reduced to hashes, so speed work on the cycle, its store I/O and
 * its worker pool is proven byte-identical: every stored row of a seeded synthetic network's cycle
 * (recommendations, forecasts, cabin contexts, in primary-key order) through the pool of workers, and
 * through the in-process path. If a change alters the output on purpose, say so in its commit and
 * update the hash.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/db';
import { fixedClock } from '../domain/time';
import { runPricingCycle, type CycleSettings } from './cycle';
import { runCycleInPool } from './pool';
import { loadCycleInput, saveCycleOutput } from './store';
import { syntheticNetwork } from './synthetic';
import { writeSyntheticNetwork } from './syntheticStore';

const DCPS = [120, 90, 63, 56, 49, 42, 35, 31, 28, 24, 21, 17, 14, 10, 7, 5, 3, 1, 0];
const TODAY = '2025-03-03';
const GOLDEN = '9c921f78991270e5';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

function seeded(): { store: Store; now: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-pricing-golden-'));
  dirs.push(dir);
  const store = openStore({ dataDir: dir, clock: fixedClock(`${TODAY}T03:00:00Z`) });
  const net = syntheticNetwork({ seed: 11, flights: 5, daysAhead: 40, historyDays: 28, today: TODAY, dcps: DCPS });
  writeSyntheticNetwork(store, net, { dcps: DCPS, history: 'curves' });
  return { store, now: net.now };
}

const settings: CycleSettings = { ownCarrier: 'XX', dcps: DCPS, defaults: { competitor: { kind: 'undercut', reference: 'min', pct: 2 }, guardrails: { Y: { floorMinor: 4900, ceilingMinor: 99900 } } } };

/** A hash of every row a cycle stored, in primary-key order. */
function outputHash(store: Store, cycleId: string): { hash: string; rows: number } {
  const h = createHash('sha256');
  let rows = 0;
  // the contexts' row ids follow the order the workers wrote them in: not part of the output
  for (const [table, columns, order] of [['recommendations', '*', 'key, kind'], ['forecasts', '*', 'flight_id, rbd'], ['pricing_contexts', 'cycle_id, flight_id, cabin, context', 'flight_id, cabin']] as const) {
    for (const r of store.db.prepare(`SELECT ${columns} FROM ${table} WHERE cycle_id = ? ORDER BY ${order}`).raw().iterate(cycleId) as IterableIterator<unknown[]>) {
      h.update(JSON.stringify(r));
      rows++;
    }
  }
  return { hash: h.digest('hex').slice(0, 16), rows };
}

describe('pricing cycle golden output', () => {
  it('stores the same rows, byte for byte, through the pool of workers and in process', async () => {
    const a = seeded();
    try {
      await runCycleInPool({ store: a.store, cycleId: 'golden', now: a.now, settings, workers: 2, horizonDays: 40, historyDays: 28, demandFeed: null });
      const pooled = outputHash(a.store, 'golden');
      expect(pooled.rows).toBe(5 * 40 * 22); // per departure: per cabin a context and a bid price, per class (2 J, 4 Y) a forecast, a fare and an authorisation
      expect(pooled.hash).toBe(GOLDEN);
    } finally { a.store.close(); }
    const b = seeded();
    try {
      const out = runPricingCycle(loadCycleInput(b.store, { cycleId: 'golden', now: b.now, settings, horizonDays: 40, historyDays: 28, demandFeed: null }).input);
      saveCycleOutput(b.store, out, settings);
      expect(outputHash(b.store, 'golden').hash).toBe(GOLDEN);
    } finally { b.store.close(); }
  }, 60_000);
});
