/**
 * The SandboxMarket over the market simulator (engine/simulation): what the four sandbox systems serve,
 * read from the simulated market through the simulator's query API, and the PSS's writes applied to it.
 *
 * Observable data only: the pricing tool's elasticity estimates are a vendor's prior (a documented
 * function of each market's business share, with seeded noise), never the simulator's true response.
 */
import { addDays, dateFromDayNumber, dayNumber } from '../../engine/domain/time';
import type { Airport, Carrier, Fare, FlightLeg, InventoryRecord, RbdDefinition } from '../../engine/domain/types';
import type { DemandQuery, DemandRecord, RoutePerformance } from '../../engine/ports/demand';
import type { CompetitorFare, CompetitorFareQuery, ElasticityEstimate, ExchangeRate } from '../../engine/ports/competitor';
import type { CalendarEvent, CodeshareAgreement } from '../../engine/ports/schedule';
import type { InventoryControl, PushItemResult } from '../../engine/ports/pss';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { MarketSimulator, type FareAction } from '../../engine/simulation/simulator';
import { restoreSimulator, snapshotSimulator, type SimulatorSnapshot } from '../../engine/simulation/snapshot';
import { generateSandboxScenario } from '../../engine/simulation/sandbox-network';
import { loadThreeMkt } from '../../engine/simulation/threemkt';
import { generateFareActions } from '../../engine/simulation/fare-actions';
import { compileNetwork } from '../../engine/simulation/network';
import * as q from '../../engine/simulation/queries';
import * as pss from '../../engine/simulation/pss';
import type { ScenarioSpec } from '../../engine/simulation/scenario';
import { hash32 } from './http/faults';
import { mulberry32 } from '../../engine/domain/random';
import { DemandLog } from './demand-log';
import { startChoiceWorker, type ChoiceWorker } from './choice-worker';
import type { BookingEvent, LogPage, ObservedFare, OrderRequest, OrderResult, PublishedDemand, SandboxMarket } from './market';

/** IATA aircraft type codes (SSIM bytes 73–75) of the simulator's aircraft. */
const IATA_AIRCRAFT: Readonly<Record<string, string>> = {
  A220: '221', A320: '320', A321: '321', A20N: '32N', A359: '359', B789: '789', B77W: '77W', B763: '763', E190: 'E90',
};
const iataAircraft = (a: string | undefined) => (a ? IATA_AIRCRAFT[a] ?? a.slice(0, 3) : undefined);

const VALID_TO_OPEN = '2099-12-31';

/**
 * 3MKT names its carriers AL1 and AL2, which are not airline designators an SSIM file (or a real PSS)
 * accepts (two letters or digits, or three letters): through the sandbox they are A1 and A2.
 */
export const THREE_MKT_CARRIERS: Readonly<Record<string, string>> = { AL1: 'A1', AL2: 'A2' };

/** The scenario with carrier codes replaced (every string value equal to a code). */
export function renameCarriers(spec: ScenarioSpec, codes: Readonly<Record<string, string>>): ScenarioSpec {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return codes[v] ?? v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(spec) as ScenarioSpec;
}

export interface SimulatorMarketOptions {
  seed: number;
  /** the simulated "today": the market is played up to its 00:00 UTC */
  today: string;
  /** days of flown departures served before today (default 400) */
  historyDays?: number;
  /** 'sandbox' (default): the generated hub network; '3mkt': the PODS three-market scenario */
  scenario?: 'sandbox' | '3mkt';
  /** scales demand (default 1) */
  demandMultiplier?: number;
  /** changes the scenario before the market is built (tests: add a currency, a codeshare) */
  adjustScenario?: (spec: ScenarioSpec) => ScenarioSpec;
  /**
   * play with a choice worker (choice-worker.ts): a second thread that makes the passengers' choices ahead
   * of the main one; the market is byte for byte the same, built and advanced about 1.2–1.5× faster
   */
  choiceWorker?: boolean;
}

export class SimulatorMarket implements SandboxMarket {
  readonly ownCarrier: string;
  readonly seed: number;
  readonly baseCurrency: string;
  readonly clock;
  private readonly ref: ReturnType<typeof q.referenceData>;
  private readonly demandLog: DemandLog;
  private refCounter = 0;

  constructor(readonly sim: MarketSimulator, private readonly choiceWorker: ChoiceWorker | null = null) {
    this.seed = sim.seed;
    this.ref = q.referenceData(sim);
    this.ownCarrier = this.ref.ownCarrier;
    this.baseCurrency = this.ref.baseCurrency;
    this.clock = { now: () => this.sim.clock.now() };
    this.demandLog = new DemandLog(sim);
  }

  advanceDays(days: number): void {
    this.sim.advanceDays(days);
  }

  /** Stops the choice worker, if any (the market stays usable on one thread). */
  async close(): Promise<void> {
    await this.choiceWorker?.close();
  }

  private today(): string {
    return this.sim.clock.today();
  }

  private nextRef(prefix: string): () => string {
    return () => `${prefix}${String(++this.refCounter).padStart(8, '0')}`;
  }

  // — PSS —

  /** Our carrier and the partners whose flights it markets. */
  carriers(): Carrier[] {
    return this.ref.carriers.filter((c) => c.role !== 'competitor').map((c) => ({ code: c.code, name: c.name, own: c.own }));
  }

  airports(): Airport[] {
    return this.ref.airports.map((a) => ({ code: a.code, name: a.name, timeZone: a.timeZone, lat: a.lat, lon: a.lon, ...(a.country ? { country: a.country } : {}) }));
  }

  rbds(): RbdDefinition[] {
    const shown = new Set(this.carriers().map((c) => c.code));
    return this.ref.rbds.filter((r) => shown.has(r.carrier)).map((r) => ({ carrier: r.carrier, rbd: r.rbd, cabin: r.cabin, rank: r.rank, name: r.brand }));
  }

  flightWindow(): { fromDate: string; toDate: string } {
    return { fromDate: dateFromDayNumber(this.sim.visibleFromDay), toDate: addDays(this.today(), this.sim.saleOpens) };
  }

  /** Our flights (operated, and marketed on partners) and the partner legs we market (our bookings fly on them). */
  flights(fromDate: string, toDate: string): FlightLeg[] {
    const own = this.ownCarrier;
    return q.flightLegs(this.sim, { from: fromDate, to: toDate })
      .filter((f) => f.carrier === own || (!f.operatingCarrier && f.marketingFlights.some((m) => m.carrier === own)))
      .map((f) => ({
        id: f.id, carrier: f.carrier, flightNumber: f.flightNumber, origin: f.origin, destination: f.destination, localDate: f.localDate,
        departureUtc: f.departureUtc, arrivalUtc: f.arrivalUtc, cabins: f.cabins,
        ...(f.aircraft ? { aircraft: iataAircraft(f.aircraft) } : {}),
        ...(f.operatingCarrier ? { operatingCarrier: f.operatingCarrier, operatingFlightNumber: f.operatingFlightNumber } : {}),
      }));
  }

  inventory(fromDate: string, toDate: string): InventoryRecord[] {
    return q.inventory(this.sim, { from: fromDate, to: toDate }).map(({ capacity: _c, ...r }) => r);
  }

  fares(): Fare[] {
    return q.fares(this.sim).map((f) => ({
      carrier: f.carrier, origin: f.origin, destination: f.destination, rbd: f.rbd, cabin: f.cabin, fareBasis: f.fareBasis, pointOfSale: f.pointOfSale,
      currency: f.currency, amountMinor: f.amountMinor, validFrom: f.validFrom, validTo: f.validTo, ...(f.flightId ? { flightId: f.flightId } : {}),
    }));
  }

  /** Up to `limit` served events after `after`; events the PSS does not serve (burn-in) are skipped without using up the page. */
  bookingEvents(after: number, limit: number): LogPage<BookingEvent> {
    const items: BookingEvent[] = [];
    let next = after;
    let hasMore = true;
    for (let scanned = 0; items.length < limit && hasMore && scanned < 50 * limit;) {
      const page = q.bookingEvents(this.sim, next, Math.min(limit - items.length, 100_000));
      scanned += page.nextAfterSeq - next;
      next = page.nextAfterSeq;
      hasMore = page.hasMore;
      // the simulator's segment record is a Booking with a few more fields, which the wire form leaves out
      for (const e of page.events) items.push({ sequence: e.seq, event: e.type, occurredAt: e.at, booking: e.booking });
    }
    return { items, next, hasMore };
  }

  lastBookingSequence(): number {
    return this.sim.log.nEvents;
  }

  applyFares(items: { itemId: string; fare: Fare }[]): PushItemResult[] {
    const results = pss.applyFares(this.sim, items.map(({ fare: f }) => ({
      carrier: f.carrier, origin: f.origin, destination: f.destination, rbd: f.rbd, pointOfSale: f.pointOfSale, currency: f.currency, amountMinor: f.amountMinor,
      fareBasis: f.fareBasis, ...(f.flightId ? { flightId: f.flightId } : f.validTo >= VALID_TO_OPEN ? {} : { validFrom: f.validFrom, validTo: f.validTo }),
    })), this.nextRef('F'));
    return results.map((r) => (r.status === 'accepted'
      ? { itemId: items[r.index]!.itemId, status: 'accepted', reference: r.reference }
      : { itemId: items[r.index]!.itemId, status: 'rejected', code: r.code, reason: r.reason }));
  }

  applyControls(items: { itemId: string; control: InventoryControl }[]): PushItemResult[] {
    const results = pss.applyControls(this.sim, items.map(({ control: c }) => ({
      flightId: c.flightId, rbd: c.rbd, cabin: c.cabin,
      ...(c.authorised !== null ? { authorised: c.authorised } : {}),
      ...(c.status !== null ? { status: c.status } : {}),
      ...(c.bidPriceMinor !== null ? { bidPriceMinor: c.bidPriceMinor, currency: c.currency ?? undefined } : {}),
    })), this.nextRef('C'));
    return results.map((r) => (r.status === 'accepted'
      ? { itemId: items[r.index]!.itemId, status: 'accepted', reference: r.reference }
      : { itemId: items[r.index]!.itemId, status: 'rejected', code: r.code, reason: r.reason }));
  }

  createOrder(o: OrderRequest): OrderResult {
    const r = pss.createOrder(this.sim, {
      segments: o.segments, origin: o.origin, destination: o.destination, passengers: o.passengers, pointOfSale: o.pointOfSale, channel: o.channel,
      ...(o.expectedTotal ? { expectedTotal: o.expectedTotal } : {}),
      ancillaries: o.ancillaries.map((a) => ({ code: a.code, amountMinor: a.amountMinor, segment: a.segment })),
    });
    if (r.status !== 'confirmed') return { ok: false, code: r.code, reason: r.reason };
    return {
      ok: true, orderId: `ORD-${r.recordLocator}`, recordLocator: r.recordLocator, createdAt: this.sim.clock.nowIso(), bookingIds: r.bookingIds,
      totalMinor: r.total.amountMinor, currency: r.total.currency,
    };
  }

  // — PROS —

  demandPublications(after: number, limit: number): LogPage<PublishedDemand> {
    return this.demandLog.page(after, limit);
  }

  demand(query: DemandQuery): DemandRecord[] {
    return this.demandLog.query(query);
  }

  /** Per leg (origin, destination), date and cabin: seats and passengers over our flights that day. */
  routePerformance(fromDate: string, toDate: string): RoutePerformance[] {
    const rows = q.legPerformance(this.sim, { from: fromDate, to: toDate });
    const latest = new Map<string, (typeof rows)[number]>();
    for (const r of rows) latest.set(`${r.flightId}|${r.cabin}`, r); // rows come in DCP order: the last is the latest
    const byRoute = new Map<string, RoutePerformance>();
    const asOf = this.sim.clock.nowIso();
    for (const r of latest.values()) {
      const key = `${r.origin}|${r.destination}|${r.departureDate}|${r.cabin}`;
      const e = byRoute.get(key) ?? { carrier: this.ownCarrier, origin: r.origin, destination: r.destination, departureDate: r.departureDate, cabin: r.cabin, seats: 0, passengers: 0, loadFactor: 0, revenueMinor: null, currency: null, asOf };
      e.seats += r.capacity;
      e.passengers += r.bookings;
      e.loadFactor = e.seats > 0 ? e.passengers / e.seats : 0;
      byRoute.set(key, e);
    }
    return [...byRoute.values()].map((r) => ({ ...r, loadFactor: Math.round(r.loadFactor * 1e6) / 1e6 }));
  }

  // — pricing tools —

  competitorObservations(after: number, limit: number): LogPage<ObservedFare> {
    const r = q.competitorFareObservations(this.sim, after, Math.min(limit, 100_000));
    return { items: r.observations.map((o) => ({ sequence: o.seq, fare: observed(o) })), next: r.nextAfterSeq, hasMore: r.hasMore };
  }

  competitorFares(query: CompetitorFareQuery): CompetitorFare[] {
    const latest = new Map<string, CompetitorFare>();
    for (let after = 0; ;) {
      const r = q.competitorFareObservations(this.sim, after, 100_000);
      for (const o of r.observations) {
        if (o.origin !== query.origin || o.destination !== query.destination || o.departureDate < query.fromDate || o.departureDate > query.toDate) continue;
        if (query.cabin && o.cabin !== query.cabin) continue;
        if (query.carriers && !query.carriers.includes(o.carrier)) continue;
        latest.set(`${o.carrier}|${o.departureDate}|${o.cabin}|${o.brand}`, observed(o));
      }
      if (!r.hasMore) break;
      after = r.nextAfterSeq;
    }
    return [...latest.values()];
  }

  /**
   * The pricing tool's estimates, one per non-stop market of ours and cabin: a prior from the market's mix
   * of business and leisure demand (business −0.6, leisure −1.4; business cabin at half), times a seeded
   * factor in [0.85, 1.15], with a standard error of 0.2.
   */
  elasticities(): ElasticityEstimate[] {
    const spec: ScenarioSpec = this.sim.spec;
    const asOf = `${this.today()}T00:00:00.000Z`;
    const out: ElasticityEstimate[] = [];
    for (const { origin, destination } of this.demandLog.markets) {
      const m = spec.markets.find((x) => x.origin === origin && x.destination === destination);
      const total = m ? m.demand.reduce((s, d) => s + d.baseDemand, 0) : 0;
      const business = m && total > 0 ? m.demand.filter((d) => d.segment === 'business').reduce((s, d) => s + d.baseDemand, 0) / total : 0.3;
      for (const cabin of spec.cabins) {
        const noise = 0.85 + 0.3 * mulberry32(hash32(`${this.seed}:${origin}${destination}:${cabin}`))();
        const base = -(0.6 * business + 1.4 * (1 - business)) * (cabin === spec.cabins[0] && spec.cabins.length > 1 ? 0.5 : 1);
        out.push({ origin, destination, cabin, segment: null, dbdFrom: null, dbdTo: null, elasticity: Math.round(base * noise * 1000) / 1000, standardError: 0.2, asOf });
      }
    }
    return out;
  }

  currencies(): string[] {
    return [...this.sim.net.currencies];
  }

  /** Dated rates from `base` (any known currency; crossed through the simulator's base currency). */
  exchangeRates(base: string, fromDate: string, toDate: string): ExchangeRate[] {
    const raw = q.exchangeRates(this.sim, { from: fromDate, to: toDate });
    const simBase = this.sim.spec.baseCurrency;
    const byDate = new Map<string, Map<string, number>>();
    for (const r of raw) {
      const d = byDate.get(r.date) ?? new Map<string, number>([[simBase, 1]]);
      d.set(r.quote, r.rate);
      byDate.set(r.date, d);
    }
    const out: ExchangeRate[] = [];
    for (const [date, rates] of byDate) {
      const b = rates.get(base);
      if (b === undefined) continue;
      for (const [quote, r] of rates) if (quote !== base) out.push({ base, quote, date, rate: Math.round((r / b) * 1e6) / 1e6 });
    }
    return out;
  }

  // — network planning —

  codeshares(): CodeshareAgreement[] {
    const net = this.sim.net;
    const own = this.ownCarrier;
    const { fromDate, toDate } = this.flightWindow();
    const out: CodeshareAgreement[] = [];
    for (const f of this.sim.spec.schedule) {
      for (const c of f.codeshares ?? []) {
        if (f.carrier !== own && c.carrier !== own) continue;
        out.push({
          marketingCarrier: c.carrier, marketingFlightNumber: c.flightNumber, operatingCarrier: f.carrier, operatingFlightNumber: f.flightNumber,
          origin: f.origin, destination: f.destination, validFrom: fromDate, validTo: toDate, sourceRef: `sandbox network planning (${net.carriers.length} carriers)`,
        });
      }
    }
    return out;
  }

  calendar(fromDate: string, toDate: string): CalendarEvent[] {
    const kind = (k: string): CalendarEvent['kind'] => (k === 'public_holiday' ? 'holiday' : k === 'school_holiday' ? 'school_holiday' : 'event');
    const out: CalendarEvent[] = [];
    for (const e of q.calendar(this.sim, { from: fromDate, to: toDate })) {
      const base = { fromDate: e.from, toDate: e.to, name: e.name, kind: kind(e.kind) };
      if (e.countries.length === 0 && e.airports.length === 0) out.push({ ...base, country: null, airport: null });
      for (const c of e.countries) out.push({ ...base, country: c, airport: null });
      for (const a of e.airports) out.push({ ...base, country: null, airport: a });
    }
    return out;
  }
}

function observed(o: { carrier: string; origin: string; destination: string; departureDate: string; cabin: string; brand: string; amountMinor: number; currency: string; observedAt: string }): CompetitorFare {
  return {
    carrier: o.carrier, origin: o.origin, destination: o.destination, departureDate: o.departureDate, cabin: o.cabin, brand: o.brand,
    amountMinor: o.amountMinor, currency: o.currency, observedAt: o.observedAt,
  };
}

/**
 * Builds the market: the scenario from the seed, the simulator started `historyDays` plus the sale horizon
 * before `today` (that first sale horizon is burn-in, not served), played up to `today` 00:00 UTC.
 */
export function createSimulatorMarket(opts: SimulatorMarketOptions): SimulatorMarket {
  const todayDay = dayNumber(opts.today);
  const historyDays = opts.historyDays ?? 400;
  const year = Number(opts.today.slice(0, 4));
  const generated = opts.scenario === '3mkt'
    ? renameCarriers(loadThreeMkt(undefined, { seed: opts.seed, demandMultiplier: opts.demandMultiplier }), THREE_MKT_CARRIERS)
    : generateSandboxScenario({ seed: opts.seed, calendarFromYear: year - 2, calendarToYear: year + 2, demandMultiplier: opts.demandMultiplier });
  const spec = opts.adjustScenario ? opts.adjustScenario(generated) : generated;
  const visibleFromDay = todayDay - historyDays;
  const startDay = visibleFromDay - spec.saleOpensDays;
  const startDate = dateFromDayNumber(startDay);
  let fareActions: FareAction[] | undefined;
  if (opts.scenario !== '3mkt') {
    fareActions = generateFareActions(compileNetwork(spec), { seed: opts.seed, fromDay: startDay, toDay: todayDay + spec.saleOpensDays, ownUntilDay: todayDay });
  }
  const sim = new MarketSimulator(spec, { seed: opts.seed, startDate, visibleFromDay, ...(fareActions ? { fareActions } : {}) });
  const worker = opts.choiceWorker ? startChoiceWorker(sim) : null;
  sim.advanceTo(todayDay * 86_400_000);
  return new SimulatorMarket(sim, worker);
}

/** The cache file of a market: one per scenario, seed, today, history and demand. */
export function marketCacheFile(dir: string, opts: SimulatorMarketOptions): string {
  return path.join(dir, `market-${opts.scenario ?? 'sandbox'}-s${opts.seed}-${opts.today}-h${opts.historyDays ?? 400}-d${opts.demandMultiplier ?? 1}.v8`);
}

/**
 * The market from its snapshot in `cacheDir` when there is one (restoring takes seconds; playing a year of
 * history takes minutes), else built and saved there. A snapshot that cannot be read is rebuilt over.
 * Not for markets with `adjustScenario` (their spec is not part of the file name).
 */
export function loadOrBuildMarket(opts: SimulatorMarketOptions, cacheDir: string): { market: SimulatorMarket; fromCache: boolean } {
  if (opts.adjustScenario) throw new Error('loadOrBuildMarket: a market with adjustScenario cannot be cached');
  const file = marketCacheFile(cacheDir, opts);
  if (fs.existsSync(file)) {
    try {
      const snap = v8.deserialize(fs.readFileSync(file)) as SimulatorSnapshot;
      const sim = restoreSimulator(snap);
      return { market: new SimulatorMarket(sim, opts.choiceWorker ? startChoiceWorker(sim) : null), fromCache: true };
    } catch {
      // unreadable (an older format, a partial write): build it again below
    }
  }
  const market = createSimulatorMarket(opts);
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.partial`;
  fs.writeFileSync(tmp, v8.serialize(snapshotSimulator(market.sim)));
  fs.renameSync(tmp, file);
  pruneOtherDays(cacheDir, opts, file);
  return { market, fromCache: false };
}

/**
 * Removes the snapshots of the same market built for other days: a sandbox started on the real date
 * builds a new one each day (about half a gigabyte for the hub network), and only the newest is read.
 */
function pruneOtherDays(dir: string, opts: SimulatorMarketOptions, keep: string): void {
  const [before, after] = marketCacheFile(dir, { ...opts, today: '\u0000' }).split('\u0000') as [string, string];
  for (const name of fs.readdirSync(dir)) {
    const f = path.join(dir, name);
    if (f !== keep && f.startsWith(before) && f.endsWith(after) && /^\d{4}-\d{2}-\d{2}$/.test(f.slice(before.length, f.length - after.length))) {
      try { fs.rmSync(f, { force: true }); } catch { /* another process may hold it; the next build tries again */ }
    }
  }
}
