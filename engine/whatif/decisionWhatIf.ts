/**
 * What-if before approving: for the flights of some decisions, a small market simulator calibrated from
 * the STORE (never from the sandbox's truth, so it works the same against a real PSS) plays the rest of
 * the booking horizon many times, once with the controls as the store has them and once with the
 * decisions' proposed values, on the same draws, and reports revenue and load factor for both.
 *
 * One scenario per flight × cabin (README-whatif.md has the whole calibration):
 * - the leg: capacity from flight_cabins, today's sold seats, authorisation levels, closures and bid price
 *   by RBD from inventory;
 * - the ladder: the cabin's RBDs (rbds, by rank) that have a fare valid on the departure date (fares:
 *   the flight's own fare first, else the market fare, the origin country's point of sale preferred);
 * - demand to come: the latest pricing cycle's forecasts for the flight (forecasts: mean per RBD and per
 *   remaining DCP period; sd for the demand variability), one demand entry per RBD whose passengers will
 *   pay at least that RBD's fare today;
 * - willingness to pay above it: PODS sell-up with Frat5 from our elasticity estimate for the market and
 *   cabin (Frat5 = 1 + ln 2 / |elasticity|), else the cycle's Frat5 setting for the market.
 */
import type { Database } from '../store/db';
import { dayNumber, utcToLocal } from '../domain/time';
import { normaliseDcps } from '../forecasting/dcp';
import { frat5For } from '../forecasting/sellup';
import { loadElasticities } from '../pricing/store';
import { marketSettings, type CycleSettings } from '../pricing/cycle';
import type { Fare, InventoryRecord } from '../domain/types';
import type { InventoryControl } from '../ports/pss';
import { decodePayload } from '../workflow/payloadCodec';
import { MarketSimulator, whatIf, distribution, type Distribution, type ScenarioSpec, type WhatIfControlSet, type WhatIfResult } from '../simulation/index';
import { parseByDcp } from '../pricing/byDcp';

export type { Distribution };

export class WhatIfInputError extends Error {
  constructor(message: string, readonly field: string, readonly code: 'validation' | 'not_found' = 'validation') {
    super(message);
    this.name = 'WhatIfInputError';
  }
}

export interface DecisionWhatIfRequest {
  decisionIds: readonly number[];
  /** draws per flight and control set (1..100000, default 1000) */
  draws?: number;
  seed?: number;
  /** "now" of the replay (UTC instant); default: the "now" of the pricing cycle whose forecast is used */
  asOf?: string;
  /** stops the run between chunks of draws */
  signal?: AbortSignal;
}

/** Draws per simulator call: between calls the event loop serves other requests (about 0.1 s of work each). */
export const WHATIF_CHUNK_DRAWS = 250;

export interface WhatIfOutcomeSummary {
  /** revenue of the flight(s) at departure, major units of `currency`: seats sold today at today's fare plus the bookings to come */
  revenue: Distribution;
  loadFactor: Distribution;
  /** expected seats sold at departure, and the most in any draw (never above capacity) */
  seatsSold: number;
  maxSeatsSold: number;
  /** expected revenue of the bookings to come per seat they take (the fare mix), null when none are expected */
  averageFareToCome: number | null;
}

export interface RevenueDifference extends Distribution {
  /** 95 % interval of the expected (mean) paired difference */
  meanLow95: number;
  meanHigh95: number;
}

export interface WhatIfCabinCalibration {
  cabin: string;
  capacity: number;
  soldNow: number;
  pointOfSale: string;
  currency: string;
  /** RBDs simulated, highest first, with today's fare (minor units), sold, authorised, status and the demand to come */
  rbds: { rbd: string; fareMinor: number; sold: number; authorised: number; status: 'open' | 'closed'; demandToCome: number }[];
  /** RBDs of the cabin left out because no fare is filed for the departure date */
  rbdsWithoutFare: string[];
  bidPriceMinor: number | null;
  frat5: number;
  frat5Source: string;
  /** coefficient of variation of the cabin's demand to come beyond Poisson (from the forecast sd) */
  demandCv: number;
  forecastCycleId: string;
  forecastMethod: string;
}

export interface FlightWhatIf {
  flightId: string;
  origin: string;
  destination: string;
  localDate: string;
  currency: string;
  capacity: number;
  /** seats sold today and their revenue (at today's fare of their class) */
  soldNow: number;
  revenueInHand: number;
  decisionIds: number[];
  current: WhatIfOutcomeSummary;
  proposed: WhatIfOutcomeSummary;
  revenueDifference: RevenueDifference;
  /** what the proposal changes, as simulated */
  changes: string[];
  cabins: WhatIfCabinCalibration[];
}

export interface DecisionWhatIfResult {
  asOf: string;
  draws: number;
  seed: number;
  flights: FlightWhatIf[];
  /** all flights together, draw by draw; null when the flights sell in more than one currency */
  total: { currency: string; capacity: number; soldNow: number; revenueInHand: number; current: WhatIfOutcomeSummary; proposed: WhatIfOutcomeSummary; revenueDifference: RevenueDifference } | null;
  /** what the calibration assumes (the same for every run) and what this run noted */
  assumptions: string[];
  notes: string[];
  elapsedMs: number;
}

export const WHATIF_ASSUMPTIONS: readonly string[] = [
  'Demand to come is our latest forecast for the flight (per RBD and DCP period), not the market simulator\'s truth.',
  'Each RBD\'s forecast passengers will pay at least that RBD\'s fare today; above it they sell up by the Frat5 curve (from our elasticity estimate, else the pricing settings).',
  'Passengers buy the cheapest open class within their willingness to pay: fare restrictions, time of day and cabin changes are not modelled; each cabin is simulated on its own.',
  'Competitors are not simulated as offers: our sell-up estimate already measures how passengers leave for them when our price rises.',
  'Controls not in the proposal stay as the store has them until departure; no re-optimisation at later DCPs; no cancellations or no-shows.',
  'Seats sold today are valued at today\'s fare of their class.',
];

export class WhatIfCancelledError extends Error {
  constructor() {
    super('the what-if was cancelled');
    this.name = 'WhatIfCancelledError';
  }
}

type DrawsOf = Record<'current' | 'proposed', Pick<WhatIfResult['current'], 'revenueByDraw' | 'loadFactorByDraw'>>;

interface DecisionRowLite {
  id: number; kind: 'fare' | 'authorisation' | 'bid_price'; state: string; flight_id: string; cabin: string; rbd: string; currency: string | null;
  proposed_value: number; payload: string; cycle_id: string | null; carrier: string; origin: string; destination: string; travel_date: string; travel_date_to: string;
}

interface FlightRow { id: string; carrier: string; flight_number: number; origin: string; destination: string; local_date: string; departure_utc: string; arrival_utc: string }

const Z95 = 1.959963984540054;

/**
 * Runs the what-if of some decisions against the store. Reads the store, writes nothing. The draws run
 * in chunks of WHATIF_CHUNK_DRAWS (each with its own seed derived from the request's), yielding to the
 * event loop between chunks, so a long run neither freezes the host nor changes with the machine.
 */
export async function decisionWhatIf(db: Database, req: DecisionWhatIfRequest): Promise<DecisionWhatIfResult> {
  const started = performance.now();
  const draws = req.draws ?? 1000;
  if (!Number.isInteger(draws) || draws < 1 || draws > 100_000) throw new WhatIfInputError(`draws must be a whole number in 1..100000, got ${draws}`, 'draws');
  const seed = (req.seed ?? 1) >>> 0;
  if (req.decisionIds.length === 0) throw new WhatIfInputError('give at least one decision id', 'decisionIds');
  const ids = [...new Set(req.decisionIds)];
  const rows = db.prepare(`SELECT id, kind, state, flight_id, cabin, rbd, currency, proposed_value, payload, cycle_id, carrier, origin, destination, travel_date, travel_date_to FROM decisions WHERE id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(ids)) as DecisionRowLite[];
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw new WhatIfInputError(`no decision ${missing.join(', ')}: pick decisions from the review list`, 'decisionIds', 'not_found');
  const noFlight = rows.filter((r) => r.flight_id === '');
  if (noFlight.length) throw new WhatIfInputError(`decision ${noFlight.map((r) => r.id).join(', ')} is a market fare without a flight: the what-if replays departures, so pick flight decisions`, 'decisionIds');

  const byFlight = new Map<string, DecisionRowLite[]>();
  for (const r of rows.sort((a, b) => a.id - b.id)) {
    const list = byFlight.get(r.flight_id) ?? [];
    list.push(r);
    byFlight.set(r.flight_id, list);
  }
  const notes: string[] = [];
  const flights: FlightWhatIf[] = [];
  const perDraw: { currency: string; capacity: number; cur: Float64Array; prop: Float64Array; curSold: Float64Array; propSold: Float64Array }[] = [];
  let asOf = req.asOf;
  let flightIndex = 0;
  for (const [flightId, decisions] of byFlight) {
    const one = await simulateFlight(db, flightId, decisions, { draws, seed: hashSeed(seed, flightIndex++), asOf: req.asOf, notes, signal: req.signal });
    asOf ??= one.asOf;
    flights.push(one.result);
    perDraw.push(one.perDraw);
  }
  const currencies = new Set(perDraw.map((p) => p.currency));
  let total: DecisionWhatIfResult['total'] = null;
  if (currencies.size === 1) {
    const cap = perDraw.reduce((s, p) => s + p.capacity, 0);
    const soldNow = flights.reduce((s, f) => s + f.soldNow, 0);
    const inHand = flights.reduce((s, f) => s + f.revenueInHand, 0);
    const sum = (pick: (p: (typeof perDraw)[number]) => Float64Array) => {
      const out = new Float64Array(draws);
      for (const p of perDraw) { const a = pick(p); for (let d = 0; d < draws; d++) out[d] += a[d]!; }
      return out;
    };
    const cur = sum((p) => p.cur);
    const prop = sum((p) => p.prop);
    total = {
      currency: perDraw[0]!.currency, capacity: cap, soldNow, revenueInHand: round2(inHand),
      current: outcome(cur, sum((p) => p.curSold), cap, inHand, soldNow),
      proposed: outcome(prop, sum((p) => p.propSold), cap, inHand, soldNow),
      revenueDifference: difference(cur, prop),
    };
  } else {
    notes.push(`the flights sell in ${[...currencies].join(', ')}: no total across currencies`);
  }
  return { asOf: asOf!, draws, seed, flights, total, assumptions: [...WHATIF_ASSUMPTIONS], notes, elapsedMs: Math.round(performance.now() - started) };
}

async function simulateFlight(db: Database, flightId: string, decisions: DecisionRowLite[], o: { draws: number; seed: number; asOf?: string; notes: string[]; signal?: AbortSignal }) {
  const field = 'decisionIds';
  const who = `decision ${decisions.map((d) => d.id).join(', ')} (flight ${flightId})`;
  const flight = db.prepare('SELECT id, carrier, flight_number, origin, destination, local_date, departure_utc, arrival_utc FROM flights WHERE id = ?').get(flightId) as FlightRow | undefined;
  if (!flight) throw new WhatIfInputError(`${who}: the flight is not in the store: sync the PSS first`, field);
  const own = db.prepare('SELECT own FROM carriers WHERE code = ?').pluck().get(flight.carrier) as number | undefined;
  if (own !== 1) throw new WhatIfInputError(`${who}: ${flight.carrier} is not our carrier`, field);

  // the forecast: the decisions' cycle when it forecast this flight, else the latest cycle that did
  const cycleIds = [...new Set(decisions.map((d) => d.cycle_id).filter((c): c is string => !!c))];
  const cycleId = (cycleIds.find((c) => db.prepare('SELECT 1 FROM forecasts WHERE flight_id = ? AND cycle_id = ? LIMIT 1').get(flightId, c) !== undefined)
    ?? db.prepare(`SELECT f.cycle_id FROM forecasts f JOIN pricing_cycles c ON c.id = f.cycle_id WHERE f.flight_id = ? ORDER BY c.started_at DESC LIMIT 1`).pluck().get(flightId)) as string | undefined;
  if (!cycleId) throw new WhatIfInputError(`${who}: no demand forecast for the flight: run a pricing cycle first`, field);
  const cycle = db.prepare('SELECT started_at, settings FROM pricing_cycles WHERE id = ?').get(cycleId) as { started_at: string; settings: string };
  const settings = JSON.parse(cycle.settings) as Partial<CycleSettings>;
  const asOf = o.asOf ?? cycle.started_at;
  const forecasts = loadForecasts(db, flightId, cycleId, settings.dcps ?? []);

  const airports = new Map((db.prepare('SELECT code, name, time_zone, lat, lon, country FROM airports WHERE code IN (?, ?)').all(flight.origin, flight.destination) as
    { code: string; name: string; time_zone: string; lat: number; lon: number; country: string | null }[]).map((a) => [a.code, a]));
  const orig = airports.get(flight.origin);
  const dest = airports.get(flight.destination);
  if (!orig || !dest) throw new WhatIfInputError(`${who}: airport ${!orig ? flight.origin : flight.destination} is not in the store's reference data`, field);
  if (Date.parse(flight.departure_utc) <= Date.parse(asOf)) throw new WhatIfInputError(`${who}: the flight departed at ${flight.departure_utc}, before ${asOf}`, field);

  const cabins = db.prepare('SELECT cabin, capacity FROM flight_cabins WHERE flight_id = ? ORDER BY cabin').all(flightId) as { cabin: string; capacity: number }[];
  const inventory = new Map((db.prepare('SELECT rbd, cabin, sold, authorised, status, bid_price_minor AS bidPriceMinor, currency FROM inventory WHERE flight_id = ?').all(flightId) as
    (InventoryRecord & { bidPriceMinor: number | null; currency: string | null })[]).map((r) => [r.rbd, r]));
  const ladder = db.prepare('SELECT rbd, cabin, rank FROM rbds WHERE carrier = ? ORDER BY rank').all(flight.carrier) as { rbd: string; cabin: string; rank: number }[];
  const fares = db.prepare(`SELECT rbd, point_of_sale AS pointOfSale, currency, amount_minor AS amountMinor, valid_from AS validFrom, flight_id AS flightId FROM fares
      WHERE carrier = ? AND origin = ? AND destination = ? AND valid_from <= ? AND valid_to >= ? AND (flight_id = '' OR flight_id = ?)`)
    .all(flight.carrier, flight.origin, flight.destination, flight.local_date, flight.local_date, flightId) as (Pick<Fare, 'rbd' | 'pointOfSale' | 'currency' | 'amountMinor' | 'validFrom'> & { flightId: string })[];
  // the point of sale and currency: the fare decisions' own, else the pricing settings' point of sale, else the origin country's;
  // fares filed there in that currency (the closest match the store has: same currency at any point of sale, then the point of sale)
  const decided = decisions.filter((d) => d.kind === 'fare').map((d) => { const p = decodePayload(d.payload, d) as { fare?: Fare } & Partial<Fare>; return p.fare ?? (p as Fare); })[0];
  const wantedPos = decided?.pointOfSale ?? settings.pointOfSale ?? orig.country ?? fares[0]?.pointOfSale;
  const ccyWanted = decided?.currency;
  const chosen = [
    fares.filter((f) => f.pointOfSale === wantedPos && (ccyWanted === undefined || f.currency === ccyWanted)),
    ccyWanted === undefined ? [] : fares.filter((f) => f.currency === ccyWanted),
    fares.filter((f) => f.pointOfSale === wantedPos),
    fares,
  ].find((t) => t.length > 0) ?? [];
  const pos = chosen.some((f) => f.pointOfSale === wantedPos) ? wantedPos : chosen[0]?.pointOfSale;
  if (pos !== wantedPos) o.notes.push(`flight ${flightId}: no fares filed at point of sale ${wantedPos}${ccyWanted ? ` in ${ccyWanted}` : ''}; those of ${pos} are used`);
  const filed = chosen.filter((f) => f.pointOfSale === pos);
  const fareOf = (rbd: string) => {
    let best: (typeof fares)[number] | undefined;
    // the flight's own fare before the market's, then the latest validity
    const score = (f: (typeof fares)[number]) => (f.flightId ? 1 : 0);
    for (const f of filed) if (f.rbd === rbd && (!best || score(f) > score(best) || (score(f) === score(best) && f.validFrom > best.validFrom))) best = f;
    return best;
  };
  const elasticities = loadElasticities(db);
  const mkt = marketSettings({ ownCarrier: flight.carrier, dcps: settings.dcps ?? [0], ...settings } as CycleSettings, flight.origin, flight.destination);

  const today = asOf.slice(0, 10);
  const dbdNow = dayNumber(flight.local_date) - dayNumber(today);
  const simId = `${flight.carrier}${flight.flight_number}/${flight.local_date}/${flight.origin}`;
  const changes: string[] = [];
  const cabinResults: { cal: WhatIfCabinCalibration; res: DrawsOf }[] = [];
  for (const [ci, { cabin, capacity }] of cabins.entries()) {
    const cabinDecisions = decisions.filter((d) => d.cabin === cabin);
    const rbdsAll = ladder.filter((r) => r.cabin === cabin);
    const withFare = rbdsAll.map((r) => ({ r, f: fareOf(r.rbd) }));
    const rbds = withFare.filter((x) => x.f !== undefined) as { r: (typeof rbdsAll)[number]; f: (typeof fares)[number] }[];
    if (rbds.length === 0 || capacity <= 0) {
      if (cabinDecisions.length) throw new WhatIfInputError(`${who}: cabin ${cabin} has ${capacity <= 0 ? 'no seats' : 'no fare filed for the departure date'}`, field);
      continue;
    }
    const currency = rbds[0]!.f.currency;
    const other = rbds.find((x) => x.f.currency !== currency);
    if (other) throw new WhatIfInputError(`${who}: cabin ${cabin} files fares in ${currency} and ${other.f.currency} at point of sale ${pos}: one currency per cabin is simulated`, field);

    // demand to come per RBD and remaining period, from the forecast (periods that started before asOf keep their remaining days)
    const fc = new Map(forecasts.filter((f) => f.cabin === cabin).map((f) => [f.rbd, f]));
    const anyFc = fc.values().next().value;
    if (!anyFc) throw new WhatIfInputError(`${who}: the forecast of cycle ${cycleId} has no RBD of cabin ${cabin}`, field);
    const fcDcps = normaliseDcps(anyFc.dcps);
    const cycleDbd = dayNumber(flight.local_date) - dayNumber(cycle.started_at.slice(0, 10));
    const scenarioDcps = fcDcps.filter((d) => d <= dbdNow);
    if (scenarioDcps.length === 0 || scenarioDcps[scenarioDcps.length - 1] !== 0) scenarioDcps.push(0);
    const remaining = (periodMean: readonly number[]) => {
      // forecast period i covers days before departure [dcps[i], hi_i]; the scenario's periods start at the one holding dbdNow
      const out = new Array<number>(scenarioDcps.length).fill(0);
      for (let i = 0; i < fcDcps.length; i++) {
        const lo = fcDcps[i]!;
        const hi = i === 0 ? Math.max(cycleDbd, lo) : fcDcps[i - 1]! - 1;
        const top = Math.min(hi, dbdNow);
        if (top < lo) continue;
        const share = (top - lo + 1) / (hi - lo + 1);
        const k = scenarioDcps.findIndex((d) => d <= lo);
        out[Math.max(0, k)] += (periodMean[i] ?? 0) * share;
      }
      return out;
    };
    let sumMean = 0;
    let sumVar = 0;
    const demand = rbds.map(({ r }) => {
      const f = fc.get(r.rbd);
      const per = f ? remaining(f.periodMean) : scenarioDcps.map(() => 0);
      const total = per.reduce((s, v) => s + v, 0);
      if (f) { sumMean += f.mean; sumVar += f.sd * f.sd; }
      return { rbd: r.rbd, per, total };
    });
    const cv = sumMean > 0 ? Math.min(0.6, Math.sqrt(Math.max(0, sumVar - sumMean)) / sumMean) : 0;
    const el = elasticities.find((e) => e.origin === flight.origin && e.destination === flight.destination && e.cabin === cabin)
      ?? elasticities.find((e) => e.origin === flight.origin && e.destination === flight.destination && e.cabin === '');
    // the DCP period we are in, on the pricing settings' DCPs (Frat5 curves are per period)
    const fullDcps = normaliseDcps(settings.dcps ?? fcDcps);
    const period = Math.max(0, fullDcps.findIndex((d) => dbdNow >= d));
    const frat5 = el && el.elasticity < 0 ? Math.min(10, Math.max(1.05, 1 + Math.LN2 / Math.abs(el.elasticity))) : frat5For(mkt.frat5, period);
    const frat5Source = el && el.elasticity < 0
      ? `elasticity ${el.elasticity.toFixed(3)} (${el.source}, ${el.observations} observations) for ${flight.origin}-${flight.destination}${el.cabin ? ` ${el.cabin}` : ''}: Frat5 = 1 + ln 2 / |elasticity|`
      : `the pricing settings' Frat5 for ${flight.origin}-${flight.destination} (no elasticity estimate for the market)`;

    const inv = (rbd: string) => inventory.get(rbd);
    const soldNow = rbds.reduce((s, { r }) => s + (inv(r.rbd)?.sold ?? 0), 0);
    const bid = rbds.map(({ r }) => inv(r.rbd)).find((i) => i?.bidPriceMinor != null);
    const cal: WhatIfCabinCalibration = {
      cabin, capacity, soldNow, pointOfSale: pos ?? '', currency,
      rbds: rbds.map(({ r, f }, j) => ({ rbd: r.rbd, fareMinor: f.amountMinor, sold: inv(r.rbd)?.sold ?? 0, authorised: inv(r.rbd)?.authorised ?? capacity, status: inv(r.rbd)?.status ?? 'open', demandToCome: round3(demand[j]!.total) })),
      rbdsWithoutFare: withFare.filter((x) => !x.f).map((x) => x.r.rbd),
      bidPriceMinor: bid?.bidPriceMinor ?? null,
      frat5: round3(frat5), frat5Source, demandCv: round3(cv), forecastCycleId: cycleId, forecastMethod: anyFc.method,
    };

    const dep = utcToLocal(flight.departure_utc, orig.time_zone);
    const arr = utcToLocal(flight.arrival_utc, dest.time_zone);
    const curves: Record<string, number[]> = {};
    const spec: ScenarioSpec = {
      name: `what-if ${flightId} ${cabin}`,
      baseCurrency: currency,
      cabins: [cabin],
      dcps: scenarioDcps,
      saleOpensDays: Math.max(dbdNow, scenarioDcps[0]!),
      carriers: [{ code: flight.carrier, name: flight.carrier, role: 'own', rm: 'fcfs' }],
      // coordinates only prorate revenue by distance: two airports at the same point (reference data without them) would divide by zero
      airports: [orig, dest].map((a, i) => ({
        code: a.code, name: a.name, timeZone: a.time_zone, lat: a.lat, lon: i === 1 && a.lat === orig.lat && a.lon === orig.lon ? (a.lon + 1) % 180 : a.lon, country: a.country ?? pos ?? 'XX',
      })),
      pointsOfSale: [{ code: pos ?? 'XX', currency }],
      channels: ['direct'],
      ladders: [{ carrier: flight.carrier, rbds: rbds.map(({ r }) => ({ rbd: r.rbd, cabin, restrictions: [], advancePurchaseDays: 0, brand: r.rbd })) }],
      schedule: [{
        carrier: flight.carrier, flightNumber: flight.flight_number, origin: flight.origin, destination: flight.destination, departureLocal: dep.time.slice(0, 5), arrivalLocal: arr.time.slice(0, 5),
        arrivalDayOffset: dayNumber(arr.date) - dayNumber(dep.date), daysOfWeek: '1234567', capacity: { [cabin]: capacity },
      }],
      markets: [{
        origin: flight.origin, destination: flight.destination,
        demand: rbds.map(({ r, f }, j) => {
          const d = demand[j]!;
          const name = `c${j}`;
          let cum = 0;
          curves[name] = d.total > 0 ? d.per.map((v) => (cum += v / d.total)) : scenarioDcps.map((_, k) => (k === scenarioDcps.length - 1 ? 1 : 0));
          curves[name]![curves[name]!.length - 1] = 1;
          for (let k = 1; k < curves[name]!.length; k++) curves[name]![k] = Math.max(curves[name]![k]!, curves[name]![k - 1]!);
          return { segment: 'rm', baseDemand: d.total, referenceFare: f.amountMinor / minorScale(currency), curve: name };
        }),
      }],
      fares: rbds.map(({ r, f }) => ({ carrier: flight.carrier, origin: flight.origin, destination: flight.destination, rbd: r.rbd, pointOfSale: pos ?? 'XX', currency, amountMinor: f.amountMinor })),
      segments: [{
        code: 'rm', emult: frat5, restrictionCost: { R1: 0, R2: 0, R3: 0 }, restrictionCostCv: 0, connectionCost: 0, elapsedCostPerHour: 0, timeCostPerHour: 0,
        preferredTimes: [{ hour: 12, sdHours: 4, weight: 1 }], cabinValue: { [cabin]: 0 }, groupSize: [1], cancelProbability: 0, noShowProbability: 0,
        channelMix: { direct: 1 }, homePosShare: 1, siteLoyaltyCost: 0, otaEmultFactor: 1, dowFactors: [1, 1, 1, 1, 1, 1, 1], season: { a1: 0, peak1: 0, a2: 0, peak2: 0 }, ancillaryPropensity: {},
      }],
      curves,
      variability: { sys: 0, mkt: 0, seg: cv, tf: 0 },
      calendar: [],
      fx: { initial: {}, dailyVolatility: {} },
      ancillaries: [],
      minConnectMinutes: 30,
      maxConnectMinutes: 600,
      cutoffMinutes: 0,
      advancePurchaseEnforced: false,
      cancellationsEnabled: false,
      demandMultiplier: 1,
    };
    const startDate = today;
    const sim = new MarketSimulator(spec, { seed: o.seed, startDate, record: 'none', shopping: false, visibleFromDay: dayNumber(startDate) });
    sim.advanceTo(Date.parse(asOf));
    sim.ensureDayBegun();
    const leg = sim.legs.index(dayNumber(flight.local_date), 0);
    seedLeg(sim, leg, rbds.map(({ r, f }) => ({ sold: inv(r.rbd)?.sold ?? 0, fareMinor: f.amountMinor })), currency);
    // today's controls, as the store has them
    const currentSet: WhatIfControlSet = {
      authorisations: Object.fromEntries(rbds.map(({ r }) => [r.rbd, inv(r.rbd)?.authorised ?? capacity])),
      closed: rbds.filter(({ r }) => inv(r.rbd)?.status === 'closed').map(({ r }) => r.rbd),
      opened: rbds.filter(({ r }) => inv(r.rbd)?.status !== 'closed').map(({ r }) => r.rbd),
      ...(bid?.bidPriceMinor != null ? { bidPrice: { amountMinor: bid.bidPriceMinor, currency: bid.currency ?? currency } } : {}),
    };
    const proposedSet: WhatIfControlSet = { ...currentSet, authorisations: { ...currentSet.authorisations }, closed: [...currentSet.closed!], opened: [...currentSet.opened!], fares: [] };
    for (const d of cabinDecisions) {
      const inLadder = rbds.some(({ r }) => r.rbd === d.rbd);
      if (d.kind !== 'bid_price' && !inLadder) throw new WhatIfInputError(`decision ${d.id}: RBD ${d.rbd} of ${flightId} has no fare filed for ${flight.local_date}, so it cannot be simulated`, field);
      if (d.kind === 'fare') {
        if (d.currency !== currency) throw new WhatIfInputError(`decision ${d.id}: a fare in ${d.currency}, the flight sells in ${currency} at point of sale ${pos}`, field);
        proposedSet.fares!.push({ rbd: d.rbd, amountMinor: d.proposed_value, currency });
        changes.push(`${d.rbd} fare ${fmtMinor(fareOf(d.rbd)!.amountMinor, currency)} → ${fmtMinor(d.proposed_value, currency)} (decision ${d.id})`);
      } else if (d.kind === 'authorisation') {
        const c = controlOf(d);
        const parts = [d.rbd];
        if (c.authorised !== null) {
          proposedSet.authorisations![d.rbd] = d.proposed_value;
          parts[0] = `${d.rbd} authorised ${inv(d.rbd)?.authorised ?? capacity} → ${d.proposed_value}`;
        }
        if (c.status === 'closed' || c.status === 'open') {
          proposedSet.closed = proposedSet.closed!.filter((x) => x !== d.rbd);
          proposedSet.opened = proposedSet.opened!.filter((x) => x !== d.rbd);
          (c.status === 'closed' ? proposedSet.closed! : proposedSet.opened!).push(d.rbd);
          if (c.status !== (inv(d.rbd)?.status ?? 'open')) parts.push(c.status === 'closed' ? 'closed' : 'opened');
        }
        changes.push(`${parts.join(', ')} (decision ${d.id})`);
      } else {
        const c = controlOf(d);
        const ccy = c.currency ?? d.currency ?? currency;
        if (ccy !== currency) throw new WhatIfInputError(`decision ${d.id}: a bid price in ${ccy}, the flight sells in ${currency}`, field);
        proposedSet.bidPrice = { amountMinor: d.proposed_value, currency };
        changes.push(`bid price ${bid?.bidPriceMinor != null ? fmtMinor(bid.bidPriceMinor, currency) : 'none'} → ${fmtMinor(d.proposed_value, currency)} (decision ${d.id})`);
      }
      if (d.state !== 'proposed') o.notes.push(`decision ${d.id} is ${d.state}, not proposed: it is simulated against the store's controls as they stand`);
    }
    const res: DrawsOf = { current: { revenueByDraw: new Float64Array(o.draws), loadFactorByDraw: new Float64Array(o.draws) }, proposed: { revenueByDraw: new Float64Array(o.draws), loadFactorByDraw: new Float64Array(o.draws) } };
    for (let start = 0, chunk = 0; start < o.draws; start += WHATIF_CHUNK_DRAWS, chunk++) {
      const part: WhatIfResult = whatIf(sim, {
        flights: [simId], draws: Math.min(WHATIF_CHUNK_DRAWS, o.draws - start), seed: hashSeed(hashSeed(o.seed, ci), chunk), proposed: { [simId]: proposedSet }, current: { [simId]: currentSet },
      });
      for (const w of ['current', 'proposed'] as const) {
        res[w].revenueByDraw.set(part[w].revenueByDraw, start);
        res[w].loadFactorByDraw.set(part[w].loadFactorByDraw, start);
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (o.signal?.aborted) throw new WhatIfCancelledError();
    }
    cabinResults.push({ cal, res });
  }
  if (cabinResults.length === 0) throw new WhatIfInputError(`${who}: no cabin of the flight has seats and fares to simulate`, field);
  const currency = cabinResults[0]!.cal.currency;
  if (cabinResults.some((c) => c.cal.currency !== currency)) throw new WhatIfInputError(`${who}: the cabins sell in different currencies`, field);
  const n = o.draws;
  const capacity = cabinResults.reduce((s, c) => s + c.cal.capacity, 0);
  const cur = new Float64Array(n);
  const prop = new Float64Array(n);
  const curSold = new Float64Array(n);
  const propSold = new Float64Array(n);
  for (const { cal, res } of cabinResults) {
    for (let d = 0; d < n; d++) {
      cur[d] += res.current.revenueByDraw[d]!;
      prop[d] += res.proposed.revenueByDraw[d]!;
      curSold[d] += Math.round(res.current.loadFactorByDraw[d]! * cal.capacity);
      propSold[d] += Math.round(res.proposed.loadFactorByDraw[d]! * cal.capacity);
    }
  }
  const soldNow = cabinResults.reduce((s, c) => s + c.cal.soldNow, 0);
  const inHand = cabinResults.reduce((s, c) => s + c.cal.rbds.reduce((x, r) => x + r.sold * r.fareMinor, 0) / minorScale(c.cal.currency), 0);
  const result: FlightWhatIf = {
    flightId, origin: flight.origin, destination: flight.destination, localDate: flight.local_date, currency, capacity, soldNow, revenueInHand: round2(inHand),
    decisionIds: decisions.map((d) => d.id),
    current: outcome(cur, curSold, capacity, inHand, soldNow),
    proposed: outcome(prop, propSold, capacity, inHand, soldNow),
    revenueDifference: difference(cur, prop),
    changes,
    cabins: cabinResults.map((c) => c.cal),
  };
  return { asOf, result, perDraw: { currency, capacity, cur, prop, curSold, propSold } };
}

/** The inventory control a decision carries (stored as the decision payload { kind, control }). */
function controlOf(d: DecisionRowLite): InventoryControl {
  const p = decodePayload(d.payload, d) as { control?: InventoryControl } & Partial<InventoryControl>;
  return p.control ?? (p as InventoryControl);
}

/** The cycle's forecasts of a departure per RBD: demand to come per remaining DCP period (the periods end at `dcps`). */
function loadForecasts(db: Database, flightId: string, cycleId: string, settingsDcps: readonly number[]) {
  const dcps = settingsDcps.length ? normaliseDcps(settingsDcps) : [];
  return (db.prepare('SELECT cabin, rbd, method, from_period, mean, sd, by_dcp FROM forecasts WHERE flight_id = ? AND cycle_id = ? ORDER BY cabin, rbd').all(flightId, cycleId) as
    { cabin: string; rbd: string; method: string; from_period: number; mean: number; sd: number; by_dcp: string }[]).map((r) => {
    const by = parseByDcp(r.by_dcp);
    const tail = dcps.slice(r.from_period);
    if (tail.length !== by.m.length) throw new WhatIfInputError(`forecast of ${flightId} ${r.rbd} in cycle ${cycleId} has ${by.m.length} periods, the cycle's DCPs give ${tail.length}: run a pricing cycle again`, 'decisionIds');
    return { cabin: r.cabin, rbd: r.rbd, method: r.method, mean: r.mean, sd: r.sd, dcps: tail, periodMean: by.m };
  });
}

/** Puts today's sold seats on the leg, their revenue at today's fare of their class. */
function seedLeg(sim: MarketSimulator, leg: number, classes: { sold: number; fareMinor: number }[], currency: string): void {
  const L = sim.legs;
  const ccy = sim.net.currencyIdx.get(currency)!;
  let cabSold = 0;
  classes.forEach((c, i) => {
    L.i16[L.iSold(leg) + i] = c.sold;
    L.f64[L.iRev(leg) + i] = c.sold * sim.fares.toValue(c.fareMinor, ccy);
    cabSold += c.sold;
  });
  L.i16[L.iCabSold(leg)] = cabSold;
  sim.refreshAvail(leg, sim.clock.nowMs());
}

function outcome(revenue: Float64Array, sold: Float64Array, capacity: number, inHand: number, soldNow: number): WhatIfOutcomeSummary {
  const lf = Float64Array.from(sold, (s) => (capacity > 0 ? s / capacity : 0));
  const seats = sold.reduce((s, v) => s + v, 0) / sold.length;
  const rev = distribution(revenue);
  return {
    revenue: roundDist(rev), loadFactor: roundDist(distribution(lf), 4), seatsSold: round3(seats), maxSeatsSold: sold.reduce((m, v) => Math.max(m, v), 0),
    averageFareToCome: seats - soldNow > 1e-9 ? round2((rev.mean - inHand) / (seats - soldNow)) : null,
  };
}

function difference(cur: Float64Array, prop: Float64Array): RevenueDifference {
  const diff = Float64Array.from(prop, (v, i) => v - cur[i]!);
  const d = distribution(diff);
  const half = diff.length > 1 ? Z95 * d.sd / Math.sqrt(diff.length) : 0;
  return { ...roundDist(d), meanLow95: round2(d.mean - half), meanHigh95: round2(d.mean + half) };
}


const round2 = (v: number) => Math.round(v * 100) / 100;
const round3 = (v: number) => Math.round(v * 1000) / 1000;
function roundDist(d: Distribution, digits = 2): Distribution {
  const f = 10 ** digits;
  const r = (v: number) => Math.round(v * f) / f;
  return { mean: r(d.mean), sd: r(d.sd), p5: r(d.p5), p50: r(d.p50), p95: r(d.p95) };
}

function minorScale(currency: string): number {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return 10 ** digits;
}

function fmtMinor(amountMinor: number, currency: string): string {
  return `${(amountMinor / minorScale(currency)).toFixed(Math.log10(minorScale(currency)))} ${currency}`;
}

function hashSeed(seed: number, i: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (i + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
