/**
 * The workbench under the kill test: one process that opens the data folder (integrity check, audit
 * verification), connects the four feeds to the sandbox and runs the full cycle — sync, curves, pricing,
 * proposals, auto-approval, push — as the headless host does, and kills itself with SIGKILL at its
 * planned point:
 *   sync-before-commit  before the n-th page commit of any feed (the page fetched, nothing written)
 *   sync-after-commit   right after the n-th page commit
 *   price               at the n-th pricing event (a step starting, a partition priced, proposals published)
 *   approve             after the n-th approval (auto-approval commits)
 *   push-before-send    the n-th push, its batch committed to the outbox, before it is sent
 *   push-after-ack      the n-th push, after the PSS acknowledged it, before the answer is committed
 *   push-after-commit   after the n-th answered batch was committed
 * (The harness adds `timed` kills: SIGKILL from outside after a seeded delay.)
 * It prints one JSON line with the cycle's outcome when it completes.
 *
 *   node --import tsx e2e/soak/kill/child.ts '<ChildArgs as JSON>'   (the harness runs it bundled: kill-child.mjs)
 */
import fs from 'node:fs';
import { createBackend } from '../../../engine/backend';
import type { FeedConnector } from '../../../engine/ports/feed-sync';
import type { PssPort } from '../../../engine/ports/pss';
import type { SandboxEndpoints } from '../../../connectors/sandbox/sandbox';
import { buildConnectors } from '../../../electron/backend/connectors';
import { configFromSandbox } from '../../../electron/backend/config';
import { movableClock } from '../../../electron/headless/host';

export const HOOKED_POINTS = ['sync-before-commit', 'sync-after-commit', 'price', 'approve', 'push-before-send', 'push-after-ack', 'push-after-commit'] as const;
export type HookedPoint = (typeof HOOKED_POINTS)[number];

export interface ChildArgs {
  dataDir: string;
  /** the sandbox endpoints (owner-only file) */
  endpointsFile: string;
  /** the sandbox's simulated now: the cycle prices as of it */
  now: string;
  kill: { point: HookedPoint; at: number } | null;
  /** the cycle's steps this run (a headless `dfae sync`, `price`, `push`, or all) */
  steps: { sync: boolean; price: boolean; autoApprove: boolean; push: boolean };
  /** the cycle's pricing horizon and history (small, for speed) */
  horizonDays: number;
  historyDays: number;
  pushBatchSize: number;
  /** bundled worker modules (file URLs) when this child runs bundled (support/bundle.ts) */
  workers?: { pricing: string; stage: string };
}

export interface ChildOutcome {
  done: true;
  runId: number;
  status: string;
  outcome: string | null;
  error: string | null;
  integrityMs: number | null;
  auditOk: boolean | null;
  counts: Record<string, number>;
  steps: string[];
}

const die = (): never => { process.kill(process.pid, 'SIGKILL'); throw new Error('unreachable'); };

export async function runChild(a: ChildArgs): Promise<ChildOutcome> {
  const endpoints = JSON.parse(fs.readFileSync(a.endpointsFile, 'utf8')) as SandboxEndpoints;
  const { config, secrets } = configFromSandbox(endpoints);
  const clock = movableClock(a.now);
  const built = await buildConnectors(config, { secrets, clock });
  const counts: Record<string, number> = {};
  const hit = (point: HookedPoint) => {
    counts[point] = (counts[point] ?? 0) + 1;
    if (a.kill?.point === point && counts[point] === a.kill.at) die();
  };
  const hooked = (c: FeedConnector): FeedConnector => ({
    feed: c.feed,
    endpoint: c.endpoint,
    breaker: () => c.breaker(),
    sync: (ctx) => c.sync({
      ...ctx,
      commit: async (page) => {
        hit('sync-before-commit');
        const r = await ctx.commit(page);
        hit('sync-after-commit');
        return r;
      },
    }),
  });
  const inner = built.pss!;
  const push = <T>(fn: (b: T, s?: AbortSignal) => ReturnType<PssPort['pushFares']>) => async (b: T, s?: AbortSignal) => {
    hit('push-before-send');
    const answer = await fn(b, s);
    hit('push-after-ack');
    return answer;
  };
  const pss: PssPort = { pushFares: push(inner.pushFares.bind(inner)), pushInventoryControls: push(inner.pushInventoryControls.bind(inner)) };
  const backend = createBackend({
    dataDir: a.dataDir, clock, connectors: built.connectors.map(hooked), mode: 'live', host: 'headless', version: 'kill-test',
    decisions: { pss, autoPush: false, expiryIntervalMs: 0, reestimateEveryMs: 0, push: { batchSize: a.pushBatchSize, backoffBaseMs: 10, backoffMaxMs: 50 } },
    offers: { orders: null },
    cycle: {
      workers: 1, network: false, horizonDays: a.horizonDays, historyDays: a.historyDays, push: { deadlineMs: 30_000 },
      ...(a.workers ? { pricingWorkerUrl: new URL(a.workers.pricing), stageWorkerUrl: new URL(a.workers.stage) } : {}),
    },
    backup: false,
    // every log line to stderr, debug included: the harness searches the process's output for the secrets
    log: (level, message, fields) => { process.stderr.write(`${JSON.stringify({ level, message, ...fields })}\n`); },
  });
  backend.events.subscribe((m) => {
    if (m.name === 'cycle.progress' && ['curves', 'price', 'proposals'].includes(m.payload.step)) hit('price');
    else if (m.name === 'decisions.changed' && m.payload.to === 'proposed') hit('price');
    else if (m.name === 'decisions.changed' && m.payload.to === 'approved') hit('approve');
    else if (m.name === 'push.progress' && m.payload.phase === 'answered') hit('push-after-commit');
  });
  if (backend.decisions.workflow.autoApproval.list().length === 0) {
    // what a revenue manager sets before going headless: approve what moves less than 50 %, no alert gate
    backend.decisions.monitoring.alerts.setThresholds('kill-test', { competitorUndercutPct: 100, largeMovePct: 1000 });
    backend.decisions.workflow.autoApproval.save('kill-test', { name: 'within 50 %', enabled: true, kinds: ['fare', 'authorisation', 'bid_price'], origin: null, destination: null, maxChangePct: 50 });
  }
  const audit = await backend.decisions.auditReady;
  try {
    const { report } = await backend.cycle.run({ trigger: 'kill-test', startedBy: 'system:kill-test', steps: a.steps });
    return {
      done: true, runId: report.runId, status: report.status, outcome: report.outcome, error: report.error,
      integrityMs: backend.store.integrity ? Math.round(backend.store.integrity.ms) : null, auditOk: audit ? audit.ok : null, counts,
      steps: report.stepReports.map((s) => `${s.step} ${s.status} ${s.durationMs ?? '-'} ms: ${s.summary}`),
    };
  } finally {
    await backend.close();
    await built.close();
  }
}

if (process.argv[1] && /(child\.ts|kill-child\.mjs)$/.test(process.argv[1])) {
  runChild(JSON.parse(process.argv[2] ?? '{}') as ChildArgs).then(
    (o) => { process.stdout.write(`${JSON.stringify(o)}\n`); process.exit(0); },
    (e) => { process.stderr.write(`${(e as Error).stack ?? e}\n`); process.exit(2); },
  );
}
