/**
 * The normalised records a sync page can carry, one kind per page. The engine's `commit` writes each kind
 * to its tables; a new kind is added here and in the engine's writer together.
 */
import type { Airport, Booking, Carrier, Fare, FlightLeg, InventoryRecord, RbdDefinition } from '../domain/types';
import type { DemandRecord, RoutePerformance } from './demand';
import type { CompetitorFare, ElasticityEstimate, ExchangeRate } from './competitor';
import type { CalendarEvent, CodeshareAgreement, PlannedLeg } from './schedule';

export interface FeedRecordKinds {
  /** reference data: carriers and each carrier's fare ladder (RBDs by cabin), from the PSS */
  carriers: Carrier;
  rbds: RbdDefinition;
  /** operated flights, from the PSS */
  flights: FlightLeg;
  bookings: Booking;
  inventory: InventoryRecord;
  fares: Fare;
  demand: DemandRecord;
  routePerformance: RoutePerformance;
  competitorFares: CompetitorFare;
  elasticities: ElasticityEstimate;
  exchangeRates: ExchangeRate;
  /** planned schedule, from network planning */
  plannedLegs: PlannedLeg;
  codeshares: CodeshareAgreement;
  airports: Airport;
  calendar: CalendarEvent;
}

export type FeedRecordKind = keyof FeedRecordKinds;

/**
 * Makes a page a full snapshot of one carrier between two local dates (inclusive): records of that kind
 * and carrier in the range that the page does not contain are removed, in the same transaction. A snapshot
 * is therefore always one page. Only for `plannedLegs` and `codeshares`, whose sources deliver full
 * snapshots (an SSIM file) rather than changes.
 */
export interface SnapshotScope {
  carrier: string;
  fromDate: string;
  toDate: string;
}

export type FeedRecordBatch = {
  [K in FeedRecordKind]: { kind: K; items: FeedRecordKinds[K][]; snapshot?: SnapshotScope };
}[FeedRecordKind];
