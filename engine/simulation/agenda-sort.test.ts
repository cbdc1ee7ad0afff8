import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AgendaSorter } from './agenda-sort';

const DAY = 86_400_000;
const TWO24 = 16777216;

describe('AgendaSorter', () => {
  it('sorts distinct agenda keys exactly as Float64Array.prototype.sort', () => {
    const sorter = new AgendaSorter();
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: DAY * TWO24 - 1 }), { maxLength: 3000 }), (xs) => {
      const a = Float64Array.from(xs);
      const b = a.slice().sort();
      sorter.sort(a, a.length, DAY * TWO24);
      expect(Array.from(a)).toEqual(Array.from(b));
    }), { numRuns: 200 });
  });

  it('handles keys bunched in one part of the day and a prefix of a longer array', () => {
    const sorter = new AgendaSorter();
    const a = new Float64Array(5000).fill(-1);
    const n = 4000;
    // all in the last minutes of the day plus a few at midnight, in reverse order
    for (let i = 0; i < n; i++) a[i] = (DAY - 1 - (i % 600_000)) * TWO24 + (i < 600_000 ? i >> 20 : 0) * 4 + (n - i);
    const expected = a.slice(0, n).sort();
    sorter.sort(a, n, DAY * TWO24);
    expect(Array.from(a.subarray(0, n))).toEqual(Array.from(expected));
    expect(a[n]).toBe(-1); // untouched beyond n
  });
});
