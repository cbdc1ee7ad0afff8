import { z } from 'zod';
import { method } from './define';
import { iataAirport, carrierCode, isoDate, rbdCode, limit } from './common';

/** One fare on one leg departure and RBD, with the leg's inventory beside it. */
export interface FareRow {
  flightId: string;
  carrier: string;
  flightNumber: number;
  origin: string;
  destination: string;
  localDate: string;
  departureLocalTime: string;
  originTimeZone: string;
  cabin: string;
  rbd: string;
  rank: number;
  fareBasis: string | null;
  amountMinor: number | null;
  currency: string | null;
  pointOfSale: string | null;
  /** true when the fare is a dynamic price for this departure only */
  flightSpecific: boolean;
  sold: number | null;
  authorised: number | null;
  status: 'open' | 'closed' | null;
}

export const faresContract = {
  'fares.list': method<{ rows: FareRow[]; total: number }>()({
    description: 'Fares by leg departure and RBD with sold/authorised, filtered by market and local date range.',
    access: 'read',
    input: z.object({
      origin: iataAirport.optional(),
      destination: iataAirport.optional(),
      carrier: carrierCode.optional(),
      flightId: z.string().min(1).max(64).optional(),
      rbd: rbdCode.optional(),
      dateFrom: isoDate.optional(),
      dateTo: isoDate.optional(),
      pointOfSale: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166 country code').optional(),
      limit: limit(200_000, 5_000),
      offset: z.number().int().min(0).default(0),
    }).strict().refine((v) => !v.dateFrom || !v.dateTo || v.dateFrom <= v.dateTo, { message: 'dateTo is before dateFrom', path: ['dateTo'] }),
  }),
  'fares.markets': method<{ origin: string; destination: string; flights: number }[]>()({
    description: 'Markets (origin, destination) that have flights, for pickers.',
    access: 'read',
    input: z.object({ carrier: carrierCode.optional() }).strict(),
  }),
};
