/**
 * Runs jobs on cron schedules (croner, with an explicit IANA time zone) until stopped, one job at a time:
 * a slot that comes while a job still runs is skipped and logged, never queued. The clock and the sleep
 * are injected, so tests evaluate the schedule against a fake clock instead of waiting for real minutes.
 */
import { Cron } from 'croner';
import type { Clock } from '../../engine/domain/time';

export interface ScheduleSpec {
  /** shown in logs: "--schedule", or the workbench schedule's name */
  name: string;
  cron: string;
  timeZone: string;
}

export interface SchedulerDeps {
  clock: Clock;
  /** waits `ms` (or until the signal aborts) */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  log(level: 'info' | 'warn', message: string, fields: Record<string, unknown>): void;
}

export class ScheduleError extends Error {
  constructor(message: string, readonly field: 'cron' | 'timeZone') {
    super(message);
    this.name = 'ScheduleError';
  }
}

/** Checks the expression and the zone; the error says which is wrong and gives an example. */
export function compileSchedule(s: ScheduleSpec): Cron {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: s.timeZone }).format(0);
  } catch {
    throw new ScheduleError(`"${s.timeZone}" is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)`, 'timeZone');
  }
  let job: Cron;
  try {
    job = new Cron(s.cron, { timezone: s.timeZone, paused: true });
  } catch (e) {
    throw new ScheduleError(`"${s.cron}" is not a usable cron expression (${(e as Error).message}); e.g. "0 5 * * *" for 05:00 every day`, 'cron');
  }
  if (!job.nextRun()) throw new ScheduleError(`"${s.cron}" never fires`, 'cron');
  return job;
}

/** Sleeps on the real clock, in pieces short enough for setTimeout. */
export function realSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
    function done() { signal.removeEventListener('abort', done); clearTimeout(t); resolve(); }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Fires `job` at each slot of the schedules (re-read through `specs()` before each wait, so edits of
 * saved schedules apply) until the signal aborts. Returns the number of jobs run.
 */
export async function runSchedules<S extends ScheduleSpec>(
  specs: () => readonly S[],
  job: (spec: S, slot: Date) => Promise<void>,
  deps: SchedulerDeps,
  signal: AbortSignal,
): Promise<number> {
  let runs = 0;
  let from = deps.clock.now();
  while (!signal.aborted) {
    const list = specs();
    let next: { spec: S; at: Date } | null = null;
    for (const spec of list) {
      const at = compileSchedule(spec).nextRun(from);
      if (at && (!next || at < next.at)) next = { spec, at };
    }
    if (!next) {
      deps.log('warn', 'no schedule to run: waiting for one', { checkAgainInS: 60 });
      await deps.sleep(60_000, signal);
      from = deps.clock.now();
      continue;
    }
    deps.log('info', 'next scheduled run', { schedule: next.spec.name, cron: next.spec.cron, timeZone: next.spec.timeZone, at: next.at.toISOString() });
    // the sleep may end early (a long wait in pieces, a clock adjustment): wait until the slot is due
    for (let wait = next.at.getTime() - deps.clock.now().getTime(); wait > 0 && !signal.aborted; wait = next.at.getTime() - deps.clock.now().getTime()) {
      await deps.sleep(wait, signal);
    }
    if (signal.aborted) break;
    const started = deps.clock.now();
    deps.log('info', 'scheduled run starting', { schedule: next.spec.name, slot: next.at.toISOString() });
    await job(next.spec, next.at);
    runs++;
    const ended = deps.clock.now();
    // slots that came while the job ran (another schedule's at the same instant included) are skipped, each logged
    for (const spec of specs()) {
      const c = compileSchedule(spec);
      for (let at = c.nextRun(spec.name === next.spec.name ? next.at : new Date(next.at.getTime() - 1)); at && at <= ended; at = c.nextRun(at)) {
        deps.log('warn', 'scheduled slot skipped: the previous run was still in progress', {
          schedule: spec.name, slot: at.toISOString(), previousRunStartedAt: started.toISOString(), previousRunEndedAt: ended.toISOString(),
        });
      }
    }
    from = ended;
  }
  return runs;
}
