/**
 * The shopping request: its zod schema (the API input schema) and the checks that need reference data
 * (known airports, today's date at the origin). Every problem is reported with the field it concerns.
 */
import { z } from 'zod';
import { CURRENCY_RE } from '../domain/money';
import { ISO_DATE_RE, dayNumber, utcToLocal } from '../domain/time';
import type { Airport } from '../domain/types';
import { ANCILLARY_CODES } from '../bundling/catalogue';

export const MAX_PASSENGERS = 9;
export const PAX_TYPES = ['ADT', 'CHD', 'INF'] as const;
export type PaxType = (typeof PAX_TYPES)[number];

const airportCode = z.string().regex(/^[A-Z]{3}$/, 'expected a three-letter IATA airport code, e.g. "FRA"');
const isoDate = z.string().regex(ISO_DATE_RE, 'expected a date YYYY-MM-DD').refine((d) => {
  try { dayNumber(d); return true; } catch { return false; }
}, 'not a calendar date');
const count = z.number().int('must be a whole number').min(0, 'cannot be negative').max(99);

export const PassengerCountsSchema = z.strictObject({
  ADT: count.default(0),
  CHD: count.default(0),
  INF: count.default(0),
});

export const ShoppingRequestSchema = z.strictObject({
  origin: airportCode,
  destination: airportCode,
  /** local date of departure at the origin */
  departureDate: isoDate,
  /** local date of the return at the destination; absent for a one-way trip */
  returnDate: isoDate.optional(),
  passengers: PassengerCountsSchema,
  cabin: z.string().regex(/^[A-Z]$/, 'expected a one-letter cabin code, e.g. "Y" or "J"').default('Y'),
  channel: z.string().min(1).max(32).default('direct'),
  /** ISO 3166 country of the point of sale */
  pointOfSale: z.string().regex(/^[A-Z]{2}$/, 'expected a two-letter ISO 3166 country code, e.g. "DE"'),
  /** the currency wanted; default: the fares' */
  currency: z.string().regex(CURRENCY_RE, 'expected an ISO 4217 currency code').optional(),
  /** optional extras for every seated passenger on every journey (those the brand includes are skipped) */
  ancillaries: z.array(z.enum(ANCILLARY_CODES)).max(ANCILLARY_CODES.length).default([]),
  maxOffers: z.number().int().min(1).max(500).optional(),
}).superRefine((r, ctx) => {
  const { ADT, CHD, INF } = r.passengers;
  const total = ADT + CHD + INF;
  if (total === 0) ctx.addIssue({ code: 'custom', path: ['passengers'], message: 'at least one passenger is needed' });
  if (total > MAX_PASSENGERS) ctx.addIssue({ code: 'custom', path: ['passengers'], message: `at most ${MAX_PASSENGERS} passengers per request, got ${total} (ADT ${ADT} + CHD ${CHD} + INF ${INF})` });
  if (INF > ADT) ctx.addIssue({ code: 'custom', path: ['passengers', 'INF'], message: `each infant travels on an adult's lap: ${INF} infant(s) but ${ADT} adult(s)` });
  if (total > 0 && ADT + CHD === 0) ctx.addIssue({ code: 'custom', path: ['passengers'], message: 'infants cannot travel without an adult' });
  if (r.origin === r.destination) ctx.addIssue({ code: 'custom', path: ['destination'], message: `destination ${r.destination} is the origin` });
  if (r.returnDate && ISO_DATE_RE.test(r.returnDate) && ISO_DATE_RE.test(r.departureDate) && r.returnDate < r.departureDate) {
    ctx.addIssue({ code: 'custom', path: ['returnDate'], message: `return date ${r.returnDate} is before the departure date ${r.departureDate}` });
  }
});

export type ShoppingRequestInput = z.input<typeof ShoppingRequestSchema>;
export type ShoppingRequest = z.output<typeof ShoppingRequestSchema>;

export interface RequestIssue {
  /** dotted path of the field, e.g. "passengers.INF" */
  field: string;
  message: string;
}

/** A bad shopping request: the API answers it as a validation error (400), listing each field. */
export class OfferRequestError extends Error {
  readonly code = 'bad_request' as const;
  readonly issues: RequestIssue[];
  constructor(issues: RequestIssue[]) {
    super(`invalid shopping request: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
    this.name = 'OfferRequestError';
    this.issues = issues;
  }
}

export interface RequestContext {
  airports: ReadonlyMap<string, Airport>;
  now: Date;
  /** the furthest departure date bookable, in days from today (default 361) */
  horizonDays?: number;
}

/** Parses and checks a request against the reference data; throws OfferRequestError naming each field. */
export function parseShoppingRequest(input: unknown, ctx: RequestContext): ShoppingRequest {
  const r = ShoppingRequestSchema.safeParse(input);
  if (!r.success) {
    throw new OfferRequestError(r.error.issues.map((i) => ({ field: i.path.join('.') || '(request)', message: i.message })));
  }
  const req = r.data;
  const issues: RequestIssue[] = [];
  const origin = ctx.airports.get(req.origin);
  if (!origin) issues.push({ field: 'origin', message: `unknown airport ${req.origin}: not in the airport reference data` });
  if (!ctx.airports.has(req.destination)) issues.push({ field: 'destination', message: `unknown airport ${req.destination}: not in the airport reference data` });
  if (origin) {
    const today = utcToLocal(ctx.now.toISOString(), origin.timeZone).date;
    const ahead = dayNumber(req.departureDate) - dayNumber(today);
    if (ahead < 0) issues.push({ field: 'departureDate', message: `${req.departureDate} is in the past (today at ${req.origin} is ${today})` });
    const horizon = ctx.horizonDays ?? 361;
    if (ahead > horizon) issues.push({ field: 'departureDate', message: `${req.departureDate} is beyond the ${horizon}-day booking horizon (today at ${req.origin} is ${today})` });
  }
  if (issues.length) throw new OfferRequestError(issues);
  return req;
}

export function seatedPassengers(req: Pick<ShoppingRequest, 'passengers'>): number {
  return req.passengers.ADT + req.passengers.CHD;
}
