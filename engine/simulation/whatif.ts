/**
 * What-if: play the rest of the booking horizon of some of our flights many times (draws), once with
 * the controls as they stand (or a given "current" set) and once with proposed controls, on the same
 * draws, and report revenue and load factor distributions for both.
 *
 * The model of the future: the markets whose paths use the flights are replayed from now to the last
 * departure with fresh demand per draw (new k-factor and time-frame draws: the realised future demand
 * of the main simulation is not used); passengers choose among all carriers' offers as in the main
 * simulation; other legs of those paths keep their current inventory and are consumed only by these
 * markets' passengers; every carrier's controls, the fares (apart from the proposal) and the exchange
 * rates are held at their current values; cancellations already scheduled for bookings on these legs
 * happen as they would.
 */
import { CancelQueue } from './arrivals';
import { DAY_MS } from './clock';
import type { LegControlDecision } from './controller';
import type { FareOverride } from './fares';
import { LEG_ON_SALE } from './legs';
import { resolveFlight } from './queries';
import { hash32 } from './rng';
import type { MarketSimulator } from './simulator';

export interface WhatIfControlSet {
  /** authorisation levels by RBD */
  authorisations?: Record<string, number>;
  /** RBDs closed, and RBDs reopened */
  closed?: string[];
  opened?: string[];
  /** the leg's bid price (every cabin unless `cabin`) */
  bidPrice?: { amountMinor: number; currency: string; cabin?: string };
  /** fares for journeys whose first flight is this one, by RBD (all points of sale of the currency unless given) */
  fares?: { rbd: string; amountMinor: number; currency: string; pointOfSale?: string }[];
}

export interface WhatIfRequest {
  /** our flights (flight ids) */
  flights: string[];
  /** number of draws (1..100000) */
  draws: number;
  seed?: number;
  /** controls to test, by flight id */
  proposed: Record<string, WhatIfControlSet>;
  /** the baseline, by flight id (default: the flights as they stand) */
  current?: Record<string, WhatIfControlSet>;
}

export interface Distribution {
  mean: number;
  sd: number;
  p5: number;
  p50: number;
  p95: number;
}

export interface WhatIfOutcome {
  /** revenue of the flights at departure (prorated, base currency, major units), over the draws */
  revenue: Distribution;
  loadFactor: Distribution;
  revenueByDraw: Float64Array;
  loadFactorByDraw: Float64Array;
}

export interface WhatIfResult {
  flights: string[];
  draws: number;
  currency: string;
  current: WhatIfOutcome;
  proposed: WhatIfOutcome;
  /** proposed − current revenue, paired draw by draw */
  revenueDifference: Distribution;
  /** booking requests simulated per draw and control set (on average) and the legs replayed */
  requestsPerRun: number;
  legsReplayed: number;
  elapsedMs: number;
}

export function distribution(values: Float64Array): Distribution {
  const n = values.length;
  if (n === 0) return { mean: NaN, sd: NaN, p5: NaN, p50: NaN, p95: NaN };
  let s = 0;
  for (const v of values) s += v;
  const mean = s / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  const sorted = Float64Array.from(values).sort();
  const q = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.round(p * (n - 1))))]!;
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, p5: q(0.05), p50: q(0.5), p95: q(0.95) };
}

export function whatIf(sim: MarketSimulator, req: WhatIfRequest): WhatIfResult {
  const started = performance.now();
  if (!Number.isInteger(req.draws) || req.draws < 1 || req.draws > 100_000) throw new Error(`whatIf: draws must be a whole number in 1..100000, got ${req.draws}`);
  if (req.flights.length === 0) throw new Error('whatIf: flights is empty');
  sim.ensureDayBegun();
  const net = sim.net;
  const L = sim.legs;
  const paths = net.paths;
  const own = net.own;
  const car = net.carriers[own]!;
  const now = sim.clock.nowMs();
  const today = sim.clock.dayNumber();

  const targets: number[] = req.flights.map((id) => {
    const r = resolveFlight(sim, id);
    if ('error' in r) throw new Error(`whatIf: flights: ${r.error}`);
    if (net.patterns.carrier[L.patternOf(r.leg)] !== own) throw new Error(`whatIf: flights: ${id} is not operated by ${car.code}`);
    if (L.stateOf(r.leg) !== LEG_ON_SALE || L.saleEndOf(r.leg) <= now) throw new Error(`whatIf: flights: ${id} has closed for sale`);
    return r.leg;
  });
  for (const id of [...Object.keys(req.proposed), ...Object.keys(req.current ?? {})]) {
    if (!req.flights.includes(id)) throw new Error(`whatIf: controls given for ${id}, which is not in flights`);
  }

  // the markets and journey dates whose paths use the flights, and every leg those paths use
  const pairs: { m: number; X: number }[] = [];
  const pairKeys = new Set<string>();
  const legSet = new Set<number>(targets);
  for (const t of targets) {
    const pt = L.patternOf(t);
    const Xt = L.dayOf(t);
    for (let i = 0; i < paths.n; i++) {
      let X: number;
      if (paths.leg0[i] === pt) X = Xt;
      else if (paths.leg1[i] === pt) X = Xt - paths.leg1DayOffset[i]!;
      else continue;
      const l0 = L.index(X, paths.leg0[i]!);
      const l1 = paths.nLegs[i] === 2 ? L.index(X + paths.leg1DayOffset[i]!, paths.leg1[i]!) : -1;
      if (l0 < 0 || L.stateOf(l0) !== LEG_ON_SALE || (l1 >= 0 && L.stateOf(l1) !== LEG_ON_SALE)) continue;
      const key = `${paths.market[i]}/${X}`;
      if (!pairKeys.has(key)) { pairKeys.add(key); pairs.push({ m: paths.market[i]!, X }); }
    }
  }
  for (const { m, X } of pairs) {
    for (let i = net.markets.pathStart[m]!; i < net.markets.pathStart[m + 1]!; i++) {
      const l0 = L.index(X, paths.leg0[i]!);
      if (l0 >= 0 && l0 < L.nLegs && L.stateOf(l0) === LEG_ON_SALE) legSet.add(l0);
      if (paths.nLegs[i] === 2) {
        const l1 = L.index(X + paths.leg1DayOffset[i]!, paths.leg1[i]!);
        if (l1 >= 0 && l1 < L.nLegs && L.stateOf(l1) === LEG_ON_SALE) legSet.add(l1);
      }
    }
  }
  const baseCancels = relevantCancels(sim, legSet);
  for (let r = 0; r < baseCancels.nRows; r++) {
    legSet.add(baseCancels.leg0[r]!);
    if (baseCancels.leg1[r]! >= 0) legSet.add(baseCancels.leg1[r]!);
  }
  const live = [...legSet].sort((a, b) => a - b);
  let lastDep = 0;
  for (const t of live) lastDep = Math.max(lastDep, L.depMsOf(t));

  // the scratch market: shares the legs and fares, which are restored from these snapshots at the end
  const s = sim.scratchOver(live);
  const snap = sim.legs.snapshot(live);
  s.cancels = baseCancels;
  const cancelMark = baseCancels.mark();

  const decisionsFor = (set: WhatIfControlSet | undefined, leg: number, flight: string): { dec: LegControlDecision | null; fares: { slot: number; o: Omit<FareOverride, 'value'> }[] } => {
    if (!set) return { dec: null, fares: [] };
    const dec: LegControlDecision = { leg };
    const cls = (rbd: string) => {
      const c = car.classOf.get(rbd);
      if (c === undefined) throw new Error(`whatIf: ${flight}: RBD "${rbd}" is not in ${car.code}'s ladder`);
      return c;
    };
    if (set.authorisations) {
      const au = new Float64Array(car.nClasses).fill(NaN);
      for (const [rbd, v] of Object.entries(set.authorisations)) {
        if (!(v >= 0)) throw new Error(`whatIf: ${flight}: authorisation for ${rbd} must be >= 0`);
        au[cls(rbd)] = v;
      }
      dec.authorisations = au;
    }
    if (set.closed || set.opened) {
      const cl = new Float64Array(car.nClasses).fill(NaN);
      for (const rbd of set.opened ?? []) cl[cls(rbd)] = 0;
      for (const rbd of set.closed ?? []) cl[cls(rbd)] = 1;
      dec.closed = cl;
    }
    if (set.bidPrice) {
      const ccy = net.currencyIdx.get(set.bidPrice.currency);
      if (ccy === undefined) throw new Error(`whatIf: ${flight}: currency ${set.bidPrice.currency} has no exchange rate`);
      if (!(set.bidPrice.amountMinor >= 0)) throw new Error(`whatIf: ${flight}: bid price must be >= 0`);
      const cab = set.bidPrice.cabin === undefined ? -1 : net.cabins.indexOf(set.bidPrice.cabin);
      const v = sim.fares.toValue(set.bidPrice.amountMinor, ccy);
      dec.bidPrices = Float64Array.from(net.cabins, (_, c) => (cab < 0 || cab === c ? v : NaN));
    }
    const fares: { slot: number; o: Omit<FareOverride, 'value'> }[] = [];
    const p = L.patternOf(leg);
    const lm = net.patterns.localMarket[p]!;
    for (const f of set.fares ?? []) {
      if (lm < 0) throw new Error(`whatIf: ${flight}: no local market to price`);
      const ccy = net.currencyIdx.get(f.currency);
      if (ccy === undefined) throw new Error(`whatIf: ${flight}: currency ${f.currency} has no exchange rate`);
      if (!(f.amountMinor >= 0)) throw new Error(`whatIf: ${flight}: fare for ${f.rbd} must be >= 0`);
      const prod = sim.fares.product(own, lm, cls(f.rbd));
      for (let pos = 0; pos < sim.fares.nPos; pos++) {
        if (f.pointOfSale !== undefined ? net.pos[pos] !== f.pointOfSale : net.posCurrency[pos] !== f.currency) continue;
        fares.push({ slot: sim.fares.slot(prod, pos), o: { fromDay: L.dayOf(leg), toDay: L.dayOf(leg), leg, amountMinor: f.amountMinor, currency: ccy, saleUntilDay: Infinity, filedAtMs: now, reference: 'what-if' } });
      }
    }
    return { dec: dec.authorisations || dec.closed || dec.bidPrices ? dec : null, fares };
  };
  const sets = (which: Record<string, WhatIfControlSet> | undefined) => req.flights.map((id, i) => decisionsFor(which?.[id], targets[i]!, id));
  const proposedSets = sets(req.proposed);
  const currentSets = sets(req.current);

  const touchedSlots = new Set<number>();
  for (const x of [...proposedSets, ...currentSets]) for (const f of x.fares) touchedSlots.add(f.slot);
  const fareBackup = [...touchedSlots].map((slot) => ({ slot, list: s.fares.overrides.get(slot)?.map((o) => ({ ...o })), flag: s.fares.hasOverride[slot]! }));
  const restoreFares = () => {
    for (const b of fareBackup) {
      if (b.list) s.fares.overrides.set(b.slot, b.list.map((o) => ({ ...o }))); else s.fares.overrides.delete(b.slot);
      s.fares.setOverrideFlag(b.slot, b.flag === 1);
    }
  };

  const markets = Int32Array.from(pairs, (p) => p.m);
  const days = Int32Array.from(pairs, (p) => p.X);
  const seed = (req.seed ?? 0x3f1a) >>> 0;
  const run = (draw: number, set: ReturnType<typeof sets>): [number, number] => {
    s.legs.restore(snap);
    baseCancels.reset(cancelMark);
    for (let d = today; d <= Math.floor(lastDep / DAY_MS) + 1; d++) s.arrivals.clear(d);
    restoreFares();
    for (const x of set) {
      if (x.dec) s.applyDecisions(own, { controls: [x.dec] }, now, true);
      for (const f of x.fares) s.fares.addOverride(f.slot, f.o, today);
    }
    const ds = hash32(seed, draw, 0x77a1);
    for (let i = 0; i < markets.length; i++) s.generateDemand(days[i]!, today, ds, s.arrivals, markets.subarray(i, i + 1), ds);
    s.resetScratch(now);
    s.advanceTo(lastDep + 60_000);
    let revenue = 0;
    let sold = 0;
    let cap = 0;
    for (const t of targets) {
      for (let c = 0; c < car.nClasses; c++) revenue += s.legs.revenueOf(t, c);
      for (let cab = 0; cab < L.nCab; cab++) { sold += s.legs.cabSoldOf(t, cab); cap += s.legs.capOf(t, cab); }
    }
    return [revenue, cap > 0 ? sold / cap : 0];
  };
  const n = req.draws;
  const requests0 = s.requests;
  const curRev = new Float64Array(n);
  const curLf = new Float64Array(n);
  const propRev = new Float64Array(n);
  const propLf = new Float64Array(n);
  try {
    for (let d = 0; d < n; d++) {
      [curRev[d], curLf[d]] = run(d, currentSets);
      [propRev[d], propLf[d]] = run(d, proposedSets);
    }
  } finally {
    // the market is exactly as it was
    sim.legs.restore(snap);
    restoreFares();
  }
  const diff = Float64Array.from(propRev, (v, i) => v - curRev[i]!);
  return {
    flights: [...req.flights],
    draws: n,
    currency: sim.spec.baseCurrency,
    current: { revenue: distribution(curRev), loadFactor: distribution(curLf), revenueByDraw: curRev, loadFactorByDraw: curLf },
    proposed: { revenue: distribution(propRev), loadFactor: distribution(propLf), revenueByDraw: propRev, loadFactorByDraw: propLf },
    revenueDifference: distribution(diff),
    requestsPerRun: (s.requests - requests0) / (2 * n),
    legsReplayed: live.length,
    elapsedMs: performance.now() - started,
  };
}

/** A compact cancellation queue with only the scheduled cancellations that touch the given legs. */
function relevantCancels(sim: MarketSimulator, legs: Set<number>): CancelQueue {
  const src = sim.cancels;
  const out = new CancelQueue(src.size);
  const today = sim.clock.dayNumber();
  for (let d = today; d < today + src.size; d++) {
    const b = d % src.size;
    for (let i = 0; i < src.bn[b]!; i++) {
      const r = src.bRow[b]![i]!;
      if (!legs.has(src.leg0[r]!) && !(src.leg1[r]! >= 0 && legs.has(src.leg1[r]!))) continue;
      const k = out.addRow();
      out.leg0[k] = src.leg0[r]!;
      out.leg1[k] = src.leg1[r]!;
      out.oc0[k] = src.oc0[r]!;
      out.oc1[k] = src.oc1[r]!;
      out.cls[k] = src.cls[r]!;
      out.carrier[k] = src.carrier[r]!;
      out.pax[k] = src.pax[r]!;
      out.value[k] = src.value[r]!;
      out.prorate0[k] = src.prorate0[r]!;
      out.pnr[k] = -1;
      out.jday[k] = src.jday[r]!;
      out.market[k] = src.market[r]!;
      out.noShow[k] = src.noShow[r]!;
      out.schedule(d, k, src.bMs[b]![i]!);
    }
  }
  return out;
}
