/**
 * The `dynamic` strategy: our own forecasting, optimisation and pricing as an in-process controller of
 * the market simulator, fed only by what the carrier observes (`CarrierView`): its own legs,
 * bookings, closures, revenue and fares, and competitors' published fares from the shopping tool.
 */
import type { CarrierController, CarrierView, ControllerDecisions, DcpBatch, LegControlDecision } from '../../simulation';
import { periodOfDbd } from '../../forecasting/dcp';
import { sellUpProbability } from '../../forecasting/sellup';
import { FlightHistory } from './history';
import { forecastCabin, type DemandMode } from './forecast';
import { authorisationsInto, solveCabinPolicy, type CabinPolicy } from './policy';
import { bookedInsideAdvancePurchase } from './advancePurchase';
import { displacementAdjustedValue } from './displacement';
import { DEFAULT_DEMAND_LEVELS, levelPrior, nearestLevel, posteriorLevel, type LevelPrior } from './demandLevel';

/** Day-by-day smoothing of the mean bid price per origin-destination pair (displacement values). */
const BID_SMOOTHING = 0.05;

/** The PODS Frat5 curve "C" (an RM system's assumption about sell-up), by days before departure. */
export const FRAT5_CURVE_C: readonly (readonly [number, number])[] = [
  [63, 1.2], [56, 1.2], [49, 1.29], [42, 1.29], [35, 1.37], [31, 1.46], [28, 1.54], [24, 1.63], [21, 1.97], [17, 2.31], [14, 2.74], [10, 2.83], [7, 2.91], [5, 2.91], [3, 3.0], [1, 3.0],
];

export interface DynamicOptions {
  /** flown departures per flight kept (default 26) */
  history?: number;
  mode?: DemandMode;
  /** multiplies the Frat5 curve's sell-up excess (Frat5 − 1); robustness runs use 0.7 and 1.3 */
  frat5Scale?: number;
  /** a class closed for at least this share of a period is taken as closed (default 0.3) */
  censorThreshold?: number;
  /** smoothing of the earned revenue per class (default 0.1) */
  fareSmoothing?: number;
  /** set the cabin bid price on every leg (network control of connecting journeys), default true */
  bidPrices?: boolean;
  /** re-forecast and re-optimise a flight after this many new flown departures (default 7) */
  refreshDepartures?: number;
  /** keep classes priced at or above a competitor's lowest open fare open down to the bid price (default true) */
  matchCompetitors?: boolean;
  /**
   * demand levels the policy is solved for; each departure uses the one nearest the level its own
   * bookings so far point to (./demandLevel). [1]: no booking-to-date conditioning
   */
  demandLevels?: readonly number[];
  /**
   * value a class on a leg by displacement-adjusted revenue (connecting passengers at their fare less
   * the other leg's bid price, ./displacement) instead of mileage-prorated revenue (default true)
   */
  displacementValues?: boolean;
}

interface LiveLeg {
  pattern: number;
  day: number;
  /** our price per class now (base currency) */
  price: Float64Array;
  /** Σ daily price per class and period, and days per period */
  priceSum: Float64Array;
  priceDays: Int32Array;
  /** per cabin: bookings in the completed periods before period cumPeriods (demand level) */
  cumPeriods: Int32Array;
  cumBookings: Float64Array;
}

interface PatternState {
  history: FlightHistory;
  /** reference price of the lowest class per cabin */
  qRef: Float64Array;
  /** per cabin, one policy per demand level (DynamicOptions.demandLevels) */
  policies: (CabinPolicy[] | null)[];
  /** per cabin, the prior of a departure's demand level (booking-to-date conditioning) */
  priors: (LevelPrior | null)[];
  /** smoothed displacement-adjusted revenue per passenger by class (NaN until seen) */
  davn: Float64Array;
  origin: string;
  destination: string;
  /** revenue per seat sold in each class of each cabin, as the policy was solved with */
  values: (Float64Array | null)[];
  policyVersion: number;
}

export class DynamicController implements CarrierController {
  readonly name = 'dynamic';
  private readonly H: number;
  private readonly mode: DemandMode;
  private readonly frat5Scale: number;
  private readonly threshold: number;
  private readonly smoothing: number;
  private readonly useBids: boolean;
  private readonly refresh: number;
  private readonly matchCompetitors: boolean;
  private readonly levels: readonly number[];
  private readonly useDisplacement: boolean;
  /** O&D observations of our own sales (market × journey day × class × period) feed the displacement values */
  readonly observesMarkets: boolean;
  /** origin-destination pairs of the legs we operate ("BOS-ORD") */
  private readonly legPairs = new Set<string>();
  /** mean bid price we set on the legs of each origin-destination pair (smoothed day by day) */
  private readonly bidMean = new Map<string, number>();
  /** connecting markets through the legs of an origin-destination pair, with the pair of their other leg */
  private readonly connections = new Map<string, { market: number; other: string }[]>();
  private readonly patterns = new Map<number, PatternState>();
  private readonly live = new Map<number, LiveLeg>();
  private byCabin: number[][] = [];
  private dcps: readonly number[] = [];
  private periodByDbd: Int32Array = new Int32Array(0);
  private horizon = 0;
  private frat5ByPeriod: Float64Array = new Float64Array(0);
  /**
   * Per class: 1 once a booking was seen in a period that lies wholly inside its advance-purchase
   * window, i.e. the rule is not enforced at sale (3MKT disables advance purchase): from then on the
   * class is forecast to sell in every period. Learnt from our own bookings, never from the scenario.
   */
  private apIgnored: Uint8Array = new Uint8Array(0);

  constructor(opts: DynamicOptions = {}) {
    this.H = opts.history ?? 26;
    this.mode = opts.mode ?? 'hybrid';
    this.frat5Scale = opts.frat5Scale ?? 1;
    this.threshold = opts.censorThreshold ?? 0.3;
    this.smoothing = opts.fareSmoothing ?? 0.1;
    this.useBids = opts.bidPrices ?? true;
    this.refresh = opts.refreshDepartures ?? 7;
    this.matchCompetitors = opts.matchCompetitors ?? true;
    this.useDisplacement = opts.displacementValues ?? true;
    this.observesMarkets = this.useDisplacement;
    this.levels = [...(opts.demandLevels ?? DEFAULT_DEMAND_LEVELS)].sort((a, b) => a - b);
    if (this.levels.length === 0 || this.levels.some((l) => !(l > 0))) throw new RangeError(`dynamic strategy: demandLevels must be positive numbers, got ${this.levels.join(', ')}`);
  }

  private init(view: CarrierView, horizon: number): void {
    if (this.dcps.length && horizon <= this.horizon) return;
    this.dcps = view.dcps;
    this.byCabin = view.cabins.map((_, cab) => view.classes.map((c, i) => (c.cabinIndex === cab ? i : -1)).filter((i) => i >= 0));
    this.horizon = Math.max(this.horizon, horizon);
    this.periodByDbd = Int32Array.from({ length: this.horizon + 1 }, (_, d) => periodOfDbd(this.dcps, d));
    // Frat5 of a period: the curve at the period's DCP (days before departure), sell-up excess scaled
    this.frat5ByPeriod = Float64Array.from(this.dcps, (d) => 1 + (frat5At(Math.max(d, 1)) - 1) * this.frat5Scale);
    if (this.apIgnored.length !== view.classes.length) this.apIgnored = new Uint8Array(view.classes.length);
  }

  private patternState(view: CarrierView, leg: number): PatternState {
    const p = view.pattern(leg);
    let st = this.patterns.get(p);
    if (!st) {
      const qRef = Float64Array.from(this.byCabin, (cls) => (cls.length ? view.localFare(leg, cls[cls.length - 1]!) : NaN));
      st = { history: new FlightHistory(this.H, view.classes.length, view.periods, this.smoothing), qRef, policies: this.byCabin.map(() => null), priors: this.byCabin.map(() => null), davn: new Float64Array(view.classes.length).fill(NaN), origin: view.origin(leg), destination: view.destination(leg), values: this.byCabin.map(() => null), policyVersion: -1 };
      this.patterns.set(p, st);
    }
    return st;
  }

  onDcp(view: CarrierView, batches: readonly DcpBatch[]): ControllerDecisions {
    let today = NaN;
    for (const b of batches) {
      if (b.legs.length === 0) continue;
      const X = view.departureDay(b.legs[0]!);
      today = b.dcpIndex < 0 ? X - b.daysBeforeDeparture : X - b.daysBeforeDeparture + 1;
      if (b.dcpIndex < 0) {
        this.init(view, b.daysBeforeDeparture);
        for (const leg of b.legs) this.open(view, leg);
      }
    }
    if (Number.isNaN(today)) return {};
    const controls: LegControlDecision[] = [];
    const nCl = view.classes.length;
    const P = view.periods;
    const bidDay = new Map<string, [number, number]>();
    for (const [leg, L] of this.live) {
      const dbd = L.day - today;
      if (dbd < 0) continue;
      const k = this.periodByDbd[Math.min(dbd, this.horizon)]!;
      for (let c = 0; c < nCl; c++) L.priceSum[c * P + k] += L.price[c]!;
      L.priceDays[k]++;
      const st = this.patterns.get(L.pattern)!;
      if (st.history.count < 2) continue;
      if (st.policyVersion < 0 || st.history.version - st.policyVersion >= this.refresh) this.solve(view, leg, st);
      const au = new Float64Array(nCl).fill(NaN);
      const bids = new Float64Array(view.cabins.length).fill(NaN);
      for (let cab = 0; cab < this.byCabin.length; cab++) {
        const cls = this.byCabin[cab]!;
        const pols = st.policies[cab];
        if (!pols || cls.length === 0) continue;
        const pol = pols[this.levelIndex(view, leg, L, st, cab, k)]!;
        const sold = view.cabinSold(leg, cab);
        const out = new Float64Array(cls.length);
        authorisationsInto(pol, dbd, sold, cls.length, out);
        if (this.matchCompetitors) this.matchCompetitor(L, cab, pol, st.values[cab]!, dbd, sold, this.competitorLowest(view, leg, L, cab), out);
        for (let j = 0; j < cls.length; j++) au[cls[j]!] = out[j]!;
        au[cls[0]!] = view.capacity(leg, cab);
        const x = Math.max(0, pol.capacity - sold);
        const bid = x > 0 ? pol.bid[Math.min(dbd, pol.horizon) * (pol.capacity + 1) + x]! : 0;
        if (this.useBids) bids[cab] = bid;
        if (cab === 0) {
          const od = `${view.origin(leg)}-${view.destination(leg)}`;
          const acc = bidDay.get(od) ?? [0, 0];
          acc[0] += bid; acc[1]++;
          bidDay.set(od, acc);
        }
      }
      controls.push(this.useBids ? { leg, authorisations: au, bidPrices: bids } : { leg, authorisations: au });
    }
    for (const [od, [sum, n]] of bidDay) {
      const old = this.bidMean.get(od);
      this.bidMean.set(od, old === undefined ? sum / n : (1 - BID_SMOOTHING) * old + BID_SMOOTHING * (sum / n));
    }
    return { controls };
  }

  private open(view: CarrierView, leg: number): void {
    const nCl = view.classes.length;
    const P = view.periods;
    this.patternState(view, leg); // the flight's state (reference prices) from its first departure on sale
    this.legPairs.add(`${view.origin(leg)}-${view.destination(leg)}`);
    this.live.set(leg, {
      pattern: view.pattern(leg), day: view.departureDay(leg),
      price: Float64Array.from({ length: nCl }, (_, c) => view.localFare(leg, c)),
      priceSum: new Float64Array(nCl * P), priceDays: new Int32Array(P),
      cumPeriods: new Int32Array(view.cabins.length).fill(-1), cumBookings: new Float64Array(view.cabins.length),
    });
  }

  private solve(view: CarrierView, leg: number, st: PatternState): void {
    const P = view.periods;
    const L = this.live.get(leg)!;
    for (let cab = 0; cab < this.byCabin.length; cab++) {
      const cls = this.byCabin[cab]!;
      const n = cls.length;
      if (n === 0) continue;
      const qRef = st.qRef[cab]!;
      const fc = forecastCabin(st.history, cls, (k) => this.frat5ByPeriod[k]!, qRef, this.mode);
      const sellUp = new Float64Array(P * n);
      for (let k = 0; k < P; k++) {
        for (let j = 0; j < n; j++) {
          // a class whose advance purchase has passed by the period's end sells to nobody in it
          if (this.apIgnored[cls[j]!] === 0 && view.classes[cls[j]!]!.advancePurchaseDays > this.dcps[k]!) { fc.y[k * n + j] = 0; continue; }
          sellUp[k * n + j] = sellUpProbability(Math.max(1, L.price[cls[j]!]! / qRef), this.frat5ByPeriod[k]!);
        }
      }
      const value = new Float64Array(n);
      let prev = Infinity;
      for (let j = 0; j < n; j++) {
        const d = st.davn[cls[j]!]!;
        const e = this.useDisplacement && !Number.isNaN(d) ? d : st.history.earned[cls[j]!]!;
        let v = Number.isNaN(e) ? L.price[cls[j]!]! : e;
        if (!(v > 0)) v = prev === Infinity ? 1 : prev * 0.9;
        v = Math.min(v, prev);
        value[j] = v;
        prev = v;
      }
      st.values[cab] = value;
      st.priors[cab] = levelPrior(st.history, cls);
      st.policies[cab] = this.levels.map((m) => solveCabinPolicy({ n, periods: P, q: fc.q.map((v) => v * m), sellUp, y: fc.y.map((v) => v * m), value }, view.capacity(leg, cab), this.horizon, this.periodByDbd));
    }
    st.policyVersion = st.history.version;
  }

  /**
   * Competitor-aware control: the policy keeps a class closed when it expects price-oriented
   * passengers to sell up to a dearer one of ours; but when a competitor's lowest open fare in the
   * leg's market (seen by the shopping tool) is below that dearer class, they buy the competitor's
   * instead. So every class of ours priced at or above the competitor's lowest fare stays open while
   * its seat value is at least the bid price (the value of the seats left), as a bid-price control.
   */
  private matchCompetitor(L: LiveLeg, cab: number, pol: CabinPolicy, value: Float64Array, dbd: number, sold: number, lowest: number, out: Float64Array): void {
    if (!Number.isFinite(lowest)) return;
    const cls = this.byCabin[cab]!;
    const W = pol.capacity + 1;
    const row = Math.min(dbd, pol.horizon) * W;
    const x = Math.max(0, pol.capacity - sold);
    for (let j = 1; j < cls.length; j++) {
      if (L.price[cls[j]!]! < lowest) break;
      let seats = 0;
      for (let xx = x; xx >= 1 && pol.bid[row + xx]! <= value[j]!; xx--) seats++;
      out[j] = Math.max(out[j]!, sold + seats);
    }
  }

  /**
   * The demand level of a departure (index into the levels) from its bookings in the completed
   * periods before period k, against what the flight's history booked by then.
   */
  private levelIndex(view: CarrierView, leg: number, L: LiveLeg, st: PatternState, cab: number, k: number): number {
    const prior = st.priors[cab];
    if (this.levels.length === 1 || !prior || k === 0) return nearestLevel(this.levels, 1);
    if (L.cumPeriods[cab] !== k) {
      let obs = 0;
      for (const c of this.byCabin[cab]!) for (let p = 0; p < k; p++) obs += view.bookingsInPeriod(leg, c, p);
      L.cumPeriods[cab] = k;
      L.cumBookings[cab] = obs;
    }
    return nearestLevel(this.levels, posteriorLevel(L.cumBookings[cab]!, prior.expected[k]!, prior.alpha[k]!));
  }

  /** The lowest open fare of any competitor in the leg's local market and cabin on its day (shopping), Infinity when unseen. */
  private competitorLowest(view: CarrierView, leg: number, L: LiveLeg, cab: number): number {
    const market = this.marketOf(view, leg);
    if (market < 0) return Infinity;
    const cabin = view.cabins[cab];
    let lowest = Infinity;
    for (const o of view.competitorFares(market, L.day)) if (o.cabin === cabin && o.value < lowest) lowest = o.value;
    return lowest;
  }

  /** Marks classes booked in a period wholly within their advance-purchase window (see apIgnored). */
  private learnAdvancePurchase(view: CarrierView, leg: number): void {
    for (let c = 0; c < view.classes.length; c++) {
      if (this.apIgnored[c] === 0 && bookedInsideAdvancePurchase(this.dcps, view.classes[c]!.advancePurchaseDays, (k) => view.bookingsInPeriod(leg, c, k))) this.apIgnored[c] = 1;
    }
  }

  /** Per flight (leg pattern): its values per class (carrier class index), displacement-adjusted and mileage-prorated, as learnt so far. */
  classValues(): { pattern: number; origin: string; destination: string; displacementAdjusted: number[]; prorated: number[] }[] {
    return [...this.patterns].map(([pattern, st]) => ({ pattern, origin: st.origin, destination: st.destination, displacementAdjusted: Array.from(st.davn), prorated: Array.from(st.history.earned) }));
  }

  /** Per class (carrier class index): whether its advance purchase was learnt not to be enforced. */
  advancePurchaseIgnored(): boolean[] {
    return Array.from(this.apIgnored, (v) => v === 1);
  }

  /**
   * Connecting markets through the legs of an origin-destination pair A-B: O-B with our leg O-A
   * before it, and A-D with our leg B-D after it (our own schedule), each with its other leg's pair.
   */
  private connectionsOf(view: CarrierView, od: string): { market: number; other: string }[] {
    let list = this.connections.get(od);
    if (list) return list;
    const [a, b] = od.split('-') as [string, string];
    list = [];
    for (const m of view.markets()) {
      if (m.origin === a && m.destination !== b && this.legPairs.has(`${b}-${m.destination}`)) list.push({ market: m.market, other: `${b}-${m.destination}` });
      else if (m.destination === b && m.origin !== a && this.legPairs.has(`${m.origin}-${a}`)) list.push({ market: m.market, other: `${m.origin}-${a}` });
    }
    this.connections.set(od, list);
    return list;
  }

  /** Our fare of a class in a market now, at the first point of sale filing it (NaN when none does). */
  private marketFare(view: CarrierView, market: number, cls: number): number {
    for (let pos = 0; pos < 256; pos++) {
      const f = view.fare(market, cls, pos);
      if (f === undefined) break; // past the last point of sale
      if (f > 0) return f;
    }
    return NaN;
  }

  /**
   * Updates the flight's displacement-adjusted value per class from a flown departure: our O&D sales
   * of its journey day in the local market and in the connecting markets through its legs (both
   * flights of a pair together: the O&D observations are per market and day), connecting passengers
   * valued at their fare less the mean bid price we set on their other leg.
   */
  private learnDisplacementValues(view: CarrierView, leg: number, day: number, st: PatternState): void {
    const od = `${view.origin(leg)}-${view.destination(leg)}`;
    const local = this.marketOf(view, leg);
    const conns = this.connectionsOf(view, od);
    const P = view.periods;
    const sum = (m: number, c: number) => { let s = 0; for (let k = 0; k < P; k++) s += view.marketBookingsInPeriod(m, day, c, k); return s; };
    for (let c = 0; c < view.classes.length; c++) {
      const v = displacementAdjustedValue(local >= 0 ? sum(local, c) : 0, view.localFare(leg, c),
        conns.map((x) => ({ passengers: sum(x.market, c), fare: this.marketFare(view, x.market, c), otherLegBid: this.bidMean.get(x.other) ?? 0 })));
      if (Number.isNaN(v)) continue;
      const old = st.davn[c]!;
      st.davn[c] = Number.isNaN(old) ? v : (1 - this.smoothing) * old + this.smoothing * v;
    }
  }

  private marketIndex: Map<string, number> | null = null;

  private marketOf(view: CarrierView, leg: number): number {
    if (!this.marketIndex) this.marketIndex = new Map(view.markets().map((m) => [`${m.origin}-${m.destination}`, m.market]));
    return this.marketIndex.get(`${view.origin(leg)}-${view.destination(leg)}`) ?? -1;
  }

  onDeparted(view: CarrierView, leg: number): void {
    const L = this.live.get(leg);
    this.live.delete(leg);
    if (!L) return;
    const st = this.patterns.get(L.pattern)!;
    const P = view.periods;
    this.learnAdvancePurchase(view, leg);
    if (this.useDisplacement) this.learnDisplacementValues(view, leg, L.day, st);
    st.history.add(L.day,
      (c, k) => view.bookingsInPeriod(leg, c, k),
      (c, k) => view.closedFraction(leg, c, k) >= this.threshold,
      (c, k) => (L.priceDays[k]! > 0 ? L.priceSum[c * P + k]! / L.priceDays[k]! : L.price[c]!),
      (c) => view.revenue(leg, c),
      (c) => view.sold(leg, c));
  }
}

/** The Frat5 curve C at a DBD (linear between its points, flat beyond them). */
function frat5At(dbd: number): number {
  const c = FRAT5_CURVE_C;
  if (dbd >= c[0]![0]) return c[0]![1];
  for (let i = 1; i < c.length; i++) {
    const [d1, v1] = c[i]!;
    const [d0, v0] = c[i - 1]!;
    if (dbd >= d1) return v1 + ((v0 - v1) * (dbd - d1)) / (d0 - d1);
  }
  return c[c.length - 1]![1];
}
