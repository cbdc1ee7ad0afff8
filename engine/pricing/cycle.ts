/**
 * One pricing cycle: plain input data in (flights, fare ladders, fares, inventory, booking curves,
 * competitor fares, dated exchange rates, elasticities, settings), forecasts and explained
 * recommendations out. Pure and synchronous (no I/O, no clock: `now` is an input), so it runs in a
 * worker thread as well as in the main process.
 *
 * Per own departure after `now`, per cabin:
 * 1. forecast the demand to come per RBD (leg × RBD histories, or the cabin's Q / hybrid histories),
 *    with the market's method, unconstraining and factors; historical averages, flagged, when the
 *    demand feed is stale or missing;
 * 2. authorise capacity above the physical seats from the show-rate forecast and the denied-boarding
 *    cost (overbooking);
 * 3. protect seats by EMSR-b (on MR-transformed fares for Q / hybrid demand, inefficient classes
 *    closed) and turn the nested limits into authorisation levels;
 * 4. value the last seat: the EMSR bid price, or the DP bid price with the exact expected revenues
 *    of the DP and EMSR-b policies;
 * 5. price every RBD from forecast, protection, bid price, competitor position and elasticity under
 *    the market's guardrails, each price explained component by component.
 * Nothing about passengers enters: only products, markets, capacity and aggregate booking counts.
 */
import type { FeedState, FlightLeg, Fare, InventoryRecord, RbdDefinition } from '../domain/types';
import { dayNumber } from '../domain/time';
import { firstOpenPeriod, normaliseDcps } from '../forecasting/dcp';
import type { CalendarEvent } from '../forecasting/factors';
import { emptyKeyForecast, forecastByPeriodInto, forecastKey, prepareKey, type ForecastMethod, type KeyForecast, type PreparedKey } from '../forecasting/forecast';
import { cabinHistories, type DemandModel } from '../forecasting/hybrid';
import { frat5For, partitionQ, type Frat5Curve } from '../forecasting/sellup';
import type { UnconstrainMethod } from '../forecasting/unconstrain';
import { buildLegDemandModel, compareDpWithEmsrb, dpWorkspace, solveLegDp } from '../optimisation/dp';
import { bookingLimitsInto, emsrBidPrice, emsrbInto } from '../optimisation/emsrb';
import { emsrbOnTransformedFares } from '../optimisation/fareTransformation';
import { authorisedCapacity } from '../optimisation/overbooking';
import { competitorPosition, competitorTarget, ExchangeRates, type CompetitorFare, type CompetitorStrategy, type ExchangeRate } from './competitor';
import { DEFAULT_PRICING_PARAMETERS, priceCabin, type PricePoints, type PricingParameters } from './compose';
import { legHistories, legKeyOf, type BookingCurve } from './curves';
import type { AuthorisationRecommendation, BidPriceRecommendation, FareRecommendation, ForecastRecord, Recommendation } from './types';
import { partnerOperated as isPartnerOperated } from '../domain/codeshare';
import { influenceChange } from '../api/contract/influences';

export type { BookingCurve } from './curves';

export interface CabinGuardrails {
  floorMinor?: number | null;
  ceilingMinor?: number | null;
}

export interface MarketSettings {
  pricingMode: 'ladder' | 'continuous';
  forecastMethod: ForecastMethod;
  unconstrain: UnconstrainMethod;
  demandModel: DemandModel;
  /** Frat5 per DCP period (or one value), for Q and hybrid demand */
  frat5: Frat5Curve;
  competitor: CompetitorStrategy;
  competitorMaxAgeDays: number;
  pricePoints: PricePoints;
  /** floors and ceilings per cabin */
  guardrails: Record<string, CabinGuardrails>;
  maxChangePct: number | null;
  params: PricingParameters;
  /** null: no overbooking */
  overbooking: { deniedBoardingCostMinor: number; maxPct: number } | null;
  bidPrice: 'emsr' | 'dp';
  /** the demand feed counts as stale after this many hours */
  demandFeedMaxAgeHours: number;
}

/** The engine's overbooking when none is set: 10 % at most above the seats, a denied boarding costing 400.00 in the fare currency. */
export const DEFAULT_OVERBOOKING = { deniedBoardingCostMinor: 40000, maxPct: 10 } as const;

export const DEFAULT_MARKET_SETTINGS: MarketSettings = {
  pricingMode: 'continuous',
  forecastMethod: 'additive',
  unconstrain: 'em',
  demandModel: 'independent',
  frat5: 2.2,
  competitor: { kind: 'match', reference: 'quartile-band' },
  competitorMaxAgeDays: 7,
  pricePoints: { step: 100 },
  guardrails: {},
  maxChangePct: 20,
  params: DEFAULT_PRICING_PARAMETERS,
  overbooking: { ...DEFAULT_OVERBOOKING },
  bidPrice: 'emsr',
  demandFeedMaxAgeHours: 36,
};

export interface CycleSettings {
  /** the airline this workbench prices for */
  ownCarrier: string;
  /** DCPs of the booking curves (departure, 0, is appended when missing) */
  dcps: readonly number[];
  defaults?: Partial<MarketSettings>;
  /** per market "ORG-DST" */
  markets?: Record<string, Partial<MarketSettings>>;
  /** preferred point of sale when a market files fares for several */
  pointOfSale?: string;
}

export interface ElasticityInput {
  origin: string;
  destination: string;
  cabin: string;
  elasticity: number;
  standardError: number;
  observations: number;
  /** where it came from: 'feedback', 'booking-history', 'pricing-tools' */
  source: string;
}

export interface CycleInput {
  cycleId: string;
  /** the cycle's "now" (UTC instant), from the injected clock */
  now: string;
  settings: CycleSettings;
  flights: readonly FlightLeg[];
  rbds: readonly RbdDefinition[];
  fares: readonly Fare[];
  inventory: readonly InventoryRecord[];
  curves: readonly BookingCurve[];
  competitorFares?: readonly CompetitorFare[];
  exchangeRates?: readonly ExchangeRate[];
  elasticities?: readonly ElasticityInput[];
  events?: readonly CalendarEvent[];
  /** the demand feed's state; absent: not monitored */
  demandFeed?: { state: FeedState; lastSuccessAt: string | null };
  /** forecast methods chosen by backtests, per "ORG-DST|cabin" (overrides the market setting) */
  methodChoices?: Record<string, ForecastMethod>;
  /** price only these departures (default: every own departure after now) */
  flightIds?: readonly string[];
}

export interface CycleWarning {
  code: 'no_fare' | 'no_ladder' | 'bad_curve' | 'unknown_flight' | 'currency_mismatch' | 'exchange_rate_missing' | 'demand_feed_stale' | 'unidentified_demand' | 'ladder_inverted';
  where: string;
  message: string;
}

/** The inputs shared by a cabin's classes, stored once per departure × cabin. */
export interface CabinContext {
  flightId: string;
  cabin: string;
  currency: string;
  daysToDeparture: number;
  fromPeriod: number;
  physicalCapacity: number;
  authorisedCapacity: number;
  sold: number;
  remainingSeats: number;
  demandModel: DemandModel;
  forecastMethod: string;
  demandToCome: number;
  demandSd: number;
  showRate: number;
  fallback: string | null;
  bidPriceMinor: number;
  competitor: { strategy: string; minMinor: number | null; q1Minor: number | null; q3Minor: number | null; carriers: string[]; targetMinor: number | null; note: string | null; rates: Record<string, { rate: number; date: string }> };
  elasticity: { estimate: number; se: number; observations: number; source: string } | null;
}

export interface CycleOutput {
  cycleId: string;
  now: string;
  dcps: number[];
  forecasts: ForecastRecord[];
  recommendations: Recommendation[];
  contexts: CabinContext[];
  warnings: CycleWarning[];
  /**
   * `partnerOperated`: our departures operated by another carrier (codeshares on a partner's flights), not
   * priced: their seats and inventory are the partner's, so our bookings on them say nothing of their demand
   */
  stats: { departures: number; cabins: number; rbds: number; forecastKeys: number; partnerOperated: number; /** departures whose forecast a demand influence changed */ influenced: number; ms: number };
}

/** Settings of a market, defaults overlaid by the market's own. */
export function marketSettings(settings: CycleSettings, origin: string, destination: string): MarketSettings {
  return { ...DEFAULT_MARKET_SETTINGS, ...settings.defaults, ...settings.markets?.[`${origin}-${destination}`] };
}

const DAY_MS = 86_400_000;

interface Ladder { cabin: string; rbds: RbdDefinition[] }

/** Indexes the input once; the cycle and the store reader share it. */
class CycleIndex {
  readonly flightById = new Map<string, FlightLeg>();
  readonly ladders = new Map<string, Ladder>(); // carrier|cabin
  readonly cabinOfRbd = new Map<string, string>(); // carrier|rbd
  readonly flightFares = new Map<string, Map<string, Fare>>(); // flightId → rbd → fare
  readonly marketFares = new Map<string, Fare[]>(); // carrier|org|dst|rbd
  readonly inventory = new Map<string, Map<string, InventoryRecord>>(); // flightId → rbd → record
  readonly curvesByLegKey = new Map<string, BookingCurve[]>(); // carrier|number|origin
  readonly competitors = new Map<string, CompetitorFare[]>(); // origin|destination|cabin|date
  private readonly days = new Map<string, number>();
  private readonly ladderFareCache = new Map<string, (Fare | undefined)[]>();

  /** Day number of a local date, memoised (a network has few distinct dates). */
  day(date: string): number {
    let d = this.days.get(date);
    if (d === undefined) { d = dayNumber(date); this.days.set(date, d); }
    return d;
  }

  constructor(input: CycleInput, readonly warnings: CycleWarning[]) {
    for (const f of input.flights) this.flightById.set(f.id, f);
    for (const c of input.competitorFares ?? []) {
      const k = `${c.origin}|${c.destination}|${c.cabin}|${c.departureDate}`;
      (this.competitors.get(k) ?? this.competitors.set(k, []).get(k)!).push(c);
    }
    const byCabin = new Map<string, RbdDefinition[]>();
    for (const r of input.rbds) {
      const k = `${r.carrier}|${r.cabin}`;
      (byCabin.get(k) ?? byCabin.set(k, []).get(k)!).push(r);
      this.cabinOfRbd.set(`${r.carrier}|${r.rbd}`, r.cabin);
    }
    for (const [k, list] of byCabin) this.ladders.set(k, { cabin: list[0]!.cabin, rbds: [...list].sort((a, b) => a.rank - b.rank) });
    for (const f of input.fares) {
      if (f.flightId) {
        const m = this.flightFares.get(f.flightId) ?? this.flightFares.set(f.flightId, new Map()).get(f.flightId)!;
        m.set(f.rbd, pickFare(m.get(f.rbd), f, input.settings.pointOfSale));
      } else { const k = `${f.carrier}|${f.origin}|${f.destination}|${f.rbd}`; (this.marketFares.get(k) ?? this.marketFares.set(k, []).get(k)!).push(f); }
    }
    for (const i of input.inventory) (this.inventory.get(i.flightId) ?? this.inventory.set(i.flightId, new Map()).get(i.flightId)!).set(i.rbd, i);
    for (const c of input.curves) {
      const f = this.flightById.get(c.flightId);
      if (!f) { warnings.push({ code: 'unknown_flight', where: c.flightId, message: `booking curve of ${c.flightId}/${c.rbd} names a flight that is not in the input; the curve is left out` }); continue; }
      const k = legKeyOf(f);
      (this.curvesByLegKey.get(k) ?? this.curvesByLegKey.set(k, []).get(k)!).push(c);
    }
  }

  /**
   * The market fares (no flight) of a ladder's classes valid on a date, preferring the point of sale,
   * then the latest validity; memoised per market, cabin and date.
   */
  ladderFares(carrier: string, origin: string, destination: string, ladder: Ladder, date: string, pos: string | undefined): (Fare | undefined)[] {
    const key = `${carrier}|${origin}|${destination}|${ladder.cabin}|${date}`;
    let out = this.ladderFareCache.get(key);
    if (out) return out;
    out = ladder.rbds.map((r) => {
      let best: Fare | undefined;
      for (const f of this.marketFares.get(`${carrier}|${origin}|${destination}|${r.rbd}`) ?? []) {
        if (f.validFrom > date || f.validTo < date) continue;
        best = pickFare(best, f, pos);
      }
      return best;
    });
    this.ladderFareCache.set(key, out);
    return out;
  }
}

function pickFare(a: Fare | undefined, b: Fare, pos: string | undefined): Fare {
  if (!a) return b;
  const pa = pos !== undefined && a.pointOfSale === pos;
  const pb = pos !== undefined && b.pointOfSale === pos;
  if (pa !== pb) return pb ? b : a;
  return b.validFrom > a.validFrom ? b : a;
}

/** Forecast keys prepared lazily and kept for the cycle. */
class KeyCache {
  private readonly prepared = new Map<string, PreparedKey | null>();
  private readonly hybrid = new Map<string, { q: PreparedKey; yieldable: PreparedKey[] } | null>();
  count = 0;

  private readonly eventsByMarket = new Map<string, readonly CalendarEvent[]>();

  constructor(private readonly index: CycleIndex, private readonly P: number, private readonly events: readonly CalendarEvent[], private readonly warnings: CycleWarning[]) {}

  /**
   * The events of a leg's market and cabin: those touching its origin or destination, and those without places;
   * an event bound to an origin, destination or cabin (a demand influence) only where the leg's match.
   */
  private eventsOf(legKey: string, cabin: string): readonly CalendarEvent[] {
    const c = this.index.curvesByLegKey.get(legKey)?.[0];
    const f = c ? this.index.flightById.get(c.flightId) : undefined;
    const forCabin = (list: readonly CalendarEvent[]) => list.filter((e) => e.cabin === undefined || e.cabin === cabin);
    if (!f) return forCabin(this.events);
    const m = `${f.origin}-${f.destination}|${cabin}`;
    let ev = this.eventsByMarket.get(m);
    if (!ev) this.eventsByMarket.set(m, ev = forCabin(this.events).filter((e) => (!e.airports || e.airports.includes(f.origin) || e.airports.includes(f.destination))
      && (e.origin === undefined || e.origin === f.origin) && (e.destination === undefined || e.destination === f.destination)));
    return ev;
  }

  /** The demand influences (configured events) on a cabin of the leg's departure of `localDate`, in words ("Strike −35 %"), or null. */
  influenceText(legKey: string, cabin: string, localDate: string): string | null {
    const on = this.eventsOf(legKey, cabin).filter((e) => e.factor !== undefined && e.from <= localDate && localDate <= e.to);
    return on.length ? on.map((e) => `${e.name.replace(/^demand influence: /, '')} ${influenceChange(e.factor!)}`).join('; ') : null;
  }

  /** Whether an analyst's configured factor (a demand influence) covers a cabin of the leg's departure of `localDate`. */
  influenced(legKey: string, cabins: readonly string[], localDate: string): boolean {
    return cabins.some((cabin) => this.eventsOf(legKey, cabin).some((e) => e.factor !== undefined && e.from <= localDate && localDate <= e.to));
  }

  private histories(legKey: string, rbds: readonly string[]) {
    return legHistories(this.index.curvesByLegKey.get(legKey) ?? [], (id) => this.index.day(this.index.flightById.get(id)!.localDate), rbds, this.P, (c) => {
      this.warnings.push({ code: 'bad_curve', where: `${c.flightId}/${c.rbd}`, message: `booking curve has ${c.gross.length} periods, the DCPs give ${this.P}; the curve is left out` });
    });
  }

  leg(legKey: string, cabin: string, rbd: string, s: MarketSettings): PreparedKey | null {
    const k = `${legKey}|${cabin}|${rbd}|${s.unconstrain}`;
    if (this.prepared.has(k)) return this.prepared.get(k)!;
    const h = this.histories(legKey, [rbd])[0]!;
    const prep = h.departures > 0 ? prepareKey(h, { unconstrain: s.unconstrain, events: this.eventsOf(legKey, cabin) }) : null;
    if (prep && prep.unidentified > 0) this.warnings.push({ code: 'unidentified_demand', where: `${legKey}|${rbd}`, message: `${prep.unidentified} DCP period(s) were closed too often to unconstrain; their demand may be understated` });
    this.count++;
    this.prepared.set(k, prep);
    return prep;
  }

  cabin(legKey: string, cabin: string, rbds: readonly string[], fares: readonly number[], s: MarketSettings, mode: 'q' | 'hybrid'): { q: PreparedKey; yieldable: PreparedKey[] } | null {
    const k = `${legKey}|${cabin}|${rbds.join(',')}|${mode}|${s.unconstrain}|${JSON.stringify(s.frat5)}`;
    if (this.hybrid.has(k)) return this.hybrid.get(k)!;
    const hs = this.histories(legKey, rbds);
    let out: { q: PreparedKey; yieldable: PreparedKey[] } | null = null;
    if (hs[0]!.departures > 0) {
      const ch = cabinHistories(hs, fares, s.frat5, mode);
      const events = this.eventsOf(legKey, cabin);
      out = {
        q: prepareKey(ch.q, { unconstrain: 'none', events }),
        yieldable: ch.yieldable.map((y) => prepareKey(y, { unconstrain: s.unconstrain, events })),
      };
      this.count += 1 + ch.yieldable.length;
    }
    this.hybrid.set(k, out);
    return out;
  }
}

function demandFeedFallback(input: CycleInput, maxAgeHours: number): string | null {
  const feed = input.demandFeed;
  if (!feed) return null;
  if (feed.state === 'down' || feed.state === 'never' || feed.lastSuccessAt === null) {
    return `demand feed ${feed.state}${feed.lastSuccessAt ? ` since ${feed.lastSuccessAt}` : ''}: historical averages used`;
  }
  const ageH = (Date.parse(input.now) - Date.parse(feed.lastSuccessAt)) / 3_600_000;
  if (ageH > maxAgeHours) return `demand feed stale: last success ${feed.lastSuccessAt} (${Math.round(ageH)} h ago, limit ${maxAgeHours} h): historical averages used`;
  return null;
}

/** A part of a cycle's output, delivered to a sink as the cycle goes (see CycleOptions). */
export interface CycleChunk {
  forecasts: ForecastRecord[];
  recommendations: Recommendation[];
  contexts: CabinContext[];
}

export interface CycleOptions {
  /**
   * Receives the output in chunks of about `chunkCabins` departure-cabins (default 64) instead of accumulating
   * it, so a network-wide cycle can be written to the store as it runs; the returned output's arrays
   * are then empty (warnings and stats stay).
   */
  sink?: (chunk: CycleChunk) => void;
  chunkCabins?: number;
}

/** Runs one pricing cycle (see module comment). */
export function runPricingCycle(input: CycleInput, opts: CycleOptions = {}): CycleOutput {
  const t0 = performance.now();
  const dcps = normaliseDcps(input.settings.dcps);
  const P = dcps.length;
  const warnings: CycleWarning[] = [];
  const index = new CycleIndex(input, warnings);
  const keys = new KeyCache(index, P, input.events ?? [], warnings);
  const rates = new ExchangeRates(input.exchangeRates ?? []);
  const nowMs = Date.parse(input.now);
  if (Number.isNaN(nowMs)) throw new RangeError(`pricing cycle: now must be a UTC ISO-8601 instant, got "${input.now}"`);
  const elasticityOf = new Map<string, ElasticityInput>();
  for (const e of input.elasticities ?? []) elasticityOf.set(`${e.origin}|${e.destination}|${e.cabin}`, e);
  const only = input.flightIds ? new Set(input.flightIds) : null;
  let forecasts: ForecastRecord[] = [];
  let recommendations: Recommendation[] = [];
  let contexts: CabinContext[] = [];
  const chunkCabins = opts.chunkCabins ?? 64;
  const flush = () => {
    if (!opts.sink || contexts.length === 0 && forecasts.length === 0 && recommendations.length === 0) return;
    opts.sink({ forecasts, recommendations, contexts });
    forecasts = []; recommendations = []; contexts = [];
  };
  const obCache = new Map<string, number>();
  const fallbackWarned = new Set<string>();
  let ws = dpWorkspace(64);
  const kf: KeyForecast = emptyKeyForecast();
  const perMean = new Float64Array(P);
  const perSd = new Float64Array(P);
  let departures = 0;
  let cabins = 0;
  let rbdCount = 0;

  const settingsCache = new Map<string, { s: MarketSettings; fallback: string | null; strategy: string }>();
  const dcpTails = dcps.map((_, k) => dcps.slice(k));
  // our departures still to fly, less those operated by another carrier: a codeshare's seats are the partner's
  let partnerOperated = 0;
  let influenced = 0;
  const flights = input.flights.filter((f) => {
    if (f.carrier !== input.settings.ownCarrier || !(Date.parse(f.departureUtc) > nowMs) || (only && !only.has(f.id))) return false;
    if (isPartnerOperated(f)) { partnerOperated++; return false; }
    return true;
  });
  for (const flight of flights) {
    departures++;
    const marketKey = `${flight.origin}-${flight.destination}`;
    let ms = settingsCache.get(marketKey);
    if (!ms) {
      const st = marketSettings(input.settings, flight.origin, flight.destination);
      ms = { s: st, fallback: demandFeedFallback(input, st.demandFeedMaxAgeHours), strategy: describeStrategy(st.competitor) };
      settingsCache.set(marketKey, ms);
    }
    const { s, fallback, strategy } = ms;
    const dbd = (Date.parse(flight.departureUtc) - nowMs) / DAY_MS;
    const fromPeriod = firstOpenPeriod(dcps, dbd);
    const day = index.day(flight.localDate);
    const legKey = legKeyOf(flight);
    if (keys.influenced(legKey, flight.cabins.map((c) => c.cabin), flight.localDate)) influenced++;
    if (fallback && !fallbackWarned.has(fallback)) { fallbackWarned.add(fallback); warnings.push({ code: 'demand_feed_stale', where: 'demand feed', message: fallback }); }
    for (const cc of flight.cabins) {
      const ladder = index.ladders.get(`${flight.carrier}|${cc.cabin}`);
      if (!ladder) { warnings.push({ code: 'no_ladder', where: `${flight.id}/${cc.cabin}`, message: `no RBD ladder for ${flight.carrier} cabin ${cc.cabin}; the cabin is not priced` }); continue; }
      // classes with a fare in the cabin's currency
      const cls: { rbd: string; ref: number; base: number; sold: number; authorised: number; status: string; bid: number | null }[] = [];
      let currency: string | null = null;
      const marketFares = index.ladderFares(flight.carrier, flight.origin, flight.destination, ladder, flight.localDate, input.settings.pointOfSale);
      const flightFares = index.flightFares.get(flight.id);
      const flightInventory = index.inventory.get(flight.id);
      for (let i = 0; i < ladder.rbds.length; i++) {
        const r = ladder.rbds[i]!;
        const market = marketFares[i];
        const filed = flightFares?.get(r.rbd);
        const ref = market ?? filed;
        if (!ref) { warnings.push({ code: 'no_fare', where: `${flight.id}/${r.rbd}`, message: `no fare filed for ${flight.origin}-${flight.destination} ${r.rbd} on ${flight.localDate}; the class is not priced` }); continue; }
        currency ??= ref.currency;
        const base = filed && filed.currency === currency ? filed : ref;
        if (ref.currency !== currency) { warnings.push({ code: 'currency_mismatch', where: `${flight.id}/${r.rbd}`, message: `fare in ${ref.currency} while the cabin is priced in ${currency}; the class is left out` }); continue; }
        const inv = flightInventory?.get(r.rbd);
        cls.push({ rbd: r.rbd, ref: ref.amountMinor, base: base.amountMinor, sold: inv?.sold ?? 0, authorised: inv?.authorised ?? cc.capacity, status: inv?.status ?? 'open', bid: inv?.bidPriceMinor ?? null });
      }
      if (cls.length === 0 || currency === null) continue;
      cabins++;
      const n = cls.length;
      rbdCount += n;
      const market = `${flight.origin}-${flight.destination}`;
      const method = input.methodChoices?.[`${market}|${cc.cabin}`] ?? s.forecastMethod;
      // 1. forecasts per class: mean/sd of the demand to come (and for Q/hybrid the priceable and yieldable split)
      const means = new Float64Array(n);
      const sds = new Float64Array(n);
      const fareArr = Float64Array.from(cls, (c) => c.base);
      // the optimisation nests the classes by fare, highest first. The fares in force can be out of that
      // order (one class's new fare approved and pushed, the next one's not yet): each class is then
      // valued at most at the fare of the class above it, and the cycle says so. The recommended fares
      // (compose.ts, monotone ladder) put the order back.
      for (let j = 1; j < n; j++) {
        if (fareArr[j]! <= fareArr[j - 1]!) continue;
        warnings.push({ code: 'ladder_inverted', where: `${flight.id}/${cc.cabin}/${cls[j]!.rbd}`, message: `fare in force ${cls[j]!.base} is above class ${cls[j - 1]!.rbd}'s ${cls[j - 1]!.base} (${currency}); protection levels and the bid price are computed valuing ${cls[j]!.rbd} at ${fareArr[j - 1]}` });
        fareArr[j] = fareArr[j - 1]!;
      }
      let priceable: number[] | null = null;
      let yieldable: number[] | null = null;
      let pSd: number[] | null = null;
      let ySd: number[] | null = null;
      let netFinal = 0;
      let showWeighted = 0;
      let usedMethod = method as string;
      const records: ForecastRecord[] = [];
      const scratch = { perMean, perSd, dcpsTail: dcpTails[fromPeriod] ?? [] };
      if (s.demandModel === 'independent') {
        for (let j = 0; j < n; j++) {
          const prep = keys.leg(legKey, cc.cabin, cls[j]!.rbd, s);
          if (!prep) { means[j] = 0; sds[j] = 0; continue; }
          forecastKey(prep, method, day, fromPeriod, cls[j]!.sold, kf, fallback);
          means[j] = kf.mean; sds[j] = kf.sd;
          netFinal += kf.netFinal; showWeighted += kf.netFinal * kf.showRate;
          usedMethod = kf.method;
          records.push(forecastRecord(flight.id, cc.cabin, cls[j]!.rbd, prep, kf, kf.mean, kf.sd, kf.method, scratch));
        }
      } else {
        const mode = s.demandModel;
        const cabinKeys = keys.cabin(legKey, cc.cabin, cls.map((c) => c.rbd), cls.map((c) => c.ref), s, mode);
        priceable = new Array(n).fill(0); yieldable = new Array(n).fill(0); pSd = new Array(n).fill(0); ySd = new Array(n).fill(0);
        if (cabinKeys) {
          const onHand = cls.reduce((a, c) => a + c.sold, 0);
          forecastKey(cabinKeys.q, method, day, fromPeriod, onHand, kf, fallback);
          const qf = { ...kf };
          const part = partitionQ(qf.mean, qf.sd, cls.map((c) => c.ref), frat5For(s.frat5, Math.min(fromPeriod, P - 1)));
          for (let j = 0; j < n; j++) {
            priceable[j] = part.means[j]!; pSd[j] = part.sds[j]!;
            if (mode === 'hybrid') {
              forecastKey(cabinKeys.yieldable[j]!, method, day, fromPeriod, cls[j]!.sold, kf, fallback);
              yieldable[j] = kf.mean; ySd[j] = kf.sd;
            }
            means[j] = priceable[j]! + yieldable[j]!;
            sds[j] = Math.sqrt(pSd[j]! ** 2 + ySd[j]! ** 2);
            records.push(forecastRecord(flight.id, cc.cabin, cls[j]!.rbd, cabinKeys.q, qf, means[j]!, sds[j]!, `${mode}:${qf.method}`, scratch));
          }
          netFinal = qf.netFinal; showWeighted = qf.netFinal * qf.showRate;
          usedMethod = `${mode}:${qf.method}`;
        }
      }
      forecasts.push(...records);
      // 2. overbooking
      const sold = cls.reduce((a, c) => a + c.sold, 0);
      const showRate = netFinal > 0 ? Math.min(1, Math.max(1e-3, showWeighted / netFinal)) : 1;
      let au = cc.capacity;
      if (s.overbooking && cc.capacity > 0 && showRate < 1) {
        const marginal = cls[n - 1]!.base;
        const q1000 = Math.round(showRate * 1000);
        const key = `${cc.capacity}|${q1000}|${Math.round((1000 * marginal) / Math.max(1, s.overbooking.deniedBoardingCostMinor))}|${s.overbooking.maxPct}`;
        let v = obCache.get(key);
        if (v === undefined) {
          v = authorisedCapacity({ capacity: cc.capacity, showRate: q1000 / 1000, deniedBoardingCost: s.overbooking.deniedBoardingCostMinor, marginalFare: marginal, maxOverbookingPct: s.overbooking.maxPct }).authorised;
          obCache.set(key, v);
        }
        au = v;
      }
      const remaining = Math.max(0, au - sold);
      // 3. protection levels and nested limits on the remaining seats
      const available = new Array<number>(n).fill(0);
      const protectedAbove = new Array<number>(n).fill(0);
      const fareUsed = Array.from(fareArr);
      const inefficient = new Array<boolean>(n).fill(false);
      let controlsMethod: 'emsrb' | 'emsrb-mr' = 'emsrb';
      if (priceable && yieldable) {
        controlsMethod = 'emsrb-mr';
        const t = emsrbOnTransformedFares(Array.from(fareArr), priceable, remaining, { yieldable, priceableSd: pSd!, yieldableSd: ySd! });
        for (let j = 0; j < n; j++) {
          available[j] = t.bookingLimits[j]!;
          inefficient[j] = !t.transformation.efficient[j];
          fareUsed[j] = t.transformation.adjustedFares[j] ?? 0;
        }
      } else {
        const prot = new Float64Array(Math.max(0, n - 1));
        emsrbInto(fareArr, means, sds, n, prot);
        bookingLimitsInto(prot, n, remaining, available);
      }
      for (let j = 0; j < n; j++) protectedAbove[j] = remaining - available[j]!;
      // 4. bid price
      let bid = Math.round(remaining > 0 ? emsrBidPrice(fareArr, means, sds, n, remaining) : cls[0]!.base);
      let dpInfo: BidPriceRecommendation['explanation'] = { method: 'emsr', remainingSeats: remaining };
      if (s.bidPrice === 'dp' && remaining > 0) {
        const periodMeans = new Float64Array(P * n);
        for (let j = 0; j < n; j++) {
          const total = means[j]!;
          const shape = keys.leg(legKey, cc.cabin, cls[j]!.rbd, s);
          if (shape && total > 0) {
            forecastKey(shape, 'additive', day, fromPeriod, 0, kf);
            const scale = kf.mean > 0 ? total / kf.mean : 0;
            forecastByPeriodInto(shape, kf, perMean, perSd);
            for (let p = fromPeriod; p < P; p++) periodMeans[p * n + j] = perMean[p]! * scale;
          } else if (total > 0) {
            for (let p = fromPeriod; p < P; p++) periodMeans[p * n + j] = total / Math.max(1, P - fromPeriod);
          }
        }
        if (ws.a.length < remaining + 1) ws = dpWorkspace(remaining);
        const model = buildLegDemandModel(fareArr, periodMeans, P);
        const sol = solveLegDp(model, remaining, Math.min(fromPeriod, P - 1), ws);
        bid = Math.round(sol.bidPrices[remaining]!);
        const cmp = compareDpWithEmsrb(model, remaining, Math.min(fromPeriod, P - 1), ws);
        dpInfo = { method: 'dp', remainingSeats: remaining, dpRevenueMinor: Math.round(cmp.dpRevenue), emsrbRevenueMinor: Math.round(cmp.emsrbRevenue), gapPct: round4(cmp.gapPct) };
      }
      // 5. prices
      let sell = n - 1;
      while (sell > 0 && available[sell]! <= 0) sell--;
      let position = null;
      let note: string | null = null;
      try {
        position = competitorPosition(index.competitors.get(`${flight.origin}|${flight.destination}|${cc.cabin}|${flight.localDate}`) ?? [], { origin: flight.origin, destination: flight.destination, cabin: cc.cabin, departureDate: flight.localDate, currency, now: input.now, maxAgeDays: s.competitorMaxAgeDays, ownCarrier: flight.carrier }, rates);
      } catch (e) {
        note = (e as Error).message;
        warnings.push({ code: 'exchange_rate_missing', where: `${flight.id}/${cc.cabin}`, message: note });
      }
      const target = competitorTarget(position, s.competitor, cls[sell]!.base);
      const el = elasticityOf.get(`${flight.origin}|${flight.destination}|${cc.cabin}`) ?? null;
      const demandToCome = means.reduce((a, b) => a + b, 0);
      const demandSd = Math.sqrt(sds.reduce((a, b) => a + b * b, 0));
      const g = s.guardrails[cc.cabin] ?? {};
      const priced = priceCabin({
        currency,
        mode: s.pricingMode,
        rbds: cls.map((c, j) => ({ rbd: c.rbd, referenceMinor: c.ref, baseMinor: c.base, availableSeats: available[j]!, bidPriceMinor: bid })),
        forecast: { demandToCome, sd: demandSd, remainingSeats: remaining, daysToDeparture: round2(dbd), method: usedMethod, influence: keys.influenceText(legKey, cc.cabin, flight.localDate) },
        competitor: {
          targetMinor: target.targetMinor, sellingMinor: cls[sell]!.base, sellingReferenceMinor: cls[sell]!.ref, strategy,
          minMinor: position?.minMinor ?? null, q1Minor: position?.q1Minor ?? null, q3Minor: position?.q3Minor ?? null, competitors: position?.carriers.length ?? 0, note: note ?? target.note,
        },
        elasticity: el ? { estimate: el.elasticity, se: el.standardError, observations: el.observations } : null,
        params: s.params,
        guardrails: { pricePoints: s.pricePoints, floorMinor: g.floorMinor ?? null, ceilingMinor: g.ceilingMinor ?? null, maxChangePct: s.maxChangePct },
      });
      const dtd = round2(dbd);
      const cabinKey = `${flight.id}/${cc.cabin}`;
      priced.forEach((p, j) => {
        const c = cls[j]!;
        const fare: FareRecommendation = { kind: 'fare', key: `${cabinKey}/${c.rbd}`, flightId: flight.id, cabin: cc.cabin, origin: flight.origin, destination: flight.destination, departureDate: flight.localDate, daysToDeparture: dtd, rbd: c.rbd, currency: currency!, currentMinor: p.currentMinor, recommendedMinor: p.recommendedMinor, pricingMode: s.pricingMode, explanation: p.explanation };
        recommendations.push(fare);
      });
      // authorisation levels: nested limit on classes j and below = their sales + the seats still available to j
      let soldBelow = 0;
      const authorised = new Array<number>(n);
      for (let j = n - 1; j >= 0; j--) { soldBelow += cls[j]!.sold; authorised[j] = soldBelow + available[j]!; }
      for (let j = 0; j < n; j++) {
        const c = cls[j]!;
        const a: AuthorisationRecommendation = {
          kind: 'authorisation', key: `${cabinKey}/${c.rbd}`, flightId: flight.id, cabin: cc.cabin, origin: flight.origin, destination: flight.destination, departureDate: flight.localDate, daysToDeparture: dtd, rbd: c.rbd, current: c.authorised, recommended: authorised[j]!,
          explanation: {
            method: controlsMethod, protectedAbove: protectedAbove[j]!, authorisedCapacity: au, physicalCapacity: cc.capacity,
            demandMean: round4(means[j]!), demandSd: round4(sds[j]!), fareUsed: round4(fareUsed[j]!), inefficient: inefficient[j]!, forecastMethod: usedMethod, fallback,
          },
        };
        recommendations.push(a);
      }
      const currentBid = cls.find((c) => c.bid !== null)?.bid ?? null;
      recommendations.push({ kind: 'bid_price', key: cabinKey, flightId: flight.id, cabin: cc.cabin, origin: flight.origin, destination: flight.destination, departureDate: flight.localDate, daysToDeparture: dtd, currency, currentMinor: currentBid, recommendedMinor: bid, explanation: dpInfo } satisfies BidPriceRecommendation);
      contexts.push({
        flightId: flight.id, cabin: cc.cabin, currency, daysToDeparture: round2(dbd), fromPeriod, physicalCapacity: cc.capacity, authorisedCapacity: au, sold, remainingSeats: remaining,
        demandModel: s.demandModel, forecastMethod: usedMethod, demandToCome: round4(demandToCome), demandSd: round4(demandSd), showRate: round4(showRate), fallback, bidPriceMinor: bid,
        competitor: { strategy, minMinor: position?.minMinor ?? null, q1Minor: position?.q1Minor ?? null, q3Minor: position?.q3Minor ?? null, carriers: position?.carriers ?? [], targetMinor: target.targetMinor, note: note ?? target.note ?? null, rates: position?.rates ?? {} },
        elasticity: el ? { estimate: el.elasticity, se: el.standardError, observations: el.observations, source: el.source } : null,
      });
    }
    if (opts.sink && contexts.length >= chunkCabins) flush();
  }
  flush();
  return {
    cycleId: input.cycleId, now: input.now, dcps, forecasts, recommendations, contexts, warnings,
    stats: { departures, cabins, rbds: rbdCount, forecastKeys: keys.count, partnerOperated, influenced, ms: performance.now() - t0 },
  };
}

/** A forecast as stored: spread over the periods to come, scaled to `mean` and `sd` (see forecastByPeriodInto). */
function forecastRecord(flightId: string, cabin: string, rbd: string, prep: PreparedKey, f: KeyForecast, mean: number, sd: number, label: string, scratch: { perMean: Float64Array; perSd: Float64Array; dcpsTail: readonly number[] }): ForecastRecord {
  const { perMean, perSd } = scratch;
  forecastByPeriodInto(prep, f, perMean, perSd);
  const P = prep.periods;
  const from = f.fromPeriod;
  const scale = f.mean > 0 ? mean / f.mean : 0;
  const sdScale = f.sd > 0 ? sd / f.sd : 0;
  const pm = new Array<number>(P - from);
  const ps = new Array<number>(P - from);
  for (let p = from; p < P; p++) { pm[p - from] = round2(perMean[p]! * scale); ps[p - from] = round2(perSd[p]! * sdScale); }
  return {
    flightId, cabin, rbd, method: label, fromPeriod: from, dcps: scratch.dcpsTail, periodMean: pm, periodSd: ps,
    mean: round4(mean), sd: round4(sd), cancellations: round4(f.cancellations), netFinal: round4(f.netFinal), showRate: round4(f.showRate), fallback: f.fallback,
  };
}

export function describeStrategy(s: CompetitorStrategy): string {
  if (s.kind === 'ignore') return 'ignore competitors';
  const ref = s.reference === 'min' ? 'the competitor minimum' : 'the competitor quartile band';
  if (s.kind === 'match') return `match ${ref}`;
  const by = s.amountMinor !== undefined ? `${s.amountMinor} minor units` : `${s.pct} %`;
  return `${s.kind} ${ref} by ${by}`;
}

const round2 = (v: number) => Math.round(v * 100) / 100 || 0;
const round4 = (v: number) => Math.round(v * 10000) / 10000 || 0;
