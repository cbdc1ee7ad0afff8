/**
 * The sandbox PSS (Amadeus-style), as connectors/specs/pss.openapi.json describes it: OAuth2 client
 * credentials, paged reference data, flights, inventory and fares, the booking-event stream, idempotent
 * fare and inventory-control batches with per-item answers, and orders from offers.
 */
import { z } from 'zod';
import type { Fare, FlightLeg, InventoryRecord } from '../../engine/domain/types';
import type { InventoryControl, PushItemResult } from '../../engine/ports/pss';
import { formatAmount, parseAmount } from '../specs/decimal';
import type { BookingEvent } from './market';
import { badRequest } from './http/errors';
import { Router, dateParam, intParam, parseJsonBody, type Reply, type RequestContext } from './http/server';
import { ListCache, decodeCursor, encodeCursor, keysetPage, sortByKey } from './http/paging';
import type { TokenAuthority } from './http/auth';
import { IdempotencyStore } from './idempotency';
import { tokenRoute } from './token-route';
import { stateKey, type PushCounters, type SandboxState } from './state';

const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10_000;

// — domain → wire —

export function wireFlight(f: FlightLeg) {
  return {
    flightId: f.id, carrier: f.carrier, flightNumber: f.flightNumber, origin: f.origin, destination: f.destination, departureDate: f.localDate,
    departureUtc: f.departureUtc, arrivalUtc: f.arrivalUtc, aircraft: f.aircraft ?? null, operatingCarrier: f.operatingCarrier ?? null,
    operatingFlightNumber: f.operatingFlightNumber ?? null, cabins: f.cabins.map((c) => ({ cabin: c.cabin, capacity: c.capacity })),
  };
}

export function wireInventory(i: InventoryRecord) {
  const hasBid = i.bidPriceMinor !== undefined && i.currency !== undefined;
  return {
    flightId: i.flightId, rbd: i.rbd, cabin: i.cabin, sold: i.sold, authorised: i.authorised, status: i.status,
    bidPrice: hasBid ? formatAmount(i.bidPriceMinor!, i.currency!) : null, currency: hasBid ? i.currency! : null,
  };
}

export function wireFare(f: Fare) {
  return {
    carrier: f.carrier, origin: f.origin, destination: f.destination, rbd: f.rbd, cabin: f.cabin, fareBasis: f.fareBasis, pointOfSale: f.pointOfSale,
    amount: formatAmount(f.amountMinor, f.currency), currency: f.currency, validFrom: f.validFrom, validTo: f.validTo, flightId: f.flightId ?? null,
  };
}

export function wireBookingEvent(e: BookingEvent) {
  const b = e.booking;
  return {
    sequence: e.sequence, event: e.event, occurredAt: e.occurredAt, bookingId: b.id, recordLocator: b.recordLocator, flightId: b.flightId, rbd: b.rbd,
    cabin: b.cabin, fareBasis: b.fareBasis ?? null, journeyOrigin: b.journeyOrigin, journeyDestination: b.journeyDestination, pointOfSale: b.pointOfSale,
    channel: b.channel, passengers: b.passengers, amount: formatAmount(b.amountMinor, b.currency), currency: b.currency, bookedAt: b.bookedAt,
    status: b.status, statusAt: b.statusAt ?? null,
    ancillaries: b.ancillaries.map((a) => ({ code: a.code, amount: formatAmount(a.amountMinor, a.currency), currency: a.currency })),
  };
}

// — wire → domain, for the write endpoints —

const code = (re: RegExp, what: string) => z.string().regex(re, what);
const carrierCode = code(/^[A-Z0-9]{2,3}$/, 'a 2-3 character carrier code');
const airportCode = code(/^[A-Z]{3}$/, 'a 3-letter airport code');
const rbdCode = code(/^[A-Z0-9]{1,2}$/, 'a 1-2 character RBD');
const cabinCode = code(/^[A-Z]{1,2}$/, 'a cabin code');
const currencyCode = code(/^[A-Z]{3}$/, 'an ISO 4217 currency');
const isoDate = code(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const flightIdText = code(/^[A-Z0-9]{2,3}\d{1,4}\/\d{4}-\d{2}-\d{2}\/[A-Z]{3}$/, 'a flight id like DF12/2026-04-01/FRA');
const amountText = code(/^\d{1,13}(\.\d{1,3})?$/, 'a decimal amount');

const wireFareSchema = z.object({
  carrier: carrierCode, origin: airportCode, destination: airportCode, rbd: rbdCode, cabin: cabinCode,
  fareBasis: code(/^[A-Z0-9]{1,15}$/, 'a fare basis'), pointOfSale: code(/^[A-Z]{2}$/, 'an ISO 3166 country'),
  amount: amountText, currency: currencyCode, validFrom: isoDate, validTo: isoDate, flightId: flightIdText.nullable(),
}).strict();

const wireControlSchema = z.object({
  flightId: flightIdText, rbd: rbdCode, cabin: cabinCode, authorised: z.number().int().min(0).nullable(),
  status: z.enum(['open', 'closed']).nullable(), bidPrice: amountText.nullable(), currency: currencyCode.nullable(),
}).strict();

const pushItem = { itemId: z.string().min(1).max(200), key: z.string().min(1).max(400), sequence: z.number().int().min(0) };
const fareBatchSchema = z.object({ items: z.array(z.object({ ...pushItem, fare: wireFareSchema }).strict()).min(1).max(MAX_LIMIT) }).strict();
const controlBatchSchema = z.object({ items: z.array(z.object({ ...pushItem, control: wireControlSchema }).strict()).min(1).max(MAX_LIMIT) }).strict();

const orderSchema = z.object({
  offerId: z.string().min(1).max(200), origin: airportCode, destination: airportCode, passengers: z.number().int().min(1).max(9),
  pointOfSale: code(/^[A-Z]{2}$/, 'an ISO 3166 country'), channel: z.string().min(1),
  segments: z.array(z.object({ flightId: flightIdText, rbd: rbdCode }).strict()).min(1).max(4),
  expectedTotal: z.object({ amount: amountText, currency: currencyCode }).strict().nullable(),
  ancillaries: z.array(z.object({ code: z.string().min(1), amount: amountText, currency: currencyCode, segment: z.number().int().min(1).max(4) }).strict()).default([]),
}).strict();

function money(text: string, currency: string, field: string): number {
  try {
    return parseAmount(text, currency);
  } catch (e) {
    throw badRequest(field, (e as Error).message);
  }
}

interface BatchAnswer {
  idempotencyKey: string;
  replayed: boolean;
  receivedAt: string;
  items: PushItemResult[];
}

/**
 * Applies a batch in order: an item whose sequence is not newer than the last applied (or an earlier
 * item of the same batch) for its key is rejected as stale; the rest go to the market.
 */
function applyBatch<P>(
  items: { itemId: string; key: string; sequence: number; payload: P }[],
  lastSequence: Map<string, number>,
  apply: (accepted: { itemId: string; payload: P }[]) => PushItemResult[],
): PushItemResult[] {
  const answers: (PushItemResult | null)[] = new Array(items.length).fill(null);
  const pendingMax = new Map<string, number>();
  const passing: { index: number; itemId: string; payload: P }[] = [];
  const ids = new Set<string>();
  items.forEach((it, index) => {
    if (ids.has(it.itemId)) {
      answers[index] = { itemId: it.itemId, status: 'rejected', code: 'duplicate_item', reason: `itemId ${it.itemId} appears twice in the batch` };
      return;
    }
    ids.add(it.itemId);
    const last = Math.max(lastSequence.get(it.key) ?? -1, pendingMax.get(it.key) ?? -1);
    if (it.sequence <= last) {
      answers[index] = { itemId: it.itemId, status: 'rejected', code: 'stale_sequence', reason: `sequence ${it.sequence} for ${it.key} is not newer than ${last}, already applied` };
      return;
    }
    pendingMax.set(it.key, it.sequence);
    passing.push({ index, itemId: it.itemId, payload: it.payload });
  });
  const results = passing.length ? apply(passing.map(({ itemId, payload }) => ({ itemId, payload }))) : [];
  passing.forEach((p, i) => {
    const r = results[i]!;
    answers[p.index] = r;
    if (r.status === 'accepted') {
      const it = items[p.index]!;
      lastSequence.set(it.key, Math.max(lastSequence.get(it.key) ?? -1, it.sequence));
    }
  });
  return answers as PushItemResult[];
}

export function pssRouter(state: SandboxState, auth: TokenAuthority): Router {
  const { market } = state;
  const cache = new ListCache(8);
  const fareBatches = new IdempotencyStore<BatchAnswer>('fare batch');
  const controlBatches = new IdempotencyStore<BatchAnswer>('inventory-control batch');
  const orders = new IdempotencyStore<unknown>('order');
  const fareSeq = new Map<string, number>();
  const controlSeq = new Map<string, number>();
  const now = () => market.clock.now().toISOString();

  const list = <T>(ctx: RequestContext, query: string, build: () => T[], keyOf: (t: T) => string, toWire: (t: T) => unknown): Reply => {
    const limit = intParam(ctx, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
    const items = cache.get(`${query}#${stateKey(state)}`, () => sortByKey(build(), keyOf));
    const { page, nextPageToken } = keysetPage(items, keyOf, ctx.query.get('pageToken'), query, limit);
    const data = page.map(toWire);
    return { kind: 'json', body: { data, nextPageToken }, records: data };
  };

  /** the requested local dates; absent: everything the PSS holds (inventory: from today) */
  const range = (ctx: RequestContext, fromToday = false) => {
    const held = market.flightWindow();
    const today = market.clock.now().toISOString().slice(0, 10);
    const fromDate = dateParam(ctx, 'fromDate', fromToday && today > held.fromDate ? today : held.fromDate);
    const toDate = dateParam(ctx, 'toDate', held.toDate);
    if (fromDate > toDate) throw badRequest('fromDate', `${fromDate} is after toDate ${toDate}`);
    return { fromDate, toDate };
  };

  const batch = <W, P>(
    ctx: RequestContext, store: IdempotencyStore<BatchAnswer>, counters: PushCounters, schema: z.ZodType<{ items: ({ itemId: string; key: string; sequence: number } & W)[] }>,
    toPayload: (item: W, index: number) => P, seq: Map<string, number>, apply: (accepted: { itemId: string; payload: P }[]) => PushItemResult[],
  ): Reply => {
    const key = IdempotencyStore.keyOf(ctx);
    const outcome = store.handle(key, ctx.body, now(), () => {
      const body = parseJsonBody(ctx, schema);
      const items = body.items.map((it, i) => ({ itemId: it.itemId, key: it.key, sequence: it.sequence, payload: toPayload(it, i) }));
      const results = applyBatch(items, seq, apply);
      state.version++;
      counters.batches++;
      for (const r of results) {
        if (r.status === 'accepted') counters.itemsAccepted++;
        else counters.itemsRejected++;
      }
      return { status: 200, answer: { idempotencyKey: key, replayed: false, receivedAt: now(), items: results } };
    });
    if ('conflict' in outcome) {
      counters.conflicts++;
      throw store.conflictError(key);
    }
    if (outcome.replayed) counters.replayed++;
    return { kind: 'json', status: outcome.remembered.status, body: { ...outcome.remembered.answer, replayed: outcome.replayed } };
  };

  return new Router()
    .add('POST', '/oauth2/token', tokenRoute(auth), { auth: false })
    .add('GET', '/v1/carriers', (ctx) => list(ctx, 'carriers', () => market.carriers(), (c) => c.code, (c) => ({ code: c.code, name: c.name, own: c.own })))
    .add('GET', '/v1/airports', (ctx) => list(ctx, 'airports', () => market.airports(), (a) => a.code,
      (a) => ({ code: a.code, name: a.name, timeZone: a.timeZone, latitude: a.lat, longitude: a.lon, ...(a.country ? { country: a.country } : {}) })))
    .add('GET', '/v1/rbd-ladders', (ctx) => list(ctx, 'rbds', () => market.rbds(), (r) => `${r.carrier}/${String(r.rank).padStart(3, '0')}/${r.rbd}`,
      (r) => ({ carrier: r.carrier, rbd: r.rbd, cabin: r.cabin, rank: r.rank, brand: r.name ?? null })))
    .add('GET', '/v1/flights', (ctx) => {
      const { fromDate, toDate } = range(ctx);
      return list(ctx, `flights:${fromDate}:${toDate}`, () => market.flights(fromDate, toDate), (f) => f.id, wireFlight);
    })
    .add('GET', '/v1/inventory', (ctx) => {
      const { fromDate, toDate } = range(ctx, true);
      return list(ctx, `inventory:${fromDate}:${toDate}`, () => market.inventory(fromDate, toDate), (i) => `${i.flightId} ${i.rbd}`, wireInventory);
    })
    .add('GET', '/v1/fares', (ctx) => list(ctx, 'fares', () => market.fares(), fareKey, wireFare))
    .add('GET', '/v1/booking-events', (ctx) => {
      const after = decodeCursor(ctx.query.get('after'));
      const limit = intParam(ctx, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
      const page = market.bookingEvents(after, limit);
      const data = page.items.map(wireBookingEvent);
      return { kind: 'json', body: { data, nextCursor: encodeCursor(page.next), hasMore: page.hasMore }, records: data, headers: nextLink(ctx, page.hasMore, encodeCursor(page.next)) };
    })
    .add('POST', '/v1/fares/batches', (ctx) => batch(ctx, fareBatches, state.pushes.fares, fareBatchSchema, (it: { fare: z.infer<typeof wireFareSchema> }, i): Fare => {
      const f = it.fare;
      return {
        carrier: f.carrier, origin: f.origin, destination: f.destination, rbd: f.rbd, cabin: f.cabin, fareBasis: f.fareBasis, pointOfSale: f.pointOfSale,
        currency: f.currency, amountMinor: money(f.amount, f.currency, `items.${i}.fare.amount`), validFrom: f.validFrom, validTo: f.validTo,
        ...(f.flightId ? { flightId: f.flightId } : {}),
      };
    }, fareSeq, (accepted) => market.applyFares(accepted.map((a) => ({ itemId: a.itemId, fare: a.payload })))))
    .add('POST', '/v1/inventory-controls/batches', (ctx) => batch(ctx, controlBatches, state.pushes.controls, controlBatchSchema, (it: { control: z.infer<typeof wireControlSchema> }, i): InventoryControl => {
      const c = it.control;
      if ((c.bidPrice === null) !== (c.currency === null) && c.bidPrice !== null) throw badRequest(`items.${i}.control.currency`, 'a bid price needs its currency');
      return {
        flightId: c.flightId, rbd: c.rbd, cabin: c.cabin, authorised: c.authorised, status: c.status,
        bidPriceMinor: c.bidPrice === null ? null : money(c.bidPrice, c.currency!, `items.${i}.control.bidPrice`), currency: c.currency,
      };
    }, controlSeq, (accepted) => market.applyControls(accepted.map((a) => ({ itemId: a.itemId, control: a.payload })))))
    .add('POST', '/v1/orders', (ctx) => {
      const key = IdempotencyStore.keyOf(ctx);
      const counters = state.pushes.orders;
      const outcome = orders.handle(key, ctx.body, now(), () => {
        const o = parseJsonBody(ctx, orderSchema);
        const result = market.createOrder({
          offerId: o.offerId, origin: o.origin, destination: o.destination, passengers: o.passengers, pointOfSale: o.pointOfSale, channel: o.channel,
          segments: o.segments,
          expectedTotal: o.expectedTotal ? { currency: o.expectedTotal.currency, amountMinor: money(o.expectedTotal.amount, o.expectedTotal.currency, 'expectedTotal.amount') } : null,
          ancillaries: o.ancillaries.map((a, i) => ({ code: a.code, currency: a.currency, segment: a.segment, amountMinor: money(a.amount, a.currency, `ancillaries.${i}.amount`) })),
        });
        counters.batches++;
        if (!result.ok) {
          counters.itemsRejected++;
          return { status: 409, answer: { error: { code: result.code, message: result.reason } } };
        }
        state.version++;
        counters.itemsAccepted++;
        return {
          status: 201,
          answer: { orderId: result.orderId, recordLocator: result.recordLocator, createdAt: result.createdAt, bookingIds: result.bookingIds, total: formatAmount(result.totalMinor, result.currency), currency: result.currency },
        };
      });
      if ('conflict' in outcome) {
        counters.conflicts++;
        throw orders.conflictError(key);
      }
      if (outcome.replayed) counters.replayed++;
      const { status, answer } = outcome.remembered;
      return { kind: 'json', status: outcome.replayed && status === 201 ? 200 : status, body: answer };
    });
}

/**
 * RFC 8288 `Link: <…>; rel="next"` for a stream page that has a next one, so a client can ask for it as soon
 * as the headers arrive, before it has read this page's body.
 */
export function nextLink(ctx: RequestContext, hasMore: boolean, cursor: string): Record<string, string> {
  if (!hasMore) return {};
  const q = new URLSearchParams(ctx.query);
  q.set('after', cursor);
  return { link: `<${ctx.url.pathname}?${q.toString()}>; rel="next"` };
}

export function fareKey(f: Fare): string {
  return [f.carrier, f.origin, f.destination, f.rbd, f.fareBasis, f.pointOfSale, f.currency, f.validFrom, f.validTo, f.flightId ?? ''].join('|');
}
