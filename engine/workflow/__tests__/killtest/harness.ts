/**
 * The kill test: a child process (child.ts) runs a decision workload against an HTTP PSS and is killed
 * with SIGKILL at planned points — including between the PSS's acknowledgement and the store's commit —
 * then restarted until the workload completes. Afterwards: the store passes its integrity check and the
 * audit chain verifies; every approved decision reached the PSS or was superseded by a newer one; the
 * PSS holds, per key, the newest approved value; no (key, sequence) was applied twice and no older
 * sequence arrived after a newer one (replays are counted apart).
 * `npm test` runs a handful of points; the soak script calls `runKillLoop` with 200 or more.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../../store/db';
import { systemClock } from '../../../domain/time';
import { AuditLog } from '../../audit';
import { auditHeadPath } from '../../auditHead';
import { startHttpPss, type PssStats } from '../pssDouble';
import type { ChildArgs, KillPoint } from './child';

const here = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(here, 'child.ts');
const ROOT = path.resolve(here, '../../../..');

export interface KillPlan { point: KillPoint; at: number }

export interface KillReport {
  /** planned kill points and the runs that actually died at one */
  points: number;
  killed: number;
  /** restarts until the workload completed */
  runs: number;
  /** approved decisions neither pushed nor superseded (must be 0) */
  recordsLost: number;
  /** keys whose PSS value is not the newest approved decision's (must be 0) */
  wrongAtPss: number;
  /** (key, sequence) pairs applied more than once at the PSS (must be 0) */
  duplicateApplications: number;
  /** older sequences that reached the PSS after a newer one (must be 0) */
  outOfOrder: number;
  applied: number;
  replays: number;
  decisions: number;
  integrity: string;
  auditOk: boolean;
  problems: string[];
  ms: number;
}

/** Seeded kill plans: `n` points spread over the four kinds, each at a push / approval count 1..maxAt. */
export function seededPlans(n: number, seed: number, maxAt = 4): KillPlan[] {
  let s = seed >>> 0;
  const next = () => { s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0; return s / 2 ** 32; };
  const kinds: KillPoint[] = ['after-ack', 'before-send', 'after-commit', 'approve'];
  return Array.from({ length: n }, (_, i) => ({ point: kinds[i % kinds.length]!, at: 1 + Math.floor(next() * maxAt) }));
}

function runChild(args: ChildArgs, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(args)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.stdout.resume();
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`kill-test child ${child.pid} did not finish within ${timeoutMs} ms; stderr: ${stderr.slice(-500)}`)); }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stderr }); });
  });
}

export async function runKillLoop(o: { plans: KillPlan[]; cycles: number; departures?: number; batchSize?: number; dataDir?: string; childTimeoutMs?: number }): Promise<KillReport> {
  const t0 = performance.now();
  const dataDir = o.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-kill-'));
  const server = await startHttpPss();
  const problems: string[] = [];
  let killed = 0;
  let runs = 0;
  try {
    const base: ChildArgs = { dataDir, pssUrl: server.url, cycles: o.cycles, departures: o.departures, batchSize: o.batchSize };
    const timeout = o.childTimeoutMs ?? 60_000;
    for (const kill of [...o.plans, null]) {
      for (;;) {
        runs++;
        const r = await runChild({ ...base, kill }, timeout);
        if (r.signal === 'SIGKILL') { killed++; break; }
        if (r.code !== 0) throw new Error(`kill-test child exited with ${r.code}: ${r.stderr.slice(-2000)}`);
        break;
      }
    }
    // the last run (no kill) completed the workload; check it
    const store = openStore({ dataDir, clock: systemClock });
    try {
      const integrity = store.db.pragma('integrity_check', { simple: true }) as string;
      const audit = new AuditLog(store.db, systemClock, auditHeadPath(store.file)).verify();
      if (!audit.ok) problems.push(...audit.problems.map((p) => `audit: ${p.message}`));
      const approved = store.db.prepare(`SELECT id, key, state, sequence, proposed_value, pss_reference FROM decisions WHERE decided_by IS NOT NULL AND state <> 'rejected' ORDER BY id`)
        .all() as { id: number; key: string; state: string; sequence: number; proposed_value: number; pss_reference: string | null }[];
      let lost = 0;
      let wrong = 0;
      const newest = new Map<string, (typeof approved)[number]>();
      for (const d of approved) {
        newest.set(d.key, d);
        if (d.state !== 'pushed' && d.state !== 'superseded') { lost++; problems.push(`decision ${d.id} was approved but is ${d.state}`); }
        if (d.state === 'pushed' && server.pss.references.get(`${d.key}#${d.sequence}`) !== d.pss_reference) {
          wrong++; problems.push(`decision ${d.id} records PSS reference ${d.pss_reference}, the PSS gave ${server.pss.references.get(`${d.key}#${d.sequence}`)}`);
        }
      }
      for (const [key, d] of newest) {
        const at = server.pss.state.get(key);
        if (d.state !== 'pushed' || !at || at.sequence !== d.sequence || (at.payload as { amountMinor: number }).amountMinor !== d.proposed_value) {
          wrong++;
          problems.push(`key ${key}: newest approved decision ${d.id} (sequence ${d.sequence}, ${d.state}) but the PSS holds ${at ? `sequence ${at.sequence}` : 'nothing'}`);
        }
      }
      const stats: PssStats = server.pss.stats;
      return {
        points: o.plans.length, killed, runs, recordsLost: lost, wrongAtPss: wrong, duplicateApplications: stats.duplicates, outOfOrder: stats.outOfOrder,
        applied: stats.applied, replays: stats.replays, decisions: store.db.prepare('SELECT count(*) FROM decisions').pluck().get() as number,
        integrity, auditOk: audit.ok, problems, ms: performance.now() - t0,
      };
    } finally {
      store.close();
    }
  } finally {
    await server.close();
    if (!o.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The long version for the soak script: `points` seeded kill points (200 or more) over enough cycles to reach them all. */
export function soakKillTest(points = 200, seed = 1, dataDir?: string): Promise<KillReport> {
  return runKillLoop({ plans: seededPlans(points, seed), cycles: Math.ceil(points / 2) + 2, departures: 6, batchSize: 4, dataDir, childTimeoutMs: 120_000 });
}
