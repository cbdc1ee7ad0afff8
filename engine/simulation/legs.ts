/**
 * Leg departures. A leg departure is a flight pattern on a local date; its index is
 * (date − day0) · nPatterns + pattern, so looking one up is arithmetic. Per leg, per cabin, per class
 * and per class × booking period the store holds inventory (capacity, sold, authorisation levels,
 * explicit closures, bid prices), revenue and the observations an RM system keeps (net bookings per
 * period and the fraction of each period a class was closed, the censoring data of unconstraining).
 *
 * Layout: each leg's scalar, per-cabin and per-class fields live together in one block of `B` bytes
 * (a multiple of 64, so a block starts on a cache line) of one ArrayBuffer, read through four typed
 * views (f64, i32, i16, u8) at per-field offsets. The first bytes of a block hold what a passenger's
 * choice reads (end of sale, bid prices, seats left per class), then what re-evaluating availability
 * reads (cabin sold, authorisation levels, closures), then what a booking writes (sold, the current
 * period's net bookings, revenue), so choosing and booking touch a few adjacent cache lines per leg
 * instead of one line in each of twenty arrays. The per class × period observations (net bookings,
 * closed fractions) of the periods that ended stay in their own arrays: the current period's net
 * bookings are counted in the block and moved there when the period ends (`closePeriod`), so a booking
 * touches no other line; `netOf` reads either.
 *
 * Hot code indexes the views directly (`L.i16[L.iLeft(leg) + c]`); the rest uses the named accessors.
 *
 * Room: the buffers are allocated for `capDays` dates, more than the `nDays` held, and a zeroed block is a leg
 * not created (every field's empty value is 0). Memory the store has not written is address space only (the
 * system commits a page when it is first written), so holding one more date each day costs no copy; the
 * buffers are copied only when the dates outgrow the room, which then doubles.
 */
import { withRoom } from './columns';
import { PNR_INLINE } from './booking-log';

export const LEG_NONE = 0;
export const LEG_ON_SALE = 1;
export const LEG_DEPARTED = 2;

/** The dates a store makes room for at first (the room doubles when outgrown): a sandbox's history and horizon and more. */
export const LEG_ROOM_DAYS = 1024;

/** The state of some legs, copied so it can be restored (what-if draws). */
export interface LegSnapshot {
  legs: number[];
  blocks: Uint8Array;
  net: Int16Array;
  closedFrac: Uint8Array;
  timers: Float64Array;
}

/** A whole store as plain typed arrays (simulator snapshots). */
export interface LegStoreData {
  nDays: number;
  blocks: Uint8Array;
  net: Int16Array;
  closedFrac: Uint8Array;
  closedSince: Float64Array;
  closedAcc: Float64Array;
}

const align = (n: number, a: number) => Math.ceil(n / a) * a;

export class LegStore {
  readonly nP: number;
  readonly nCab: number;
  readonly mc: number; // class stride
  readonly periods: number;
  readonly day0: number;
  /** dates held: day0 … day0 + nDays − 1 */
  nDays = 0;
  /** dates the buffers have room for (≥ nDays) */
  capDays = 0;
  /** live window (days) of the closure timers ring */
  readonly ringDays: number;

  /** bytes per leg block, and the block's stride in each view's elements */
  readonly B: number;
  readonly s8: number;
  readonly s4: number;
  readonly s2: number;
  buf: ArrayBuffer | SharedArrayBuffer = new ArrayBuffer(0);
  f64: Float64Array<ArrayBufferLike> = new Float64Array(0);
  i32: Int32Array<ArrayBufferLike> = new Int32Array(0);
  i16: Int16Array<ArrayBufferLike> = new Int16Array(0);
  u8: Uint8Array<ArrayBufferLike> = new Uint8Array(0);

  // field offsets inside a block, in elements of their view
  /** f64: the last instant a leg sells (departure − cutoff); −Infinity once departed, 0 before it opens */
  readonly oSaleEnd: number;
  /** f64 per cabin: bid price (base currency) */
  readonly oBid: number;
  /** i16 per class: seats the class can still sell, au − cabin sold, −1 when closed by control (the choice loop's copy) */
  readonly oLeft: number;
  readonly oSold: number;
  readonly oAu: number;
  /** i16 per class: net bookings of the current booking period (not yet in `net`) */
  readonly oCurNet: number;
  readonly oCabSold: number;
  readonly oCap: number;
  readonly oNoShow: number;
  readonly oBoarded: number;
  /** u8 per class: closed by control; available (open) */
  readonly oCtl: number;
  readonly oAvail: number;
  /** u8: LEG_NONE / LEG_ON_SALE / LEG_DEPARTED; controls pushed from outside; current booking period */
  readonly oState: number;
  readonly oExt: number;
  readonly oCurP: number;
  /** f64 per class: revenue (prorated, base currency); f64: departure, arrival, start of the current period */
  readonly oRev: number;
  readonly oDep: number;
  readonly oArr: number;
  readonly oPStart: number;
  /**
   * The leg's booking records, as entries record · 2 + segment (0: the record's first leg, 1: its second):
   * i32 the newest chunk spilled into the booking log's pool plus one (0: none; pnrChunkOf, setPnrChunk), i32 the number held in the block,
   * i32 × PNR_INLINE the newest ones (BookingLog.spillPnrs). A departure reads them newest first, a line at a
   * time (a list linked through the log cost a dependent cache miss per booking).
   */
  readonly oPnr: number;
  readonly oPnrN: number;
  readonly oPnrIn: number;
  /** i32: newest closure record plus one (0: none; closureHeadOf, setClosureHead) */
  readonly oClo: number;

  /** net bookings per class × period: [(leg · mc + c) · periods + k] */
  net = new Int16Array(0);
  /** fraction of each period a class was closed, 0..255: [(leg · mc + c) · periods + k] */
  closedFrac = new Uint8Array(0);
  /**
   * The closure timers of the live legs' classes, by ring slot (`timersAt`): at timersAt + 2 · c the instant class c
   * last closed, at timersAt + 2 · c + 1 the time it has been closed in the current period before that (ms). The
   * two side by side: a class that closes or reopens writes one cache line, not one in each of two arrays.
   */
  timers: Float64Array;

  constructor(nP: number, nCab: number, mc: number, periods: number, day0: number, ringDays: number, days: number, roomDays = days) {
    this.nP = nP;
    this.nCab = nCab;
    this.mc = mc;
    this.periods = periods;
    this.day0 = day0;
    this.ringDays = ringDays;
    let at = 0; // bytes
    const field = (bytes: number, n: number): number => {
      at = align(at, bytes);
      const o = at / bytes;
      at += bytes * n;
      return o;
    };
    // what the choice reads
    this.oSaleEnd = field(8, 1);
    this.oBid = field(8, nCab);
    this.oLeft = field(2, mc);
    // what availability reads
    this.oCabSold = field(2, nCab);
    this.oAu = field(2, mc);
    this.oCtl = field(1, mc);
    this.oAvail = field(1, mc);
    // what a booking writes
    this.oSold = field(2, mc);
    this.oCurNet = field(2, mc);
    this.oNoShow = field(2, nCab);
    this.oCap = field(2, nCab);
    this.oBoarded = field(2, nCab);
    this.oState = field(1, 1);
    this.oExt = field(1, 1);
    this.oCurP = field(1, 1);
    this.oRev = field(8, mc);
    this.oDep = field(8, 1);
    this.oArr = field(8, 1);
    this.oPStart = field(8, 1);
    this.oPnr = field(4, 1);
    this.oClo = field(4, 1);
    this.oPnrN = field(4, 1);
    this.oPnrIn = field(4, PNR_INLINE);
    this.B = align(at, 64);
    this.s8 = this.B / 8;
    this.s4 = this.B / 4;
    this.s2 = this.B / 2;
    this.timers = new Float64Array(ringDays * nP * mc * 2);
    this.makeRoom(Math.max(days, roomDays));
    this.nDays = days;
  }

  /** Number of leg indices the store holds (created or not). */
  get nLegs(): number {
    return this.nDays * this.nP;
  }

  private setBuffer(buf: ArrayBuffer | SharedArrayBuffer): void {
    this.buf = buf;
    this.f64 = new Float64Array(buf);
    this.i32 = new Int32Array(buf);
    this.i16 = new Int16Array(buf);
    this.u8 = new Uint8Array(buf);
  }

  /** The blocks' buffer, moved to shared memory first if it is not there (a choice worker reads it; growing keeps it shared). */
  share(): SharedArrayBuffer {
    if (!(this.buf instanceof SharedArrayBuffer)) {
      const buf = new SharedArrayBuffer(this.buf.byteLength);
      new Uint8Array(buf).set(this.u8.subarray(0, this.nLegs * this.B));
      this.setBuffer(buf);
    }
    return this.buf as SharedArrayBuffer;
  }

  /** Reads another store's shared blocks, `days` dates of them (a choice worker's replica; the store must have the same shape). */
  adopt(buf: SharedArrayBuffer, days: number): void {
    if (buf.byteLength !== days * this.nP * this.B) throw new Error(`leg store: a shared buffer of ${buf.byteLength} bytes does not hold ${days} days of ${this.nP} patterns at ${this.B} bytes`);
    this.setBuffer(buf);
    this.nDays = this.capDays = days;
  }

  /** Holds local dates up to day0 + days − 1. */
  grow(days: number): void {
    if (days <= this.nDays) return;
    if (days > this.capDays) this.makeRoom(Math.max(days, 2 * this.capDays));
    this.nDays = days;
  }

  /** New buffers with room for `capDays` dates, holding what the store holds (only that is copied: the rest stays unwritten). */
  private makeRoom(capDays: number): void {
    const n = capDays * this.nP;
    const held = this.nLegs;
    const buf = this.buf instanceof SharedArrayBuffer ? new SharedArrayBuffer(n * this.B) : new ArrayBuffer(n * this.B);
    new Uint8Array(buf).set(this.u8.subarray(0, held * this.B));
    this.setBuffer(buf);
    const per = this.mc * this.periods;
    this.net = withRoom(this.net, n * per, held * per);
    this.closedFrac = withRoom(this.closedFrac, n * per, held * per);
    this.capDays = capDays;
  }

  index(day: number, pattern: number): number {
    return (day - this.day0) * this.nP + pattern;
  }

  patternOf(leg: number): number {
    return leg % this.nP;
  }

  dayOf(leg: number): number {
    return this.day0 + Math.floor(leg / this.nP);
  }

  /** Where a live leg's closure timers start in `timers` (its ring slot's): class c's at timersAt + 2 · c and + 2 · c + 1. */
  timersAt(leg: number): number {
    return ((Math.floor(leg / this.nP) % this.ringDays) * this.nP + (leg % this.nP)) * this.mc * 2;
  }

  /** Whether the leg index exists and is a created departure. */
  exists(leg: number): boolean {
    return leg >= 0 && leg < this.nLegs && this.u8[leg * this.B + this.oState] !== LEG_NONE;
  }

  // ── element indices of a leg's fields in their view (hot code)
  iSaleEnd(leg: number): number { return leg * this.s8 + this.oSaleEnd; }
  iBid(leg: number): number { return leg * this.s8 + this.oBid; }
  iRev(leg: number): number { return leg * this.s8 + this.oRev; }
  iLeft(leg: number): number { return leg * this.s2 + this.oLeft; }
  iSold(leg: number): number { return leg * this.s2 + this.oSold; }
  iAu(leg: number): number { return leg * this.s2 + this.oAu; }
  iCurNet(leg: number): number { return leg * this.s2 + this.oCurNet; }
  iCabSold(leg: number): number { return leg * this.s2 + this.oCabSold; }
  iCap(leg: number): number { return leg * this.s2 + this.oCap; }
  iNoShow(leg: number): number { return leg * this.s2 + this.oNoShow; }
  iCtl(leg: number): number { return leg * this.B + this.oCtl; }
  iAvail(leg: number): number { return leg * this.B + this.oAvail; }

  // ── named accessors (queries, tests, the carrier view)
  stateOf(leg: number): number { return leg >= 0 && leg < this.nLegs ? this.u8[leg * this.B + this.oState]! : LEG_NONE; }
  setState(leg: number, v: number): void { this.u8[leg * this.B + this.oState] = v; }
  depMsOf(leg: number): number { return this.f64[leg * this.s8 + this.oDep]!; }
  arrMsOf(leg: number): number { return this.f64[leg * this.s8 + this.oArr]!; }
  saleEndOf(leg: number): number { return this.f64[leg * this.s8 + this.oSaleEnd]!; }
  periodStartOf(leg: number): number { return this.f64[leg * this.s8 + this.oPStart]!; }
  curPeriodOf(leg: number): number { return this.u8[leg * this.B + this.oCurP]!; }
  extCtlOf(leg: number): number { return this.u8[leg * this.B + this.oExt]!; }
  /** The leg's newest chunk of booking entries spilled into the log's pool (−1: none). */
  pnrChunkOf(leg: number): number { return this.i32[leg * this.s4 + this.oPnr]! - 1; }
  setPnrChunk(leg: number, chunk: number): void { this.i32[leg * this.s4 + this.oPnr] = chunk + 1; }
  /** The leg's newest closure record (−1: none). */
  closureHeadOf(leg: number): number { return this.i32[leg * this.s4 + this.oClo]! - 1; }
  setClosureHead(leg: number, record: number): void { this.i32[leg * this.s4 + this.oClo] = record + 1; }
  capOf(leg: number, cab: number): number { return this.i16[leg * this.s2 + this.oCap + cab]!; }
  cabSoldOf(leg: number, cab: number): number { return this.i16[leg * this.s2 + this.oCabSold + cab]!; }
  noShowOf(leg: number, cab: number): number { return this.i16[leg * this.s2 + this.oNoShow + cab]!; }
  boardedOf(leg: number, cab: number): number { return this.i16[leg * this.s2 + this.oBoarded + cab]!; }
  bidOf(leg: number, cab: number): number { return this.f64[leg * this.s8 + this.oBid + cab]!; }
  soldOf(leg: number, c: number): number { return this.i16[leg * this.s2 + this.oSold + c]!; }
  auOf(leg: number, c: number): number { return this.i16[leg * this.s2 + this.oAu + c]!; }
  leftOf(leg: number, c: number): number { return this.i16[leg * this.s2 + this.oLeft + c]!; }
  ctlClosedOf(leg: number, c: number): number { return this.u8[leg * this.B + this.oCtl + c]!; }
  availOf(leg: number, c: number): number { return this.u8[leg * this.B + this.oAvail + c]!; }
  revenueOf(leg: number, c: number): number { return this.f64[leg * this.s8 + this.oRev + c]!; }
  /** Net bookings of class c in booking period k (the current period's still in the block). */
  netOf(leg: number, c: number, k: number): number {
    const v = this.net[(leg * this.mc + c) * this.periods + k]!;
    return k === this.u8[leg * this.B + this.oCurP] ? ((v + this.i16[leg * this.s2 + this.oCurNet + c]!) << 16) >> 16 : v; // int16 as the flushed cell
  }

  /**
   * Ends the current booking period's count: adds each class's net bookings counted in the block to
   * net[.. current period] and zeroes them (the caller then moves the leg's current period on). The
   * current period is the one bookings were counted in, which is not always the period being closed: a
   * departure on the UTC day before its local date closes the last period while the one before is current.
   */
  flushPeriod(leg: number): void {
    const mc = this.mc;
    const P = this.periods;
    const k = this.u8[leg * this.B + this.oCurP]!;
    if (k >= P) return;
    const i = leg * this.s2 + this.oCurNet;
    const base = leg * mc * P + k;
    for (let c = 0; c < mc; c++) {
      const v = this.i16[i + c]!;
      if (v !== 0) { this.net[base + c * P] += v; this.i16[i + c] = 0; }
    }
  }

  /** Copies the state of some legs (and their closure timers) so it can be restored (what-if draws). */
  snapshot(legs: readonly number[]): LegSnapshot {
    const per = this.mc * this.periods;
    const blocks = new Uint8Array(legs.length * this.B);
    const net = new Int16Array(legs.length * per);
    const closedFrac = new Uint8Array(legs.length * per);
    const timers = new Float64Array(legs.length * this.mc * 2);
    legs.forEach((leg, i) => {
      blocks.set(this.u8.subarray(leg * this.B, (leg + 1) * this.B), i * this.B);
      net.set(this.net.subarray(leg * per, (leg + 1) * per), i * per);
      closedFrac.set(this.closedFrac.subarray(leg * per, (leg + 1) * per), i * per);
      const r = this.timersAt(leg);
      timers.set(this.timers.subarray(r, r + this.mc * 2), i * this.mc * 2);
    });
    return { legs: [...legs], blocks, net, closedFrac, timers };
  }

  restore(s: LegSnapshot): void {
    const per = this.mc * this.periods;
    const B = this.B;
    s.legs.forEach((leg, i) => {
      this.u8.set(s.blocks.subarray(i * B, (i + 1) * B), leg * B);
      this.net.set(s.net.subarray(i * per, (i + 1) * per), leg * per);
      this.closedFrac.set(s.closedFrac.subarray(i * per, (i + 1) * per), leg * per);
      this.timers.set(s.timers.subarray(i * this.mc * 2, (i + 1) * this.mc * 2), this.timersAt(leg));
    });
  }

  /** The whole store as typed arrays (the views cover only the legs it holds; the timers as two arrays, as saved before they were paired). */
  toData(): LegStoreData {
    const per = this.mc * this.periods;
    const n = this.timers.length / 2;
    const closedSince = new Float64Array(n);
    const closedAcc = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      closedSince[i] = this.timers[2 * i]!;
      closedAcc[i] = this.timers[2 * i + 1]!;
    }
    return {
      nDays: this.nDays, blocks: this.u8.subarray(0, this.nLegs * this.B), net: this.net.subarray(0, this.nLegs * per),
      closedFrac: this.closedFrac.subarray(0, this.nLegs * per), closedSince, closedAcc,
    };
  }

  /** Takes over a store's data (from toData of a store with the same shape). */
  loadData(d: LegStoreData): void {
    if (d.blocks.length !== d.nDays * this.nP * this.B || d.closedSince.length * 2 !== this.timers.length || d.closedAcc.length !== d.closedSince.length) {
      throw new Error(`leg store: saved data do not fit this network (${d.blocks.length} bytes for ${d.nDays} days of ${this.nP} patterns at ${this.B} bytes)`);
    }
    this.nDays = 0; // nothing held is kept: the new buffers take the saved data
    this.makeRoom(Math.max(d.nDays, this.capDays));
    this.u8.set(d.blocks);
    this.net.set(d.net);
    this.closedFrac.set(d.closedFrac);
    const timers = new Float64Array(this.timers.length);
    for (let i = 0; i < d.closedSince.length; i++) {
      timers[2 * i] = d.closedSince[i]!;
      timers[2 * i + 1] = d.closedAcc[i]!;
    }
    this.timers = timers;
    this.nDays = d.nDays;
  }

  /** A copy with the same room (only what is held is copied). */
  clone(): LegStore {
    const c = Object.create(LegStore.prototype) as LegStore;
    Object.assign(c, this);
    c.makeRoom(this.capDays); // new buffers holding a copy of what this store holds
    c.timers = this.timers.slice();
    return c;
  }
}
