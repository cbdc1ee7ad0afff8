import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/db';
import { fixedClock } from '../domain/time';
import { runExperiment, type ExperimentOptions } from './experiment';
import { SimulationBusyError, SimulationJobs, type SimulationJob } from './jobs';
import { createTrialPool, type TrialPool } from './trial-pool';

const small: ExperimentOptions = { scenario: '3mkt', strategy: 'E', vs: 'fcfs', trials: 2, demand: 'medium', seed: 500, samples: 5, burnIn: 10 };

let dir: string;
let store: Store;
let seen: SimulationJob[];
let jobs: SimulationJobs;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-simjobs-'));
  store = openStore({ dataDir: dir, clock: fixedClock('2026-11-28T08:00:00Z') });
  seen = [];
  jobs = new SimulationJobs({ db: store.db, now: () => store.now(), onChange: (j) => seen.push(j), threads: 2 });
});
afterEach(async () => {
  await jobs.close();
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('simulations started from the workbench', () => {
  it('runs the experiment in worker threads, reports each trial and stores the result as the command would', async () => {
    const started = jobs.start(small, 'rita');
    expect(started).toMatchObject({ id: 1, state: 'running', done: 0, startedBy: 'rita', runId: null });
    await jobs.settled();
    const done = jobs.current()!;
    expect(done).toMatchObject({ state: 'done', done: 2, error: null });
    expect(done.last).toMatch(/^trial 2\/2 \(seed 501\): uplift [+-]\d+\.\d\d %$/);
    // started, each trial, ended
    expect(seen.map((j) => [j.state, j.done])).toEqual([['running', 0], ['running', 1], ['running', 2], ['done', 2]]);
    const row = store.db.prepare('SELECT scenario, strategy, vs, trials, uplift_pct, label FROM simulation_runs WHERE id = ?').get(done.runId) as Record<string, unknown>;
    expect(row).toMatchObject({ scenario: '3mkt', strategy: 'E', vs: 'fcfs', trials: 2, label: 'started in the workbench by rita' });
    // the same result as the experiment played here, one run after the other
    const here = await runExperiment(small);
    expect(row.uplift_pct).toBeCloseTo(here.summary.uplift.mean, 9);
    expect(done.upliftPct).toBeCloseTo(here.summary.uplift.mean, 9);
  });

  it('runs one simulation at a time, and a cancelled one stops its workers and stores nothing', async () => {
    const pools: TrialPool[] = [];
    const slow = new SimulationJobs({ db: store.db, now: () => store.now(), threads: 1, pool: (n) => { const p = createTrialPool(n); pools.push(p); return p; } });
    slow.start({ ...small, trials: 50, samples: 60 }, 'rita');
    expect(() => slow.start(small, 'ana')).toThrow(SimulationBusyError);
    expect(() => slow.start(small, 'ana')).toThrow(/a simulation is running \(started by rita at 2026-11-28T08:00:00.000Z, 0 of 50 trials done\)/);
    expect(await slow.cancel('ana')).toBe(true);
    expect(slow.current()).toMatchObject({ state: 'cancelled', error: 'cancelled by ana', runId: null });
    expect(await slow.cancel('ana')).toBe(false);
    expect(store.db.prepare('SELECT count(*) FROM simulation_runs').pluck().get()).toBe(0);
    await expect(pools[0]!.run(small, 1, 'E')).rejects.toThrow(/closed/);
    // and the next one may start
    slow.start(small, 'ana');
    await slow.settled();
    expect(slow.current()).toMatchObject({ id: 2, state: 'done', startedBy: 'ana' });
    await slow.close();
  });

  it('says why a simulation failed', async () => {
    jobs.start({ ...small, samples: 0 }, 'rita');
    await jobs.settled();
    expect(jobs.current()).toMatchObject({ state: 'failed', error: 'simulation: samples must be a whole number >= 1, got 0', runId: null });
  });
});
