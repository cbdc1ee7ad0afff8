/**
 * The recorded history, columnar: passenger name records (one row per booking, up to two segments),
 * the booking event log (one row per segment state change, its sequence number is its position + 1),
 * ancillary purchases, class closures and reopenings, and competitor fare observations.
 */
import { ensure, type TypedArray } from './columns';

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
 * How many times over the booking rows, events and ancillaries grow when full. Growing copies the columns:
 * doubling copied each row about once more (2.5 % of the sandbox's main thread with the choice worker); the
 * room grown ahead costs address space only (pages are taken when written) and is not saved (`trimmed`).
 */
const LOG_GROWTH = 4;

interface LogGroup { count: string; width: number; columns: readonly string[] }
const ROWS: LogGroup = {
  count: 'n', width: 1, columns: ['carrier', 'market', 'leg0', 'leg1', 'cls', 'opCls0', 'opCls1', 'pos', 'channel', 'segment', 'pax', 'amountMinor', 'currency',
    'product', 'fareBasis', 'value', 'prorate0', 'bookedMs', 'status0', 'status1', 'statusMs0', 'statusMs1', 'noShow', 'ancStart', 'ancCount'],
};
const ANCILLARIES: LogGroup = { count: 'nAnc', width: 1, columns: ['ancCode', 'ancSeg', 'ancAmount'] };
/** every column, by the count of rows it holds */
const LOG_GROUPS: readonly LogGroup[] = [
  ROWS, ANCILLARIES,
  { count: 'nEvents', width: 1, columns: ['events'] },
  { count: 'nPnrChunks', width: PNR_CHUNK, columns: ['pnrPool'] },
  { count: 'nClosures', width: 1, columns: ['clLeg', 'clClass', 'clOpen', 'clMs', 'clNext'] },
  { count: 'nObs', width: 1, columns: ['obCarrier', 'obMarket', 'obDay', 'obCabin', 'obAmount', 'obCurrency', 'obValue', 'obMs'] },
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
  /** the legs' booking entries spilled from their blocks, PNR_CHUNK int32 per chunk, appended in booking order */
  pnrPool = new Int32Array(64 * PNR_CHUNK);
  nPnrChunks = 0;

  // events: pnr · 16 + type · 2 + segment (decode with eventPnr, eventType, eventSegment)
  nEvents = 0;
  events = new Int32Array(4096);

  // ancillaries
  nAnc = 0;
  ancCode = new Uint8Array(1024);
  ancSeg = new Uint8Array(1024);
  ancAmount = new Float64Array(1024); // minor units, the booking's currency, all passengers

  // closures: class availability transitions per leg
  nClosures = 0;
  clLeg = new Int32Array(1024);
  clClass = new Uint8Array(1024);
  clOpen = new Uint8Array(1024); // 1: reopened, 0: closed
  clMs = new Float64Array(1024);
  clNext = new Int32Array(1024);

  // competitor fare observations (shopping)
  nObs = 0;
  obCarrier = new Uint8Array(1024);
  obMarket = new Int32Array(1024);
  obDay = new Int32Array(1024);
  obCabin = new Uint8Array(1024);
  obAmount = new Float64Array(1024);
  obCurrency = new Uint8Array(1024);
  obValue = new Float64Array(1024);
  obMs = new Float64Array(1024);

  /** Appends a booking row; returns its index. */
  addBooking(): number {
    const i = this.n++;
    if (i >= this.carrier.length) this.growGroup(ROWS, i + 1);
    return i;
  }

  /** Appends the PNR_INLINE entries of src from `at` as a chunk following chunk `prev` of the same leg; returns its index. */
  spillPnrs(src: Int32Array<ArrayBufferLike>, at: number, prev: number): number {
    const c = this.nPnrChunks++;
    const o = c * PNR_CHUNK;
    if (o + PNR_CHUNK > this.pnrPool.length) this.pnrPool = ensure(this.pnrPool, o + PNR_CHUNK);
    const pool = this.pnrPool;
    for (let j = 0; j < PNR_INLINE; j++) pool[o + j] = src[at + j]!;
    pool[o + PNR_INLINE] = prev;
    return c;
  }

  addEvent(pnr: number, type: number, seg: number): void {
    if (this.nEvents >= this.events.length) this.events = ensure(this.events, this.nEvents + 1, LOG_GROWTH);
    this.events[this.nEvents++] = pnr * 16 + type * 2 + seg;
  }

  addAncillary(code: number, seg: number, amount: number): number {
    const i = this.nAnc++;
    if (i >= this.ancCode.length) this.growGroup(ANCILLARIES, i + 1);
    this.ancCode[i] = code;
    this.ancSeg[i] = seg;
    this.ancAmount[i] = amount;
    return i;
  }

  addClosure(leg: number, cls: number, open: boolean, ms: number, head: number): number {
    const i = this.nClosures++;
    if (i >= this.clLeg.length) {
      this.clLeg = ensure(this.clLeg, i + 1);
      this.clClass = ensure(this.clClass, i + 1);
      this.clOpen = ensure(this.clOpen, i + 1);
      this.clMs = ensure(this.clMs, i + 1);
      this.clNext = ensure(this.clNext, i + 1);
    }
    this.clLeg[i] = leg;
    this.clClass[i] = cls;
    this.clOpen[i] = open ? 1 : 0;
    this.clMs[i] = ms;
    this.clNext[i] = head;
    return i;
  }

  addObservation(carrier: number, market: number, day: number, cabin: number, amount: number, currency: number, value: number, ms: number): void {
    const i = this.nObs++;
    if (i >= this.obCarrier.length) {
      this.obCarrier = ensure(this.obCarrier, i + 1);
      this.obMarket = ensure(this.obMarket, i + 1);
      this.obDay = ensure(this.obDay, i + 1);
      this.obCabin = ensure(this.obCabin, i + 1);
      this.obAmount = ensure(this.obAmount, i + 1);
      this.obCurrency = ensure(this.obCurrency, i + 1);
      this.obValue = ensure(this.obValue, i + 1);
      this.obMs = ensure(this.obMs, i + 1);
    }
    this.obCarrier[i] = carrier;
    this.obMarket[i] = market;
    this.obDay[i] = day;
    this.obCabin[i] = cabin;
    this.obAmount[i] = amount;
    this.obCurrency[i] = currency;
    this.obValue[i] = value;
    this.obMs[i] = ms;
  }

  /** Grows every column of a group to hold `need` rows (LOG_GROWTH times over: the log only grows). */
  private growGroup(group: LogGroup, need: number): void {
    const cols = this as unknown as Record<string, TypedArray>;
    for (const k of group.columns) cols[k] = ensure(cols[k]!, need, LOG_GROWTH);
  }

  /**
   * The log's fields with each column cut to the rows it holds (a copy of those rows): what a saved market keeps
   * (snapshot.ts), without the room grown ahead. A restored log grows again on its next row.
   */
  trimmed(): Record<string, unknown> {
    const out: Record<string, unknown> = { ...(this as unknown as Record<string, unknown>) };
    const self = this as unknown as Record<string, number>;
    for (const g of LOG_GROUPS) {
      const rows = self[g.count]! * g.width;
      for (const k of g.columns) out[k] = (this as unknown as Record<string, TypedArray>)[k]!.slice(0, rows);
    }
    return out;
  }

  clone(): BookingLog {
    const c = Object.create(BookingLog.prototype) as BookingLog;
    for (const [k, v] of Object.entries(this)) {
      (c as unknown as Record<string, unknown>)[k] = ArrayBuffer.isView(v) ? (v as Uint8Array).slice() : v;
    }
    return c;
  }
}
