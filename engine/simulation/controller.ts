/**
 * The controller interface: how a carrier's revenue-management system plugs into the simulator.
 * Each simulated day at 00:00 UTC the simulator calls `onDcp` once per carrier with the carrier's
 * leg departures that reached a DCP (or opened for sale) and a view of what the carrier can observe
 * (its own inventory, bookings, closures and fares; competitors only through published fares).
 * The controller answers with inventory controls and fares, applied at that instant.
 */

/** One booking class of a carrier's ladder, as the carrier knows it. */
export interface RbdInfo {
  rbd: string;
  cabin: string;
  cabinIndex: number;
  /** 0 = highest class of its cabin */
  rank: number;
  restrictions: ('R1' | 'R2' | 'R3')[];
  advancePurchaseDays: number;
  brand: string;
}

/** Legs that reached one DCP today. `dcpIndex` −1: the legs just opened for sale (no period completed yet). */
export interface DcpBatch {
  dcpIndex: number;
  /** days before departure of that DCP (the opening horizon for −1) */
  daysBeforeDeparture: number;
  legs: readonly number[];
}

/** New controls for one leg. Arrays are indexed by the carrier's class index (or cabin index); NaN or undefined leaves a value unchanged. */
export interface LegControlDecision {
  leg: number;
  /** nested authorisation level per class: the class sells while the cabin's sold seats are below it */
  authorisations?: ArrayLike<number>;
  /** bid price per cabin, base currency (a class sells only if its fare is at least the sum of the bid prices of the legs it uses) */
  bidPrices?: ArrayLike<number>;
  /** explicit closure per class (1 closed, 0 open) */
  closed?: ArrayLike<number>;
}

/** A new fare for one class in one market, in base-currency value; filed in each point of sale's currency. */
export interface FareDecision {
  market: number;
  cls: number;
  value: number;
  /** point of sale index; all points of sale where the class is filed when absent */
  pos?: number;
  /** travel-date range (day numbers) for a narrower fare; the base fare when absent */
  fromDay?: number;
  toDay?: number;
  /** one leg departure (first leg of the path) */
  leg?: number;
}

export interface ControllerDecisions {
  controls?: LegControlDecision[];
  fares?: FareDecision[];
}

/** What a carrier can observe. Leg arguments must be the carrier's own operated legs. */
export interface CarrierView {
  readonly carrier: string;
  readonly carrierIndex: number;
  readonly classes: readonly RbdInfo[];
  readonly cabins: readonly string[];
  /** DCPs with 0 appended; period k ends at DCP k */
  readonly dcps: readonly number[];
  readonly periods: number;
  readonly baseCurrency: string;
  nowMs(): number;
  /** today's UTC day number */
  today(): number;

  // leg reference data
  pattern(leg: number): number;
  flightNumber(leg: number): number;
  origin(leg: number): string;
  destination(leg: number): string;
  /** local departure date, day number */
  departureDay(leg: number): number;
  departureMs(leg: number): number;
  departed(leg: number): boolean;
  capacity(leg: number, cabin: number): number;

  // inventory
  cabinSold(leg: number, cabin: number): number;
  sold(leg: number, cls: number): number;
  authorisation(leg: number, cls: number): number;
  bidPrice(leg: number, cabin: number): number;
  closedByControl(leg: number, cls: number): boolean;

  // observations
  /** net bookings (bookings − cancellations) of a class in a period */
  bookingsInPeriod(leg: number, cls: number, period: number): number;
  /** fraction of a completed period the class was unavailable (0..1) */
  closedFraction(leg: number, cls: number, period: number): number;
  /** bookingsInPeriod and closedFraction of a class for every period at once: bookings[k], closed[k] (one call instead of 2 per period) */
  periodObservations(leg: number, cls: number, bookings: Float64Array, closed: Float64Array): void;
  /** net revenue of a class on the leg (prorated, base currency) */
  revenue(leg: number, cls: number): number;
  /** earlier departures of the same flight that have flown, newest first */
  previousDepartures(leg: number, max: number): number[];

  // fares
  /** the carrier's own fare for the leg's local market at the origin's point of sale (base currency; NaN if none) */
  localFare(leg: number, cls: number): number;
  /** markets in which the carrier files fares */
  markets(): readonly { market: number; origin: string; destination: string }[];
  /** the carrier's fare value for a market, class and point of sale (base currency; NaN if not filed) */
  fare(market: number, cls: number, pos: number): number;
  /** lowest published fares of other carriers seen by the shopping tool for a market and journey day (latest observation per carrier and cabin) */
  competitorFares(market: number, day: number): { carrier: string; cabin: string; value: number; observedMs: number }[];
  /**
   * O&D observations (only when the controller sets `observesMarkets`): net passengers the carrier sold
   * in a market for a journey day, by class and booking period.
   */
  marketBookingsInPeriod(market: number, day: number, cls: number, period: number): number;
}

export interface CarrierController {
  readonly name: string;
  /** called once a day with the carrier's legs that reached a DCP or opened for sale */
  onDcp(view: CarrierView, batches: readonly DcpBatch[]): ControllerDecisions | void;
  /** called when one of the carrier's legs departs (its observations are final) */
  onDeparted?(view: CarrierView, leg: number): void;
  /** ask the simulator to keep O&D observations (market × journey day × class × period) for this carrier */
  readonly observesMarkets?: boolean;
}

/** First come, first served: static fares, every class open while seats remain. */
export function fcfs(): CarrierController {
  return { name: 'fcfs', onDcp: () => undefined };
}
