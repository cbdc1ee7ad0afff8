/**
 * SimulatedMarket: the market simulator as the sandbox servers, the revenue-simulation harness and
 * the what-if API use it: the clock, every query by its domain name, the PSS's write side, the
 * what-if, and (for tests and benchmarks) the truth. Two factories build one: the sandbox hub
 * network with its history already played, and the 3MKT scenario.
 */
import { addDays, dayNumber } from '../domain/time';
import { DAY_MS, type SimClock } from './clock';
import type { CarrierController } from './controller';
import { generateFareActions } from './fare-actions';
import { compileNetwork } from './network';
import { applyControls, applyFares, createOrder, type ControlPushItem, type FarePushItem, type OrderRequest, type OrderResult, type PushItemResult } from './pss';
import {
  availabilityHistory, bookingEvents, bookingSegment, calendar, competitorFareObservations, exchangeRates, fares, flightLegs, inventory, legPerformance, odDemand, referenceData,
} from './queries';
import type {
  AvailabilityChange, BookingEventPage, BookingEventRecord, CalendarEventRecord, CompetitorFareObservation, ExchangeRateRecord, FareRecord, FlightLegRecord, InventoryRow,
  LegPerformanceRow, OdDemandRow, ReferenceData,
} from './records';
import { bookingCurve, carrierResults, fareMix, type CarrierResult } from './results';
import { generateSandboxScenario, SANDBOX_DCPS } from './sandbox-network';
import { MarketSimulator, type RecordMode } from './simulator';
import { loadThreeMkt, type ThreeMktOptions } from './threemkt';
import { priceResponse, trueDemand, type PriceResponse, type TrueDemand } from './truth';
import { whatIf, type WhatIfRequest, type WhatIfResult } from './whatif';
import { locatorIndex } from './columns';
import type { ScenarioSpec } from './scenario';

export class SimulatedMarket {
  private refSeq = 0;

  constructor(readonly sim: MarketSimulator) {}

  get spec(): ScenarioSpec { return this.sim.spec; }
  /** The simulated clock ("today" for everything served from this market). */
  get clock(): SimClock { return this.sim.clock; }
  /** Today's UTC date, "YYYY-MM-DD". */
  today(): string { return this.sim.clock.today(); }
  /** Now, UTC ISO-8601. */
  now(): string { return this.sim.clock.nowIso(); }
  /** Plays the market n days forward (to 00:00 UTC). */
  advanceDays(n: number): void { this.sim.advanceDays(n); this.sim.ensureDayBegun(); }
  /** Plays the market to an instant (ISO-8601 or ms). */
  advanceTo(instant: string | number): void { this.sim.advanceTo(instant); this.sim.ensureDayBegun(); }

  // ── reference data and schedule (network planning)
  referenceData(): ReferenceData { return referenceData(this.sim); }
  flightLegs(q: { from: string; to: string; carrier?: string; operatingOnly?: boolean }): FlightLegRecord[] { return flightLegs(this.sim, q); }

  // ── PSS reads
  inventory(q: { from?: string; to?: string; flightIds?: string[]; carrier?: string }): InventoryRow[] { return inventory(this.sim, q); }
  fares(q: { carrier?: string; origin?: string; destination?: string; pointOfSale?: string } = {}): FareRecord[] { return fares(this.sim, q); }
  /** Booking events (new booking, cancellation, flown, no-show) after a sequence number, oldest first. */
  bookingEvents(afterSeq: number, limit: number): BookingEventPage { return bookingEvents(this.sim, afterSeq, limit); }
  /** The segments of one booking as they stand now. */
  booking(recordLocator: string): BookingEventRecord['booking'][] | undefined {
    const i = locatorIndex(recordLocator);
    if (i === undefined || i >= this.sim.log.n || this.sim.legs.dayOf(this.sim.log.leg0[i]!) < this.sim.visibleFromDay) return undefined;
    return this.sim.log.leg1[i]! >= 0 ? [bookingSegment(this.sim, i, 0), bookingSegment(this.sim, i, 1)] : [bookingSegment(this.sim, i, 0)];
  }
  availabilityHistory(q: { from: string; to: string }): AvailabilityChange[] { return availabilityHistory(this.sim, q); }

  // ── PSS writes
  applyFares(items: readonly FarePushItem[]): PushItemResult[] { return applyFares(this.sim, items, () => `F${this.today().replace(/-/g, '')}-${++this.refSeq}`); }
  applyControls(items: readonly ControlPushItem[]): PushItemResult[] { return applyControls(this.sim, items, () => `C${this.today().replace(/-/g, '')}-${++this.refSeq}`); }
  createOrder(req: OrderRequest): OrderResult { return createOrder(this.sim, req); }

  // ── PROS O&D
  odDemand(q: { from: string; to: string; origin?: string; destination?: string }): OdDemandRow[] { return odDemand(this.sim, q); }
  legPerformance(q: { from: string; to: string }): LegPerformanceRow[] { return legPerformance(this.sim, q); }

  // ── pricing tools
  competitorFares(afterSeq: number, limit: number): { observations: CompetitorFareObservation[]; nextAfterSeq: number; lastSeq: number; hasMore: boolean } {
    return competitorFareObservations(this.sim, afterSeq, limit);
  }
  exchangeRates(q: { from: string; to: string }): ExchangeRateRecord[] { return exchangeRates(this.sim, q); }
  calendar(q: { from: string; to: string }): CalendarEventRecord[] { return calendar(this.sim, q); }

  // ── what-if, results, truth
  whatIf(req: WhatIfRequest): WhatIfResult { return whatIf(this.sim, req); }
  results(q: { from: string; to: string }): CarrierResult[] { return carrierResults(this.sim, dayNumber(q.from), dayNumber(q.to)); }
  fareMix(q: { carrier: string; from: string; to: string }): ReturnType<typeof fareMix> { return fareMix(this.sim, this.carrierIndex(q.carrier), dayNumber(q.from), dayNumber(q.to)); }
  bookingCurve(q: { carrier: string; from: string; to: string }): ReturnType<typeof bookingCurve> { return bookingCurve(this.sim, this.carrierIndex(q.carrier), dayNumber(q.from), dayNumber(q.to)); }
  /** Truth: tests, benchmarks and what-if only. */
  readonly truth = {
    demand: (q: { origin: string; destination: string; date: string }): TrueDemand => trueDemand(this.sim, q),
    priceResponse: (q: { origin: string; destination: string; from: string; to: string; carrier?: string; pct?: number }): PriceResponse => priceResponse(this.sim, q),
  };

  private carrierIndex(code: string): number {
    const c = this.sim.net.carrierIdx.get(code);
    if (c === undefined) throw new Error(`unknown carrier ${code}`);
    return c;
  }
}

export interface SandboxMarketOptions {
  /** seed of the network, the passengers' true behaviour and every draw (default 1) */
  seed?: number;
  /** the initial "today", YYYY-MM-DD */
  today: string;
  /** flown history before today in days (default 400) */
  historyDays?: number;
  /** days simulated before the history so that RM systems have history of their own (default 35) */
  burnInDays?: number;
  routes?: number;
  dcps?: readonly number[];
  saleOpensDays?: number;
  demandMultiplier?: number;
  record?: RecordMode;
  /** controllers by carrier code (default: every carrier runs system E; ours leaves a leg alone once controls are pushed for it) */
  controllers?: Record<string, CarrierController>;
}

/**
 * The sandbox: the seeded hub network with `historyDays` of flown departures before `today` and the
 * booking horizon ahead, the clock at `today` 00:00 UTC.
 */
export function createSandboxMarket(opts: SandboxMarketOptions): SimulatedMarket {
  const seed = opts.seed ?? 1;
  const today = dayNumber(opts.today);
  const history = opts.historyDays ?? 400;
  const saleOpens = opts.saleOpensDays ?? 150;
  const start = today - history - saleOpens - (opts.burnInDays ?? 35);
  const startDate = new Date(start * DAY_MS).toISOString().slice(0, 10);
  const spec = generateSandboxScenario({
    seed, routes: opts.routes, dcps: opts.dcps ?? SANDBOX_DCPS, saleOpensDays: saleOpens, demandMultiplier: opts.demandMultiplier,
    calendarFromYear: Number(startDate.slice(0, 4)), calendarToYear: Number(addDays(opts.today, saleOpens + 400).slice(0, 4)),
  });
  const fareActions = generateFareActions(compileNetwork(spec), { seed, fromDay: start, toDay: today + 730, ownUntilDay: today });
  const sim = new MarketSimulator(spec, { seed, startDate, controllers: opts.controllers, record: opts.record ?? 'own', fareActions, visibleFromDay: today - history });
  sim.advanceTo(today * DAY_MS);
  sim.ensureDayBegun();
  return new SimulatedMarket(sim);
}

export interface ThreeMktMarketOptions extends ThreeMktOptions {
  seed?: number;
  /** first simulated day (default 2025-01-01) */
  startDate?: string;
  controllers?: Record<string, CarrierController>;
  /** default 'none' (revenue simulations need no booking log) */
  record?: RecordMode;
  shopping?: boolean;
  /** dates the leg store makes room for at first (SimulatorOptions.legRoomDays) */
  legRoomDays?: number;
}

/** The 3MKT scenario at its first day; advance it to play samples. */
export function createThreeMktMarket(opts: ThreeMktMarketOptions = {}): SimulatedMarket {
  const spec = loadThreeMkt(undefined, opts);
  const sim = new MarketSimulator(spec, {
    seed: opts.seed ?? 42, startDate: opts.startDate ?? '2025-01-01', controllers: opts.controllers, record: opts.record ?? 'none', shopping: opts.shopping ?? true,
    legRoomDays: opts.legRoomDays,
  });
  return new SimulatedMarket(sim);
}
