import { describe, expect, it } from 'vitest';
import { EventBus } from '../../engine/events/bus';
import { fixedClock } from '../../engine/domain/time';
import { ProgressLine } from './progress';
import { createLogger } from './logger';

/** A terminal-like stream that records what is written. */
function terminal(columns = 60) {
  const writes: string[] = [];
  return { writes, stream: { columns, isTTY: true, write: (s: string) => { writes.push(s); return true; } } as unknown as NodeJS.WriteStream };
}

describe('progress on a terminal', () => {
  it('draws the step in progress on one line, redrawn in place, cut to the width', () => {
    const t = terminal(80);
    const events = new EventBus(fixedClock('2026-03-01T06:00:00Z'));
    const p = new ProgressLine(t.stream);
    const stop = p.follow(events);
    events.emit('cycle.progress', { runId: 7, step: 'price', message: 'partition 2 of 8 priced', done: 2, total: 8 });
    expect(t.writes.at(-1)).toMatch(/^\r\x1b\[Krun 7 +\d+ s {2}price {5}partition 2 of 8 priced \(2\/8\)$/);
    events.emit('cycle.progress', { runId: 7, step: 'push', message: 'a very long message that does not fit the width of this terminal at all, not even nearly', done: null, total: null });
    expect(t.writes.at(-1)!.length).toBe('\r\x1b[K'.length + 79);
    expect(t.writes.at(-1)!.endsWith('…')).toBe(true);
    stop();
    expect(t.writes.at(-1)).toBe('\r\x1b[K');
    events.emit('cycle.progress', { runId: 7, step: 'push', message: 'after stop', done: null, total: null });
    expect(t.writes.at(-1)).toBe('\r\x1b[K');
  });

  it('clears the line before a log line and draws it again after', () => {
    const t = terminal();
    const p = new ProgressLine(t.stream);
    p.show('run 1   3 s  sync      pss…');
    const logger = createLogger({ level: 'info', progress: p, stderr: t.stream });
    logger.info({ runId: 1, step: 'sync' }, 'feed synced');
    const [clear, line, redraw] = t.writes.slice(-3);
    expect(clear).toBe('\r\x1b[K');
    expect(JSON.parse(line!)).toMatchObject({ level: 'info', msg: 'feed synced', runId: 1, step: 'sync', time: expect.stringMatching(/Z$/) });
    expect(redraw).toBe('\r\x1b[Krun 1   3 s  sync      pss…');
  });
});
