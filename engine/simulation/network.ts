/**
 * The compiled network: a scenario turned into dense indices and typed arrays the simulation loop
 * reads without allocating: carriers and their RBD ladders, flight patterns (scheduled legs), O&D
 * markets and the paths (non-stop and one-stop connections, codeshares included) that serve them.
 */
import type { Airport } from '../domain/types';
import { utcOffsetMinutes } from '../domain/time';
import { curveShares, normaliseDcpList, validateScenario, type CarrierSpec, type Restriction, type ScenarioSpec, type SegmentSpec } from './scenario';

const RESTRICTION_BIT: Record<Restriction, number> = { R1: 1, R2: 2, R3: 4 };

export interface CompiledCarrier {
  idx: number;
  spec: CarrierSpec;
  code: string;
  nClasses: number;
  rbd: string[];
  cabin: Uint8Array; // class → cabin index
  restrictions: Uint8Array; // class → bitmask R1=1 R2=2 R3=4
  advancePurchase: Int16Array; // class → days
  brand: string[];
  /** rank of the class inside its cabin (0 = highest) */
  rank: Uint8Array;
  /** cabin → its classes, highest first */
  classesByCabin: number[][];
  classOf: Map<string, number>;
}

export interface Network {
  spec: ScenarioSpec;
  /** DCPs with 0 appended; period k ends at DCP k */
  dcps: number[];
  nPeriods: number;
  cabins: string[];
  nCabins: number;
  carriers: CompiledCarrier[];
  carrierIdx: Map<string, number>;
  own: number;
  /** the largest ladder: the stride of per-class arrays */
  maxClasses: number;
  airports: Airport[];
  airportIdx: Map<string, number>;
  /** point of sale codes and their currencies */
  pos: string[];
  posIdx: Map<string, number>;
  posCurrency: string[];
  /** airport → index of its country's point of sale (−1 if none) */
  airportPos: Int16Array;
  currencies: string[];
  currencyIdx: Map<string, number>;
  segments: SegmentSpec[];
  segmentIdx: Map<string, number>;
  channels: string[];
  patterns: Patterns;
  markets: Markets;
  paths: Paths;
  /** reference UTC offsets (minutes) per airport, for path elapsed times */
  refOffset: Int16Array;
}

export interface Patterns {
  n: number;
  carrier: Uint8Array;
  flightNumber: Int32Array;
  origin: Uint16Array;
  destination: Uint16Array;
  depMin: Int16Array; // local minutes after midnight at origin
  arrMin: Int16Array; // local minutes after midnight at destination
  arrDayOffset: Int8Array;
  /** bit (w − 1) set when it operates on ISO weekday w */
  dowMask: Uint8Array;
  /** seats per cabin: [p · nCabins + cabin] */
  capacity: Int16Array;
  distanceKm: Float64Array;
  aircraft: string[];
  codeshares: { carrier: number; flightNumber: number }[][];
  /** the O&D market of the leg itself (local traffic), −1 if none */
  localMarket: Int32Array;
}

export interface Markets {
  n: number;
  origin: Uint16Array;
  destination: Uint16Array;
  distanceKm: Float64Array;
  /** point of sale of the origin's and the destination's country */
  posOrigin: Int16Array;
  posDestination: Int16Array;
  /** per market: segment demand entries (segment index, base demand, reference fare, curve shares) */
  demand: MarketDemand[][];
  /** paths of each market: pathStart[m] .. pathStart[m + 1] − 1 */
  pathStart: Int32Array;
  /** fastest elapsed minutes over all paths of the market */
  fastestMinutes: Float64Array;
  key: Map<string, number>;
}

export interface MarketDemand {
  segment: number;
  baseDemand: number;
  referenceFare: number;
  curve: string;
  shares: Float64Array;
  cumulative: Float64Array;
}

export interface Paths {
  n: number;
  market: Int32Array;
  /** the marketing carrier, whose fares price the path */
  carrier: Uint8Array;
  nLegs: Uint8Array;
  leg0: Int32Array; // pattern index
  leg1: Int32Array; // pattern index or −1
  /** local-date offset of the second leg from the journey date */
  leg1DayOffset: Int8Array;
  depMin: Int16Array;
  elapsedMin: Float64Array;
  /** share of the fare prorated to the first leg (mileage prorate) */
  prorate0: Float64Array;
  /** marketing class → operating class on each leg: [path · maxClasses + c], −1 = not sold */
  classMap0: Int8Array;
  classMap1: Int8Array;
  /** cabin of the marketing class, and of the operating class on each leg: [path · maxClasses + c] */
  cabin: Int8Array;
  opCabin0: Int8Array;
  opCabin1: Int8Array;
  /**
   * The same packed for the choice loop, [path · maxClasses + c]: bits 0–5 operating class on leg 0
   * plus 1 (0: not sold), bits 6–11 on leg 1 plus 1, bit 12 operating cabin on leg 0, bit 13 on leg 1,
   * bit 14 the marketing class's cabin.
   */
  info: Int32Array;
  /**
   * The choice loop's record per path, [path · 8 + f]: 0 first leg pattern, 1 second leg pattern (−1),
   * 2 second leg's day offset, 3 legs, 4 marketing carrier, 5 local departure minute, 6 minutes slower
   * than the market's fastest path.
   */
  rec: Int32Array;
  /** operating carrier of each leg */
  opCarrier0: Uint8Array;
  opCarrier1: Uint8Array;
}

export function marketKey(origin: string, destination: string): string {
  return `${origin}-${destination}`;
}

export function greatCircleKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function compileCarrier(idx: number, spec: CarrierSpec, s: ScenarioSpec): CompiledCarrier {
  const ladder = s.ladders.find((l) => l.carrier === spec.code)!;
  const n = ladder.rbds.length;
  const c: CompiledCarrier = {
    idx,
    spec,
    code: spec.code,
    nClasses: n,
    rbd: ladder.rbds.map((r) => r.rbd),
    cabin: new Uint8Array(n),
    restrictions: new Uint8Array(n),
    advancePurchase: new Int16Array(n),
    brand: ladder.rbds.map((r) => r.brand),
    rank: new Uint8Array(n),
    classesByCabin: s.cabins.map(() => []),
    classOf: new Map(ladder.rbds.map((r, i) => [r.rbd, i])),
  };
  ladder.rbds.forEach((r, i) => {
    const cab = s.cabins.indexOf(r.cabin);
    c.cabin[i] = cab;
    c.restrictions[i] = r.restrictions.reduce((m, x) => m | RESTRICTION_BIT[x], 0);
    c.advancePurchase[i] = r.advancePurchaseDays;
    c.rank[i] = c.classesByCabin[cab]!.length;
    c.classesByCabin[cab]!.push(i);
  });
  return c;
}

/**
 * Marketing class → operating class: the same RBD in the same cabin when the operating ladder has it,
 * else the operating class of the same cabin at the nearest relative rank.
 */
function classMapping(mkt: CompiledCarrier, op: CompiledCarrier): Int8Array {
  const out = new Int8Array(mkt.nClasses).fill(-1);
  for (let c = 0; c < mkt.nClasses; c++) {
    const cab = mkt.cabin[c]!;
    const same = op.classOf.get(mkt.rbd[c]!);
    if (same !== undefined && op.cabin[same] === cab) { out[c] = same; continue; }
    const opList = op.classesByCabin[cab]!;
    if (opList.length === 0) continue;
    const mList = mkt.classesByCabin[cab]!;
    const rel = mList.length > 1 ? mkt.rank[c]! / (mList.length - 1) : 0;
    out[c] = opList[Math.round(rel * (opList.length - 1))]!;
  }
  return out;
}

/** Compiles a validated scenario. Throws with the field at fault when the scenario is inconsistent. */
export function compileNetwork(s: ScenarioSpec): Network {
  validateScenario(s);
  const dcps = normaliseDcpList(s.dcps);
  const carriers = s.carriers.map((c, i) => compileCarrier(i, c, s));
  const carrierIdx = new Map(carriers.map((c) => [c.code, c.idx]));
  const maxClasses = Math.max(...carriers.map((c) => c.nClasses));
  const airportIdx = new Map(s.airports.map((a, i) => [a.code, i]));
  const pos = s.pointsOfSale.map((p) => p.code);
  const posIdx = new Map(pos.map((p, i) => [p, i]));
  const airportPos = new Int16Array(s.airports.length).fill(-1);
  s.airports.forEach((a, i) => { airportPos[i] = a.country !== undefined ? posIdx.get(a.country) ?? -1 : -1; });
  if (pos.length === 1) airportPos.fill(0);
  const currencies = [s.baseCurrency, ...new Set([...Object.keys(s.fx.initial), ...s.pointsOfSale.map((p) => p.currency), ...s.fares.map((f) => f.currency)])].filter((c, i, a) => a.indexOf(c) === i);
  const currencyIdx = new Map(currencies.map((c, i) => [c, i]));
  const refInstant = new Date(Date.UTC(2025, 0, 15, 12));
  const refOffset = new Int16Array(s.airports.map((a) => utcOffsetMinutes(a.timeZone, refInstant)));

  // flight patterns
  const nP = s.schedule.length;
  const nCab = s.cabins.length;
  const patterns: Patterns = {
    n: nP,
    carrier: new Uint8Array(nP),
    flightNumber: new Int32Array(nP),
    origin: new Uint16Array(nP),
    destination: new Uint16Array(nP),
    depMin: new Int16Array(nP),
    arrMin: new Int16Array(nP),
    arrDayOffset: new Int8Array(nP),
    dowMask: new Uint8Array(nP),
    capacity: new Int16Array(nP * nCab),
    distanceKm: new Float64Array(nP),
    aircraft: [],
    codeshares: [],
    localMarket: new Int32Array(nP).fill(-1),
  };
  const seenFlight = new Set<string>();
  s.schedule.forEach((f, p) => {
    const key = `${f.carrier}${f.flightNumber}`;
    if (seenFlight.has(key)) throw new Error(`scenario "${s.name}": schedule: flight ${key} appears twice (one pattern per flight number)`);
    seenFlight.add(key);
    patterns.carrier[p] = carrierIdx.get(f.carrier)!;
    patterns.flightNumber[p] = f.flightNumber;
    patterns.origin[p] = airportIdx.get(f.origin)!;
    patterns.destination[p] = airportIdx.get(f.destination)!;
    patterns.depMin[p] = minutesOf(f.departureLocal);
    patterns.arrMin[p] = minutesOf(f.arrivalLocal);
    patterns.arrDayOffset[p] = f.arrivalDayOffset;
    patterns.dowMask[p] = [...f.daysOfWeek].reduce((m, d) => m | (1 << (Number(d) - 1)), 0);
    s.cabins.forEach((cab, ci) => { patterns.capacity[p * nCab + ci] = f.capacity[cab] ?? 0; });
    patterns.distanceKm[p] = greatCircleKm(s.airports[patterns.origin[p]!]!, s.airports[patterns.destination[p]!]!);
    patterns.aircraft.push(f.aircraft ?? '');
    patterns.codeshares.push((f.codeshares ?? []).map((c) => ({ carrier: carrierIdx.get(c.carrier)!, flightNumber: c.flightNumber })));
  });

  // markets
  const nM = s.markets.length;
  const segmentIdx = new Map(s.segments.map((x, i) => [x.code, i]));
  const key = new Map<string, number>();
  s.markets.forEach((m, i) => {
    const k = marketKey(m.origin, m.destination);
    if (key.has(k)) throw new Error(`scenario "${s.name}": markets: ${k} appears twice`);
    key.set(k, i);
  });
  for (let p = 0; p < nP; p++) {
    patterns.localMarket[p] = key.get(marketKey(s.airports[patterns.origin[p]!]!.code, s.airports[patterns.destination[p]!]!.code)) ?? -1;
  }
  const markets: Markets = {
    n: nM,
    origin: new Uint16Array(s.markets.map((m) => airportIdx.get(m.origin)!)),
    destination: new Uint16Array(s.markets.map((m) => airportIdx.get(m.destination)!)),
    distanceKm: new Float64Array(nM),
    posOrigin: new Int16Array(nM),
    posDestination: new Int16Array(nM),
    demand: [],
    pathStart: new Int32Array(nM + 1),
    fastestMinutes: new Float64Array(nM),
    key,
  };
  for (let m = 0; m < nM; m++) {
    const a = s.airports[markets.origin[m]!]!;
    const b = s.airports[markets.destination[m]!]!;
    markets.distanceKm[m] = greatCircleKm(a, b);
    markets.posOrigin[m] = airportPos[markets.origin[m]!]!;
    markets.posDestination[m] = airportPos[markets.destination[m]!]!;
    if (markets.posOrigin[m]! < 0) throw new Error(`scenario "${s.name}": airport ${a.code} has no point of sale for its country ${a.country ?? '(none)'}`);
    if (markets.posDestination[m]! < 0) markets.posDestination[m] = markets.posOrigin[m]!;
    markets.demand.push(s.markets[m]!.demand.map((d) => {
      const cum = Float64Array.from(s.curves[d.curve]!);
      const shares = Float64Array.from(curveShares(s.curves[d.curve]!));
      return { segment: segmentIdx.get(d.segment)!, baseDemand: d.baseDemand, referenceFare: d.referenceFare, curve: d.curve, shares, cumulative: cum };
    }));
  }

  // paths: for each market and marketing carrier, non-stop legs and one-stop connections it can sell
  const sellable: number[][] = carriers.map(() => []); // carrier → patterns it operates or markets
  for (let p = 0; p < nP; p++) {
    sellable[patterns.carrier[p]!]!.push(p);
    for (const cs of patterns.codeshares[p]!) sellable[cs.carrier]!.push(p);
  }
  const byOrigin: Map<number, number[]>[] = carriers.map((_, ci) => {
    const mm = new Map<number, number[]>();
    for (const p of sellable[ci]!) {
      const o = patterns.origin[p]!;
      if (!mm.has(o)) mm.set(o, []);
      mm.get(o)!.push(p);
    }
    return mm;
  });
  const pathRows: { m: number; c: number; l0: number; l1: number; off: number; dep: number; el: number }[] = [];
  const elapsed = (p: number): number => {
    const o = patterns.origin[p]!;
    const d = patterns.destination[p]!;
    return patterns.arrDayOffset[p]! * 1440 + (patterns.arrMin[p]! - refOffset[d]!) - (patterns.depMin[p]! - refOffset[o]!);
  };
  for (let m = 0; m < nM; m++) {
    const a = markets.origin[m]!;
    const b = markets.destination[m]!;
    markets.pathStart[m] = pathRows.length;
    let fastest = Infinity;
    for (let ci = 0; ci < carriers.length; ci++) {
      const from = byOrigin[ci]!.get(a) ?? [];
      for (const p1 of from) {
        if (patterns.destination[p1]! === b) {
          const el = elapsed(p1);
          fastest = Math.min(fastest, el);
          pathRows.push({ m, c: ci, l0: p1, l1: -1, off: 0, dep: patterns.depMin[p1]!, el });
          continue;
        }
        const h = patterns.destination[p1]!;
        if (h === a) continue;
        for (const p2 of byOrigin[ci]!.get(h) ?? []) {
          if (patterns.destination[p2]! !== b) continue;
          const arr1 = patterns.arrDayOffset[p1]! * 1440 + patterns.arrMin[p1]!;
          let off = patterns.arrDayOffset[p1]!;
          let conn = off * 1440 + patterns.depMin[p2]! - arr1;
          while (conn < s.minConnectMinutes) { off++; conn += 1440; }
          if (conn > s.maxConnectMinutes) continue;
          const el = elapsed(p1) + conn + elapsed(p2);
          fastest = Math.min(fastest, el);
          pathRows.push({ m, c: ci, l0: p1, l1: p2, off, dep: patterns.depMin[p1]!, el });
        }
      }
    }
    markets.fastestMinutes[m] = Number.isFinite(fastest) ? fastest : 0;
  }
  markets.pathStart[nM] = pathRows.length;
  const nPath = pathRows.length;
  const paths: Paths = {
    n: nPath,
    market: new Int32Array(nPath),
    carrier: new Uint8Array(nPath),
    nLegs: new Uint8Array(nPath),
    leg0: new Int32Array(nPath),
    leg1: new Int32Array(nPath),
    leg1DayOffset: new Int8Array(nPath),
    depMin: new Int16Array(nPath),
    elapsedMin: new Float64Array(nPath),
    prorate0: new Float64Array(nPath),
    classMap0: new Int8Array(nPath * maxClasses).fill(-1),
    classMap1: new Int8Array(nPath * maxClasses).fill(-1),
    cabin: new Int8Array(nPath * maxClasses).fill(-1),
    opCabin0: new Int8Array(nPath * maxClasses).fill(-1),
    opCabin1: new Int8Array(nPath * maxClasses).fill(-1),
    info: new Int32Array(nPath * maxClasses),
    rec: new Int32Array(nPath * 8),
    opCarrier0: new Uint8Array(nPath),
    opCarrier1: new Uint8Array(nPath),
  };
  const mapCache = new Map<string, Int8Array>();
  const mapping = (mc: number, oc: number): Int8Array => {
    const k = `${mc}/${oc}`;
    let v = mapCache.get(k);
    if (!v) { v = classMapping(carriers[mc]!, carriers[oc]!); mapCache.set(k, v); }
    return v;
  };
  pathRows.forEach((r, i) => {
    paths.market[i] = r.m;
    paths.carrier[i] = r.c;
    paths.nLegs[i] = r.l1 < 0 ? 1 : 2;
    paths.leg0[i] = r.l0;
    paths.leg1[i] = r.l1;
    paths.leg1DayOffset[i] = r.off;
    paths.depMin[i] = r.dep;
    paths.elapsedMin[i] = r.el;
    const d0 = patterns.distanceKm[r.l0]!;
    const d1 = r.l1 >= 0 ? patterns.distanceKm[r.l1]! : 0;
    paths.prorate0[i] = d0 / (d0 + d1);
    const op0 = patterns.carrier[r.l0]!;
    paths.opCarrier0[i] = op0;
    paths.classMap0.set(mapping(r.c, op0), i * maxClasses);
    if (r.l1 >= 0) {
      const op1 = patterns.carrier[r.l1]!;
      paths.opCarrier1[i] = op1;
      paths.classMap1.set(mapping(r.c, op1), i * maxClasses);
    }
    const mk = carriers[r.c]!;
    for (let c = 0; c < mk.nClasses; c++) {
      const k = i * maxClasses + c;
      paths.cabin[k] = mk.cabin[c]!;
      const o0 = paths.classMap0[k]!;
      if (o0 >= 0) paths.opCabin0[k] = carriers[paths.opCarrier0[i]!]!.cabin[o0]!;
      if (r.l1 >= 0) {
        const o1 = paths.classMap1[k]!;
        if (o1 >= 0) paths.opCabin1[k] = carriers[paths.opCarrier1[i]!]!.cabin[o1]!;
      }
      const o1 = r.l1 >= 0 ? paths.classMap1[k]! : -1;
      const sold = o0 >= 0 && (r.l1 < 0 || o1 >= 0);
      paths.info[k] = sold ? (o0 + 1) | ((o1 + 1) << 6) | (Math.max(0, paths.opCabin0[k]!) << 12) | (Math.max(0, paths.opCabin1[k]!) << 13) | (paths.cabin[k]! << 14) : 0;
    }
  });

  for (let i = 0; i < nPath; i++) {
    const r = i * 8;
    paths.rec[r] = paths.leg0[i]!;
    paths.rec[r + 1] = paths.leg1[i]!;
    paths.rec[r + 2] = paths.leg1DayOffset[i]!;
    paths.rec[r + 3] = paths.nLegs[i]!;
    paths.rec[r + 4] = paths.carrier[i]!;
    paths.rec[r + 5] = paths.depMin[i]!;
    paths.rec[r + 6] = Math.round(paths.elapsedMin[i]! - markets.fastestMinutes[paths.market[i]!]!);
  }

  const own = carriers.findIndex((c) => c.spec.role === 'own');
  return {
    spec: s,
    dcps,
    nPeriods: dcps.length,
    cabins: s.cabins,
    nCabins: nCab,
    carriers,
    carrierIdx,
    own,
    maxClasses,
    airports: s.airports,
    airportIdx,
    pos,
    posIdx,
    posCurrency: s.pointsOfSale.map((p) => p.currency),
    airportPos,
    currencies,
    currencyIdx,
    segments: s.segments,
    segmentIdx,
    channels: s.channels,
    patterns,
    markets,
    paths,
    refOffset,
  };
}

/** Whether a pattern operates on a local date given as a day number (days since 1970-01-01). */
export function operatesOn(net: Network, p: number, day: number): boolean {
  // 1970-01-01 was a Thursday (ISO weekday 4)
  const w = ((day + 3) % 7 + 7) % 7; // 0 = Monday
  return (net.patterns.dowMask[p]! & (1 << w)) !== 0;
}

/** ISO weekday (0 = Monday) of a day number. */
export function weekdayIndex(day: number): number {
  return ((day + 3) % 7 + 7) % 7;
}

/**
 * UTC offsets of an airport per day, cached: the offset at local noon of each date (a departure in
 * the hour of a daylight-saving change may be an hour off; documented in the README). Offsets are
 * looked up in blocks of 32 days: one lookup at each end, and a binary search for the change when
 * they differ (time zones change at most once in 32 days).
 */
export class TzCache {
  private readonly cache = new Map<number, Int16Array>();
  private readonly base: number;
  constructor(private readonly net: Network, baseDay: number) { this.base = baseDay - 416; }

  private raw(airport: number, day: number): number {
    return utcOffsetMinutes(this.net.airports[airport]!.timeZone, new Date((day * 1440 + 720) * 60_000));
  }

  offsetMinutes(airport: number, day: number): number {
    const i = day - this.base;
    if (i < 0) return this.raw(airport, day);
    let arr = this.cache.get(airport);
    if (!arr || i >= arr.length) {
      const next = new Int16Array(Math.max(2048, i + 512)).fill(-32768);
      if (arr) next.set(arr);
      arr = next;
      this.cache.set(airport, arr);
    }
    if (arr[i] === -32768) {
      const b0 = i - (i % 32);
      const b1 = Math.min(b0 + 32, arr.length);
      const first = this.raw(airport, this.base + b0);
      const last = this.raw(airport, this.base + b1 - 1);
      if (first === last) arr.fill(first, b0, b1);
      else {
        let lo = b0; // offset at lo is `first`
        let hi = b1 - 1; // offset at hi is `last`
        while (hi - lo > 1) {
          const mid = (lo + hi) >> 1;
          if (this.raw(airport, this.base + mid) === first) lo = mid; else hi = mid;
        }
        arr.fill(first, b0, hi);
        arr.fill(last, hi, b1);
      }
    }
    return arr[i]!;
  }
}
