import { describe, expect, it } from 'vitest';
import { encodeByDcp, parseByDcp } from './byDcp';

const round2 = (x: number) => Math.round(x * 100) / 100;

describe('by-DCP forecast storage', () => {
  it('gives back exactly the two-decimal numbers it was given', () => {
    let x = 5;
    const rnd = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32; // seeded
    for (let t = 0; t < 2_000; t++) {
      const n = Math.floor(rnd() * 25);
      const m = Array.from({ length: n }, () => round2(rnd() * (t % 2 ? 4 : 900)));
      const s = Array.from({ length: n }, () => round2(rnd() * 3));
      expect(parseByDcp(encodeByDcp(m, s))).toEqual({ m, s });
    }
    expect(encodeByDcp([0.83, 12, 0], [0.69, 0.7, 0.05])).toBe('83,1200,0,69,70,5');
    expect(parseByDcp(encodeByDcp([], []))).toEqual({ m: [], s: [] });
  });

  it('reads the JSON rows written before, and refuses what it cannot read, saying what', () => {
    expect(parseByDcp('{"m":[0.83,0.7],"s":[0.69,0.71]}')).toEqual({ m: [0.83, 0.7], s: [0.69, 0.71] });
    expect(() => parseByDcp('1,2,3')).toThrow(/"1,2,3": an odd number of values/);
    expect(() => encodeByDcp([1, 2], [1])).toThrow(/2 means but 1 standard deviations/);
  });
});
