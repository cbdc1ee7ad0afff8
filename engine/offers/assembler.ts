/**
 * The offer assembler: a shopping request → priced, time-limited offers.
 *
 * For each direction: the itineraries the schedule allows; for each, the fares of the pricing engine; the
 * cheapest fare whose RBD has seats for the party on every leg (nested availability) and that exceeds the
 * sum of the legs' bid prices (network bid-price control); the brands of the bundling engine for the
 * market, each a step over that fare. An offer is one brand on one outbound (and inbound) journey, with
 * an item per passenger type for the fare and taxes, one for the brand's bundle (mandatory: it comes
 * with the brand) and one per extra the shopper asked for (optional). Items sum exactly to the total.
 */
import type { CurrencyCode } from '../domain/money';
import type { Clock } from '../domain/time';
import type { Airport, FlightLeg } from '../domain/types';
import { ANCILLARY_CODES, DEFAULT_DEFINITIONS, type AncillaryCode } from '../bundling/catalogue';
import { assertExplains, type PriceComponent } from '../bundling/explanation';
import { seatsOpen, type InventoryIndex } from './inventory';
import { parseShoppingRequest, seatedPassengers, PAX_TYPES, type PaxType, type ShoppingRequest } from './request';
import { DEFAULT_ITINERARY_SETTINGS, findItineraries, legLocalTimes, type Itinerary, type ItinerarySettings, type ScheduleIndex } from './schedule';
import type { AncillaryPricer, BrandOffer, BrandSource, FareQuote, JourneyPricer } from './sources';
import { journeyTaxes, type CurrencyConverter, type TaxLine, type TaxRule } from './taxes';
import type { Offer, OfferItem, OfferJourney, OfferSegment } from './types';

export interface OfferSettings extends ItinerarySettings {
  /** the offer can be ordered for this long */
  offerTtlMinutes: number;
  /** its total is guaranteed for this long (at most the TTL) */
  priceGuaranteeMinutes: number;
  /** child and infant fares as fractions of the adult fare */
  paxFareFactors: { CHD: number; INF: number };
  maxOffers: number;
  /** for round trips, the cheapest journeys kept per direction before pairing */
  maxJourneysPerDirection: number;
  /** items that make others redundant (SEAT_XL covers SEAT_STD) */
  covers: Partial<Record<AncillaryCode, AncillaryCode[]>>;
  /** the booking horizon, days */
  horizonDays: number;
}

export const DEFAULT_OFFER_SETTINGS: OfferSettings = {
  ...DEFAULT_ITINERARY_SETTINGS,
  offerTtlMinutes: 30,
  priceGuaranteeMinutes: 30,
  paxFareFactors: { CHD: 0.75, INF: 0.1 },
  maxOffers: 60,
  maxJourneysPerDirection: 12,
  covers: Object.fromEntries(DEFAULT_DEFINITIONS.filter((d) => d.covers.length).map((d) => [d.code, d.covers])),
  horizonDays: 361,
};

export interface OfferContext {
  ownerCode: string;
  airports: ReadonlyMap<string, Airport>;
  schedule: ScheduleIndex;
  inventory: InventoryIndex;
  priceJourney: JourneyPricer;
  brands: BrandSource;
  ancillaries?: AncillaryPricer;
  taxes: readonly TaxRule[];
  /** dated exchange rates, when fares, taxes or bid prices come in another currency */
  convert?: CurrencyConverter;
  clock: Clock;
  newId: () => string;
  settings: OfferSettings;
}

export type RejectionReason = 'no_fare' | 'sold_out' | 'below_bid_price' | 'currency';

export interface DirectionDiagnostics {
  itineraries: number;
  priced: number;
  rejected: { flightIds: string[]; reason: RejectionReason; detail: string }[];
}

export interface ShoppingResult {
  request: ShoppingRequest;
  offers: Offer[];
  diagnostics: { outbound: DirectionDiagnostics; inbound?: DirectionDiagnostics; notes: string[] };
}

/** One journey priced: the fare chosen and what the offers on it need. */
export interface PricedJourney {
  direction: 'outbound' | 'inbound';
  itinerary: Itinerary;
  quote: FareQuote & { components: PriceComponent[] };
  currency: CurrencyCode;
  sumOfBidPricesMinor: number;
  seats: { flightId: string; rbd: string; seats: number }[];
  brands: readonly BrandOffer[];
  /** per passenger type: fare and taxes for one passenger */
  paxFares: Map<PaxType, { fareMinor: number; taxes: TaxLine[] }>;
  /** à-la-carte prices per passenger for this journey */
  alaCarte: Map<AncillaryCode, { name: string; priceMinor: number }>;
  /** the journey's flights as offer segments (ids are given per offer) */
  segments: Omit<OfferSegment, 'id'>[];
  departureUtc: string;
  arrivalUtc: string;
}

function segmentsOf(legs: readonly FlightLeg[], cabin: string, rbd: string, ctx: OfferContext): Omit<OfferSegment, 'id'>[] {
  return legs.map((leg) => {
    const local = legLocalTimes(ctx.schedule, leg, ctx.airports);
    return {
      flightId: leg.id, marketingCarrier: leg.carrier, marketingFlightNumber: leg.flightNumber,
      operatingCarrier: leg.operatingCarrier ?? leg.carrier, operatingFlightNumber: leg.operatingFlightNumber ?? leg.flightNumber,
      codeshare: (leg.operatingCarrier ?? leg.carrier) !== leg.carrier,
      origin: leg.origin, destination: leg.destination, departureUtc: new Date(leg.departureUtc).toISOString(), arrivalUtc: new Date(leg.arrivalUtc).toISOString(),
      departureLocal: local.departure, arrivalLocal: local.arrival, localDate: leg.localDate, cabin, rbd, ...(leg.aircraft ? { aircraft: leg.aircraft } : {}),
    };
  });
}

/** Converts with the context's dated rates; an error naming what when none is given. */
export function convertOrThrow(ctx: OfferContext, amountMinor: number, from: CurrencyCode, to: CurrencyCode, what: string): number {
  if (from === to) return amountMinor;
  if (!ctx.convert) throw new Error(`${what} is in ${from} and the offer in ${to}: give the assembler a dated currency converter`);
  return Math.round(ctx.convert(amountMinor, from, to));
}

/**
 * Prices one itinerary: the cheapest open fare, its brands, taxes and à-la-carte prices. Returns the
 * rejection when no fare is open.
 */
export function priceItinerary(
  req: ShoppingRequest, itinerary: Itinerary, direction: 'outbound' | 'inbound', ctx: OfferContext, currency: CurrencyCode | undefined,
): PricedJourney | { reason: RejectionReason; detail: string } {
  const legs = itinerary.legs;
  const origin = legs[0]!.origin;
  const destination = legs[legs.length - 1]!.destination;
  const at = ctx.clock.now().toISOString();
  const quotes = ctx.priceJourney({
    origin, destination, departureDate: legs[0]!.localDate, cabin: req.cabin, pointOfSale: req.pointOfSale, channel: req.channel,
    currency: currency ?? req.currency, legs, at,
  });
  if (quotes.length === 0) return { reason: 'no_fare', detail: `no fare for ${origin}-${destination} in cabin ${req.cabin} sold in ${req.pointOfSale}` };
  const cur = currency ?? req.currency ?? quotes[0]!.currency;
  const seated = seatedPassengers(req);
  let sumBid = 0;
  for (const leg of legs) {
    const bid = ctx.inventory.legs.get(leg.id)?.bidPrice;
    if (bid) sumBid += convertOrThrow(ctx, bid.amountMinor, bid.currency, cur, `the bid price of ${leg.id}`);
  }
  const candidates: (FareQuote & { fare: number })[] = [];
  for (const q of quotes) {
    if (q.currency !== cur && !ctx.convert) continue;
    candidates.push({ ...q, fare: convertOrThrow(ctx, q.amountMinor, q.currency, cur, `fare ${q.fareBasis}`) });
  }
  if (candidates.length === 0) return { reason: 'currency', detail: `fares only in ${[...new Set(quotes.map((q) => q.currency))].join(', ')}, none in ${cur}` };
  candidates.sort((a, b) => a.fare - b.fare || a.rbd.localeCompare(b.rbd));
  let belowBid = 0;
  for (const q of candidates) {
    const seats = legs.map((l) => ({ flightId: l.id, rbd: q.rbd, seats: seatsOpen(ctx.inventory, l.id, q.rbd) }));
    if (seats.some((s) => s.seats < seated)) continue;
    if (!(q.fare > sumBid)) { belowBid++; continue; }
    const components = q.currency === cur && q.components ? q.components : [{ key: 'fare', label: `Fare ${q.fareBasis}${q.currency !== cur ? ` converted from ${q.amountMinor} ${q.currency}` : ''}`, amountMinor: q.fare }];
    assertExplains({ amountMinor: q.fare, currency: cur, components }, `the pricing engine's fare ${q.fareBasis} for ${origin}-${destination}`);
    const brands = ctx.brands({ origin, destination, cabin: req.cabin, currency: cur, channel: req.channel, segmentsPerJourney: legs.length, fareMinor: q.fare }).map((b) => {
      if (b.currency === cur) return b;
      const uplift = convertOrThrow(ctx, b.upliftMinor, b.currency, cur, `brand ${b.code}`);
      return { ...b, currency: cur, upliftMinor: uplift, components: [{ key: 'brand_step', label: `${b.name} step converted from ${b.upliftMinor} ${b.currency}`, amountMinor: uplift }] };
    });
    for (const b of brands) assertExplains({ amountMinor: b.upliftMinor, currency: cur, components: b.components }, `brand ${b.code} step for ${origin}-${destination}`);
    const paxFares = new Map<PaxType, { fareMinor: number; taxes: TaxLine[] }>();
    for (const t of PAX_TYPES) {
      if (req.passengers[t] === 0) continue;
      const fareMinor = t === 'ADT' ? q.fare : Math.round(q.fare * ctx.settings.paxFareFactors[t]);
      paxFares.set(t, { fareMinor, taxes: journeyTaxes(ctx.taxes, legs, t, fareMinor, cur, ctx.airports, ctx.convert) });
    }
    const alaCarte = new Map<AncillaryCode, { name: string; priceMinor: number }>();
    if (ctx.ancillaries) {
      const soldInCabin = (flightId: string) => ctx.inventory.legs.get(flightId)?.soldByCabin.get(req.cabin);
      for (const code of ANCILLARY_CODES) {
        const a = ctx.ancillaries({ code, origin, destination, cabin: req.cabin, currency: cur, legs, soldInCabin, at });
        if (a) alaCarte.set(code, { name: a.name, priceMinor: convertOrThrow(ctx, a.journeyPriceMinor, a.currency, cur, `ancillary ${code}`) });
      }
    }
    const segments = segmentsOf(legs, req.cabin, q.rbd, ctx);
    return {
      direction, itinerary, quote: { ...q, amountMinor: q.fare, currency: cur, components }, currency: cur, sumOfBidPricesMinor: sumBid, seats, brands, paxFares, alaCarte,
      segments, departureUtc: segments[0]!.departureUtc, arrivalUtc: segments[segments.length - 1]!.arrivalUtc,
    };
  }
  return belowBid > 0
    ? { reason: 'below_bid_price', detail: `every fare with seats is at or below the legs' bid prices (sum ${sumBid} ${cur})` }
    : { reason: 'sold_out', detail: `no RBD has ${seated} seat(s) open on every leg` };
}

function priceDirection(req: ShoppingRequest, direction: 'outbound' | 'inbound', ctx: OfferContext, currency: CurrencyCode | undefined): { journeys: PricedJourney[]; diag: DirectionDiagnostics } {
  const [origin, destination, localDate] = direction === 'outbound' ? [req.origin, req.destination, req.departureDate] : [req.destination, req.origin, req.returnDate!];
  const its = findItineraries(ctx.schedule, { origin, destination, localDate, cabin: req.cabin, nowMs: ctx.clock.now().getTime() }, ctx.settings);
  const diag: DirectionDiagnostics = { itineraries: its.length, priced: 0, rejected: [] };
  const journeys: PricedJourney[] = [];
  let cur = currency;
  for (const it of its) {
    const p = priceItinerary(req, it, direction, ctx, cur);
    if ('reason' in p) { diag.rejected.push({ flightIds: it.legs.map((l) => l.id), reason: p.reason, detail: p.detail }); continue; }
    cur = p.currency;
    journeys.push(p);
  }
  diag.priced = journeys.length;
  return { journeys, diag };
}

function effectiveIncludes(includes: readonly AncillaryCode[], covers: OfferSettings['covers']): Set<AncillaryCode> {
  const s = new Set<AncillaryCode>(includes);
  for (const i of includes) for (const c of covers[i] ?? []) s.add(c);
  return s;
}


/** Builds one offer from priced journeys (outbound, then inbound) and a brand code they all carry. */
export function buildOffer(req: ShoppingRequest, journeys: readonly PricedJourney[], brandCode: string, ctx: OfferContext): Offer {
  const now = ctx.clock.now();
  const id = ctx.newId();
  const currency = journeys[0]!.currency;
  const segments: OfferSegment[] = [];
  const offerJourneys: OfferJourney[] = [];
  const items: OfferItem[] = [];
  const optionalServices: Offer['optionalServices'] = [];
  const taxTotals = new Map<string, { name: string; amountMinor: number }>();
  let brandName = '';
  let brandIncludes: AncillaryCode[] = [];
  let fareT = 0; let bundleT = 0; let taxT = 0; let ancT = 0;
  const addItem = (item: Omit<OfferItem, 'id'>) => items.push({ id: `${id}-${items.length + 1}`, ...item });

  journeys.forEach((pj, ji) => {
    const brand = pj.brands.find((b) => b.code === brandCode);
    if (!brand) throw new Error(`brand ${brandCode} is not offered on ${pj.itinerary.legs.map((l) => l.id).join(' + ')}`);
    brandName = brand.name; brandIncludes = [...brand.includes];
    const journeyId = `PJ${ji + 1}`;
    const segIds = pj.segments.map((seg) => {
      const sid = `SEG${segments.length + 1}`;
      segments.push({ id: sid, ...seg });
      return sid;
    });
    const adultComponents = [...pj.quote.components, ...brand.components];
    const adultPrice = { amountMinor: pj.quote.amountMinor + brand.upliftMinor, currency, components: adultComponents };
    assertExplains(adultPrice, `offer ${id} ${journeyId}`);
    offerJourneys.push({
      id: journeyId, direction: pj.direction, origin: pj.segments[0]!.origin, destination: pj.segments[pj.segments.length - 1]!.destination, segmentIds: segIds,
      departureUtc: pj.departureUtc, arrivalUtc: pj.arrivalUtc, durationMinutes: Math.round((Date.parse(pj.arrivalUtc) - Date.parse(pj.departureUtc)) / 60_000),
      connections: pj.itinerary.connections, rbd: pj.quote.rbd, fareBasis: pj.quote.fareBasis, adultPrice,
      bidPrice: { fareMinor: pj.quote.amountMinor, sumOfLegsMinor: pj.sumOfBidPricesMinor },
    });
    const included = effectiveIncludes(brand.includes, ctx.settings.covers);
    for (const [t, pf] of pj.paxFares) {
      const n = req.passengers[t];
      const unitTax = pf.taxes.reduce((s, x) => s + x.amountMinor, 0);
      addItem({ kind: 'fare', mandatory: true, paxType: t, paxCount: n, journeyId, services: [], unitBaseMinor: pf.fareMinor, unitTaxes: pf.taxes.map((x) => ({ code: x.code, amountMinor: x.amountMinor })), unitTotalMinor: pf.fareMinor + unitTax, totalMinor: (pf.fareMinor + unitTax) * n });
      fareT += pf.fareMinor * n; taxT += unitTax * n;
      for (const x of pf.taxes) {
        const tt = taxTotals.get(x.code) ?? { name: x.name, amountMinor: 0 };
        tt.amountMinor += x.amountMinor * n;
        taxTotals.set(x.code, tt);
      }
      if (t === 'INF') continue; // no seat, no bundle, no extras
      if (brand.includes.length > 0 || brand.upliftMinor !== 0) {
        addItem({ kind: 'bundle', mandatory: true, paxType: t, paxCount: n, journeyId, services: [...brand.includes], unitBaseMinor: brand.upliftMinor, unitTaxes: [], unitTotalMinor: brand.upliftMinor, totalMinor: brand.upliftMinor * n });
        bundleT += brand.upliftMinor * n;
      }
      for (const code of req.ancillaries) {
        if (included.has(code)) continue;
        const a = pj.alaCarte.get(code);
        if (!a) continue;
        addItem({ kind: 'ancillary', mandatory: false, paxType: t, paxCount: n, journeyId, services: [code], unitBaseMinor: a.priceMinor, unitTaxes: [], unitTotalMinor: a.priceMinor, totalMinor: a.priceMinor * n });
        ancT += a.priceMinor * n;
      }
    }
    for (const [code, a] of pj.alaCarte) {
      if (included.has(code) || req.ancillaries.includes(code)) continue;
      optionalServices.push({ code, name: a.name, journeyId, unitPriceMinor: a.priceMinor });
    }
  });

  const total = items.reduce((s, i) => s + i.totalMinor, 0);
  if (total !== fareT + bundleT + taxT + ancT) throw new Error(`offer ${id}: items sum to ${total} but the breakdown to ${fareT + bundleT + taxT + ancT}`);
  const ttl = ctx.settings.offerTtlMinutes * 60_000;
  const guarantee = Math.min(ctx.settings.priceGuaranteeMinutes * 60_000, ttl);
  return {
    id, ownerCode: ctx.ownerCode, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + ttl).toISOString(),
    priceGuaranteedUntil: new Date(now.getTime() + guarantee).toISOString(), request: req,
    brand: { code: brandCode, name: brandName, includes: brandIncludes }, currency, journeys: offerJourneys, segments, items,
    total: { amountMinor: total, currency }, breakdown: { fareMinor: fareT, bundleMinor: bundleT, taxesMinor: taxT, ancillariesMinor: ancT },
    taxes: [...taxTotals].map(([code, t]) => ({ code, name: t.name, amountMinor: t.amountMinor })),
    optionalServices,
    availability: journeys.flatMap((j) => j.seats),
  };
}

/** Offers for a request; a bad request throws OfferRequestError naming the field. */
export function shopOffers(input: unknown, ctx: OfferContext): ShoppingResult {
  const req = parseShoppingRequest(input, { airports: ctx.airports, now: ctx.clock.now(), horizonDays: ctx.settings.horizonDays });
  return shopParsed(req, ctx);
}

/** As shopOffers, for a request already parsed (revalidation re-shops the stored request). */
export function shopParsed(req: ShoppingRequest, ctx: OfferContext): ShoppingResult {
  const notes: string[] = [];
  const out = priceDirection(req, 'outbound', ctx, req.currency);
  const currency = out.journeys[0]?.currency ?? req.currency;
  const inb = req.returnDate ? priceDirection(req, 'inbound', ctx, currency) : undefined;
  const limit = req.maxOffers ?? ctx.settings.maxOffers;
  const offers: Offer[] = [];
  // candidates ranked by price, then departure(s), then brand order
  interface Candidate { js: PricedJourney[]; code: string; price: number; dep: number; ret: number; brand: number }
  const rank = (a: Candidate, b: Candidate) => a.price - b.price || a.dep - b.dep || a.ret - b.ret || a.brand - b.brand;
  const depMs = (j: PricedJourney) => Date.parse(j.itinerary.legs[0]!.departureUtc);
  const all: Candidate[] = [];
  if (!inb) {
    for (const j of out.journeys) {
      const dep = depMs(j);
      j.brands.forEach((b, k) => all.push({ js: [j], code: b.code, price: j.quote.amountMinor + b.upliftMinor, dep, ret: 0, brand: k }));
    }
  } else {
    const top = (js: PricedJourney[]) => [...js].sort((a, b) => a.quote.amountMinor - b.quote.amountMinor).slice(0, ctx.settings.maxJourneysPerDirection);
    const outs = top(out.journeys); const ins = top(inb.journeys);
    const minTurn = ctx.settings.defaultMinConnectMinutes * 60_000;
    for (const o of outs) {
      const dep = depMs(o);
      const arr = Date.parse(o.itinerary.legs[o.itinerary.legs.length - 1]!.arrivalUtc);
      for (const i of ins) {
        const ret = depMs(i);
        if (ret < arr + minTurn) continue;
        o.brands.forEach((b, k) => {
          const ib = i.brands.find((x) => x.code === b.code);
          if (ib) all.push({ js: [o, i], code: b.code, price: o.quote.amountMinor + b.upliftMinor + i.quote.amountMinor + ib.upliftMinor, dep, ret, brand: k });
        });
      }
    }
    if (out.journeys.length > outs.length || inb.journeys.length > ins.length) notes.push(`round trip: the ${ctx.settings.maxJourneysPerDirection} cheapest journeys per direction were paired`);
  }
  all.sort(rank);
  for (const x of all.slice(0, limit)) offers.push(buildOffer(req, x.js, x.code, ctx));
  for (const code of req.ancillaries) {
    if (offers.length && offers.every((o) => !o.items.some((i) => i.services.includes(code)) && !o.brand.includes.includes(code))) notes.push(`${code} is not sold in this market`);
  }
  return { request: req, offers, diagnostics: { outbound: out.diag, ...(inb ? { inbound: inb.diag } : {}), notes } };
}

