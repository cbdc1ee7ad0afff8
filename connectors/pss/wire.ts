/**
 * The PSS interface's records as they travel (connectors/specs/pss.openapi.json), checked with zod at the
 * boundary, and their normalisation into domain types: money from decimal strings to integer minor
 * units with its currency, nulls to absent optionals, names to the domain's.
 */
import { z } from 'zod';
import type { Airport, Booking, Carrier, Fare, FlightLeg, InventoryRecord, RbdDefinition } from '../../engine/domain/types';
import type { InventoryControl, PushBatchResult } from '../../engine/ports/pss';
import { formatAmount, parseAmount } from '../specs/decimal';
import { RecordProblem } from './sync-kit';

const re = (pattern: RegExp, what: string) => z.string().regex(pattern, `expected ${what}`);
export const carrierCode = re(/^[A-Z0-9]{2,3}$/, 'a 2-3 character carrier code');
export const airportCode = re(/^[A-Z]{3}$/, 'a 3-letter IATA airport code');
export const rbdCode = re(/^[A-Z0-9]{1,2}$/, 'a 1-2 character RBD');
export const cabinCode = re(/^[A-Z]{1,2}$/, 'a cabin code');
export const currencyCode = re(/^[A-Z]{3}$/, 'an ISO 4217 currency');
export const countryCode = re(/^[A-Z]{2}$/, 'an ISO 3166 country code');
export const isoDate = re(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
export const isoInstant = re(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/, 'a UTC instant (ISO-8601, Z)');
export const amountText = re(/^\d{1,13}(\.\d{1,3})?$/, 'a decimal amount');
export const flightIdText = re(/^[A-Z0-9]{2,3}\d{1,4}\/\d{4}-\d{2}-\d{2}\/[A-Z]{3}$/, 'a flight id like DF12/2026-04-01/FRA');

/** Minor units from a wire amount, or a RecordProblem naming the field. */
export function minor(text: string, currency: string, field: string): number {
  try {
    return parseAmount(text, currency);
  } catch (e) {
    throw new RecordProblem(field, `${field}: ${(e as Error).message}`);
  }
}

/** A UTC instant as the store keeps it (milliseconds, Z). */
export function instant(text: string): string {
  return new Date(text).toISOString();
}

export const wireCarrier = z.object({ code: carrierCode, name: z.string().min(1), own: z.boolean() });
export const toCarrier = (w: z.infer<typeof wireCarrier>): Carrier => ({ code: w.code, name: w.name, own: w.own });

export const wireAirport = z.object({
  code: airportCode, name: z.string().min(1), timeZone: z.string().min(3), latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180), country: countryCode.nullish(),
});
export function toAirport(w: z.infer<typeof wireAirport>): Airport {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: w.timeZone });
  } catch {
    throw new RecordProblem('timeZone', `timeZone: "${w.timeZone}" is not an IANA time zone`);
  }
  return { code: w.code, name: w.name, timeZone: w.timeZone, lat: w.latitude, lon: w.longitude, ...(w.country ? { country: w.country } : {}) };
}

export const wireRbd = z.object({ carrier: carrierCode, rbd: rbdCode, cabin: cabinCode, rank: z.number().int().min(0), brand: z.string().nullish() });
export const toRbd = (w: z.infer<typeof wireRbd>): RbdDefinition => ({ carrier: w.carrier, rbd: w.rbd, cabin: w.cabin, rank: w.rank, ...(w.brand ? { name: w.brand } : {}) });

export const wireFlight = z.object({
  flightId: flightIdText, carrier: carrierCode, flightNumber: z.number().int().min(1).max(9999), origin: airportCode, destination: airportCode,
  departureDate: isoDate, departureUtc: isoInstant, arrivalUtc: isoInstant, aircraft: z.string().nullable(),
  operatingCarrier: carrierCode.nullable(), operatingFlightNumber: z.number().int().min(1).max(9999).nullable(),
  cabins: z.array(z.object({ cabin: cabinCode, capacity: z.number().int().min(0) })).min(1),
});
export function toFlight(w: z.infer<typeof wireFlight>): FlightLeg {
  const expected = `${w.carrier}${w.flightNumber}/${w.departureDate}/${w.origin}`;
  if (w.flightId !== expected) throw new RecordProblem('flightId', `flightId: "${w.flightId}" does not match carrier, number, date and origin (${expected})`);
  if (w.arrivalUtc <= w.departureUtc) throw new RecordProblem('arrivalUtc', `arrivalUtc: ${w.arrivalUtc} is not after departureUtc ${w.departureUtc}`);
  return {
    id: w.flightId, carrier: w.carrier, flightNumber: w.flightNumber, origin: w.origin, destination: w.destination, localDate: w.departureDate,
    departureUtc: instant(w.departureUtc), arrivalUtc: instant(w.arrivalUtc), cabins: w.cabins,
    ...(w.aircraft ? { aircraft: w.aircraft } : {}),
    ...(w.operatingCarrier ? { operatingCarrier: w.operatingCarrier } : {}),
    ...(w.operatingFlightNumber ? { operatingFlightNumber: w.operatingFlightNumber } : {}),
  };
}

export const wireInventory = z.object({
  flightId: flightIdText, rbd: rbdCode, cabin: cabinCode, sold: z.number().int().min(0), authorised: z.number().int().min(0),
  status: z.enum(['open', 'closed']), bidPrice: amountText.nullable(), currency: currencyCode.nullable(),
});
export function toInventory(w: z.infer<typeof wireInventory>): InventoryRecord {
  if ((w.bidPrice === null) !== (w.currency === null)) throw new RecordProblem('currency', 'currency: a bid price and its currency come together');
  return {
    flightId: w.flightId, rbd: w.rbd, cabin: w.cabin, sold: w.sold, authorised: w.authorised, status: w.status,
    ...(w.bidPrice !== null ? { bidPriceMinor: minor(w.bidPrice, w.currency!, 'bidPrice'), currency: w.currency! } : {}),
  };
}

export const wireFare = z.object({
  carrier: carrierCode, origin: airportCode, destination: airportCode, rbd: rbdCode, cabin: cabinCode, fareBasis: re(/^[A-Z0-9]{1,15}$/, 'a fare basis'),
  pointOfSale: countryCode, amount: amountText, currency: currencyCode, validFrom: isoDate, validTo: isoDate, flightId: flightIdText.nullable(),
});
export function toFare(w: z.infer<typeof wireFare>): Fare {
  if (w.validFrom > w.validTo) throw new RecordProblem('validFrom', `validFrom: ${w.validFrom} is after validTo ${w.validTo}`);
  return {
    carrier: w.carrier, origin: w.origin, destination: w.destination, rbd: w.rbd, cabin: w.cabin, fareBasis: w.fareBasis, pointOfSale: w.pointOfSale,
    currency: w.currency, amountMinor: minor(w.amount, w.currency, 'amount'), validFrom: w.validFrom, validTo: w.validTo,
    ...(w.flightId ? { flightId: w.flightId } : {}),
  };
}

/** A fare as the push endpoint takes it. */
export function fareToWire(f: Fare) {
  return {
    carrier: f.carrier, origin: f.origin, destination: f.destination, rbd: f.rbd, cabin: f.cabin, fareBasis: f.fareBasis, pointOfSale: f.pointOfSale,
    amount: formatAmount(f.amountMinor, f.currency), currency: f.currency, validFrom: f.validFrom, validTo: f.validTo, flightId: f.flightId ?? null,
  };
}

export function controlToWire(c: InventoryControl) {
  const bid = c.bidPriceMinor !== null && c.currency !== null;
  return {
    flightId: c.flightId, rbd: c.rbd, cabin: c.cabin, authorised: c.authorised, status: c.status,
    bidPrice: bid ? formatAmount(c.bidPriceMinor!, c.currency!) : null, currency: bid ? c.currency : null,
  };
}

export const wireBookingEvent = z.object({
  sequence: z.number().int().min(1),
  event: z.enum(['booked', 'cancelled', 'ancillary', 'flown', 'no_show', 'denied_boarding']),
  occurredAt: isoInstant,
  bookingId: z.string().min(1).max(64),
  recordLocator: re(/^[A-Z0-9]{6}$/, 'a 6-character record locator'),
  flightId: flightIdText,
  rbd: rbdCode,
  cabin: cabinCode,
  fareBasis: z.string().nullable(),
  journeyOrigin: airportCode,
  journeyDestination: airportCode,
  pointOfSale: countryCode,
  channel: z.string().min(1),
  passengers: z.number().int().min(1),
  amount: amountText,
  currency: currencyCode,
  bookedAt: isoInstant,
  status: z.enum(['booked', 'cancelled', 'flown', 'no_show', 'denied_boarding']),
  statusAt: isoInstant.nullable(),
  ancillaries: z.array(z.object({ code: re(/^[A-Z0-9_]{2,16}$/, 'an ancillary code'), amount: amountText, currency: currencyCode })),
});
export function toBooking(w: z.infer<typeof wireBookingEvent>): Booking {
  return {
    id: w.bookingId, recordLocator: w.recordLocator, flightId: w.flightId, rbd: w.rbd, cabin: w.cabin,
    ...(w.fareBasis ? { fareBasis: w.fareBasis } : {}),
    journeyOrigin: w.journeyOrigin, journeyDestination: w.journeyDestination, pointOfSale: w.pointOfSale, channel: w.channel,
    passengers: w.passengers, amountMinor: minor(w.amount, w.currency, 'amount'), currency: w.currency, bookedAt: w.bookedAt, status: w.status,
    ...(w.statusAt ? { statusAt: w.statusAt } : {}),
    ancillaries: w.ancillaries.map((a, i) => ({ code: a.code, currency: a.currency, amountMinor: minor(a.amount, a.currency, `ancillaries.${i}.amount`) })),
  };
}

export const listPage = z.object({ data: z.array(z.unknown()), nextPageToken: z.string().nullable() });
export const streamPage = z.object({ data: z.array(z.unknown()), nextCursor: z.string().min(1), hasMore: z.boolean() });

export const batchResult = z.object({
  idempotencyKey: z.string(),
  replayed: z.boolean(),
  receivedAt: isoInstant,
  items: z.array(z.discriminatedUnion('status', [
    z.object({ itemId: z.string(), status: z.literal('accepted'), reference: z.string().min(1) }),
    z.object({ itemId: z.string(), status: z.literal('rejected'), code: z.string(), reason: z.string() }),
  ])),
}) satisfies z.ZodType<PushBatchResult>;

export const orderAnswer = z.object({
  orderId: z.string(), recordLocator: z.string(), createdAt: isoInstant, bookingIds: z.array(z.string()), total: amountText, currency: currencyCode,
});
