import { describe, expect, it } from 'vitest';
import { SliceSizer, inSlices } from './slices';

/** a clock that advances only when the work says it took time */
function fakeClock() {
  let t = 0;
  return { now: () => t, spend: (ms: number) => { t += ms; } };
}

describe('slices', () => {
  it('sizes slices to the time budget from what the last slice took, growing at most twofold', () => {
    const s = new SliceSizer({ budgetMs: 20, first: 10, max: 1_000 });
    expect(s.next()).toBe(10);
    s.took(10, 1); // 0.1 ms an item: 200 fit, but growth is capped at ×2
    expect(s.next()).toBe(20);
    s.took(20, 2);
    expect(s.next()).toBe(40);
    s.took(40, 80); // 2 ms an item: 10 fit
    expect(s.next()).toBe(10);
    s.took(10, 500); // slower than the budget for one item: still one at a time
    expect(s.next()).toBe(1);
    const capped = new SliceSizer({ budgetMs: 1e9, first: 600, max: 1_000 });
    capped.took(600, 1);
    expect(capped.next()).toBe(1_000);
  });

  it('runs every item once, in order, one call per slice, with a turn of the event loop between slices', async () => {
    const clock = fakeClock();
    const items = Array.from({ length: 1_000 }, (_, i) => i);
    const seen: number[] = [];
    const sizes: number[] = [];
    let yields = 0;
    const slices = await inSlices(items, (slice) => {
      sizes.push(slice.length);
      seen.push(...slice);
      clock.spend(slice.length * 0.5); // 0.5 ms an item: 50 fit in a 25 ms budget
    }, { budgetMs: 25, first: 5, now: clock.now, yieldNow: async () => { yields++; } });
    expect(seen).toEqual(items);
    expect(slices).toBe(sizes.length);
    expect(yields).toBe(slices - 1);
    expect(sizes.slice(0, 5)).toEqual([5, 10, 20, 40, 50]);
    expect(Math.max(...sizes)).toBe(50);
  });

  it('does nothing for no items', async () => {
    let calls = 0;
    expect(await inSlices([], () => { calls++; })).toBe(0);
    expect(calls).toBe(0);
  });

  it('stops at the first failing slice: the slices before it stay done, the rest are not run', async () => {
    const done: number[] = [];
    await expect(inSlices([1, 2, 3, 4, 5, 6], (slice) => {
      if (slice.includes(4)) throw new Error('disk full');
      done.push(...slice);
    }, { first: 2, max: 2, yieldNow: async () => undefined })).rejects.toThrow('disk full');
    expect(done).toEqual([1, 2]);
  });
});
