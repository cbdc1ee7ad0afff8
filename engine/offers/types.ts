/**
 * The offer record: a priced, time-limited answer to a shopping request. Plain data, JSON-safe, stored as
 * is and returned by the API; its zod schema is the API output schema and guards what the store reads back.
 *
 * Money is integer minor units in the offer's currency. The items sum exactly to the total, and the
 * breakdown (fare + bundle + taxes + ancillaries) too.
 */
import { z } from 'zod';
import { ANCILLARY_CODES } from '../bundling/catalogue';
import { PAX_TYPES, ShoppingRequestSchema } from './request';

const minor = z.number().int();
const instant = z.iso.datetime();
const code = z.enum(ANCILLARY_CODES);

export const PriceComponentSchema = z.strictObject({ key: z.string(), label: z.string(), amountMinor: minor });

export const OfferSegmentSchema = z.strictObject({
  id: z.string(),
  flightId: z.string(),
  marketingCarrier: z.string(),
  marketingFlightNumber: z.number().int(),
  operatingCarrier: z.string(),
  operatingFlightNumber: z.number().int(),
  /** true when another carrier operates the flight ("operated by ...") */
  codeshare: z.boolean(),
  origin: z.string(),
  destination: z.string(),
  departureUtc: instant,
  arrivalUtc: instant,
  /** local wall times at the airports, for display */
  departureLocal: z.string(),
  arrivalLocal: z.string(),
  localDate: z.string(),
  cabin: z.string(),
  rbd: z.string(),
  aircraft: z.string().optional(),
});

export const OfferJourneySchema = z.strictObject({
  id: z.string(),
  direction: z.enum(['outbound', 'inbound']),
  origin: z.string(),
  destination: z.string(),
  segmentIds: z.array(z.string()).min(1),
  departureUtc: instant,
  arrivalUtc: instant,
  durationMinutes: z.number().int(),
  connections: z.array(z.strictObject({ airport: z.string(), minutes: z.number().int() })),
  rbd: z.string(),
  fareBasis: z.string(),
  /** one adult's brand price on this journey, explained: fare components then the brand's */
  adultPrice: z.strictObject({ amountMinor: minor, currency: z.string(), components: z.array(PriceComponentSchema) }),
  /** network bid-price check: the fare must exceed the sum of the legs' bid prices */
  bidPrice: z.strictObject({ fareMinor: minor, sumOfLegsMinor: minor }),
});

export const OfferItemSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(['fare', 'bundle', 'ancillary']),
  /** fare and bundle items come with the offer; ancillaries the shopper added can be dropped */
  mandatory: z.boolean(),
  paxType: z.enum(PAX_TYPES),
  paxCount: z.number().int().min(1),
  journeyId: z.string(),
  /** the services this item delivers (included in the brand, or the extra bought) */
  services: z.array(code),
  unitBaseMinor: minor,
  unitTaxes: z.array(z.strictObject({ code: z.string(), amountMinor: minor })),
  unitTotalMinor: minor,
  totalMinor: minor,
});

export const OfferSchema = z.strictObject({
  id: z.string().min(1),
  ownerCode: z.string(),
  createdAt: instant,
  /** after this the offer cannot be ordered */
  expiresAt: instant,
  /** until this the total is guaranteed; never after expiresAt */
  priceGuaranteedUntil: instant,
  request: ShoppingRequestSchema,
  brand: z.strictObject({ code: z.string(), name: z.string(), includes: z.array(code) }),
  currency: z.string(),
  journeys: z.array(OfferJourneySchema).min(1).max(2),
  segments: z.array(OfferSegmentSchema).min(1),
  items: z.array(OfferItemSchema).min(1),
  total: z.strictObject({ amountMinor: minor, currency: z.string() }),
  breakdown: z.strictObject({ fareMinor: minor, bundleMinor: minor, taxesMinor: minor, ancillariesMinor: minor }),
  /** totals per tax code */
  taxes: z.array(z.strictObject({ code: z.string(), name: z.string(), amountMinor: minor })),
  /** what can still be added à la carte, per passenger per journey */
  optionalServices: z.array(z.strictObject({ code, name: z.string(), journeyId: z.string(), unitPriceMinor: minor })),
  /** seats open in the offer's RBD on each leg when it was made */
  availability: z.array(z.strictObject({ flightId: z.string(), rbd: z.string(), seats: z.number().int() })),
});

export type PriceComponentRecord = z.infer<typeof PriceComponentSchema>;
export type OfferSegment = z.infer<typeof OfferSegmentSchema>;
export type OfferJourney = z.infer<typeof OfferJourneySchema>;
export type OfferItem = z.infer<typeof OfferItemSchema>;
export type Offer = z.infer<typeof OfferSchema>;
