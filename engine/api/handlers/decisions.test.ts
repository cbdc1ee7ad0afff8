import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../backend';
import { fixedClock } from '../../domain/time';
import { inProcessClient, type Caller } from '../dispatch';
import type { Contract } from '../contract/index';
import { cycleRecs, fareRec, flightFare, seed, FIRST_DAY } from '../../workflow/__tests__/fixtures';
import { RecordingPss } from '../../workflow/__tests__/pssDouble';
import type { EventMessage } from '../contract/events';

let dir: string;
let backend: Backend;
let pss: RecordingPss;
let events: EventMessage[];
const clock = fixedClock('2026-11-25T08:00:00Z');
const rita: Caller = { user: 'rita', role: 'revenue_manager' };
const ann: Caller = { user: 'ann', role: 'analyst' };
const admin: Caller = { user: 'ada', role: 'admin' };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-dec-api-'));
  pss = new RecordingPss(() => clock.now().toISOString());
  backend = createBackend({
    dataDir: dir, clock, connectors: [], mode: 'sandbox', host: 'test', version: '0.0.0-test',
    decisions: { pss, autoPush: false, scrypt: { N: 2 ** 10, r: 8, p: 1 }, expiryIntervalMs: 0, push: { batchSize: 50 } },
  });
  seed(backend.store, 30);
  events = [];
  backend.events.subscribe((m) => events.push(m));
});
afterEach(async () => {
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const as = (c: Caller) => inProcessClient<Contract>(backend.dispatcher, c);

/** Tampers with a closed store as someone with the file would: the last audit row deleted past its trigger. */
async function deleteLastAuditRow(dataDir: string): Promise<void> {
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  const raw = new BetterSqlite3(path.join(dataDir, 'dfae.sqlite'));
  raw.exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log);");
  raw.exec("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'no'); END;");
  raw.close();
}

describe('decisions API', () => {
  it('lists proposals for review with value, recommendation, competitor position, forecast and load factor; filters by market, date and change', async () => {
    backend.store.db.prepare(`INSERT INTO competitor_fares (carrier, origin, destination, departure_date, cabin, amount_minor, currency, observed_at)
      VALUES ('XX', 'FRA', 'JFK', ?, 'Y', 38000, 'EUR', '2026-11-24T00:00:00Z')`).run(FIRST_DAY);
    backend.decisions.workflow.decisions.ingest('c1', [...cycleRecs(30, 4), ...cycleRecs(30, 30, 100).map((r) => ({ ...r, guardrails: null }))]);
    const all = await as(ann)('decisions.list', {});
    expect(all.total).toBe(240);
    const q = (await as(ann)('decisions.list', { filter: { origin: 'FRA', destination: 'JFK', dateFrom: FIRST_DAY, dateTo: FIRST_DAY, rbd: 'Q' } })).rows;
    expect(q).toHaveLength(1);
    expect(q[0]).toMatchObject({ state: 'proposed', currentValue: 40_000, proposedValue: 41_600, changePct: 4, competitorMinMinor: 38_000, competitorCarrier: 'XX', sold: 40, authorised: 110 });
    expect(q[0]!.competitorDiffPct).toBeCloseTo(((41_600 - 38_000) / 38_000) * 100);
    expect(q[0]!.loadFactor).toBeCloseTo(0.8);
    const big = await as(ann)('decisions.list', { filter: { minAbsChangePct: 10 }, sort: 'change', limit: 5 });
    expect(big).toMatchObject({ total: 120, rows: expect.arrayContaining([expect.objectContaining({ destination: 'CDG' })]) });
    // the grid's compact rows carry the same values as the list's rows, in GRID_COLUMNS order
    const grid = await as(ann)('decisions.grid', { filter: { origin: 'FRA' }, limit: 300 });
    const list = await as(ann)('decisions.list', { filter: { origin: 'FRA' }, limit: 300 });
    expect(grid.total).toBe(list.total);
    expect(grid.rows.map((r) => Object.fromEntries(grid.columns.map((c, i) => [c, c === 'outsideGuardrails' ? r[i] === 1 : r[i]]))))
      .toEqual(list.rows.map((r) => Object.fromEntries(grid.columns.map((c) => [c, r[c]]))));
    const detail = await as(ann)('decisions.get', { id: q[0]!.id });
    expect(detail).toMatchObject({ explanation: [{ key: 'base', amount: 41_600 }], payload: { amountMinor: 41_600, fareBasis: 'QOWF' }, history: [{ to: 'recommended' }, { to: 'proposed' }] });
  });

  it('names the field at fault for bad input', async () => {
    const cases: [string, unknown, string][] = [
      ['decisions.override', { id: 1, mode: 'replace', value: 1, expiresAt: '2026-12-01T00:00:00Z' }, 'reason'],
      ['decisions.override', { id: 1, mode: 'replace', expiresAt: '2026-12-01T00:00:00Z', reason: 'because' }, 'value'],
      ['decisions.override', { id: 1, mode: 'influence', expiresAt: 'tomorrow', reason: 'because', biasPct: 5 }, 'expiresAt'],
      ['decisions.approve', { ids: [1], filter: {} }, 'ids'],
      ['decisions.approve', { filter: { states: ['sleeping'] } }, 'filter.states.0'],
      ['decisions.reject', { ids: [1] }, 'reason'],
      ['decisions.propose', { kind: 'fare', fare: { ...flightFare(400, FIRST_DAY, 'Q', 100), currency: 'euro' }, reason: 'test it' }, 'fare.currency'],
      ['decisions.propose', { kind: 'fare', reason: 'test it' }, 'fare'],
      ['decisions.list', { filter: { dateFrom: '2026-12-05', dateTo: '2026-12-01' } }, 'filter.dateTo'],
    ];
    for (const [method, input, field] of cases) {
      const env = await backend.dispatcher.call(method, input, { caller: rita, transport: 'http' });
      expect(env.ok, `${method} ${JSON.stringify(input)}`).toBe(false);
      if (!env.ok) expect({ method, code: env.error.code, field: env.error.field }).toEqual({ method, code: 'validation', field });
    }
  });

  it('overrides, approves a filtered selection, pushes to the PSS and shows batches with per-item answers and the audit history', async () => {
    const { ids } = backend.decisions.workflow.decisions.ingest('c1', cycleRecs(25, 5));
    const o = await as(ann)('decisions.override', { id: ids[0]!, mode: 'replace', value: 95_000, expiresAt: '2026-12-10T00:00:00Z', reason: 'trade fair week' });
    expect(o).toMatchObject({ overrideMode: 'replace', proposedValue: 95_000, outsideGuardrails: false });
    const approved = await as(rita)('decisions.approve', { filter: { origin: 'FRA', destination: 'JFK' }, note: 'week 48' });
    expect(approved).toMatchObject({ changed: 100, skippedTotal: 0 });
    // a bulk approval runs in slices (engine/workflow/slices.ts): one event per slice, 100 in all
    const queuedEvents = events.filter((e) => e.name === 'decisions.changed' && (e.payload as { to: string; by: string }).to === 'queued');
    expect(queuedEvents.every((e) => (e.payload as { by: string }).by === 'rita')).toBe(true);
    expect(queuedEvents.reduce((n, e) => n + (e.payload as { count: number }).count, 0)).toBe(100);
    const pushed = await as(rita)('decisions.pushNow', {});
    expect(pushed).toMatchObject({ batches: 2, accepted: 100, rejected: 0, queue: { queued: 0, pendingBatches: 0, failedBatches: 0 } });
    expect(events.filter((e) => e.name === 'push.result')).toHaveLength(2);
    expect(events.filter((e) => e.name === 'push.progress').at(-1)).toMatchObject({ payload: { phase: 'done', accepted: 100 } });
    const batches = await as(ann)('decisions.batches', {});
    expect(batches).toMatchObject({ total: 2, rows: [{ status: 'answered', items: 50, accepted: 50 }, { status: 'answered', items: 50 }] });
    const b = await as(ann)('decisions.batch', { id: batches.rows[0]!.id });
    expect(b.items.every((i) => i.status === 'accepted' && /^PSS-/.test(i.reference!))).toBe(true);
    const history = await as(ann)('decisions.history', { id: o.id });
    expect(history.map((h) => [h.actor, h.from, h.to])).toEqual([['ann', null, 'proposed'], ['rita', 'proposed', 'approved'], ['rita', 'approved', 'queued'], ['system:push', 'queued', 'pushed']]);
    expect(history[1]!.reason).toBe('approved by rita: week 48');
    expect(pss.state.get(o.key)).toMatchObject({ payload: expect.objectContaining({ amountMinor: 95_000 }) });
    expect(await as(admin)('audit.verify', {})).toMatchObject({ ok: true, problems: [] });
    // each decision row says what the decision is about
    const found = (await as(ann)('audit.search', { text: 'trade fair', limit: 5 }))[0]!;
    expect(found).toMatchObject({ entity: 'decision', entityId: String(o.id), about: `fare DF400 ${o.origin}-${o.destination} ${o.travelDate} ${o.cabin}/${o.rbd}` });
    // and one no longer in the store (archived) says so; rows of other entities carry nothing
    backend.store.db.prepare('DELETE FROM outbox_items WHERE decision_id = ?').run(o.id);
    backend.store.db.prepare('UPDATE decisions SET override_of = NULL WHERE override_of = ?').run(o.id);
    backend.store.db.prepare('DELETE FROM decisions WHERE id = ?').run(o.id);
    expect((await as(ann)('audit.search', { text: 'trade fair', limit: 5 }))[0]).toMatchObject({ entityId: String(o.id), about: null });
    expect((await as(ann)('audit.search', { entity: 'batch', limit: 1 }))[0]).not.toHaveProperty('about');
  });

  it('auto-approves inside the rules as system:auto-approval, naming the rule; the rest waits for a person', async () => {
    const wf = backend.decisions.workflow;
    const small = wf.decisions.ingest('c1', cycleRecs(2, 3)).ids;
    const large = wf.decisions.ingest('c2', cycleRecs(2, 15, 100)).ids;
    const manual = await as(ann)('decisions.propose', { kind: 'fare', fare: flightFare(400, '2026-12-20', 'Q', 40_400), reason: 'small manual move' });
    const rule = await as(rita)('decisions.saveRule', { name: 'Small moves', maxChangePct: 5 });
    expect(rule).toMatchObject({ id: 1, enabled: true, kinds: ['fare', 'authorisation', 'bid_price'], origin: null });
    expect(await as(rita)('decisions.autoApprove', { dryRun: true })).toMatchObject({ considered: 17, approved: 8, dryRun: true, waiting: { change_too_large: 8, not_engine: 1 } });
    // an open alert on the market holds its decisions back until acknowledged
    const alert = backend.decisions.monitoring.alerts.raise({ kind: 'competitor_undercut', severity: 'warning', dedupeKey: 'x', origin: 'FRA', destination: 'JFK', message: 'test' });
    expect(await as(rita)('decisions.autoApprove', {})).toMatchObject({ approved: 0, waiting: { open_alert: 8, change_too_large: 8, not_engine: 1 } });
    await as(rita)('monitoring.acknowledgeAlerts', { ids: [alert.id] });
    const r = await as(rita)('decisions.autoApprove', {});
    expect(r).toMatchObject({ approved: 8, approvedIds: small });
    const h = await as(ann)('decisions.history', { id: small[0]! });
    expect(h[2]).toMatchObject({ actor: 'system:auto-approval', to: 'approved', detail: { rule: 1 } });
    expect(h[2]!.reason).toMatch(/^auto-approved by rule 1: rule 1 "Small moves": change \+3\.0 % within ±5 %, inside guardrails, no open alert on FRA-JFK$/);
    expect(backend.decisions.workflow.repo.get(large[0]!)!.state).toBe('proposed');
    expect(backend.decisions.workflow.repo.get(manual.id)!.state).toBe('proposed');
    expect(await as(rita)('decisions.deleteRule', { id: 1 })).toEqual({ deleted: true });
  });

  it('reads and evaluates the proposals a page at a time, turning the event loop between pages, with the same answer', async () => {
    const wf = backend.decisions.workflow;
    wf.decisions.ingest('c1', cycleRecs(2, 3));
    wf.decisions.ingest('c2', cycleRecs(2, 15, 100));
    await as(ann)('decisions.propose', { kind: 'fare', fare: flightFare(400, '2026-12-20', 'Q', 40_400), reason: 'small manual move' });
    await as(rita)('decisions.saveRule', { name: 'Small moves', maxChangePct: 5 });
    const answered = async (page?: number) => {
      let turned = false;
      setImmediate(() => { turned = true; });
      const r = await wf.autoApproval.runByRule({ dryRun: true, ...(page ? { page } : {}) });
      return { ...r, turned };
    };
    const whole = await answered();
    const paged = await answered(3);
    expect(whole.result).toMatchObject({ considered: 17, approved: 8, waiting: { change_too_large: 8, not_engine: 1 } });
    expect(paged.result).toEqual(whole.result);
    expect(paged.byRule.map((g) => [g.rule.id, g.ids])).toEqual([[1, whole.result.approvedIds]]);
    // 17 proposals in one page answer without a turn of the loop; in pages of 3, with turns between them
    expect([whole.turned, paged.turned]).toEqual([false, true]);
    // only given decisions (a cycle's standing proposals), in pages of 3: those of them still proposed, as the whole run judged them
    const all = backend.store.db.prepare('SELECT id FROM decisions ORDER BY id').pluck().all() as number[];
    const some = all.filter((_, i) => i % 2 === 0);
    const byIds = await wf.autoApproval.runByRule({ dryRun: true, ids: [...some].reverse(), page: 3 });
    expect(byIds.result.considered).toBe(some.length);
    expect(byIds.result.approvedIds).toEqual(whole.result.approvedIds.filter((id) => some.includes(id)));
  });

  it('re-queues failed decisions and refuses pushes without a PSS', async () => {
    const { ids } = backend.decisions.workflow.decisions.ingest('c1', [fareRec(400, FIRST_DAY, 'Q', 41_000)]);
    pss.rejectIf = () => 'fare basis not filed';
    await as(rita)('decisions.approve', { ids });
    await as(rita)('decisions.pushNow', {});
    expect((await as(ann)('decisions.get', { id: ids[0]! }))).toMatchObject({ state: 'failed', failureCode: 'invalid', failureReason: 'fare basis not filed' });
    expect(events.some((e) => e.name === 'alert.raised' && e.payload.kind === 'push_failed')).toBe(true);
    pss.rejectIf = null;
    expect(await as(rita)('decisions.requeue', { ids })).toMatchObject({ changed: 1 });
    expect(await as(rita)('decisions.pushNow', {})).toMatchObject({ accepted: 1 });
    const nopss = createBackend({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-nopss-')), clock, connectors: [], mode: 'sandbox', host: 'test', version: '0', decisions: { expiryIntervalMs: 0 } });
    try {
      const env = await nopss.dispatcher.call('decisions.pushNow', {}, { caller: rita, transport: 'http' });
      expect(env).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/no PSS is configured/) } });
    } finally {
      await nopss.close();
      fs.rmSync(nopss.store.dataDir, { recursive: true, force: true });
    }
  });

  it('verifies the audit trail at start and reports tampering as an event and a critical alert', async () => {
    backend.decisions.workflow.decisions.ingest('c1', cycleRecs(1, 5));
    await backend.close();
    await deleteLastAuditRow(dir);
    backend = createBackend({ dataDir: dir, clock, connectors: [], mode: 'sandbox', host: 'test', version: '0', decisions: { expiryIntervalMs: 0 } });
    expect(backend.decisions.auditStatus()).toMatchObject({ ok: false, problems: [expect.objectContaining({ kind: 'tail_missing' })] });
    const alerts = await as(ann)('monitoring.alerts', {});
    expect(alerts.rows[0]).toMatchObject({ kind: 'audit_tampered', severity: 'critical', status: 'open' });
    expect(await as(ann)('audit.status', {})).toMatchObject({ ok: false });
  });

  it('verifies a long chain in a worker thread: the start does not wait, rows written meanwhile are left to the next verification, tampering is still caught', async () => {
    backend.decisions.workflow.decisions.ingest('c1', cycleRecs(1, 5));
    await backend.close();
    const open = () => createBackend({ dataDir: dir, clock, connectors: [], mode: 'sandbox', host: 'test', version: '0', decisions: { expiryIntervalMs: 0, auditWorkerFromRows: 0 } });
    backend = open();
    expect(backend.decisions.auditStatus()).toBeNull(); // still verifying
    const rowsAtStart = backend.decisions.workflow.audit.head()!.seq;
    backend.decisions.workflow.decisions.ingest('c2', cycleRecs(2, 5)); // commits (and a head file write) while the worker reads
    const first = await backend.decisions.auditReady;
    expect(first).toMatchObject({ ok: true, rows: rowsAtStart, headSeq: rowsAtStart, problems: [] }); // no "head file behind" note for rows written meanwhile
    expect(backend.decisions.auditStatus()).toEqual(first);
    // a tampered tail is caught by the worker too
    await backend.close();
    await deleteLastAuditRow(dir);
    backend = open();
    const tampered = await backend.decisions.auditReady;
    expect(tampered!.problems.map((p) => p.kind)).toEqual(['tail_missing']);
    expect((await as(ann)('monitoring.alerts', {})).rows[0]).toMatchObject({ kind: 'audit_tampered', severity: 'critical' });
    // on demand: the chain up to now, in a worker as well
    backend.decisions.workflow.decisions.ingest('c3', cycleRecs(3, 5));
    const again = await as(admin)('audit.verify', {});
    expect(again).toMatchObject({ ok: true, headSeq: backend.decisions.workflow.audit.head()!.seq }); // the chain as it is now (the alert above stays open)
  });
});
