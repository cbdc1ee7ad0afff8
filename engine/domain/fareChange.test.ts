import { describe, expect, it } from 'vitest';
import { worthFiling } from './fareChange';

describe('the smallest fare change worth filing', () => {
  it('files any move at 0 %, none that is no move, and compares with the fare in force', () => {
    expect(worthFiling(10_001, 10_000, 0)).toBe(true);
    expect(worthFiling(10_000, 10_000, 0)).toBe(false);
    // 1 %: 99 of 10,000 is below, 100 is at the threshold, either way
    expect(worthFiling(10_099, 10_000, 1)).toBe(false);
    expect(worthFiling(9_901, 10_000, 1)).toBe(false);
    expect(worthFiling(10_100, 10_000, 1)).toBe(true);
    expect(worthFiling(9_900, 10_000, 1)).toBe(true);
    // nothing in force to compare with: filed
    expect(worthFiling(10_000, null, 5)).toBe(true);
    expect(worthFiling(10_000, 0, 5)).toBe(true);
  });
});
