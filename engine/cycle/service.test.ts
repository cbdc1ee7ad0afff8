import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../backend';
import { fixedClock } from '../domain/time';
import type { EventMessage } from '../api/contract/events';
import type { CycleReport, CycleRunRow } from '../api/contract/cycle';
import type { Caller } from '../api/dispatch';
import { syntheticNetwork } from '../pricing/synthetic';
import { writeSyntheticNetwork } from '../pricing/syntheticStore';
import { openStore } from '../store/db';
import { loadContexts } from '../pricing/store';
import { RecordingPss } from '../workflow/__tests__/pssDouble';
import { CycleBusyError } from './service';
import { CycleLockHeldError } from './lock';

const DCPS = [63, 56, 49, 42, 35, 31, 28, 24, 21, 17, 14, 10, 7, 5, 3, 1];
const NOW = '2025-06-02T03:00:00.000Z';
const rita: Caller = { user: 'rita', role: 'revenue_manager' };
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

/** A data folder with a small synthetic network (bookings history), an auto-approval rule and a PSS double. */
function open(o: { dir?: string; pss?: RecordingPss } = {}): { backend: Backend; pss: RecordingPss; dir: string; events: EventMessage[] } {
  const dir = o.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-cycle-'));
  if (!o.dir) {
    dirs.push(dir);
    const store = openStore({ dataDir: dir, clock: fixedClock(NOW) });
    writeSyntheticNetwork(store, syntheticNetwork({ seed: 5, flights: 4, daysAhead: 6, historyDays: 28, today: '2025-06-02', dcps: DCPS }), { dcps: DCPS, history: 'bookings' });
    store.close();
  }
  const pss = o.pss ?? new RecordingPss(() => NOW);
  const backend = createBackend({
    dataDir: dir, clock: fixedClock(NOW), connectors: [], mode: 'live', host: 'desktop', version: 't',
    decisions: { pss, autoPush: false }, cycle: { workers: 1, dcps: DCPS, historyDays: 28, horizonDays: 6 },
  });
  if (!o.dir) {
    backend.decisions.monitoring.alerts.setThresholds('rita', { competitorUndercutPct: 100, largeMovePct: 1000 });
    backend.decisions.workflow.autoApproval.save('rita', { name: 'within 5 %', enabled: true, kinds: ['fare', 'authorisation', 'bid_price'], origin: null, destination: null, maxChangePct: 5 });
  }
  const events: EventMessage[] = [];
  backend.events.subscribe((m) => events.push(m));
  return { backend, pss, dir, events };
}

const finished = (events: EventMessage[], runId: number) => new Promise<CycleRunRow>((resolve) => {
  const seen = events.find((m) => m.name === 'cycle.run' && m.payload.id === runId && m.payload.status !== 'running');
  if (seen) resolve(seen.payload as CycleRunRow);
  const timer = setInterval(() => {
    const m = events.find((e) => e.name === 'cycle.run' && e.payload.id === runId && e.payload.status !== 'running');
    if (m) { clearInterval(timer); resolve(m.payload as CycleRunRow); }
  }, 20);
});

describe('the cycle service, as the desktop runs it', () => {
  let a: ReturnType<typeof open>;
  beforeAll(() => { a = open(); });
  afterAll(async () => { await a.backend.close(); });

  it('cycle.run returns at once, reports progress, refuses a second run, and stores a report the history lists', async () => {
    const started = await a.backend.dispatcher.call('cycle.run', {}, { caller: rita, transport: 'ipc' });
    if (!started.ok) throw new Error(started.error.message);
    const { run } = started.result as { run: CycleRunRow };
    expect(run).toMatchObject({ status: 'running', host: 'desktop', trigger: 'manual', startedBy: 'rita', steps: { sync: true, price: true, autoApprove: true, push: true } });
    const again = await a.backend.dispatcher.call('cycle.run', {}, { caller: rita, transport: 'ipc' });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(new RegExp(`cycle run ${run.id} is still running`)) } });
    // another backend on the same folder (the headless command, say) is refused by the lock
    const other = createBackend({ dataDir: a.dir, clock: fixedClock(NOW), connectors: [], mode: 'live', host: 'headless', version: 't' });
    try {
      expect(() => other.cycle.start({ trigger: 'headless:run', startedBy: 'system:headless' })).toThrow(CycleLockHeldError);
    } finally {
      await other.close();
    }
    const row = await finished(a.events, run.id);
    expect(row).toMatchObject({ status: 'warning', outcome: 'success' }); // warning: no feed is configured here
    const got = await a.backend.dispatcher.call('cycle.get', { runId: run.id }, { caller: { user: 'andy', role: 'analyst' }, transport: 'http' });
    if (!got.ok) throw new Error(got.error.message);
    const r = got.result as CycleReport;
    expect(r.stepReports.map((s) => `${s.step}:${s.status}`)).toEqual(['sync:warning', 'curves:ok', 'price:ok', 'network:ok', 'proposals:ok', 'approve:ok', 'push:ok']);
    expect(r.pricing!.departures).toBe(24);
    expect(r.proposals!.published).toBeGreaterThan(0);
    expect(r.autoApproval!.approved).toBeGreaterThan(0);
    expect(r.push).toMatchObject({ accepted: r.autoApproval!.approved, rejected: 0 });
    expect(a.pss.stats).toMatchObject({ applied: r.autoApproval!.approved, duplicates: 0 });
    const steps = new Set(a.events.filter((m) => m.name === 'cycle.progress' && m.payload.runId === run.id).map((m) => (m.payload as { step: string }).step));
    expect([...steps]).toEqual(expect.arrayContaining(['curves', 'price', 'proposals', 'approve', 'push']));
    const list = await a.backend.dispatcher.call('cycle.runs', {}, { caller: rita, transport: 'inproc' });
    expect(list).toMatchObject({ ok: true, result: { running: null, rows: [{ id: run.id, pushed: r.push!.accepted, autoApproved: r.autoApproval!.approved }] } });
  }, 60_000);

  it('prices and proposes only the markets asked for, and warns about a market no flight serves', async () => {
    const market = a.backend.store.db.prepare("SELECT origin || '-' || destination FROM flights WHERE carrier = 'XX' ORDER BY flight_number LIMIT 1").pluck().get() as string;
    const { report } = await a.backend.cycle.run({ trigger: 'manual', startedBy: 'rita', markets: [market, 'ZZZ-YYY'], dryRun: true, steps: { sync: false } });
    expect(report.markets).toEqual([market, 'ZZZ-YYY'].sort());
    expect(report.pricing!.departures).toBe(6); // one flight number, six days
    // the curves of that flight number only, and the next whole-network run still counts from the last whole one
    const curvesOfIt = a.backend.store.db.prepare(`SELECT count(*) FROM booking_curves c JOIN flights f ON f.id = c.flight_id
      WHERE f.flight_number = (SELECT flight_number FROM flights WHERE carrier = 'XX' AND origin || '-' || destination = ?) AND f.local_date BETWEEN ? AND ?`)
      .pluck().get(market, report.curves!.fromDate, report.curves!.toDate) as number;
    expect(report.curves).toMatchObject({ flightNumbers: 1, written: curvesOfIt });
    expect(report.stepReports.find((s) => s.step === 'curves')!.summary).toContain('of 1 flight number(s)');
    const wholeRuns = a.backend.store.db.prepare("SELECT json_extract(report, '$.asOf') FROM cycle_runs WHERE json_array_length(report, '$.markets') = 0 ORDER BY id DESC LIMIT 1").pluck().get();
    expect(a.backend.cycle.runs.lastCurves()?.asOf).toBe(wholeRuns);
    expect(a.backend.store.db.prepare('SELECT count(*) FROM booking_curves').pluck().get()).toBeGreaterThan(curvesOfIt);
    expect(report.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ step: 'price', code: 'market_not_served', message: expect.stringContaining('ZZZ-YYY') })]));
    const cycleId = report.pricing!.cycleId;
    const markets = a.backend.store.db.prepare("SELECT DISTINCT origin || '-' || destination FROM decisions WHERE cycle_id = ?").pluck().all(cycleId);
    expect(markets).toEqual([market]);
    expect(report.wouldPush!.total).toBe(report.autoApproval!.approved); // nothing else is queued
    expect(report.wouldPush!.byMarket).toEqual([{ market, count: report.wouldPush!.total }]);
    // one market's legs connect with none of each other: the network step reads no history and says why
    expect(report.network).toMatchObject({ connectingMarkets: 0, days: 0, solved: 0 });
    expect(report.stepReports.find((s) => s.step === 'network')).toMatchObject({ status: 'ok', summary: 'no two priced legs connect: leg bid prices stand' });
  }, 60_000);

  it('keeps the recommendations and contexts of the newest three finished cycles only; every cycle keeps its forecasts', async () => {
    const db = a.backend.store.db;
    let report: CycleReport | undefined;
    const reports: CycleReport[] = [];
    const decisions = db.prepare('SELECT count(*) FROM decisions').pluck();
    let afterFirst = 0;
    while ((db.prepare("SELECT count(*) FROM pricing_cycles WHERE status = 'ok'").pluck().get() as number) < 4) {
      ({ report } = await a.backend.cycle.run({ trigger: 'manual', startedBy: 'rita', steps: { sync: false, autoApprove: false, push: false } }));
      reports.push(report);
      if (reports.length === 1) afterFirst = decisions.get() as number;
    }
    // nothing changed between the runs: the later cycles recommend what is already proposed, and keep those proposals
    const first = reports[0]!.proposals!;
    const pending = first.published + first.standing!;
    expect(pending).toBeGreaterThan(10);
    for (const r of reports.slice(1)) expect(r.proposals).toMatchObject({ published: 0, written: 0, superseded: 0, standing: pending });
    expect(db.prepare("SELECT count(*) FROM decisions WHERE state = 'proposed'").pluck().get()).toBe(pending);
    expect(decisions.get()).toBe(afterFirst);
    // the run history counts them as kept
    const runs = await a.backend.dispatcher.call('cycle.runs', { limit: 1 }, { caller: rita, transport: 'inproc' });
    expect(runs).toMatchObject({ ok: true, result: { rows: [{ proposed: 0, kept: pending }] } });
    expect(report!.stepReports.find((x) => x.step === 'proposals')!.summary).toMatch(new RegExp(`^0 proposal\\(s\\) published \\(${pending} already proposed by an earlier cycle and kept, `));
    const withRecs = db.prepare("SELECT DISTINCT cycle_id FROM pricing_contexts WHERE recommendations <> '[]'").pluck().all() as string[];
    const newest = db.prepare("SELECT id FROM pricing_cycles WHERE status = 'ok' ORDER BY finished_at DESC, started_at DESC, rowid DESC LIMIT 3").pluck().all() as string[];
    expect(withRecs.sort()).toEqual([...newest].sort());
    expect(db.prepare('SELECT DISTINCT cycle_id FROM pricing_contexts').pluck().all().sort()).toEqual([...newest].sort());
    expect(newest).toContain(report!.pricing!.cycleId);
    expect(report!.stepReports.find((x) => x.step === 'proposals')!.summary).toMatch(/the recommendations and contexts of 1 older cycle\(s\) pruned \(\d+ rows\)/);
    expect(db.prepare('SELECT count(DISTINCT cycle_id) FROM forecasts').pluck().get()).toBe(4);
  }, 120_000);

  it('moves decisions that ended unpushed past the retention age to an archive file after its proposals, not in a dry run', async () => {
    const db = a.backend.store.db;
    // proposals a revenue manager rejected, as if that had been 40 days ago
    const some = db.prepare("SELECT id FROM decisions WHERE state = 'proposed' ORDER BY id LIMIT 20").pluck().all() as number[];
    expect(await a.backend.dispatcher.call('decisions.reject', { ids: some, reason: 'not this season' }, { caller: rita, transport: 'ipc' })).toMatchObject({ ok: true });
    const old = db.prepare("UPDATE decisions SET ended_at = '2025-04-20T03:00:00.000Z' WHERE state IN ('superseded', 'rejected') AND pushed_at IS NULL").run().changes;
    db.prepare("UPDATE decisions SET created_at = '2025-04-20T02:00:00.000Z'").run(); // made before they ended, as every decision is
    const oneOfThem = db.prepare("SELECT min(id) FROM decisions WHERE ended_at = '2025-04-20T03:00:00.000Z'").pluck().get() as number;
    expect(old).toBeGreaterThan(0);
    const dry = await a.backend.cycle.run({ trigger: 'manual', startedBy: 'rita', dryRun: true, steps: { sync: false } });
    expect(dry.report.retention).toBeNull();
    const { report } = await a.backend.cycle.run({ trigger: 'manual', startedBy: 'rita', steps: { sync: false, autoApprove: false, push: false } });
    expect(report.retention).toMatchObject({ decisions: old, auditRows: 0, files: [expect.stringMatching(/^archive\/decisions-20250602T030000Z\.jsonl\.gz$/)] });
    expect(fs.existsSync(path.join(a.dir, report.retention!.files[0]!))).toBe(true);
    expect(db.prepare("SELECT count(*) FROM decisions WHERE ended_at = '2025-04-20T03:00:00.000Z'").pluck().get()).toBe(0);
    // asked for, an archived decision says where decisions went
    expect(await a.backend.dispatcher.call('decisions.get', { id: oneOfThem }, { caller: rita, transport: 'ipc' })).toMatchObject({
      ok: false, error: { code: 'not_found', message: `decision ${oneOfThem} is not in the store: retention has moved older decisions to 1 archive file(s) in the data folder's archive/ (the Archive screen and archive.decisions search them)` },
    });
    expect(report.stepReports.find((x) => x.step === 'proposals')!.summary).toContain(`archived ${old} decision(s) (0 replaced fare(s) kept in the price history) with 0 outbox item(s) and 0 audit row(s) to archive/decisions-`);
  }, 60_000);

  it('proposes no fare move smaller than the market\'s smallest change worth filing; it waits until the move adds up', async () => {
    const db = a.backend.store.db;
    const first = await a.backend.cycle.run({ trigger: 'manual', startedBy: 'rita', steps: { sync: false, autoApprove: false, push: false } });
    expect(first.report.proposals!.belowMinChange).toBe(0);
    const pendingBefore = first.report.proposals!.published + first.report.proposals!.standing!;
    // nothing was pushed, so the next cycle recommends the same moves against the same fares in force
    const pendingFares = db.prepare("SELECT id, abs(change_pct) AS move FROM decisions WHERE kind = 'fare' AND state = 'proposed' ORDER BY id");
    const fares = pendingFares.all() as { id: number; move: number }[];
    const moves = fares.map((f) => f.move).sort((x, y) => x - y);
    expect(moves.length).toBeGreaterThan(4);
    const distinct = [...new Set(moves)];
    const mid = Math.floor(distinct.length / 2);
    const threshold = (distinct[mid - 1]! + distinct[mid]!) / 2;
    const small = fares.filter((f) => f.move < threshold).map((f) => f.id);
    const below = small.length;
    const saved = await a.backend.dispatcher.call('settings.savePricing', { origin: null, destination: null, minChangePct: threshold, reason: 'no churn for small moves' }, { caller: rita, transport: 'ipc' });
    expect(saved).toMatchObject({ ok: true, result: { minChangePct: threshold } });
    const next = await a.backend.cycle.run({ trigger: 'manual', startedBy: 'rita', steps: { sync: false, autoApprove: false, push: false } });
    // the larger moves stand as proposed; the small ones are not filed
    expect(next.report.proposals).toMatchObject({ belowMinChange: below, published: 0, standing: pendingBefore - below });
    const filed = (pendingFares.all() as { move: number }[]).map((f) => f.move);
    expect(filed.length).toBe(moves.length - below);
    expect(Math.min(...filed)).toBeGreaterThan(threshold);
    expect(next.report.stepReports.find((x) => x.step === 'proposals')!.summary).toContain(`${below} below the smallest change to file`);
    // the earlier proposals of those small moves do not wait on in the review queue: withdrawn, with why
    expect(next.report.proposals!.withdrawn).toBe(below);
    const ended = db.prepare('SELECT state, count(*) AS n FROM decisions WHERE id IN (SELECT value FROM json_each(?)) GROUP BY state').all(JSON.stringify(small));
    expect(ended).toEqual([{ state: 'superseded', n: below }]);
    const why = db.prepare("SELECT reason FROM audit_log WHERE entity = 'decision' AND entity_id = ? ORDER BY seq DESC LIMIT 1").pluck().get(String(small[0]));
    expect(why).toBe(`cycle ${next.report.pricing!.cycleId} recommends a move smaller than the smallest change worth filing`);
    expect(next.report.stepReports.find((x) => x.step === 'proposals')!.summary).toContain(`; ${below} proposal(s) of earlier cycles withdrawn (values this cycle keeps, codeshares left to the partner operating them)`);
    await a.backend.dispatcher.call('settings.savePricing', { origin: null, destination: null, reason: 'back to every change' }, { caller: rita, transport: 'ipc' });
  }, 60_000);

  it("leaves a departure that became a codeshare on a partner's flight to the partner, withdrawing the proposals earlier cycles made for it", async () => {
    const db = a.backend.store.db;
    const first = await a.backend.cycle.run({ trigger: 'manual', startedBy: 'rita', steps: { sync: false, autoApprove: false, push: false } });
    expect(first.report.proposals!.published + first.report.proposals!.standing!).toBeGreaterThan(0);
    const flightId = db.prepare("SELECT flight_id FROM decisions WHERE state = 'proposed' ORDER BY id LIMIT 1").pluck().get() as string;
    const pending = db.prepare("SELECT count(*) FROM decisions WHERE flight_id = ? AND state = 'proposed'").pluck();
    const before = pending.get(flightId) as number;
    expect(before).toBeGreaterThan(0);
    // the schedule now has the partner operating it under our number
    db.prepare("UPDATE flights SET operating_carrier = 'PA', operating_flight_number = 7001 WHERE id = ?").run(flightId);
    const next = await a.backend.cycle.run({ trigger: 'manual', startedBy: 'rita', steps: { sync: false, autoApprove: false, push: false } });
    expect(next.report.stepReports.find((x) => x.step === 'price')!.summary).toContain("; 1 codeshare departure(s) on partners' flights left to the operating carrier");
    expect(pending.get(flightId)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM decisions WHERE flight_id = ? AND cycle_id = ?').pluck().get(flightId, next.report.pricing!.cycleId)).toBe(0);
    const why = db.prepare("SELECT reason FROM audit_log WHERE entity = 'decision' AND entity_id = (SELECT max(id) FROM decisions WHERE flight_id = ?) ORDER BY seq DESC LIMIT 1").pluck().get(flightId);
    expect(why).toBe(`cycle ${next.report.pricing!.cycleId} leaves this codeshare to the partner operating the flight`);
    expect(next.report.proposals!.withdrawn).toBeGreaterThanOrEqual(before);
    db.prepare('UPDATE flights SET operating_carrier = NULL, operating_flight_number = NULL WHERE id = ?').run(flightId);
  }, 60_000);

  it('forecasts the departures under a demand influence by its factor, and says how many it priced so', async () => {
    const db = a.backend.store.db;
    const before = await a.backend.cycle.run({ trigger: 'manual', startedBy: 'rita', steps: { sync: false, autoApprove: false, push: false } });
    const f = db.prepare(`SELECT id, origin, destination, local_date FROM flights WHERE carrier = 'XX' AND local_date = (SELECT max(local_date) FROM flights) ORDER BY id LIMIT 1`)
      .get() as { id: string; origin: string; destination: string; local_date: string };
    const saved = await a.backend.dispatcher.call('influences.save', { name: 'Strike', origin: f.origin, destination: f.destination, from: f.local_date, to: f.local_date, factor: 0.6 }, { caller: rita, transport: 'ipc' });
    expect(saved.ok).toBe(true);
    const next = await a.backend.cycle.run({ trigger: 'manual', startedBy: 'rita', steps: { sync: false, autoApprove: false, push: false } });
    const under = db.prepare("SELECT count(*) FROM flights WHERE carrier = 'XX' AND local_date = ? AND origin = ? AND destination = ?").pluck().get(f.local_date, f.origin, f.destination) as number;
    expect(next.report.stepReports.find((x) => x.step === 'price')!.summary).toContain(`; ${under} departure(s) forecast under a demand influence`);
    const demand = (cycleId: string) => new Map(loadContexts(a.backend.store, { flightId: f.id, cycleId }).map((c) => [c.cabin, c.demandToCome]));
    const was = demand(before.report.pricing!.cycleId);
    const now = demand(next.report.pricing!.cycleId);
    expect(was.size).toBeGreaterThan(0);
    for (const [cabin, d] of was) expect(now.get(cabin)!, cabin).toBeCloseTo(d * 0.6, 2);
    await a.backend.dispatcher.call('influences.delete', { id: (saved as { result: { id: number } }).result.id }, { caller: rita, transport: 'ipc' });
  }, 60_000);

  it('auto-approves the earlier proposals a cycle keeps, as it does its own, once its rule allows them', async () => {
    const db = a.backend.store.db;
    // a cycle without auto-approval leaves its proposals waiting; with the rule switched off, the next one too
    await a.backend.cycle.run({ trigger: 'manual', startedBy: 'rita', steps: { sync: false, autoApprove: false, push: false } });
    const rule = a.backend.decisions.workflow.autoApproval.list()[0]!;
    a.backend.decisions.workflow.autoApproval.save('rita', { ...rule, enabled: false });
    const off = await a.backend.cycle.run({ trigger: 'manual', startedBy: 'rita', steps: { sync: false, push: false } });
    expect(off.report.autoApproval!.approved).toBe(0);
    const waiting = db.prepare("SELECT id FROM decisions WHERE state = 'proposed' ORDER BY id").pluck().all() as number[];
    expect(off.report.proposals).toMatchObject({ published: 0, standing: waiting.length });
    // the rule on again: the next cycle recommends the same and keeps them, and its auto-approval takes those within 5 %
    a.backend.decisions.workflow.autoApproval.save('rita', { ...rule, enabled: true });
    // what the rules would approve of every proposal waiting (a dry run over them all, not by ids)
    const within = (await a.backend.decisions.workflow.autoApproval.runByRule({ dryRun: true })).result.approved;
    expect(within).toBeGreaterThan(0);
    expect(within).toBeLessThan(waiting.length);
    const on = await a.backend.cycle.run({ trigger: 'manual', startedBy: 'rita', steps: { sync: false, push: false } });
    expect(on.report.proposals).toMatchObject({ published: 0, standing: waiting.length });
    expect(on.report.autoApproval).toMatchObject({ considered: waiting.length, approved: within });
    const moved = db.prepare("SELECT count(*) FROM decisions WHERE id IN (SELECT value FROM json_each(?)) AND state IN ('approved', 'queued')").pluck().get(JSON.stringify(waiting));
    expect(moved).toBe(within);
    expect(db.prepare('SELECT count(*) FROM decisions WHERE cycle_id = ?').pluck().get(on.report.pricing!.cycleId)).toBe(0);
  }, 60_000);

  it('a cancel stops the step in progress, frees the folder, and the next run goes through', async () => {
    const progress = new Promise<void>((resolve) => { const off = a.backend.events.subscribe((m) => { if (m.name === 'cycle.progress' && m.payload.step === 'price') { off(); resolve(); } }); });
    const handle = a.backend.cycle.start({ trigger: 'manual', startedBy: 'rita', steps: { sync: false } });
    expect(() => a.backend.cycle.start({ trigger: 'manual', startedBy: 'rita' })).toThrow(CycleBusyError);
    await progress;
    const cancelled = await a.backend.dispatcher.call('cycle.cancel', { runId: handle.runId }, { caller: rita, transport: 'ipc' });
    expect(cancelled).toEqual({ ok: true, result: { cancelled: true } });
    const { report } = await handle.done;
    expect(report).toMatchObject({ status: 'cancelled', outcome: 'cancelled', error: 'cancelled from the workbench' });
    expect(report.stepReports.find((s) => s.step === 'price')).toMatchObject({ status: 'cancelled' });
    expect(report.stepReports.slice(-3).every((s) => s.status === 'cancelled')).toBe(true);
    const status = a.backend.store.db.prepare('SELECT status, error FROM pricing_cycles WHERE id = ?').get(report.pricing?.cycleId ?? `c${handle.runId}-20250602T030000`) as { status: string; error: string } | undefined;
    expect(status).toMatchObject({ status: 'failed', error: expect.stringMatching(/cancelled/) });
    const next = await a.backend.cycle.run({ trigger: 'manual', startedBy: 'rita', steps: { sync: false, autoApprove: false, push: false } });
    expect(next.report.outcome).toBe('success');
  }, 60_000);

  it('reports push failures when the PSS rejects decisions', async () => {
    a.pss.rejectIf = (p) => ((p as { rbd?: string }).rbd === 'Y' ? 'class Y is filed by the network team' : null);
    try {
      const { report } = await a.backend.cycle.run({ trigger: 'manual', startedBy: 'rita', steps: { sync: false } });
      expect(report.outcome).toBe('push_failures');
      expect(report.push!.rejected).toBeGreaterThan(0);
      expect(report.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ step: 'push', code: 'push_rejected' })]));
    } finally {
      a.pss.rejectIf = null;
    }
  }, 60_000);
});

describe('runs whose process died', () => {
  it('are shown as interrupted', async () => {
    const { backend } = open();
    try {
      const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
      const id = backend.cycle.runs.start({ host: 'headless', trigger: 'headless:run', startedBy: 'system:headless', hostname: os.hostname(), pid: dead, processStart: null, startedAt: NOW, dryRun: false, markets: [], steps: { sync: true, price: true, autoApprove: true, push: true } });
      const { rows, running } = backend.cycle.list({ limit: 5 });
      expect(running).toBeNull();
      expect(rows.find((r) => r.id === id)).toMatchObject({ status: 'interrupted', outcome: 'interrupted', error: expect.stringMatching(`pid ${dead}`) });
    } finally {
      await backend.close();
    }
  });
});
