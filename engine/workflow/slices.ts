/**
 * Bulk work in time slices, so the host's event loop (the Electron main process or the web bridge)
 * never waits long on one synchronous SQLite transaction: a bulk approval of 100,000 decisions or a
 * cycle publishing its proposals runs as many short transactions, each sized to take about
 * `budgetMs`, with a turn of the event loop between them.
 *
 * Each slice is a whole transaction of its own (a decision is approved and queued together, never
 * half), so a crash between slices leaves the slices done and the rest untouched: the bulk action
 * can be repeated and takes up what is left.
 */

export interface SliceOptions {
  /** the time one slice should take (ms); default 25 */
  budgetMs?: number;
  /** items in the first slice, before any timing is known; default 50 */
  first?: number;
  /** the largest slice; default 5,000 */
  max?: number;
  /** a monotonic clock in ms (injected by tests); default performance.now */
  now?: () => number;
  /** gives the event loop a turn between slices; default setImmediate */
  yieldNow?: () => Promise<void>;
}

/** A turn of the event loop (pending I/O and timers run) before the next slice. */
export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Sizes slices from the time the last ones took: aims at `budgetMs`, grows at most ×2 a slice. */
export class SliceSizer {
  private size: number;
  private readonly budget: number;
  private readonly max: number;

  constructor(o: Pick<SliceOptions, 'budgetMs' | 'first' | 'max'> = {}) {
    this.budget = o.budgetMs ?? 25;
    this.max = o.max ?? 5_000;
    this.size = Math.min(this.max, Math.max(1, o.first ?? 50));
  }

  /** items to put in the next slice */
  next(): number { return this.size; }

  /** records that `items` items took `ms`; the next slice aims at the budget */
  took(items: number, ms: number): void {
    if (items <= 0) return;
    const perItem = Math.max(ms, 0.01) / items;
    const target = Math.floor(this.budget / perItem);
    this.size = Math.min(this.max, 2 * Math.max(this.size, items), Math.max(1, target));
  }
}

/**
 * Runs `run` over `items` in slices sized by a SliceSizer, yielding to the event loop between
 * slices. Answers the number of slices. `run` should do one transaction per call.
 */
export async function inSlices<T>(items: readonly T[], run: (slice: readonly T[]) => void, o: SliceOptions = {}): Promise<number> {
  const sizer = new SliceSizer(o);
  const now = o.now ?? (() => performance.now());
  const yieldNow = o.yieldNow ?? yieldToLoop;
  let slices = 0;
  for (let at = 0; at < items.length;) {
    if (slices > 0) await yieldNow();
    const slice = items.slice(at, at + sizer.next());
    const t0 = now();
    run(slice);
    sizer.took(slice.length, now() - t0);
    at += slice.length;
    slices++;
  }
  return slices;
}
