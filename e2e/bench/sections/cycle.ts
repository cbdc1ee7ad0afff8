/**
 * The full cycle as a server runs it: the sandbox in its own process, then `dfae run --once` (the real
 * command, a child process) against it — sync, curves, pricing pool, network LP, proposals, auto-approval
 * within ±10 %, push — twice: the first run on an empty data folder, the second as the next day's run
 * (incremental curves, the first run's proposals superseded). Prints each step's time and the counts.
 * Full: the sandbox hub network with 60 days of history; --quick: 3MKT with three weeks. After each run,
 * what the store takes on disk and its largest tables (what a daily cycle adds).
 * `--cycle-days n` plays n daily runs; `--retention-days n` sets the audit and decision retention ages
 * to n days, so a few days show where the store settles under retention (the defaults are 30).
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import type { BenchContext } from '../types';
import { rate } from '../types';
import { startSandboxProcess } from '../../../connectors/sandbox/process';
import { configFromSandbox } from '../../../electron/backend/config';
import { createBackend } from '../../../engine/backend';
import { fixedClock } from '../../../engine/domain/time';
import { DB_FILE_NAME } from '../../../engine/store/db';
import { secretEnvName } from '../../../engine/ports/secrets';
import type { CycleReport } from '../../../engine/api/contract/cycle';
import { DEFAULT_RETENTION } from '../../../engine/domain/retention';
import type { Caller } from '../../../engine/api/dispatch';

const BENCH_ADMIN: Caller = { user: 'bench-admin', role: 'admin' };
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const DFAE = path.join(ROOT, 'electron', 'headless', 'dfae.mjs');

function dfae(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DFAE, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); if (stderr.length > 200_000) stderr = stderr.slice(-100_000); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - t0 }));
  });
}

const s = (ms: number | null) => `${((ms ?? 0) / 1000).toFixed(1)} s`;

export default async function cycle(ctx: BenchContext): Promise<void> {
  const scenario = ctx.quick ? '3mkt' : 'sandbox';
  const historyDays = ctx.quick ? 21 : 60;
  let t = performance.now();
  const sandbox = await startSandboxProcess({ seed: 42, scenario, historyDays, today: '2026-03-01', readyTimeoutMs: 900_000 });
  ctx.print(`cycle.sandbox      ${scenario}, ${historyDays} days of history: ready in ${s(performance.now() - t)}`);
  try {
    const dataDir = ctx.tempDir('dfae-bench-cycle-');
    const { config, secrets } = configFromSandbox(sandbox.endpoints);
    const configFile = path.join(dataDir, 'bench-config.json');
    fs.writeFileSync(configFile, JSON.stringify(config));
    const env: Record<string, string> = {};
    for (const name of await secrets.listNames()) env[secretEnvName(name)] = (await secrets.get(name))!.reveal();
    // what a revenue manager sets before going headless
    // at the sandbox's morning, before the first run: the settings' audit rows come first in the chain, as they would
    const setup = createBackend({ dataDir, connectors: [], mode: 'live', host: 'test', version: 'bench', clock: fixedClock('2026-03-01T05:00:00Z') });
    setup.decisions.monitoring.alerts.setThresholds('bench', { competitorUndercutPct: 100, largeMovePct: 1000 });
    setup.decisions.workflow.autoApproval.save('bench', { name: 'within 10 %', enabled: true, kinds: ['fare', 'authorisation', 'bid_price'], origin: null, destination: null, maxChangePct: 10 });
    const keep = ctx.retentionDays ?? null;
    if (keep !== null) {
      const saved = await setup.dispatcher.call('settings.saveRetention', { auditDays: keep, decisionsDays: keep, departedDays: DEFAULT_RETENTION.departedDays, reason: 'bench' }, { caller: BENCH_ADMIN, transport: 'ipc' });
      if (!saved.ok) throw new Error(`settings.saveRetention: ${JSON.stringify(saved.error)}`);
      ctx.print(`cycle.retention    audit rows and ended or replaced decisions stay ${keep} day(s)`);
    }
    await setup.close();
    const control = sandbox.endpoints.control;
    const days = Math.max(1, ctx.cycleDays ?? 2);
    for (let i = 0; i < days; i++) {
      const label = i === 0 ? 'first' : days === 2 ? 'next day' : `day ${i + 1}`;
      if (i > 0) {
        const res = await fetch(`${control.baseUrl}/control/clock/advance`, { method: 'POST', headers: { authorization: `Bearer ${control.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ days: 1 }) });
        if (!res.ok) throw new Error(`sandbox clock: ${res.status} ${await res.text()}`);
      }
      t = performance.now();
      const now = `2026-03-${String(1 + i).padStart(2, '0')}T06:00:00Z`;
      const r = await dfae(['run', '--once', '--json', '--config', configFile, '--data-dir', dataDir, '--now', now, '--log-level', 'warn'], env);
      if (r.code !== 0 && r.code !== 4 && r.code !== 5) throw new Error(`dfae run --once exited ${r.code}: ${r.stderr.slice(-3000)}`);
      const { report } = JSON.parse(r.stdout) as { report: CycleReport };
      const steps = report.stepReports.map((x) => `${x.step} ${s(x.durationMs)}`).join(', ');
      ctx.print(`cycle.run          ${label}: ${s(r.ms)} wall (exit ${r.code}, ${report.outcome}); in the run ${s(report.durationMs)}: ${steps}`);
      const k = report.pricing?.recommendations;
      ctx.print(`cycle.counts       ${label}: ${report.sync?.feeds.map((f) => `${f.feed} ${f.recordsWritten.toLocaleString('en-US')}`).join(', ')}; priced ${report.pricing?.departures ?? 0} departures (${k ? k.fare + k.authorisation + k.bid_price : 0} recommendations); network ${report.network?.solved ?? 0} days, ${report.network?.itineraries ?? 0} itineraries`);
      const pushStep = report.stepReports.find((x) => x.step === 'push');
      const proposalStep = report.stepReports.find((x) => x.step === 'proposals');
      if (report.push?.rejected) {
        const b = createBackend({ dataDir, connectors: [], mode: 'live', host: 'test', version: 'bench' });
        const why = b.store.db.prepare("SELECT code, count(*) AS n, min(reason) AS reason FROM outbox_items WHERE status = 'rejected' GROUP BY code ORDER BY n DESC").all() as { code: string; n: number; reason: string }[];
        await b.close();
        ctx.print(`cycle.rejected     ${label}: ${why.map((w) => `${w.code} ${w.n} (e.g. ${w.reason})`).join('; ')}`);
      }
      if (report.retention) ctx.print(`cycle.retention    ${label}: ${report.retention.decisions.toLocaleString('en-US')} decisions (${report.retention.priceHistory.toLocaleString('en-US')} replaced fares kept in the price history), ${report.retention.outboxItems.toLocaleString('en-US')} outbox items, ${report.retention.auditRows.toLocaleString('en-US')} audit rows archived in ${s(report.retention.ms)}`);
      ctx.print(`cycle.store        ${label}: ${storeSizes(dataDir)}`);
      ctx.print(`cycle.decisions    ${label}: ${report.proposals?.published ?? 0} proposed (${rate(report.proposals?.published ?? 0, proposalStep?.durationMs ?? 1)}/s)${report.proposals?.standing ? `, ${report.proposals.standing} earlier proposals kept` : ''}, ${report.autoApproval?.approved ?? 0} auto-approved, ${report.push?.accepted ?? 0} pushed (${rate(report.push?.accepted ?? 0, pushStep?.durationMs ?? 1)}/s), ${report.push?.rejected ?? 0} rejected by the PSS`);
    }
  } finally {
    await sandbox.close();
  }
}

/** The store's file sizes and its largest tables and indexes (SQLite's dbstat), in MB. */
function storeSizes(dataDir: string): string {
  const file = path.join(dataDir, DB_FILE_NAME);
  const mb = (bytes: number) => `${(bytes / 1e6).toLocaleString('en-US', { maximumFractionDigits: 0 })} MB`;
  const wal = fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 8').all() as { name: string; bytes: number }[];
    const free = (db.pragma('freelist_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
    return `file ${mb(fs.statSync(file).size)} (${mb(free)} free) + log ${mb(wal)}; ${rows.map((r) => `${r.name} ${mb(r.bytes)}`).join(', ')}`;
  } finally { db.close(); }
}
