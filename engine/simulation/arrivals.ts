/**
 * Pending booking requests and cancellations, bucketed by the UTC day they happen on (a ring over
 * the sale horizon), columnar.
 */
import { ensure } from './columns';

/** Where drawn booking requests go (MarketSimulator.generateDemand): the buckets, or a choice worker's staging. */
export interface DemandSink {
  push(day: number, market: number, entry: number, jday: number, msOfDay: number, seed: number): void;
}

export class ArrivalBuckets implements DemandSink {
  readonly size: number;
  n: Int32Array;
  /**
   * One record of `ARRIVAL_STRIDE` int32 per request, so playing a request reads one 16-byte record
   * (not one cell in each of five columns): market · 256 + demand entry, journey day, ms of the day,
   * the passenger's stream seed (its 32 bits as an int32).
   */
  rec: Int32Array[];

  constructor(size: number) {
    this.size = size;
    this.n = new Int32Array(size);
    this.rec = Array.from({ length: size }, () => new Int32Array(256 * ARRIVAL_STRIDE));
  }

  push(day: number, market: number, entry: number, jday: number, msOfDay: number, seed: number): void {
    const b = day % this.size;
    const i = this.n[b]!;
    let r = this.rec[b]!;
    if ((i + 1) * ARRIVAL_STRIDE > r.length) r = this.rec[b] = ensure(r, (i + 1) * ARRIVAL_STRIDE);
    const o = i * ARRIVAL_STRIDE;
    r[o] = market * 256 + entry;
    r[o + 1] = jday;
    r[o + 2] = msOfDay;
    r[o + 3] = seed | 0;
    this.n[b] = i + 1;
  }

  clear(day: number): void {
    this.n[day % this.size] = 0;
  }

  /** scratch records for `reorder` (grown, never shrunk: no allocation from day to day) */
  private spare: Int32Array | null = null;

  /**
   * Puts a day's requests in the order they will be played: `order[j]` is the current index of the j-th
   * request. The day's passengers are then read one after the other instead of all over the bucket.
   */
  reorder(day: number, order: Int32Array): void {
    const b = day % this.size;
    const n = this.n[b]!;
    const src = this.rec[b]!;
    let tmp = this.spare;
    if (!tmp || tmp.length < n * ARRIVAL_STRIDE) tmp = this.spare = new Int32Array(Math.max(n * ARRIVAL_STRIDE * 2, 1024));
    for (let j = 0; j < n; j++) {
      const i = order[j]! * ARRIVAL_STRIDE;
      const o = j * ARRIVAL_STRIDE;
      tmp[o] = src[i]!;
      tmp[o + 1] = src[i + 1]!;
      tmp[o + 2] = src[i + 2]!;
      tmp[o + 3] = src[i + 3]!;
    }
    src.set(tmp.subarray(0, n * ARRIVAL_STRIDE));
  }

  clone(): ArrivalBuckets {
    const c = new ArrivalBuckets(0);
    Object.assign(c, { spare: null, size: this.size, n: this.n.slice(), rec: this.rec.map((a) => a.slice()) });
    return c;
  }
}

/** int32 per request record of ArrivalBuckets */
export const ARRIVAL_STRIDE = 4;

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
