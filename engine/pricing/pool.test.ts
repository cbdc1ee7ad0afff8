import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/db';
import { fixedClock } from '../domain/time';
import { runPricingCycle, type CycleSettings } from './cycle';
import { runCycleInPool, runCycleInWorker } from './pool';
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
});
