/**
 * The market simulator: plays a network's market day by day and, within each day, event by event
 * (booking requests, cancellations, departures) in time order.
 *
 * Each day at 00:00 UTC: exchange rates and scheduled fare actions take effect; legs that reached a
 * DCP close their booking period (the closure fractions are recorded); departures that reach the
 * sale horizon open and their demand is drawn (all requests of the whole horizon at once, bucketed by
 * the day they arrive: demand never depends on prices or controls); every carrier's controller sees
 * its legs at a DCP and answers with controls and fares; the shopping tool observes published fares.
 * Then the day's requests, cancellations and departures are played in time order. A request is a
 * party of passengers with drawn willingness to pay and sensitivities; it picks the option of least
 * generalised cost among every open offer it can afford, or does not fly.
 *
 * Everything is seeded: the same seed, scenario and decisions give byte-identical bookings.
 */
import { DAY_MS, SimClock } from './clock';
import { AgendaSorter } from './agenda-sort';
import { ARRIVAL_STRIDE, ArrivalBuckets, CancelQueue, type DemandSink } from './arrivals';
import {
  A_CANCEL_DAY, A_CANCEL_MS, A_COUNT, A_MASK, A_MASK_KIND, A_OPTIONS, A_OPTIONS_MAX, A_PASSENGER, A_TAG, ANSWER_INTS, ChoiceLink, CTL_MAIN, packPassenger, passengerChannel, passengerNoShow,
  passengerParty, passengerPos, passengerSegment, type ChoiceBuffers, type ChoiceReplica, type ChoiceStats,
} from './choice-link';
import { ensure, withRoom } from './columns';
import { BookingLog, EV_BOOKED, EV_CANCELLED, EV_DENIED, EV_FLOWN, EV_NO_SHOW, ST_BOOKED, ST_CANCELLED, ST_DENIED, ST_FLOWN, ST_NO_SHOW, PNR_INLINE } from './booking-log';
import { fcfs, type CarrierController, type CarrierView, type ControllerDecisions, type DcpBatch, type RbdInfo } from './controller';
import { DemandModel } from './demand';
import { FareStore } from './fares';
import { FxSeries } from './fx';
import { LEG_DEPARTED, LEG_NONE, LEG_ON_SALE, LEG_ROOM_DAYS, LegStore } from './legs';
import { compileNetwork, operatesOn, TzCache, type Network } from './network';
import { hash32, Rng, UniformStream } from './rng';
import { normCdf } from '../optimisation/normal';
import type { ScenarioSpec } from './scenario';
import { systemE } from './system-e';

const LN2 = Math.LN2;
/**
 * The PSS accepts a pushed authorisation level up to the cabin's seats plus this share (overbooking).
 * Passengers who show up beyond the seats are denied boarding at departure.
 */
export const MAX_OVERBOOKING_PCT = 50;
/** The highest authorisation level the PSS accepts for a cabin of `seats` seats. */
export function maxAuthorisation(seats: number): number { return Math.floor((seats * (100 + MAX_OVERBOOKING_PCT)) / 100); }
/** Each passenger's taste for each carrier: uniform ±3 % of the reference fare (breaks exact ties between identical offers). */
const CARRIER_TASTE = 0.03;
const ANCILLARY_WTP_CV = 0.6;
const TWO22 = 4194304;
const TWO24 = 16777216;
const T_DEPARTURE = 0;
const T_CANCEL = 1;
const T_ARRIVAL = 2;
// slots of MarketSimulator.chooseArgs
/** the instant of the event being played (also read by commitBooking, refreshAvail and the cancellations) */
const CQ_T = 0;
const CQ_WTP = 1;
const CQ_SITE = 2;
const CQ_CONN = 3;
const CQ_ELAPSED = 4;
const CQ_TIME = 5;
const CQ_PREF = 6;
const CQ_CAB0 = 7;
const CQ_CAB1 = 8;
/** the fare per passenger of the booking being committed */
const CQ_VALUE = 9;
/** the generalised cost of the option `choose` picked (Infinity: none) */
const CQ_BEST = 10;
const CQ_N = 11;

/** A scheduled change of filed fares (the carriers' own pricing processes in the history). */
export interface FareAction {
  /** UTC day number it takes effect (00:00) */
  day: number;
  carrier: number;
  kind: 'level' | 'promo';
  markets: readonly number[];
  classes: readonly number[];
  /** price multiplier */
  factor: number;
  /** promotions: travel dates (day numbers, inclusive) and the last sale day */
  travelFrom?: number;
  travelTo?: number;
  saleUntil?: number;
}

export type RecordMode = 'own' | 'all' | 'none';

export interface SimulatorOptions {
  seed: number;
  /** first simulated day, "YYYY-MM-DD" (UTC) */
  startDate: string;
  /** controllers by carrier code; others run their scenario default (spec.rm) */
  controllers?: Record<string, CarrierController>;
  /** which bookings are written to the booking log: those of our carrier (default), all, none */
  record?: RecordMode;
  /** let a shopping tool observe other carriers' published fares each day (default true) */
  shopping?: boolean;
  /** days before departure at which the shopping tool looks */
  shoppingDays?: readonly number[];
  fareActions?: readonly FareAction[];
  /** journey dates before this day are burn-in (not served by queries); default: startDate + saleOpens */
  visibleFromDay?: number;
  /** dates the leg store makes room for at first (default LEG_ROOM_DAYS; the room doubles when outgrown) */
  legRoomDays?: number;
}

const DEFAULT_SHOPPING_DAYS = [1, 3, 7, 14, 21, 30, 45, 60, 90, 120];

/** Per-segment behaviour in flat arrays for the choice loop. */
interface SegmentParams {
  emult: Float64Array;
  otaEmult: Float64Array;
  r: Float64Array; // [s·3 + r]
  rcv: Float64Array;
  conn: Float64Array;
  elapsedPerMin: Float64Array;
  timePerMin: Float64Array;
  cabinValue: Float64Array; // [s·nCab + cab]
  groupCum: Float64Array[];
  cancel: Float64Array;
  noShow: Float64Array;
  homePos: Float64Array;
  siteLoyalty: Float64Array;
  channelCum: Float64Array[];
  prefCum: Float64Array[];
  prefHour: Float64Array[];
  prefSd: Float64Array[];
  ancProb: Float64Array[]; // [s][ancillary] probability of buying
}

export class MarketSimulator implements ChoiceReplica {
  readonly net: Network;
  readonly spec: ScenarioSpec;
  readonly seed: number;
  clock: SimClock;
  readonly startDay: number;
  readonly visibleFromDay: number;
  readonly saleOpens: number;
  readonly record: RecordMode;
  legs: LegStore;
  log: BookingLog;
  fares: FareStore;
  readonly fx: FxSeries;
  readonly demand: DemandModel;
  readonly tz: TzCache;
  arrivals: ArrivalBuckets;
  cancels: CancelQueue;
  /** revenue (base currency) and passengers by journey day and marketing carrier: [(day − day0) · carriers + carrier], room for the leg store's dates */
  mktRevenue: Float64Array;
  mktPax: Float64Array;
  /** O&D observations of carriers whose controller asks for them: [carrier] → [((day − day0)·nMarkets + m)·mc·P + cls·P + k], net passengers */
  mktObs: (Int16Array | null)[] = [];
  /** elements of an mktObs array per journey date (markets · classes · periods) */
  readonly obsPerDay: number;
  /** requests that found no affordable open offer, by market and journey day (truth: spill plus no-go) */
  lostRequests = 0;
  requests = 0;
  readonly controllers: CarrierController[];
  readonly views: CarrierViewImpl[];
  readonly fareActions: FareAction[];
  readonly shopping: boolean;
  readonly shoppingDays: number[];
  /** latest shopping observation per (market, journey day, carrier, cabin) */
  readonly latestObs = new Map<number, number>();

  /** What-if mode (whatif.ts): only these legs live; nothing opens; no controllers, shopping or fare actions; rates frozen. */
  scratchLegs: number[] | null = null;

  // current day state
  curDay: number;
  private dayBegun = false;
  private agenda = new Float64Array(1024);
  private agendaLen = 0;
  private agendaPos = 0;
  private departing: number[] = [];
  private arrivalOrder = new Int32Array(1024);
  private agendaSorter = new AgendaSorter();
  private ratesToday: Float64Array;

  // precomputed
  readonly periodOfDbd: Uint8Array;
  readonly periodLo: Int32Array;
  readonly periodHi: Int32Array;
  private readonly seg: SegmentParams;
  private readonly siteCarriers: Int32Array[];
  /** the same flat for the request loop: market m's carriers are siteCar[siteStart[m] .. siteStart[m + 1] − 1], with cumulative weights siteCumW */
  private readonly siteStart: Int32Array;
  private readonly siteCar: Int32Array;
  private readonly siteCumW: Float64Array;
  /** demand entries flat: entry e of market m is entBase[m] + e; its segment and reference fare */
  private readonly entBase: Int32Array;
  private readonly entSegment: Uint8Array;
  private readonly entRef: Float64Array;
  /** [pattern · mc + class] → fare product of the leg's local market for the operating carrier (−1: none) */
  private readonly localProduct: Int32Array;
  private readonly isSiteChannel: Uint8Array;
  private readonly isOtaChannel: Uint8Array;
  private readonly ancJourney: Uint8Array;
  /** [ancillary · nCabins + cabin]: 1 when the cabin includes it; the extra-legroom and standard seat (−1: none) */
  private readonly ancIncluded: Uint8Array;
  private readonly ancSeatXl: number;
  private readonly ancSeatStd: number;
  /**
   * An ancillary's price per passenger in minor units, by (ancillary · 2 + long haul) · currencies + currency, at
   * the rates of `ancMinorRates` (the fare store's ratesVersion); NaN: not yet converted
   */
  private ancMinor = new Float64Array(0);
  private ancMinorRates = -1;
  private readonly stream = new UniformStream();
  private readonly genRng = new Rng(1);
  private tfScratch = new Float64Array(64);
  private readonly u2Scratch = new Float64Array(2);
  private readonly rcByMask = new Float64Array(8);
  private carrierTaste = new Float64Array(1);
  private nClassesOf = new Int32Array(1);
  readonly shopMarkets: number[];
  private readonly ownInvolved: Uint8Array; // per path

  constructor(spec: ScenarioSpec, opts: SimulatorOptions) {
    this.spec = spec;
    this.net = compileNetwork(spec);
    this.seed = opts.seed >>> 0;
    const startMs = Date.parse(`${opts.startDate}T00:00:00Z`);
    if (Number.isNaN(startMs)) throw new Error(`simulator: startDate "${opts.startDate}" is not a date (YYYY-MM-DD)`);
    this.clock = new SimClock(startMs);
    this.startDay = Math.floor(startMs / DAY_MS);
    this.curDay = this.startDay;
    this.saleOpens = spec.saleOpensDays;
    this.visibleFromDay = opts.visibleFromDay ?? this.startDay + this.saleOpens;
    this.record = opts.record ?? 'own';
    this.shopping = opts.shopping ?? true;
    this.shoppingDays = (opts.shoppingDays ?? DEFAULT_SHOPPING_DAYS).filter((d) => d <= this.saleOpens);
    this.fareActions = [...(opts.fareActions ?? [])].sort((a, b) => a.day - b.day);
    const net = this.net;
    const P = net.nPeriods;
    this.legs = new LegStore(net.patterns.n, net.nCabins, net.maxClasses, P, this.startDay - 1, this.saleOpens + 6, this.saleOpens + 4, opts.legRoomDays ?? LEG_ROOM_DAYS);
    this.log = new BookingLog();
    this.fares = new FareStore(net, startMs);
    this.fx = new FxSeries(this.seed, net.currencies, net.currencies.map((c) => (c === spec.baseCurrency ? 1 : spec.fx.initial[c] ?? 1)),
      net.currencies.map((c) => (c === spec.baseCurrency ? 0 : spec.fx.dailyVolatility[c] ?? 0)), this.startDay);
    this.demand = new DemandModel(net, this.seed);
    this.tz = new TzCache(net, this.startDay);
    this.arrivals = new ArrivalBuckets(this.saleOpens + 2);
    this.cancels = new CancelQueue(this.saleOpens + 2);
    this.mktRevenue = new Float64Array(this.legs.capDays * net.carriers.length);
    this.mktPax = new Float64Array(this.legs.capDays * net.carriers.length);
    this.ratesToday = new Float64Array(net.currencies.length).fill(1);

    // DCP period lookup by days before departure, and the day range of each period's arrivals
    const d = net.dcps;
    this.periodOfDbd = new Uint8Array(this.saleOpens + 1);
    for (let b = 0; b <= this.saleOpens; b++) {
      let k = 0;
      while (k < P - 1 && b < d[k]!) k++;
      this.periodOfDbd[b] = k;
    }
    this.periodLo = Int32Array.from(d);
    this.periodHi = Int32Array.from(d, (_, k) => (k === 0 ? this.saleOpens : d[k - 1]! - 1));

    this.seg = buildSegmentParams(net);
    this.isSiteChannel = Uint8Array.from(net.channels, (c) => (c === 'direct' || c === 'mobile' ? 1 : 0));
    this.isOtaChannel = Uint8Array.from(net.channels, (c) => (c === 'ota' ? 1 : 0));
    this.ancJourney = Uint8Array.from(spec.ancillaries, (a) => (['SEAT_STD', 'SEAT_XL', 'MEAL', 'WIFI'].includes(a.code) ? 0 : 1));
    if (spec.ancillaries.length > 15) throw new Error(`simulator: at most 15 ancillaries (a booking's purchases are a 31-bit mask), the scenario has ${spec.ancillaries.length}`);
    this.ancIncluded = new Uint8Array(spec.ancillaries.length * net.nCabins);
    spec.ancillaries.forEach((a, i) => net.cabins.forEach((cabin, cab) => { this.ancIncluded[i * net.nCabins + cab] = a.includedIn.includes(cabin) ? 1 : 0; }));
    this.ancSeatXl = spec.ancillaries.findIndex((a) => a.code === 'SEAT_XL');
    this.ancSeatStd = spec.ancillaries.findIndex((a) => a.code === 'SEAT_STD');

    // carriers present per market (the site a direct shopper starts on), weighted by their paths
    this.siteCarriers = [];
    const siteCum: Float64Array[] = [];
    for (let m = 0; m < net.markets.n; m++) {
      const counts = new Map<number, number>();
      for (let i = net.markets.pathStart[m]!; i < net.markets.pathStart[m + 1]!; i++) counts.set(net.paths.carrier[i]!, (counts.get(net.paths.carrier[i]!) ?? 0) + 1);
      const cs = [...counts.keys()].sort((a, b) => a - b);
      this.siteCarriers.push(Int32Array.from(cs));
      let cum = 0;
      siteCum.push(Float64Array.from(cs, (c) => (cum += counts.get(c)!)));
    }
    this.siteStart = new Int32Array(net.markets.n + 1);
    for (let m = 0; m < net.markets.n; m++) this.siteStart[m + 1] = this.siteStart[m]! + this.siteCarriers[m]!.length;
    this.siteCar = new Int32Array(this.siteStart[net.markets.n]!);
    this.siteCumW = new Float64Array(this.siteStart[net.markets.n]!);
    for (let m = 0; m < net.markets.n; m++) { this.siteCar.set(this.siteCarriers[m]!, this.siteStart[m]!); this.siteCumW.set(siteCum[m]!, this.siteStart[m]!); }
    this.entBase = new Int32Array(net.markets.n + 1);
    for (let m = 0; m < net.markets.n; m++) this.entBase[m + 1] = this.entBase[m]! + net.markets.demand[m]!.length;
    this.entSegment = new Uint8Array(this.entBase[net.markets.n]!);
    this.entRef = new Float64Array(this.entBase[net.markets.n]!);
    for (let m = 0; m < net.markets.n; m++) {
      net.markets.demand[m]!.forEach((de, e) => { this.entSegment[this.entBase[m]! + e] = de.segment; this.entRef[this.entBase[m]! + e] = de.referenceFare; });
    }
    this.localProduct = new Int32Array(net.patterns.n * net.maxClasses).fill(-1);
    for (let p = 0; p < net.patterns.n; p++) {
      const lm = net.patterns.localMarket[p]!;
      if (lm < 0) continue;
      const c = net.patterns.carrier[p]!;
      for (let cl = 0; cl < net.carriers[c]!.nClasses; cl++) this.localProduct[p * net.maxClasses + cl] = this.fares.product(c, lm, cl);
    }
    this.ownInvolved = new Uint8Array(net.paths.n);
    for (let i = 0; i < net.paths.n; i++) {
      const own = net.own;
      this.ownInvolved[i] = net.paths.carrier[i] === own || net.paths.opCarrier0[i] === own || (net.paths.nLegs[i] === 2 && net.paths.opCarrier1[i] === own) ? 1 : 0;
    }
    this.shopMarkets = [];
    for (let m = 0; m < net.markets.n; m++) {
      let own = false;
      let other = false;
      for (let i = net.markets.pathStart[m]!; i < net.markets.pathStart[m + 1]!; i++) {
        const c = net.paths.carrier[i]!;
        if (c === net.own) own = true;
        else if (net.carriers[c]!.spec.role === 'competitor') other = true;
      }
      if (own && other) this.shopMarkets.push(m);
    }

    this.controllers = net.carriers.map((c) => opts.controllers?.[c.code] ?? (c.spec.rm === 'E' ? systemE() : fcfs()));
    for (const code of Object.keys(opts.controllers ?? {})) {
      if (!net.carrierIdx.has(code)) throw new Error(`simulator: controllers.${code}: no such carrier in scenario "${spec.name}"`);
    }
    this.views = net.carriers.map((c) => new CarrierViewImpl(this, c.idx));
    this.obsPerDay = net.markets.n * net.maxClasses * P;
    this.mktObs = this.controllers.map((c) => (c.observesMarkets ? new Int16Array(this.legs.capDays * this.obsPerDay) : null));
    this.carrierTaste = new Float64Array(net.carriers.length);
    this.nClassesOf = Int32Array.from(net.carriers, (c) => c.nClasses);
    this.applyRates(this.startDay);
    this.fares.revalue(this.ratesToday);
  }

  // ───────────────────────────── clock ─────────────────────────────

  /** Plays the market for n whole days (to 00:00 UTC of the day n days after today). */
  advanceDays(n: number): void {
    if (!Number.isInteger(n) || n < 0) throw new Error(`advanceDays: n must be a whole number >= 0, got ${n}`);
    this.advanceTo((this.clock.dayNumber() + n) * DAY_MS);
  }

  /** Plays the market up to an instant (ms since epoch, or ISO string). */
  advanceTo(target: number | string): void {
    const ms = typeof target === 'string' ? Date.parse(target) : target;
    if (Number.isNaN(ms)) throw new Error(`advanceTo: "${target}" is not an instant`);
    if (ms < this.clock.nowMs()) throw new Error(`advanceTo: ${new Date(ms).toISOString()} is before the simulated now ${this.clock.nowIso()}`);
    for (;;) {
      const D = this.curDay;
      const dayStart = D * DAY_MS;
      const dayEnd = dayStart + DAY_MS;
      if (ms <= dayStart) break;
      if (!this.dayBegun) this.beginDay(D);
      const limit = Math.min(ms, dayEnd) - dayStart;
      this.playAgenda(dayStart, limit);
      if (ms >= dayEnd) {
        this.endDay(D);
        this.curDay = D + 1;
        this.dayBegun = false;
      } else break;
    }
    this.clock.setMs(ms);
  }

  /** What-if mode: restarts the clock at `nowMs` inside today, with today's agenda rebuilt from the buckets. */
  resetScratch(nowMs: number): void {
    if (!this.scratchLegs) throw new Error('resetScratch: only in what-if mode');
    this.clock = new SimClock(nowMs);
    this.curDay = Math.floor(nowMs / DAY_MS);
    this.dayBegun = true;
    this.buildAgenda(this.curDay, this.curDay * DAY_MS);
    const msOfDay = nowMs - this.curDay * DAY_MS;
    while (this.agendaPos < this.agendaLen && Math.floor(this.agenda[this.agendaPos]! / TWO24) < msOfDay) this.agendaPos++;
  }

  /** Makes sure today's 00:00 processing (DCPs, openings, controllers) has run, so "now" is consistent. */
  ensureDayBegun(): void {
    if (!this.dayBegun && this.clock.nowMs() >= this.curDay * DAY_MS) this.beginDay(this.curDay);
  }

  // ───────────────────────────── day processing ─────────────────────────────

  private applyRates(day: number): void {
    const r = this.ratesToday;
    let changed = false;
    for (let c = 0; c < r.length; c++) {
      const v = this.fx.rate(c, day);
      if (v !== r[c]) { r[c] = v; changed = true; }
    }
    if (changed) this.fares.revalue(r);
  }

  private beginDay(D: number): void {
    this.dayBegun = true;
    const dayStart = D * DAY_MS;
    if (this.scratchLegs) {
      const dcps = this.net.dcps;
      for (const leg of this.scratchLegs) {
        if (this.legs.stateOf(leg) !== LEG_ON_SALE) continue;
        const dbd = this.legs.dayOf(leg) - (D - 1);
        for (let k = 0; k < dcps.length - 1; k++) if (dcps[k] === dbd && this.legs.curPeriodOf(leg) <= k) this.closePeriod(leg, k, dayStart);
      }
      this.buildAgenda(D, dayStart);
      return;
    }
    const net = this.net;
    const nP = net.patterns.n;
    this.applyRates(D);
    if (D % 7 === 0) this.fares.prune(D);
    this.runFareActions(D, dayStart);
    this.legs.grow(D + this.saleOpens + 3 - this.legs.day0);
    this.growDays();

    // open the sale of new departure days (all of the horizon on the first day)
    const opened: DcpBatch[][] = net.carriers.map(() => []);
    const first = D === this.startDay ? D : D + this.saleOpens;
    for (let X = first; X <= D + this.saleOpens; X++) {
      this.openDay(X, D, dayStart).forEach((legs, c) => { if (legs.length) opened[c]!.push({ dcpIndex: -1, daysBeforeDeparture: X - D, legs }); });
    }
    // the day's agenda (neither the period closings nor the controllers change any of it), so that a choice
    // worker starts on the day's requests while they run
    this.buildAgenda(D, dayStart);
    if (this.choiceLink) this.publishChoices(0, true);
    // DCPs reached at the end of yesterday: close the period, collect per carrier (before the days opened; none
    // of these legs opened today, since the sale opens at or before the first DCP, and on the first day none was on
    // sale before)
    const batches: DcpBatch[][] = net.carriers.map(() => []);
    const dcps = net.dcps;
    for (let k = 0; D !== this.startDay && k < dcps.length - 1; k++) {
      const X = D - 1 + dcps[k]!;
      const per: number[][] = net.carriers.map(() => []);
      for (let p = 0; p < nP; p++) {
        const leg = this.legs.index(X, p);
        if (leg < 0 || this.legs.stateOf(leg) !== LEG_ON_SALE) continue;
        if (this.legs.curPeriodOf(leg) > k) continue; // opened later than this DCP (start of simulation)
        this.closePeriod(leg, k, dayStart);
        per[net.patterns.carrier[p]!]!.push(leg);
      }
      per.forEach((legs, c) => { if (legs.length) batches[c]!.push({ dcpIndex: k, daysBeforeDeparture: dcps[k]!, legs }); });
    }
    opened.forEach((o, c) => batches[c]!.push(...o));
    // controllers
    for (let c = 0; c < net.carriers.length; c++) {
      if (batches[c]!.length === 0) continue;
      const dec = this.controllers[c]!.onDcp(this.views[c]!, batches[c]!);
      if (dec) this.applyDecisions(c, dec, dayStart, false);
    }
    if (this.shopping) this.observeFares(D, dayStart);
    if (this.choiceLink) {
      this.choiceLink.controlsDone();
      this.choiceLink.openDemand(D + 1, net.markets.n);
    }
  }

  private endDay(D: number): void {
    this.arrivals.clear(D);
    this.cancels.clear(D);
  }

  /** Gives the arrays by journey date the leg store's room (each day, and after a restore; copied only when the room grows). */
  growDays(): void {
    const L = this.legs;
    const per = this.obsPerDay;
    this.mktObs = this.mktObs.map((a) => (a && a.length < L.capDays * per ? withRoom(a, L.capDays * per, L.nDays * per) : a));
    const nC = this.net.carriers.length;
    if (this.mktRevenue.length >= L.capDays * nC) return;
    this.mktRevenue = withRoom(this.mktRevenue, L.capDays * nC, L.nDays * nC);
    this.mktPax = withRoom(this.mktPax, L.capDays * nC, L.nDays * nC);
  }

  private runFareActions(D: number, dayStart: number): void {
    const fs = this.fares;
    while (this.fareActions.length > 0 && this.fareActions[0]!.day <= D) {
      const a = this.fareActions.shift()!;
      if (a.day < D) continue;
      for (const m of a.markets) {
        for (const cl of a.classes) {
          const prod = fs.product(a.carrier, m, cl);
          if (prod < 0) continue;
          for (let pos = 0; pos < fs.nPos; pos++) {
            const slot = pos * fs.nProducts + prod;
            const amt = fs.amountMinor[slot]!;
            if (!(amt === amt)) continue;
            const ccy = fs.currency[slot]!;
            const next = roundMinor(amt * a.factor, this.net.currencies[ccy]!);
            if (a.kind === 'level') fs.setBase(slot, next, ccy, dayStart);
            else fs.addOverride(slot, { fromDay: a.travelFrom!, toDay: a.travelTo!, leg: -1, amountMinor: next, currency: ccy, saleUntilDay: a.saleUntil!, filedAtMs: dayStart, reference: `promo-${a.day}-${a.carrier}` }, D);
          }
        }
      }
    }
  }

  /** Creates the legs of local date X and draws their demand from booking day `fromDay` on. */
  private openDay(X: number, fromDay: number, nowMs: number): number[][] {
    const net = this.net;
    const L = this.legs;
    const pt = net.patterns;
    const nCab = net.nCabins;
    const mc = net.maxClasses;
    const out: number[][] = net.carriers.map(() => []);
    const dbdNow = X - fromDay;
    const period = this.periodOfDbd[Math.min(dbdNow, this.saleOpens)]!;
    for (let p = 0; p < pt.n; p++) {
      if (!operatesOn(net, p, X)) continue;
      const leg = L.index(X, p);
      if (L.stateOf(leg) !== LEG_NONE) continue;
      L.setState(leg, LEG_ON_SALE);
      const de = pt.destination[p]!;
      const depMs = this.plannedDepMs(p, X);
      const f8 = leg * L.s8;
      L.f64[f8 + L.oDep] = depMs;
      L.f64[f8 + L.oSaleEnd] = depMs - this.spec.cutoffMinutes * 60_000;
      const ad = X + pt.arrDayOffset[p]!;
      L.f64[f8 + L.oArr] = (ad * 1440 + pt.arrMin[p]! - this.tz.offsetMinutes(de, ad)) * 60_000;
      L.f64[f8 + L.oPStart] = nowMs;
      L.u8[leg * L.B + L.oCurP] = period;
      const car = net.carriers[pt.carrier[p]!]!;
      const iCap = L.iCap(leg);
      for (let cab = 0; cab < nCab; cab++) L.i16[iCap + cab] = pt.capacity[p * nCab + cab]!;
      const tAt = L.timersAt(leg);
      const iAu = L.iAu(leg);
      const iLeft = L.iLeft(leg);
      const iAvail = L.iAvail(leg);
      for (let c = 0; c < mc; c++) {
        const au = c < car.nClasses ? L.i16[iCap + car.cabin[c]!]! : 0;
        L.i16[iAu + c] = au;
        L.i16[iLeft + c] = au;
        L.u8[iAvail + c] = c < car.nClasses && au > 0 ? 1 : 0;
        L.timers[tAt + 2 * c] = nowMs;
        L.timers[tAt + 2 * c + 1] = 0;
      }
      out[pt.carrier[p]!]!.push(leg);
    }
    // the demand of the date opening today: the markets the choice worker drew, then the others
    const staged = X === fromDay + this.saleOpens && this.choiceLink ? this.choiceLink.takeDemand(fromDay, X, this.arrivals) : 0;
    if (staged < net.markets.n) this.generateDemand(X, fromDay, this.seed, this.arrivals, staged > 0 ? this.marketRange(staged, net.markets.n) : null);
    return out;
  }

  /** The departure instant (ms) of pattern p on local date X, by the schedule. */
  private plannedDepMs(p: number, X: number): number {
    const pt = this.net.patterns;
    return (X * 1440 + pt.depMin[p]! - this.tz.offsetMinutes(pt.origin[p]!, X)) * 60_000;
  }

  /** ChoiceReplica: the demand of markets [from, to) for the date whose sale opens on booking day `day`, as openDay draws it. */
  drawOpeningDemand(day: number, from: number, to: number, sink: DemandSink): void {
    this.generateDemand(day + this.saleOpens, day, this.seed, sink, this.marketRange(from, to));
  }

  private marketIds: Int32Array | null = null;
  /** Markets [from, to), for generateDemand (a view: nothing copied). */
  private marketRange(from: number, to: number): Int32Array {
    const ids = this.marketIds ?? (this.marketIds = Int32Array.from({ length: this.net.markets.n }, (_, i) => i));
    return ids.subarray(from, to);
  }

  /**
   * Draws the booking requests of journey date X arriving on booking day `fromDay` or later into
   * `buckets` (by arrival day). `markets` restricts the draw (what-if); `seed` selects the draw.
   */
  generateDemand(X: number, fromDay: number, seed: number, buckets: DemandSink, markets: ArrayLike<number> | null, kSeed: number = seed): void {
    const net = this.net;
    const paths = net.paths;
    const dm = this.demand;
    const rng = this.genRng;
    const P = net.nPeriods;
    const maxDbd = X - fromDay;
    const nM = markets ? markets.length : net.markets.n;
    for (let mi = 0; mi < nM; mi++) {
      const m = markets ? markets[mi]! : mi;
      // latest departure of the market on X (requests on the day itself must come before it), by the
      // schedule (a leg of X is on sale, or has departed, exactly when its pattern operates on X), so that
      // a choice worker can draw a date before its legs open
      let lastDep = -Infinity;
      for (let i = net.markets.pathStart[m]!; i < net.markets.pathStart[m + 1]!; i++) {
        if (!operatesOn(net, paths.leg0[i]!, X)) continue;
        if (paths.leg1[i]! >= 0 && !operatesOn(net, paths.leg1[i]!, X + paths.leg1DayOffset[i]!)) continue;
        const dep = this.plannedDepMs(paths.leg0[i]!, X);
        if (dep > lastDep) lastDep = dep;
      }
      if (lastDep === -Infinity) continue;
      const entries = net.markets.demand[m]!;
      rng.reseed(hash32(seed, X, m), 0x5eed);
      const tf = this.tfScratch.length >= entries.length * P ? this.tfScratch : (this.tfScratch = new Float64Array(entries.length * P));
      dm.tfFactors(m, X, tf, kSeed);
      for (let e = 0; e < entries.length; e++) {
        const de = entries[e]!;
        const mean = dm.mean(m, e, X) * dm.kFactor(m, e, X, kSeed) / dm.meanGroup[de.segment]!;
        if (!(mean > 0)) continue;
        for (let k = 0; k < P; k++) {
          const share = de.shares[k]!;
          if (share <= 0) continue;
          const lo = this.periodLo[k]!;
          const hi = this.periodHi[k]!;
          const top = Math.min(hi, maxDbd);
          if (top < lo) continue;
          const lambda = mean * share * tf[e * P + k]! * (top - lo + 1) / (hi - lo + 1);
          const count = rng.poisson(lambda);
          for (let a = 0; a < count; a++) {
            // rng.int(top − lo + 1), then rng.int(DAY_MS), from the same two uniforms, without a call returning a double
            const u2 = this.u2Scratch;
            rng.fillUniform(u2, 0, 2);
            const dbd = lo + Math.floor(u2[0]! * (top - lo + 1));
            const day = X - dbd;
            let msOfDay = Math.floor(u2[1]! * DAY_MS);
            if (dbd === 0) {
              const span = lastDep - this.spec.cutoffMinutes * 60_000 - day * DAY_MS;
              if (span <= 0) { rng.nextU32(); continue; }
              msOfDay = Math.floor((msOfDay / DAY_MS) * Math.min(span, DAY_MS));
            }
            buckets.push(day, m, e, X, msOfDay, rng.nextI32());
          }
        }
      }
    }
  }

  private buildAgenda(D: number, dayStart: number): void {
    const b = D % this.arrivals.size;
    const nArr = this.arrivals.n[b]!;
    const cb = D % this.cancels.size;
    const nCan = this.cancels.bn[cb]!;
    this.departing.length = 0;
    const L = this.legs;
    const nP = this.net.patterns.n;
    if (this.scratchLegs) {
      for (const leg of this.scratchLegs) {
        const t = L.depMsOf(leg);
        if (L.stateOf(leg) === LEG_ON_SALE && t >= dayStart && t < dayStart + DAY_MS) this.departing.push(leg);
      }
    } else {
      for (let X = D - 1; X <= D + 1; X++) {
        for (let p = 0; p < nP; p++) {
          const leg = L.index(X, p);
          if (leg < 0 || L.stateOf(leg) !== LEG_ON_SALE) continue;
          const t = L.depMsOf(leg);
          if (t >= dayStart && t < dayStart + DAY_MS) this.departing.push(leg);
        }
      }
    }
    const n = nArr + nCan + this.departing.length;
    if (n > this.agenda.length) this.agenda = new Float64Array(n * 2);
    const ag = this.agenda;
    let j = 0;
    const rec = this.arrivals.rec[b]!;
    for (let i = 0; i < nArr; i++) ag[j++] = rec[i * ARRIVAL_STRIDE + 2]! * TWO24 + T_ARRIVAL * TWO22 + i;
    const cms = this.cancels.bMs[cb]!;
    for (let i = 0; i < nCan; i++) ag[j++] = cms[i]! * TWO24 + T_CANCEL * TWO22 + i;
    for (let i = 0; i < this.departing.length; i++) ag[j++] = (L.depMsOf(this.departing[i]!) - dayStart) * TWO24 + T_DEPARTURE * TWO22 + i;
    this.agendaLen = n;
    this.agendaPos = 0;
    this.agendaSorter.sort(ag, n, DAY_MS * TWO24);
    // the requests in playing order: the k-th arrival of the agenda becomes request k of the bucket
    if (nArr > 0) {
      if (this.arrivalOrder.length < nArr) this.arrivalOrder = new Int32Array(nArr * 2);
      const order = this.arrivalOrder;
      let k = 0;
      for (let a = 0; a < n; a++) {
        const key = ag[a]!;
        const msOfDay = Math.floor(key / TWO24);
        const rest = key - msOfDay * TWO24;
        if (rest < T_ARRIVAL * TWO22) continue;
        order[k] = rest - T_ARRIVAL * TWO22;
        ag[a] = key - order[k]! + k;
        k++;
      }
      this.arrivals.reorder(D, order);
    }
  }

  private playAgenda(dayStart: number, limitMsOfDay: number): void {
    const ag = this.agenda;
    const b = this.curDay % this.arrivals.size;
    const cb = this.curDay % this.cancels.size;
    while (this.agendaPos < this.agendaLen) {
      const key = ag[this.agendaPos]!;
      const msOfDay = Math.floor(key / TWO24);
      if (msOfDay >= limitMsOfDay) break;
      this.agendaPos++;
      const rest = key - msOfDay * TWO24;
      const type = Math.floor(rest / TWO22);
      const idx = rest - type * TWO22;
      const t = dayStart + msOfDay;
      this.chooseArgs[CQ_T] = t;
      if (type === T_ARRIVAL) this.processArrival(b, idx);
      else if (type === T_CANCEL) this.processCancel(this.cancels.bRow[cb]![idx]!);
      else this.processDeparture(this.departing[idx]!);
    }
  }

  // ───────────────────────────── DCPs and availability ─────────────────────────────

  /** Ends booking period k of a leg at instant T: records the fraction of the period each class was closed. */
  private closePeriod(leg: number, k: number, T: number): void {
    const L = this.legs;
    const mc = L.mc;
    const P = L.periods;
    const start = L.periodStartOf(leg);
    const span = Math.max(1, T - start);
    const tAt = L.timersAt(leg);
    const timers = L.timers;
    const nCl = this.net.carriers[this.net.patterns.carrier[L.patternOf(leg)]!]!.nClasses;
    const iAvail = L.iAvail(leg);
    for (let c = 0; c < nCl; c++) {
      const at = tAt + 2 * c;
      let acc = timers[at + 1]!;
      if (L.u8[iAvail + c] === 0) {
        acc += T - timers[at]!;
        timers[at] = T;
      }
      L.closedFrac[(leg * mc + c) * P + k] = Math.min(255, Math.round((acc / span) * 255));
      timers[at + 1] = 0;
    }
    L.flushPeriod(leg);
    L.f64[leg * L.s8 + L.oPStart] = T;
    L.u8[leg * L.B + L.oCurP] = k + 1;
  }

  /**
   * Re-evaluates the availability of the classes of a leg (of one cabin, or all with cabin −1):
   * seats left per class for the choice loop, and closures and reopenings, timed and logged.
   */
  refreshAvail(leg: number, t: number, cabin = -1): void {
    this.chooseArgs[CQ_T] = t;
    this.refreshAvailNow(leg, cabin);
  }

  /** refreshAvail at the instant in chooseArgs[CQ_T] (no double argument to box per booking). */
  private refreshAvailNow(leg: number, cabin: number): void {
    const L = this.legs;
    const net = this.net;
    const mc = L.mc;
    const nCab = L.nCab;
    const p = leg % L.nP;
    const carIdx = net.patterns.carrier[p]!;
    const car = net.carriers[carIdx]!;
    const fs = this.fares;
    const posO = net.airportPos[net.patterns.origin[p]!]!;
    const i16 = L.i16;
    const u8 = L.u8;
    const iAu = L.iAu(leg);
    const iLeft = L.iLeft(leg);
    const iCtl = L.iCtl(leg);
    const iAvail = L.iAvail(leg);
    for (let cab = cabin < 0 ? 0 : cabin, lastCab = cabin < 0 ? nCab - 1 : cabin; cab <= lastCab; cab++) {
      const list = car.classesByCabin[cab]!;
      const sold = i16[L.iCabSold(leg) + cab]!;
      const bid = L.f64[L.iBid(leg) + cab]!;
      for (let j = 0; j < list.length; j++) {
        const c = list[j]!;
        const left = u8[iCtl + c] === 0 ? i16[iAu + c]! - sold : -1;
        i16[iLeft + c] = left;
        let open = left >= 1;
        if (open && bid > 0) {
          const prod = this.localProduct[p * mc + c]!;
          if (prod >= 0 && posO >= 0) {
            const v = fs.value[posO * fs.nProducts + prod]!;
            if (v === v && v < bid) open = false;
          }
        }
        if (open === (u8[iAvail + c] === 1)) continue;
        this.availabilityChanged(leg, c, open, this.chooseArgs[CQ_T]!, carIdx);
      }
    }
  }

  private availabilityChanged(leg: number, c: number, open: boolean, t: number, carIdx: number): void {
    const L = this.legs;
    const at = L.timersAt(leg) + 2 * c;
    L.u8[L.iAvail(leg) + c] = open ? 1 : 0;
    if (open) L.timers[at + 1] += t - L.timers[at]!;
    else L.timers[at] = t;
    if (this.record === 'all' || (this.record === 'own' && carIdx === this.net.own)) L.setClosureHead(leg, this.log.addClosure(leg, c, open, t, L.closureHeadOf(leg)));
  }

  /** Applies a controller's decisions at instant t (external: pushed through the PSS). */
  applyDecisions(carrier: number, dec: ControllerDecisions, t: number, external: boolean): void {
    const L = this.legs;
    const net = this.net;
    const mc = L.mc;
    const nCab = L.nCab;
    const car = net.carriers[carrier]!;
    for (const ctl of dec.controls ?? []) {
      const leg = ctl.leg;
      if (!L.exists(leg) || net.patterns.carrier[L.patternOf(leg)] !== carrier) throw new Error(`controller of ${car.code}: leg ${leg} is not one of its departures`);
      if (L.stateOf(leg) !== LEG_ON_SALE) continue;
      if (!external && L.extCtlOf(leg) === 1) continue;
      if (external) L.u8[leg * L.B + L.oExt] = 1;
      if (ctl.authorisations) {
        const iAu = L.iAu(leg);
        const iCap = L.iCap(leg);
        for (let c = 0; c < car.nClasses; c++) {
          const v = ctl.authorisations[c];
          if (v === undefined || !(v === v)) continue;
          const seats = L.i16[iCap + car.cabin[c]!]!;
          L.i16[iAu + c] = Math.max(0, Math.min(external ? maxAuthorisation(seats) : seats, Math.round(v)));
        }
      }
      if (ctl.bidPrices) {
        for (let cab = 0; cab < nCab; cab++) {
          const v = ctl.bidPrices[cab];
          if (v === undefined || !(v === v)) continue;
          L.f64[L.iBid(leg) + cab] = Math.max(0, v);
        }
      }
      if (ctl.closed) {
        for (let c = 0; c < car.nClasses; c++) {
          const v = ctl.closed[c];
          if (v === undefined || !(v === v)) continue;
          L.u8[L.iCtl(leg) + c] = v ? 1 : 0;
        }
      }
      this.refreshAvail(leg, t);
    }
    if (dec.fares?.length) {
      const fs = this.fares;
      const D = Math.floor(t / DAY_MS);
      for (const f of dec.fares) {
        const prod = fs.product(carrier, f.market, f.cls);
        if (prod < 0) throw new Error(`controller of ${car.code}: no fares filed in market ${f.market} for class ${f.cls}`);
        if (!(f.value >= 0)) throw new Error(`controller of ${car.code}: fare value must be >= 0, got ${f.value}`);
        for (let pos = 0; pos < fs.nPos; pos++) {
          if (f.pos !== undefined && f.pos !== pos) continue;
          const slot = pos * fs.nProducts + prod;
          if (!(fs.amountMinor[slot]! === fs.amountMinor[slot]!)) continue;
          const ccy = fs.currency[slot]!;
          const amt = fs.fromValue(f.value, ccy);
          if (f.fromDay === undefined && f.leg === undefined) fs.setBase(slot, amt, ccy, t);
          else fs.addOverride(slot, { fromDay: f.fromDay ?? -1e9, toDay: f.toDay ?? 1e9, leg: f.leg ?? -1, amountMinor: amt, currency: ccy, saleUntilDay: Infinity, filedAtMs: t, reference: `${car.code}-ctl` }, D);
        }
      }
    }
  }

  // ───────────────────────────── passengers ─────────────────────────────

  /** Scratch for the option chosen by the last call of `choose`. */
  private bestPath = -1;
  private bestClass = -1;
  private bestValue = 0;

  /**
   * The real-valued inputs of `choose` (instant, willingness to pay, the party's costs): passed in a
   * typed array, because doubles passed as arguments to a call that is not inlined are boxed (an
   * allocation each, per passenger).
   */
  private readonly chooseArgs = new Float64Array(CQ_N);
  /** scratch of `processDeparture`: per cabin, the passengers showing up beyond its seats not yet denied */
  private departExcess = new Int32Array(0);
  /** scratch of `choose`: 1 for each path of the market whose legs are on sale at the instant */
  private pathOnSale = new Uint8Array(64);

  /**
   * The choice of one party: the option (path × class) of least generalised cost among those open
   * for n seats whose fare is within the willingness to pay (inputs in `chooseArgs`). Returns false
   * when none qualifies.
   */
  private choose(m: number, X: number, dbd: number, n: number, pos: number, siteCarrier: number): boolean {
    const q = this.chooseArgs;
    const t = q[CQ_T]!;
    const wtp = q[CQ_WTP]!;
    const siteCost = q[CQ_SITE]!;
    const connCost = q[CQ_CONN]!;
    const elapsedPerMin = q[CQ_ELAPSED]!;
    const timePerMin = q[CQ_TIME]!;
    const prefMin = q[CQ_PREF]!;
    const cabinValue0 = q[CQ_CAB0]!;
    const cabinValue1 = q[CQ_CAB1]!;
    const net = this.net;
    const paths = net.paths;
    const rec = paths.rec;
    const L = this.legs;
    const fs = this.fares;
    const mc = L.mc;
    const nCab = L.nCab;
    const nP = L.nP;
    const posBase = pos * fs.nProducts;
    const side = pos === net.markets.posOrigin[m] ? 0 : 1;
    const nM = net.markets.n;
    const apLimit = this.spec.advancePurchaseEnforced ? dbd : 1 << 20;
    const rc = this.rcByMask;
    const today = this.curDay;
    const maxCabinValue = cabinValue0 > cabinValue1 ? cabinValue0 : cabinValue1;
    const taste = this.carrierTaste;
    const dayBase = (X - L.day0) * nP;
    const f64 = L.f64;
    const i16 = L.i16;
    const s8 = L.s8;
    const s2 = L.s2;
    const oSaleEnd = L.oSaleEnd;
    const oBid = L.oBid;
    const oLeft = L.oLeft - 1; // info holds the operating class + 1
    const quick = fs.quick;
    const productBase = fs.productBase;
    const packed = fs.packed;
    const info = paths.info;
    const nClasses = this.nClassesOf;
    let best = Infinity;
    let bestPath = -1;
    let bestClass = -1;
    let bestValue = 0;
    const keepPassed = this.replica;
    this.nPassed = 0;
    const p0 = net.markets.pathStart[m]!;
    const p1 = net.markets.pathStart[m + 1]!;
    // first, which paths are on sale: one pass over the paths' leg records, whose reads (mostly cache
    // misses) do not wait for each other, before the class loops that then find them in cache
    if (this.pathOnSale.length < p1 - p0) this.pathOnSale = new Uint8Array((p1 - p0) * 2);
    const onSale = this.pathOnSale;
    for (let i = p0; i < p1; i++) {
      const r = i * 8;
      let ok = f64[(dayBase + rec[r]!) * s8 + oSaleEnd]! > t;
      if (ok && rec[r + 3] === 2) ok = f64[(dayBase + rec[r + 2]! * nP + rec[r + 1]!) * s8 + oSaleEnd]! > t;
      onSale[i - p0] = ok ? 1 : 0;
    }
    for (let i = p0; i < p1; i++) {
      if (onSale[i - p0] === 0) continue;
      const r = i * 8;
      const l0 = dayBase + rec[r]!;
      const twoLegs = rec[r + 3] === 2;
      const l1 = twoLegs ? dayBase + rec[r + 2]! * nP + rec[r + 1]! : -1;
      const M = rec[r + 4]!;
      const pb = productBase[M * nM + m]!;
      if (pb < 0) continue;
      let dev = rec[r + 5]! - prefMin;
      if (dev < 0) dev = -dev;
      if (dev > 720) dev = 1440 - dev;
      const pathCost = (twoLegs ? connCost : 0) + rec[r + 6]! * elapsedPerMin + dev * timePerMin + (siteCarrier >= 0 && M !== siteCarrier ? siteCost : 0) + taste[M]!;
      if (pathCost - maxCabinValue >= best) continue;
      const cm = i * mc;
      const l0b = l0 * s2 + oLeft;
      const l1b = l1 * s2 + oLeft;
      const b0 = l0 * s8 + oBid;
      const b1 = l1 * s8 + oBid;
      // cheapest classes first, so that `best` falls fast and the rest are cut by cost before availability
      for (let c = nClasses[M]! - 1; c >= 0; c--) {
        const prod = pb + c;
        const slot = posBase + prod;
        let v = quick[prod * 2 + side]!;
        if (v < 0) {
          if (this.replica) { this.replicaGaveUp = true; continue; }
          v = fs.valueFor(slot, X, l0, today);
        }
        if (!(v <= wtp)) continue;
        const pk = packed[prod]!;
        if (apLimit < pk >> 3) continue;
        const inf = info[cm + c]!;
        const cost = v + rc[pk & 7]! + pathCost - ((inf >> 14) & 1 ? cabinValue1 : cabinValue0);
        if (cost >= best || inf === 0) continue;
        // availability on every leg (nested authorisation, explicit closure) and the bid prices; a choice
        // worker's replica keeps the options it passes over for these (`keepPassed`)
        let open = i16[l0b + (inf & 63)]! >= n;
        let bids = f64[b0 + ((inf >> 12) & 1)]!;
        if (twoLegs) {
          open = open && i16[l1b + ((inf >> 6) & 63)]! >= n;
          bids += f64[b1 + ((inf >> 13) & 1)]!;
        }
        if (!open || (bids > 0 && v < bids)) {
          if (keepPassed) this.keepPassed(cost, i * 64 + c);
          continue;
        }
        best = cost;
        bestPath = i;
        bestClass = c;
        bestValue = v;
      }
    }
    this.bestPath = bestPath;
    this.bestClass = bestClass;
    this.bestValue = bestValue;
    q[CQ_BEST] = best;
    return bestPath >= 0;
  }

  /** a replica's `choose`: the options it passed over for want of seats or below the bid prices, their generalised costs and path · 64 + class */
  private passedCost = new Float64Array(64);
  private passedCode = new Int32Array(64);
  private nPassed = 0;

  private keepPassed(cost: number, code: number): void {
    const k = this.nPassed++;
    if (k === this.passedCost.length) {
      this.passedCost = ensure(this.passedCost, k + 1);
      this.passedCode = ensure(this.passedCode, k + 1);
    }
    this.passedCost[k] = cost;
    this.passedCode[k] = code;
  }

  /**
   * After a replica's `choose` (its pick in bestPath, bestClass and its cost in chooseArgs[CQ_BEST]): the options
   * `choose` would pick over its pick if they had seats and the fare were at least the legs' bid prices, then the
   * pick, listed in `out` from `at` as path · 64 + class, cheapest generalised cost first, ties in the order
   * `choose` met them. These are the options it passed over for want of seats or below the bid prices (within
   * the willingness to pay, advance purchase met, on sale) that cost no more than the pick (one that costs the
   * same was met before it); with no pick, every option it passed over, so every option there is. Whatever the
   * seats and bid prices were when the worker looked, every option cheaper than the pick is listed: the first
   * listed option open and above the bid prices at the request's turn is the one `choose` picks then, unless
   * none is (more options may be unlisted). At most A_OPTIONS_MAX are listed; returns how many there are.
   */
  private rankOptions(found: boolean, out: Int32Array, at: number): number {
    const bound = this.chooseArgs[CQ_BEST]!;
    const costs = this.passedCost;
    const codes = this.passedCode;
    let count = 0;
    for (let k = 0; k < this.nPassed; k++) {
      const cost = costs[k]!;
      if (cost > bound) continue;
      // insertion after every listed option of the same cost or less (met before it)
      const listed = count < A_OPTIONS_MAX ? count : A_OPTIONS_MAX;
      count++;
      if (listed === A_OPTIONS_MAX && !(cost < this.rankCost[listed - 1]!)) continue;
      let j = listed === A_OPTIONS_MAX ? listed - 1 : listed;
      for (; j > 0 && this.rankCost[j - 1]! > cost; j--) { this.rankCost[j] = this.rankCost[j - 1]!; out[at + j] = out[at + j - 1]!; }
      this.rankCost[j] = cost;
      out[at + j] = codes[k]!;
    }
    if (found) {
      if (count < A_OPTIONS_MAX) out[at + count] = this.bestPath * 64 + this.bestClass;
      count++;
    }
    return count;
  }

  /** scratch of `rankOptions`: the costs of the options listed, in rank order */
  private rankCost = new Float64Array(A_OPTIONS_MAX);

  /** Draws request i of rec (a day's bucket) into chooseArgs and pa: [m, X, s, n, pos, channel, siteCarrier, at]. */
  private drawPassenger(rec: Int32Array, i: number): void {
    const net = this.net;
    const ra = i * ARRIVAL_STRIDE;
    const me = rec[ra]!;
    const m = me >> 8;
    const ge = this.entBase[m]! + (me & 255);
    const X = rec[ra + 1]!;
    const s = this.entSegment[ge]!;
    const ref = this.entRef[ge]!;
    const S = this.seg;
    // the passenger's own stream, drawn ahead up to the booking: party size, point of sale, channel, the
    // site, WTP, three restriction costs, time-of-day component and time, a taste per carrier present;
    // then cancellation (three draws) and no-show
    const site0 = this.siteStart[m]!;
    const site1 = this.siteStart[m + 1]!;
    const st = this.stream;
    st.start(rec[ra + 3]!, 0xa11ce, 10 + site1 - site0 + (this.spec.cancellationsEnabled ? 4 : 0));
    const u = st.buf;
    // the party and where it shops
    const n = 1 + pickAt(S.groupCum[s]!, u, 0);
    const pos = u[1]! < S.homePos[s]! ? net.markets.posOrigin[m]! : net.markets.posDestination[m]!;
    const channel = pickAt(S.channelCum[s]!, u, 2);
    let siteCarrier = -1;
    const uSite = u[3]!;
    if (this.isSiteChannel[channel] === 1) {
      const cum = this.siteCumW;
      const us = uSite * cum[site1 - 1]!;
      let k = site0;
      while (k < site1 - 1 && us >= cum[k]!) k++;
      siteCarrier = this.siteCar[k]!;
    }
    // willingness to pay (PODS: P(WTP >= f) = exp(−ln2 · (f/ref − 1)/(emult − 1)) above the reference fare)
    const emult = this.isOtaChannel[channel] === 1 ? S.otaEmult[s]! : S.emult[s]!;
    const wtp = ref * (1 + ((emult - 1) * -Math.log(u[4]!)) / LN2);
    // restriction disutilities
    st.normalAt(5); st.normalAt(6); st.normalAt(7); st.normalAt(9);
    const cv = S.rcv[s]!;
    const r1 = ref * S.r[s * 3]! * Math.max(0, 1 + cv * u[5]!);
    const r2 = ref * S.r[s * 3 + 1]! * Math.max(0, 1 + cv * u[6]!);
    const r3 = ref * S.r[s * 3 + 2]! * Math.max(0, 1 + cv * u[7]!);
    const rc = this.rcByMask;
    rc[0] = 0; rc[1] = r1; rc[2] = r2; rc[3] = r1 + r2; rc[4] = r3; rc[5] = r1 + r3; rc[6] = r2 + r3; rc[7] = r1 + r2 + r3;
    // preferred departure time
    const comp = pickAt(S.prefCum[s]!, u, 8);
    let prefMin = (S.prefHour[s]![comp]! + S.prefSd[s]![comp]! * u[9]!) * 60;
    prefMin = wrapDay(prefMin);
    const taste = this.carrierTaste;
    const present = this.siteCar;
    for (let j = site0, at = 10; j < site1; j++, at++) taste[present[j]!] = (2 * u[at]! - 1) * CARRIER_TASTE * ref;
    const at = 10 + site1 - site0;
    const nCab = net.nCabins;
    const q = this.chooseArgs;
    q[CQ_WTP] = wtp; q[CQ_SITE] = ref * S.siteLoyalty[s]!; q[CQ_CONN] = ref * S.conn[s]!; q[CQ_ELAPSED] = ref * S.elapsedPerMin[s]!;
    q[CQ_TIME] = ref * S.timePerMin[s]!; q[CQ_PREF] = prefMin; q[CQ_CAB0] = ref * S.cabinValue[s * nCab]!; q[CQ_CAB1] = nCab > 1 ? ref * S.cabinValue[s * nCab + 1]! : 0;
    const pa = this.pa;
    pa[0] = m; pa[1] = X; pa[2] = s; pa[3] = n; pa[4] = pos; pa[5] = channel; pa[6] = siteCarrier; pa[7] = at;
  }

  /** scratch of drawPassenger and drawAfterChoice: market, journey day, segment, party, point of sale, channel, site carrier, stream position, no-show, cancel day, cancel ms */
  private pa = new Int32Array(11);
  /** the choice worker's link (choice-link.ts), on the main simulator while a worker serves it */
  private choiceLink: ChoiceLink | null = null;
  /** set on a worker's replica: a narrower fare cannot be resolved there (its fare store is not shared) */
  private replica = false;
  private replicaGaveUp = false;

  /**
   * Shares the legs and the fare values with a choice worker (choice-link.ts) and returns the link; the
   * worker's replica (built from `spec` and `replicaOptions()`) adopts its buffers. Until the worker answers,
   * and whenever no option it listed can be booked, the play is as without it. `stagingRequests`: the requests of the
   * date opening for sale the worker may draw for the main thread (a date with more is drawn by the main thread).
   */
  shareWithChoiceWorker(stagingRequests = 1 << 17): ChoiceLink {
    if (this.scratchLegs) throw new Error('a what-if scratch market cannot have a choice worker');
    if (this.choiceLink) throw new Error('this market already has a choice worker');
    const L = this.legs;
    const legs = L.share();
    const quick = this.fares.shareQuick();
    const link = ChoiceLink.allocate(legs, L.capDays, quick, 8192, stagingRequests);
    this.choiceLink = link;
    return link;
  }

  /** Detaches the choice worker (its answers are no longer read; the buffers stay shared). */
  dropChoiceWorker(): void {
    this.choiceLink?.stop();
    this.choiceLink = null;
  }

  /** The options a choice worker's replica is built with (with `spec`). */
  replicaOptions(): SimulatorOptions {
    return { seed: this.seed, startDate: new Date(this.startDay * DAY_MS).toISOString().slice(0, 10), record: this.record, shopping: this.shopping, shoppingDays: this.shoppingDays, visibleFromDay: this.visibleFromDay };
  }

  /** The link's counts, or null without a worker. */
  choiceStats(): ChoiceStats | null {
    return this.choiceLink ? { ...this.choiceLink.stats } : null;
  }

  /** ChoiceReplica: the worker's replica reads the main simulator's legs and fare values. */
  adoptShared(b: ChoiceBuffers): void {
    this.replica = true;
    this.legs.adopt(b.legs, b.nDays);
    this.fares.adoptQuick(b.quick);
  }

  /**
   * The day's requests in playing order go to the worker (a new epoch), from request `from` on; `dayStart`: the
   * controllers are about to run (the main thread plays nothing until `controlsDone`).
   */
  private publishChoices(from: number, dayStart = false): void {
    const link = this.choiceLink!;
    const b = this.curDay % this.arrivals.size;
    const L = this.legs;
    link.faresVersion = this.fares.version;
    link.begin(this.curDay, this.arrivals.rec[b]!, this.arrivals.n[b]!, ARRIVAL_STRIDE, L.share(), L.capDays, this.fares.shareQuick(), from, dayStart);
  }

  /**
   * ChoiceReplica: request k of the link's day, answered (choice-link.ts): the passenger drawn, the choice made
   * on the legs as they stand and the options it passed over ranked (`rankOptions`), the cancellation and no-show
   * drawn, and the ancillaries bought with the choice if it is logged.
   */
  answerChoice(link: ChoiceLink, k: number, day: number): void {
    const req = link.req;
    this.curDay = day;
    this.chooseArgs[CQ_T] = day * DAY_MS + req[k * ARRIVAL_STRIDE + 2]!;
    this.drawPassenger(req, k);
    const pa = this.pa;
    this.replicaGaveUp = false;
    const ans = link.answers;
    const a = k * ANSWER_INTS;
    const found = this.choose(pa[0]!, pa[1]!, pa[1]! - day, pa[3]!, pa[4]!, pa[6]!);
    const count = this.replicaGaveUp ? 0 : this.rankOptions(found, ans, a + A_OPTIONS);
    let noShow = 0;
    if (count > 0 && !this.replicaGaveUp) {
      this.drawAfterChoice();
      noShow = pa[8]!;
      ans[a + A_CANCEL_DAY] = pa[9]!;
      ans[a + A_CANCEL_MS] = pa[10]!;
    }
    // the ancillaries bought with the choice, if it is logged (they depend on its cabin and number of flights: an
    // option of another kind, if the main thread books it, is played there again)
    let kind = -1;
    const path = this.bestPath;
    if (found && count > 0 && pa[2]! < this.net.segments.length && (this.record === 'all' || (this.record === 'own' && this.ownInvolved[path] === 1))) {
      const paths = this.net.paths;
      const cab0 = paths.opCabin0[path * this.legs.mc + this.bestClass]!;
      const twoLegs = paths.nLegs[path] === 2;
      kind = cab0 * 2 + (twoLegs ? 1 : 0);
      ans[a + A_MASK] = this.ancillaryMask(this.stream, pa[2]!, cab0, twoLegs);
    }
    ans[a + A_MASK_KIND] = kind;
    ans[a + A_PASSENGER] = packPassenger(pa[3]!, pa[4]!, pa[5]!, pa[2]!, noShow);
    ans[a + A_COUNT] = this.replicaGaveUp ? -1 : count * 2 + (found ? 0 : 1);
    Atomics.store(ans, a + A_TAG, link.epoch);
  }

  /** Plays request i of bucket b at the instant in chooseArgs[CQ_T]. */
  private processArrival(b: number, i: number): void {
    this.requests++;
    const link = this.choiceLink;
    if (link !== null) {
      if ((i & 15) === 0) this.readAhead(link, b, i + 16);
      if (this.playAnswer(link, b, i)) return;
    }
    this.drawPassenger(this.arrivals.rec[b]!, i);
    const pa = this.pa;
    const X = pa[1]!;
    if (!this.choose(pa[0]!, X, X - this.curDay, pa[3]!, pa[4]!, pa[6]!)) { this.lostRequests++; return; }
    this.drawAfterChoice();
    this.chooseArgs[CQ_VALUE] = this.bestValue;
    this.book(this.bestPath, this.bestClass, X, pa[3]!, pa[4]!, pa[5]!, pa[2]!, pa[8]!, pa[9]!, pa[10]!, this.stream, null);
  }

  /** readAhead's word offsets in the leg blocks, and what its reads add up to (kept, so that they are not dropped) */
  private aheadAt = new Int32Array(0);
  private aheadSink = 0;

  /**
   * Reads every line of the leg blocks that requests from..from+15 of bucket b will read and write when played with
   * the worker's answer (the legs of its first listed option: the seat check, then the booking), in one tight loop.
   * The lines, mostly cache misses, then come in together instead of one after the other as each request reaches
   * them (the core waits for each such miss in turn, about 130 ns here). Reads only: nothing played changes. An
   * answer not ready yet is skipped (the request is most likely played here).
   */
  private readAhead(link: ChoiceLink, b: number, from: number): void {
    const end = Math.min(this.arrivals.n[b]!, from + 16);
    const req = this.arrivals.rec[b]!;
    const ans = link.answers;
    const L = this.legs;
    const nP = L.nP;
    const s4 = L.s4;
    const lines = L.B >> 6;
    const max = L.nLegs;
    const prec = this.net.paths.rec;
    if (this.aheadAt.length < 32 * lines) this.aheadAt = new Int32Array(32 * lines);
    const at = this.aheadAt;
    let w = 0;
    for (let k = from; k < end; k++) {
      const a = k * ANSWER_INTS;
      if (ans[a + A_TAG] !== link.epoch || ans[a + A_COUNT]! < 2) continue;
      const r = (ans[a + A_OPTIONS]! >> 6) * 8;
      const dayBase = (req[k * ARRIVAL_STRIDE + 1]! - L.day0) * nP;
      const l0 = dayBase + prec[r]!;
      if (l0 >= 0 && l0 < max) for (let x = 0, off = l0 * s4; x < lines; x++, off += 16) at[w++] = off;
      if (prec[r + 3] === 2) {
        const l1 = dayBase + prec[r + 2]! * nP + prec[r + 1]!;
        if (l1 >= 0 && l1 < max) for (let x = 0, off = l1 * s4; x < lines; x++, off += 16) at[w++] = off;
      }
    }
    const i32 = L.i32;
    let sum = 0;
    for (let j = 0; j < w; j++) sum |= i32[at[j]!]!;
    this.aheadSink = sum;
  }

  /**
   * Plays request i with the worker's answer when it is ready: books the first listed option open for the party
   * on every leg with its fare at least the bid prices (the one the choice makes now), or none. False: play it here
   * (not ready, not answered, every listed option taken with more left unlisted, or the option to book is logged
   * and of another cabin or number of flights than the worker's choice, whose ancillaries it drew).
   */
  private playAnswer(link: ChoiceLink, b: number, i: number): boolean {
    if (link.held || link.faresVersion !== this.fares.version) this.publishChoices(i);
    if ((i & 15) === 0) Atomics.store(link.ctl, CTL_MAIN, i);
    const ans = link.answers;
    const a = i * ANSWER_INTS;
    if (link.strict) this.awaitAnswer(link, a, i);
    if (Atomics.load(ans, a + A_TAG) !== link.epoch) { link.stats.notReady++; return false; }
    const cell = ans[a + A_COUNT]!;
    if (cell < 0) { link.stats.notReady++; return false; }
    const count = cell >> 1;
    const rec = this.arrivals.rec[b]!;
    const X = rec[i * ARRIVAL_STRIDE + 1]!;
    const who = ans[a + A_PASSENGER]!;
    const n = passengerParty(who);
    const L = this.legs;
    const nP = L.nP;
    const paths = this.net.paths;
    const prec = paths.rec;
    const info = paths.info;
    const i16 = L.i16;
    const s2 = L.s2;
    const oLeft = L.oLeft - 1; // info holds the operating class + 1
    const dayBase = (X - L.day0) * nP;
    const f64 = L.f64;
    const s8 = L.s8;
    const fs = this.fares;
    const nM = this.net.markets.n;
    const pos = passengerPos(who);
    for (let j = 0, listed = count < A_OPTIONS_MAX ? count : A_OPTIONS_MAX; j < listed; j++) {
      const code = ans[a + A_OPTIONS + j]!;
      const path = code >> 6;
      const cls = code & 63;
      const r = path * 8;
      const inf = info[path * L.mc + cls]!;
      const l0 = dayBase + prec[r]!;
      if (i16[l0 * s2 + oLeft + (inf & 63)]! < n) continue;
      let bids = f64[l0 * s8 + L.oBid + ((inf >> 12) & 1)]!;
      if (prec[r + 3] === 2) {
        const l1 = dayBase + prec[r + 2]! * nP + prec[r + 1]!;
        if (i16[l1 * s2 + oLeft + ((inf >> 6) & 63)]! < n) continue;
        bids += f64[l1 * s8 + L.oBid + ((inf >> 13) & 1)]!;
      }
      const m = paths.market[path]!;
      const v = fs.quick[(fs.productBase[prec[r + 4]! * nM + m]! + cls) * 2 + (pos === this.net.markets.posOrigin[m] ? 0 : 1)]!;
      if (bids > 0 && v < bids) continue;
      const logged = this.record === 'all' || (this.record === 'own' && this.ownInvolved[path] === 1);
      if (logged && paths.opCabin0[path * L.mc + cls]! * 2 + (prec[r + 3] === 2 ? 1 : 0) !== ans[a + A_MASK_KIND]) { link.stats.stale++; return false; }
      link.stats.taken++;
      this.chooseArgs[CQ_VALUE] = v;
      this.book(path, cls, X, n, pos, passengerChannel(who), passengerSegment(who), passengerNoShow(who), ans[a + A_CANCEL_DAY]!, ans[a + A_CANCEL_MS]!, null, null, logged ? ans[a + A_MASK]! : 0);
      return true;
    }
    // none of them open: with every option listed (the worker found none open either), none; else the worker's
    // pick was taken since, and an option it did not list may be the one
    if ((cell & 1) === 0 || count > A_OPTIONS_MAX) { link.stats.stale++; return false; }
    link.stats.taken++;
    this.lostRequests++;
    return true;
  }

  /** Strict mode (tests): waits until the worker has answered request i (at most 30 s). */
  private awaitAnswer(link: ChoiceLink, a: number, i: number): void {
    const until = Date.now() + 30_000;
    for (let spins = 0; Atomics.load(link.answers, a + A_TAG) !== link.epoch; spins++) {
      if ((spins & 1023) === 1023 && Date.now() > until) throw new Error(`choice worker: no answer to request ${i} of day ${this.curDay} within 30 s`);
    }
  }

  /** After the choice, from the passenger's stream (so reproducible): cancellation and no-show into pa[8..10]; the stream then stands at the ancillaries. */
  private drawAfterChoice(): void {
    const pa = this.pa;
    const S = this.seg;
    const D = this.curDay;
    const X = pa[1]!;
    const s = pa[2]!;
    const u = this.stream.buf;
    let at = pa[7]!;
    let cancelDay = -1;
    let cancelMs = 0;
    let noShow = 0;
    if (this.spec.cancellationsEnabled) {
      const uc = u[at]!;
      const uDay = u[at + 1]!;
      const uMs = u[at + 2]!;
      if (uc < S.cancel[s]! && X - D >= 2) {
        cancelDay = D + 1 + Math.floor(uDay * (X - D - 1));
        cancelMs = Math.floor(uMs * DAY_MS);
      }
      noShow = u[at + 3]! < S.noShow[s]! ? 1 : 0;
      at += 4;
    }
    this.stream.pos = at;
    pa[8] = noShow; pa[9] = cancelDay; pa[10] = cancelMs;
  }

  /**
   * Books n seats on a path in a marketing class at instant t: inventory, revenue, observations, the
   * booking log, the cancellation queue. `ancillaries`: explicit purchases (orders); otherwise drawn
   * from the passenger's stream for recorded bookings. Returns the booking log index (−1: not logged).
   */
  commitBooking(path: number, cls: number, valuePerPax: number, X: number, t: number, n: number, pos: number, channel: number, segment: number, noShow: number,
    cancelDay: number, cancelMs: number, rng: UniformStream | null, ancillaries: { code: number; seg: number; amountMinor: number }[] | null): number {
    const q = this.chooseArgs;
    q[CQ_T] = t;
    q[CQ_VALUE] = valuePerPax;
    return this.book(path, cls, X, n, pos, channel, segment, noShow, cancelDay, cancelMs, rng, ancillaries);
  }

  /** commitBooking at the instant and fare per passenger in chooseArgs (every argument a small integer: nothing boxed). */
  private book(path: number, cls: number, X: number, n: number, pos: number, channel: number, segment: number, noShow: number,
    cancelDay: number, cancelMs: number, rng: UniformStream | null, ancillaries: { code: number; seg: number; amountMinor: number }[] | null, ancMask = -1): number {
    const t = this.chooseArgs[CQ_T]!;
    const valuePerPax = this.chooseArgs[CQ_VALUE]!;
    const net = this.net;
    const paths = net.paths;
    const L = this.legs;
    const fs = this.fares;
    const mc = L.mc;
    const nCab = L.nCab;
    const P = L.periods;
    const D = this.curDay;
    const M = paths.carrier[path]!;
    const m = paths.market[path]!;
    const twoLegs = paths.nLegs[path] === 2;
    const l0 = L.index(X, paths.leg0[path]!);
    const l1 = twoLegs ? L.index(X + paths.leg1DayOffset[path]!, paths.leg1[path]!) : -1;
    const oc0 = paths.classMap0[path * mc + cls]!;
    const oc1 = twoLegs ? paths.classMap1[path * mc + cls]! : 0;
    const share0 = paths.prorate0[path]!;
    const total = valuePerPax * n;
    const i16 = L.i16;
    const f64 = L.f64;
    // leg 0
    const cab0 = paths.opCabin0[path * mc + cls]!;
    i16[L.iSold(l0) + oc0] += n;
    i16[L.iCabSold(l0) + cab0] += n;
    f64[L.iRev(l0) + oc0] += total * share0;
    i16[L.iCurNet(l0) + oc0] += n;
    if (noShow) i16[L.iNoShow(l0) + cab0] += n;
    this.refreshAvailNow(l0, cab0);
    if (twoLegs) {
      const cab1 = paths.opCabin1[path * mc + cls]!;
      i16[L.iSold(l1) + oc1] += n;
      i16[L.iCabSold(l1) + cab1] += n;
      f64[L.iRev(l1) + oc1] += total * (1 - share0);
      i16[L.iCurNet(l1) + oc1] += n;
      if (noShow) i16[L.iNoShow(l1) + cab1] += n;
      this.refreshAvailNow(l1, cab1);
    }
    const di = this.mktAt(X, M);
    this.mktRevenue[di] += total;
    this.mktPax[di] += n;
    const obs = this.mktObs[M];
    if (obs) obs[(((X - L.day0) * net.markets.n + m) * mc + cls) * P + this.periodOfDbd[Math.min(this.saleOpens, X - D)]!] += n;

    let pnr = -1;
    if (this.record === 'all' || (this.record === 'own' && this.ownInvolved[path] === 1)) {
      const lg = this.log;
      pnr = lg.addBooking();
      const prod = fs.product(M, m, cls);
      const slot = pos * fs.nProducts + prod;
      const o = fs.hasOverride[slot] ? fs.resolve(slot, X, l0, D) : null;
      const ccy = o ? o.currency : fs.currency[slot]!;
      lg.carrier[pnr] = M;
      lg.market[pnr] = m;
      lg.leg0[pnr] = l0;
      lg.leg1[pnr] = l1;
      lg.cls[pnr] = cls;
      lg.opCls0[pnr] = oc0;
      lg.opCls1[pnr] = oc1;
      lg.pos[pnr] = pos;
      lg.channel[pnr] = channel;
      lg.segment[pnr] = segment;
      lg.pax[pnr] = n;
      lg.amountMinor[pnr] = (o ? o.amountMinor : fs.amountMinor[slot]!) * n;
      lg.currency[pnr] = ccy;
      lg.product[pnr] = prod;
      lg.fareBasis[pnr] = -1;
      lg.value[pnr] = total;
      lg.prorate0[pnr] = share0;
      lg.bookedMs[pnr] = t;
      lg.status0[pnr] = ST_BOOKED;
      lg.status1[pnr] = ST_BOOKED;
      lg.statusMs0[pnr] = t;
      lg.statusMs1[pnr] = t;
      lg.noShow[pnr] = noShow;
      this.listBooking(l0, pnr * 2);
      if (twoLegs) this.listBooking(l1, pnr * 2 + 1);
      lg.ancStart[pnr] = lg.nAnc;
      let nAnc = 0;
      if (ancillaries) {
        for (const a of ancillaries) { lg.addAncillary(a.code, a.seg, a.amountMinor); nAnc++; }
      } else if (ancMask >= 0) {
        nAnc = this.logAncillaries(ancMask, m, ccy, n);
      } else if (rng && segment < net.segments.length) {
        nAnc = this.logAncillaries(this.ancillaryMask(rng, segment, cab0, twoLegs), m, ccy, n);
      }
      lg.ancCount[pnr] = nAnc;
      lg.addEvent(pnr, EV_BOOKED, 0);
      if (twoLegs) lg.addEvent(pnr, EV_BOOKED, 1);
    }
    if (cancelDay >= 0) {
      const q = this.cancels;
      const r = q.addRow();
      q.leg0[r] = l0;
      q.leg1[r] = l1;
      q.oc0[r] = oc0;
      q.oc1[r] = oc1;
      q.cls[r] = cls;
      q.carrier[r] = M;
      q.pax[r] = n;
      q.value[r] = total;
      q.prorate0[r] = share0;
      q.pnr[r] = pnr;
      q.jday[r] = X;
      q.market[r] = m;
      q.noShow[r] = noShow;
      q.schedule(cancelDay, r, cancelMs);
    }
    return pnr;
  }

  /** Adds a booking entry (record · 2 + segment) to a leg's list (LegStore.oPnrIn), spilling a full block into the log's pool. */
  private listBooking(leg: number, entry: number): void {
    const L = this.legs;
    const i32 = L.i32;
    const b4 = leg * L.s4;
    let k = i32[b4 + L.oPnrN]!;
    if (k === PNR_INLINE) {
      L.setPnrChunk(leg, this.log.spillPnrs(i32, b4 + L.oPnrIn, L.pnrChunkOf(leg)));
      k = 0;
    }
    i32[b4 + L.oPnrIn + k] = entry;
    i32[b4 + L.oPnrN] = k + 1;
  }

  /**
   * The ancillaries a recorded booking's passengers buy, drawn from their stream, as a mask (bit a · 2 + flight
   * segment; logAncillaries logs them): each passenger segment's willingness to pay for an
   * ancillary is lognormal (cv 0.6) with mean `propensity · price`, so it buys with probability
   * P(WTP >= price) = Φ((ln propensity − σ²/2)/σ) (precomputed per segment); seats, meals and Wi-Fi
   * are bought per flight, the rest once per journey; an extra-legroom seat replaces a standard one.
   */
  private ancillaryMask(rng: UniformStream, s: number, cab0: number, twoLegs: boolean): number {
    const anc = this.spec.ancillaries;
    const prob = this.seg.ancProb[s]!;
    const included = this.ancIncluded;
    const nCab = this.net.nCabins;
    let mask = 0;
    let boughtXl = false;
    const segs = twoLegs ? 2 : 1;
    for (let a = 0; a < anc.length; a++) {
      const p = prob[a]!;
      if (p <= 0 || included[a * nCab + cab0] === 1) continue;
      const times = this.ancJourney[a] === 1 ? 1 : segs;
      for (let sg = 0; sg < times; sg++) {
        const ua = rng.pos < rng.len ? rng.buf[rng.pos++]! : rng.next();
        if (ua >= p) continue;
        if (a === this.ancSeatXl) boughtXl = true;
        if (a === this.ancSeatStd && boughtXl) continue;
        mask |= 1 << (a * 2 + sg);
      }
    }
    return mask;
  }

  /** Logs the ancillaries of a mask (ancillaryMask) for the booking being recorded; returns how many. */
  private logAncillaries(mask: number, m: number, ccy: number, n: number): number {
    const lg = this.log;
    const fs = this.fares;
    const nCcy = this.net.currencies.length;
    if (this.ancMinorRates !== fs.ratesVersion) {
      if (this.ancMinor.length === 0) this.ancMinor = new Float64Array(this.spec.ancillaries.length * 2 * nCcy);
      this.ancMinor.fill(NaN);
      this.ancMinorRates = fs.ratesVersion;
    }
    const prices = this.ancMinor;
    const long = this.net.markets.distanceKm[m]! > 3000 ? 1 : 0;
    let count = 0;
    // bit a · 2 + flight segment, lowest first: by ancillary, then segment
    for (let rest = mask; rest !== 0; rest &= rest - 1) {
      const bit = 31 - Math.clz32(rest & -rest);
      const a = bit >> 1;
      const k = (a * 2 + long) * nCcy + ccy;
      let unit = prices[k]!;
      if (unit !== unit) {
        const spec = this.spec.ancillaries[a]!;
        unit = prices[k] = roundMinor(fs.fromValue(spec.price * (long ? spec.longHaulFactor : 1), ccy), this.net.currencies[ccy]!);
      }
      lg.addAncillary(a, bit & 1, unit * n);
      count++;
    }
    return count;
  }

  /** Cancels the booking of a cancellation row at the instant in chooseArgs[CQ_T]. */
  private processCancel(row: number): void {
    const t = this.chooseArgs[CQ_T]!;
    const q = this.cancels;
    const L = this.legs;
    const net = this.net;
    const mc = L.mc;
    const nCab = L.nCab;
    const P = L.periods;
    const D = this.curDay;
    const n = q.pax[row]!;
    const l0 = q.leg0[row]!;
    if (L.stateOf(l0) !== LEG_ON_SALE) { q.release(row); return; }
    const M = q.carrier[row]!;
    const p0 = L.patternOf(l0);
    const oc0 = q.oc0[row]!;
    const cab0 = net.carriers[net.patterns.carrier[p0]!]!.cabin[oc0]!;
    const total = q.value[row]!;
    const i16 = L.i16;
    const f64 = L.f64;
    i16[L.iSold(l0) + oc0] -= n;
    i16[L.iCabSold(l0) + cab0] -= n;
    f64[L.iRev(l0) + oc0] -= total * q.prorate0[row]!;
    i16[L.iCurNet(l0) + oc0] -= n;
    if (q.noShow[row]) i16[L.iNoShow(l0) + cab0] -= n;
    this.refreshAvailNow(l0, cab0);
    const l1 = q.leg1[row]!;
    if (l1 >= 0) {
      const oc1 = q.oc1[row]!;
      const cab1 = net.carriers[net.patterns.carrier[L.patternOf(l1)]!]!.cabin[oc1]!;
      i16[L.iSold(l1) + oc1] -= n;
      i16[L.iCabSold(l1) + cab1] -= n;
      f64[L.iRev(l1) + oc1] -= total * (1 - q.prorate0[row]!);
      i16[L.iCurNet(l1) + oc1] -= n;
      if (q.noShow[row]) i16[L.iNoShow(l1) + cab1] -= n;
      this.refreshAvailNow(l1, cab1);
    }
    const di = this.mktAt(q.jday[row]!, M);
    this.mktRevenue[di] -= total;
    this.mktPax[di] -= n;
    const obs = this.mktObs[M];
    if (obs) {
      const X = q.jday[row]!;
      obs[(((X - L.day0) * net.markets.n + q.market[row]!) * mc + q.cls[row]!) * P + this.periodOfDbd[Math.min(this.saleOpens, X - D)]!] -= n;
    }
    const pnr = q.pnr[row]!;
    if (pnr >= 0) {
      const lg = this.log;
      lg.status0[pnr] = ST_CANCELLED;
      lg.statusMs0[pnr] = t;
      lg.addEvent(pnr, EV_CANCELLED, 0);
      if (l1 >= 0) {
        lg.status1[pnr] = ST_CANCELLED;
        lg.statusMs1[pnr] = t;
        lg.addEvent(pnr, EV_CANCELLED, 1);
      }
    }
    q.release(row);
  }

  /** Departs a leg at the instant in chooseArgs[CQ_T]. */
  private processDeparture(leg: number): void {
    const t = this.chooseArgs[CQ_T]!;
    const L = this.legs;
    const nCab = L.nCab;
    this.closePeriod(leg, L.periods - 1, t);
    L.setState(leg, LEG_DEPARTED);
    L.f64[L.iSaleEnd(leg)] = -Infinity;
    const b2 = leg * L.s2;
    // Passengers who show up beyond the cabin's seats (sold on an overbooked authorisation) are denied
    // boarding: whole bookings, the latest made first (the booking list runs newest first).
    if (this.departExcess.length < nCab) this.departExcess = new Int32Array(nCab);
    const excess = this.departExcess;
    let anyExcess = false;
    for (let cab = 0; cab < nCab; cab++) {
      const shows = L.i16[b2 + L.oCabSold + cab]! - L.i16[b2 + L.oNoShow + cab]!;
      excess[cab] = Math.max(0, shows - L.i16[L.iCap(leg) + cab]!);
      if (excess[cab]! > 0) anyExcess = true;
      L.i16[b2 + L.oBoarded + cab] = shows - excess[cab]!;
    }
    if (this.scratchLegs) return;
    const lg = this.log;
    const opCabin = anyExcess ? this.net.carriers[this.net.patterns.carrier[L.patternOf(leg)]!]!.cabin : null;
    // the leg's bookings newest first: those in its block, then its chunks in the log's pool
    const b4 = leg * L.s4;
    let src: Int32Array<ArrayBufferLike> = L.i32;
    let at = b4 + L.oPnrIn;
    let j = at + L.i32[b4 + L.oPnrN]! - 1;
    let chunk = L.pnrChunkOf(leg);
    for (;;) {
      for (; j >= at; j--) {
        const e = src[j]!;
        const pnr = e >> 1;
        const seg = e & 1;
        const status = seg === 0 ? lg.status0[pnr] : lg.status1[pnr];
        if (status !== ST_BOOKED) continue;
        let st = lg.noShow[pnr] === 1 ? ST_NO_SHOW : ST_FLOWN;
        if (st === ST_FLOWN && opCabin) {
          const cab = opCabin[seg === 0 ? lg.opCls0[pnr]! : lg.opCls1[pnr]!]!;
          if (excess[cab]! > 0) {
            st = ST_DENIED;
            const n = lg.pax[pnr]!;
            // a party larger than the seats still short is denied whole: the difference flies empty
            if (n > excess[cab]!) L.i16[b2 + L.oBoarded + cab] -= n - excess[cab]!;
            excess[cab] = Math.max(0, excess[cab]! - n);
          }
        }
        if (seg === 0) { lg.status0[pnr] = st; lg.statusMs0[pnr] = t; } else { lg.status1[pnr] = st; lg.statusMs1[pnr] = t; }
        lg.addEvent(pnr, st === ST_DENIED ? EV_DENIED : st === ST_NO_SHOW ? EV_NO_SHOW : EV_FLOWN, seg);
      }
      if (chunk < 0) break;
      src = lg.poolChunk(chunk);
      at = lg.poolAt(chunk);
      j = at + PNR_INLINE - 1;
      chunk = src[at + PNR_INLINE]!;
    }
    const c = this.net.patterns.carrier[L.patternOf(leg)]!;
    this.controllers[c]!.onDeparted?.(this.views[c]!, leg);
  }

  // ───────────────────────────── shopping ─────────────────────────────

  /** The lowest open fare per cabin of a carrier's paths in a market on a journey day, at a point of sale. */
  lowestOpenFare(carrier: number, m: number, X: number, pos: number, cabin: number, t: number): { value: number; slot: number; leg: number } | null {
    const net = this.net;
    const paths = net.paths;
    const L = this.legs;
    const fs = this.fares;
    const mc = L.mc;
    const nCab = L.nCab;
    const pb = fs.productBase[carrier * net.markets.n + m]!;
    if (pb < 0) return null;
    const car = net.carriers[carrier]!;
    let best = Infinity;
    let bestSlot = -1;
    let bestLeg = -1;
    const D = Math.floor(t / DAY_MS);
    for (let i = net.markets.pathStart[m]!; i < net.markets.pathStart[m + 1]!; i++) {
      if (paths.carrier[i] !== carrier) continue;
      const l0 = L.index(X, paths.leg0[i]!);
      if (!L.exists(l0) || L.stateOf(l0) !== LEG_ON_SALE || L.depMsOf(l0) <= t) continue;
      const l1 = paths.nLegs[i] === 2 ? L.index(X + paths.leg1DayOffset[i]!, paths.leg1[i]!) : -1;
      if (l1 >= 0 && (!L.exists(l1) || L.stateOf(l1) !== LEG_ON_SALE)) continue;
      for (let c = 0; c < car.nClasses; c++) {
        if (car.cabin[c] !== cabin) continue;
        const slot = pos * fs.nProducts + pb + c;
        const v = fs.valueFor(slot, X, l0, D);
        if (!(v < best)) continue;
        if (this.spec.advancePurchaseEnforced && X - D < fs.advancePurchase[pb + c]!) continue;
        const k = i * mc + c;
        const oc0 = paths.classMap0[k]!;
        if (oc0 < 0 || L.leftOf(l0, oc0) < 1) continue;
        let bids = L.bidOf(l0, paths.opCabin0[k]!);
        if (l1 >= 0) {
          const oc1 = paths.classMap1[k]!;
          if (oc1 < 0 || L.leftOf(l1, oc1) < 1) continue;
          bids += L.bidOf(l1, paths.opCabin1[k]!);
        }
        if (bids > 0 && v < bids) continue;
        best = v;
        bestSlot = slot;
        bestLeg = l0;
      }
    }
    return bestSlot < 0 ? null : { value: best, slot: bestSlot, leg: bestLeg };
  }

  obsKey(m: number, X: number, carrier: number, cabin: number): number {
    return ((m * 100_000 + (X - this.startDay + 1000)) * 64 + carrier) * 8 + cabin;
  }

  private observeFares(D: number, at: number): void {
    const net = this.net;
    const fs = this.fares;
    for (const m of this.shopMarkets) {
      const pos = net.markets.posOrigin[m]!;
      const carriers = this.siteCarriers[m]!;
      for (const dbd of this.shoppingDays) {
        const X = D + dbd;
        for (let ci = 0; ci < carriers.length; ci++) {
          const c = carriers[ci]!;
          if (c === net.own) continue;
          for (let cab = 0; cab < net.nCabins; cab++) {
            const r = this.lowestOpenFare(c, m, X, pos, cab, at);
            if (!r) continue;
            const o = fs.hasOverride[r.slot] ? fs.resolve(r.slot, X, r.leg, D) : null;
            const amount = o ? o.amountMinor : fs.amountMinor[r.slot]!;
            const ccy = o ? o.currency : fs.currency[r.slot]!;
            this.log.addObservation(c, m, X, cab, amount, ccy, r.value, at);
            this.latestObs.set(this.obsKey(m, X, c, cab), this.log.nObs - 1);
          }
        }
      }
    }
    if (D % 30 === 0) for (const [k, i] of this.latestObs) if (this.log.obDay.at(i) < D) this.latestObs.delete(k);
  }

  // ───────────────────────────── results ─────────────────────────────

  /** Where journey date X's figures of a marketing carrier sit in mktRevenue and mktPax (day-major). */
  private mktAt(X: number, carrier: number): number {
    return (X - this.legs.day0) * this.net.carriers.length + carrier;
  }

  /** Revenue (base currency) and passengers of a marketing carrier over journey days [from, to]. */
  marketingTotals(carrier: number, fromDay: number, toDay: number): { revenue: number; passengers: number } {
    let revenue = 0;
    let passengers = 0;
    const L = this.legs;
    for (let X = Math.max(fromDay, L.day0); X <= toDay && X < L.day0 + L.nDays; X++) {
      revenue += this.mktRevenue[this.mktAt(X, carrier)]!;
      passengers += this.mktPax[this.mktAt(X, carrier)]!;
    }
    return { revenue, passengers };
  }

  /**
   * A what-if scratch market over these legs: it shares this market's legs and fares (the caller
   * snapshots what it changes and restores it before returning), with its own clock, queues, totals and
   * no booking log, controllers, shopping or fare actions. Only the given legs may be touched.
   */
  scratchOver(legs: number[]): MarketSimulator {
    // it plays over the shared legs: a choice worker's answers made before or during that are void
    this.choiceLink?.hold();
    const c = Object.create(MarketSimulator.prototype) as MarketSimulator;
    Object.assign(c, this);
    const w = c as unknown as Record<string, unknown>;
    w.clock = new SimClock(this.clock.nowMs());
    w.log = new BookingLog();
    w.record = 'none';
    w.arrivals = new ArrivalBuckets(this.arrivals.size);
    w.cancels = new CancelQueue(this.cancels.size);
    w.mktRevenue = this.mktRevenue.slice();
    w.mktPax = this.mktPax.slice();
    w.mktObs = this.net.carriers.map(() => null);
    w.agenda = new Float64Array(1024);
    w.departing = [];
    w.fareActions = [];
    w.shopping = false;
    this.freshScratch(w);
    w.controllers = this.net.carriers.map(() => fcfs());
    w.scratchLegs = legs;
    w.requests = 0;
    w.lostRequests = 0;
    return c;
  }

  /** Gives a copy of this simulator its own scratch buffers (a copy made by Object.assign shares them). */
  private freshScratch(w: Record<string, unknown>): void {
    w.arrivalOrder = new Int32Array(1024);
    w.agendaSorter = new AgendaSorter();
    w.stream = new UniformStream();
    w.genRng = new Rng(1);
    w.tfScratch = new Float64Array(64);
    w.u2Scratch = new Float64Array(2);
    w.rcByMask = new Float64Array(8);
    w.chooseArgs = new Float64Array(CQ_N);
    w.departExcess = new Int32Array(0);
    w.carrierTaste = new Float64Array(this.net.carriers.length);
    w.pa = new Int32Array(11);
    w.ancMinor = new Float64Array(0);
    w.ancMinorRates = -1;
    w.choiceLink = null;
    w.replica = false;
  }

  /** Forks the whole market at the current instant (controllers must support clone()). */
  clone(opts: { record?: RecordMode; withoutControllers?: boolean } = {}): MarketSimulator {
    const c = Object.create(MarketSimulator.prototype) as MarketSimulator;
    Object.assign(c, this);
    const w = c as unknown as Record<string, unknown>;
    w.clock = new SimClock(this.clock.nowMs());
    w.legs = this.legs.clone();
    w.log = this.log.clone();
    w.fares = this.fares.clone(this.net);
    w.arrivals = this.arrivals.clone();
    w.cancels = this.cancels.clone();
    w.mktRevenue = this.mktRevenue.slice();
    w.mktPax = this.mktPax.slice();
    w.mktObs = this.mktObs.map((a) => (a ? withRoom(a, a.length, this.legs.nDays * this.obsPerDay) : null));
    w.agenda = this.agenda.slice();
    w.departing = [...this.departing];
    w.ratesToday = this.ratesToday.slice();
    w.fareActions = [...this.fareActions];
    w.latestObs = new Map(this.latestObs);
    this.freshScratch(w);
    w.record = opts.record ?? this.record;
    w.controllers = this.controllers.map((ctl) => {
      const cl = (ctl as CarrierController & { clone?: () => CarrierController }).clone;
      if (ctl.name === 'fcfs' || opts.withoutControllers) return fcfs();
      if (!cl) throw new Error(`simulator.clone: controller "${ctl.name}" cannot be cloned (give it a clone() method)`);
      return cl.call(ctl);
    });
    w.views = this.net.carriers.map((car) => new CarrierViewImpl(c, car.idx));
    return c;
  }
}

/**
 * ((x % 1440) + 1440) % 1440, bit for bit, without the two floating-point remainders (a C call each)
 * for x within a day either side of 0: there x % 1440 is x, s = x + 1440 is rounded once, and s % 1440
 * is s − 1440 (exact: s and 1440 are within a factor 2) or s − 2880 (= 0) when s rounded up to 2880,
 * or for negative x, s itself or 0 when s rounded up to 1440.
 */
export function wrapDay(x: number): number {
  if (x >= 0 && x < 1440) { const s = x + 1440; return s < 2880 ? s - 1440 : 0; }
  if (x < 0 && x > -1440) { const s = x + 1440; return s < 1440 ? s : 0; }
  return ((x % 1440) + 1440) % 1440;
}

/** pickCumulative on the uniform buf[i]: the first index whose cumulative weight exceeds u · total. */
function pickAt(cum: Float64Array, buf: Float64Array, i: number): number {
  const n = cum.length;
  const u = buf[i]! * cum[n - 1]!;
  let k = 0;
  while (k < n - 1 && u >= cum[k]!) k++;
  return k;
}

function roundMinor(amountMinor: number, currency: string): number {
  // whole units (or tens in currencies with small units), matching how the fares were filed
  const unit = currency === 'JPY' || currency === 'HUF' ? 1 : 100;
  const step = amountMinor / unit > 20000 ? 100 * unit : amountMinor / unit > 2000 ? 10 * unit : unit;
  return Math.max(step, Math.round(amountMinor / step) * step);
}

function buildSegmentParams(net: Network): SegmentParams {
  const segs = net.segments;
  const anc = net.spec.ancillaries;
  const cum = (xs: number[]) => { let a = 0; return Float64Array.from(xs, (x) => (a += x)); };
  return {
    emult: Float64Array.from(segs, (s) => s.emult),
    otaEmult: Float64Array.from(segs, (s) => 1 + (s.emult - 1) * s.otaEmultFactor),
    r: Float64Array.from(segs.flatMap((s) => [s.restrictionCost.R1, s.restrictionCost.R2, s.restrictionCost.R3])),
    rcv: Float64Array.from(segs, (s) => s.restrictionCostCv),
    conn: Float64Array.from(segs, (s) => s.connectionCost),
    elapsedPerMin: Float64Array.from(segs, (s) => s.elapsedCostPerHour / 60),
    timePerMin: Float64Array.from(segs, (s) => s.timeCostPerHour / 60),
    cabinValue: Float64Array.from(segs.flatMap((s) => net.cabins.map((c) => s.cabinValue[c] ?? 0))),
    groupCum: segs.map((s) => cum(s.groupSize)),
    cancel: Float64Array.from(segs, (s) => s.cancelProbability),
    noShow: Float64Array.from(segs, (s) => s.noShowProbability),
    homePos: Float64Array.from(segs, (s) => s.homePosShare),
    siteLoyalty: Float64Array.from(segs, (s) => s.siteLoyaltyCost),
    channelCum: segs.map((s) => cum(net.channels.map((c) => s.channelMix[c] ?? 0))),
    prefCum: segs.map((s) => cum(s.preferredTimes.map((p) => p.weight))),
    prefHour: segs.map((s) => Float64Array.from(s.preferredTimes, (p) => p.hour)),
    prefSd: segs.map((s) => Float64Array.from(s.preferredTimes, (p) => p.sdHours)),
    ancProb: segs.map((s) => Float64Array.from(anc, (a) => {
      const mean = s.ancillaryPropensity[a.code] ?? 0;
      if (mean <= 0) return 0;
      const sigma = Math.sqrt(Math.log(1 + ANCILLARY_WTP_CV * ANCILLARY_WTP_CV));
      return normCdf((Math.log(mean) - (sigma * sigma) / 2) / sigma);
    })),
  };
}

/** The carrier's window on the market: its own data only (see CarrierView). */
export class CarrierViewImpl implements CarrierView {
  readonly carrier: string;
  readonly classes: RbdInfo[];
  readonly cabins: readonly string[];
  readonly dcps: readonly number[];
  readonly periods: number;
  readonly baseCurrency: string;
  private marketList: { market: number; origin: string; destination: string }[] | null = null;

  constructor(private readonly sim: MarketSimulator, readonly carrierIndex: number) {
    const net = sim.net;
    const car = net.carriers[carrierIndex]!;
    const ladder = net.spec.ladders.find((l) => l.carrier === car.code)!;
    this.carrier = car.code;
    this.classes = ladder.rbds.map((r, i) => ({ rbd: r.rbd, cabin: r.cabin, cabinIndex: car.cabin[i]!, rank: car.rank[i]!, restrictions: [...r.restrictions], advancePurchaseDays: r.advancePurchaseDays, brand: r.brand }));
    this.cabins = net.cabins;
    this.dcps = net.dcps;
    this.periods = net.nPeriods;
    this.baseCurrency = net.spec.baseCurrency;
  }

  private own(leg: number): number {
    const L = this.sim.legs;
    if (!L.exists(leg)) throw new Error(`${this.carrier}: leg ${leg} does not exist`);
    const p = L.patternOf(leg);
    if (this.sim.net.patterns.carrier[p] !== this.carrierIndex) throw new Error(`${this.carrier}: leg ${leg} is operated by another carrier; a carrier observes only its own legs`);
    return p;
  }

  nowMs(): number { return this.sim.clock.nowMs(); }
  today(): number { return this.sim.clock.dayNumber(); }
  pattern(leg: number): number { return this.own(leg); }
  flightNumber(leg: number): number { return this.sim.net.patterns.flightNumber[this.own(leg)]!; }
  origin(leg: number): string { return this.sim.net.airports[this.sim.net.patterns.origin[this.own(leg)]!]!.code; }
  destination(leg: number): string { return this.sim.net.airports[this.sim.net.patterns.destination[this.own(leg)]!]!.code; }
  departureDay(leg: number): number { this.own(leg); return this.sim.legs.dayOf(leg); }
  departureMs(leg: number): number { this.own(leg); return this.sim.legs.depMsOf(leg); }
  departed(leg: number): boolean { this.own(leg); return this.sim.legs.stateOf(leg) === LEG_DEPARTED; }
  capacity(leg: number, cabin: number): number { this.own(leg); return this.sim.legs.capOf(leg, cabin); }
  cabinSold(leg: number, cabin: number): number { this.own(leg); return this.sim.legs.cabSoldOf(leg, cabin); }
  sold(leg: number, cls: number): number { this.own(leg); return this.sim.legs.soldOf(leg, cls); }
  authorisation(leg: number, cls: number): number { this.own(leg); return this.sim.legs.auOf(leg, cls); }
  bidPrice(leg: number, cabin: number): number { this.own(leg); return this.sim.legs.bidOf(leg, cabin); }
  closedByControl(leg: number, cls: number): boolean { this.own(leg); return this.sim.legs.ctlClosedOf(leg, cls) === 1; }
  bookingsInPeriod(leg: number, cls: number, period: number): number {
    this.own(leg);
    return this.sim.legs.netOf(leg, cls, period);
  }
  closedFraction(leg: number, cls: number, period: number): number {
    this.own(leg);
    const L = this.sim.legs;
    return L.closedFrac[(leg * L.mc + cls) * L.periods + period]! / 255;
  }
  periodObservations(leg: number, cls: number, bookings: Float64Array, closed: Float64Array): void {
    this.own(leg);
    const L = this.sim.legs;
    const P = L.periods;
    const base = (leg * L.mc + cls) * P;
    const net = L.net;
    const cf = L.closedFrac;
    for (let k = 0; k < P; k++) {
      bookings[k] = net[base + k]!;
      closed[k] = cf[base + k]! / 255;
    }
    const cur = L.curPeriodOf(leg);
    if (cur < P) bookings[cur] = L.netOf(leg, cls, cur); // with the current period's, still in the leg record
  }
  revenue(leg: number, cls: number): number { this.own(leg); return this.sim.legs.revenueOf(leg, cls); }
  previousDepartures(leg: number, max: number): number[] {
    const p = this.own(leg);
    const L = this.sim.legs;
    const out: number[] = [];
    for (let X = L.dayOf(leg) - 1; X >= L.day0 && out.length < max; X--) {
      const l = L.index(X, p);
      if (L.stateOf(l) === LEG_DEPARTED) out.push(l);
    }
    return out;
  }
  localFare(leg: number, cls: number): number {
    const p = this.own(leg);
    const net = this.sim.net;
    const lm = net.patterns.localMarket[p]!;
    if (lm < 0) return NaN;
    const prod = this.sim.fares.product(this.carrierIndex, lm, cls);
    if (prod < 0) return NaN;
    return this.sim.fares.value[this.sim.fares.slot(prod, net.markets.posOrigin[lm]!)]!;
  }
  markets(): readonly { market: number; origin: string; destination: string }[] {
    if (!this.marketList) {
      const net = this.sim.net;
      this.marketList = [];
      for (let m = 0; m < net.markets.n; m++) {
        if (this.sim.fares.productBase[this.carrierIndex * net.markets.n + m]! < 0) continue;
        this.marketList.push({ market: m, origin: net.airports[net.markets.origin[m]!]!.code, destination: net.airports[net.markets.destination[m]!]!.code });
      }
    }
    return this.marketList;
  }
  fare(market: number, cls: number, pos: number): number {
    const prod = this.sim.fares.product(this.carrierIndex, market, cls);
    return prod < 0 ? NaN : this.sim.fares.value[this.sim.fares.slot(prod, pos)]!;
  }
  marketBookingsInPeriod(market: number, day: number, cls: number, period: number): number {
    const obs = this.sim.mktObs[this.carrierIndex];
    if (!obs) throw new Error(`${this.carrier}: O&D observations are off; set observesMarkets on the controller`);
    const net = this.sim.net;
    const L = this.sim.legs;
    if (day < L.day0 || day >= L.day0 + L.nDays) return 0;
    return obs[(((day - L.day0) * net.markets.n + market) * net.maxClasses + cls) * net.nPeriods + period]!;
  }

  competitorFares(market: number, day: number): { carrier: string; cabin: string; value: number; observedMs: number }[] {
    const sim = this.sim;
    const out: { carrier: string; cabin: string; value: number; observedMs: number }[] = [];
    for (let c = 0; c < sim.net.carriers.length; c++) {
      if (c === this.carrierIndex) continue;
      for (let cab = 0; cab < sim.net.nCabins; cab++) {
        const i = sim.latestObs.get(sim.obsKey(market, day, c, cab));
        if (i === undefined) continue;
        out.push({ carrier: sim.net.carriers[c]!.code, cabin: sim.net.cabins[cab]!, value: sim.log.obValue.at(i), observedMs: sim.log.obMs.at(i) });
      }
    }
    return out;
  }
}

