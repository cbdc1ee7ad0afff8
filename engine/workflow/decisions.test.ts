import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '../domain/time';
import { cycleRecs, fareRec, flightFare, makeFixture, FIRST_DAY, type Fixture } from './__tests__/fixtures';
import { canTransition, TransitionError, type DecisionState } from './lifecycle';
import { WorkflowError } from './errors';
import type { RecommendationInput } from './types';

let fx: Fixture;
beforeEach(() => { fx = makeFixture({ days: 60 }); });
afterEach(() => fx.close());

const rm = 'rita';
const states = () => Object.fromEntries((fx.store.db.prepare('SELECT state, count(*) AS n FROM decisions GROUP BY state').all() as { state: string; n: number }[]).map((r) => [r.state, r.n]));

/** Every decision's audit history is a legal path from creation to its current state. */
function expectCompleteAudit(): void {
  const rows = fx.store.db.prepare('SELECT id, state FROM decisions').all() as { id: number; state: DecisionState }[];
  for (const d of rows) {
    const h = fx.wf.audit.history('decision', d.id);
    expect(h[0]?.from, `decision ${d.id} history starts at creation`).toBeNull();
    for (let i = 1; i < h.length; i++) {
      expect(h[i]!.from, `decision ${d.id} step ${i}`).toBe(h[i - 1]!.to);
      expect(canTransition(h[i]!.from as DecisionState, h[i]!.to as DecisionState), `decision ${d.id}: ${h[i]!.from} → ${h[i]!.to}`).toBe(true);
    }
    expect(h.at(-1)!.to, `decision ${d.id} history ends at its state`).toBe(d.state);
  }
  expect(fx.wf.audit.verify().ok).toBe(true);
}

describe('decisions', () => {
  it('publishes a cycle as proposed with current value, change, load factor and explanation, each step audited', () => {
    const r = fx.wf.decisions.ingest('c1', [fareRec(400, FIRST_DAY, 'Q', 44_000, { context: { forecastDemand: 12.5 } })]);
    expect(r).toMatchObject({ written: 1, published: 1, held: [] });
    const d = fx.wf.decisions.get(r.ids[0]!);
    expect(d).toMatchObject({
      kind: 'fare', state: 'proposed', source: 'engine', origin: 'FRA', destination: 'JFK', flightId: 'DF400/2026-12-01/FRA', travelDate: FIRST_DAY,
      cabin: 'Y', rbd: 'Q', currency: 'EUR', currentValue: 40_000, recommendedValue: 44_000, proposedValue: 44_000, changePct: 10,
      forecastDemand: 12.5, sold: 40, authorised: 110, outsideGuardrails: false, guardrails: { floor: 10_000, ceiling: 400_000, maxChangePct: 20 },
      key: 'fare:DF/FRA-JFK/Q/QOWF/DE/EUR/2026-12-01/2026-12-01/DF400/2026-12-01/FRA',
    });
    expect(d.loadFactor).toBeCloseTo(160 / 200);
    expect(d.explanation).toEqual([{ key: 'base', label: 'Base fare', amount: 44_000 }]);
    expect(d.history.map((h) => [h.from, h.to])).toEqual([[null, 'recommended'], ['recommended', 'proposed']]);
  });

  it('approves a filtered selection of hundreds in one transaction, queued with a sequence each', () => {
    fx.wf.decisions.ingest('c1', cycleRecs(60, 5));
    fx.wf.decisions.ingest('c1b', cycleRecs(10, 5, 100));
    const before = fx.wf.audit.head()!.seq;
    const r = fx.wf.decisions.approve(rm, { filter: { origin: 'FRA', destination: 'JFK', dateFrom: FIRST_DAY, dateTo: addDays(FIRST_DAY, 59) } }, 'weekly review');
    expect(r).toMatchObject({ changed: 240, skippedTotal: 0 });
    expect(states()).toEqual({ queued: 240, proposed: 40 });
    // two audit rows per decision (approved, queued), one commit
    expect(fx.wf.audit.head()!.seq - before).toBe(480);
    expect(fx.store.db.prepare("SELECT count(*) FROM outbox_items WHERE status = 'queued'").pluck().get()).toBe(240);
    expect(fx.store.db.prepare('SELECT min(sequence), max(sequence) FROM decisions WHERE state = ?').raw().get('queued')).toEqual([1, 1]);
    expectCompleteAudit();
  });

  it('approves a filtered selection in short transactions when asked to, with the same outcome; a decision moved between slices is skipped', async () => {
    fx.wf.decisions.ingest('c1', cycleRecs(60, 5));
    const all = fx.store.db.prepare("SELECT id FROM decisions WHERE state = 'proposed' ORDER BY id").pluck().all() as number[];
    let slices = 0;
    const r = await fx.wf.decisions.approveInSlices(rm, { filter: { origin: 'FRA', destination: 'JFK' } }, 'weekly review', undefined, {
      first: 40, max: 40, budgetMs: Number.POSITIVE_INFINITY, // slices of exactly 40, whatever the machine's speed
      // between the first and second slice a colleague rejects one decision of the second slice
      yieldNow: async () => { if (slices++ === 0) fx.wf.decisions.reject('ralf', { ids: [all[50]!] }, 'wrong market'); },
    });
    expect(slices).toBe(Math.ceil(all.length / 40) - 1);
    expect(r.changed).toBe(all.length - 1);
    expect(r.skippedTotal).toBe(1);
    expect(r.skipped[0]).toMatchObject({ id: all[50], state: 'rejected' });
    expect(r.ids).toEqual(all.filter((id) => id !== all[50]));
    expect(states()).toEqual({ queued: all.length - 1, rejected: 1 });
    expect(fx.store.db.prepare("SELECT count(*) FROM outbox_items WHERE status = 'queued'").pluck().get()).toBe(all.length - 1);
    expectCompleteAudit();
    // rejecting in slices: the ids given, each checked
    fx.wf.decisions.ingest('c2', cycleRecs(3, 5, 100));
    const fresh = fx.store.db.prepare("SELECT id FROM decisions WHERE state = 'proposed' ORDER BY id").pluck().all() as number[];
    const rej = await fx.wf.decisions.rejectInSlices(rm, { ids: [...fresh, all[0]!] }, 'not now', { first: 4 });
    expect(rej).toMatchObject({ changed: fresh.length, skippedTotal: 1 });
    expect(rej.skipped[0]).toMatchObject({ id: all[0], state: 'queued' });
  });

  it('refuses illegal transitions with a clear error, and reports skipped ones in a bulk action', () => {
    const { ids } = fx.wf.decisions.ingest('c1', cycleRecs(1, 5));
    fx.wf.decisions.reject(rm, { ids: [ids[0]!] }, 'too aggressive');
    const r = fx.wf.decisions.approve(rm, { ids: [ids[0]!, ids[1]!, 999_999] }, null);
    expect(r.changed).toBe(1);
    expect(r.skipped).toEqual([
      { id: 999_999, state: null, reason: 'decision 999999 was not found' },
      { id: ids[0], state: 'rejected', reason: `decision ${ids[0]} is rejected; it cannot be approved (rejected is final)` },
    ]);
    const queued = fx.wf.repo.get(ids[1]!)!;
    expect(() => fx.wf.audit.tx(() => fx.wf.repo.move([queued], 'proposed', rm, 'x', fx.store.now()))).toThrow(TransitionError);
    expect(() => fx.wf.audit.tx(() => fx.wf.repo.move([queued], 'proposed', rm, 'x', fx.store.now())))
      .toThrow(`decision ${ids[1]} is queued; it cannot be proposed (from queued it may become: pushed, failed, superseded, expired)`);
    expect(fx.wf.decisions.reject(rm, { ids: [ids[1]!] }, 'changed my mind').skipped[0]!.reason).toMatch(/is queued; it cannot be rejected/);
  });

  it('supersedes every older unpushed decision of a key, cancelling a waiting outbox item', () => {
    const a = fx.wf.decisions.ingest('c1', [fareRec(400, FIRST_DAY, 'Q', 42_000), fareRec(400, FIRST_DAY, 'M', 57_000)]);
    fx.wf.decisions.approve(rm, { ids: [a.ids[0]!] }, null);
    const b = fx.wf.decisions.ingest('c2', [fareRec(400, FIRST_DAY, 'Q', 43_000), fareRec(400, FIRST_DAY, 'M', 58_000)]);
    expect(b.superseded).toBe(2);
    expect(fx.wf.repo.get(a.ids[0]!)).toMatchObject({ state: 'superseded', superseded_by: b.ids[0] });
    expect(fx.wf.repo.get(a.ids[1]!)).toMatchObject({ state: 'superseded', superseded_by: b.ids[1] });
    expect(fx.store.db.prepare('SELECT status FROM outbox_items WHERE decision_id = ?').pluck().get(a.ids[0])).toBe('cancelled');
    expectCompleteAudit();
  });

  it('keeps a live decision that already proposes what a newer cycle recommends, when asked to: no copy, no audit row', () => {
    const seen = (forecastDemand: number, label: string): Partial<RecommendationInput> => ({ context: { forecastDemand }, explanation: [{ key: 'base', label, amount: 0 }] });
    const a = fx.wf.decisions.ingest('c1', [fareRec(400, FIRST_DAY, 'Q', 42_000, seen(20, 'as c1 saw it')), fareRec(400, FIRST_DAY, 'M', 57_000, seen(8, 'as c1 saw it')), fareRec(400, FIRST_DAY, 'B', 75_000)]);
    fx.wf.decisions.approve(rm, { ids: [a.ids[1]!] }, null); // M queued for the PSS
    const seq = fx.wf.audit.head()!.seq;
    // the same moves again: Q waiting and M queued stand; B moves further, so it is a new proposal superseding the first
    const b = fx.wf.decisions.ingest('c2', [fareRec(400, FIRST_DAY, 'Q', 42_000, seen(12.5, 'as c2 sees it')), fareRec(400, FIRST_DAY, 'M', 57_000, seen(5, 'as c2 sees it')), fareRec(400, FIRST_DAY, 'B', 76_000)], { keepStanding: true });
    expect(b).toMatchObject({ written: 1, published: 1, superseded: 1, standing: [a.ids[0], a.ids[1]] });
    // the waiting one shows the newer cycle's reasons; the approved one keeps those it was approved on
    expect(fx.wf.repo.get(a.ids[0]!)).toMatchObject({ state: 'proposed', cycle_id: 'c1', forecast_demand: 12.5 });
    expect(fx.wf.decisions.get(a.ids[0]!).explanation.map((x) => x.label)).toEqual(['as c2 sees it']);
    expect(fx.wf.repo.get(a.ids[1]!)).toMatchObject({ state: 'queued', forecast_demand: 8 });
    expect(fx.wf.decisions.get(a.ids[1]!).explanation.map((x) => x.label)).toEqual(['as c1 saw it']);
    expect(fx.store.db.prepare('SELECT status FROM outbox_items WHERE decision_id = ?').pluck().get(a.ids[1])).toBe('queued');
    expect(fx.wf.repo.get(a.ids[2]!)).toMatchObject({ state: 'superseded', superseded_by: b.ids[0] });
    expect(fx.wf.audit.head()!.seq - seq).toBe(3); // the new B: recommended, proposed; the old B superseded
    // a rejected proposal does not stand: the engine proposes it again
    fx.wf.decisions.reject(rm, { ids: [a.ids[0]!] }, 'not now');
    const c = fx.wf.decisions.ingest('c3', [fareRec(400, FIRST_DAY, 'Q', 42_000)], { keepStanding: true });
    expect(c).toMatchObject({ written: 1, published: 1, standing: [] });
    // nor does a proposal made against another value in force
    fx.store.db.prepare('UPDATE decisions SET current_value = 41_000 WHERE id = ?').run(c.ids[0]);
    expect(fx.wf.decisions.ingest('c4', [fareRec(400, FIRST_DAY, 'Q', 42_000)], { keepStanding: true })).toMatchObject({ written: 1, standing: [] });
    // and without keepStanding, every recommendation is a new decision, as before
    expect(fx.wf.decisions.ingest('c5', [fareRec(400, FIRST_DAY, 'M', 57_000)])).toMatchObject({ written: 1, superseded: 1, standing: [] });
    expectCompleteAudit();
  });

  it('expires the proposals of a flight that departed before anyone decided, and leaves the rest', () => {
    const a = fx.wf.decisions.ingest('c1', [fareRec(400, FIRST_DAY, 'Q', 42_000), fareRec(400, FIRST_DAY, 'M', 57_000), fareRec(400, addDays(FIRST_DAY, 1), 'Q', 42_000)]);
    fx.wf.decisions.approve(rm, { ids: [a.ids[1]!] }, null); // M decided: left to its push
    expect(fx.wf.decisions.expireDue().expired).toEqual([]);
    fx.clock.set(`${FIRST_DAY}T09:00:00.000Z`); // DF400 of the first day leaves at 09:00
    try {
      expect(fx.wf.decisions.expireDue().expired).toEqual([a.ids[0]]);
      expect(fx.wf.repo.get(a.ids[0]!)).toMatchObject({ state: 'expired', ended_at: `${FIRST_DAY}T09:00:00.000Z` });
      expect(fx.wf.repo.get(a.ids[1]!)!.state).not.toBe('expired');
      expect(fx.wf.repo.get(a.ids[2]!)).toMatchObject({ state: 'proposed' });
      const why = fx.store.db.prepare("SELECT actor, reason FROM audit_log WHERE entity = 'decision' AND entity_id = ? ORDER BY seq DESC LIMIT 1").get(String(a.ids[0]));
      expect(why).toEqual({ actor: 'system:expiry', reason: `the flight departed at ${FIRST_DAY}T09:00:00.000Z before a decision` });
      expect(fx.wf.decisions.expireDue().expired).toEqual([]);
    } finally {
      fx.clock.set('2026-11-25T08:00:00.000Z');
    }
    expectCompleteAudit();
  });

  it("withdraws the engine's proposals of earlier cycles for what a newer cycle keeps, leaving people's, decided ones and the cycle's own", () => {
    const a = fx.wf.decisions.ingest('c1', [fareRec(400, FIRST_DAY, 'Q', 42_000), fareRec(400, FIRST_DAY, 'M', 57_000), fareRec(400, addDays(FIRST_DAY, 1), 'Q', 42_000)]);
    fx.wf.decisions.approve(rm, { ids: [a.ids[1]!] }, null);
    const manual = fx.wf.decisions.propose('ann', { payload: { kind: 'fare', fare: flightFare(400, FIRST_DAY, 'B', 71_000) }, reason: 'hold the price', confirmOutsideGuardrails: false });
    const own = fx.wf.decisions.ingest('c2', [fareRec(400, FIRST_DAY, 'Y', 91_000)]);
    const flight = { flightId: 'DF400/2026-12-01/FRA', origin: 'FRA', destination: 'JFK', travelDate: FIRST_DAY, kind: 'fare' as const, cabin: 'Y' };
    const kept = 'cycle c2 recommends keeping the value in force';
    const ids = fx.wf.decisions.withdrawStale('c2', ['Q', 'M', 'B', 'Y'].map((rbd) => ({ ...flight, rbd, reason: kept })));
    expect(ids).toEqual([a.ids[0]]);
    expect(fx.wf.repo.get(a.ids[0]!)).toMatchObject({ state: 'superseded', ended_at: expect.any(String) });
    expect(fx.wf.audit.history('decision', a.ids[0]!).at(-1)).toMatchObject({ actor: 'system:pricing', from: 'proposed', to: 'superseded', reason: kept });
    // approved, a person's proposal, the cycle's own, and the next day's departure: as they were
    expect(fx.wf.repo.get(a.ids[1]!)!.state).toBe('queued');
    expect(fx.wf.repo.get(manual.id)!.state).toBe('proposed');
    expect(fx.wf.repo.get(own.ids[0]!)!.state).toBe('proposed');
    expect(fx.wf.repo.get(a.ids[2]!)!.state).toBe('proposed');
    expect(fx.wf.decisions.withdrawStale('c2', [])).toEqual([]);
    // kind null: every engine proposal of the departure (one the cycle no longer prices)
    const next = { ...flight, flightId: 'DF400/2026-12-02/FRA', travelDate: addDays(FIRST_DAY, 1), kind: null, rbd: '', cabin: '', reason: 'left to the partner' };
    expect(fx.wf.decisions.withdrawStale('c2', [next])).toEqual([a.ids[2]]);
    expectCompleteAudit();
  });

  it('overrides with a reason: outside the guardrails only when confirmed, and marked', () => {
    const { ids } = fx.wf.decisions.ingest('c1', [fareRec(400, FIRST_DAY, 'Q', 44_000)]);
    const expiresAt = '2026-12-01T00:00:00.000Z';
    const e = (() => { try { fx.wf.decisions.override('ann', { id: ids[0]!, mode: 'replace', value: 60_000, halfLifeDays: 7, expiresAt, reason: 'event in town', confirmOutsideGuardrails: false }); } catch (x) { return x as WorkflowError; } return null; })();
    expect(e).toBeInstanceOf(WorkflowError);
    expect(e).toMatchObject({ code: 'conflict', field: 'confirmOutsideGuardrails' });
    expect(e!.message).toMatch(/a change of 50.0 % exceeds the maximum of ±20 %/);
    const o = fx.wf.decisions.override('ann', { id: ids[0]!, mode: 'replace', value: 60_000, halfLifeDays: 7, expiresAt, reason: 'event in town', confirmOutsideGuardrails: true });
    expect(o).toMatchObject({ source: 'override', state: 'proposed', overrideMode: 'replace', overrideOf: ids[0], proposedValue: 60_000, recommendedValue: 44_000, outsideGuardrails: true, guardrailConfirmedBy: 'ann', expiresAt });
    expect(fx.wf.decisions.get(o.id).explanation.at(-1)).toMatchObject({ key: 'override:replace', amount: 16_000 });
    expect(fx.wf.repo.get(ids[0]!)!.state).toBe('superseded');
    expect(() => fx.wf.decisions.override('ann', { id: ids[0]!, mode: 'replace', value: 45_000, halfLifeDays: 7, expiresAt, reason: 'again', confirmOutsideGuardrails: false }))
      .toThrow(`decision ${ids[0]} is superseded; override the newest decision for this key (${o.id}) instead`);
    expect(() => fx.wf.decisions.override('ann', { id: o.id, mode: 'replace', value: 45_000, halfLifeDays: 7, expiresAt: '2026-11-01T00:00:00.000Z', reason: 'late', confirmOutsideGuardrails: false }))
      .toThrow(/expiresAt .* is not in the future/);
  });

  it('a replace override holds the engine back until it expires, then expires and lets the held recommendation through', async () => {
    const { ids } = fx.wf.decisions.ingest('c1', [fareRec(400, FIRST_DAY, 'Q', 44_000)]);
    const o = fx.wf.decisions.override('ann', { id: ids[0]!, mode: 'replace', value: 38_000, halfLifeDays: 7, expiresAt: '2026-11-27T08:00:00.000Z', reason: 'match the sale', confirmOutsideGuardrails: false });
    fx.wf.decisions.approve(rm, { ids: [o.id] }, null);
    await fx.wf.worker.drain();
    expect(fx.wf.repo.get(o.id)!.state).toBe('pushed');
    fx.clock.advanceMs(86_400_000);
    const c2 = fx.wf.decisions.ingest('c2', [fareRec(400, FIRST_DAY, 'Q', 45_000)]);
    expect(c2).toMatchObject({ published: 0, held: [{ id: c2.ids[0], by: o.id, reason: `override ${o.id} replaces the recommendation until 2026-11-27T08:00:00.000Z` }] });
    fx.clock.advanceMs(86_400_000);
    const r = fx.wf.decisions.expireDue();
    expect(r).toEqual({ expired: [o.id], published: [c2.ids[0]] });
    expect(fx.wf.repo.get(o.id)!.state).toBe('expired');
    expect(fx.wf.repo.get(c2.ids[0]!)).toMatchObject({ state: 'proposed', current_value: 38_000 });
    expectCompleteAudit();
  });

  it('an approved influence override biases later recommendations visibly, decaying, until it expires', async () => {
    const { ids } = fx.wf.decisions.ingest('c1', [fareRec(400, FIRST_DAY, 'Q', 40_000)]);
    const o = fx.wf.decisions.override('ann', { id: ids[0]!, mode: 'influence', biasPct: 10, halfLifeDays: 2, expiresAt: '2026-12-05T08:00:00.000Z', reason: 'strong group demand', confirmOutsideGuardrails: false });
    expect(o.proposedValue).toBe(44_000);
    // awaiting approval, it holds the engine's next recommendation back
    expect(fx.wf.decisions.ingest('c1b', [fareRec(400, FIRST_DAY, 'Q', 40_000)]).held).toHaveLength(1);
    fx.wf.decisions.approve(rm, { ids: [o.id] }, null);
    await fx.wf.worker.drain();
    fx.clock.advanceMs(2 * 86_400_000);
    const c2 = fx.wf.decisions.ingest('c2', [fareRec(400, FIRST_DAY, 'Q', 40_000)]);
    const d = fx.wf.decisions.get(c2.ids[0]!);
    expect(d).toMatchObject({ state: 'proposed', recommendedValue: 40_000, proposedValue: 42_000 });
    expect(d.influenceNowPct).toBeCloseTo(5);
    expect(d.explanation.at(-1)).toMatchObject({ key: `influence:${o.id}`, amount: 2_000 });
    expect(d.explanation.at(-1)!.label).toMatch(/Influence override #\d+ by ann \("strong group demand"\): \+5\.0 %/);
    expect(d.explanation.reduce((s, x) => s + x.amount, 0)).toBe(d.proposedValue);
    fx.clock.advanceMs(4 * 86_400_000);
    const c3 = fx.wf.decisions.ingest('c3', [fareRec(400, FIRST_DAY, 'Q', 40_000)]);
    expect(fx.wf.decisions.get(c3.ids[0]!)).toMatchObject({ proposedValue: 40_500, influenceNowPct: 1.25 });
    fx.clock.set('2026-12-05T08:00:00.000Z');
    const c4 = fx.wf.decisions.ingest('c4', [fareRec(400, FIRST_DAY, 'Q', 40_000)]);
    expect(fx.wf.decisions.get(c4.ids[0]!)).toMatchObject({ proposedValue: 40_000, influenceNowPct: null });
    expect(fx.wf.repo.get(o.id)!.state).toBe('expired');
    expectCompleteAudit();
  });

  it('a manual proposal checks guardrails and supersedes older proposals', () => {
    const { ids } = fx.wf.decisions.ingest('c1', [fareRec(400, FIRST_DAY, 'Q', 44_000)]);
    const m = fx.wf.decisions.propose('ann', { payload: { kind: 'fare', fare: flightFare(400, FIRST_DAY, 'Q', 41_000) }, reason: 'hold the price', confirmOutsideGuardrails: false });
    expect(m).toMatchObject({ source: 'manual', state: 'proposed', currentValue: 40_000, proposedValue: 41_000 });
    expect(fx.wf.repo.get(ids[0]!)!.state).toBe('superseded');
    const inv = fx.wf.decisions.propose('ann', { payload: { kind: 'authorisation', control: { flightId: 'DF400/2026-12-02/FRA', rbd: 'Q', cabin: 'Y', authorised: 80, status: 'open', bidPriceMinor: null, currency: null } }, reason: 'protect for the fair', confirmOutsideGuardrails: false });
    expect(inv).toMatchObject({ kind: 'authorisation', key: 'auth:DF400/2026-12-02/FRA/Q', origin: 'FRA', destination: 'JFK', currentValue: 110, proposedValue: 80, currency: null });
    expect(() => fx.wf.decisions.propose('ann', { payload: { kind: 'authorisation', control: { flightId: 'DF999/2026-12-02/FRA', rbd: 'Q', cabin: 'Y', authorised: 1, status: null, bidPriceMinor: null, currency: null } }, reason: 'x y z', confirmOutsideGuardrails: false }))
      .toThrow(/flight DF999\/2026-12-02\/FRA is not in the store/);
  });
});
