/**
 * The recorded history, columnar: passenger name records (one row per booking, up to two segments),
 * the booking event log (one row per segment state change, its sequence number is its position + 1),
 * ancillary purchases, class closures and reopenings, and competitor fare observations.
 */
import { ensure, SEGMENT_BITS, SEGMENT_MASK as MASK, Segments, type Ctor, type TypedArray } from './columns';

export const EV_BOOKED = 0;
export const EV_CANCELLED = 1;
export const EV_FLOWN = 2;
export const EV_NO_SHOW = 3;
/** showed up for a leg sold beyond its seats and was not boarded (the PSS accepts overbooked authorisations) */
export const EV_DENIED = 4;
export const EVENT_NAMES = ['booked', 'cancelled', 'flown', 'no_show', 'denied_boarding'] as const;
export type BookingEventType = (typeof EVENT_NAMES)[number];

export const ST_BOOKED = 0;
export const ST_CANCELLED = 1;
export const ST_FLOWN = 2;
export const ST_NO_SHOW = 3;
export const ST_DENIED = 4;

/** Booking entries a leg block holds (LegStore.oPnrIn); then they are spilled into the pool as one chunk. */
export const PNR_INLINE = 12;
/** int32 per chunk of the pool: PNR_INLINE entries, the previous chunk of the same leg (−1: none), padding to 64 bytes */
export const PNR_CHUNK = 16;

export const eventPnr = (e: number): number => e >>> 4;
export const eventType = (e: number): number => (e >> 1) & 7;
export const eventSegment = (e: number): number => e & 1;

/**
 * How many times over the booking rows grow when full. Growing copies the columns: doubling copied each row about
 * once more (2.5 % of the sandbox's main thread with the choice worker); the room grown ahead costs address space
 * only (pages are taken when written) and is not saved (`trimmed`). The rows change after they are written (a
 * booking's status), so they stay plain columns; what is only appended is kept in `Segments`, which never copy.
 */
const LOG_GROWTH = 4;

const ROW_COLUMNS = ['carrier', 'market', 'leg0', 'leg1', 'cls', 'opCls0', 'opCls1', 'pos', 'channel', 'segment', 'pax', 'amountMinor', 'currency',
  'product', 'fareBasis', 'value', 'prorate0', 'bookedMs', 'status0', 'status1', 'statusMs0', 'statusMs1', 'noShow', 'ancStart', 'ancCount'] as const;

/** The append-only columns (`Segments`), each with the count of its elements' rows and the elements a row takes. */
const SEGMENTED: readonly { count: string; width: number; columns: readonly [string, Ctor<TypedArray>][] }[] = [
  { count: 'nEvents', width: 1, columns: [['events', Int32Array]] },
  { count: 'nAnc', width: 1, columns: [['ancCode', Uint8Array], ['ancSeg', Uint8Array], ['ancAmount', Float64Array]] },
  { count: 'nPnrChunks', width: PNR_CHUNK, columns: [['pnrPool', Int32Array]] },
  { count: 'nClosures', width: 1, columns: [['clLeg', Int32Array], ['clClass', Uint8Array], ['clOpen', Uint8Array], ['clMs', Float64Array], ['clNext', Int32Array]] },
  {
    count: 'nObs', width: 1,
    columns: [['obCarrier', Uint8Array], ['obMarket', Int32Array], ['obDay', Int32Array], ['obCabin', Uint8Array], ['obAmount', Float64Array], ['obCurrency', Uint8Array], ['obValue', Float64Array], ['obMs', Float64Array]],
  },
];

export class BookingLog {
  n = 0;
  carrier = new Uint8Array(1024);
  market = new Int32Array(1024);
  leg0 = new Int32Array(1024);
  leg1 = new Int32Array(1024);
  cls = new Uint8Array(1024); // marketing class
  opCls0 = new Uint8Array(1024);
  opCls1 = new Uint8Array(1024);
  pos = new Uint8Array(1024);
  channel = new Uint8Array(1024);
  segment = new Uint8Array(1024); // passenger segment; 255 for orders from the offer assembler
  pax = new Uint8Array(1024);
  amountMinor = new Float64Array(1024); // whole journey, all passengers, filed currency
  currency = new Uint8Array(1024);
  product = new Int32Array(1024);
  fareBasis = new Int32Array(1024); // index into fareBasisNames when an override carried its own basis, else −1
  value = new Float64Array(1024); // base currency
  prorate0 = new Float64Array(1024);
  bookedMs = new Float64Array(1024);
  status0 = new Uint8Array(1024);
  status1 = new Uint8Array(1024);
  statusMs0 = new Float64Array(1024);
  statusMs1 = new Float64Array(1024);
  noShow = new Uint8Array(1024);
  ancStart = new Int32Array(1024);
  ancCount = new Uint8Array(1024);
  /**
   * the legs' booking entries spilled from their blocks, PNR_CHUNK int32 per chunk, appended in booking order (a
   * segment holds whole chunks: `poolChunk`)
   */
  pnrPool = new Segments(Int32Array);
  nPnrChunks = 0;

  // events: pnr · 16 + type · 2 + segment (decode with eventPnr, eventType, eventSegment)
  nEvents = 0;
  events = new Segments(Int32Array);

  // ancillaries
  nAnc = 0;
  ancCode = new Segments(Uint8Array);
  ancSeg = new Segments(Uint8Array);
  ancAmount = new Segments(Float64Array); // minor units, the booking's currency, all passengers

  // closures: class availability transitions per leg
  nClosures = 0;
  clLeg = new Segments(Int32Array);
  clClass = new Segments(Uint8Array);
  clOpen = new Segments(Uint8Array); // 1: reopened, 0: closed
  clMs = new Segments(Float64Array);
  clNext = new Segments(Int32Array);

  // competitor fare observations (shopping)
  nObs = 0;
  obCarrier = new Segments(Uint8Array);
  obMarket = new Segments(Int32Array);
  obDay = new Segments(Int32Array);
  obCabin = new Segments(Uint8Array);
  obAmount = new Segments(Float64Array);
  obCurrency = new Segments(Uint8Array);
  obValue = new Segments(Float64Array);
  obMs = new Segments(Float64Array);

  /** Appends a booking row; returns its index. */
  addBooking(): number {
    const i = this.n++;
    if (i >= this.carrier.length) {
      const cols = this as unknown as Record<string, TypedArray>;
      for (const k of ROW_COLUMNS) cols[k] = ensure(cols[k]!, i + 1, LOG_GROWTH);
    }
    return i;
  }

  /** Appends the PNR_INLINE entries of src from `at` as a chunk following chunk `prev` of the same leg; returns its index. */
  spillPnrs(src: Int32Array<ArrayBufferLike>, at: number, prev: number): number {
    const c = this.nPnrChunks++;
    const o = c * PNR_CHUNK;
    const pool = this.pnrPool.seg(o);
    const b = o & MASK;
    for (let j = 0; j < PNR_INLINE; j++) pool[b + j] = src[at + j]!;
    pool[b + PNR_INLINE] = prev;
    return c;
  }

  /** The pool's segment holding chunk c; the chunk starts at `poolAt(c)` in it. */
  poolChunk(c: number): Int32Array {
    return this.pnrPool.list[(c * PNR_CHUNK) >>> SEGMENT_BITS]!;
  }

  poolAt(c: number): number {
    return (c * PNR_CHUNK) & MASK;
  }

  addEvent(pnr: number, type: number, seg: number): void {
    const i = this.nEvents++;
    this.events.seg(i)[i & MASK] = pnr * 16 + type * 2 + seg;
  }

  addAncillary(code: number, seg: number, amount: number): number {
    const i = this.nAnc++;
    const o = i & MASK;
    this.ancCode.seg(i)[o] = code;
    this.ancSeg.seg(i)[o] = seg;
    this.ancAmount.seg(i)[o] = amount;
    return i;
  }

  addClosure(leg: number, cls: number, open: boolean, ms: number, head: number): number {
    const i = this.nClosures++;
    const o = i & MASK;
    this.clLeg.seg(i)[o] = leg;
    this.clClass.seg(i)[o] = cls;
    this.clOpen.seg(i)[o] = open ? 1 : 0;
    this.clMs.seg(i)[o] = ms;
    this.clNext.seg(i)[o] = head;
    return i;
  }

  addObservation(carrier: number, market: number, day: number, cabin: number, amount: number, currency: number, value: number, ms: number): void {
    const i = this.nObs++;
    const o = i & MASK;
    this.obCarrier.seg(i)[o] = carrier;
    this.obMarket.seg(i)[o] = market;
    this.obDay.seg(i)[o] = day;
    this.obCabin.seg(i)[o] = cabin;
    this.obAmount.seg(i)[o] = amount;
    this.obCurrency.seg(i)[o] = currency;
    this.obValue.seg(i)[o] = value;
    this.obMs.seg(i)[o] = ms;
  }

  /**
   * The log's fields with each column cut to the rows it holds (a copy of those rows, the segmented ones as one array):
   * what a saved market keeps (snapshot.ts), without the room grown ahead. `restore` takes it back.
   */
  trimmed(): Record<string, unknown> {
    const out: Record<string, unknown> = { ...(this as unknown as Record<string, unknown>) };
    const self = this as unknown as Record<string, unknown>;
    for (const k of ROW_COLUMNS) out[k] = (self[k] as TypedArray).slice(0, this.n);
    for (const g of SEGMENTED) {
      const n = (self[g.count] as number) * g.width;
      for (const [k] of g.columns) out[k] = (self[k] as Segments<TypedArray>).flat(n);
    }
    return out;
  }

  /** A log holding what `trimmed` gave. */
  static restore(saved: Record<string, unknown>): BookingLog {
    const log = new BookingLog();
    const self = log as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(saved)) self[k] = v;
    for (const g of SEGMENTED) for (const [k, ctor] of g.columns) self[k] = Segments.from(ctor, saved[k] as TypedArray);
    return log;
  }

  clone(): BookingLog {
    const c = Object.create(BookingLog.prototype) as BookingLog;
    for (const [k, v] of Object.entries(this)) {
      (c as unknown as Record<string, unknown>)[k] = ArrayBuffer.isView(v) ? (v as Uint8Array).slice() : v instanceof Segments ? v.clone() : v;
    }
    return c;
  }
}
