/**
 * The demand port (PROS O&D-style): historical and current demand by market and DCP, and route
 * performance (load factors). Records arrive by REST and by CSV batch files; both normalise to these.
 */
import type { AirportCode, CabinCode, CarrierCode } from '../domain/types';
import type { CurrencyCode } from '../domain/money';
import type { PortAnswer } from './answer';

/** Demand observed or estimated for one market, departure date and DCP. */
export interface DemandRecord {
  carrier: CarrierCode;
  origin: AirportCode;
  destination: AirportCode;
  /** local departure date at the origin, "YYYY-MM-DD" */
  departureDate: string;
  cabin: CabinCode;
  /** the data collection point, in days before departure */
  dcp: number;
  /** "historical": the departure has flown; "current": the departure is still in its booking horizon */
  kind: 'historical' | 'current';
  /** cumulative bookings at this DCP */
  bookings: number;
  /** demand with turned-away requests added back, when the source estimates it */
  unconstrainedDemand: number | null;
  /** the instant the source computed the figure (UTC ISO-8601) */
  asOf: string;
}

/** Performance of a route over one departure date. */
export interface RoutePerformance {
  carrier: CarrierCode;
  origin: AirportCode;
  destination: AirportCode;
  departureDate: string;
  cabin: CabinCode;
  seats: number;
  passengers: number;
  /** passengers / seats, 0..1 (can exceed 1 when overbooked) */
  loadFactor: number;
  revenueMinor: number | null;
  currency: CurrencyCode | null;
  asOf: string;
}

export interface DemandQuery {
  origin: AirportCode;
  destination: AirportCode;
  /** inclusive local departure dates "YYYY-MM-DD" */
  fromDate: string;
  toDate: string;
  cabin?: CabinCode;
  /** restrict to these DCPs (days before departure) */
  dcps?: number[];
}

/**
 * Real-time demand queries. When the feed is missing or stale the adapter answers with historical
 * averages and says so (`source: 'historical_average'`, `stale: true`).
 */
export interface DemandPort {
  demand(query: DemandQuery, signal?: AbortSignal): Promise<PortAnswer<DemandRecord[]>>;
  routePerformance(query: Omit<DemandQuery, 'dcps'>, signal?: AbortSignal): Promise<PortAnswer<RoutePerformance[]>>;
}
