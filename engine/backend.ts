/**
 * The backend every host runs: the store, the event bus, the feed service and the API dispatcher.
 * Hosts (desktop, web bridge, headless CLI, tests) build connectors from configuration and pass them in.
 */
import { openStore, type Store } from './store/db';
import { EventBus } from './events/bus';
import { FeedService } from './etl/feedService';
import { createDispatcher, type Dispatcher, type Handlers } from './api/dispatch';
import { contract, type Contract } from './api/contract/index';
import type { SystemInfo } from './api/contract/system';
import type { FeedConnector } from './ports/feed-sync';
import type { FeedName } from './domain/types';
import type { Clock } from './domain/time';
import { systemHandlers } from './api/handlers/system';
import { flightsHandlers } from './api/handlers/flights';
import { faresHandlers } from './api/handlers/fares';
import { feedsHandlers } from './api/handlers/feeds';
import { reconcileSchedule } from './etl/reconcile';
import { createDecisionServices, type DecisionServices, type DecisionServicesOptions } from './workflow/services';
import { settingsHandlers, pricingGuardrailsFor } from './api/handlers/settings';
import { analyticsHandlers } from './api/handlers/analytics';
import { influencesHandlers } from './api/handlers/influences';
import { DemandInfluences } from './pricing/influences';
import { simulationsHandlers } from './api/handlers/simulations';
import { SimulationJobs } from './whatif/jobs';
import { archiveHandlers } from './api/handlers/archive';
import { offersHandlers } from './api/handlers/offers';
import { OfferService, orderPortOf } from './offers/service';
import type { OfferOrderPort } from './ports/pss';
import type { SecretStore } from './ports/secrets';
import { CycleService, type CycleServiceOptions } from './cycle/service';
import { cycleHandlers } from './api/handlers/cycle';
import { listBackups, startBackupSchedule, type BackupSchedule } from './store/backup';
import { runStage, workerBackupInspector } from './cycle/stageWorker';
import { CHECKPOINT_THREAD_INTERVAL_MS, HostCheckpointer, HOST_CHECKPOINT_MIN_FRAMES, type CheckpointerResult } from './store/checkpoints';

export interface BackendOptions {
  dataDir: string;
  clock?: Clock;
  connectors: FeedConnector[];
  mode: SystemInfo['mode'];
  host: SystemInfo['host'];
  version: string;
  nativeBinding?: string;
  expectedIntervalMs?: Partial<Record<FeedName, number>>;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => void;
  /** people, decisions, PSS pushes and monitoring (the PSS port, auto-push, guardrails…) */
  decisions?: DecisionServicesOptions;
  /** where connector credentials entered in the settings are kept (desktop: OS keychain; headless/web: owner-only file) */
  secrets?: SecretStore;
  /**
   * offers: the PSS's order creation; by default the decisions' PSS port when it creates orders too (the PSS
   * adapter does); null: offers are shopped but not ordered
   */
  offers?: { orders?: OfferOrderPort | null };
  /** the full cycle (sync → price → auto-approve → push): pool size, horizon, network stage, push deadline */
  cycle?: CycleServiceOptions;
  /**
   * online backups into <dataDir>/backups on a schedule (default: daily, the newest 7 kept; the first one
   * when the newest is older than the interval, at the earliest 5 minutes after start); false: none
   */
  backup?: { intervalMs?: number; keep?: number } | false;
  /**
   * the write-ahead log copied into the database by a thread of its own (store/checkpoints.ts), started
   * once 1,000 frames wait; false: by the host's commits only (db.ts wal_autocheckpoint), as before
   */
  checkpoints?: { minFrames?: number; checkEveryMs?: number } | false;
}

export interface Backend {
  store: Store;
  events: EventBus;
  feeds: FeedService;
  dispatcher: Dispatcher;
  decisions: DecisionServices;
  offers: OfferService;
  /** the full cycle, for the desktop's "run cycle" and the headless `dfae` command */
  cycle: CycleService;
  /** the backup schedule (null when switched off) */
  backups: BackupSchedule | null;
  /** the checkpoint thread's starter (null when switched off) */
  checkpointer: HostCheckpointer | null;
  close(): Promise<void>;
}

export function createBackend(opts: BackendOptions): Backend {
  const store = openStore({
    dataDir: opts.dataDir, clock: opts.clock, nativeBinding: opts.nativeBinding,
    onNotice: (message) => opts.log?.('info', message, {}),
    onSlowQuery: (sql, ms) => opts.log?.('warn', 'slow query', { ms: Math.round(ms), sql: sql.replace(/\s+/g, ' ').slice(0, 200) }),
  });
  const events = new EventBus(store.clock);
  const feeds = new FeedService({
    db: store.db, clock: store.clock, events, connectors: opts.connectors, expectedIntervalMs: opts.expectedIntervalMs, log: opts.log,
    afterRun: (feed, status) => ((feed === 'schedule' || feed === 'pss') && (status === 'ok' || status === 'degraded') ? reconcileAfterSync(store) : undefined),
  });
  const decisions = createDecisionServices({ store, events, feedStatus: () => feeds.status(), log: opts.log }, { guardrailsFor: pricingGuardrailsFor(store.db), stageWorkerUrl: opts.cycle?.stageWorkerUrl, ...opts.decisions });
  const offers = new OfferService({ store, orders: opts.offers?.orders !== undefined ? opts.offers.orders : orderPortOf(opts.decisions?.pss) });
  const cycle = new CycleService({ store, events, feeds, workflow: decisions.workflow, host: opts.host, log: opts.log }, opts.cycle);
  const simulations = new SimulationJobs({ db: store.db, now: () => store.now(), onChange: (job) => events.emit('simulation.progress', job) });
  const handlers: Handlers<Contract> = {
    ...systemHandlers({ store, version: opts.version, mode: opts.mode, host: opts.host }),
    ...flightsHandlers({ db: store.db }),
    ...faresHandlers({ db: store.db }),
    ...feedsHandlers({ feeds, db: store.db }),
    ...decisions.handlers,
    ...settingsHandlers({ store, audit: decisions.workflow.audit, secrets: opts.secrets, mode: opts.mode, feedStatus: () => feeds.status() }),
    ...analyticsHandlers({ db: store.db, now: () => store.now() }),
    ...offersHandlers({ offers }),
    ...cycleHandlers({ cycle }),
    ...simulationsHandlers({ db: store.db, jobs: simulations }),
    ...archiveHandlers({ store }),
    ...influencesHandlers({ influences: new DemandInfluences(store.db, () => store.now(), decisions.workflow.audit), now: () => store.now() }),
  };
  const backups = opts.backup === false ? null : scheduleBackups(store, opts.backup ?? {}, opts.log, opts.nativeBinding, opts.cycle?.stageWorkerUrl);
  const checkpointer = opts.checkpoints === false ? null : startCheckpoints(store, opts.checkpoints ?? {}, opts.log, opts.nativeBinding, opts.cycle?.stageWorkerUrl);
  const dispatcher = createDispatcher(contract, handlers, {
    onInternalError: (method, e) => opts.log?.('error', 'API handler failed', { method, error: (e as Error).stack ?? String(e) }),
  });
  return {
    store, events, feeds, dispatcher, decisions, offers, cycle, backups, checkpointer,
    async close() {
      await backups?.stop();
      await simulations.close();
      await cycle.close();
      await decisions.close();
      await feeds.stopAll();
      // before the host's connection closes: the last connection to close removes the log
      await checkpointer?.stop();
      store.close();
    },
  };
}

export const DEFAULT_BACKUP_INTERVAL_MS = 24 * 3_600_000;

function scheduleBackups(store: Store, o: { intervalMs?: number; keep?: number }, log: BackendOptions['log'], nativeBinding?: string, stageWorkerUrl?: URL): BackupSchedule {
  const intervalMs = o.intervalMs ?? DEFAULT_BACKUP_INTERVAL_MS;
  const inspect = workerBackupInspector({ nativeBinding, workerUrl: stageWorkerUrl });
  const newest = listBackups(store.dataDir).find((b) => b.reason === 'scheduled');
  const age = newest ? Date.now() - Date.parse(newest.at) : Infinity;
  return startBackupSchedule(store, {
    intervalMs, keep: o.keep, nativeBinding, inspect, firstAfterMs: Math.max(5 * 60_000, Math.min(intervalMs, intervalMs - age)),
    onBackup: (r) => log?.('info', 'backup taken', { file: r.file, bytes: r.bytes, ms: Math.round(r.ms), auditSeq: r.head?.seq ?? null, rotatedOut: r.rotatedOut.length }),
    onError: (e) => log?.('error', 'backup failed', { error: e.message }),
  });
}

/** The checkpoint thread, run by a stage worker (cycle/worker.ts) over its own connection. */
function startCheckpoints(store: Store, o: { minFrames?: number; checkEveryMs?: number }, log: BackendOptions['log'], nativeBinding?: string, workerUrl?: URL): HostCheckpointer {
  const minFrames = o.minFrames ?? HOST_CHECKPOINT_MIN_FRAMES;
  return new HostCheckpointer({
    db: store.db, minFrames, checkEveryMs: o.checkEveryMs,
    start: (stop) => runStage<CheckpointerResult>({ kind: 'checkpoints', dataDir: store.dataDir, nativeBinding, stop, intervalMs: CHECKPOINT_THREAD_INTERVAL_MS, minFrames },
      { signal: new AbortController().signal, workerUrl, unref: true }),
    onError: (e) => log?.('warn', 'the checkpoint thread failed: the host copies the write-ahead log itself', { error: e.message }),
  });
}

/**
 * After a schedule or PSS sync: reconcile the planned schedule with the operated flights from today to the
 * last planned date, when both sides have data. Mismatches are flagged, never overwritten.
 */
function reconcileAfterSync(store: Store): Record<string, unknown> | undefined {
  const today = store.now().slice(0, 10);
  const range = store.db.prepare(`SELECT max(local_date) AS toDate FROM planned_legs WHERE local_date >= ?`).get(today) as { toDate: string | null };
  const hasFlights = store.db.prepare('SELECT 1 FROM flights WHERE local_date >= ? LIMIT 1').get(today) !== undefined;
  if (!range.toDate || !hasFlights) return undefined;
  const r = reconcileSchedule(store.db, { fromDate: today, toDate: range.toDate }, () => store.now());
  return { reconciliation: { fromDate: today, toDate: range.toDate, planned: r.planned, operated: r.operated, mismatches: r.mismatches.length, opened: r.opened, resolved: r.resolved } };
}
