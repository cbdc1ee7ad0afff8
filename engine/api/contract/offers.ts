/**
 * Offers and bundles: shop (request → priced, time-limited offers with their breakdown and explanation),
 * read, re-validate and order offers (the order is booked at the PSS), the NDC 21.3 JSON of a shopping
 * answer; the ancillary catalogue, brand prices per market with expected revenue, and the attach-rate and
 * WTP estimates behind them.
 *
 * Access: everything reads for any signed-in role (shopping and re-validating store offers, which changes
 * no price and books nothing); ordering books seats at the PSS, so it takes a revenue manager or an admin.
 */
import { z } from 'zod';
import { method } from './define';
import { iataAirport, isoDate } from './common';
import { ShoppingRequestSchema } from '../../offers/request';
import { ANCILLARY_CODES } from '../../bundling/catalogue';
import type { ContextInfo, OrderAnswer, RevalidateAnswer, ShopAnswer } from '../../offers/service';
import type { OfferSummary, StoredOffer } from '../../offers/store';
import type { BundlingSettings, EstimatesView, MarketBrands } from '../../bundling/service';

export type { ContextInfo, OrderAnswer, RevalidateAnswer, ShopAnswer, OfferSummary, StoredOffer, EstimatesView, MarketBrands };
export type { Offer, OfferItem, OfferJourney, OfferSegment, PriceComponentRecord } from '../../offers/types';
export type { ShoppingRequest, ShoppingRequestInput } from '../../offers/request';
export type { PssOrderRef, OrderStatus, RevalidationDetails } from '../../offers/service';
export type { BrandPrice } from '../../bundling/branded-fares';
export type { ItemEstimate, SegmentStat } from '../../bundling/estimation';

const ORDER_ROLES = ['revenue_manager', 'admin'] as const;
const offerId = z.string().min(1).max(100);

export type BundlesCatalogue = BundlingSettings;

export const offersContract = {
  'offers.shop': method<ShopAnswer>()({
    description: 'Shops a request (origin, destination, dates, passengers by type, cabin, channel, point of sale, extras): offers with breakdown and explanation, stored under a shopping response id.',
    access: 'read',
    writes: ['offers'],
    input: ShoppingRequestSchema,
  }),
  'offers.get': method<StoredOffer>()({
    description: 'One stored offer with its status (offered, ordered, expired, replaced), order reference or replacement.',
    access: 'read',
    input: z.strictObject({ offerId }),
  }),
  'offers.revalidate': method<RevalidateAnswer>()({
    description: 'Checks an offer now: valid, expired, price changed, sold out or flight unavailable, with the reason and a fresh offer where one exists.',
    access: 'read',
    writes: ['offers'],
    input: z.strictObject({ offerId }),
  }),
  'offers.order': method<OrderAnswer>()({
    description: 'Orders an offer: re-validates it, then books it at the PSS; answers the PSS order reference, or the reason it was refused and a fresh offer where one exists.',
    access: ORDER_ROLES,
    writes: ['offers'],
    input: z.strictObject({ offerId }),
  }),
  'offers.list': method<{ rows: OfferSummary[] }>()({
    description: 'Stored offers, newest first, filtered by market, departure date and status.',
    access: 'read',
    input: z.strictObject({
      origin: iataAirport.optional(),
      destination: iataAirport.optional(),
      departureDate: isoDate.optional(),
      status: z.enum(['offered', 'ordered', 'expired', 'replaced']).optional(),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
  }),
  'offers.ndc': method<{ document: Record<string, unknown> }>()({
    description: 'The offers of one shopping answer as an IATA NDC 21.3 AirShoppingRS (JSON).',
    access: 'read',
    input: z.strictObject({ shoppingResponseId: z.string().min(1).max(100) }),
  }),
  'bundles.catalogue': method<BundlesCatalogue>()({
    description: 'The ancillary catalogue (items, à-la-carte price rules), dynamic price rules, brands, brand rules and price grid in force, and where each comes from.',
    access: 'read',
    input: z.strictObject({}),
  }),
  'bundles.brands': method<{ rows: MarketBrands[]; total: number }>()({
    description: 'Per market: brand prices, their parts, expected revenue (shares, cannibalised à-la-carte sales) and the explanation of each price.',
    access: 'read',
    input: z.strictObject({
      origin: iataAirport.optional(),
      destination: iataAirport.optional(),
      cabin: z.string().regex(/^[A-Z]$/, 'expected a one-letter cabin code, e.g. "Y"').default('Y'),
      pointOfSale: z.string().regex(/^[A-Z]{2}$/, 'expected a two-letter ISO 3166 country code').optional(),
      channel: z.string().min(1).max(32).optional(),
      currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code').optional(),
      fareMinor: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(200).default(50),
      offset: z.number().int().min(0).default(0),
    }),
  }),
  'bundles.estimates': method<EstimatesView>()({
    description: 'Attach rates (raw with a 95 % interval, shrunk with its standard error) and willingness to pay (mean, scale, standard error, source) per segment and item, from the booking history.',
    access: 'read',
    input: z.strictObject({
      currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code').optional(),
      segment: z.string().min(1).max(100).optional(),
      code: z.enum(ANCILLARY_CODES).optional(),
    }),
  }),
};
