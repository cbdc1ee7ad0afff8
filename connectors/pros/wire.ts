/**
 * The PROS O&D interface's records (connectors/specs/pros.openapi.json and the CSV column specs in
 * connectors/specs/csv.ts), checked at the boundary and normalised into the demand port's types.
 */
import { z } from 'zod';
import type { DemandRecord, RoutePerformance } from '../../engine/ports/demand';
import type { RowOf } from '../files/column-spec';
import type { PROS_DEMAND_FILE, PROS_ROUTE_PERFORMANCE_FILE } from '../specs/csv';
import { RecordProblem } from '../pss/sync-kit';
import { airportCode, amountText, cabinCode, carrierCode, currencyCode, isoDate, isoInstant, minor } from '../pss/wire';

export const wireDemand = z.object({
  carrier: carrierCode, origin: airportCode, destination: airportCode, departureDate: isoDate, cabin: cabinCode,
  dcp: z.number().int().min(0).max(400), kind: z.enum(['historical', 'current']), bookings: z.number().min(0),
  unconstrainedDemand: z.number().min(0).nullable(), asOf: isoInstant,
});
export type WireDemand = z.infer<typeof wireDemand>;

export function toDemand(w: WireDemand): DemandRecord {
  if (w.origin === w.destination) throw new RecordProblem('destination', `destination: the market ${w.origin}-${w.destination} has the same origin and destination`);
  return { ...w };
}

export const wireRoutePerformance = z.object({
  carrier: carrierCode, origin: airportCode, destination: airportCode, departureDate: isoDate, cabin: cabinCode,
  seats: z.number().int().min(0), passengers: z.number().int().min(0), loadFactor: z.number().min(0).max(2),
  revenue: amountText.nullable(), currency: currencyCode.nullable(), asOf: isoInstant,
});
export type WireRoutePerformance = z.infer<typeof wireRoutePerformance>;

export function toRoutePerformance(w: WireRoutePerformance): RoutePerformance {
  if ((w.revenue === null) !== (w.currency === null)) throw new RecordProblem('currency', 'currency: revenue and its currency come together');
  if (w.seats > 0 && Math.abs(w.passengers / w.seats - w.loadFactor) > 0.01) {
    throw new RecordProblem('loadFactor', `loadFactor: ${w.loadFactor} does not match ${w.passengers} passengers on ${w.seats} seats`);
  }
  return {
    carrier: w.carrier, origin: w.origin, destination: w.destination, departureDate: w.departureDate, cabin: w.cabin, seats: w.seats,
    passengers: w.passengers, loadFactor: w.loadFactor, revenueMinor: w.revenue === null ? null : minor(w.revenue, w.currency!, 'revenue'),
    currency: w.currency, asOf: w.asOf,
  };
}

export const demandStreamPage = z.object({ data: z.array(z.unknown()), nextCursor: z.string().min(1), hasMore: z.boolean(), asOf: isoInstant });
export const routePage = z.object({ data: z.array(z.unknown()), nextPageToken: z.string().nullable(), asOf: isoInstant });
export const marketAnswer = z.object({ data: z.array(z.unknown()), asOf: isoInstant });

/** A demand CSV row (already checked against its column spec) as a demand record. */
export function demandFromRow(r: RowOf<typeof PROS_DEMAND_FILE>): DemandRecord {
  return toDemand({
    carrier: r.carrier, origin: r.origin, destination: r.destination, departureDate: r.departure_date, cabin: r.cabin, dcp: r.dcp, kind: r.kind,
    bookings: r.bookings, unconstrainedDemand: r.unconstrained_demand, asOf: r.as_of,
  });
}

export function routePerformanceFromRow(r: RowOf<typeof PROS_ROUTE_PERFORMANCE_FILE>): RoutePerformance {
  return toRoutePerformance({
    carrier: r.carrier, origin: r.origin, destination: r.destination, departureDate: r.departure_date, cabin: r.cabin, seats: r.seats,
    passengers: r.passengers, loadFactor: r.load_factor, revenue: r.revenue, currency: r.currency, asOf: r.as_of,
  });
}
