/**
 * `dfae run`, `dfae sync`, `dfae price`, `dfae push`: the cycle, whole or in part, once or on a schedule.
 *
 * One-shot commands take the data folder's cycle lock before starting anything (a second instance is
 * refused at once with exit code 3) and release it at exit. A schedule takes it for each run and skips a
 * slot, with a warning, when another process holds it. SIGTERM / SIGINT stop the run in progress cleanly
 * (a push finishes the batch in flight or abandons it after --push-grace; the outbox keeps it); a second
 * signal exits at once.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { CycleSteps } from '../../../engine/api/contract/cycle';
import type { CycleServiceOptions, CycleResult, CycleService } from '../../../engine/cycle/service';
import { acquireCycleLock, CycleLockHeldError, type CycleLock } from '../../../engine/cycle/lock';
import { parseMarkets } from '../../../engine/cycle/markets';
import { loadSchedules } from '../../../engine/api/handlers/settings';
import { pushDiff } from '../../../engine/cycle/diff';
import { resolveDataDir } from '../../../engine/store/db';
import { startHeadlessHost, type HeadlessHost } from '../host';
import { CliContext, UsageError } from '../context';
import { EXIT, exitCodeOf, SIGNAL_EXIT } from '../exitCodes';
import { formatDiff, formatReport } from '../output';
import { compileSchedule, realSleep, runSchedules, type ScheduleSpec } from '../schedule';

export const HEADLESS_ACTOR = 'system:headless';

const int = (name: string, min: number, max: number) => (v: string) => {
  const x = Number(v);
  if (!Number.isInteger(x) || x < min || x > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
  return x;
};

interface CycleCommandOptions {
  once?: boolean;
  schedule?: string;
  tz: string;
  savedSchedules?: boolean;
  dryRun?: boolean;
  markets?: string;
  diffLimit: number;
  workers?: number;
  horizonDays?: number;
  historyDays?: number;
  network: boolean;
  pushBatchSize?: number;
  pushDeadline: number;
  pushGrace: number;
}

type Kind = 'run' | 'sync' | 'price' | 'push';

const STEPS: Record<Kind, CycleSteps> = {
  run: { sync: true, price: true, autoApprove: true, push: true },
  sync: { sync: true, price: false, autoApprove: false, push: false },
  price: { sync: false, price: true, autoApprove: false, push: false },
  push: { sync: false, price: false, autoApprove: false, push: true },
};

function cycleOptions(o: CycleCommandOptions): CycleServiceOptions {
  return {
    workers: o.workers, horizonDays: o.horizonDays, historyDays: o.historyDays, network: o.network ? undefined : false,
    push: { deadlineMs: o.pushDeadline * 1000, graceMs: o.pushGrace * 1000 },
  };
}

/** Prints a finished run: text (the report, and a dry run's diff) or one JSON document. */
async function printResult(ctx: CliContext, res: CycleResult, diffLimit: number): Promise<void> {
  if (ctx.globals.json) {
    const items = res.diff ? [...res.diff.items()] : null;
    await ctx.out(`${JSON.stringify({ report: res.report, ...(items ? { wouldPush: items } : {}) })}\n`);
    return;
  }
  await ctx.out(formatReport(res.report));
  if (res.diff) await ctx.out(formatDiff(res.diff.summary, res.diff.items(), diffLimit));
}

/** Follows signals: the first cancels the run in progress (and stops a schedule), the second exits at once. */
function watchSignals(ctx: CliContext, cycle: () => CycleService | null, stop: AbortController): { signal(): 'SIGINT' | 'SIGTERM' | null; dispose(): void } {
  let got: 'SIGINT' | 'SIGTERM' | null = null;
  const dispose = ctx.io.onSignal((s) => {
    if (got) {
      ctx.logger.error({ signal: s }, 'second signal: exiting now; the outbox keeps what the PSS did not acknowledge');
      process.exit(SIGNAL_EXIT[s]);
    }
    got = s;
    ctx.logger.warn({ signal: s }, 'signal received: stopping the run in progress cleanly');
    stop.abort();
    const c = cycle();
    const active = c?.active;
    if (c && active !== null && active !== undefined) c.cancel(active, `stopped by ${s}`);
  });
  return { signal: () => got, dispose };
}

async function runOnce(ctx: CliContext, kind: Kind, o: CycleCommandOptions): Promise<number> {
  const markets = parseMarkets(o.markets ?? '');
  const dataDir = resolveDataDir(ctx.globals.dataDir, ctx.io.env as NodeJS.ProcessEnv);
  const command = `dfae ${kind}${kind === 'run' ? ' --once' : ''}${o.dryRun ? ' --dry-run' : ''}`;
  let lock: CycleLock;
  try {
    lock = acquireCycleLock(dataDir, { host: 'headless', command });
  } catch (e) {
    return ctx.fail(e);
  }
  if (lock.tookOver) ctx.logger.warn({ staleLock: lock.tookOver }, `took over a stale lock: ${lock.tookOver.host} ${lock.tookOver.command} (pid ${lock.tookOver.pid}) is gone`);
  ctx.logger.info({ lock: lock.file, command }, 'cycle lock acquired');
  let hh: HeadlessHost | null = null;
  const stop = new AbortController();
  const signals = watchSignals(ctx, () => hh?.host.backend.cycle ?? null, stop);
  try {
    hh = await startHeadlessHost({
      dataDir, configFile: ctx.globals.config, now: ctx.globals.now, logger: ctx.logger, env: ctx.io.env, pushBatchSize: o.pushBatchSize,
      cycle: { ...cycleOptions(o), lock: false },
    });
    if (stop.signal.aborted) return SIGNAL_EXIT[signals.signal()!];
    const cycle = hh.host.backend.cycle;
    if (kind === 'push' && o.dryRun) {
      // nothing to price or approve: what is queued is what a push would send
      const diff = pushDiff(hh.host.backend.store.db, new Map());
      if (ctx.globals.json) await ctx.out(`${JSON.stringify({ wouldPush: [...diff.items()], summary: { ...diff.summary, items: undefined } })}\n`);
      else await ctx.out(formatDiff(diff.summary, diff.items(), o.diffLimit));
      return EXIT.success;
    }
    const unfollow = ctx.progress?.follow(hh.host.backend.events);
    let res: CycleResult;
    try {
      const handle = cycle.start({ steps: STEPS[kind], markets, dryRun: o.dryRun ?? false, trigger: `headless:${kind}`, startedBy: HEADLESS_ACTOR });
      if (stop.signal.aborted) cycle.cancel(handle.runId, `stopped by ${signals.signal()}`);
      res = await handle.done;
    } finally {
      unfollow?.();
    }
    // the audit verification of the start runs beside the cycle (in a worker for a long chain): a run
    // waits for it, so every run's log says whether the chain verified
    if (!signals.signal()) await hh.host.backend.decisions.auditReady;
    await printResult(ctx, res, o.diffLimit);
    const sig = signals.signal();
    return sig && res.report.outcome === 'cancelled' ? SIGNAL_EXIT[sig] : exitCodeOf(res.report.outcome);
  } catch (e) {
    return ctx.fail(e);
  } finally {
    signals.dispose();
    await hh?.close().catch((e: Error) => ctx.logger.error({ error: e.message }, 'closing the backend failed'));
    lock.release();
  }
}

interface Scheduled extends ScheduleSpec {
  steps: CycleSteps;
  markets: string[];
  dryRun: boolean;
}

async function runScheduled(ctx: CliContext, o: CycleCommandOptions): Promise<number> {
  const fixed: Scheduled | null = o.schedule ? { name: '--schedule', cron: o.schedule, timeZone: o.tz, steps: STEPS.run, markets: parseMarkets(o.markets ?? ''), dryRun: o.dryRun ?? false } : null;
  if (fixed) compileSchedule(fixed);
  let hh: HeadlessHost | null = null;
  const stop = new AbortController();
  const signals = watchSignals(ctx, () => hh?.host.backend.cycle ?? null, stop);
  let runs = 0;
  let interrupted = false;
  try {
    hh = await startHeadlessHost({
      dataDir: ctx.globals.dataDir, configFile: ctx.globals.config, now: ctx.globals.now, logger: ctx.logger, env: ctx.io.env, pushBatchSize: o.pushBatchSize,
      cycle: cycleOptions(o),
    });
    const backend = hh.host.backend;
    const clock = hh.clock;
    const specs = (): Scheduled[] => fixed ? [fixed] : loadSchedules(backend.store.db, clock.now()).filter((s) => s.enabled).map((s) => ({
      name: `#${s.id} ${s.name}`, cron: s.cron, timeZone: s.timeZone, markets: s.markets, dryRun: s.dryRun || (o.dryRun ?? false),
      steps: { sync: s.steps.sync, price: s.steps.price, autoApprove: s.steps.autoApprove, push: s.steps.push },
    }));
    ctx.logger.info({ schedules: specs().map(({ name, cron, timeZone }) => ({ name, cron, timeZone })) }, 'running on schedule until stopped (SIGTERM / SIGINT)');
    await runSchedules(specs, async (spec, slot) => {
      let handle;
      try {
        handle = backend.cycle.start({ steps: spec.steps, markets: spec.markets, dryRun: spec.dryRun, trigger: `headless:schedule ${spec.name} (${spec.cron} ${spec.timeZone}) slot ${slot.toISOString()}`, startedBy: HEADLESS_ACTOR });
      } catch (e) {
        if (e instanceof CycleLockHeldError) { ctx.logger.warn({ schedule: spec.name, slot: slot.toISOString(), holder: e.holder }, `scheduled slot skipped: ${e.message}`); return; }
        throw e;
      }
      const unfollow = ctx.progress?.follow(backend.events);
      try {
        const res = await handle.done;
        runs++;
        if (res.report.outcome === 'cancelled') interrupted = true;
        await printResult(ctx, res, o.diffLimit);
      } finally {
        unfollow?.();
      }
    }, { clock, sleep: realSleep, log: (level, message, fields) => ctx.logger[level](fields, message) }, stop.signal);
    const sig = signals.signal();
    ctx.logger.info({ runs, signal: sig }, 'schedule stopped');
    // each run's outcome is in its report and the history; stopping between runs is a clean stop
    return interrupted && sig ? SIGNAL_EXIT[sig] : EXIT.success;
  } catch (e) {
    return ctx.fail(e);
  } finally {
    signals.dispose();
    await hh?.close().catch((e: Error) => ctx.logger.error({ error: e.message }, 'closing the backend failed'));
  }
}

function addCycleOptions(c: Command, kind: Kind): Command {
  if (kind === 'run' || kind === 'price') c.option('--markets <list>', 'only these markets, e.g. "LHR-JFK,FRA-JFK" (default: all)');
  if (kind === 'run' || kind === 'push') {
    c.option('--dry-run', kind === 'run' ? 'everything but approving and pushing; prints what would be pushed' : 'print what would be pushed, push nothing')
      .option('--diff-limit <n>', 'dry run: rows of the diff printed (0: all)', int('--diff-limit', 0, 10_000_000), 100);
  }
  if (kind === 'run' || kind === 'price') {
    c.option('--workers <n>', 'pricing worker threads (default: cores − 1, at most 4)', int('--workers', 1, 16))
      .option('--horizon-days <n>', 'departures priced, days ahead (default 365)', int('--horizon-days', 1, 800))
      .option('--history-days <n>', 'days of flown history the forecasts read (default 400)', int('--history-days', 7, 2000))
      .option('--no-network', 'no network LP stage: leg-level bid prices only');
  }
  if (kind === 'run' || kind === 'push') {
    c.option('--push-batch-size <n>', 'decisions per PSS batch (default 500)', int('--push-batch-size', 1, 10_000))
      .option('--push-deadline <seconds>', 'how long to retry a failing PSS before leaving batches in the outbox', int('--push-deadline', 0, 86_400), 600)
      .option('--push-grace <seconds>', 'after SIGTERM, how long the batch in flight may take before it is abandoned', int('--push-grace', 0, 3_600), 15);
  }
  return c;
}

export function cycleCommands(ctxOf: (cmd: Command) => CliContext, setExit: (code: number) => void): Command[] {
  const run = addCycleOptions(new Command('run')
    .description('the full cycle: sync all feeds, forecast, optimise and price, auto-approve within the rules, push approved decisions, report')
    .option('--once', 'run one cycle and exit')
    .option('--schedule <cron>', 'run on this cron schedule until stopped, e.g. "0 5 * * *"')
    .addOption(new Option('--tz <zone>', 'the IANA time zone the schedule is read in').default('UTC'))
    .option('--saved-schedules', 'run the schedules saved in the workbench (Settings → Schedules) until stopped'), 'run')
    .action(async (_o: CycleCommandOptions, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const o = cmd.opts<CycleCommandOptions>();
      const modes = [o.once, o.schedule !== undefined, o.savedSchedules].filter(Boolean).length;
      if (modes !== 1) { setExit(ctx.fail(new UsageError('choose one of --once, --schedule "<cron>" or --saved-schedules'))); return; }
      if (o.once) setExit(await runOnce(ctx, 'run', o).catch((e) => ctx.fail(e)));
      else setExit(await runScheduled(ctx, o).catch((e) => ctx.fail(e)));
    });
  const part = (kind: 'sync' | 'price' | 'push', description: string) => addCycleOptions(new Command(kind).description(description), kind)
    .action(async (_o: CycleCommandOptions, cmd: Command) => {
      const ctx = ctxOf(cmd);
      setExit(await runOnce(ctx, kind, { tz: 'UTC', diffLimit: 100, network: true, pushDeadline: 600, pushGrace: 15, ...cmd.opts<Partial<CycleCommandOptions>>() }).catch((e) => ctx.fail(e)));
    });
  return [
    run,
    part('sync', 'sync all feeds and report their health'),
    part('price', 'rebuild booking curves, forecast, optimise and price, and publish the proposals (no approval, no push)'),
    part('push', 'push the approved decisions waiting in the outbox'),
  ];
}
