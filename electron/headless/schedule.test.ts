import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../engine/domain/time';
import { compileSchedule, runSchedules, ScheduleError, type ScheduleSpec } from './schedule';

/** A fake clock whose sleeps pass instantly, and a job that takes fake time. */
function harness(startIso: string, stopAfter: number, jobMs: (slot: Date, i: number) => number) {
  const clock = fixedClock(startIso);
  const controller = new AbortController();
  const fired: { spec: string; slot: string; at: string }[] = [];
  const logs: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const deps = {
    clock,
    sleep: async (ms: number) => { clock.advanceMs(ms); },
    log: (level: 'info' | 'warn', message: string, fields: Record<string, unknown>) => { logs.push({ level, message, fields }); },
  };
  const job = async (spec: ScheduleSpec, slot: Date) => {
    fired.push({ spec: spec.name, slot: slot.toISOString(), at: clock.now().toISOString() });
    clock.advanceMs(jobMs(slot, fired.length - 1));
    if (fired.length >= stopAfter) controller.abort();
  };
  return { clock, controller, fired, logs, deps, job };
}

describe('cron schedules against a fake clock', () => {
  it('fires in the given time zone, across a daylight-saving change', async () => {
    const h = harness('2026-03-06T00:00:00Z', 4, () => 60_000);
    const spec = { name: 'daily', cron: '0 5 * * *', timeZone: 'America/New_York' };
    const runs = await runSchedules(() => [spec], h.job, h.deps, h.controller.signal);
    expect(runs).toBe(4);
    // 05:00 in New York: EST (UTC−5) until 8 March 2026, EDT (UTC−4) after
    expect(h.fired.map((f) => f.slot)).toEqual(['2026-03-06T10:00:00.000Z', '2026-03-07T10:00:00.000Z', '2026-03-08T09:00:00.000Z', '2026-03-09T09:00:00.000Z']);
    expect(h.fired.every((f) => f.at === f.slot)).toBe(true); // each ran at its slot, no earlier
    expect(h.logs.filter((l) => l.message.includes('skipped'))).toEqual([]);
  });

  it('skips and logs the slots that come while a run is still in progress', async () => {
    // hourly; the second run takes 150 minutes, so the two slots during it are skipped
    const h = harness('2026-03-01T00:30:00Z', 4, (_slot, i) => (i === 1 ? 150 : 10) * 60_000);
    const runs = await runSchedules(() => [{ name: 'hourly', cron: '0 * * * *', timeZone: 'UTC' }], h.job, h.deps, h.controller.signal);
    expect(runs).toBe(4);
    expect(h.fired.map((f) => f.slot.slice(11, 16))).toEqual(['01:00', '02:00', '05:00', '06:00']);
    const skipped = h.logs.filter((l) => l.message.startsWith('scheduled slot skipped'));
    expect(skipped.map((l) => (l.fields.slot as string).slice(11, 16))).toEqual(['03:00', '04:00']);
    expect(skipped[0]!.fields).toMatchObject({ schedule: 'hourly', previousRunStartedAt: '2026-03-01T02:00:00.000Z', previousRunEndedAt: '2026-03-01T04:30:00.000Z' });
  });

  it('runs several schedules one at a time, the earliest slot first', async () => {
    const h = harness('2026-03-02T00:00:00Z', 3, (_slot, i) => (i === 0 ? 20 : 5) * 60_000);
    const specs = [
      { name: 'morning', cron: '0 6 * * *', timeZone: 'Europe/Berlin' }, // 05:00 UTC in winter
      { name: 'quarter past', cron: '15 5 * * *', timeZone: 'UTC' },
    ];
    await runSchedules(() => specs, h.job, h.deps, h.controller.signal);
    expect(h.fired.map((f) => `${f.spec} ${f.slot}`)).toEqual(['morning 2026-03-02T05:00:00.000Z', 'morning 2026-03-03T05:00:00.000Z', 'quarter past 2026-03-03T05:15:00.000Z']);
    // 05:15 on 2 March came while the first "morning" ran (05:00–05:20): skipped, logged
    const skipped = h.logs.filter((l) => l.message.startsWith('scheduled slot skipped'));
    expect(skipped.map((l) => `${l.fields.schedule} ${l.fields.slot}`)).toEqual(['quarter past 2026-03-02T05:15:00.000Z']);
  });

  it('stops while waiting when the signal aborts', async () => {
    const clock = fixedClock('2026-03-01T00:00:00Z');
    const controller = new AbortController();
    let jobs = 0;
    const runs = await runSchedules(() => [{ name: 'x', cron: '0 5 * * *', timeZone: 'UTC' }], async () => { jobs++; }, {
      clock, log: () => {}, sleep: async () => { controller.abort(); },
    }, controller.signal);
    expect({ runs, jobs }).toEqual({ runs: 0, jobs: 0 });
  });

  it('names the bad part of a schedule', () => {
    expect(() => compileSchedule({ name: 'x', cron: '61 * * * *', timeZone: 'UTC' })).toThrow(/"61 \* \* \* \*" is not a usable cron expression.*e\.g\. "0 5 \* \* \*"/);
    expect(() => compileSchedule({ name: 'x', cron: '0 5 * * *', timeZone: 'Mars/Olympus' })).toThrow(ScheduleError);
    try { compileSchedule({ name: 'x', cron: '0 5 * * *', timeZone: 'Mars/Olympus' }); } catch (e) { expect((e as ScheduleError).field).toBe('timeZone'); }
  });
});
