/**
 * Domain types shared by the engines, the connectors and the API. Money is integer minor units with
 * its currency; instants are UTC ISO-8601 strings; local dates are "YYYY-MM-DD" at the departure airport.
 */
import type { CurrencyCode } from './money';

export type CarrierCode = string; // IATA two-character (or ICAO three-character) designator
export type AirportCode = string; // IATA three-letter code
export type CabinCode = string; // e.g. "J" business, "Y" economy
export type Rbd = string; // one or two characters, e.g. "Y", "Q" or "Y3"

export interface Carrier {
  code: CarrierCode;
  name: string;
  /** true for the airline that runs this workbench */
  own: boolean;
}

export interface Airport {
  code: AirportCode;
  name: string;
  /** IANA time zone, e.g. "Europe/Frankfurt" is not one: "Europe/Berlin" is */
  timeZone: string;
  lat: number;
  lon: number;
  country?: string;
}

export interface CabinCapacity {
  cabin: CabinCode;
  capacity: number;
}

/** One leg departure: a flight number on one local date from one airport. */
export interface FlightLeg {
  id: string; // flightId(carrier, flightNumber, localDate, origin)
  carrier: CarrierCode;
  flightNumber: number;
  origin: AirportCode;
  destination: AirportCode;
  /** local departure date at the origin airport */
  localDate: string;
  departureUtc: string;
  arrivalUtc: string;
  /** codeshare: set when another carrier operates this flight */
  operatingCarrier?: CarrierCode;
  operatingFlightNumber?: number;
  aircraft?: string;
  cabins: CabinCapacity[];
}

/** One rung of a carrier's fare ladder: rank 0 is the highest class of the cabin. */
export interface RbdDefinition {
  carrier: CarrierCode;
  rbd: Rbd;
  cabin: CabinCode;
  rank: number;
  name?: string;
}

/**
 * A fare keyed by carrier, market, RBD, fare basis, point of sale, currency and travel-date validity.
 * A dynamic price narrows validity to one departure (flightId set).
 */
export interface Fare {
  carrier: CarrierCode;
  origin: AirportCode;
  destination: AirportCode;
  rbd: Rbd;
  cabin: CabinCode;
  fareBasis: string;
  pointOfSale: string; // ISO 3166 country code
  currency: CurrencyCode;
  amountMinor: number;
  validFrom: string; // travel date, inclusive
  validTo: string; // travel date, inclusive
  flightId?: string;
}

export type AvailabilityStatus = 'open' | 'closed';

/** Inventory of one RBD on one leg departure as the PSS holds it. */
export interface InventoryRecord {
  flightId: string;
  rbd: Rbd;
  cabin: CabinCode;
  sold: number;
  /** authorisation level (nested booking limit) */
  authorised: number;
  status: AvailabilityStatus;
  /** the leg's bid price, in the leg's currency, when the PSS holds one */
  bidPriceMinor?: number;
  currency?: CurrencyCode;
}

/** denied_boarding: showed up for a leg sold beyond its seats (overbooked) and was not boarded */
export type BookingStatus = 'booked' | 'cancelled' | 'flown' | 'no_show' | 'denied_boarding';

/**
 * One ancillary unit bought with a booking: one entry per unit, `amountMinor` is that unit's price,
 * and 0 means it was included in a branded fare (a bundle), not bought separately.
 */
export interface AncillaryPurchase {
  code: string; // e.g. BAG1, SEAT_STD, SEAT_XL, MEAL, WIFI, PRIO, LOUNGE, FLEX_CHG, FLEX_REF
  amountMinor: number;
  currency: CurrencyCode;
}

/** One booked segment of a passenger name record, as the PSS reports it. */
export interface Booking {
  id: string; // unique per record locator and segment
  recordLocator: string;
  flightId: string;
  rbd: Rbd;
  cabin: CabinCode;
  fareBasis?: string;
  /** the journey this segment belongs to (O&D), which may span several legs */
  journeyOrigin: AirportCode;
  journeyDestination: AirportCode;
  pointOfSale: string;
  channel: string; // e.g. "direct", "ota", "gds"
  passengers: number;
  /** fare paid for this segment (prorated for connections) */
  amountMinor: number;
  currency: CurrencyCode;
  bookedAt: string;
  status: BookingStatus;
  statusAt?: string;
  ancillaries: AncillaryPurchase[];
}

export function flightId(carrier: CarrierCode, flightNumber: number, localDate: string, origin: AirportCode): string {
  return `${carrier}${flightNumber}/${localDate}/${origin}`;
}

export type FeedName = 'pss' | 'pros' | 'competitor' | 'schedule';
export const FEED_NAMES: readonly FeedName[] = ['pss', 'pros', 'competitor', 'schedule'];

/** Feed states as DESIGN.md defines them. */
export type FeedState = 'ok' | 'degraded' | 'down' | 'fallback' | 'never';
