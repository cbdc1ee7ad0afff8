import { describe, expect, it } from 'vitest';
import { mergedDuplicates } from './feedRun';

describe('feed run counts', () => {
  it('sums the duplicates its streams merged, and reads runs recorded before there were any', () => {
    expect(mergedDuplicates({ detail: { streams: { codeshares: { in: 148, written: 106, duplicates: 42 }, schedule: { in: 47_300, written: 47_300 } } } })).toBe(42);
    expect(mergedDuplicates({ detail: { streams: { schedule: { in: 10, written: 10 } } } })).toBe(0);
    expect(mergedDuplicates({ detail: {} })).toBe(0);
    expect(mergedDuplicates(null)).toBe(0);
  });
});
