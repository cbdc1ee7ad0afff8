import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cycleRecs, fareRec, makeFixture, FIRST_DAY, type Fixture } from './__tests__/fixtures';
import { backoffMs, PushWorker } from './pushWorker';
import type { PushProgressEvent } from '../api/contract/decisions';

let fx: Fixture;
let progress: PushProgressEvent[];
let failedBatches: number[];
beforeEach(() => {
  progress = [];
  failedBatches = [];
  fx = makeFixture({ days: 10, workflow: { batchSize: 8, maxAttempts: 3, backoffBaseMs: 1_000, onPushProgress: (e) => progress.push(e), onPushFailed: (b) => failedBatches.push(b.id) } });
});
afterEach(() => fx.close());

const rm = 'rita';
const approveAll = () => fx.wf.decisions.approve(rm, { filter: {} }, null);
const stateOf = (id: number) => fx.wf.repo.get(id)!.state;

describe('push worker', () => {
  it('pushes approved decisions in batches with an idempotency key each, storing the PSS reference per item', async () => {
    const { ids } = fx.wf.decisions.ingest('c1', cycleRecs(5, 5));
    approveAll();
    const r = await fx.wf.worker.drain();
    expect(r).toMatchObject({ batches: 3, accepted: 20, rejected: 0, retrying: 0, failed: 0, replayed: 0, cancelled: false, queue: { queued: 0, pendingBatches: 0 } });
    for (const id of ids) expect(fx.wf.repo.get(id)).toMatchObject({ state: 'pushed', pss_reference: expect.stringMatching(/^PSS-\d+$/) });
    const batches = fx.store.db.prepare('SELECT idempotency_key, items, status FROM push_batches ORDER BY id').all() as { idempotency_key: string; items: number; status: string }[];
    expect(batches.map((b) => [b.items, b.status])).toEqual([[8, 'answered'], [8, 'answered'], [4, 'answered']]);
    expect(new Set(batches.map((b) => b.idempotency_key)).size).toBe(3);
    expect(fx.pss.stats).toMatchObject({ applied: 20, duplicates: 0, replays: 0 });
    expect(progress.map((p) => p.phase)).toEqual(['sending', 'answered', 'sending', 'answered', 'sending', 'answered', 'done']);
    expect(progress.at(-1)).toMatchObject({ batchesDone: 3, accepted: 20 });
  });

  it('stores a rejection as failed with the reason; a re-queue pushes it in a new batch with the same sequence', async () => {
    const { ids } = fx.wf.decisions.ingest('c1', [fareRec(400, FIRST_DAY, 'Q', 41_000), fareRec(400, FIRST_DAY, 'M', 57_000)]);
    fx.pss.rejectIf = (p) => ((p as { amountMinor: number }).amountMinor === 41_000 ? 'below the filed minimum' : null);
    approveAll();
    await fx.wf.worker.drain();
    expect(fx.wf.repo.get(ids[0]!)).toMatchObject({ state: 'failed', failure_code: 'invalid', failure_reason: 'below the filed minimum', sequence: 1 });
    expect(stateOf(ids[1]!)).toBe('pushed');
    fx.pss.rejectIf = null;
    const rq = fx.wf.decisions.requeue(rm, { ids: [ids[0]!, ids[1]!] });
    expect(rq).toMatchObject({ changed: 1, ids: [ids[0]], batchesRearmed: [], skippedTotal: 1 });
    await fx.wf.worker.drain();
    expect(fx.wf.repo.get(ids[0]!)).toMatchObject({ state: 'pushed', sequence: 1 });
    const items = fx.wf.decisions.get(ids[0]!).pushes;
    expect(items.map((i) => [i.status, i.sequence, i.code])).toEqual([['rejected', 1, 'invalid'], ['accepted', 1, null]]);
  });

  it('retries transport failures with backoff, then fails the batch visibly; a re-queue retries it under its own key', async () => {
    const { ids } = fx.wf.decisions.ingest('c1', cycleRecs(1, 5));
    approveAll();
    fx.pss.failBefore = 2;
    fx.pss.failAfter = 1; // the third attempt reaches the PSS, which applies it, but the answer is lost
    let r = await fx.wf.worker.drain();
    expect(r).toMatchObject({ batches: 0, retrying: 1, queue: { pendingBatches: 1, nextAttemptAt: '2026-11-25T08:00:00.550Z' } });
    r = await fx.wf.worker.drain();
    expect(r.retrying).toBe(0); // not due yet: strict order, nothing else goes either
    fx.clock.advanceMs(550);
    r = await fx.wf.worker.drain();
    expect(r).toMatchObject({ retrying: 1, queue: { nextAttemptAt: '2026-11-25T08:00:01.650Z' } });
    fx.clock.advanceMs(1_100);
    r = await fx.wf.worker.drain();
    expect(r).toMatchObject({ failed: 1, queue: { failedBatches: 1 } });
    expect(failedBatches).toEqual([1]);
    for (const id of ids) expect(fx.wf.repo.get(id)).toMatchObject({ state: 'failed', failure_code: 'transport' });
    expect(fx.pss.stats.applied).toBe(4);
    // a newer decision for a key held by the failed batch waits behind it
    const newer = fx.wf.decisions.ingest('c2', [fareRec(400, FIRST_DAY, 'Q', 43_000)]);
    fx.wf.decisions.approve(rm, { ids: newer.ids }, null);
    r = await fx.wf.worker.drain();
    expect(r).toMatchObject({ batches: 0, queue: { queued: 1, blocked: 1 } });
    // re-queue: same batch, same idempotency key: the PSS replays its first answer, nothing applied twice
    const rq = fx.wf.decisions.requeue(rm, { allFailed: true });
    expect(rq.batchesRearmed).toEqual([1]);
    r = await fx.wf.worker.drain();
    expect(r).toMatchObject({ batches: 2, replayed: 1, accepted: 5 });
    expect(fx.pss.stats).toMatchObject({ applied: 5, duplicates: 0, replays: 1, stale: 0 });
    expect(stateOf(newer.ids[0]!)).toBe('pushed');
    // the superseded decision of the replayed batch stays superseded; the PSS holds the newer sequence
    const q = fx.wf.repo.get(newer.ids[0]!)!;
    expect(fx.pss.state.get(q.key)).toMatchObject({ sequence: 2, payload: expect.objectContaining({ amountMinor: 43_000 }) });
    expect(fx.wf.audit.verify().ok).toBe(true);
  });

  it('never sends an older sequence after a newer one for the same key', async () => {
    for (let c = 1; c <= 4; c++) {
      const { ids } = fx.wf.decisions.ingest(`c${c}`, [fareRec(400, FIRST_DAY, 'Q', 40_000 + c * 500), fareRec(400, FIRST_DAY, 'M', 55_000 + c * 500)]);
      fx.wf.decisions.approve(rm, { ids: c % 2 ? ids : [ids[0]!] }, null);
      if (c === 2) fx.pss.failBefore = 1;
      if (c !== 3) await fx.wf.worker.drain();
      fx.clock.advanceMs(10_000);
    }
    await fx.wf.worker.drain();
    expect(fx.pss.stats).toMatchObject({ stale: 0, outOfOrder: 0, duplicates: 0 });
    const q = fx.store.db.prepare("SELECT key, sequence, proposed_value FROM decisions WHERE rbd = 'Q' AND state = 'pushed' ORDER BY id DESC LIMIT 1").get() as { key: string; sequence: number; proposed_value: number };
    expect(fx.pss.state.get(q.key)).toMatchObject({ sequence: q.sequence, payload: expect.objectContaining({ amountMinor: 42_000 }) });
  });

  it('pushes inventory controls through their own channel', async () => {
    const rec = { kind: 'authorisation' as const, control: { flightId: 'DF400/2026-12-01/FRA', rbd: 'Q', cabin: 'Y', authorised: 70, status: 'open' as const, bidPriceMinor: null, currency: null } };
    const bid = { kind: 'bid_price' as const, control: { flightId: 'DF400/2026-12-01/FRA', rbd: 'Y', cabin: 'Y', authorised: null, status: null, bidPriceMinor: 21_000, currency: 'EUR' } };
    const { ids } = fx.wf.decisions.ingest('c1', [rec, bid, fareRec(400, FIRST_DAY, 'Q', 41_000)]);
    approveAll();
    const r = await fx.wf.worker.drain();
    expect(r).toMatchObject({ batches: 2, accepted: 3 });
    expect(fx.store.db.prepare('SELECT channel, items FROM push_batches ORDER BY id').raw().all()).toEqual([['inventory', 2], ['fares', 1]]);
    expect(fx.wf.repo.get(ids[1]!)).toMatchObject({ key: 'bid:DF400/2026-12-01/FRA/Y', current_value: 20_000, proposed_value: 21_000, state: 'pushed' });
  });

  it('stops a drain when cancelled, keeping what was not acknowledged in the outbox', async () => {
    fx.wf.decisions.ingest('c1', cycleRecs(5, 5));
    approveAll();
    const ac = new AbortController();
    const seen: string[] = [];
    fx.pss.rejectIf = () => { seen.push('x'); if (seen.length === 8) ac.abort(); return null; };
    const r = await fx.wf.worker.drain({ signal: ac.signal });
    expect(r).toMatchObject({ batches: 1, cancelled: true, queue: { queued: 12 } });
    expect(progress.at(-1)!.phase).toBe('cancelled');
    expect((await fx.wf.worker.drain()).accepted).toBe(12);
  });

  it('counts the queue for its progress events at most once a second across drains limited in batches, afresh otherwise', async () => {
    fx.wf.decisions.ingest('c1', cycleRecs(5, 5));
    approveAll();
    // the outbox's own count, instrumented: how often the queue is walked
    const outbox = fx.wf.outbox;
    const status = outbox.status.bind(outbox);
    let counts = 0;
    outbox.status = () => { counts++; return status(); };
    let now = 0;
    const events: PushProgressEvent[] = [];
    const worker = new PushWorker({ outbox, pss: fx.pss, clock: fx.clock, monotonicMs: () => now, onProgress: (e) => events.push(e) });
    // the first drain counts once, at its first event (its batch of 8 in flight, 12 left); its 'answered' and
    // 'done' events and its result reuse that count
    let r = await worker.drain({ maxBatches: 1 });
    expect(counts).toBe(1);
    const first = { queued: 12, pendingBatches: 1 };
    expect(events.map((e) => [e.phase, e.queue])).toEqual([['sending', expect.objectContaining(first)], ['answered', expect.objectContaining(first)], ['done', expect.objectContaining(first)]]);
    expect(r).toMatchObject({ batches: 1, accepted: 8, queue: first });
    // within the second: the next drain counts nothing and answers with that count, up to a second old
    now = 999;
    r = await worker.drain({ maxBatches: 1 });
    expect(counts).toBe(1);
    expect(r).toMatchObject({ batches: 1, accepted: 8, queue: first });
    // past it: counted afresh, once (the last 4 in flight)
    now = 1_001;
    r = await worker.drain({ maxBatches: 1 });
    expect(counts).toBe(2);
    expect(r).toMatchObject({ batches: 1, accepted: 4, queue: { queued: 0, pendingBatches: 1 } });
    // a drain with no limit counts afresh when it ends, whatever the age of the last count
    r = await worker.drain();
    expect(counts).toBe(3);
    expect(r).toMatchObject({ batches: 0, queue: { queued: 0, pendingBatches: 0 } });
    expect(events.at(-1)).toMatchObject({ phase: 'done', queue: { queued: 0, pendingBatches: 0 } });
    expect(fx.pss.stats).toMatchObject({ applied: 20, duplicates: 0 });
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoffMs(1, 1_000, 60_000, () => 0)).toBe(100);
    expect(backoffMs(1, 1_000, 60_000, () => 1)).toBe(1_000);
    expect(backoffMs(4, 1_000, 60_000, () => 1)).toBe(8_000);
    expect(backoffMs(20, 1_000, 60_000, () => 1)).toBe(60_000);
  });
});
