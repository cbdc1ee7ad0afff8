/**
 * The network-planning system's records (connectors/specs/planning.openapi.json) besides the SSIM file:
 * codeshare agreements, airports and calendar events, checked at the boundary and normalised.
 */
import { z } from 'zod';
import type { Airport } from '../../engine/domain/types';
import type { CalendarEvent, CodeshareAgreement } from '../../engine/ports/schedule';
import { RecordProblem } from '../pss/sync-kit';
import { airportCode, carrierCode, countryCode, isoDate, toAirport } from '../pss/wire';

export const wireCodeshare = z.object({
  marketingCarrier: carrierCode, marketingFlightNumber: z.number().int().min(1).max(9999).nullable(),
  operatingCarrier: carrierCode, operatingFlightNumber: z.number().int().min(1).max(9999).nullable(),
  origin: airportCode.nullable(), destination: airportCode.nullable(), validFrom: isoDate, validTo: isoDate,
});
export function toCodeshare(w: z.infer<typeof wireCodeshare>): CodeshareAgreement {
  if (w.validFrom > w.validTo) throw new RecordProblem('validFrom', `validFrom: ${w.validFrom} is after validTo ${w.validTo}`);
  if ((w.origin === null) !== (w.destination === null)) throw new RecordProblem('destination', 'destination: a segment needs both its origin and destination, or neither');
  return { ...w, sourceRef: 'planning API /v1/codeshares' };
}

export const wirePlanningAirport = z.object({
  code: airportCode, name: z.string().min(1), timeZone: z.string().min(3), latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180), country: countryCode.nullable(),
});
export const toPlanningAirport = (w: z.infer<typeof wirePlanningAirport>): Airport => toAirport(w);

export const wireCalendarEvent = z.object({
  fromDate: isoDate, toDate: isoDate, name: z.string().min(1).max(200), kind: z.enum(['holiday', 'event', 'school_holiday']),
  country: countryCode.nullable(), airport: airportCode.nullable(),
});
export function toCalendarEvent(w: z.infer<typeof wireCalendarEvent>): CalendarEvent {
  if (w.fromDate > w.toDate) throw new RecordProblem('fromDate', `fromDate: ${w.fromDate} is after toDate ${w.toDate}`);
  return { ...w };
}

export const listPage = z.object({ data: z.array(z.unknown()), nextPageToken: z.string().nullable() });
