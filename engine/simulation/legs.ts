/**
 * Leg departures, columnar. A leg departure is a flight pattern on a local date; its index is
 * (date − day0) · nPatterns + pattern, so looking one up is arithmetic. Per leg, per cabin, per class
 * and per class × booking period the arrays hold inventory (capacity, sold, authorisation levels,
 * explicit closures, bid prices), revenue and the observations an RM system keeps (net bookings per
 * period and the fraction of each period a class was closed, the censoring data of unconstraining).
 */
import { ensure, type TypedArray } from './columns';

export const LEG_NONE = 0;
export const LEG_ON_SALE = 1;
export const LEG_DEPARTED = 2;

export interface LegSnapshot {
  legs: number[];
  data: { key: string; per: number; data: TypedArray }[];
  timers: Float64Array;
}

export class LegStore {
  readonly nP: number;
  readonly nCab: number;
  readonly mc: number; // class stride
  readonly periods: number;
  readonly day0: number;
  nDays = 0;
  /** live window (days) of the closure timers ring */
  readonly ringDays: number;

  state = new Uint8Array(0);
  depMs = new Float64Array(0);
  arrMs = new Float64Array(0);
  extCtl = new Uint8Array(0);
  periodStartMs = new Float64Array(0);
  curPeriod = new Uint8Array(0);
  pnrHead = new Int32Array(0);
  closureHead = new Int32Array(0);
  cap = new Int16Array(0);
  cabSold = new Int16Array(0);
  noShow = new Int16Array(0);
  boarded = new Int16Array(0);
  bid = new Float64Array(0);
  sold = new Int16Array(0);
  au = new Int16Array(0);
  /** seats a class can still sell: au − cabin sold, −1 when closed by control (hot copy for the choice loop) */
  left = new Int16Array(0);
  /** the last instant a leg sells (departure − cutoff); −Infinity once departed, 0 before it opens */
  saleEndMs = new Float64Array(0);
  ctlClosed = new Uint8Array(0);
  avail = new Uint8Array(0);
  revenue = new Float64Array(0);
  net = new Int16Array(0);
  closedFrac = new Uint8Array(0);
  closedSince: Float64Array;
  closedAcc: Float64Array;

  constructor(nP: number, nCab: number, mc: number, periods: number, day0: number, ringDays: number, days: number) {
    this.nP = nP;
    this.nCab = nCab;
    this.mc = mc;
    this.periods = periods;
    this.day0 = day0;
    this.ringDays = ringDays;
    this.closedSince = new Float64Array(ringDays * nP * mc);
    this.closedAcc = new Float64Array(ringDays * nP * mc);
    this.grow(days);
  }

  /** Makes room for local dates up to day0 + days − 1. */
  grow(days: number): void {
    if (days <= this.nDays) return;
    const n = Math.max(days, Math.ceil(this.nDays * 1.5)) * this.nP;
    const g = <T extends TypedArray>(a: T, per: number, fill?: number): T => {
      const old = a.length;
      const next = ensure(a, n * per);
      if (fill !== undefined && next.length > old) next.fill(fill, old);
      return next;
    };
    this.state = g(this.state, 1);
    this.depMs = g(this.depMs, 1);
    this.arrMs = g(this.arrMs, 1);
    this.extCtl = g(this.extCtl, 1);
    this.periodStartMs = g(this.periodStartMs, 1);
    this.curPeriod = g(this.curPeriod, 1);
    this.pnrHead = g(this.pnrHead, 1, -1);
    this.closureHead = g(this.closureHead, 1, -1);
    this.cap = g(this.cap, this.nCab);
    this.cabSold = g(this.cabSold, this.nCab);
    this.noShow = g(this.noShow, this.nCab);
    this.boarded = g(this.boarded, this.nCab);
    this.bid = g(this.bid, this.nCab);
    this.sold = g(this.sold, this.mc);
    this.au = g(this.au, this.mc);
    this.left = g(this.left, this.mc);
    this.saleEndMs = g(this.saleEndMs, 1);
    this.ctlClosed = g(this.ctlClosed, this.mc);
    this.avail = g(this.avail, this.mc);
    this.revenue = g(this.revenue, this.mc);
    this.net = g(this.net, this.mc * this.periods);
    this.closedFrac = g(this.closedFrac, this.mc * this.periods);
    this.nDays = Math.floor(this.state.length / this.nP);
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

  /** Slot of a live leg in the closure-timer ring. */
  ring(leg: number): number {
    return ((Math.floor(leg / this.nP) % this.ringDays) * this.nP + (leg % this.nP)) * this.mc;
  }

  /** Whether the leg index exists and is a created departure. */
  exists(leg: number): boolean {
    return leg >= 0 && leg < this.state.length && this.state[leg] !== LEG_NONE;
  }

  /** Copies the state of some legs (and their closure timers) so it can be restored (what-if draws). */
  snapshot(legs: readonly number[]): LegSnapshot {
    const perLeg: Record<string, number> = {};
    const arrays: [string, TypedArray][] = [];
    for (const [k, v] of Object.entries(this)) {
      if (!ArrayBuffer.isView(v) || k === 'closedSince' || k === 'closedAcc') continue;
      const a = v as TypedArray;
      perLeg[k] = a.length / (this.state.length);
      arrays.push([k, a]);
    }
    const data = arrays.map(([k, a]) => {
      const per = perLeg[k]!;
      const out = new (a.constructor as { new (n: number): TypedArray })(legs.length * per);
      legs.forEach((leg, i) => out.set(a.subarray(leg * per, (leg + 1) * per), i * per));
      return { key: k, per, data: out };
    });
    const timers = new Float64Array(legs.length * this.mc * 2);
    legs.forEach((leg, i) => {
      const r = this.ring(leg);
      timers.set(this.closedSince.subarray(r, r + this.mc), i * this.mc * 2);
      timers.set(this.closedAcc.subarray(r, r + this.mc), i * this.mc * 2 + this.mc);
    });
    return { legs: [...legs], data, timers };
  }

  restore(s: LegSnapshot): void {
    const self = this as unknown as Record<string, TypedArray>;
    const legs = s.legs;
    for (const { key, per, data } of s.data) {
      const a = self[key]!;
      if (per <= 8) {
        for (let i = 0; i < legs.length; i++) {
          const dst = legs[i]! * per;
          const src = i * per;
          for (let j = 0; j < per; j++) a[dst + j] = data[src + j]!;
        }
      } else {
        for (let i = 0; i < legs.length; i++) a.set(data.subarray(i * per, (i + 1) * per), legs[i]! * per);
      }
    }
    s.legs.forEach((leg, i) => {
      const r = this.ring(leg);
      this.closedSince.set(s.timers.subarray(i * this.mc * 2, i * this.mc * 2 + this.mc), r);
      this.closedAcc.set(s.timers.subarray(i * this.mc * 2 + this.mc, (i + 1) * this.mc * 2), r);
    });
  }

  clone(): LegStore {
    const c = Object.create(LegStore.prototype) as LegStore;
    for (const [k, v] of Object.entries(this)) {
      (c as unknown as Record<string, unknown>)[k] = ArrayBuffer.isView(v) ? (v as TypedArray).slice() : v;
    }
    return c;
  }
}
