/**
 * Pending booking requests and cancellations, bucketed by the UTC day they happen on (a ring over
 * the sale horizon), columnar.
 */
import { ensure } from './columns';

export class ArrivalBuckets {
  readonly size: number;
  n: Int32Array;
  market: Int32Array[];
  entry: Uint8Array[];
  jday: Int32Array[];
  msOfDay: Int32Array[];
  seed: Uint32Array[];

  constructor(size: number) {
    this.size = size;
    this.n = new Int32Array(size);
    this.market = Array.from({ length: size }, () => new Int32Array(256));
    this.entry = Array.from({ length: size }, () => new Uint8Array(256));
    this.jday = Array.from({ length: size }, () => new Int32Array(256));
    this.msOfDay = Array.from({ length: size }, () => new Int32Array(256));
    this.seed = Array.from({ length: size }, () => new Uint32Array(256));
  }

  push(day: number, market: number, entry: number, jday: number, msOfDay: number, seed: number): void {
    const b = day % this.size;
    const i = this.n[b]!;
    if (i >= this.market[b]!.length) {
      this.market[b] = ensure(this.market[b]!, i + 1);
      this.entry[b] = ensure(this.entry[b]!, i + 1);
      this.jday[b] = ensure(this.jday[b]!, i + 1);
      this.msOfDay[b] = ensure(this.msOfDay[b]!, i + 1);
      this.seed[b] = ensure(this.seed[b]!, i + 1);
    }
    this.market[b]![i] = market;
    this.entry[b]![i] = entry;
    this.jday[b]![i] = jday;
    this.msOfDay[b]![i] = msOfDay;
    this.seed[b]![i] = seed;
    this.n[b] = i + 1;
  }

  clear(day: number): void {
    this.n[day % this.size] = 0;
  }

  // scratch columns for `reorder` (swapped with a bucket's, so they are reused day after day)
  private spare: { market: Int32Array; entry: Uint8Array; jday: Int32Array; msOfDay: Int32Array; seed: Uint32Array } | null = null;

  /**
   * Puts a day's requests in the order they will be played: `order[j]` is the current index of the j-th
   * request. The day's passengers are then read one after the other instead of all over the bucket.
   */
  reorder(day: number, order: Int32Array): void {
    const b = day % this.size;
    const n = this.n[b]!;
    const cap = this.market[b]!.length;
    let sp = this.spare;
    if (!sp || sp.market.length < cap) {
      sp = { market: new Int32Array(cap), entry: new Uint8Array(cap), jday: new Int32Array(cap), msOfDay: new Int32Array(cap), seed: new Uint32Array(cap) };
    }
    const { market, entry, jday, msOfDay, seed } = this;
    const m0 = market[b]!, e0 = entry[b]!, j0 = jday[b]!, t0 = msOfDay[b]!, s0 = seed[b]!;
    for (let j = 0; j < n; j++) {
      const i = order[j]!;
      sp.market[j] = m0[i]!;
      sp.entry[j] = e0[i]!;
      sp.jday[j] = j0[i]!;
      sp.msOfDay[j] = t0[i]!;
      sp.seed[j] = s0[i]!;
    }
    market[b] = sp.market;
    entry[b] = sp.entry;
    jday[b] = sp.jday;
    msOfDay[b] = sp.msOfDay;
    seed[b] = sp.seed;
    this.spare = m0.length >= cap ? { market: m0, entry: e0, jday: j0, msOfDay: t0, seed: s0 } : null;
  }

  clone(): ArrivalBuckets {
    const c = new ArrivalBuckets(0);
    Object.assign(c, {
      spare: null,
      size: this.size,
      n: this.n.slice(),
      market: this.market.map((a) => a.slice()),
      entry: this.entry.map((a) => a.slice()),
      jday: this.jday.map((a) => a.slice()),
      msOfDay: this.msOfDay.map((a) => a.slice()),
      seed: this.seed.map((a) => a.slice()),
    });
    return c;
  }
}

/** Bookings that will cancel: the data needed to release their seats, and the day buckets of their cancellation times. */
export class CancelQueue {
  nRows = 0;
  leg0 = new Int32Array(256);
  leg1 = new Int32Array(256);
  oc0 = new Uint8Array(256);
  oc1 = new Uint8Array(256);
  cls = new Uint8Array(256);
  carrier = new Uint8Array(256);
  pax = new Uint8Array(256);
  value = new Float64Array(256);
  prorate0 = new Float64Array(256);
  pnr = new Int32Array(256);
  jday = new Int32Array(256);
  market = new Int32Array(256);
  noShow = new Uint8Array(256);
  readonly size: number;
  bn: Int32Array;
  bRow: Int32Array[];
  bMs: Int32Array[];

  constructor(size: number) {
    this.size = size;
    this.bn = new Int32Array(size);
    this.bRow = Array.from({ length: size }, () => new Int32Array(64));
    this.bMs = Array.from({ length: size }, () => new Int32Array(64));
  }

  private free: number[] = [];

  /** A row for a new cancelling booking (recycled once its cancellation is processed). */
  addRow(): number {
    const f = this.free.pop();
    if (f !== undefined) return f;
    const i = this.nRows++;
    if (i >= this.leg0.length) {
      const need = i + 1;
      this.leg0 = ensure(this.leg0, need);
      this.leg1 = ensure(this.leg1, need);
      this.oc0 = ensure(this.oc0, need);
      this.oc1 = ensure(this.oc1, need);
      this.cls = ensure(this.cls, need);
      this.carrier = ensure(this.carrier, need);
      this.pax = ensure(this.pax, need);
      this.value = ensure(this.value, need);
      this.prorate0 = ensure(this.prorate0, need);
      this.pnr = ensure(this.pnr, need);
      this.jday = ensure(this.jday, need);
      this.market = ensure(this.market, need);
      this.noShow = ensure(this.noShow, need);
    }
    return i;
  }

  /** A point to come back to with `reset` (what-if draws): row count, bucket lengths, free rows. */
  mark(): { nRows: number; bn: Int32Array; free: number[] } {
    this.protectBelow = this.nRows; // rows up to here keep their data: they are replayed after a reset
    return { nRows: this.nRows, bn: this.bn.slice(), free: [...this.free] };
  }

  private protectBelow = 0;

  reset(m: { nRows: number; bn: Int32Array; free: number[] }): void {
    this.nRows = m.nRows;
    this.bn.set(m.bn);
    this.free = [...m.free];
  }

  release(row: number): void {
    if (row >= this.protectBelow) this.free.push(row);
  }

  schedule(day: number, row: number, msOfDay: number): void {
    const b = day % this.size;
    const i = this.bn[b]!;
    if (i >= this.bRow[b]!.length) {
      this.bRow[b] = ensure(this.bRow[b]!, i + 1);
      this.bMs[b] = ensure(this.bMs[b]!, i + 1);
    }
    this.bRow[b]![i] = row;
    this.bMs[b]![i] = msOfDay;
    this.bn[b] = i + 1;
  }

  clear(day: number): void {
    this.bn[day % this.size] = 0;
  }

  clone(): CancelQueue {
    const c = new CancelQueue(0);
    for (const [k, v] of Object.entries(this)) {
      (c as unknown as Record<string, unknown>)[k] = ArrayBuffer.isView(v) ? (v as Uint8Array).slice()
        : k === 'free' ? [...(v as number[])]
        : Array.isArray(v) ? (v as Int32Array[]).map((a) => a.slice()) : v;
    }
    return c;
  }
}
