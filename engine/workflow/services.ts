/**
 * People, decisions and monitoring as the backend runs them: the user service and sessions, the
 * decision workflow with its push worker, alerts, KPIs and the elasticity feedback, their API handlers,
 * and the wiring between them — audit verification at start (reported as an event and an alert), feed
 * states to alerts, push results to alerts, override expiry on a timer, re-estimation after PSS syncs.
 */
import type { Store } from '../store/db';
import type { EventBus } from '../events/bus';
import type { FeedStatus } from '../api/contract/feeds';
import type { AuditStatus } from '../api/contract/decisions';
import type { Handlers } from '../api/dispatch';
import type { authContract } from '../api/contract/auth';
import type { decisionsContract } from '../api/contract/decisions';
import type { monitoringContract } from '../api/contract/monitoring';
import type { PssPort } from '../ports/pss';
import { UserService } from '../auth/users';
import { SessionRegistry } from '../auth/sessions';
import type { ScryptParams } from '../auth/password';
import { authHandlers } from '../api/handlers/auth';
import { auditStatusOf, decisionsHandlers } from '../api/handlers/decisions';
import { monitoringHandlers } from '../api/handlers/monitoring';
import { createMonitoring, type Monitoring } from '../monitoring/index';
import type { ElasticityOptions } from '../monitoring/elasticity';
import { createWorkflow, type Workflow } from './index';
import { toPushBatchRow } from './repository';
import type { AuditVerification } from './audit';
import { runStage } from '../cycle/stageWorker';
import { CancelledError } from '../cycle/price';
import type { DecisionPayload, Guardrails } from './types';
import { allowedNext, type DecisionState } from './lifecycle';
import { diskSpaceOf, type DiskSpace } from '../monitoring/disk';

/** The moves out of `proposed` (an approval lands as queued): only they change the pending large moves; push answers do not. */
const LEAVES_PROPOSED: ReadonlySet<DecisionState> = new Set([...allowedNext('proposed'), 'queued']);

type Log = (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => void;

export interface DecisionServicesOptions {
  /** the PSS push port (the sandbox's or a real PSS adapter); without it decisions queue but do not push */
  pss?: PssPort | null;
  /** drain the outbox in the background as decisions are approved and retries fall due (default: on when a PSS is set) */
  autoPush?: boolean;
  push?: { batchSize?: number; maxAttempts?: number; backoffBaseMs?: number; backoffMaxMs?: number };
  /** the market's guardrails (pricing settings) for proposals and overrides that carry none */
  guardrailsFor?: (p: DecisionPayload) => Guardrails | null;
  /** scrypt cost (tests lower it) */
  scrypt?: ScryptParams;
  /** how often overrides past their expiry are expired (0: only when decisions are written) */
  expiryIntervalMs?: number;
  /** re-estimate elasticities after a successful PSS sync, at most this often (0: never automatically) */
  reestimateEveryMs?: number;
  elasticity?: ElasticityOptions;
  /**
   * chains of at least this many rows are verified in a worker thread over its own read-only connection
   * (default 100,000, under a second on the writing thread), so a start on a large store does not wait
   * for it; 0: always in a worker
   */
  auditWorkerFromRows?: number;
  /** the bundled stage worker for packaged hosts (default: engine/cycle/worker.ts through tsx) */
  stageWorkerUrl?: URL;
  /** free space of the data folder's disk, checked after each sync and by the alerts check (default: statfs of the data folder) */
  diskSpace?: () => DiskSpace;
}

export interface DecisionServices {
  users: UserService;
  sessions: SessionRegistry;
  workflow: Workflow;
  monitoring: Monitoring;
  /** the last audit verification (at start, or by audit.verify since); null while the first runs */
  auditStatus(): AuditStatus | null;
  /** the verification started at start (null: stopped by close before it ended) */
  auditReady: Promise<AuditStatus | null>;
  handlers: Handlers<typeof authContract & typeof decisionsContract & typeof monitoringContract>;
  close(): Promise<void>;
}

export function createDecisionServices(
  deps: { store: Store; events: EventBus; feedStatus: () => FeedStatus[]; log?: Log },
  o: DecisionServicesOptions = {},
): DecisionServices {
  const { store, events, log } = deps;
  const { db, clock } = store;
  let monitoring: Monitoring | null = null;
  const workflow = createWorkflow({
    db, clock, dbFile: store.file, pss: o.pss ?? null, ...o.push, guardrailsFor: o.guardrailsFor, log,
    onChanged: (ids, to, by) => {
      events.emit('decisions.changed', { count: ids.length, ids: ids.slice(0, 1_000), to, by });
      if (LEAVES_PROPOSED.has(to)) monitoring?.alerts.decided();
    },
    onProposed: (rows) => monitoring?.alerts.proposed(rows),
    onPushProgress: (e) => events.emit('push.progress', e),
    onPushAnswered: (batch, _pushed, failed) => {
      monitoring?.alerts.pushAnswered(batch, failed);
      const row = workflow.outbox.batch(batch.id);
      if (row) events.emit('push.result', toPushBatchRow(row));
    },
    onPushFailed: (batch, error, failed) => {
      monitoring?.alerts.pushFailed(batch, error, failed.length);
      events.emit('push.result', toPushBatchRow(batch));
    },
  });
  monitoring = createMonitoring({ db, clock, audit: workflow.audit, emit: (name, row) => events.emit(name, row), elasticity: o.elasticity });
  const users = new UserService({ db, clock, audit: workflow.audit, scrypt: o.scrypt });
  const sessions = new SessionRegistry();

  let lastAudit: AuditStatus | null = null;
  const settle = (v: AuditVerification): AuditStatus => {
    // a clean chain brings a missing or lagging head file up to date (the worker's connection is read-only)
    if (v.ok && v.head && v.fileHead?.seq !== v.head.seq) workflow.audit.writeHead();
    lastAudit = auditStatusOf(v);
    events.emit('audit.verified', lastAudit);
    if (!lastAudit.ok) {
      log?.('error', 'audit trail failed verification', { problems: lastAudit.problems.slice(0, 5) });
      monitoring!.alerts.auditChecked(lastAudit);
    } else if (lastAudit.problems.length) {
      log?.('warn', 'audit trail note', { problems: lastAudit.problems });
    }
    return lastAudit;
  };
  // one verification at a time; the scope (head file and last row) is taken here, on the writing thread
  const stopVerifying = new AbortController();
  let verifying: Promise<AuditStatus> | null = null;
  const verifyAudit = (): Promise<AuditStatus> => {
    if (verifying) return verifying;
    const scope = workflow.audit.scope();
    if ((scope.upToSeq ?? 0) < (o.auditWorkerFromRows ?? 100_000)) return Promise.resolve(settle(workflow.audit.verify(scope, { writeHead: false })));
    log?.('info', 'verifying the audit trail in the background', { rows: scope.upToSeq });
    verifying = runStage<AuditVerification>({ kind: 'audit', dataDir: store.dataDir, now: clock.now().toISOString(), scope }, { signal: stopVerifying.signal, workerUrl: o.stageWorkerUrl })
      .then(settle, (e: unknown) => {
        if (e instanceof CancelledError) throw e;
        // a worker that cannot start must not leave the chain unverified
        log?.('warn', 'audit verification worker failed; verifying on this thread', { error: (e as Error).message });
        return settle(workflow.audit.verify(scope, { writeHead: false }));
      })
      .finally(() => { verifying = null; });
    return verifying;
  };
  const auditReady = verifyAudit().catch((e: unknown) => {
    if (e instanceof CancelledError) return null;
    log?.('error', 'audit verification failed', { error: (e as Error).message });
    return null;
  });

  const diskSpace = o.diskSpace ?? (() => diskSpaceOf(store.dataDir));
  let lastReestimate = 0;
  const unsubscribe = events.subscribe((m) => {
    try {
      if (m.name === 'feed.status') monitoring!.alerts.checkFeed(m.payload);
      if (m.name === 'feed.run') monitoring!.alerts.checkDisk(diskSpace());
      if (m.name === 'feed.run' && (m.payload.status === 'ok' || m.payload.status === 'degraded')) {
        if (m.payload.feed === 'competitor') monitoring!.alerts.checkCompetitors();
        const every = o.reestimateEveryMs ?? 3_600_000;
        if (m.payload.feed === 'pss' && every > 0 && Date.now() - lastReestimate >= every) {
          lastReestimate = Date.now();
          setImmediate(() => {
            monitoring!.elasticity.reestimate().catch((e: unknown) => log?.('error', 'elasticity re-estimation failed', { error: (e as Error).message }));
          });
        }
      }
    } catch (e) {
      log?.('error', 'monitoring listener failed', { event: m.name, error: (e as Error).message });
    }
  });

  const expiryMs = o.expiryIntervalMs ?? 60_000;
  const expiry = expiryMs > 0 ? setInterval(() => {
    try { workflow.decisions.expireDue(); } catch (e) { log?.('error', 'override expiry failed', { error: (e as Error).message }); }
  }, expiryMs) : null;
  expiry?.unref();
  if (o.pss && o.autoPush !== false) workflow.worker.start();

  const handlers = {
    ...authHandlers({ users, sessions }),
    ...decisionsHandlers({ wf: workflow, verifyAudit, lastAudit: () => lastAudit }),
    ...monitoringHandlers({ monitoring, feedStatus: deps.feedStatus, diskSpace }),
  };
  return {
    users, sessions, workflow, monitoring, handlers,
    auditStatus: () => lastAudit,
    auditReady,
    async close() {
      stopVerifying.abort();
      await auditReady;
      unsubscribe();
      if (expiry) clearInterval(expiry);
      await workflow.worker.stop();
    },
  };
}
