/**
 * A choice worker (engine/simulation/choice-link.ts) makes the market faster and changes nothing in it:
 * the golden runs (pushes, an order, a what-if over the shared legs, days of play) give their pinned hashes
 * with a worker in a real second thread, whether the main thread waits for every answer (each then goes
 * through the main thread's checks), takes what is ready, or lets the worker run a whole day ahead (its
 * choices are then often full by their turn: those answers must be caught), and when the worker is closed
 * midway.
 */
import { describe, expect, it } from 'vitest';
import { GOLDEN_3MKT, GOLDEN_SANDBOX, goldenSandboxRun, goldenThreeMktRun } from '../../engine/simulation/golden-runs';
import type { ChoiceStats } from '../../engine/simulation/choice-link';
import { startChoiceWorker, type ChoiceWorker, type ChoiceWorkerOptions } from './choice-worker';

function withWorker<T>(o: ChoiceWorkerOptions, run: (attach: (sim: Parameters<typeof startChoiceWorker>[0]) => void) => T): { out: T; stats: ChoiceStats; worker: ChoiceWorker } {
  let worker: ChoiceWorker | null = null;
  const out = run((sim) => { worker = startChoiceWorker(sim, { ...o, onError: (e) => { throw e; } }); });
  const w = worker as ChoiceWorker | null;
  if (!w) throw new Error('the run did not attach the worker');
  return { out, stats: w.stats()!, worker: w };
}

describe('choice worker', () => {
  it('sandbox: every answer checked (strict) — pushes, an order and a what-if over the shared legs leave the golden hashes', async () => {
    const { out, stats, worker } = withWorker({ strict: true }, (attach) => goldenSandboxRun(attach));
    await worker.close();
    expect(out).toEqual(GOLDEN_SANDBOX);
    // the worker answered and most answers were taken (the rest were stale or left to the main thread)
    expect(stats.taken).toBeGreaterThan(0);
    expect(stats.taken + stats.stale + stats.notReady).toBeGreaterThan(stats.taken);
  }, 120_000);

  it('3MKT: the main thread takes what is ready and never waits, and the shared legs move to a larger buffer twice', async () => {
    const { out, worker } = withWorker({}, (attach) => goldenThreeMktRun(attach, undefined, 71));
    await worker.close();
    expect(out).toEqual(GOLDEN_3MKT);
  }, 120_000);

  it('3MKT: a worker a whole day ahead: many of its choices are full by their turn, and those answers are played again', async () => {
    const { out, stats, worker } = withWorker({ strict: true, lead: 1 << 30 }, (attach) => goldenThreeMktRun(attach));
    await worker.close();
    expect(out).toEqual(GOLDEN_3MKT);
    expect(stats.stale).toBeGreaterThan(0);
    expect(stats.taken).toBeGreaterThan(0);
  }, 120_000);

  it('3MKT: closed after 60 days, the market plays on alone', async () => {
    let worker: ChoiceWorker | null = null;
    let closing: Promise<void> | null = null;
    let atClose: ChoiceStats | null = null;
    const out = goldenThreeMktRun(
      (sim) => { worker = startChoiceWorker(sim, { strict: true }); },
      (sim) => { atClose = worker!.stats(); closing = worker!.close(); expect(sim.choiceStats()).toBeNull(); },
    );
    await closing;
    expect(out).toEqual(GOLDEN_3MKT);
    expect(atClose!.taken).toBeGreaterThan(0);
  }, 120_000);
});
