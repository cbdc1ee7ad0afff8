import { describe, expect, it } from 'vitest';
import { cpuTimes, stealLabel } from './types';

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
