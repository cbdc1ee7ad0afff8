/**
 * Golden output of the pricing cycle, reduced to hashes, so speed work on the cycle, its store I/O and
 * its worker pool is proven byte-identical: every stored row of a seeded synthetic network's cycle
 * (forecasts, cabin contexts with their recommendations, in key order) through the pool of workers, and
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
import { loadContexts, loadCycleInput, loadForecasts, loadRecommendations, saveCycleOutput } from './store';
import { syntheticNetwork } from './synthetic';
import { writeSyntheticNetwork } from './syntheticStore';

const DCPS = [120, 90, 63, 56, 49, 42, 35, 31, 28, 24, 21, 17, 14, 10, 7, 5, 3, 1, 0];
const TODAY = '2025-03-03';
const GOLDEN = '988b24040651d251';
/** the same output as its readers give it back (the recommendations, and each departure's forecasts and contexts) */
const GOLDEN_READ = '0f0a4ad8ace41c14';

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
  for (const [table, columns, order] of [['forecasts', '*', 'flight_id, rbd'], ['pricing_contexts', 'cycle_id, flight_id, cabin, context, recommendations', 'flight_id, cabin']] as const) {
    for (const r of store.db.prepare(`SELECT ${columns} FROM ${table} WHERE cycle_id = ? ORDER BY ${order}`).raw().iterate(cycleId) as IterableIterator<unknown[]>) {
      h.update(JSON.stringify(r));
      rows++;
    }
  }
  return { hash: h.digest('hex').slice(0, 16), rows };
}

/** A hash of the cycle's output as `loadRecommendations`, `loadForecasts` and `loadContexts` read it back. */
function readHash(store: Store, cycleId: string): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(loadRecommendations(store, { cycleId })));
  for (const flightId of store.db.prepare('SELECT DISTINCT flight_id FROM forecasts WHERE cycle_id = ? ORDER BY flight_id').pluck().all(cycleId) as string[]) {
    h.update(JSON.stringify(loadForecasts(store, { flightId, cycleId })));
    h.update(JSON.stringify(loadContexts(store, { flightId, cycleId })));
  }
  return h.digest('hex').slice(0, 16);
}

describe('pricing cycle golden output', () => {
  it('stores the same rows, byte for byte, through the pool of workers and in process', async () => {
    const a = seeded();
    try {
      await runCycleInPool({ store: a.store, cycleId: 'golden', now: a.now, settings, workers: 2, horizonDays: 40, historyDays: 28, demandFeed: null });
      const pooled = outputHash(a.store, 'golden');
      expect(pooled.rows).toBe(5 * 40 * 8); // per departure: per cabin a context with its recommendations, per class (2 J, 4 Y) a forecast
      expect(pooled.hash).toBe(GOLDEN);
      expect(readHash(a.store, 'golden')).toBe(GOLDEN_READ);
    } finally { a.store.close(); }
    const b = seeded();
    try {
      const out = runPricingCycle(loadCycleInput(b.store, { cycleId: 'golden', now: b.now, settings, horizonDays: 40, historyDays: 28, demandFeed: null }).input);
      saveCycleOutput(b.store, out, settings);
      expect(outputHash(b.store, 'golden').hash).toBe(GOLDEN);
      expect(readHash(b.store, 'golden')).toBe(GOLDEN_READ);
    } finally { b.store.close(); }
  }, 60_000);
});
