/**
 * The offer assembler over the store: builds the OfferContext from what the feeds brought (our flights and
 * cabins, inventory with bid prices, fares, fare ladders, airports), the pricing engine's latest cycle, the
 * bundling engine (brands priced from the booking history) and settings; shops, stores, re-validates and
 * orders offers.
 *
 * What an offer sells, and how it becomes a booking at the PSS:
 * - The fare is the fare in force: what the PSS files (synced into `fares`), a fare narrowed to one
 *   departure first. The pricing engine's latest recommendation explains it, component by component, when
 *   it is that fare (approved and pushed, then synced); a recommendation not yet in force is a proposal and
 *   is never sold — the approval workflow decides prices, not the shop.
 * - A brand is the offer layer's: the cheapest open fare in one RBD plus the brand's bundle step (the
 *   bundling engine's price). The PSS's fare ladder may also name brands per class; the RBD booked is the
 *   offer's, whatever its ladder name.
 * - An order is one PSS order per journey (the PSS books one O&D at a time): the journey's flights in the
 *   offer's RBD for the seated passengers, the adult fare times the seats as the expected total (the PSS
 *   refuses with price_changed when its fare moved), and the ancillaries one entry per passenger and unit:
 *   the brand's items at amount 0 (the PSS convention for a bundle) and the extras bought at their price,
 *   a per-segment item on each segment, a per-journey item on the first. The bundle step and taxes stay in
 *   the order record here (the offer store holds it with the PSS order references): the PSS has no field
 *   for them. Each PSS call carries the idempotency key "offer:<id>#<journey>", so ordering again after a
 *   lost answer books nothing twice.
 */
import { z } from 'zod';
import type { Store } from '../store/db';
import { addDays } from '../domain/time';
import type { Airport, Fare, FlightLeg, InventoryRecord, RbdDefinition } from '../domain/types';
import { ExchangeRates, type ExchangeRate } from '../pricing/competitor';
import { latestCycleId, loadRecommendations } from '../pricing/store';
import type { FareRecommendation } from '../pricing/types';
import { BundlingService, dataStamp, loadLatestRates, readSetting, type BundlingSettings } from '../bundling/service';
import type { AncillaryCode } from '../bundling/catalogue';
import { DEFAULT_OFFER_SETTINGS, shopParsed, shopOffers, type OfferContext, type OfferSettings, type ShoppingResult } from './assembler';
import { createOfferContext } from './context';
import type { InventoryIndex, LegAvailability } from './inventory';
import { toNdcAirShoppingRS } from './ndc';
import { seatedPassengers, type ShoppingRequest } from './request';
import { repriceOffer, revalidateOffer, type RevalidationResult, type RevalidationStatus } from './revalidate';
import {
  ancillaryPricerFromCatalogue, BASE_ONLY, brandMarketKey, brandSourceFromOptimiser, farePricerFromFares, farePricerWithRecommendations, type BrandSource, type JourneyPricer,
} from './sources';
import { parseTaxRules, type CurrencyConverter, type TaxRule } from './taxes';
import {
  expireOffers, listOffers, loadOffer, loadShoppingResponse, markOfferOrdered, markOfferReplaced, OfferStateError, saveOffers,
  type OfferQuery, type OfferSummary, type StoredOffer,
} from './store';
import type { Offer, OfferJourney } from './types';
import { formatMoney } from '../domain/money';
import type { OfferOrderPort, PssOrderOutcome, PssOrderRequest } from '../ports/pss';

/** The order port of a PSS port that also creates orders (the PSS adapter does), else null. */
export function orderPortOf(pss: object | null | undefined): OfferOrderPort | null {
  return pss && typeof (pss as Partial<OfferOrderPort>).createOrder === 'function' ? (pss as OfferOrderPort) : null;
}

// — settings —

/**
 * Taxes until `offers.taxes` is set: a ticket tax on the journey's fare and a passenger service charge at
 * the first departure (transfers exempt), both as a share of the fare so they apply in every currency the
 * airline sells in without an exchange rate. Placeholders for the sandbox, named as such on every offer;
 * the airline's tax table (fixed amounts per airport or country) replaces them.
 */
export const DEFAULT_OFFER_TAXES: readonly TaxRule[] = parseTaxRules([
  { code: 'TX', name: 'Ticket tax (default rule: 7.5 % of the fare; set offers.taxes)', scope: 'journey', paxTypes: ['ADT', 'CHD'], amount: { kind: 'percent_of_fare', basisPoints: 750 } },
  { code: 'PS', name: 'Passenger service charge (default rule: 4 % of the fare at departure; set offers.taxes)', scope: 'departure', exemptTransfer: true, paxTypes: ['ADT', 'CHD'], amount: { kind: 'percent_of_fare', basisPoints: 400 } },
]);

/**
 * The assembler's settings unless `offers.settings` says otherwise: connections of at most 4 hours (the
 * sandbox PSS books no longer connection, and a real carrier's connection rules are reference data too).
 */
export const SERVICE_OFFER_SETTINGS: Partial<OfferSettings> = { maxConnectMinutes: 240 };

const airport = z.string().regex(/^[A-Z]{3}$/, 'expected a three-letter IATA airport code');
const minutes = z.number().int().min(0).max(1440);
export const OfferSettingsSchema = z.strictObject({
  offerTtlMinutes: z.number().int().min(1).max(1440),
  priceGuaranteeMinutes: minutes,
  paxFareFactors: z.strictObject({ CHD: z.number().min(0).max(1), INF: z.number().min(0).max(1) }),
  maxOffers: z.number().int().min(1).max(500),
  maxJourneysPerDirection: z.number().int().min(1).max(100),
  horizonDays: z.number().int().min(1).max(400),
  minConnectMinutes: z.record(airport, minutes),
  defaultMinConnectMinutes: minutes,
  maxConnectMinutes: minutes,
  connectionPoints: z.array(airport),
  maxLegs: z.number().int().min(1).max(3),
  salesCutoffMinutes: minutes,
}).partial();

// — errors —

/** What the API answers as unavailable / not found / conflict, with the field at fault when there is one. */
export class OfferServiceError extends Error {
  constructor(readonly code: 'unavailable' | 'not_found' | 'conflict', message: string, readonly field?: string) {
    super(message);
    this.name = 'OfferServiceError';
  }
}

// — answers —

export interface ContextInfo {
  builtAt: string;
  ownerCode: string;
  flights: number;
  fares: number;
  /** the pricing cycle whose recommendations explain fares in force, when there is one */
  pricingCycle: string | null;
  recommendations: number;
  exchangeRates: number;
  sources: { taxes: 'settings' | 'default'; offerSettings: 'settings' | 'default' } & BundlingSettings['sources'];
  notes: string[];
}

export interface ShopAnswer {
  /** groups the offers of this answer (offers.ndc, offers.list) */
  shoppingResponseId: string;
  request: ShoppingRequest;
  offers: Offer[];
  diagnostics: ShoppingResult['diagnostics'];
  context: ContextInfo;
  /** the catalogue's name of each ancillary service, by code, when the answer was made (for the offers' bundles and extras) */
  serviceNames: Partial<Record<AncillaryCode, string>>;
}

export type RevalidationDetails = Omit<RevalidationResult, 'offer' | 'fresh'>;

export interface RevalidateAnswer extends RevalidationDetails {
  offerId: string;
  /** a new offer to order instead (stored; the old one is marked replaced by it) */
  fresh?: Offer;
}

export interface PssOrderRef {
  journeyId: string;
  orderId: string;
  recordLocator: string;
  bookingIds: string[];
  createdAt: string;
  /** the fare the PSS booked for all seats */
  pssTotal: { amountMinor: number; currency: string };
  /** true when the PSS had this order already (a retry) */
  replayed: boolean;
}

export type OrderStatus = 'ordered' | 'partially_ordered' | Exclude<RevalidationStatus, 'valid'> | 'refused';

export interface OrderAnswer {
  offerId: string;
  status: OrderStatus;
  ordered: boolean;
  /** one sentence: what happened and what to do */
  reason: string;
  /** our re-validation against the store refused it, or the PSS did (or booked it) */
  decidedBy: 'revalidation' | 'pss';
  offer: Offer;
  /** the PSS orders made (one per journey) */
  orders: PssOrderRef[];
  /** a new offer to order instead, where one exists (stored; the old one is marked replaced by it) */
  fresh?: Offer;
  revalidation?: RevalidationDetails;
  /** the PSS's refusal, as it gave it */
  pss?: { code: string; reason: string };
  /** what the PSS booking does not show of the offer (bundle step, taxes, child fares, infants) */
  notes: string[];
}

// — building the context from the store —

interface FlightRow {
  id: string; carrier: string; flight_number: number; origin: string; destination: string; local_date: string; departure_utc: string; arrival_utc: string;
  operating_carrier: string | null; operating_flight_number: number | null; aircraft: string | null;
}
interface FareRow {
  carrier: string; origin: string; destination: string; rbd: string; cabin: string; fare_basis: string; point_of_sale: string; currency: string;
  amount_minor: number; valid_from: string; valid_to: string; flight_id: string;
}

interface StoreData {
  ownCarriers: string[];
  airports: Airport[];
  legs: FlightLeg[];
  inventory: InventoryRecord[];
  ladder: RbdDefinition[];
  fares: Fare[];
  recommendations: FareRecommendation[];
  cycleId: string | null;
  rates: ExchangeRate[];
}

function loadStoreData(store: Store, horizonDays: number): StoreData {
  const db = store.db;
  const today = store.now().slice(0, 10);
  const from = addDays(today, -1);
  const to = addDays(today, horizonDays + 1);
  const ownCarriers = db.prepare('SELECT code FROM carriers WHERE own = 1 ORDER BY code').pluck().all() as string[];
  const inOwn = `(${ownCarriers.map(() => '?').join(',') || "''"})`;
  const airports = (db.prepare('SELECT code, name, time_zone AS timeZone, lat, lon, country FROM airports').all() as (Airport & { country: string | null })[])
    .map(({ country, ...a }) => ({ ...a, ...(country ? { country } : {}) }));
  const flightRows = db.prepare(`SELECT id, carrier, flight_number, origin, destination, local_date, departure_utc, arrival_utc, operating_carrier,
      operating_flight_number, aircraft FROM flights WHERE carrier IN ${inOwn} AND local_date BETWEEN ? AND ?`).all(...ownCarriers, from, to) as FlightRow[];
  const cabins = new Map<string, FlightLeg['cabins']>();
  for (const c of db.prepare(`SELECT c.flight_id, c.cabin, c.capacity FROM flight_cabins c JOIN flights f ON f.id = c.flight_id
      WHERE f.carrier IN ${inOwn} AND f.local_date BETWEEN ? AND ? ORDER BY c.flight_id, c.cabin`).all(...ownCarriers, from, to) as { flight_id: string; cabin: string; capacity: number }[]) {
    (cabins.get(c.flight_id) ?? cabins.set(c.flight_id, []).get(c.flight_id)!).push({ cabin: c.cabin, capacity: c.capacity });
  }
  const legs: FlightLeg[] = flightRows.map((f) => ({
    id: f.id, carrier: f.carrier, flightNumber: f.flight_number, origin: f.origin, destination: f.destination, localDate: f.local_date,
    departureUtc: f.departure_utc, arrivalUtc: f.arrival_utc, cabins: cabins.get(f.id) ?? [],
    ...(f.operating_carrier ? { operatingCarrier: f.operating_carrier, ...(f.operating_flight_number !== null ? { operatingFlightNumber: f.operating_flight_number } : {}) } : {}),
    ...(f.aircraft ? { aircraft: f.aircraft } : {}),
  }));
  // the largest read (every class of every leg on sale): rows as arrays, not objects
  type InvRow = [string, string, string, number, number, 'open' | 'closed', number | null, string | null];
  const inventory: InventoryRecord[] = (db.prepare(`SELECT i.flight_id, i.rbd, i.cabin, i.sold, i.authorised, i.status, i.bid_price_minor, i.currency
      FROM inventory i JOIN flights f ON f.id = i.flight_id WHERE f.carrier IN ${inOwn} AND f.local_date BETWEEN ? AND ?`).raw().all(...ownCarriers, from, to) as InvRow[])
    .map(([flightId, rbd, cabin, sold, authorised, status, bid, currency]) => ({
      flightId, rbd, cabin, sold, authorised, status, ...(bid !== null && currency ? { bidPriceMinor: bid, currency } : {}),
    }));
  const ladder = db.prepare(`SELECT carrier, rbd, cabin, rank FROM rbds WHERE carrier IN ${inOwn}`).all(...ownCarriers) as RbdDefinition[];
  const fares: Fare[] = (db.prepare(`SELECT carrier, origin, destination, rbd, cabin, fare_basis, point_of_sale, currency, amount_minor, valid_from, valid_to, flight_id
      FROM fares WHERE carrier IN ${inOwn} AND valid_to >= ? AND valid_from <= ?`).all(...ownCarriers, from, to) as FareRow[])
    .map((f) => ({
      carrier: f.carrier, origin: f.origin, destination: f.destination, rbd: f.rbd, cabin: f.cabin, fareBasis: f.fare_basis, pointOfSale: f.point_of_sale,
      currency: f.currency, amountMinor: f.amount_minor, validFrom: f.valid_from, validTo: f.valid_to, ...(f.flight_id ? { flightId: f.flight_id } : {}),
    }));
  const cycleId = latestCycleId(store) ?? null;
  const legIds = new Set(legs.map((l) => l.id));
  const recommendations = cycleId
    ? (loadRecommendations(store, { cycleId, kind: 'fare' }) as FareRecommendation[]).filter((r) => legIds.has(r.flightId))
    : [];
  const rates = loadLatestRates(db, today);
  return { ownCarriers, airports, legs, inventory, ladder, fares, recommendations, cycleId, rates };
}

/**
 * Fares in force; a non-stop journey's fare explained by the pricing engine's recommendation for that
 * departure and RBD when the recommendation is the fare in force (same amount and currency).
 */
export function farePricerInForce(fares: readonly Fare[], recommendations: readonly FareRecommendation[]): JourneyPricer {
  const inForce = farePricerFromFares(fares);
  if (recommendations.length === 0) return inForce;
  const explained = farePricerWithRecommendations(recommendations, inForce);
  const recommended = new Set(recommendations.map((r) => `${r.flightId}|${r.cabin}`));
  return (q) => {
    const base = inForce(q);
    if (q.legs.length !== 1 || !recommended.has(`${q.legs[0]!.id}|${q.cabin}`)) return base;
    const byRbd = new Map(explained(q).map((f) => [f.rbd, f]));
    return base.map((f) => {
      const r = byRbd.get(f.rbd);
      return r && r.amountMinor === f.amountMinor && r.currency === f.currency ? { ...r, fareBasis: f.fareBasis } : f;
    });
  };
}

/** The inventory with a class and every class below it closed on some legs (what the PSS said is sold out). */
export function closeClasses(index: InventoryIndex, ladder: readonly RbdDefinition[], flightIds: readonly string[], rbd: string): InventoryIndex {
  const def = ladder.find((r) => r.rbd === rbd);
  const below = new Set(ladder.filter((r) => def && r.carrier === def.carrier && r.cabin === def.cabin && r.rank >= def.rank).map((r) => r.rbd));
  below.add(rbd);
  const legs = new Map(index.legs);
  for (const id of flightIds) {
    const leg = legs.get(id);
    if (!leg) continue;
    const seats = new Map(leg.seats);
    for (const k of seats.keys()) if (below.has(k)) seats.set(k, 0);
    legs.set(id, { ...leg, seats } satisfies LegAvailability);
  }
  return { legs };
}

interface Built {
  stamp: string;
  ctx: OfferContext;
  ladder: RbdDefinition[];
  bundling: BundlingSettings;
  info: ContextInfo;
  /** markets (brand market keys) whose brands could not be priced, and why: they sell the fare-only brand */
  fareOnly: Map<string, string>;
}

/**
 * Brands from the bundling engine; a market whose brands cannot be priced (no à-la-carte prices in its
 * currency, rules that cannot be met) sells the fare-only brand, and the reason is kept for the answer.
 */
function brandsOrFareOnly(optimised: BrandSource, fareOnly: Map<string, string>): BrandSource {
  return (q) => {
    const key = brandMarketKey(q.origin, q.destination, q.cabin, q.currency, q.segmentsPerJourney);
    if (fareOnly.has(key)) return BASE_ONLY(q);
    try {
      return optimised(q);
    } catch (e) {
      fareOnly.set(key, (e as Error).message);
      return BASE_ONLY(q);
    }
  };
}

export interface OfferServiceOptions {
  store: Store;
  bundling?: BundlingService;
  /** the PSS's order creation; without it offers can be shopped but not ordered */
  orders?: OfferOrderPort | null;
  newId?: () => string;
}

export class OfferService {
  readonly bundling: BundlingService;
  private readonly store: Store;
  private readonly orders: OfferOrderPort | null;
  private readonly newId: (() => string) | undefined;
  private built: Built | undefined;

  constructor(opts: OfferServiceOptions) {
    this.store = opts.store;
    this.bundling = opts.bundling ?? new BundlingService({ store: opts.store });
    this.orders = opts.orders ?? null;
    this.newId = opts.newId;
  }

  /** The assembler's context, rebuilt when the store's data, the pricing cycle or the day change. */
  context(): Built {
    const db = this.store.db;
    const stamp = `${dataStamp(db)}/${latestCycleId(this.store) ?? ''}/${this.store.now().slice(0, 10)}`;
    if (this.built?.stamp === stamp) return this.built;
    const bundling = this.bundling.settings();
    const offerSettings = readSetting(db, 'offers.settings', (v) => OfferSettingsSchema.parse(v));
    const taxes = readSetting(db, 'offers.taxes', parseTaxRules);
    const settings: Partial<OfferSettings> = {
      ...SERVICE_OFFER_SETTINGS, ...offerSettings,
      covers: Object.fromEntries(bundling.catalogue.definitions.filter((d) => d.covers.length).map((d) => [d.code, [...d.covers]])),
    };
    const data = loadStoreData(this.store, settings.horizonDays ?? DEFAULT_OFFER_SETTINGS.horizonDays);
    const notes: string[] = [];
    if (data.ownCarriers.length === 0) throw new OfferServiceError('unavailable', 'the store has no own carrier yet: sync the PSS feed (it brings the carriers, flights, inventory and fares) before shopping');
    if (data.legs.length === 0) notes.push(`no flights of ${data.ownCarriers.join(', ')} in the store for the booking horizon: sync the PSS feed`);
    if (data.rates.length === 0) notes.push('no exchange rates in the store: charges in another currency than the offer cannot be converted (sync the pricing-tools feed)');
    const rates = new ExchangeRates(data.rates);
    const today = this.store.now().slice(0, 10);
    const convert: CurrencyConverter = (amountMinor, from, to) => rates.convert(amountMinor, from, to, today).amountMinor;
    const fareOnly = new Map<string, string>();
    const ctx = createOfferContext({
      ownerCode: data.ownCarriers[0]!, ownCarriers: data.ownCarriers, airports: data.airports, legs: data.legs, inventory: data.inventory, ladder: data.ladder,
      priceJourney: farePricerInForce(data.fares, data.recommendations),
      brands: brandsOrFareOnly(brandSourceFromOptimiser((q) => this.bundling.problem(q)?.input), fareOnly),
      ancillaries: ancillaryPricerFromCatalogue(bundling.catalogue, data.airports, { dynamic: bundling.dynamicRules, haulBands: bundling.haulBands }),
      taxes: taxes ?? DEFAULT_OFFER_TAXES, convert, clock: this.store.clock, ...(this.newId ? { newId: this.newId } : {}), settings,
    });
    this.built = {
      stamp, ctx, ladder: data.ladder, bundling, fareOnly,
      info: {
        builtAt: this.store.now(), ownerCode: data.ownCarriers[0]!, flights: data.legs.length, fares: data.fares.length, pricingCycle: data.cycleId,
        recommendations: data.recommendations.length, exchangeRates: data.rates.length,
        sources: { taxes: taxes ? 'settings' : 'default', offerSettings: offerSettings ? 'settings' : 'default', ...bundling.sources }, notes: [...notes, ...bundling.notes],
      },
    };
    return this.built;
  }

  /** Offers for a request, stored under one shopping response id. Throws OfferRequestError naming each bad field. */
  shop(input: unknown): ShopAnswer {
    const { ctx, info, fareOnly } = this.context();
    const result = shopOffers(input, ctx);
    const r = result.request;
    for (const [key, why] of fareOnly) {
      if (key.startsWith(`${r.origin}-${r.destination}/${r.cabin}/`) || key.startsWith(`${r.destination}-${r.origin}/${r.cabin}/`)) {
        result.diagnostics.notes.push(`brands are not priced in ${key} (${why}): the fare-only brand is sold`);
      }
    }
    const shoppingResponseId = `SR-${ctx.newId()}`;
    saveOffers(this.store.db, result.offers, { shoppingResponseId });
    return { shoppingResponseId, request: result.request, offers: result.offers, diagnostics: result.diagnostics, context: info, serviceNames: this.serviceNames() };
  }

  get(id: string): StoredOffer {
    expireOffers(this.store.db, this.store.now());
    const s = loadOffer(this.store.db, id);
    if (!s) throw new OfferServiceError('not_found', `offer ${id} is not in the store: shop again`, 'offerId');
    return s;
  }

  list(q: OfferQuery): OfferSummary[] {
    expireOffers(this.store.db, this.store.now());
    return listOffers(this.store.db, q);
  }

  /** The offers of one shopping answer as an IATA NDC 21.3 AirShoppingRS. */
  ndc(shoppingResponseId: string): Record<string, unknown> {
    const stored = loadShoppingResponse(this.store.db, shoppingResponseId);
    if (stored.length === 0) throw new OfferServiceError('not_found', `no offers stored under shopping response ${shoppingResponseId}: shop again`, 'shoppingResponseId');
    return toNdcAirShoppingRS(stored.map((s) => s.offer), { responseId: shoppingResponseId, timestamp: this.store.now(), serviceNames: this.serviceNames() });
  }

  /** The catalogue's name of each ancillary service, by code. */
  private serviceNames(): Partial<Record<AncillaryCode, string>> {
    return Object.fromEntries(this.bundling.settings().catalogue.definitions.map((d) => [d.code, d.name])) as Partial<Record<AncillaryCode, string>>;
  }

  /** Re-validates an offer now; a fresh offer (when there is one) is stored and replaces it. */
  revalidate(id: string): RevalidateAnswer {
    const stored = this.orderable(id);
    const r = revalidateOffer(stored.offer, this.context().ctx);
    const { offer: _o, fresh, ...details } = r;
    const kept = r.status === 'valid' ? undefined : this.keepFresh(stored, fresh);
    return { offerId: id, ...details, ...(kept ? { fresh: kept } : {}) };
  }

  /**
   * Orders an offer: re-validates it against the store, then books each journey at the PSS. Refusals come
   * back as answers (status and reason, a fresh offer where one exists), not errors.
   */
  async order(id: string, signal?: AbortSignal): Promise<OrderAnswer> {
    const stored = this.orderable(id);
    const offer = stored.offer;
    const built = this.context();
    const notes = orderNotes(offer);
    const check = revalidateOffer(offer, built.ctx);
    if (check.status !== 'valid') {
      const { offer: _o, fresh, ...details } = check;
      const kept = this.keepFresh(stored, fresh);
      return { offerId: id, status: check.status, ordered: false, decidedBy: 'revalidation', reason: check.reason, offer, orders: [], revalidation: details, notes, ...(kept ? { fresh: kept } : {}) };
    }
    if (!this.orders) {
      throw new OfferServiceError('unavailable', 'no PSS order connection is configured (the PSS adapter provides it): offers can be shopped but not ordered');
    }
    const units = new Map(built.bundling.catalogue.definitions.map((d) => [d.code, d.unit]));
    const orders: PssOrderRef[] = [];
    for (const [i, journey] of offer.journeys.entries()) {
      const req = pssOrderFor(offer, journey, (c) => units.get(c) ?? 'journey');
      let out: PssOrderOutcome;
      try {
        out = await this.orders.createOrder(req, `offer:${offer.id}#${i + 1}`, signal);
      } catch (e) {
        const why = (e as Error).message;
        if (orders.length === 0) {
          throw new OfferServiceError('unavailable', `the PSS did not answer the order of offer ${offer.id} (${why}); nothing is known to be booked: order again — the same idempotency key makes a retry safe`);
        }
        out = { ok: false, code: 'no_answer', reason: `the PSS did not answer (${why})` };
      }
      if (!out.ok) return this.refused(stored, built, journey, out, orders, notes);
      orders.push({
        journeyId: journey.id, orderId: out.orderId, recordLocator: out.recordLocator, bookingIds: out.bookingIds, createdAt: out.createdAt,
        pssTotal: { amountMinor: out.totalMinor, currency: out.currency }, replayed: out.replayed,
      });
    }
    this.markOrdered(id, orders);
    const refs = orders.map((o) => `${o.recordLocator} (${o.orderId})`).join(' and ');
    return {
      offerId: id, status: 'ordered', ordered: true, decidedBy: 'pss', offer, orders, notes,
      reason: `booked at the PSS as ${refs} for ${formatMoney(offer.total)}`,
    };
  }

  /** The stored offer, when it can still be checked or ordered. */
  private orderable(id: string): StoredOffer {
    const s = loadOffer(this.store.db, id);
    if (!s) throw new OfferServiceError('not_found', `offer ${id} is not in the store: shop again`, 'offerId');
    if (s.status === 'ordered') throw new OfferServiceError('conflict', `offer ${id} was ordered at ${s.statusAt} (PSS order ${s.orderId}); an offer is ordered once`, 'offerId');
    if (s.status === 'replaced') throw new OfferServiceError('conflict', `offer ${id} was replaced by offer ${s.replacedBy} at ${s.statusAt}: use that one`, 'offerId');
    return s;
  }

  private markOrdered(id: string, orders: readonly PssOrderRef[]): void {
    try {
      markOfferOrdered(this.store.db, id, orders.map((o) => o.orderId).join(' '), this.store.now());
    } catch (e) {
      // a concurrent order of the same offer got the same PSS orders (same idempotency keys) and marked it first
      if (!(e instanceof OfferStateError && e.code === 'not_offered')) throw e;
    }
  }

  /** Stores a fresh offer and marks the old one replaced by it (when the old one is still offered). */
  private keepFresh(stored: StoredOffer, fresh: Offer | undefined): Offer | undefined {
    if (!fresh) return undefined;
    const db = this.store.db;
    db.transaction(() => {
      saveOffers(db, [fresh], stored.shoppingResponseId ? { shoppingResponseId: stored.shoppingResponseId } : {});
      try {
        markOfferReplaced(db, stored.offer.id, fresh.id, this.store.now());
      } catch (e) {
        if (!(e instanceof OfferStateError)) throw e;
      }
    })();
    return fresh;
  }

  /** The PSS refused a journey: the answer, with a fresh offer priced without what it refused. */
  private refused(stored: StoredOffer, built: Built, journey: OfferJourney, out: Extract<PssOrderOutcome, { ok: false }>, done: PssOrderRef[], notes: string[]): OrderAnswer {
    const offer = stored.offer;
    const flights = journey.segmentIds.map((sid) => offer.segments.find((s) => s.id === sid)!.flightId);
    const pss = { code: out.code, reason: out.reason };
    if (done.length > 0) {
      this.markOrdered(offer.id, done);
      const booked = done.map((o) => `${o.journeyId} as ${o.recordLocator}`).join(', ');
      return {
        offerId: offer.id, status: 'partially_ordered', ordered: true, decidedBy: 'pss', offer, orders: done, pss, notes,
        reason: `booked ${booked}, but the PSS refused ${journey.id} ${journey.origin}-${journey.destination} (${out.code}: ${out.reason}); the booking made stands: shop ${journey.origin}-${journey.destination} as a one-way trip`,
      };
    }
    const status: OrderStatus = out.code === 'sold_out' ? 'sold_out' : out.code === 'price_changed' ? 'price_changed'
      : out.code === 'departed' || out.code === 'unknown_flight' ? 'flight_unavailable' : 'refused';
    const sameItinerary = (o: Offer) => o.segments.length === offer.segments.length && o.segments.every((s, k) => s.flightId === offer.segments[k]!.flightId && s.rbd === offer.segments[k]!.rbd);
    let fresh: Offer | undefined;
    if (status === 'sold_out') {
      const ctx: OfferContext = { ...built.ctx, inventory: closeClasses(built.ctx.inventory, built.ladder, flights, journey.rbd) };
      fresh = repriceOffer(offer, ctx) ?? cheapestSameBrand(offer, ctx, sameItinerary);
    } else if (status === 'flight_unavailable') {
      fresh = cheapestSameBrand(offer, built.ctx, (o) => o.segments.some((s) => flights.includes(s.flightId)));
    } else if (status === 'refused') {
      fresh = cheapestSameBrand(offer, built.ctx, sameItinerary);
    }
    // price_changed: the store's fares are older than the PSS's; no fresh price can be trusted before a sync
    const kept = this.keepFresh(stored, fresh);
    const what = {
      sold_out: `the PSS has no seats left in class ${journey.rbd} on ${flights.join(' + ')}`,
      price_changed: `the PSS's fare for ${journey.origin}-${journey.destination} is no longer the offer's; sync the PSS feed and shop again`,
      flight_unavailable: `${flights.join(' + ')} can no longer be booked`,
      refused: `the PSS refused the order`,
    }[status as 'sold_out' | 'price_changed' | 'flight_unavailable' | 'refused'];
    return {
      offerId: offer.id, status, ordered: false, decidedBy: 'pss', offer, orders: [], pss, notes, ...(kept ? { fresh: kept } : {}),
      reason: `${what} (PSS: ${out.code}: ${out.reason})${kept ? '; a fresh offer is attached' : ''}`,
    };
  }
}

function cheapestSameBrand(offer: Offer, ctx: OfferContext, exclude: (o: Offer) => boolean): Offer | undefined {
  return shopParsed(offer.request, ctx).offers
    .filter((o) => o.brand.code === offer.brand.code && !exclude(o))
    .sort((a, b) => a.total.amountMinor - b.total.amountMinor)[0];
}

/** The PSS order for one journey of an offer (see the module comment for the conventions). */
export function pssOrderFor(offer: Offer, journey: OfferJourney, unitOf: (code: AncillaryCode) => 'segment' | 'journey'): PssOrderRequest {
  const seats = seatedPassengers(offer.request);
  const segments = journey.segmentIds.map((sid) => offer.segments.find((s) => s.id === sid)!);
  const ancillaries: PssOrderRequest['ancillaries'] = [];
  for (const item of offer.items) {
    if (item.journeyId !== journey.id || item.kind === 'fare' || item.paxType === 'INF') continue;
    for (const code of item.services) {
      const units = unitOf(code) === 'segment' ? segments.length : 1;
      // a bundle item is included (0); an extra's journey price is split over its units, the rest on the last
      const price = item.kind === 'bundle' ? 0 : item.unitBaseMinor;
      const each = Math.floor(price / units);
      for (let p = 0; p < item.paxCount; p++) {
        for (let u = 0; u < units; u++) {
          ancillaries.push({ code, amountMinor: u === units - 1 ? price - each * (units - 1) : each, currency: offer.currency, segment: u + 1 });
        }
      }
    }
  }
  return {
    offerId: offer.id, origin: journey.origin, destination: journey.destination, passengers: seats,
    pointOfSale: offer.request.pointOfSale, channel: offer.request.channel,
    segments: segments.map((s) => ({ flightId: s.flightId, rbd: s.rbd })),
    expectedTotal: { amountMinor: journey.bidPrice.fareMinor * seats, currency: offer.currency },
    ancillaries,
  };
}

/** What the PSS booking will not show of the offer. */
function orderNotes(offer: Offer): string[] {
  const notes: string[] = [];
  const p = offer.request.passengers;
  if (offer.breakdown.bundleMinor > 0) notes.push(`the ${offer.brand.name} bundle step (${formatMoney({ amountMinor: offer.breakdown.bundleMinor, currency: offer.currency })}) is kept with the order here; the PSS records the included items at amount 0`);
  if (offer.breakdown.taxesMinor > 0) notes.push(`taxes (${formatMoney({ amountMinor: offer.breakdown.taxesMinor, currency: offer.currency })}) are kept with the order here; the PSS booking carries the fare`);
  if (p.CHD > 0) notes.push(`${p.CHD} child fare(s) are charged at the offer's child rate; the PSS books every seat at the adult fare`);
  if (p.INF > 0) notes.push(`${p.INF} infant(s) travel on a lap: the PSS booking counts ${seatedPassengers(offer.request)} seat(s)`);
  return notes;
}
