import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CycleReport } from '../../engine/api/contract/cycle';
import { createBackend } from '../../engine/backend';
import { AS_OF, captureIO, decisionStates, prepareDataDir, startCliSandbox, type CliSandbox } from './testSupport';
import { main } from './cli';
import { loadRecommendations } from '../../engine/pricing/store';
import type { BidPriceRecommendation } from '../../engine/pricing/types';

let t: CliSandbox;
beforeAll(async () => { t = await startCliSandbox(); }, 60_000);
afterAll(async () => { await t?.close(); });

describe('dfae run --once against the sandbox', () => {
  it('runs the whole cycle, pushes what the rules approve (counted at the sandbox PSS), and the workbench lists the run', async () => {
    const dataDir = t.tmp();
    await prepareDataDir(dataDir);
    const before = await t.pushes();
    const r = await t.runCli(['run', '--once', '--config', t.configFile, '--data-dir', dataDir, '--now', AS_OF, '--json', '--workers', '1', '--horizon-days', '60']);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    const { report } = JSON.parse(r.stdout) as { report: CycleReport };
    expect(report).toMatchObject({ host: 'headless', trigger: 'headless:run', startedBy: 'system:headless', status: 'ok', outcome: 'success', dryRun: false, asOf: expect.stringMatching(/^2026-03-01T06:00/) });
    expect(report.stepReports.map((s) => `${s.step}:${s.status}`)).toEqual(['sync:ok', 'curves:ok', 'price:ok', 'network:ok', 'proposals:ok', 'approve:ok', 'push:ok']);
    expect(report.stepReports.every((s) => typeof s.durationMs === 'number')).toBe(true);
    expect(report.sync!.feeds.map((f) => `${f.feed}:${f.status}`)).toEqual(['schedule:ok', 'pss:ok', 'pros:ok', 'competitor:ok']);
    expect(report.pricing!.departures).toBeGreaterThan(100);
    expect(report.network!.solved).toBeGreaterThan(0); // BOS-LAX connects at ORD: LP bid prices on those legs
    expect(report.network!.connectingMarkets).toBeGreaterThan(0);
    const a = report.autoApproval!;
    expect(a.approved).toBeGreaterThan(100);
    expect(a.rules).toEqual([{ ruleId: 1, name: 'small moves', maxChangePct: 10, approved: a.approved }]);
    expect(a.waiting.change_too_large).toBeGreaterThan(0); // larger moves wait for a person, counted by why
    expect(a.considered).toBe(a.approved + Object.values(a.waiting).reduce((x, y) => x + y, 0));
    // every auto-approved decision reached the PSS once
    const after = await t.pushes();
    expect(report.push).toMatchObject({ accepted: a.approved, rejected: 0, failed: 0, deadlineReached: false, queue: { queued: 0, pendingBatches: 0 } });
    expect(after.accepted - before.accepted).toBe(a.approved);
    expect(after.rejected - before.rejected).toBe(0);
    expect((await decisionStates(dataDir)).pushed).toBe(a.approved);
    // structured logs: level, time, run id, step, counts, durations
    const logs = r.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const step = logs.find((l) => l.msg === 'step finished' && l.step === 'push')!;
    expect(step).toMatchObject({ level: 'info', runId: report.runId, status: 'ok', durationMs: expect.any(Number) });
    expect(typeof step.time === 'string' && !Number.isNaN(Date.parse(step.time as string))).toBe(true);
    expect(logs.find((l) => l.msg === 'cycle run finished')).toMatchObject({ outcome: 'success', pushed: a.approved, autoApproved: a.approved });
    // dfae status: feed health, the outbox, the last runs, the lock
    const io = captureIO(t.env);
    expect(await main(['status', '--json', '--config', t.configFile, '--data-dir', dataDir, '--now', AS_OF], io)).toBe(0);
    const status = JSON.parse(io.text('stdout')) as { feeds: { feed: string; state: string }[]; queue: { queued: number }; runs: { id: number; pushed: number }[]; lock: unknown; waitingForAPerson: number };
    expect(status.feeds.map((f) => `${f.feed}:${f.state}`)).toEqual(['pss:ok', 'pros:ok', 'competitor:ok', 'schedule:ok']);
    expect(status).toMatchObject({ lock: null, queue: { queued: 0 }, runs: [{ id: report.runId, pushed: a.approved }], waitingForAPerson: a.considered - a.approved });
    const text = captureIO(t.env);
    expect(await main(['status', '--config', t.configFile, '--data-dir', dataDir], text)).toBe(0);
    expect(text.text('stdout')).toMatch(new RegExp(`^  #${report.runId} .* headless headless:run: ok \\(success\\)`, 'm'));
    // the workbench on the same data folder lists the headless run with its report
    const backend = createBackend({ dataDir, connectors: [], mode: 'live', host: 'desktop', version: 't' });
    try {
      const caller = { user: 'rita', role: 'revenue_manager' as const };
      // the network step's LP bid prices are stored in their cabins' rows in place of the leg's own
      const bids = loadRecommendations(backend.store, { cycleId: report.pricing!.cycleId, kind: 'bid_price' }) as BidPriceRecommendation[];
      expect(bids.filter((b) => b.explanation.method === 'lp')).toHaveLength(report.network!.bidPrices);
      expect(bids.length).toBe(report.pricing!.recommendations.bid_price);
      const runs = await backend.dispatcher.call('cycle.runs', {}, { caller, transport: 'inproc' });
      expect(runs).toMatchObject({ ok: true, result: { rows: [{ id: report.runId, host: 'headless', trigger: 'headless:run', status: 'ok', autoApproved: a.approved, pushed: a.approved }], running: null } });
      const got = await backend.dispatcher.call('cycle.get', { runId: report.runId }, { caller, transport: 'inproc' });
      expect(got).toMatchObject({ ok: true, result: { runId: report.runId, autoApproval: { approved: a.approved } } });
      const denied = await backend.dispatcher.call('cycle.run', {}, { caller: { user: 'andy', role: 'analyst' }, transport: 'inproc' });
      expect(denied).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    } finally {
      await backend.close();
    }
  }, 120_000);

  it('--dry-run approves and pushes nothing, and prints what a run would push', async () => {
    const dataDir = t.tmp();
    await prepareDataDir(dataDir);
    const before = await t.pushes();
    const r = await t.runCli(['run', '--once', '--dry-run', '--config', t.configFile, '--data-dir', dataDir, '--now', AS_OF, '--workers', '1', '--horizon-days', '60', '--no-network', '--diff-limit', '5']);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(await t.pushes()).toEqual(before); // nothing reached the PSS
    const states = await decisionStates(dataDir);
    expect(states.proposed).toBeGreaterThan(0);
    expect(states.approved ?? 0).toBe(0);
    expect(states.queued ?? 0).toBe(0);
    expect(states.pushed ?? 0).toBe(0);
    // the report and the diff on stdout
    expect(r.stdout).toMatch(/^run \d+: ok \(success\) .*DRY RUN/m);
    expect(r.stdout).toMatch(/^  push +skipped .*dry run: \d+ decision\(s\) would be pushed/m);
    const m = /^would push (\d[\d,]*) decision\(s\); by market: (BOS-ORD|ORD-LAX|BOS-LAX)/m.exec(r.stdout);
    expect(m).not.toBeNull();
    const total = Number(m![1]!.replace(/,/g, ''));
    expect(total).toBeGreaterThan(100);
    expect(r.stdout).toMatch(/^KIND +MARKET +FLIGHT +DATE +CABIN +CLASS +CUR +CURRENT +NEW +CHANGE +WHY$/m);
    const rows = r.stdout.split('\n').filter((l) => /auto-approval rule 1 "small moves" \(change within ±10 %\)$/.test(l));
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      const change = /([+-]\d+\.\d) %/.exec(row);
      if (change) expect(Math.abs(Number(change[1]))).toBeLessThanOrEqual(10);
    }
    expect(r.stdout).toContain(`… and ${(total - 5).toLocaleString('en-GB')} more`);
    expect(r.stdout).toMatch(/^would auto-approve: *\d/m);
  }, 120_000);
});
