import { describe, expect, it } from 'vitest';
import { cpuTimes, selectSections, stealLabel, threadCpuMs, threadsLabel } from './types';

const stat = (user: number, idle: number, steal: number) =>
  `cpu  ${user} 0 100 ${idle} 5 0 3 ${steal} 40 0\ncpu0 1 2 3 4 5 6 7 8 9 10\nintr 1 2 3\n`;

describe('bench CPU steal', () => {
  it('reads the all-CPU line of /proc/stat, guest time counted once (it is inside user time)', () => {
    expect(cpuTimes(() => stat(1_000, 5_000, 20))).toEqual({ total: 1_000 + 100 + 5_000 + 5 + 3 + 20, steal: 20 });
  });

  it('labels the share stolen between two readings, and nothing where it cannot tell', () => {
    const before = cpuTimes(() => stat(1_000, 5_000, 20));
    const after = cpuTimes(() => stat(1_600, 5_300, 120)); // 1,000 more ticks, 100 of them stolen
    expect(stealLabel(before, after)).toBe(', CPU steal 10 %');
    expect(stealLabel(null, after)).toBe('');
    expect(stealLabel(after, before)).toBe('');
    expect(cpuTimes(() => { throw new Error('no /proc here'); })).toBeNull();
    expect(cpuTimes(() => 'intr 1 2 3\n')).toBeNull();
  });
});

describe('bench CPU per thread', () => {
  // /proc/<pid>/task/<tid>/stat: "tid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …"
  const stat = (tid: number, name: string, utime: number, stime: number) => `${tid} (${name}) R 1 1 1 0 -1 4194304 100 0 0 0 ${utime} ${stime} 0 0 20 0 2 0`;

  it('reads user + system ticks of each thread (a name with spaces and parentheses included)', () => {
    const tasks: Record<string, string> = { 10: stat(10, 'node', 150, 50), 11: stat(11, 'node (worker)', 90, 10) };
    expect(threadCpuMs(() => Object.keys(tasks), (t) => tasks[t]!)).toEqual(new Map([[10, 2_000], [11, 1_000]]));
    expect(threadCpuMs(() => { throw new Error('no /proc here'); })).toBeNull();
    expect(threadCpuMs(() => ['12'], () => '12 (x) R')).toBeNull();
  });

  it('labels the main thread and the busiest other thread per unit, and nothing where it cannot tell', () => {
    const before = new Map([[10, 1_000], [11, 500], [12, 40]]);
    const after = new Map([[10, 3_000], [11, 2_100], [12, 60], [13, 5]]);
    expect(threadsLabel(before, after, 10, 100)).toBe('; CPU a day: main thread 20.0 ms, worker 16.0 ms');
    expect(threadsLabel(null, after, 10, 100)).toBe('');
    expect(threadsLabel(before, after, 10, 0)).toBe('');
  });
});

describe('bench sections chosen with --only', () => {
  const names = ['ui', 'simulation', 'archive'];
  it('runs every section in name order without --only, and the named ones in name order with it', () => {
    expect(selectSections(names, undefined)).toEqual(['archive', 'simulation', 'ui']);
    expect(selectSections(names, ' ui,archive ')).toEqual(['archive', 'ui']);
  });
  it('names a section that does not exist, and lists the sections there are', () => {
    expect(() => selectSections(names, 'simulation.whatif')).toThrow('--only "simulation.whatif": no section named "simulation.whatif"; the sections are archive, simulation, ui');
    expect(() => selectSections(names, ',')).toThrow('--only ",": names no section; the sections are archive, simulation, ui');
  });
});
