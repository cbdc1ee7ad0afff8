import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { wrapDay } from './simulator';

const reference = (x: number) => ((x % 1440) + 1440) % 1440;

describe('wrapDay', () => {
  it('is bit-identical to ((x % 1440) + 1440) % 1440', () => {
    fc.assert(fc.property(fc.double({ min: -5000, max: 5000, noNaN: true }), (x) => Object.is(wrapDay(x), reference(x))), { numRuns: 20000 });
    // the rounding edges: x + 1440 rounds up to 2880 or to 1440
    for (const x of [0, -0, 1440 - 1e-13, 1440 - Number.EPSILON * 512, -1e-14, -Number.MIN_VALUE, -1440 + 1e-13, 1439.9999999999998, 1440, -1440, 2880.5, -3000.25, 720])
      expect(Object.is(wrapDay(x), reference(x)), `x = ${x}`).toBe(true);
    expect(wrapDay(1440 - 1e-13)).toBe(0); // rounds to 2880 before the remainder
  });
});
