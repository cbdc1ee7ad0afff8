/**
 * The scenario model: everything the market simulator needs to know about a market, normalised from
 * a scenario file (3MKT) or generated from a seed (the sandbox hub network). A scenario is the *truth*
 * of its market: demand, passengers' willingness to pay and sensitivities. The engines never see it;
 * the sandbox serves only what an airline could observe.
 *
 * Conventions:
 * - money in a scenario is in major units of `baseCurrency` (reference fares, ancillary prices, cost
 *   parameters) except filed fares, which carry their own currency in minor units (`FareSpec`);
 * - behavioural costs (restrictions, connections, schedule) are fractions of the segment's reference
 *   fare in the market, so one parameter set fits short and long haul;
 * - DCPs are days before departure, strictly decreasing; 0 (departure) is appended when missing.
 */
import type { Airport, CabinCode, CarrierCode, Rbd } from '../domain/types';
import type { CurrencyCode } from '../domain/money';

export type Restriction = 'R1' | 'R2' | 'R3';
export const RESTRICTIONS: readonly Restriction[] = ['R1', 'R2', 'R3'];

export type CarrierRole = 'own' | 'partner' | 'competitor';
/** The inventory control a carrier runs when no controller is plugged in for it. */
export type RmSystemName = 'E' | 'fcfs';

export interface CarrierSpec {
  code: CarrierCode;
  name: string;
  role: CarrierRole;
  /** the currency all its fares are filed in; absent: each point of sale's own currency */
  pricingCurrency?: CurrencyCode;
  hub?: string;
  /** default inventory control ('E': PODS system E; 'fcfs': static fares, no control) */
  rm: RmSystemName;
}

/** One booking class of a carrier's ladder. Ladders list cabins in scenario order, highest class first. */
export interface RbdSpec {
  rbd: Rbd;
  cabin: CabinCode;
  /** restrictions the fares of this class carry (R1 minimum stay, R2 non-refundable, R3 change fee) */
  restrictions: Restriction[];
  /** advance purchase in days (0: none) */
  advancePurchaseDays: number;
  /** the fare family the class sells as, e.g. "Flex", "Classic", "Light" */
  brand: string;
}

export interface LadderSpec {
  carrier: CarrierCode;
  rbds: RbdSpec[];
}

/** A scheduled flight: one leg, operating on some days of the week. */
export interface FlightPatternSpec {
  carrier: CarrierCode;
  flightNumber: number;
  origin: string;
  destination: string;
  /** local departure time at the origin, "HH:MM" */
  departureLocal: string;
  /** local arrival time at the destination, "HH:MM" */
  arrivalLocal: string;
  /** days between the local departure date and the local arrival date (0 or 1 usually) */
  arrivalDayOffset: number;
  /** ISO weekdays it operates, e.g. "1234567" */
  daysOfWeek: string;
  /** seats per cabin */
  capacity: Record<CabinCode, number>;
  aircraft?: string;
  /** marketing (codeshare) flight numbers other carriers sell this leg under */
  codeshares?: { carrier: CarrierCode; flightNumber: number }[];
}

/** Demand of one passenger segment in one O&D market, per departure day. */
export interface SegmentDemandSpec {
  segment: string;
  /** mean number of passengers per departure day before seasonal, weekday and event factors */
  baseDemand: number;
  /** the segment's reference fare in the market (base currency, major units): WTP is drawn around it */
  referenceFare: number;
  /** name of the booking curve (scenario.curves) */
  curve: string;
}

export interface MarketSpec {
  origin: string;
  destination: string;
  demand: SegmentDemandSpec[];
}

/** A filed fare: carrier × market × RBD × point of sale, in minor units of its currency. */
export interface FareSpec {
  carrier: CarrierCode;
  origin: string;
  destination: string;
  rbd: Rbd;
  pointOfSale: string;
  currency: CurrencyCode;
  amountMinor: number;
  /** defaults from the ladder when absent */
  fareBasis?: string;
  advancePurchaseDays?: number;
  restrictions?: Restriction[];
}

export interface PreferredTime {
  /** local hour of day */
  hour: number;
  sdHours: number;
  weight: number;
}

/**
 * How one passenger segment behaves. Each parameter is the segment mean; every passenger draws
 * their own values around it (see README, "Passengers").
 */
export interface SegmentSpec {
  code: string;
  /** PODS emult: median willingness to pay over the reference fare (> 1) */
  emult: number;
  /** restriction disutilities, fractions of the reference fare */
  restrictionCost: Record<Restriction, number>;
  /** coefficient of variation of each passenger's restriction disutilities */
  restrictionCostCv: number;
  /** disutility of a connection, fraction of the reference fare */
  connectionCost: number;
  /** disutility per hour of extra journey time over the fastest path, fraction of the reference fare */
  elapsedCostPerHour: number;
  /** disutility per hour between the departure and the passenger's preferred time, fraction of the reference fare */
  timeCostPerHour: number;
  preferredTimes: PreferredTime[];
  /** value of travelling in each cabin, fraction of the reference fare (added to willingness to pay) */
  cabinValue: Record<CabinCode, number>;
  /** probabilities of party sizes 1, 2, 3, ... */
  groupSize: number[];
  /** probability that a booking is cancelled before departure */
  cancelProbability: number;
  /** probability that a booked passenger does not show */
  noShowProbability: number;
  /** channel → share */
  channelMix: Record<string, number>;
  /** probability the passenger buys in the origin's country (else the destination's) */
  homePosShare: number;
  /** disutility of buying from a carrier other than the one whose site the passenger shops on (direct channels) */
  siteLoyaltyCost: number;
  /** willingness-to-pay spread factor for shoppers on OTAs (1: same as others; < 1: more price sensitive) */
  otaEmultFactor: number;
  /** demand factor by ISO weekday of departure, Monday first (mean 1) */
  dowFactors: number[];
  /** seasonality: 1 + a1·cos(2π(doy − peak1)/365) + a2·cos(4π(doy − peak2)/365) */
  season: { a1: number; peak1: number; a2: number; peak2: number };
  /** ancillary code → mean willingness to pay as a multiple of its price (lognormal, cv 0.6) */
  ancillaryPropensity: Record<string, number>;
}

export interface PointOfSaleSpec {
  /** ISO 3166 country code */
  code: string;
  currency: CurrencyCode;
}

export interface AncillarySpec {
  code: string;
  name: string;
  /** price in base currency, major units, on short haul */
  price: number;
  /** price multiplier on long haul (over 3,000 km) */
  longHaulFactor: number;
  /** cabins whose fares include it (not sold there) */
  includedIn: CabinCode[];
}

/** PODS-style demand variability: normal k-factors (coefficients of variation) at each level. */
export interface VariabilitySpec {
  /** system level: one draw per departure day, shared by all markets */
  sys: number;
  /** market level: one draw per market and departure day */
  mkt: number;
  /** segment level: one draw per market, segment and departure day */
  seg: number;
  /** time-frame level: one draw per market, segment, departure day and booking period */
  tf: number;
}

export type CalendarEventKind = 'public_holiday' | 'school_holiday' | 'event';

export interface CalendarEventSpec {
  id: string;
  name: string;
  kind: CalendarEventKind;
  /** first and last local date, inclusive */
  from: string;
  to: string;
  /** countries (ISO 3166) whose residents it concerns; empty: worldwide */
  countries: string[];
  /** airports it draws traffic to (events) */
  airports: string[];
  /** true demand multiplier per segment for journeys from or to the places concerned (truth) */
  effect: Record<string, number>;
}

export interface FxSpec {
  /** units of each currency per one unit of the base currency at the start */
  initial: Record<CurrencyCode, number>;
  /** daily log-volatility of each rate's mean-reverting random walk (missing: 0, a fixed rate) */
  dailyVolatility: Record<CurrencyCode, number>;
}

export interface ScenarioSpec {
  name: string;
  about?: string;
  /** the currency passengers' willingness to pay and the carriers' revenue totals are kept in */
  baseCurrency: CurrencyCode;
  /** cabins, highest first */
  cabins: CabinCode[];
  dcps: number[];
  /** days before departure at which a departure opens for sale (>= first DCP) */
  saleOpensDays: number;
  carriers: CarrierSpec[];
  airports: Airport[];
  pointsOfSale: PointOfSaleSpec[];
  channels: string[];
  ladders: LadderSpec[];
  schedule: FlightPatternSpec[];
  markets: MarketSpec[];
  fares: FareSpec[];
  segments: SegmentSpec[];
  /** booking curves: name → cumulative share of demand arrived by the end of each period (one per DCP incl. 0; last = 1) */
  curves: Record<string, number[]>;
  variability: VariabilitySpec;
  calendar: CalendarEventSpec[];
  fx: FxSpec;
  ancillaries: AncillarySpec[];
  minConnectMinutes: number;
  maxConnectMinutes: number;
  /** sale closes this many minutes before departure */
  cutoffMinutes: number;
  /** whether advance-purchase rules are enforced (3MKT: disable_ap) */
  advancePurchaseEnforced: boolean;
  /** whether bookings cancel and passengers fail to show */
  cancellationsEnabled: boolean;
  /** scales every market's demand (low / medium / high demand runs) */
  demandMultiplier: number;
}

/** Appends DCP 0 when missing and checks the list (strictly decreasing whole days >= 0). */
export function normaliseDcpList(dcps: readonly number[]): number[] {
  if (dcps.length === 0) throw new Error('scenario.dcps is empty: give the days before departure at which bookings are snapshotted');
  for (let i = 0; i < dcps.length; i++) {
    const d = dcps[i]!;
    if (!Number.isInteger(d) || d < 0) throw new Error(`scenario.dcps[${i}] = ${d}: must be a whole number of days >= 0`);
    if (i > 0 && d >= dcps[i - 1]!) throw new Error(`scenario.dcps[${i}] = ${d}: DCPs must be strictly decreasing (follows ${dcps[i - 1]})`);
  }
  return dcps[dcps.length - 1] === 0 ? [...dcps] : [...dcps, 0];
}

/** Booking curve shares per period from cumulative values (period k ends at DCP k). */
export function curveShares(cumulative: readonly number[]): number[] {
  const out: number[] = [];
  let prev = 0;
  for (const c of cumulative) {
    out.push(Math.max(0, c - prev));
    prev = Math.max(prev, c);
  }
  return out;
}

/** Checks a scenario for the mistakes that would make the simulation silently wrong. */
export function validateScenario(s: ScenarioSpec): void {
  const fail = (field: string, msg: string): never => {
    throw new Error(`scenario "${s.name}": ${field}: ${msg}`);
  };
  const dcps = normaliseDcpList(s.dcps);
  if (!(s.saleOpensDays >= dcps[0]!)) fail('saleOpensDays', `${s.saleOpensDays} must be >= the first DCP (${dcps[0]})`);
  if (s.cabins.length === 0 || s.cabins.length > 2) fail('cabins', `one or two cabins, got ${s.cabins.length}`);
  const carriers = new Set<string>();
  for (const c of s.carriers) {
    if (carriers.has(c.code)) fail('carriers', `duplicate carrier ${c.code}`);
    carriers.add(c.code);
  }
  if (s.carriers.filter((c) => c.role === 'own').length !== 1) fail('carriers', 'exactly one carrier must have role "own"');
  const airports = new Set(s.airports.map((a) => a.code));
  const ladders = new Map(s.ladders.map((l) => [l.carrier, l]));
  for (const c of s.carriers) {
    const l = ladders.get(c.code);
    if (!l || l.rbds.length === 0) fail('ladders', `carrier ${c.code} has no RBD ladder`);
    const seen = new Set<string>();
    let cabinPos = -1;
    for (const r of l!.rbds) {
      if (!/^[A-Z0-9]{1,2}$/.test(r.rbd)) fail(`ladders.${c.code}`, `RBD "${r.rbd}" must be one or two characters`);
      if (seen.has(r.rbd)) fail(`ladders.${c.code}`, `duplicate RBD ${r.rbd}`);
      seen.add(r.rbd);
      const ci = s.cabins.indexOf(r.cabin);
      if (ci < 0) fail(`ladders.${c.code}.${r.rbd}`, `unknown cabin ${r.cabin}`);
      if (ci < cabinPos) fail(`ladders.${c.code}`, 'cabins must appear in scenario order, highest first');
      cabinPos = ci;
    }
    if (l!.rbds.length > 26) fail(`ladders.${c.code}`, 'at most 26 RBDs per carrier');
  }
  const segs = new Set(s.segments.map((x) => x.code));
  for (const [i, f] of s.schedule.entries()) {
    if (!carriers.has(f.carrier)) fail(`schedule[${i}]`, `unknown carrier ${f.carrier}`);
    if (!airports.has(f.origin) || !airports.has(f.destination)) fail(`schedule[${i}]`, `unknown airport in ${f.origin}-${f.destination}`);
    if (!/^\d{2}:\d{2}$/.test(f.departureLocal) || !/^\d{2}:\d{2}$/.test(f.arrivalLocal)) fail(`schedule[${i}]`, 'times must be HH:MM');
    if (!/^[1-7]{1,7}$/.test(f.daysOfWeek)) fail(`schedule[${i}].daysOfWeek`, `"${f.daysOfWeek}" must list ISO weekdays 1-7`);
    for (const cab of Object.keys(f.capacity)) if (!s.cabins.includes(cab)) fail(`schedule[${i}].capacity`, `unknown cabin ${cab}`);
    for (const cs of f.codeshares ?? []) if (!carriers.has(cs.carrier)) fail(`schedule[${i}].codeshares`, `unknown carrier ${cs.carrier}`);
  }
  for (const [i, m] of s.markets.entries()) {
    if (!airports.has(m.origin) || !airports.has(m.destination)) fail(`markets[${i}]`, `unknown airport in ${m.origin}-${m.destination}`);
    for (const d of m.demand) {
      if (!segs.has(d.segment)) fail(`markets[${i}]`, `unknown segment ${d.segment}`);
      if (!s.curves[d.curve]) fail(`markets[${i}]`, `unknown booking curve ${d.curve}`);
      if (!(d.baseDemand >= 0) || !(d.referenceFare > 0)) fail(`markets[${i}]`, 'baseDemand >= 0 and referenceFare > 0 required');
    }
  }
  for (const [name, c] of Object.entries(s.curves)) {
    if (c.length !== dcps.length) fail(`curves.${name}`, `needs ${dcps.length} cumulative values (one per DCP including 0), got ${c.length}`);
    if (Math.abs(c[c.length - 1]! - 1) > 1e-9) fail(`curves.${name}`, 'must end at 1');
    for (let i = 1; i < c.length; i++) if (c[i]! < c[i - 1]! - 1e-12) fail(`curves.${name}`, 'must be non-decreasing');
  }
  const pos = new Set(s.pointsOfSale.map((p) => p.code));
  for (const [i, f] of s.fares.entries()) {
    if (!carriers.has(f.carrier)) fail(`fares[${i}]`, `unknown carrier ${f.carrier}`);
    if (!pos.has(f.pointOfSale)) fail(`fares[${i}]`, `unknown point of sale ${f.pointOfSale}`);
    if (!Number.isSafeInteger(f.amountMinor) || f.amountMinor < 0) fail(`fares[${i}]`, `amountMinor must be a whole number >= 0, got ${f.amountMinor}`);
    if (!ladders.get(f.carrier)!.rbds.some((r) => r.rbd === f.rbd)) fail(`fares[${i}]`, `RBD ${f.rbd} is not in ${f.carrier}'s ladder`);
    if (s.fx.initial[f.currency] === undefined && f.currency !== s.baseCurrency) fail(`fares[${i}]`, `no exchange rate for ${f.currency}`);
  }
  for (const seg of s.segments) {
    if (!(seg.emult > 1)) fail(`segments.${seg.code}.emult`, `must be > 1, got ${seg.emult}`);
    if (seg.dowFactors.length !== 7) fail(`segments.${seg.code}.dowFactors`, 'needs 7 values, Monday first');
    if (seg.groupSize.length === 0) fail(`segments.${seg.code}.groupSize`, 'needs at least one probability');
  }
  if (!(s.minConnectMinutes >= 0 && s.maxConnectMinutes > s.minConnectMinutes)) fail('minConnectMinutes/maxConnectMinutes', 'need 0 <= min < max');
  if (!(s.demandMultiplier > 0)) fail('demandMultiplier', 'must be > 0');
}
