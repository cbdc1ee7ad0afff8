import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { openStore, DB_FILE_NAME } from '../store/db';
import { fixedClock } from '../domain/time';
import { runPricingCycle, type CycleSettings } from './cycle';
import { POOL_CANCELLED, runCycleInPool, runCycleInWorker } from './pool';
import { loadCycleInput, loadRecommendations } from './store';
import { syntheticNetwork } from './synthetic';
import { writeSyntheticNetwork } from './syntheticStore';

const DCPS = [63, 56, 49, 42, 35, 31, 28, 24, 21, 17, 14, 10, 7, 5, 3, 1];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-pool-'));
const store = openStore({ dataDir: dir, clock: fixedClock('2025-06-02T03:00:00Z') });
const net = syntheticNetwork({ seed: 3, flights: 6, daysAhead: 8, historyDays: 28, today: '2025-06-02', dcps: DCPS });
writeSyntheticNetwork(store, net, { dcps: DCPS, history: 'curves' });
const settings: CycleSettings = { ownCarrier: 'XX', dcps: DCPS };
afterAll(() => { store.close(); fs.rmSync(dir, { recursive: true, force: true }); });

describe('pricing in worker threads', () => {
  it('runs one cycle in a worker with the same result as in process', async () => {
    const { input } = loadCycleInput(store, { cycleId: 'w', now: net.now, settings, demandFeed: null });
    const inWorker = await runCycleInWorker(input);
    expect(inWorker.recommendations).toEqual(runPricingCycle(input).recommendations);
  });

  it('prices the network from the store with a pool of workers, partitioned by flight number', async () => {
    const r = await runCycleInPool({ store, cycleId: 'pool', now: net.now, settings, workers: 2, demandFeed: null });
    expect(r.partitions).toBe(6);
    const single = runPricingCycle(loadCycleInput(store, { cycleId: 'single', now: net.now, settings, demandFeed: null }).input);
    expect(r.stats.cabins).toBe(single.stats.cabins);
    expect(r.written.recommendations).toBe(single.recommendations.length);
    const key = (x: { kind: string; key: string }) => `${x.kind}|${x.key}`;
    const stored = loadRecommendations(store, { cycleId: 'pool' }).sort((a, b) => key(a).localeCompare(key(b)));
    expect(JSON.parse(JSON.stringify(stored))).toEqual(JSON.parse(JSON.stringify([...single.recommendations].sort((a, b) => key(a).localeCompare(key(b))))));
    expect((store.db.prepare("SELECT status FROM pricing_cycles WHERE id = 'pool'").get() as { status: string }).status).toBe('ok');
  });

  it('copies what the workers wrote into the database file itself in a thread of its own, the workers\' commits never checkpointing', async () => {
    // rows reach the main file (not only its write-ahead log) only through a checkpoint: a copy of the
    // main file alone shows what was checkpointed. This connection does not checkpoint either.
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.db.pragma('wal_autocheckpoint = 0');
    try {
      const r = await runCycleInPool({ store, cycleId: 'ckpt', now: net.now, settings, workers: 2, demandFeed: null });
      expect(r.checkpoints.checkpoints).toBeGreaterThanOrEqual(2); // at least the first and the one after the workers
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-pool-main-'));
      try {
        fs.copyFileSync(path.join(dir, DB_FILE_NAME), path.join(copy, DB_FILE_NAME));
        const main = new BetterSqlite3(path.join(copy, DB_FILE_NAME), { readonly: true });
        try {
          expect(main.prepare("SELECT count(*) FROM forecasts WHERE cycle_id = 'ckpt'").pluck().get()).toBe(r.written.forecasts);
          expect(main.prepare("SELECT sum(json_array_length(recommendations, '$[4]')) FROM pricing_contexts WHERE cycle_id = 'ckpt'").pluck().get()).toBe(r.written.recommendations);
        } finally { main.close(); }
      } finally { fs.rmSync(copy, { recursive: true, force: true }); }
    } finally {
      store.db.pragma('wal_autocheckpoint = 1000');
    }
  });

  it('stops at cancellation: the workers and the checkpointer end, the cycle is marked failed with the reason', async () => {
    const abort = new AbortController();
    const seen: number[] = [];
    const run = runCycleInPool({ store, cycleId: 'cancelled', now: net.now, settings, workers: 1, demandFeed: null, signal: abort.signal, onPartition: (done) => { seen.push(done); abort.abort(); } });
    await expect(run).rejects.toThrow(POOL_CANCELLED);
    expect(seen).toEqual([1]);
    expect(store.db.prepare("SELECT status, error FROM pricing_cycles WHERE id = 'cancelled'").get()).toEqual({ status: 'failed', error: expect.stringContaining(POOL_CANCELLED) });
    const before = new AbortController();
    before.abort();
    await expect(runCycleInPool({ store, cycleId: 'cancelled-before', now: net.now, settings, workers: 1, demandFeed: null, signal: before.signal })).rejects.toThrow(POOL_CANCELLED);
  });

  it('stops its checkpointer with an error naming it when the store cannot be opened there', async () => {
    const { PricingPool } = await import('./pool');
    const pool = new PricingPool({ workers: 1 });
    try {
      const file = path.join(dir, 'not-a-folder');
      fs.writeFileSync(file, 'x');
      await expect(pool.startCheckpointer(file).stop()).rejects.toThrow(/^store checkpoints: /);
    } finally { await pool.close(); }
  });
});
