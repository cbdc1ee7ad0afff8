/**
 * The network stage of the cycle: on each departure day with connections, the network LP
 * (pricing/network.ts networkStage) sets the bid prices of the legs that connecting itineraries use,
 * replacing their leg-level (EMSR-b) bid prices; legs without connections keep theirs.
 *
 * - Connections: two own legs on the same local date where the first arrives at the second's origin,
 *   the second leaves between `minConnectMinutes` and `maxConnectMinutes` after the first arrives, does
 *   not return to the first's origin, and the journey market has connecting bookings in the history.
 * - O&D demand: booking curves per journey market × fare class (the first segment's RBD), counted once
 *   per journey on its first leg (pricing/curves.ts buildOdCurves); departures on which the market was
 *   served without a booking in the class count as zero, so the averages are not biased up. The demand
 *   to come is the additive-pickup forecast (forecasting/forecast.ts) from the first leg's DCP period
 *   and the journeys on hand, split evenly over the day's itineraries of the market.
 * - Fares: the through fare filed for the market and class (the point of sale of the origin first).
 * - The legs' local forecasts count every passenger on the leg, so the connecting demand assigned to an
 *   itinerary is taken off the local demand of each leg it uses (same class), never below zero.
 * - Money: one LP per day in the currency most of its legs are priced in; other legs, fares and bid
 *   prices are converted at the dated exchange rates in force on the cycle's day and back; a leg
 *   without a rate is left to its EMSR-b bid price (with a warning).
 */
import { dayNumber } from '../domain/time';
import { firstOpenPeriod } from '../forecasting/dcp';
import { emptyKeyForecast, forecastKey, prepareKey, type PreparedKey } from '../forecasting/forecast';
import type { CalendarEvent } from '../forecasting/factors';
import { HistoryBuilder } from '../forecasting/history';
import type { CabinContext } from '../pricing/cycle';
import type { ExchangeRates } from '../pricing/competitor';
import { buildOdCurves, type OdCurve, type OdCurveBooking } from '../pricing/curves';
import { networkStage, type ConnectingItinerary } from '../pricing/network';
import type { BidPriceRecommendation, FareRecommendation, ForecastRecord } from '../pricing/types';

const DAY_MS = 86_400_000;

export interface NetworkLeg {
  id: string;
  origin: string;
  destination: string;
  localDate: string;
  departureUtc: string;
  arrivalUtc: string;
}

export interface ConnectionRules {
  minConnectMinutes: number;
  maxConnectMinutes: number;
}

export const DEFAULT_CONNECTION_RULES: ConnectionRules = { minConnectMinutes: 45, maxConnectMinutes: 360 };

/** Pairs of legs of one day that passengers can connect between (see module comment). */
export function connectingPairs(legs: readonly NetworkLeg[], rules: ConnectionRules, market: (origin: string, destination: string) => boolean): [NetworkLeg, NetworkLeg][] {
  const byOrigin = new Map<string, NetworkLeg[]>();
  for (const l of legs) (byOrigin.get(l.origin) ?? byOrigin.set(l.origin, []).get(l.origin)!).push(l);
  const out: [NetworkLeg, NetworkLeg][] = [];
  for (const a of legs) {
    const arr = Date.parse(a.arrivalUtc);
    for (const b of byOrigin.get(a.destination) ?? []) {
      if (b.localDate !== a.localDate || b.destination === a.origin) continue;
      const gap = (Date.parse(b.departureUtc) - arr) / 60_000;
      if (gap < rules.minConnectMinutes || gap > rules.maxConnectMinutes) continue;
      if (market(a.origin, b.destination)) out.push([a, b]);
    }
  }
  return out;
}

/** O&D demand to come per journey market × fare class × departure date (see module comment). */
export class OdDemand {
  private readonly curves = new Map<string, OdCurve[]>();
  private readonly onHand = new Map<string, number>();
  private readonly prepared = new Map<string, PreparedKey | null>();
  readonly markets: ReadonlySet<string>;
  private readonly periods: number;
  keysPrepared = 0;

  /**
   * `flights`: own legs over the history and the horizon; `bookings`: the first segments of connecting
   * journeys; `served`: per market, the first-leg departure of each date it could be flown.
   */
  constructor(
    flights: readonly NetworkLeg[], bookings: readonly OdCurveBooking[], private readonly dcps: readonly number[], private readonly now: string,
    served: (markets: ReadonlySet<string>) => Map<string, Map<string, string>>,
    /** the analysts' demand influences (configured events): those whose origin, destination and cabin match a journey's apply to it */
    private readonly influences: readonly CalendarEvent[] = [],
    /** the cabin of a class (the carrier's ladder), for influences on one cabin */
    private readonly cabinOf: (rbd: string) => string | undefined = () => undefined,
  ) {
    this.periods = dcps.length;
    const raw = buildOdCurves(flights, bookings, dcps, now);
    const markets = new Set(raw.map((c) => `${c.origin}-${c.destination}`));
    this.markets = markets;
    const have = new Set<string>();
    const rbdsOf = new Map<string, Set<string>>();
    for (const c of raw) {
      const m = `${c.origin}-${c.destination}`;
      this.add(c);
      have.add(`${m}|${c.rbd}|${c.departureDate}`);
      (rbdsOf.get(m) ?? rbdsOf.set(m, new Set()).get(m)!).add(c.rbd);
    }
    const asOfMs = Date.parse(now);
    for (const [m, dates] of served(markets)) {
      const [origin, destination] = m.split('-') as [string, string];
      for (const [date, departureUtc] of dates) {
        const asOfDbd = (Date.parse(departureUtc) - asOfMs) / DAY_MS;
        for (const rbd of rbdsOf.get(m) ?? []) {
          if (have.has(`${m}|${rbd}|${date}`)) continue;
          this.add({ origin, destination, rbd, departureDate: date, gross: dcps.map((d) => (asOfDbd <= 0 || d >= asOfDbd ? 0 : null)), cancels: new Array(dcps.length).fill(0) });
        }
      }
    }
  }

  private add(c: OdCurve): void {
    const k = `${c.origin}-${c.destination}|${c.rbd}`;
    (this.curves.get(k) ?? this.curves.set(k, []).get(k)!).push(c);
    let held = 0;
    for (const g of c.gross) if (g !== null) held += g;
    for (const x of c.cancels) held -= x;
    this.onHand.set(`${k}|${c.departureDate}`, Math.max(0, held));
  }

  has(origin: string, destination: string): boolean {
    return this.markets.has(`${origin}-${destination}`);
  }

  private prep(k: string): PreparedKey | null {
    if (this.prepared.has(k)) return this.prepared.get(k)!;
    const list = this.curves.get(k);
    let prep: PreparedKey | null = null;
    if (list) {
      const b = new HistoryBuilder(this.periods);
      for (const c of [...list].sort((x, y) => x.departureDate.localeCompare(y.departureDate))) {
        b.add(dayNumber(c.departureDate), c.gross.map((g) => (g === null ? NaN : g)), { cancels: c.cancels });
      }
      const h = b.build();
      const [market, rbd] = k.split('|') as [string, string];
      const [origin, destination] = market.split('-') as [string, string];
      const events = this.influences.filter((e) => (e.origin === undefined || e.origin === origin) && (e.destination === undefined || e.destination === destination)
        && (e.cabin === undefined || e.cabin === this.cabinOf(rbd)));
      prep = prepareKey(h, events.length ? { events } : {});
      if (prep.flown === 0) prep = null;
      this.keysPrepared++;
    }
    this.prepared.set(k, prep);
    return prep;
  }

  /** Journeys still to come for the market and class on the date whose first leg leaves at `firstDepartureUtc`. */
  demand(origin: string, destination: string, rbd: string, date: string, firstDepartureUtc: string): number {
    const k = `${origin}-${destination}|${rbd}`;
    const prep = this.prep(k);
    if (!prep) return 0;
    const dbd = (Date.parse(firstDepartureUtc) - Date.parse(this.now)) / DAY_MS;
    const f = forecastKey(prep, 'additive', dayNumber(date), firstOpenPeriod(this.dcps, dbd), this.onHand.get(`${k}|${date}`) ?? 0, emptyKeyForecast());
    return Number.isFinite(f.mean) && f.mean > 0 ? f.mean : 0;
  }
}

/** The through fare of a market and class on a date, with its cabin. */
export type ThroughFareLookup = (origin: string, destination: string, rbd: string, date: string) => { amountMinor: number; currency: string; cabin: string } | null;

export interface NetworkDayInput {
  date: string;
  /** the cycle's as-of instant (its date is the exchange-rate date) */
  now: string;
  /** own legs departing on the date that the cycle priced */
  legs: readonly NetworkLeg[];
  contexts: readonly CabinContext[];
  forecasts: readonly ForecastRecord[];
  fares: readonly FareRecommendation[];
  bidPrices: readonly BidPriceRecommendation[];
}

export interface NetworkEnv {
  od: OdDemand;
  throughFare: ThroughFareLookup;
  rates: ExchangeRates;
  rules: ConnectionRules;
}

export interface NetworkDayResult {
  /** the LP's bid prices, in each leg's own currency */
  bidPrices: BidPriceRecommendation[];
  itineraries: number;
  legs: number;
  open: number;
  closed: number;
  currency: string;
  lpMs: number;
  warnings: string[];
}

function mostCommon(values: readonly string[]): string {
  const n = new Map<string, number>();
  for (const v of values) n.set(v, (n.get(v) ?? 0) + 1);
  return [...n.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
}

/** Solves one day's network LP; null when the day has no connection with demand, fare and priced legs. */
export async function networkDay(input: NetworkDayInput, env: NetworkEnv): Promise<NetworkDayResult | null> {
  const warnings: string[] = [];
  const rateDate = input.now.slice(0, 10);
  const ctxOf = new Map(input.contexts.map((c) => [`${c.flightId}/${c.cabin}`, c]));
  const rbdsOf = new Map<string, Set<string>>();
  for (const f of input.fares) (rbdsOf.get(f.flightId) ?? rbdsOf.set(f.flightId, new Set()).get(f.flightId)!).add(f.rbd);
  const pairs = connectingPairs(input.legs, env.rules, (o, d) => env.od.has(o, d));
  const perMarket = new Map<string, number>();
  for (const [a, b] of pairs) perMarket.set(`${a.origin}-${b.destination}`, (perMarket.get(`${a.origin}-${b.destination}`) ?? 0) + 1);

  interface Draft { a: NetworkLeg; b: NetworkLeg; rbd: string; cabin: string; fareMinor: number; fareCurrency: string; demand: number }
  const drafts: Draft[] = [];
  for (const [a, b] of pairs) {
    const share = 1 / perMarket.get(`${a.origin}-${b.destination}`)!;
    for (const rbd of rbdsOf.get(a.id) ?? []) {
      const fare = env.throughFare(a.origin, b.destination, rbd, input.date);
      if (!fare || !ctxOf.has(`${a.id}/${fare.cabin}`) || !ctxOf.has(`${b.id}/${fare.cabin}`)) continue;
      const demand = env.od.demand(a.origin, b.destination, rbd, input.date, a.departureUtc) * share;
      if (demand > 0) drafts.push({ a, b, rbd, cabin: fare.cabin, fareMinor: fare.amountMinor, fareCurrency: fare.currency, demand });
    }
  }
  if (drafts.length === 0) return null;

  // the LP's currency and the legs it can convert
  const used = new Set<string>();
  for (const d of drafts) { used.add(`${d.a.id}/${d.cabin}`); used.add(`${d.b.id}/${d.cabin}`); }
  const currency = mostCommon([...used].map((k) => ctxOf.get(k)!.currency));
  const convert = (minor: number, from: string, to: string): number | null => {
    if (from === to) return minor;
    return env.rates.rateOn(from, to, rateDate) ? env.rates.convert(minor, from, to, rateDate).amountMinor : null;
  };
  const usable = new Set([...used].filter((k) => {
    const c = ctxOf.get(k)!;
    if (c.currency === currency || env.rates.rateOn(c.currency, currency, rateDate)) return true;
    warnings.push(`${k}: no ${c.currency}→${currency} exchange rate on ${rateDate}; the leg keeps its EMSR-b bid price`);
    return false;
  }));
  const connections: ConnectingItinerary[] = [];
  const taken = new Map<string, number>();
  for (const d of drafts) {
    if (!usable.has(`${d.a.id}/${d.cabin}`) || !usable.has(`${d.b.id}/${d.cabin}`)) continue;
    const fareMinor = convert(d.fareMinor, d.fareCurrency, currency);
    if (fareMinor === null) { warnings.push(`${d.a.origin}-${d.b.destination} ${d.rbd}: no ${d.fareCurrency}→${currency} exchange rate; the itinerary is left out`); continue; }
    connections.push({
      id: `${d.a.origin}-${d.b.destination}/${d.a.id}+${d.b.id}/${d.rbd}`, origin: d.a.origin, destination: d.b.destination,
      flightIds: [d.a.id, d.b.id], cabin: d.cabin, rbd: d.rbd, fareMinor, currency, demand: d.demand,
    });
    for (const leg of [d.a, d.b]) taken.set(`${leg.id}/${d.cabin}/${d.rbd}`, (taken.get(`${leg.id}/${d.cabin}/${d.rbd}`) ?? 0) + d.demand);
  }
  if (connections.length === 0) return null;
  const legKeys = new Set<string>();
  for (const c of connections) for (const id of c.flightIds) legKeys.add(`${id}/${c.cabin}`);
  const contexts = [...legKeys].map((k) => ({ ...ctxOf.get(k)!, currency }));
  const forecasts = input.forecasts.filter((f) => legKeys.has(`${f.flightId}/${f.cabin}`))
    .map((f) => ({ ...f, mean: Math.max(0, f.mean - (taken.get(`${f.flightId}/${f.cabin}/${f.rbd}`) ?? 0)) }));
  const fares: FareRecommendation[] = [];
  for (const f of input.fares) {
    if (!legKeys.has(`${f.flightId}/${f.cabin}`)) continue;
    const minor = convert(f.recommendedMinor, f.currency, currency);
    if (minor !== null) fares.push({ ...f, currency, recommendedMinor: minor });
  }
  const bidOf = new Map(input.bidPrices.map((b) => [b.key, b]));
  const lp = await networkStage({ contexts, forecasts, recommendations: [...fares, ...input.bidPrices.filter((b) => legKeys.has(b.key))] }, connections, currency);
  const bidPrices: BidPriceRecommendation[] = [];
  for (const r of lp.recommendations) {
    const own = ctxOf.get(r.key)!;
    const back = convert(r.recommendedMinor, currency, own.currency);
    if (back === null) continue; // cannot happen: usable legs convert both ways
    const prev = bidOf.get(r.key);
    bidPrices.push({ ...r, currency: own.currency, recommendedMinor: back, currentMinor: prev?.currentMinor ?? null });
  }
  const connecting = lp.availability.filter((a) => a.kind === 'connecting');
  return {
    bidPrices, itineraries: connections.length, legs: legKeys.size, open: connecting.filter((a) => a.open).length,
    closed: connecting.filter((a) => !a.open).length, currency, lpMs: lp.ms, warnings,
  };
}
