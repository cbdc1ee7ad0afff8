/**
 * Kill -9 during sync, pricing and push, against the sandbox: the sandbox runs in this process (its
 * market wrapped with a ledger of what the PSS applied); the workbench is a child process (child.ts)
 * running the full cycle, killed with SIGKILL at seeded points — hooked ones (before/after a page commit,
 * a pricing event, an approval, before a push is sent, between the PSS's acknowledgement and the store's
 * commit, after it) and timed ones (a seeded delay, landing anywhere: start-up, a transaction, a worker) —
 * then restarted on the same data folder. Every few points the sandbox's clock moves a day on, so new
 * bookings, demand and competitor prices arrive and new proposals supersede older ones.
 *
 * After each kill: the database passes PRAGMA integrity_check and the audit chain verifies against its
 * head file. At the end (a run without a kill): the store holds exactly the sandbox's bookings, demand
 * and competitor observations (no gap, no duplicate); every approved decision was pushed, superseded or
 * refused by the PSS (none lost); each outbox item and each (key, sequence) was applied at the PSS at
 * most once, replays of acknowledged batches counted apart; the PSS holds each key's newest pushed value.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createSimulatorMarket } from '../../../connectors/sandbox/simulator-market';
import { startSandbox } from '../../../connectors/sandbox/sandbox';
import { DB_FILE_NAME } from '../../../engine/store/db';
import { checkIntegrity } from '../../../engine/store/integrity';
import { AuditLog } from '../../../engine/workflow/audit';
import { auditHeadPath } from '../../../engine/workflow/auditHead';
import { fixedClock, systemClock } from '../../../engine/domain/time';
import { withLedger } from '../support/ledgerMarket';
import { bundleSoakChildren, ROOT } from '../support/bundle';
import { compareWithSandbox, type TruthReport } from '../support/truth';
import { searchFolder, searchOutput, type NamedSecret, type SecretHit } from '../support/secrets';
import { createBackend } from '../../../engine/backend';
import { backupStore } from '../../../engine/store/backup';
import { readArchiveLines } from '../../../engine/store/archive';
import { contract } from '../../../engine/api/contract/index';
import type { ChildArgs, ChildOutcome, HookedPoint } from './child';


export type KillPoint = HookedPoint | 'timed';
export type Phase = 'sync' | 'price' | 'push';
export interface KillPlan {
  /** the cycle steps the run does: sync; price (curves, pricing, proposals) and auto-approval; push */
  phase: Phase;
  point: KillPoint;
  /** hooked: the n-th occurrence; timed: milliseconds after the process started */
  at: number;
}

export interface CycleKillReport {
  /** kill points taken from the plans */
  points: number;
  /** the store against the sandbox's logs after each day's syncs, before the next day */
  cursorChecks: { checked: number; failed: number };
  /** runs that died by SIGKILL (a planned point reached, or the timer) */
  killed: number;
  /** planned points the run finished before reaching (it completed instead) */
  notReached: number;
  runs: number;
  /** simulated days played (the sandbox's clock moved on between them) */
  days: number;
  /** kills survived: killed runs after which the store passed its integrity check and the audit verified */
  survived: number;
  byPoint: Record<string, { planned: number; killed: number }>;
  integrityFailures: number;
  auditFailures: number;
  truth: TruthReport;
  /** twice: decided ones found in two archive files, or in a file and the store (an interrupted retention's, until its next run) */
  decisions: { approved: number; pushed: number; superseded: number; refusedByPss: number; lost: number; twice: number };
  pss: {
    applications: number; duplicateApplications: number; duplicateKeySequences: number; replayedBatches: number; wrongValue: number;
    /** accepted applications by the final state of their decision: a `superseded` one was applied, then a newer decision for its key came before its acknowledgement was recorded (a kill between the two) */
    acceptedByDecisionState: Record<string, number>;
  };
  /** feed runs left "running" by killed processes (shown as such in the run history) */
  orphanedFeedRuns: number;
  /** the sandbox's credentials searched for in every output: process output (logs), the data folder's files (database, WAL, audit head, a backup), every read API method's answer */
  secrets: { searched: number; outputs: number; bytes: number; hits: SecretHit[] };
  problems: string[];
  ms: number;
}

const STEPS: Record<Phase | 'all', ChildArgs['steps']> = {
  sync: { sync: true, price: false, autoApprove: false, push: false },
  price: { sync: false, price: true, autoApprove: true, push: false },
  push: { sync: false, price: false, autoApprove: false, push: true },
  all: { sync: true, price: true, autoApprove: true, push: true },
};
const PHASE_POINTS: Record<Phase, { point: HookedPoint; maxAt: number }[]> = {
  sync: [{ point: 'sync-before-commit', maxAt: 8 }, { point: 'sync-after-commit', maxAt: 8 }],
  price: [{ point: 'price', maxAt: 6 }, { point: 'approve', maxAt: 3 }],
  push: [{ point: 'push-before-send', maxAt: 4 }, { point: 'push-after-ack', maxAt: 4 }, { point: 'push-after-commit', maxAt: 4 }],
};
/** timed kills land in [from, to) ms after the process starts (start-up takes about a second) */
const TIMED: Record<Phase, [number, number]> = { sync: [1_000, 4_000], price: [1_500, 6_000], push: [800, 2_500] };
/** a simulated day: this many kill points per phase, each phase then finished by a run without a kill */
const DAY: readonly Phase[] = ['sync', 'sync', 'sync', 'sync', 'price', 'price', 'push', 'push', 'push'];

/**
 * `n` seeded kill points laid out as simulated days (see DAY): per phase, one in four is timed, the rest
 * a hooked point at its n-th occurrence.
 */
export function seededCyclePlans(n: number, seed: number): KillPlan[] {
  let s = seed >>> 0;
  const next = () => { s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0; return s / 2 ** 32; };
  return Array.from({ length: n }, (_, i) => {
    const phase = DAY[i % DAY.length]!;
    if (next() < 0.25) {
      const [from, to] = TIMED[phase];
      return { phase, point: 'timed' as const, at: from + Math.floor(next() * (to - from)) };
    }
    const choices = PHASE_POINTS[phase];
    const c = choices[Math.floor(next() * choices.length)]!;
    return { phase, point: c.point, at: 1 + Math.floor(next() * c.maxAt) };
  });
}

function runChild(script: string, args: ChildArgs, timedKillMs: number | null, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, JSON.stringify(args)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); if (stderr.length > 100_000) stderr = stderr.slice(-50_000); });
    const timed = timedKillMs === null ? null : setTimeout(() => child.kill('SIGKILL'), timedKillMs);
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`kill-test child ${child.pid} did not finish within ${timeoutMs} ms; stderr: ${stderr.slice(-800)}`)); }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); if (timed) clearTimeout(timed); reject(e); });
    child.on('exit', (code, signal) => { clearTimeout(timer); if (timed) clearTimeout(timed); resolve({ code, signal, stdout, stderr }); });
  });
}

/** The checks after each kill, read-only: integrity_check and the audit chain against (a copy of) its head file. */
function checkAfterKill(dataDir: string): { integrity: boolean; audit: boolean; problems: string[] } {
  const file = path.join(dataDir, DB_FILE_NAME);
  if (!fs.existsSync(file)) return { integrity: true, audit: true, problems: [] };
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const integrity = checkIntegrity(db, file, 'full');
    const hasAudit = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'audit_log'").get() !== undefined;
    let auditOk = true;
    const problems = integrity.problems.map((p) => `integrity: ${p}`);
    if (hasAudit) {
      // verify against a copy: verify() rewrites a lagging head file, which the next run must see as it is
      const head = auditHeadPath(file);
      const copy = path.join(os.tmpdir(), `dfae-kill-head-${process.pid}.json`);
      if (fs.existsSync(head)) fs.copyFileSync(head, copy); else fs.rmSync(copy, { force: true });
      const v = new AuditLog(db, systemClock, copy).verify();
      fs.rmSync(copy, { force: true });
      auditOk = v.ok;
      problems.push(...v.problems.filter(() => !v.ok).map((p) => `audit: ${p.message}`));
    }
    return { integrity: integrity.ok, audit: auditOk, problems };
  } finally {
    db.close();
  }
}

export interface CycleKillOptions {
  plans: KillPlan[];
  seed?: number;
  /** the sandbox: 3MKT, this many days of flown history (default 21) */
  historyDays?: number;
  dataDir?: string;
  childTimeoutMs?: number;
  /** stop taking plans once this many runs were killed (the plans beyond are not used) */
  stopAfterKills?: number;
  onProgress?: (line: string) => void;
}

export async function runCycleKillLoop(o: CycleKillOptions): Promise<CycleKillReport> {
  const t0 = performance.now();
  const dataDir = o.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-cyclekill-'));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-cyclekill-sb-'));
  const { market, ledger } = withLedger(createSimulatorMarket({ seed: o.seed ?? 7, today: '2026-03-01', historyDays: o.historyDays ?? 21, scenario: '3mkt' }));
  const bundle = await bundleSoakChildren({ 'kill-child': 'e2e/soak/kill/child.ts' });
  const script = bundle.files['kill-child']!;
  const sandbox = await startSandbox({ market, dropDir: scratch });
  const endpointsFile = path.join(scratch, 'endpoints.json');
  fs.writeFileSync(endpointsFile, JSON.stringify(sandbox.endpoints), { mode: 0o600 });
  const secrets: NamedSecret[] = [
    ...Object.entries(sandbox.endpoints.systems).map(([name, x]) => ({ name: `${name} client secret`, value: x.clientSecret, clientId: x.clientId })),
    { name: 'control token', value: sandbox.endpoints.control.token },
  ];
  const secretHits: SecretHit[] = [];
  let secretOutputs = 0;
  let secretBytes = 0;
  const problems: string[] = [];
  const byPoint: CycleKillReport['byPoint'] = {};
  let killed = 0;
  let notReached = 0;
  let runs = 0;
  let survived = 0;
  let integrityFailures = 0;
  let auditFailures = 0;
  let days = 1;
  const timeout = o.childTimeoutMs ?? 180_000;
  const args = (phase: Phase | 'all', kill: ChildArgs['kill']): ChildArgs => ({
    dataDir, endpointsFile, now: market.clock.now().toISOString(), kill, steps: STEPS[phase], horizonDays: 30, historyDays: o.historyDays ?? 21, pushBatchSize: 10,
    workers: bundle.workers,
  });

  /** after a day's syncs (killed, restarted, finished): the store holds the sandbox's logs, no gap, no duplicate */
  const cursorChecks = { checked: 0, failed: 0 };
  const syncCheck = (label: string) => {
    const db = new BetterSqlite3(path.join(dataDir, DB_FILE_NAME), { readonly: true });
    try {
      const t = compareWithSandbox(db, market);
      cursorChecks.checked++;
      if (t.lost || t.duplicates) {
        cursorChecks.failed++;
        problems.push(`${label} after its syncs: ${t.lost} records lost, ${t.duplicates} extra (${[...t.bookings.examples, ...t.demand.examples, ...t.competitor.examples].slice(0, 3).join('; ')})`);
      }
    } finally {
      db.close();
    }
  };
  let pointsUsed = 0;

  /** one run; a kill is checked at once (integrity, audit); a completed run must report a cycle that did not fail */
  const run = async (label: string, phase: Phase | 'all', plan: KillPlan | null): Promise<void> => {
    runs++;
    const r = await runChild(script, args(phase, plan && plan.point !== 'timed' ? { point: plan.point, at: plan.at } : null), plan?.point === 'timed' ? plan.at : null, timeout);
    secretOutputs++;
    secretBytes += r.stdout.length + r.stderr.length;
    secretHits.push(...searchOutput(`${label} stdout`, r.stdout, secrets), ...searchOutput(`${label} stderr (log)`, r.stderr, secrets));
    if (plan) {
      const bp = (byPoint[`${plan.phase}:${plan.point}`] ??= { planned: 0, killed: 0 });
      bp.planned++;
      if (r.signal === 'SIGKILL') bp.killed++;
    }
    if (r.signal === 'SIGKILL') {
      killed++;
      const c = checkAfterKill(dataDir);
      if (!c.integrity) integrityFailures++;
      if (!c.audit) auditFailures++;
      if (c.integrity && c.audit) survived++;
      else problems.push(`after ${label}: ${c.problems.slice(0, 3).join('; ')}`);
    } else if (r.code === 0) {
      if (plan) notReached++;
      const line = r.stdout.split('\n').find((l) => l.startsWith('{"done"'));
      const out = line ? (JSON.parse(line) as ChildOutcome) : null;
      if (!out) problems.push(`${label} completed without its outcome line`);
      else if (out.outcome === 'failed') problems.push(`${label}: the cycle failed: ${out.error}`);
      else if (out.auditOk === false) { auditFailures++; problems.push(`${label}: the audit verification at start failed`); }
    } else {
      problems.push(`${label} exited with ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 600)}`);
      if (/integrity check/.test(r.stderr)) integrityFailures++;
    }
    o.onProgress?.(`${label}: ${r.signal ?? `exit ${r.code}`}`);
  };

  try {
    let phase: Phase | null = null;
    for (const [i, plan] of o.plans.entries()) {
      if (o.stopAfterKills !== undefined && killed >= o.stopAfterKills) break;
      if (phase !== null && plan.phase !== phase) {
        await run(`day ${days} ${phase} (finishing)`, phase, null);
        if (phase === 'sync') syncCheck(`day ${days}`);
        if (plan.phase === 'sync') { market.advanceDays(1); days++; }
      }
      phase = plan.phase;
      pointsUsed++;
      await run(`kill ${i + 1}/${o.plans.length}, day ${days} ${plan.phase} ${plan.point}@${plan.at}`, plan.phase, plan);
    }
    // the day closes: every phase to the end, then a whole cycle with nothing left to do
    await run(`day ${days} (finishing)`, 'all', null);
    await run(`day ${days} (closing)`, 'all', null);

    // what the UI, its exports and a backup show: every read method's answer and a backup, searched with the folder
    const answers = await readAnswersAndBackup(dataDir, market.clock.now().toISOString());
    secretOutputs += answers.methods;
    secretBytes += answers.text.length;
    secretHits.push(...searchOutput('read API answers', answers.text, secrets));
    const folder = searchFolder(dataDir, secrets);
    secretOutputs += folder.files;
    secretBytes += folder.bytes;
    secretHits.push(...folder.hits);
    for (const h of secretHits.slice(0, 5)) problems.push(`the ${h.secret} appears (${h.encoding}) in ${h.where}`);

    const db = new BetterSqlite3(path.join(dataDir, DB_FILE_NAME), { readonly: true });
    try {
      const final = checkIntegrity(db, db.name, 'full');
      if (!final.ok) { integrityFailures++; problems.push(`final integrity: ${final.problems.slice(0, 3).join('; ')}`); }
      const truth = compareWithSandbox(db, market);
      for (const [k, c] of Object.entries({ bookings: truth.bookings, demand: truth.demand, competitor: truth.competitor })) {
        if (c.missing || c.stale || c.extra) problems.push(`${k}: ${c.missing} missing, ${c.stale} stale, ${c.extra} extra (${c.examples.join('; ')})`);
      }
      const archived = await readDecisionArchive(db, dataDir, problems);
      const decisions = decisionOutcome(db, archived.decisions, problems);
      const pss = pssOutcome(db, archived, ledger.applications, sandbox.state.pushes.fares.replayed + sandbox.state.pushes.controls.replayed, problems);
      const orphanedFeedRuns = db.prepare("SELECT count(*) FROM feed_runs WHERE status = 'running'").pluck().get() as number;
      return {
        points: pointsUsed, killed, cursorChecks, notReached, runs, days, survived, byPoint, integrityFailures, auditFailures, truth, decisions, pss, orphanedFeedRuns,
        secrets: { searched: secrets.length, outputs: secretOutputs, bytes: secretBytes, hits: secretHits },
        problems, ms: performance.now() - t0,
      };
    } finally {
      db.close();
    }
  } finally {
    await sandbox.close();
    fs.rmSync(scratch, { recursive: true, force: true });
    if (!o.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Opens the data folder as a host would (no feeds), takes a manual backup, and answers every read method with default input. */
async function readAnswersAndBackup(dataDir: string, now: string): Promise<{ methods: number; text: string }> {
  const backend = createBackend({ dataDir, clock: fixedClock(now), connectors: [], mode: 'live', host: 'headless', version: 'kill-test', backup: false });
  try {
    await backupStore(backend.store, { reason: 'manual' });
    const parts: string[] = [];
    let methods = 0;
    for (const [name, spec] of Object.entries(contract)) {
      if (spec.access !== 'read' && spec.access !== 'public') continue;
      const env = await backend.dispatcher.call(name, {}, { caller: { user: 'admin', role: 'admin' }, transport: 'inproc' });
      methods++;
      parts.push(`${name} ${JSON.stringify(env)}`);
    }
    return { methods, text: parts.join('\n') };
  } finally {
    await backend.close();
  }
}

interface DecisionFacts { id: number; key: string; state: string; failureCode: string | null; decidedBy: string | null }
interface OutboxFacts { id: number; key: string; sequence: number; decisionId: number }

/**
 * What retention moved out of the store (a run passes the 30-day retention ages after about 30 simulated
 * days): the decisions and outbox items of the decision archive files the store lists. Nothing approved
 * may go missing there either, so a listed file that is not there is a problem.
 */
async function readDecisionArchive(db: BetterSqlite3.Database, dataDir: string, problems: string[]): Promise<{ decisions: DecisionFacts[]; outbox: OutboxFacts[] }> {
  const out: { decisions: DecisionFacts[]; outbox: OutboxFacts[] } = { decisions: [], outbox: [] };
  for (const name of db.prepare('SELECT file FROM decision_archives ORDER BY id').pluck().all() as string[]) {
    const file = path.join(dataDir, 'archive', name);
    if (!fs.existsSync(file)) { problems.push(`the decision archive ${name} the store lists is missing`); continue; }
    for await (const line of readArchiveLines(file)) {
      const { decision: d, outbox } = JSON.parse(line) as { decision: { id: number; key: string; state: string; failure_code: string | null; decided_by: string | null }; outbox: { id: number; key: string; sequence: number; decision_id: number }[] };
      out.decisions.push({ id: d.id, key: d.key, state: d.state, failureCode: d.failure_code, decidedBy: d.decided_by });
      for (const o of outbox) out.outbox.push({ id: o.id, key: o.key, sequence: o.sequence, decisionId: o.decision_id });
    }
  }
  return out;
}

/** Every approved decision, in the store or archived, ends pushed, superseded or refused by the PSS (visible as failed with its reason). */
function decisionOutcome(db: BetterSqlite3.Database, archived: readonly DecisionFacts[], problems: string[]): CycleKillReport['decisions'] {
  // by id: a decision archived by a run stopped before it deleted it from the store is in both (the next
  // retention run deletes it), and in the store it is the same row
  const byId = new Map<number, DecisionFacts>();
  let twice = 0;
  for (const d of archived) {
    if (d.decidedBy === null || d.state === 'rejected') continue;
    if (byId.has(d.id)) twice++;
    byId.set(d.id, d);
  }
  for (const d of db.prepare(`SELECT id, key, state, failure_code AS failureCode FROM decisions WHERE decided_by IS NOT NULL AND state <> 'rejected'`).all() as DecisionFacts[]) {
    if (byId.has(d.id)) twice++;
    byId.set(d.id, d);
  }
  const rows = [...byId.values()];
  const d = { approved: rows.length, pushed: 0, superseded: 0, refusedByPss: 0, lost: 0, twice };
  for (const r of rows) {
    if (r.state === 'pushed') d.pushed++;
    else if (r.state === 'superseded' || r.state === 'expired') d.superseded++;
    else if (r.state === 'failed' && r.failureCode && r.failureCode !== 'transport') d.refusedByPss++;
    else { d.lost++; if (d.lost <= 5) problems.push(`decision ${r.id} (${r.key}) was approved but is ${r.state}${r.failureCode ? ` (${r.failureCode})` : ''}`); }
  }
  return d;
}

/** Applications at the PSS: by outbox item (in the store or archived) and by (key, sequence); replays counted apart; the PSS's value per key. */
function pssOutcome(db: BetterSqlite3.Database, archived: { decisions: readonly DecisionFacts[]; outbox: readonly OutboxFacts[] }, apps: ReturnType<typeof withLedger>['ledger']['applications'], replayed: number, problems: string[]): CycleKillReport['pss'] {
  const items = new Map<string, OutboxFacts>();
  for (const r of archived.outbox) items.set(String(r.id), r);
  const decisionState = new Map<number, string>();
  for (const d of archived.decisions) decisionState.set(d.id, d.state);
  for (const d of db.prepare('SELECT id, state FROM decisions').iterate() as IterableIterator<{ id: number; state: string }>) decisionState.set(d.id, d.state);
  const acceptedByDecisionState: Record<string, number> = {};
  for (const r of db.prepare('SELECT id, key, sequence, decision_id AS decisionId FROM outbox_items').iterate() as IterableIterator<OutboxFacts>) {
    items.set(String(r.id), r);
  }
  const byItem = new Map<string, number>();
  const byKeySeq = new Map<string, number>();
  const lastAccepted = new Map<string, { itemId: string; payload: unknown }>();
  for (const a of apps) {
    byItem.set(a.itemId, (byItem.get(a.itemId) ?? 0) + 1);
    const it = items.get(a.itemId);
    if (!it) { problems.push(`the PSS applied item ${a.itemId}, which no outbox row knows`); continue; }
    const ks = `${it.key}#${it.sequence}`;
    byKeySeq.set(ks, (byKeySeq.get(ks) ?? 0) + 1);
    if (a.accepted) {
      lastAccepted.set(it.key, { itemId: a.itemId, payload: a.payload });
      const st = decisionState.get(it.decisionId) ?? 'unknown';
      acceptedByDecisionState[st] = (acceptedByDecisionState[st] ?? 0) + 1;
      if (st !== 'pushed' && st !== 'superseded') problems.push(`the PSS accepted item ${a.itemId}, whose decision ${it.decisionId} is ${st}`);
    }
  }
  const dupItems = [...byItem.values()].filter((n) => n > 1).length;
  const dupKeys = [...byKeySeq.entries()].filter(([, n]) => n > 1);
  for (const [ks] of dupKeys.slice(0, 5)) problems.push(`(key, sequence) ${ks} was applied more than once at the PSS`);
  // the newest pushed decision per key is what the PSS applied last for it
  let wrong = 0;
  // (a window, not a correlated subquery: that one reads every pushed decision once per pushed decision)
  const pushed = db.prepare(`SELECT d.key, o.id AS itemId
      FROM (SELECT id, key, sequence, max(sequence) OVER (PARTITION BY key) AS newest FROM decisions WHERE state = 'pushed') d
      JOIN outbox_items o ON o.decision_id = d.id AND o.sequence = d.sequence
     WHERE d.sequence = d.newest`).all() as { key: string; itemId: number }[];
  for (const p of pushed) {
    const at = lastAccepted.get(p.key);
    if (!at || at.itemId !== String(p.itemId)) { wrong++; if (wrong <= 5) problems.push(`key ${p.key}: the newest pushed decision is item ${p.itemId}, the PSS last applied ${at?.itemId ?? 'nothing'}`); }
  }
  return { applications: apps.length, duplicateApplications: dupItems, duplicateKeySequences: dupKeys.length, replayedBatches: replayed, wrongValue: wrong, acceptedByDecisionState };
}
