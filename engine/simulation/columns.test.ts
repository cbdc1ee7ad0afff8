import { describe, expect, it } from 'vitest';
import { locatorIndex, recordLocator } from './columns';

describe('record locators', () => {
  it('are six characters, distinct, and invertible', () => {
    const seen = new Set<string>();
    for (const i of [0, 1, 2, 3, 1000, 123_456, 9_999_999, 2 ** 30 - 1]) {
      const l = recordLocator(i);
      expect(l).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
      expect(locatorIndex(l)).toBe(i);
      seen.add(l);
    }
    for (let i = 0; i < 50_000; i++) seen.add(recordLocator(i));
    expect(seen.size).toBe(50_000 + 3); // 0..49999 plus 123456, 9999999 and 2^30 − 1
    expect(locatorIndex('ABC')).toBeUndefined();
  });
});
