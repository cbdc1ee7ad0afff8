/**
 * What the sandbox servers read from (and write to) the market: the observable state of the simulated
 * airline market, in domain types. `simulator-market.ts` implements it over `engine/simulation`; the
 * servers know nothing else of the simulator. Everything here is what an airline's own systems (or its
 * vendors) could know — never the simulator's truth.
 */
import type { Airport, Booking, Carrier, Fare, FlightLeg, InventoryRecord, RbdDefinition } from '../../engine/domain/types';
import type { Clock } from '../../engine/domain/time';
import type { DemandQuery, DemandRecord, RoutePerformance } from '../../engine/ports/demand';
import type { CompetitorFare, CompetitorFareQuery, ElasticityEstimate, ExchangeRate } from '../../engine/ports/competitor';
import type { CalendarEvent, CodeshareAgreement } from '../../engine/ports/schedule';
import type { InventoryControl, PssOrderRequest, PushItemResult } from '../../engine/ports/pss';

/** A booking event: the segment's state after it, with its place in the PSS's event log. */
export interface BookingEvent {
  /** increases by one per event, from 1 */
  sequence: number;
  event: 'booked' | 'cancelled' | 'ancillary' | 'flown' | 'no_show' | 'denied_boarding';
  occurredAt: string;
  booking: Booking;
}

/** A demand figure with its place in the PROS publication log. */
export interface PublishedDemand {
  /** increases with each publication, from 1 */
  sequence: number;
  record: DemandRecord;
}

/** An observation of a competitor price with its place in the pricing tool's log. */
export interface ObservedFare {
  sequence: number;
  fare: CompetitorFare;
}

/** An order from an offer (the PSS's order creation): what the order port sends, decoded from the wire. */
export type OrderRequest = PssOrderRequest;

/** A page of a sequenced log: the items with sequence in (after, next], and whether more exist. */
export interface LogPage<T> {
  items: T[];
  /** pass as `after` for the next page; may pass items the log skips (never served) */
  next: number;
  hasMore: boolean;
}

export type OrderResult =
  | { ok: true; orderId: string; recordLocator: string; createdAt: string; bookingIds: string[]; totalMinor: number; currency: string }
  | { ok: false; code: string; reason: string };

export interface SandboxMarket {
  /** our airline */
  readonly ownCarrier: string;
  /** the simulated clock: "now" of every system */
  readonly clock: Clock;
  /** the seed the market was drawn from */
  readonly seed: number;
  /** the currency exchange rates are quoted from and revenue totals are kept in */
  readonly baseCurrency: string;
  /** plays the market forward by whole days */
  advanceDays(days: number): void;

  // — PSS —
  carriers(): Carrier[];
  airports(): Airport[];
  /** the fare ladders of our carrier and its partners */
  rbds(): RbdDefinition[];
  /** our carrier's leg departures (operated and marketed) with local date in [fromDate, toDate] */
  flights(fromDate: string, toDate: string): FlightLeg[];
  /** inventory of our carrier's operated legs with local date in [fromDate, toDate] */
  inventory(fromDate: string, toDate: string): InventoryRecord[];
  /** our carrier's fares as filed now (base fares and pushed ones) */
  fares(): Fare[];
  /** the local departure dates the PSS holds flights for (flown history and booking horizon) */
  flightWindow(): { fromDate: string; toDate: string };
  /** booking events after a sequence number, in order, at most `limit` sequence numbers on */
  bookingEvents(after: number, limit: number): LogPage<BookingEvent>;
  /** the last event's sequence */
  lastBookingSequence(): number;
  /** applies fares now; one answer per item, same order */
  applyFares(items: { itemId: string; fare: Fare }[]): PushItemResult[];
  applyControls(items: { itemId: string; control: InventoryControl }[]): PushItemResult[];
  createOrder(order: OrderRequest): OrderResult;

  // — PROS O&D —
  /** demand publications after a sequence number, in order */
  demandPublications(after: number, limit: number): LogPage<PublishedDemand>;
  /** the latest figure per market, departure date, cabin and DCP for a real-time query */
  demand(query: DemandQuery): DemandRecord[];
  /** route performance of our carrier's legs with departure date in [fromDate, toDate] */
  routePerformance(fromDate: string, toDate: string): RoutePerformance[];

  // — pricing tools —
  competitorObservations(after: number, limit: number): LogPage<ObservedFare>;
  /** the latest observation per carrier, departure date, cabin and brand for a real-time query */
  competitorFares(query: CompetitorFareQuery): CompetitorFare[];
  elasticities(): ElasticityEstimate[];
  /** dated rates from `base` to every other currency, dates in [fromDate, toDate] */
  exchangeRates(base: string, fromDate: string, toDate: string): ExchangeRate[];
  currencies(): string[];

  // — network planning (the planned schedule is `flights`, written as SSIM) —
  /** codeshare agreements on our carrier's flights and on flights it markets */
  codeshares(): CodeshareAgreement[];
  calendar(fromDate: string, toDate: string): CalendarEvent[];
}
