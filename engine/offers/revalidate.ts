/**
 * Re-validation at order time. An offer can be ordered as made only while its flights still operate, it
 * has not expired, its RBD still has seats for the party on every leg above the legs' bid prices, and
 * (once its price guarantee has run out) its price is unchanged. Otherwise the answer says which, why,
 * and carries a fresh offer where one exists: the same flights and brand repriced first, else the
 * cheapest offer of the same brand for the same request.
 */
import { seatsOpen } from './inventory';
import { buildOffer, convertOrThrow, priceItinerary, shopParsed, type OfferContext, type PricedJourney } from './assembler';
import { OfferRequestError, seatedPassengers } from './request';
import type { Itinerary } from './schedule';
import type { Offer } from './types';
import { formatMoney } from '../domain/money';

export type RevalidationStatus = 'valid' | 'flight_unavailable' | 'expired' | 'sold_out' | 'price_changed';

export interface RevalidationResult {
  status: RevalidationStatus;
  /** one sentence for the shopper or the agent */
  reason: string;
  offer: Offer;
  checkedAt: string;
  /** a new offer to order instead, where one exists */
  fresh?: Offer;
  /** true while the total is guaranteed */
  priceGuaranteed: boolean;
  missingFlights?: string[];
  soldOut?: { flightId: string; rbd: string; seats: number; needed: number }[];
  closedByBidPrice?: { journeyId: string; fareMinor: number; sumOfLegsMinor: number }[];
  priceChange?: { fromMinor: number; toMinor: number; currency: string };
}

/** The same flights and brand priced again now, or undefined when not sellable. */
export function repriceOffer(offer: Offer, ctx: OfferContext): Offer | undefined {
  const priced: PricedJourney[] = [];
  for (const j of offer.journeys) {
    const legs = j.segmentIds.map((sid) => ctx.schedule.byId.get(offer.segments.find((s) => s.id === sid)!.flightId));
    if (legs.some((l) => l === undefined)) return undefined;
    const itinerary: Itinerary = { legs: legs as NonNullable<(typeof legs)[number]>[], connections: j.connections };
    const p = priceItinerary(offer.request, itinerary, j.direction, ctx, offer.currency);
    if ('reason' in p || !p.brands.some((b) => b.code === offer.brand.code)) return undefined;
    priced.push(p);
  }
  return buildOffer(offer.request, priced, offer.brand.code, ctx);
}

function reshopSameBrand(offer: Offer, ctx: OfferContext): Offer | undefined {
  try {
    const r = shopParsed(offer.request, ctx);
    return r.offers.filter((o) => o.brand.code === offer.brand.code).sort((a, b) => a.total.amountMinor - b.total.amountMinor)[0];
  } catch (e) {
    if (e instanceof OfferRequestError) return undefined;
    throw e;
  }
}

export function revalidateOffer(offer: Offer, ctx: OfferContext): RevalidationResult {
  const now = ctx.clock.now();
  const checkedAt = now.toISOString();
  const guaranteed = now.getTime() <= Date.parse(offer.priceGuaranteedUntil);
  const base = { offer, checkedAt, priceGuaranteed: guaranteed };
  const fresh = () => repriceOffer(offer, ctx) ?? reshopSameBrand(offer, ctx);

  const missing = offer.segments.filter((s) => !ctx.schedule.byId.has(s.flightId)).map((s) => s.flightId);
  const departed = offer.segments.filter((s) => Date.parse(s.departureUtc) <= now.getTime() + ctx.settings.salesCutoffMinutes * 60_000).map((s) => s.flightId);
  if (missing.length || departed.length) {
    const ids = [...missing, ...departed];
    return {
      ...base, status: 'flight_unavailable', priceGuaranteed: false, missingFlights: ids,
      reason: `${ids.join(', ')} ${missing.length ? 'no longer operates' : 'has closed for sale'}; choose another flight`, fresh: reshopSameBrand(offer, ctx),
    };
  }
  if (now.getTime() > Date.parse(offer.expiresAt)) {
    const f = fresh();
    const change = f && f.total.amountMinor !== offer.total.amountMinor ? { fromMinor: offer.total.amountMinor, toMinor: f.total.amountMinor, currency: offer.currency } : undefined;
    return {
      ...base, status: 'expired', priceGuaranteed: false, fresh: f, ...(change ? { priceChange: change } : {}),
      reason: `offer ${offer.id} expired at ${offer.expiresAt}${f ? (change ? '; a fresh offer at a new price is attached' : '; a fresh offer at the same price is attached') : '; nothing comparable is on sale now'}`,
    };
  }
  const needed = seatedPassengers(offer.request);
  const soldOut = offer.segments.map((s) => ({ flightId: s.flightId, rbd: s.rbd, seats: seatsOpen(ctx.inventory, s.flightId, s.rbd), needed })).filter((x) => x.seats < needed);
  const closedByBidPrice = offer.journeys.map((j) => {
    let sum = 0;
    for (const sid of j.segmentIds) {
      const seg = offer.segments.find((s) => s.id === sid)!;
      const bid = ctx.inventory.legs.get(seg.flightId)?.bidPrice;
      if (bid) sum += convertOrThrow(ctx, bid.amountMinor, bid.currency, offer.currency, `the bid price of ${seg.flightId}`);
    }
    return { journeyId: j.id, fareMinor: j.bidPrice.fareMinor, sumOfLegsMinor: sum };
  }).filter((x) => !(x.fareMinor > x.sumOfLegsMinor));
  if (soldOut.length || closedByBidPrice.length) {
    const what = soldOut.length
      ? soldOut.map((x) => `${x.flightId} class ${x.rbd} has ${x.seats} seat(s), ${x.needed} needed`).join('; ')
      : closedByBidPrice.map((x) => `${x.journeyId} fare ${formatMoney({ amountMinor: x.fareMinor, currency: offer.currency })} no longer exceeds the legs' bid prices (${formatMoney({ amountMinor: Math.round(x.sumOfLegsMinor), currency: offer.currency })})`).join('; ');
    const f = fresh();
    return {
      ...base, status: 'sold_out', priceGuaranteed: false, fresh: f,
      ...(soldOut.length ? { soldOut } : {}), ...(closedByBidPrice.length ? { closedByBidPrice } : {}),
      reason: `the offer's class is no longer available: ${what}${f ? '; a fresh offer is attached' : '; nothing comparable is on sale now'}`,
    };
  }
  if (!guaranteed) {
    const f = repriceOffer(offer, ctx);
    if (!f) return { ...base, status: 'sold_out', fresh: reshopSameBrand(offer, ctx), reason: 'the offer can no longer be priced on its flights' };
    if (f.total.amountMinor !== offer.total.amountMinor) {
      return {
        ...base, status: 'price_changed', fresh: f, priceChange: { fromMinor: offer.total.amountMinor, toMinor: f.total.amountMinor, currency: offer.currency },
        reason: `the price guarantee ended at ${offer.priceGuaranteedUntil} and the total is now ${formatMoney(f.total)} instead of ${formatMoney(offer.total)}`,
      };
    }
  }
  return { ...base, status: 'valid', reason: guaranteed ? `valid; the price is guaranteed until ${offer.priceGuaranteedUntil}` : 'valid at an unchanged price' };
}
