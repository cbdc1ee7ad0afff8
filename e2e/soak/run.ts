/**
 * npm run soak — kill -9, fuzz and load, with the figures issue 11 asks for:
 *   tsx e2e/soak/run.ts [--quick] [--kills N] [--fuzz-runs N] [--bookings N] [--fare-changes N] [--seed N] [--only kill,fuzz,load] [--json]
 *
 * - kill: the cycle (sync → pricing → approval → push) in a child process against the sandbox, SIGKILLed
 *   at N seeded points (kill/harness.ts); after each restart the store's integrity and audit chain, at the
 *   end the store against the sandbox's logs (records lost), exactly-once application at the PSS
 *   (duplicate applications, replays apart), every approved decision accounted for, and the sandbox's
 *   credentials searched for in every output (logs, data folder and backup, API answers);
 * - fuzz: every API method through the dispatcher (engine/fuzz/apiFuzz.ts) and the four ingestion paths
 *   (fuzz/ingest.ts), N cases per method or path;
 * - load: N generated bookings streamed by the PSS sync, then M fare changes pushed through the queue
 *   (load/harness.ts): peak memory and the longest event-loop block of the workbench process.
 *
 * Exits 1 when a must-be-zero figure is not zero (records lost, duplicate applications, fuzz crashes and
 * failures, kills not survived, secrets found, fare changes not drained); the event-loop block over 100 ms
 * is reported as such.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend } from '../../engine/backend';
import { fixedClock } from '../../engine/domain/time';
import { contract } from '../../engine/api/contract/index';
import { fuzzApi, type ApiFuzzReport } from '../../engine/fuzz/apiFuzz';
import { runCycleKillLoop, seededCyclePlans, type CycleKillReport } from './kill/harness';
import { fuzzIngestion, type IngestFuzzReport } from './fuzz/ingest';
import { runLoad, type LoadReport } from './load/harness';

export interface SoakOptions {
  quick: boolean;
  kills: number;
  fuzzRuns: number;
  bookings: number;
  fareChanges: number;
  seed: number;
  only: Set<'kill' | 'fuzz' | 'load'>;
  json: boolean;
}

export interface SoakReport {
  options: Omit<SoakOptions, 'only'> & { only: string[] };
  kill: CycleKillReport | null;
  fuzz: { api: ApiFuzzReport; ingest: IngestFuzzReport } | null;
  load: LoadReport | null;
  figures: {
    killPointsSurvived: string;
    recordsLost: number;
    duplicateApplications: number;
    replayedBatches: number;
    fuzzCases: number;
    fuzzCrashes: number;
    fuzzFailures: number;
    secretsFound: number;
    peakMemoryMb: number | null;
    longestLoopBlockMs: number | null;
  };
  mustBeZero: Record<string, number>;
  ok: boolean;
  ms: number;
}

export function parseArgs(argv: readonly string[]): SoakOptions {
  const quick = argv.includes('--quick');
  const num = (name: string, dflt: number) => {
    const i = argv.indexOf(name);
    if (i < 0) return dflt;
    const v = Number(argv[i + 1]);
    if (!Number.isInteger(v) || v < 0) throw new Error(`${name} takes a whole number ≥ 0, got "${argv[i + 1] ?? ''}"`);
    return v;
  };
  const onlyAt = argv.indexOf('--only');
  const only = new Set((onlyAt >= 0 ? (argv[onlyAt + 1] ?? '') : 'kill,fuzz,load').split(',').filter(Boolean)) as SoakOptions['only'];
  for (const s of only) if (!['kill', 'fuzz', 'load'].includes(s)) throw new Error(`--only takes kill, fuzz and/or load, got "${s}"`);
  return {
    quick,
    kills: num('--kills', quick ? 9 : 200),
    fuzzRuns: num('--fuzz-runs', quick ? 10 : 300),
    bookings: num('--bookings', quick ? 20_000 : 1_000_000),
    fareChanges: num('--fare-changes', quick ? 1_000 : 100_000),
    seed: num('--seed', 20261125),
    only,
    json: argv.includes('--json'),
  };
}

async function fuzzAll(o: SoakOptions, log: (s: string) => void): Promise<{ api: ApiFuzzReport; ingest: IngestFuzzReport }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-soak-apifuzz-'));
  const backend = createBackend({ dataDir: dir, clock: fixedClock('2026-03-01T08:00:00.000Z'), connectors: [], mode: 'sandbox', host: 'test', version: 'soak', backup: false, decisions: { autoPush: false, expiryIntervalMs: 0 } });
  let api: ApiFuzzReport;
  try {
    api = await fuzzApi({ dispatcher: backend.dispatcher, contract, numRuns: o.fuzzRuns, seed: o.seed });
  } finally {
    await backend.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  log(`fuzz api: ${api.cases} cases over ${api.methods} methods, ${api.failures.length} failures (${JSON.stringify(api.outcomes)})`);
  const ingest = await fuzzIngestion({ numRuns: o.fuzzRuns, seed: o.seed });
  log(`fuzz ingestion: ${ingest.cases} cases, ${ingest.crashes} crashes, ${ingest.failures.length} failures`);
  return { api, ingest };
}

export async function runSoak(o: SoakOptions, log: (s: string) => void = () => {}): Promise<SoakReport> {
  const t0 = performance.now();
  let kill: CycleKillReport | null = null;
  let fuzz: SoakReport['fuzz'] = null;
  let load: LoadReport | null = null;
  if (o.only.has('fuzz')) fuzz = await fuzzAll(o, log);
  if (o.only.has('load')) {
    log(`load: ${o.bookings.toLocaleString('en-US')} bookings, ${o.fareChanges.toLocaleString('en-US')} fare changes …`);
    load = await runLoad({ bookings: o.bookings, fareChanges: o.fareChanges });
    log(`load: sync ${load.sync.ms} ms peak ${load.sync.rssPeakMb} MB, push ${load.push.ms} ms`);
  }
  if (o.only.has('kill')) {
    // twice the plans needed: a planned point the run finishes before reaching is no kill; stop at o.kills kills
    const plans = seededCyclePlans(o.kills * 2, o.seed);
    kill = await runCycleKillLoop({ plans, seed: 7, stopAfterKills: o.kills, onProgress: (l) => log(`kill ${l}`) });
  }
  const fuzzCases = fuzz ? fuzz.api.cases + fuzz.ingest.cases : 0;
  const fuzzCrashes = fuzz ? fuzz.ingest.crashes + fuzz.api.failures.filter((f) => /threw|no answer/.test(f.problem)).length : 0;
  const fuzzFailures = fuzz ? fuzz.api.failures.length + fuzz.ingest.failures.length : 0;
  const figures: SoakReport['figures'] = {
    killPointsSurvived: kill ? `${kill.survived} of ${kill.killed} kills (${kill.points} points planned, ${kill.notReached} runs finished before their point)` : 'not run',
    recordsLost: (kill ? kill.truth.lost + kill.decisions.lost : 0) + (load ? load.lost : 0),
    duplicateApplications: kill ? kill.pss.duplicateApplications + kill.pss.duplicateKeySequences : 0,
    replayedBatches: kill ? kill.pss.replayedBatches : 0,
    fuzzCases,
    fuzzCrashes,
    fuzzFailures,
    secretsFound: kill ? kill.secrets.hits.length : 0,
    peakMemoryMb: load ? load.sync.rssPeakMb : null,
    longestLoopBlockMs: load ? Math.max(load.sync.loopMaxMs, load.push.loopMaxMs) : null,
  };
  const mustBeZero: Record<string, number> = {
    'records lost': figures.recordsLost,
    'duplicate applications at the PSS': figures.duplicateApplications,
    'fuzz crashes': figures.fuzzCrashes,
    'fuzz failures': figures.fuzzFailures,
    'kills not survived': kill ? kill.killed - kill.survived : 0,
    'feed cursor checks failed': kill ? kill.cursorChecks.failed : 0,
    'secrets found in outputs': figures.secretsFound,
    'fare changes not drained': load ? load.undrained : 0,
    'duplicate rows in the store': kill ? kill.truth.duplicates : 0,
    'wrong value at the PSS': kill ? kill.pss.wrongValue : 0,
    'kill-test problems': kill ? kill.problems.length : 0,
    'load problems': load ? load.problems.length : 0,
  };
  return {
    options: { ...o, only: [...o.only] }, kill, fuzz, load, figures, mustBeZero,
    ok: Object.values(mustBeZero).every((v) => v === 0), ms: Math.round(performance.now() - t0),
  };
}

export function printReport(r: SoakReport, out: (s: string) => void): void {
  const f = r.figures;
  const n = (x: number) => x.toLocaleString('en-US');
  out('');
  out(`DFAE soak ${r.options.quick ? '(quick) ' : ''}— ${((r.ms) / 60_000).toFixed(1)} min`);
  out(`kill points survived          ${f.killPointsSurvived}`);
  if (r.kill) {
    out(`  by point                    ${Object.entries(r.kill.byPoint).map(([k, v]) => `${k} ${v.killed}/${v.planned}`).join(', ')}`);
    out(`  feed cursors                ${r.kill.cursorChecks.checked} checks of the store against the sandbox's logs after a day's killed and resumed syncs, ${r.kill.cursorChecks.failed} failed`);
    out(`  store vs sandbox            bookings ${n(r.kill.truth.bookings.present)}/${n(r.kill.truth.bookings.expected)}, demand ${n(r.kill.truth.demand.present)}/${n(r.kill.truth.demand.expected)}, competitor ${n(r.kill.truth.competitor.present)}/${n(r.kill.truth.competitor.expected)} (${r.kill.days} simulated days, ${r.kill.runs} runs)`);
    out(`  decisions                   ${n(r.kill.decisions.approved)} approved: ${n(r.kill.decisions.pushed)} pushed, ${n(r.kill.decisions.superseded)} superseded, ${r.kill.decisions.refusedByPss} refused by the PSS, ${r.kill.decisions.lost} lost; ${n(r.kill.decisions.twice)} found twice (archive files and store)`);
    out(`  PSS applications            ${n(r.kill.pss.applications)}; replayed batches (answered from the idempotency store, not applied) ${r.kill.pss.replayedBatches}`);
    const byState = r.kill.pss.acceptedByDecisionState;
    out(`  accepted, by decision       ${Object.entries(byState).map(([k, v]) => `${k} ${n(v)}`).join(', ')}${byState.superseded ? ' (superseded: applied, then a newer decision for the key came before a kill let its acknowledgement be recorded)' : ''}`);
    out(`  feed runs left "running"    ${r.kill.orphanedFeedRuns} (runs of killed processes; the next start does not close them)`);
    out(`  secret search               ${r.kill.secrets.searched} secrets in ${n(r.kill.secrets.outputs)} outputs (${(r.kill.secrets.bytes / 1e6).toFixed(1)} MB): ${r.kill.secrets.hits.length} found`);
  }
  out(`records lost                  ${f.recordsLost}   (must be 0)`);
  out(`duplicate applications at PSS ${f.duplicateApplications}   (must be 0; replays counted apart: ${f.replayedBatches})`);
  out(`fuzz cases tried              ${n(f.fuzzCases)}${r.fuzz ? ` (API ${n(r.fuzz.api.cases)} over ${r.fuzz.api.methods} methods; ingestion ${Object.entries(r.fuzz.ingest.paths).map(([p, x]) => `${p} ${x.cases}`).join(', ')})` : ''}`);
  out(`fuzz crashes                  ${f.fuzzCrashes}   (must be 0; other failed expectations: ${f.fuzzFailures - f.fuzzCrashes})`);
  if (r.fuzz) {
    const i = r.fuzz.ingest.paths;
    out(`  ingestion records           ${Object.entries(i).map(([p, x]) => `${p} ${n(x.received)} in: ${n(x.written)} written, ${n(x.quarantined)} quarantined, ${n(x.validLanded)} valid checked landed, ${x.refusedWhole} inputs refused whole`).join('; ')}`);
  }
  if (r.load) {
    out(`peak memory during the sync   ${r.load.sync.rssPeakMb} MB rss (from ${r.load.sync.rssStartMb} MB; heap peak ${r.load.sync.heapPeakMb} MB) syncing ${n(r.load.sync.recordsIn)} records (${n(r.load.sync.generatedStored)} of ${n(r.options.bookings)} generated bookings stored) in ${(r.load.sync.ms / 1000).toFixed(1)} s`);
    out(`longest event-loop block      ${f.longestLoopBlockMs} ms${f.longestLoopBlockMs !== null && f.longestLoopBlockMs > 100 ? '   (OVER the 100 ms goal)' : ''} — sync ${r.load.sync.loopMaxMs} ms (p99 ${r.load.sync.loopP99Ms}), push ${r.load.push.loopMaxMs} ms (p99 ${r.load.push.loopP99Ms}: publish ${r.load.push.steps.publish.loopMaxMs}, approve ${r.load.push.steps.approve.loopMaxMs}, drain ${r.load.push.steps.drain.loopMaxMs})`);
    out(`push queue                    ${n(r.load.push.queued)} fare changes: ${n(r.load.push.accepted)} accepted, ${n(r.load.push.rejected)} rejected in ${n(r.load.push.batches)} batches, ${r.load.push.pendingAfter} left (${(r.load.push.ms / 1000).toFixed(1)} s; peak ${r.load.push.rssPeakMb} MB)`);
  } else {
    out('peak memory during the sync   not run');
    out('longest event-loop block      not run');
  }
  const problems = [...(r.kill?.problems ?? []), ...(r.load?.problems ?? []), ...(r.fuzz?.api.failures.map((x) => `api ${x.method}: ${x.problem} (input ${x.input})`) ?? []), ...(r.fuzz?.ingest.failures ?? [])];
  for (const p of problems.slice(0, 20)) out(`  problem: ${p}`);
  const bad = Object.entries(r.mustBeZero).filter(([, v]) => v !== 0);
  out(bad.length === 0 ? 'verdict                       ok: every must-be-zero figure is zero' : `verdict                       FAILED: ${bad.map(([k, v]) => `${k} ${v}`).join(', ')}`);
}

if (process.argv[1] && /soak[\\/]run\.ts$/.test(process.argv[1])) {
  const o = parseArgs(process.argv.slice(2));
  const log = (s: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${s}\n`);
  runSoak(o, log).then((r) => {
    if (o.json) process.stdout.write(`${JSON.stringify(r)}\n`);
    else printReport(r, (s) => process.stdout.write(`${s}\n`));
    process.exitCode = r.ok ? 0 : 1;
  }, (e) => {
    process.stderr.write(`soak failed: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 2;
  });
}
