import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../backend';
import { fixedClock } from '../domain/time';
import { inProcessClient, type Caller } from '../api/dispatch';
import type { Contract } from '../api/contract/index';
import { main } from './cli';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-simulate-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, now: () => '2026-11-25T10:00:00.000Z' });
  return { code, out, err };
}

const SMALL = ['--scenario', '3mkt', '--trials', '2', '--samples', '14', '--burn-in', '75'];

describe('npm run simulate', () => {
  it('prints both strategies per carrier and in total, the uplift with its interval, the goal check; stores the run for the API', async () => {
    const r = await run([...SMALL, '--strategy', 'E', '--vs', 'fcfs', '--demand', 'high', '--data-dir', dir]);
    expect(r.err.filter((l) => l.startsWith('simulate: failed'))).toEqual([]);
    expect(r.code).toBe(0);
    // progress per trial on stderr
    expect(r.err.filter((l) => /^ {2}trial \d\/2 \(seed \d+\): E [\d.]+ s, fcfs [\d.]+ s, uplift [+-][\d.]+ %$/.test(l))).toHaveLength(2);
    const row = (carrier: string, strategy: string) => new RegExp(`^${carrier} +${strategy} +[\\d,]+ +[\\d,]+ +[\\d.]+ % +[\\d.]+ +[\\d.]+$`);
    for (const c of ['AL1', 'AL2', 'total']) for (const s of ['E', 'fcfs']) expect(r.out.some((l) => row(c, s).test(l)), `${c} ${s}`).toBe(true);
    const uplift = r.out.filter((l) => l.startsWith('uplift'));
    expect(uplift).toHaveLength(1);
    const m = /^uplift E vs fcfs: ([+-]\d+\.\d\d) % \(95 % CI ([+-]\d+\.\d\d) % to ([+-]\d+\.\d\d) %; 2 paired trials, our carrier AL1's revenue\)$/.exec(uplift[0]!);
    expect(m, uplift[0]).not.toBeNull();
    const [mean, low, high] = [Number(m![1]), Number(m![2]), Number(m![3])];
    expect(low).toBeLessThanOrEqual(mean);
    expect(high).toBeGreaterThanOrEqual(mean);
    expect(mean).toBeGreaterThan(0); // E beats FCFS at high demand
    expect(r.out.some((l) => /^goal: dynamic beats E on 3MKT at medium demand .*: not measured by this run/.test(l))).toBe(true);
    expect(r.out.at(-1)).toMatch(/^stored: simulation run 1 in /);

    // the API reads it back
    const backend: Backend = createBackend({ dataDir: dir, clock: fixedClock('2026-11-25T11:00:00Z'), connectors: [], mode: 'sandbox', host: 'test', version: '0.0.0-test', decisions: { autoPush: false, expiryIntervalMs: 0 }, backup: false });
    try {
      const analyst: Caller = { user: 'ann', role: 'analyst' };
      const call = inProcessClient<Contract>(backend.dispatcher, analyst);
      const list = await call('simulations.list', {});
      expect(list.runs).toHaveLength(1);
      expect(list.runs[0]).toMatchObject({ id: 1, scenario: '3mkt', strategy: 'E', vs: 'fcfs', demand: 'high', trials: 2, createdAt: '2026-11-25T10:00:00.000Z' });
      expect(list.runs[0]!.upliftPct!).toBeCloseTo(mean, 2);
      const got = await call('simulations.get', { id: 1 });
      expect(got.a.carriers.map((c) => c.carrier)).toEqual(['AL1', 'AL2']);
      expect(got.a.fareMix.length).toBe(6);
      expect(got.b.bookingCurve.at(-1)!.dcp).toBe(0);
      expect(got.perTrial.map((t) => t.seed)).toEqual([1000, 1001]);
      expect(got.perTrial[0]!.upliftPct!).toBeCloseTo(100 * (got.perTrial[0]!.revenueA! / got.perTrial[0]!.revenueB! - 1), 9);
      expect((await call('simulations.list', { scenario: 'sandbox' })).runs).toEqual([]);
      await expect(call('simulations.get', { id: 99 })).rejects.toMatchObject({ code: 'not_found' });
      await expect(call('simulations.get', { id: -1 } as never)).rejects.toMatchObject({ code: 'validation' });
    } finally {
      await backend.close();
    }
  }, 60_000);

  it('reports the goal honestly when the run measures it, and robustness runs of the dynamic strategy', async () => {
    const r = await run([...SMALL, '--trials', '1', '--samples', '7', '--strategy', 'dynamic', '--vs', 'E', '--robustness', '--no-store']);
    expect(r.code).toBe(0);
    expect(r.out.filter((l) => l.startsWith('uplift dynamic vs E'))).toHaveLength(3);
    for (const s of ['0.7', '1.3']) expect(r.out.filter((l) => l.startsWith(`uplift dynamic vs E (robustness: Frat5 sell-up ×${s}): `) && / [+-]\d+\.\d\d % \(no interval with one trial;/.test(l))).toHaveLength(1);
    expect(r.out.some((l) => /^goal: .*: NOT MET \(no interval with one trial\)$/.test(l))).toBe(true);
  }, 60_000);

  it('exits 2 naming the flag at fault', async () => {
    for (const [argv, flag] of [
      [['--strategy', 'E', '--vs', 'fcfs', '--trials', '0'], '--trials'],
      [['--strategy', 'E', '--vs', 'fcfs', '--demand', 'huge'], '--demand'],
      [['--strategy', 'magic', '--vs', 'E'], '--strategy'],
      [['--strategy', 'E'], '--vs'],
      [['--strategy', 'E', '--vs', 'fcfs', '--scenario', 'moon'], '--scenario'],
      [['--strategy', 'E', '--vs', 'fcfs', '--bogus'], '--bogus'],
      [['--strategy', 'E', '--vs', 'E'], '--vs'],
      [['--strategy', 'E', '--vs', 'fcfs', '--robustness'], '--robustness'],
    ] as const) {
      const r = await run([...argv]);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err[0], argv.join(' ')).toContain(flag);
      expect(r.out).toEqual([]);
    }
  });
});
