/**
 * `dfae status`: feed health (from the stored feed runs), the outbox's depth, proposals waiting for a
 * person, the last cycle runs of every host, the cycle lock and the saved schedules. Reads the store
 * only: it starts no sandbox and connects to nothing, so it answers while a run is in progress.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { createBackend } from '../../../engine/backend';
import { resolveDataDir } from '../../../engine/store/db';
import { computeFeedState } from '../../../engine/etl/feedState';
import { DEFAULT_EXPECTED_INTERVAL_MS, FEED_LABELS } from '../../../engine/etl/feedService';
import { loadSchedules } from '../../../engine/api/handlers/settings';
import { holderState, readCycleLock } from '../../../engine/cycle/lock';
import { FEED_NAMES, type FeedName } from '../../../engine/domain/types';
import { resolveConfig, packageVersion } from '../../backend/host';
import type { CliContext } from '../context';
import { EXIT } from '../exitCodes';
import { formatQueue, formatRunRow } from '../output';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

async function status(ctx: CliContext): Promise<number> {
  const dataDir = resolveDataDir(ctx.globals.dataDir, ctx.io.env as NodeJS.ProcessEnv);
  const { config, source } = resolveConfig(dataDir, ctx.globals.config);
  const feeds: FeedName[] = config.sandbox ? [...FEED_NAMES] : FEED_NAMES.filter((f) => config.feeds[f]);
  const backend = createBackend({ dataDir, connectors: [], mode: config.sandbox ? 'sandbox' : 'live', host: 'headless', version: packageVersion(ROOT), decisions: { autoPush: false } });
  try {
    // feed freshness is judged at --now when given (runs priced as of a replayed instant)
    const now = ctx.globals.now ? new Date(ctx.globals.now) : backend.store.clock.now();
    const feedHealth = feeds.map((feed) => {
      const runs = backend.feeds.runs(feed, 10);
      const s = computeFeedState({
        runs: runs.map((r) => ({ status: r.status, startedAt: r.startedAt, finishedAt: r.finishedAt, retries: r.retries, recordsQuarantined: r.recordsQuarantined, error: r.error,
          fallbackAsOf: (r.detail.fallback as { asOf?: string } | undefined)?.asOf ?? null })),
        breaker: 'closed', now, expectedIntervalMs: DEFAULT_EXPECTED_INTERVAL_MS[feed],
      });
      return { feed, label: FEED_LABELS[feed], state: runs.length ? s.state : 'never', reason: runs.length ? s.reason : 'never synced', lastSuccessAt: s.lastSuccessAt, lastRun: runs[0] ?? null };
    });
    const queue = backend.decisions.workflow.worker.queue();
    const waiting = backend.store.db.prepare("SELECT count(*) FROM decisions WHERE state = 'proposed'").pluck().get() as number;
    const { rows, running } = backend.cycle.list({ limit: 10 });
    const holder = readCycleLock(dataDir);
    const lock = holder ? { ...holder, state: holderState(holder) } : null;
    const schedules = loadSchedules(backend.store.db, now);
    if (ctx.globals.json) {
      await ctx.out(`${JSON.stringify({ dataDir, config: source, mode: config.sandbox ? 'sandbox' : 'live', lock, feeds: feedHealth, queue, waitingForAPerson: waiting, running, runs: rows, schedules })}\n`);
      return EXIT.success;
    }
    const lines = [
      `data folder:   ${dataDir}`,
      `configuration: ${source} (${config.sandbox ? 'built-in sandbox' : 'live endpoints'})`,
      `cycle lock:    ${lock ? `${lock.state === 'alive' ? 'held' : lock.state === 'gone' ? 'stale (its process is gone; the next run takes it over)' : 'held on another machine'} by ${lock.host} ${lock.command}, pid ${lock.pid} on ${lock.hostname} since ${lock.acquiredAt}` : 'free'}`,
      'feeds:',
      ...feedHealth.map((f) => `  ${f.feed.padEnd(11)} ${f.state.padEnd(9)} ${f.reason}`),
      `decisions:     ${waiting} proposal(s) waiting for a person; ${formatQueue(queue)}`,
      `runs:          ${rows.length ? '' : 'none yet'}`,
      ...rows.map((r) => `  ${formatRunRow(r)}`),
      `schedules:     ${schedules.length ? '' : 'none saved in the workbench'}`,
      ...schedules.map((s) => `  #${s.id} ${s.name}: ${s.cron} (${s.timeZone})${s.enabled ? `, next ${s.nextRuns[0] ?? '-'}` : ' (disabled)'}${s.dryRun ? ', dry run' : ''}${s.markets.length ? `, markets ${s.markets.join(' ')}` : ''}`),
    ];
    await ctx.out(`${lines.join('\n')}\n`);
    return EXIT.success;
  } finally {
    await backend.close();
  }
}

export function statusCommand(ctxOf: (cmd: Command) => CliContext, setExit: (code: number) => void): Command {
  return new Command('status')
    .description('feed health, outbox depth, proposals waiting, the last runs of every host, the lock and the saved schedules')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = ctxOf(cmd);
      setExit(await status(ctx).catch((e) => ctx.fail(e)));
    });
}
