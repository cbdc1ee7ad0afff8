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
  cabins: { cabin: string; capacity: number; sold: number }[];
}

export const flightsContract = {
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
