import { describe, expect, it } from 'vitest';
import { locatorIndex, recordLocator, SEGMENT_BITS, SEGMENT_MASK, Segments } from './columns';

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

describe('segments (append-only columns that never copy what they hold)', () => {
  const S = 1 << SEGMENT_BITS;
  it('hold what is appended across segment boundaries, without moving a segment already there', () => {
    const col = new Segments(Float64Array);
    const n = 2 * S + 5;
    for (let i = 0; i < n; i++) col.seg(i)[i & (S - 1)] = i * 0.5;
    expect(col.list.length).toBe(3);
    const first = col.list[0];
    col.seg(n)[n & SEGMENT_MASK] = 7;
    expect(col.list[0]).toBe(first);
    expect([col.at(0), col.at(S - 1), col.at(S), col.at(2 * S + 4), col.at(n)]).toEqual([0, (S - 1) * 0.5, S * 0.5, (2 * S + 4) * 0.5, 7]);
    expect(() => col.seg(5 * S)).toThrow(/past the end/);
  });

  it('flatten to exactly n elements, come back from them, and copy independently', () => {
    const col = new Segments(Int32Array);
    const n = S + 3;
    for (let i = 0; i < n; i++) col.seg(i)[i & SEGMENT_MASK] = -i;
    const flat = col.flat(n);
    expect(flat.length).toBe(n);
    expect([flat[0], flat[S - 1], flat[S], flat[n - 1]]).toEqual([0, -(S - 1), -S, -(n - 1)]);
    const back = Segments.from(Int32Array, flat);
    expect(back.flat(n)).toEqual(flat);
    const copy = col.clone();
    copy.seg(S)[0] = 42;
    expect(col.at(S)).toBe(-S);
    expect(copy.at(S)).toBe(42);
    expect(new Segments(Uint8Array).flat(0).length).toBe(0);
  });
});
