import { z } from 'zod';
import { method } from './define';
import { iataAirport, carrierCode, isoDate, limit } from './common';

export interface FlightRow {
  id: string;
  carrier: string;
  flightNumber: number;
  origin: string;
  destination: string;
  localDate: string;
  /** local departure time at the origin, HH:MM */
  departureLocalTime: string;
  originTimeZone: string;
  departureUtc: string;
  arrivalUtc: string;
  operatingCarrier: string | null;
  /** per cabin: seats, sold, and the bid price in force at the PSS (minor units of `currency`; null: none filed) */
  cabins: { cabin: string; capacity: number; sold: number; bidPriceMinor: number | null; currency: string | null }[];
}

/** One cabin's bookings by DCP (days before departure), cumulative at the end of each booking period. */
export interface BookingCurvePoint {
  dcp: number;
  /** net bookings (gross less cancellations) by the end of the period; null for periods not reached yet */
  actual: number | null;
  /** the same with the demand turned away while a class was closed added back (its bookings while open, prorated over the period) */
  unconstrained: number | null;
  /** the latest pricing cycle's forecast from the last period reached: bookings on hand plus the expected net demand to come */
  forecast: number | null;
  /** the same flight a year before (364 days: the same weekday) */
  lastYear: number | null;
}

export interface FlightBookingCurve {
  flightId: string;
  cabin: string;
  /** the cabin's seats, and its authorised capacity (the top class's authorisation: seats plus overbooking) */
  capacity: number;
  authorised: number | null;
  points: BookingCurvePoint[];
  /** the departure compared as last year, when the store has it */
  lastYear: { flightId: string; localDate: string } | null;
  /** the cycle whose forecast is drawn, and its method */
  cycleId: string | null;
  forecastMethod: string | null;
}

export const flightsContract = {
  'flights.bookingCurve': method<FlightBookingCurve>()({
    description: 'A leg departure\'s booking curve for one cabin: net bookings by DCP, unconstrained, the latest forecast to departure, and the same flight last year.',
    access: 'read',
    input: z.object({ id: z.string().min(1).max(64), cabin: z.string().regex(/^[A-Z]$/, 'expected a one-letter cabin code') }).strict(),
  }),
  'flights.list': method<{ rows: FlightRow[]; total: number }>()({
    description: 'Leg departures, filtered by market, carrier and local departure date range.',
    access: 'read',
    input: z.object({
      origin: iataAirport.optional(),
      destination: iataAirport.optional(),
      carrier: carrierCode.optional(),
      dateFrom: isoDate.optional(),
      dateTo: isoDate.optional(),
      limit: limit(100_000, 1_000),
      offset: z.number().int().min(0).default(0),
    }).strict(),
  }),
  'flights.get': method<FlightRow>()({
    description: 'One leg departure by id.',
    access: 'read',
    input: z.object({ id: z.string().min(1).max(64) }).strict(),
  }),
};
