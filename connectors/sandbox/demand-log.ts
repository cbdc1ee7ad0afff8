/**
 * The sandbox PROS system's demand publications, built from the simulated booking log: for each O&D
 * market our carrier flies non-stop, each departure date and cabin,
 * - a `current` figure (cumulative net bookings) is published at each DCP as the clock passes it, and
 * - once the departure has flown (00:00 UTC the next day), the whole DCP series is published again as
 *   `historical`.
 * Publications get increasing sequence numbers in the order they become due (then by market, date,
 * cabin, DCP), so the stream is deterministic and an incremental cursor never misses or repeats one.
 * Stored columnar: a year of a hub carrier's figures is a million rows.
 *
 * PROS here estimates no unconstrained demand (the field is null): that estimate is the workbench's job.
 */
import { dateFromDayNumber } from '../../engine/domain/time';
import type { DemandQuery, DemandRecord } from '../../engine/ports/demand';
import type { MarketSimulator } from '../../engine/simulation/simulator';
import { ST_CANCELLED } from '../../engine/simulation/booking-log';
import { LEG_NONE } from '../../engine/simulation/legs';
import { DAY_MS } from '../../engine/simulation/clock';
import type { LogPage, PublishedDemand } from './market';

const KIND_CURRENT = 0;
const KIND_HISTORICAL = 1;

class Columns {
  n = 0;
  market = new Int32Array(1024);
  day = new Int32Array(1024);
  cabin = new Uint8Array(1024);
  dcp = new Uint16Array(1024);
  kind = new Uint8Array(1024);
  bookings = new Float64Array(1024);
  asOfMs = new Float64Array(1024);

  push(m: number, X: number, cab: number, dcp: number, kind: number, bookings: number, asOfMs: number): void {
    if (this.n === this.market.length) {
      const grow = <T extends Int32Array | Uint8Array | Uint16Array | Float64Array>(a: T): T => {
        const next = new (a.constructor as new (n: number) => T)(a.length * 2);
        next.set(a);
        return next;
      };
      this.market = grow(this.market); this.day = grow(this.day); this.cabin = grow(this.cabin); this.dcp = grow(this.dcp);
      this.kind = grow(this.kind); this.bookings = grow(this.bookings); this.asOfMs = grow(this.asOfMs);
    }
    const i = this.n++;
    this.market[i] = m; this.day[i] = X; this.cabin[i] = cab; this.dcp[i] = dcp; this.kind[i] = kind; this.bookings[i] = bookings; this.asOfMs[i] = asOfMs;
  }
}

interface Pending { m: number; X: number; cab: number; k: number; kind: number; bookings: number; at: number }

export class DemandLog {
  private readonly cols = new Columns();
  /** per (market, day, cabin): highest DCP index published as current (−1 none); historical done: P */
  private readonly progress = new Map<number, number>();
  private throughMs = Number.NEGATIVE_INFINITY;
  /** our carrier's non-stop markets and, per market, its patterns */
  readonly markets: { m: number; origin: string; destination: string; patterns: number[] }[];

  constructor(private readonly sim: MarketSimulator) {
    const net = sim.net;
    const byMarket = new Map<number, number[]>();
    for (let p = 0; p < net.patterns.n; p++) {
      const lm = net.patterns.localMarket[p]!;
      if (net.patterns.carrier[p] !== net.own || lm < 0) continue;
      byMarket.set(lm, [...(byMarket.get(lm) ?? []), p]);
    }
    this.markets = [...byMarket].sort((a, b) => a[0] - b[0]).map(([m, patterns]) => ({
      m, patterns, origin: net.airports[net.markets.origin[m]!]!.code, destination: net.airports[net.markets.destination[m]!]!.code,
    }));
  }

  /** The instant DCP index k of a departure on local day X is reached (DCP 0: the end of the departure day). */
  private dcpInstant(X: number, k: number): number {
    const d = this.sim.net.dcps[k]!;
    return d === 0 ? (X + 1) * DAY_MS : (X - d + 1) * DAY_MS;
  }

  private operates(X: number, patterns: number[]): boolean {
    const L = this.sim.legs;
    if (X < L.day0 || X >= L.day0 + L.nDays) return false;
    return patterns.some((p) => L.stateOf(L.index(X, p)) !== LEG_NONE);
  }

  /**
   * Cumulative net bookings [market slot][day − a][cabin][k] of our carrier at each DCP instant up to `now`,
   * for departures with local day in [a, b] (one pass over the booking log).
   */
  private aggregate(slots: Map<number, number>, a: number, b: number): Float64Array {
    const sim = this.sim;
    const net = sim.net;
    const lg = sim.log;
    const L = sim.legs;
    const P = net.nPeriods;
    const nCab = net.nCabins;
    const nDays = b - a + 1;
    const out = new Float64Array(slots.size * nDays * nCab * P);
    const own = net.own;
    const cabinOf = net.carriers[own]!.cabin;
    const instants = new Float64Array(nDays * P);
    for (let X = a; X <= b; X++) for (let k = 0; k < P; k++) instants[(X - a) * P + k] = this.dcpInstant(X, k);
    for (let i = 0; i < lg.n; i++) {
      if (lg.carrier[i] !== own) continue;
      const slot = slots.get(lg.market[i]!);
      if (slot === undefined) continue;
      const X = L.dayOf(lg.leg0[i]!);
      if (X < a || X > b) continue;
      const booked = lg.bookedMs[i]!;
      const cancelled = lg.status0[i] === ST_CANCELLED ? lg.statusMs0[i]! : Number.POSITIVE_INFINITY;
      const cell = ((slot * nDays + (X - a)) * nCab + cabinOf[lg.cls[i]!]!) * P;
      const pax = lg.pax[i]!;
      for (let k = 0; k < P; k++) {
        const t = instants[(X - a) * P + k]!;
        if (booked < t && cancelled >= t) out[cell + k] += pax;
      }
    }
    return out;
  }

  /** Publishes what became due since the last call. */
  private catchUp(): void {
    const sim = this.sim;
    const now = sim.clock.nowMs();
    if (now === this.throughMs) return;
    const net = sim.net;
    const P = net.nPeriods;
    const nCab = net.nCabins;
    const today = Math.floor(now / DAY_MS);
    const first = Number.isFinite(this.throughMs) ? Math.max(sim.visibleFromDay, Math.floor(this.throughMs / DAY_MS) - 1) : sim.visibleFromDay;
    const last = today + net.dcps[0]!;
    if (last < first) { this.throughMs = now; return; }
    const slots = new Map(this.markets.map((x, i) => [x.m, i]));
    const agg = this.aggregate(slots, first, last);
    const nDays = last - first + 1;
    const due: Pending[] = [];
    this.markets.forEach(({ m, patterns }, slot) => {
      for (let X = first; X <= last; X++) {
        if (!this.operates(X, patterns)) continue;
        for (let cab = 0; cab < nCab; cab++) {
          const key = (m * 100_000 + X) * 8 + cab;
          const done = this.progress.get(key) ?? -1;
          if (done >= P) continue;
          const cell = ((slot * nDays + (X - first)) * nCab + cab) * P;
          const flownAt = (X + 1) * DAY_MS;
          if (flownAt <= now) {
            for (let k = 0; k < P; k++) due.push({ m, X, cab, k, kind: KIND_HISTORICAL, bookings: agg[cell + k]!, at: flownAt });
            this.progress.set(key, P);
            continue;
          }
          let reached = done;
          for (let k = done + 1; k < P; k++) {
            const t = this.dcpInstant(X, k);
            if (t > now) break;
            due.push({ m, X, cab, k, kind: KIND_CURRENT, bookings: agg[cell + k]!, at: t });
            reached = k;
          }
          if (reached > done) this.progress.set(key, reached);
        }
      }
    });
    due.sort((x, y) => x.at - y.at || x.m - y.m || x.X - y.X || x.cab - y.cab || x.k - y.k);
    for (const d of due) this.cols.push(d.m, d.X, d.cab, net.dcps[d.k]!, d.kind, d.bookings, d.at);
    this.throughMs = now;
  }

  private record(i: number): DemandRecord {
    const c = this.cols;
    const net = this.sim.net;
    const m = c.market[i]!;
    return {
      carrier: net.carriers[net.own]!.code, origin: net.airports[net.markets.origin[m]!]!.code, destination: net.airports[net.markets.destination[m]!]!.code,
      departureDate: dateFromDayNumber(c.day[i]!), cabin: net.cabins[c.cabin[i]!]!, dcp: c.dcp[i]!, kind: c.kind[i] === KIND_HISTORICAL ? 'historical' : 'current',
      bookings: c.bookings[i]!, unconstrainedDemand: null, asOf: new Date(c.asOfMs[i]!).toISOString(),
    };
  }

  /** Publications with sequence in (after, after + limit]. */
  page(after: number, limit: number): LogPage<PublishedDemand> {
    this.catchUp();
    const end = Math.min(this.cols.n, after + limit);
    const items: PublishedDemand[] = [];
    for (let i = after; i < end; i++) items.push({ sequence: i + 1, record: this.record(i) });
    return { items, next: Math.max(after, end), hasMore: end < this.cols.n };
  }

  get size(): number {
    this.catchUp();
    return this.cols.n;
  }

  /** The latest figure per date, cabin and DCP reached, for a real-time market query (flown: historical). */
  query(q: DemandQuery): DemandRecord[] {
    const sim = this.sim;
    const net = sim.net;
    const target = this.markets.find((x) => x.origin === q.origin && x.destination === q.destination);
    if (!target) return [];
    const now = sim.clock.nowMs();
    const a = Math.max(sim.visibleFromDay, Math.floor(Date.parse(`${q.fromDate}T00:00:00Z`) / DAY_MS));
    const b = Math.min(Math.floor(now / DAY_MS) + net.dcps[0]!, Math.floor(Date.parse(`${q.toDate}T00:00:00Z`) / DAY_MS));
    if (b < a) return [];
    const agg = this.aggregate(new Map([[target.m, 0]]), a, b);
    const P = net.nPeriods;
    const nCab = net.nCabins;
    const out: DemandRecord[] = [];
    const own = net.carriers[net.own]!.code;
    for (let X = a; X <= b; X++) {
      if (!this.operates(X, target.patterns)) continue;
      const flown = (X + 1) * DAY_MS <= now;
      for (let cab = 0; cab < nCab; cab++) {
        if (q.cabin && net.cabins[cab] !== q.cabin) continue;
        for (let k = 0; k < P; k++) {
          const t = this.dcpInstant(X, k);
          if (t > now) break;
          if (q.dcps && !q.dcps.includes(net.dcps[k]!)) continue;
          out.push({
            carrier: own, origin: target.origin, destination: target.destination, departureDate: dateFromDayNumber(X), cabin: net.cabins[cab]!,
            dcp: net.dcps[k]!, kind: flown ? 'historical' : 'current', bookings: agg[((X - a) * nCab + cab) * P + k]!, unconstrainedDemand: null,
            asOf: new Date(flown ? (X + 1) * DAY_MS : t).toISOString(),
          });
        }
      }
    }
    return out;
  }
}
