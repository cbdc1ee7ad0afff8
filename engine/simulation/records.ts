/**
 * What the simulated market hands to the sandbox servers: domain types (engine/domain/types) plus
 * the few fields a PSS, a PROS O&D system, a shopping tool or network planning would add.
 */
import type { Airport, Booking, Carrier, Fare, FlightLeg, InventoryRecord, RbdDefinition } from '../domain/types';
import type { CalendarEventKind, CarrierRole, Restriction } from './scenario';
import type { BookingEventType } from './booking-log';

export interface ReferenceData {
  scenario: string;
  baseCurrency: string;
  ownCarrier: string;
  carriers: (Carrier & { role: CarrierRole; hub?: string; pricingCurrency?: string })[];
  airports: Airport[];
  cabins: string[];
  rbds: (RbdDefinition & { restrictions: Restriction[]; advancePurchaseDays: number; brand: string })[];
  pointsOfSale: { code: string; currency: string }[];
  channels: string[];
  /** DCPs (days before departure), 0 last */
  dcps: number[];
  ancillaries: { code: string; name: string }[];
  markets: { origin: string; destination: string; distanceKm: number }[];
}

/** A leg departure as the schedule shows it; codeshare duplicates carry operatingCarrier/operatingFlightNumber. */
export interface FlightLegRecord extends FlightLeg {
  /** marketing flights other carriers sell this leg under (on the operating record) */
  marketingFlights: { carrier: string; flightNumber: number }[];
  status: 'scheduled' | 'on_sale' | 'departed';
}

export interface InventoryRow extends InventoryRecord {
  capacity: number;
}

/** One segment of a booking as a state change: the booking as it stood right after the event. */
export interface BookingEventRecord {
  seq: number;
  type: BookingEventType;
  at: string;
  booking: Booking & {
    segment: number;
    segments: number;
    marketingCarrier: string;
    marketingFlightNumber: number;
    operatingCarrier: string;
  };
}

export interface BookingEventPage {
  events: BookingEventRecord[];
  /** the sequence number to pass as `afterSeq` for the next page */
  nextAfterSeq: number;
  /** the highest sequence number that exists now */
  lastSeq: number;
  hasMore: boolean;
}

/** A class closing or reopening on a leg (the censoring data of unconstraining). */
export interface AvailabilityChange {
  flightId: string;
  rbd: string;
  status: 'open' | 'closed';
  at: string;
}

export interface FareRecord extends Fare {
  restrictions: Restriction[];
  advancePurchaseDays: number;
  brand: string;
  /** when this fare was filed */
  filedAt: string;
  /** for promotions: last day it is sold */
  saleUntil?: string;
}

/** PROS-style O&D demand: our bookings in a market for one departure date at one DCP. */
export interface OdDemandRow {
  origin: string;
  destination: string;
  departureDate: string;
  dcp: number;
  /** passengers booked (net of cancellations) at the DCP */
  bookings: number;
  /** their revenue, base currency minor units */
  revenueMinor: number;
  currency: string;
  /** true when the DCP has not been reached yet (the row holds bookings so far) */
  provisional: boolean;
}

/** PROS-style route performance: one leg, one cabin, at one DCP. */
export interface LegPerformanceRow {
  flightId: string;
  origin: string;
  destination: string;
  departureDate: string;
  cabin: string;
  dcp: number;
  capacity: number;
  bookings: number;
  loadFactor: number;
  provisional: boolean;
}

/** What a shopping tool saw: the lowest open fare of a carrier in a market for one departure date and cabin. */
export interface CompetitorFareObservation {
  seq: number;
  carrier: string;
  origin: string;
  destination: string;
  departureDate: string;
  cabin: string;
  brand: string;
  amountMinor: number;
  currency: string;
  observedAt: string;
}

export interface ExchangeRateRecord {
  date: string;
  base: string;
  quote: string;
  /** units of quote per unit of base */
  rate: number;
}

export interface CalendarEventRecord {
  id: string;
  name: string;
  kind: CalendarEventKind;
  from: string;
  to: string;
  countries: string[];
  airports: string[];
}
