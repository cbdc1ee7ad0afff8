/**
 * The sandbox hub network, generated from a seed: our carrier DF ("DFAE Air") with its hub at
 * Frankfurt (FRA), a codeshare partner, three competitors (one pricing in GBP, one in USD, one
 * low-cost), real airports with IANA time zones and coordinates, banked hub schedules so that
 * passengers connect, O&D markets with a gravity model of demand calibrated to the seats flown, fare
 * ladders per carrier, market and point of sale, and the passengers' true behaviour drawn per seed.
 */
import type { Airport } from '../domain/types';
import { utcOffsetMinutes } from '../domain/time';
import { currencyExponent } from '../domain/money';
import { COUNTRY_CURRENCY, FX_START, SANDBOX_AIRPORTS, type SandboxAirport } from './airports';
import { drawSandboxSegment } from './behaviour';
import { buildCalendar } from './calendar';
import { compileNetwork, greatCircleKm, marketKey } from './network';
import { Rng } from './rng';
import type { AncillarySpec, CarrierSpec, FareSpec, FlightPatternSpec, LadderSpec, MarketSpec, Restriction, RbdSpec, ScenarioSpec } from './scenario';

export const SANDBOX_DCPS: readonly number[] = [120, 90, 63, 56, 49, 42, 35, 31, 28, 24, 21, 17, 14, 10, 7, 5, 3, 1, 0];
export const OWN_CARRIER = 'DF';
export const HUB = 'FRA';

export interface SandboxNetworkOptions {
  seed: number;
  /** routes our carrier operates from the hub (20–28, default 24) */
  routes?: number;
  /** years the holiday and event calendar covers */
  calendarFromYear: number;
  calendarToYear: number;
  /** DCPs (default SANDBOX_DCPS) */
  dcps?: readonly number[];
  /** days before departure a flight opens for sale (default 150) */
  saleOpensDays?: number;
  /** scales demand (default 1) */
  demandMultiplier?: number;
}

interface LadderRow { rbd: string; cabin: 'J' | 'Y'; mult: number; r: Restriction[]; ap: number; brand: string }

const L = (rbd: string, cabin: 'J' | 'Y', mult: number, r: Restriction[], ap: number, brand: string): LadderRow => ({ rbd, cabin, mult, r, ap, brand });

/** Our ladder: J C D | Y B M H Q K L V S N O, with fare levels relative to the market's leisure reference fare. */
const DF_LADDER: LadderRow[] = [
  L('J', 'J', 5.2, [], 0, 'Business Flex'), L('C', 'J', 4.3, ['R3'], 0, 'Business Classic'), L('D', 'J', 3.6, ['R2', 'R3'], 3, 'Business Saver'),
  L('Y', 'Y', 3.1, [], 0, 'Flex'), L('B', 'Y', 2.55, ['R3'], 0, 'Flex'), L('M', 'Y', 2.1, ['R2'], 0, 'Classic'),
  L('H', 'Y', 1.75, ['R2', 'R3'], 0, 'Classic'), L('Q', 'Y', 1.5, ['R1', 'R2'], 3, 'Classic'), L('K', 'Y', 1.32, ['R1', 'R2'], 7, 'Classic'),
  L('L', 'Y', 1.18, ['R1', 'R2', 'R3'], 7, 'Light'), L('V', 'Y', 1.05, ['R1', 'R2', 'R3'], 14, 'Light'), L('S', 'Y', 0.95, ['R1', 'R2', 'R3'], 14, 'Light'),
  L('N', 'Y', 0.85, ['R1', 'R2', 'R3'], 21, 'Light'), L('O', 'Y', 0.75, ['R1', 'R2', 'R3'], 28, 'Light'),
];
const BX_LADDER: LadderRow[] = [
  L('J', 'J', 5.0, [], 0, 'Club Flex'), L('C', 'J', 4.0, ['R2', 'R3'], 3, 'Club'),
  L('Y', 'Y', 3.0, [], 0, 'Flex'), L('B', 'Y', 2.4, ['R3'], 0, 'Flex'), L('M', 'Y', 1.9, ['R2'], 0, 'Standard'),
  L('K', 'Y', 1.5, ['R1', 'R2'], 7, 'Standard'), L('L', 'Y', 1.25, ['R1', 'R2', 'R3'], 7, 'Basic'),
  L('V', 'Y', 1.05, ['R1', 'R2', 'R3'], 14, 'Basic'), L('Q', 'Y', 0.85, ['R1', 'R2', 'R3'], 21, 'Basic'),
];
const UX_LADDER: LadderRow[] = [
  L('J', 'J', 5.2, [], 0, 'Polaris Flex'), L('D', 'J', 4.2, ['R2', 'R3'], 3, 'Polaris'),
  L('Y', 'Y', 3.2, [], 0, 'Flexible'), L('B', 'Y', 2.5, ['R3'], 0, 'Flexible'), L('M', 'Y', 2.0, ['R2'], 0, 'Main'),
  L('H', 'Y', 1.6, ['R2', 'R3'], 3, 'Main'), L('Q', 'Y', 1.3, ['R1', 'R2'], 7, 'Main'),
  L('V', 'Y', 1.05, ['R1', 'R2', 'R3'], 14, 'Basic'), L('S', 'Y', 0.85, ['R1', 'R2', 'R3'], 21, 'Basic'),
];
const P5_LADDER: LadderRow[] = [
  L('J', 'J', 4.8, [], 0, 'Business'), L('C', 'J', 3.8, ['R2', 'R3'], 3, 'Business Saver'),
  L('Y', 'Y', 3.0, [], 0, 'Plus'), L('B', 'Y', 2.4, ['R3'], 0, 'Plus'), L('M', 'Y', 1.9, ['R2'], 0, 'Smart'),
  L('H', 'Y', 1.55, ['R2', 'R3'], 3, 'Smart'), L('Q', 'Y', 1.25, ['R1', 'R2'], 7, 'Smart'),
  L('V', 'Y', 1.0, ['R1', 'R2', 'R3'], 14, 'Go Light'), L('L', 'Y', 0.82, ['R1', 'R2', 'R3'], 21, 'Go Light'),
];
const LW_LADDER: LadderRow[] = [
  L('Y', 'Y', 2.2, ['R2', 'R3'], 0, 'Basic'), L('B', 'Y', 1.7, ['R2', 'R3'], 0, 'Basic'), L('H', 'Y', 1.35, ['R2', 'R3'], 0, 'Basic'),
  L('K', 'Y', 1.1, ['R2', 'R3'], 0, 'Basic'), L('L', 'Y', 0.9, ['R2', 'R3'], 0, 'Basic'), L('T', 'Y', 0.72, ['R2', 'R3'], 0, 'Basic'),
  L('E', 'Y', 0.58, ['R2', 'R3'], 0, 'Basic'),
];

interface CarrierPlan { spec: CarrierSpec; ladder: LadderRow[]; level: number }

const AIRCRAFT: Record<string, { J: number; Y: number }> = {
  A220: { J: 8, Y: 122 }, A320: { J: 12, Y: 156 }, A321: { J: 20, Y: 170 }, A359: { J: 36, Y: 257 }, B789: { J: 28, Y: 244 },
  B77W: { J: 48, Y: 230 }, B763: { J: 30, Y: 181 }, A20N: { J: 0, Y: 186 }, E190: { J: 8, Y: 92 },
};

/** Hub banks: arrival centre (local minutes); departures leave 60–110 minutes later. */
const BANKS = [7 * 60 + 15, 11 * 60 + 15, 15 * 60 + 15, 19 * 60 + 15];

const ANCILLARIES: AncillarySpec[] = [
  { code: 'BAG1', name: 'First checked bag', price: 30, longHaulFactor: 1.5, includedIn: ['J'] },
  { code: 'BAG2', name: 'Second checked bag', price: 45, longHaulFactor: 1.5, includedIn: [] },
  { code: 'SEAT_STD', name: 'Standard seat selection', price: 12, longHaulFactor: 2, includedIn: ['J'] },
  { code: 'SEAT_XL', name: 'Extra legroom seat', price: 35, longHaulFactor: 2.5, includedIn: ['J'] },
  { code: 'MEAL', name: 'Hot meal', price: 15, longHaulFactor: 1.6, includedIn: ['J'] },
  { code: 'WIFI', name: 'Wi-Fi pass', price: 9, longHaulFactor: 2, includedIn: [] },
  { code: 'PRIO', name: 'Priority boarding', price: 10, longHaulFactor: 1.5, includedIn: ['J'] },
  { code: 'LOUNGE', name: 'Lounge access', price: 40, longHaulFactor: 1.5, includedIn: ['J'] },
  { code: 'FLEX_CHG', name: 'Free date change', price: 35, longHaulFactor: 2, includedIn: [] },
  { code: 'FLEX_REF', name: 'Refundability', price: 60, longHaulFactor: 2.2, includedIn: [] },
];

/** Leisure reference fare (EUR) of a market by its great-circle distance. */
export function leisureReferenceFare(km: number): number {
  return km > 3000 ? 100 + 0.06 * km : 35 + 0.075 * km;
}

function blockMinutes(km: number): number {
  return Math.round((km > 3000 ? 40 + (km / 850) * 60 : 30 + (km / 780) * 60) / 5) * 5;
}

const hhmm = (min: number) => {
  const m = ((Math.round(min) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/** Rounds a converted fare to whole units, or to tens or hundreds in currencies with small units. */
function roundFare(amount: number, currency: string): number {
  const step = amount > 20000 ? 100 : amount > 2000 ? 10 : 1;
  const major = Math.max(step, Math.round(amount / step) * step);
  return Math.round(major * 10 ** currencyExponent(currency));
}

export function generateSandboxScenario(opts: SandboxNetworkOptions): ScenarioSpec {
  const rng = new Rng(opts.seed, 0x5a4d);
  const nRoutes = Math.max(20, Math.min(28, opts.routes ?? 24));
  const dcps = [...(opts.dcps ?? SANDBOX_DCPS)];
  const byCode = new Map(SANDBOX_AIRPORTS.map((a) => [a.code, a]));
  const ap = (c: string) => byCode.get(c)!;
  const refInstant = new Date(Date.UTC(2025, 0, 15, 12));
  const off = (c: string) => utcOffsetMinutes(ap(c).timeZone, refInstant);

  const carriers: CarrierPlan[] = [
    { spec: { code: OWN_CARRIER, name: 'DFAE Air', role: 'own', hub: HUB, rm: 'E' }, ladder: DF_LADDER, level: 1 },
    { spec: { code: 'P5', name: 'Polaris Nordic', role: 'partner', hub: 'ARN', rm: 'E' }, ladder: P5_LADDER, level: 0.98 + 0.06 * rng.uniform() },
    { spec: { code: 'BX', name: 'Britannic Express', role: 'competitor', hub: 'LHR', pricingCurrency: 'GBP', rm: 'E' }, ladder: BX_LADDER, level: 0.95 + 0.12 * rng.uniform() },
    { spec: { code: 'UX', name: 'Unity Airlines', role: 'competitor', hub: 'ORD', pricingCurrency: 'USD', rm: 'E' }, ladder: UX_LADDER, level: 0.95 + 0.12 * rng.uniform() },
    { spec: { code: 'LW', name: 'Lowair', role: 'competitor', pricingCurrency: 'EUR', rm: 'E' }, ladder: LW_LADDER, level: 0.9 + 0.1 * rng.uniform() },
  ];

  // our routes: the trunk routes competitors also fly, then a seeded pick of the rest
  const mandatory = ['LHR', 'CDG', 'AMS', 'MAD', 'BCN', 'FCO', 'MXP', 'VIE', 'ZRH', 'JFK', 'ORD', 'DXB'];
  const partnerSpokes = ['CPH', 'ARN', 'OSL', 'HEL'];
  const pool = SANDBOX_AIRPORTS.map((a) => a.code).filter((c) => c !== HUB && !mandatory.includes(c) && !partnerSpokes.includes(c));
  for (let i = pool.length - 1; i > 0; i--) { const j = rng.int(i + 1); [pool[i], pool[j]] = [pool[j]!, pool[i]!]; }
  const spokes = [...mandatory, ...pool.slice(0, nRoutes - mandatory.length)];

  const schedule: FlightPatternSpec[] = [];
  const jitter = (lo: number, hi: number) => lo + Math.round((hi - lo) * rng.uniform() / 5) * 5;
  /** A leg departing `dep` local at `from`, arriving at `to` after the block time. */
  const leg = (carrier: string, flightNumber: number, from: string, to: string, dep: number, aircraft: string, codeshares: { carrier: string; flightNumber: number }[] = []): FlightPatternSpec => {
    const km = greatCircleKm(ap(from), ap(to));
    const arrAbs = dep + blockMinutes(km) + off(to) - off(from);
    return {
      carrier, flightNumber, origin: from, destination: to,
      departureLocal: hhmm(dep), arrivalLocal: hhmm(arrAbs), arrivalDayOffset: Math.floor(arrAbs / 1440) - Math.floor(dep / 1440),
      daysOfWeek: '1234567', capacity: { ...AIRCRAFT[aircraft]! }, aircraft, codeshares,
    };
  };
  /** A leg that must arrive at `to` at local time `arr`. */
  const legArriving = (carrier: string, flightNumber: number, from: string, to: string, arr: number, aircraft: string, codeshares: { carrier: string; flightNumber: number }[] = []): FlightPatternSpec => {
    const km = greatCircleKm(ap(from), ap(to));
    let dep = arr - blockMinutes(km) - off(to) + off(from);
    while (dep < 0) dep += 1440;
    return leg(carrier, flightNumber, from, to, dep, aircraft, codeshares);
  };

  // our schedule: each route gets 1–3 daily round trips placed in the hub's banks
  let shortNo = 300;
  let longNo = 100;
  const ownRoutes: { spoke: string; freq: number; aircraft: string; numbers: number[] }[] = [];
  for (const spoke of spokes) {
    const a = ap(spoke);
    const long = a.region === 'long_haul';
    const freq = long ? 1 : a.mass >= 2.5 ? 2 + (rng.uniform() < 0.6 ? 1 : 0) : a.mass >= 1.5 ? 1 + (rng.uniform() < 0.7 ? 1 : 0) : 1;
    const aircraft = long ? (rng.uniform() < 0.5 ? 'A359' : 'B789') : a.mass >= 2.5 ? 'A321' : a.mass >= 1.5 ? 'A320' : 'A220';
    const banks = long ? [] : pickBanks(rng, freq);
    const numbers: number[] = [];
    if (long) {
      const no = longNo; longNo += 2;
      const west = ap(spoke).lon < 0;
      // westbound: leave in the midday bank, back overnight into the first bank; east: leave late, back at dawn
      const outDep = west ? BANKS[1]! + jitter(60, 110) : BANKS[3]! + jitter(60, 110);
      const inArr = 1440 + BANKS[0]! + jitter(-35, 10);
      schedule.push(leg(OWN_CARRIER, no, HUB, spoke, outDep, aircraft));
      schedule.push(legArriving(OWN_CARRIER, no + 1, spoke, HUB, inArr, aircraft));
      numbers.push(no, no + 1);
    } else {
      for (const b of banks) {
        const no = shortNo; shortNo += 2;
        schedule.push(legArriving(OWN_CARRIER, no + 1, spoke, HUB, BANKS[b]! + jitter(-35, 10), aircraft));
        schedule.push(leg(OWN_CARRIER, no, HUB, spoke, BANKS[b]! + jitter(60, 110), aircraft));
        numbers.push(no, no + 1);
      }
    }
    ownRoutes.push({ spoke, freq, aircraft, numbers });
  }

  // the partner: FRA to the Nordic capitals (our code on them) and its own ARN spokes
  let p5No = 100;
  let dfCodeshare = 5000;
  for (const [spoke, freq] of [['ARN', 2], ['CPH', 2], ['OSL', 1], ['HEL', 1]] as const) {
    const banks = pickBanks(rng, freq);
    for (const b of banks) {
      schedule.push(legArriving('P5', p5No + 1, spoke, HUB, BANKS[b]! + jitter(-35, 10), 'A320', [{ carrier: OWN_CARRIER, flightNumber: dfCodeshare + 1 }]));
      schedule.push(leg('P5', p5No, HUB, spoke, BANKS[b]! + jitter(60, 110), 'A320', [{ carrier: OWN_CARRIER, flightNumber: dfCodeshare }]));
      p5No += 2; dfCodeshare += 2;
    }
  }
  for (const [spoke, deps] of [['CPH', [7 * 60 + 30, 17 * 60]], ['OSL', [8 * 60, 18 * 60]], ['HEL', [7 * 60 + 45, 16 * 60 + 30]]] as const) {
    for (const d of deps) {
      schedule.push(leg('P5', p5No, 'ARN', spoke, d + jitter(-20, 20), 'A220'));
      schedule.push(leg('P5', p5No + 1, spoke, 'ARN', d + 150 + jitter(-20, 20), 'A220'));
      p5No += 2;
    }
  }
  // the partner sells its code on our trunk flights
  let p5Codeshare = 7000;
  for (const f of schedule) {
    if (f.carrier === OWN_CARRIER && ['LHR', 'CDG', 'AMS', 'JFK', 'ORD', 'MAD', 'FCO'].includes(f.origin === HUB ? f.destination : f.origin)) {
      f.codeshares = [...(f.codeshares ?? []), { carrier: 'P5', flightNumber: p5Codeshare++ }];
    }
  }

  // Britannic Express: London hub, including Frankfurt
  let bxNo = 900;
  const bxRoutes: [string, number, string][] = [['FRA', 3, 'A320'], ['MAD', 2, 'A321'], ['BCN', 2, 'A320'], ['FCO', 2, 'A320'], ['DUB', 2, 'A320'], ['JFK', 2, 'B77W'], ['BOS', 1, 'B77W']];
  const lhrBanks = [7 * 60 + 30, 12 * 60, 17 * 60 + 30];
  for (const [spoke, freq, aircraft] of bxRoutes) {
    const long = ap(spoke).region === 'long_haul';
    for (let i = 0; i < freq; i++) {
      const b = long ? lhrBanks[1 + i]! : lhrBanks[(i + (spoke.charCodeAt(0) % 3)) % 3]!;
      if (long) {
        schedule.push(leg('BX', bxNo, 'LHR', spoke, b + jitter(60, 100), aircraft));
        schedule.push(legArriving('BX', bxNo + 1, spoke, 'LHR', 1440 + lhrBanks[0]! + jitter(-30, 30), aircraft));
      } else {
        schedule.push(legArriving('BX', bxNo + 1, spoke, 'LHR', b + jitter(-30, 10), aircraft));
        schedule.push(leg('BX', bxNo, 'LHR', spoke, b + jitter(60, 100), aircraft));
      }
      bxNo += 2;
    }
  }
  // Unity Airlines: Chicago hub with a Frankfurt and a New York flight to Europe
  let uxNo = 940;
  schedule.push(leg('UX', uxNo, 'ORD', 'FRA', 17 * 60 + jitter(0, 60), 'B763'));
  schedule.push(leg('UX', uxNo + 1, 'FRA', 'ORD', 11 * 60 + jitter(0, 60), 'B763'));
  schedule.push(leg('UX', uxNo + 2, 'JFK', 'FRA', 18 * 60 + jitter(0, 60), 'B763'));
  schedule.push(leg('UX', uxNo + 3, 'FRA', 'JFK', 12 * 60 + jitter(0, 60), 'B763'));
  uxNo = 1200;
  for (const spoke of ['JFK', 'BOS']) {
    for (const d of [7 * 60, 12 * 60, 17 * 60]) {
      schedule.push(leg('UX', uxNo, 'ORD', spoke, d + jitter(-30, 30), 'A320'));
      schedule.push(leg('UX', uxNo + 1, spoke, 'ORD', d + 60 + jitter(-30, 30), 'A320'));
      uxNo += 2;
    }
  }
  // Lowair: point to point from Frankfurt to leisure destinations
  let lwNo = 2100;
  for (const [spoke, freq] of [['BCN', 1], ['PMI', 2], ['LIS', 1], ['ATH', 1], ['BUD', 1], ['NCE', 1]] as const) {
    for (let i = 0; i < freq; i++) {
      const dep = (i === 0 ? 6 * 60 + 30 : 14 * 60) + jitter(0, 60);
      const km = greatCircleKm(ap(HUB), ap(spoke));
      schedule.push(leg('LW', lwNo, HUB, spoke, dep, 'A20N'));
      schedule.push(leg('LW', lwNo + 1, spoke, HUB, dep + blockMinutes(km) + off(spoke) - off(HUB) + 40, 'A20N'));
      lwNo += 2;
    }
  }

  // airports in use
  const used = new Set<string>();
  for (const f of schedule) { used.add(f.origin); used.add(f.destination); }
  const airports: SandboxAirport[] = SANDBOX_AIRPORTS.filter((a) => used.has(a.code));
  const countries = [...new Set(airports.map((a) => a.country))];

  // markets: every non-stop pair, and one-stop pairs whose detour is reasonable
  const nonstop = new Set(schedule.map((f) => marketKey(f.origin, f.destination)));
  const legsFrom = new Map<string, Set<string>>();
  for (const f of schedule) {
    if (!legsFrom.has(f.origin)) legsFrom.set(f.origin, new Set());
    legsFrom.get(f.origin)!.add(f.destination);
  }
  const pairs: [SandboxAirport, SandboxAirport][] = [];
  for (const a of airports) {
    for (const b of airports) {
      if (a === b) continue;
      if (nonstop.has(marketKey(a.code, b.code))) { pairs.push([a, b]); continue; }
      const direct = greatCircleKm(a, b);
      if (direct < 250) continue;
      let ok = false;
      for (const h of legsFrom.get(a.code) ?? []) {
        if (legsFrom.get(h)?.has(b.code) && (greatCircleKm(a, ap(h)) + greatCircleKm(ap(h), b)) / direct <= 1.7) { ok = true; break; }
      }
      if (ok) pairs.push([a, b]);
    }
  }

  const priceLevel = 0.9 + 0.2 * rng.uniform();
  const bizRatio = 2.2 + 0.8 * rng.uniform();
  const curves = buildCurves(dcps, opts.saleOpensDays ?? 150, rng);
  const markets: MarketSpec[] = pairs.map(([a, b]) => {
    const km = greatCircleKm(a, b);
    const isNonstop = nonstop.has(marketKey(a.code, b.code));
    const gravity = (a.mass * b.mass) / Math.sqrt(Math.max(300, km) / 1000) * (isNonstop ? 1 : 0.22);
    const biz = Math.min(0.7, Math.max(0.05, (a.business + b.business) / 2 * (0.85 + 0.3 * rng.uniform())));
    const lref = leisureReferenceFare(km) * priceLevel;
    const long = km > 3000;
    return {
      origin: a.code,
      destination: b.code,
      demand: [
        { segment: 'business', baseDemand: gravity * biz, referenceFare: round2(lref * bizRatio), curve: long ? 'business_long' : 'business' },
        { segment: 'leisure', baseDemand: gravity * (1 - biz), referenceFare: round2(lref), curve: long ? 'leisure_long' : 'leisure' },
      ],
    };
  });

  const ladders: LadderSpec[] = carriers.map((c) => ({
    carrier: c.spec.code,
    rbds: c.ladder.map((r): RbdSpec => ({ rbd: r.rbd, cabin: r.cabin, restrictions: r.r, advancePurchaseDays: r.ap, brand: r.brand })),
  }));
  const pointsOfSale = countries.map((c) => ({ code: c, currency: COUNTRY_CURRENCY[c] ?? 'EUR' }));
  const fxInitial: Record<string, number> = {};
  const fxVol: Record<string, number> = {};
  for (const [ccy, v] of Object.entries(FX_START)) { fxInitial[ccy] = v.rate; fxVol[ccy] = v.vol; }

  const spec: ScenarioSpec = {
    name: 'sandbox',
    about: `DFAE sandbox hub network (seed ${opts.seed}): ${OWN_CARRIER} hub ${HUB}, ${ownRoutes.length} routes`,
    baseCurrency: 'EUR',
    cabins: ['J', 'Y'],
    dcps,
    saleOpensDays: opts.saleOpensDays ?? 150,
    carriers: carriers.map((c) => c.spec),
    airports: airports.map(({ code, name, timeZone, lat, lon, country }): Airport => ({ code, name, timeZone, lat, lon, country })),
    pointsOfSale,
    channels: ['direct', 'mobile', 'ota', 'gds'],
    ladders,
    schedule,
    markets,
    fares: [],
    segments: [drawSandboxSegment('business', rng), drawSandboxSegment('leisure', rng)],
    curves,
    variability: { sys: 0.05 + 0.05 * rng.uniform(), mkt: 0.1 + 0.1 * rng.uniform(), seg: 0.1 + 0.1 * rng.uniform(), tf: 0.05 + 0.1 * rng.uniform() },
    calendar: buildCalendar(opts.calendarFromYear, opts.calendarToYear, opts.seed),
    fx: { initial: fxInitial, dailyVolatility: fxVol },
    ancillaries: ANCILLARIES.map((a) => ({ ...a, includedIn: [...a.includedIn] })),
    minConnectMinutes: 45,
    maxConnectMinutes: 240,
    cutoffMinutes: 40,
    advancePurchaseEnforced: true,
    cancellationsEnabled: true,
    demandMultiplier: opts.demandMultiplier ?? 1,
  };

  // fares: every carrier files its ladder in every market it can sell, for the origin's and the destination's point of sale
  const probe = compileNetwork(spec);
  const sells = new Set<string>();
  for (let p = 0; p < probe.paths.n; p++) sells.add(`${probe.paths.carrier[p]}/${probe.paths.market[p]}/${probe.paths.nLegs[p]}`);
  const fares: FareSpec[] = [];
  markets.forEach((m, mi) => {
    const km = greatCircleKm(ap(m.origin), ap(m.destination));
    const lref = m.demand.find((d) => d.segment === 'leisure')!.referenceFare;
    const posList = [...new Set([ap(m.origin).country, ap(m.destination).country])];
    carriers.forEach((c, ci) => {
      const nonstopSold = sells.has(`${ci}/${mi}/1`);
      if (!nonstopSold && !sells.has(`${ci}/${mi}/2`)) return;
      const marketFactor = c.level * (0.96 + 0.08 * rng.uniform()) * (nonstopSold ? 1 : 0.9);
      let prevEur = Infinity;
      let prevCabin = '';
      for (const r of c.ladder) {
        const cabinMult = r.cabin === 'J' && km > 3000 ? 1.5 : 1;
        let eur = lref * r.mult * cabinMult * marketFactor * (0.98 + 0.04 * rng.uniform());
        if (r.cabin === prevCabin) eur = Math.min(eur, prevEur * 0.97);
        prevEur = eur;
        prevCabin = r.cabin;
        for (const pos of posList) {
          const currency = c.spec.pricingCurrency ?? COUNTRY_CURRENCY[pos] ?? 'EUR';
          const rate = currency === 'EUR' ? 1 : fxInitial[currency]!;
          fares.push({
            carrier: c.spec.code, origin: m.origin, destination: m.destination, rbd: r.rbd, pointOfSale: pos, currency,
            amountMinor: roundFare(eur * rate, currency),
            fareBasis: fareBasis(r),
          });
        }
      }
    });
  });
  spec.fares = fares;
  calibrateDemand(spec, 1.02 + 0.16 * rng.uniform());
  return spec;
}

/** `n` distinct hub banks in time order, chosen by a seeded shuffle. */
function pickBanks(rng: Rng, n: number): number[] {
  const b = [0, 1, 2, 3];
  for (let i = b.length - 1; i > 0; i--) { const j = rng.int(i + 1); [b[i], b[j]] = [b[j]!, b[i]!]; }
  return b.slice(0, n).sort((x, y) => x - y);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** A fare basis code: RBD, fare family, advance purchase, e.g. "QCL3", "OLT28", "YFX". */
export function fareBasis(r: { rbd: string; brand: string; ap: number }): string {
  const fam = /flex/i.test(r.brand) ? 'FX' : /light|basic|go/i.test(r.brand) ? 'LT' : /saver/i.test(r.brand) ? 'SV' : 'CL';
  return `${r.rbd}${fam}${r.ap > 0 ? r.ap : ''}`;
}

/**
 * Booking curves: the share of demand arrived F(d) = 1 / (1 + (d/h)^s) with seeded half-time h and
 * steepness s per segment, rescaled so that nothing arrives before the sale opens; cumulative at the
 * end of each period (one value per DCP including 0).
 */
function buildCurves(dcps: readonly number[], saleOpens: number, rng: Rng): Record<string, number[]> {
  const make = (h: number, s: number) => {
    const F = (d: number) => 1 / (1 + (d / h) ** s);
    const f0 = F(saleOpens);
    const withZero = dcps[dcps.length - 1] === 0 ? dcps : [...dcps, 0];
    return withZero.map((d) => (d === 0 ? 1 : Math.max(0, (F(d) - f0) / (1 - f0))));
  };
  return {
    business: make(8 + 6 * rng.uniform(), 1.6 + 0.6 * rng.uniform()),
    business_long: make(14 + 8 * rng.uniform(), 1.5 + 0.5 * rng.uniform()),
    leisure: make(30 + 20 * rng.uniform(), 1.4 + 0.6 * rng.uniform()),
    leisure_long: make(45 + 25 * rng.uniform(), 1.4 + 0.5 * rng.uniform()),
  };
}

/**
 * Scales each market's demand so that every leg's expected demand is about `factor` times its seats:
 * demand is spread over a market's paths by a simple attractiveness (non-stop 1, connection 0.35),
 * then market totals are adjusted by iterative proportional fitting against the legs they use.
 */
function calibrateDemand(spec: ScenarioSpec, factor: number): void {
  const net = compileNetwork(spec);
  const { paths, markets, patterns } = net;
  const nP = patterns.n;
  const target = new Float64Array(nP);
  for (let p = 0; p < nP; p++) {
    let cap = 0;
    for (let c = 0; c < net.nCabins; c++) cap += patterns.capacity[p * net.nCabins + c]!;
    target[p] = cap * factor;
  }
  const total = new Float64Array(markets.n);
  markets.demand.forEach((d, m) => { total[m] = d.reduce((s, x) => s + x.baseDemand, 0); });
  const share = new Float64Array(paths.n);
  for (let m = 0; m < markets.n; m++) {
    let sum = 0;
    for (let i = markets.pathStart[m]!; i < markets.pathStart[m + 1]!; i++) sum += paths.nLegs[i] === 1 ? 1 : 0.35;
    for (let i = markets.pathStart[m]!; i < markets.pathStart[m + 1]!; i++) share[i] = (paths.nLegs[i] === 1 ? 1 : 0.35) / sum;
  }
  const load = new Float64Array(nP);
  for (let iter = 0; iter < 40; iter++) {
    load.fill(0);
    for (let i = 0; i < paths.n; i++) {
      const v = total[paths.market[i]!]! * share[i]!;
      load[paths.leg0[i]!] += v;
      if (paths.leg1[i]! >= 0) load[paths.leg1[i]!] += v;
    }
    for (let m = 0; m < markets.n; m++) {
      let f = 0;
      for (let i = markets.pathStart[m]!; i < markets.pathStart[m + 1]!; i++) {
        const r0 = target[paths.leg0[i]!]! / Math.max(1e-9, load[paths.leg0[i]!]!);
        const r = paths.leg1[i]! >= 0 ? Math.sqrt(r0 * (target[paths.leg1[i]!]! / Math.max(1e-9, load[paths.leg1[i]!]!))) : r0;
        f += share[i]! * r;
      }
      total[m] = total[m]! * f ** 0.7;
    }
  }
  spec.markets.forEach((m, i) => {
    const sum = m.demand.reduce((s, x) => s + x.baseDemand, 0);
    for (const d of m.demand) d.baseDemand = Math.round((d.baseDemand / sum) * total[i]! * 1000) / 1000;
  });
}
