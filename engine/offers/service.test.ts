/**
 * The offer service over a real store: the synthetic hub network and a booking history go through the ETL
 * (a feed run committing pages, as a PSS sync does); offers are shopped, read, re-validated and ordered
 * through the API dispatcher. The PSS here is a recording double of the order port (an external system);
 * the real sandbox PSS is exercised in electron/backend/offers-sandbox.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../backend';
import { fixedClock } from '../domain/time';
import type { Booking, Carrier } from '../domain/types';
import type { FeedConnector, SyncContext, SyncPage, SyncResult } from '../ports/feed-sync';
import { inProcessClient, type Caller } from '../api/dispatch';
import type { Contract } from '../api/contract/index';
import { syntheticHistory } from '../bundling/synthetic-history';
import { DEFAULT_DEFINITIONS } from '../bundling/catalogue';
import { saveCycleOutput } from '../pricing/store';
import { FARE_COMPONENT_ORDER, type FareRecommendation } from '../pricing/types';
import { syntheticHubNetwork } from './synthetic-network';
import { DEFAULT_OFFER_TAXES, closeClasses, pssOrderFor } from './service';
import type { OfferOrderPort, PssOrderOutcome, PssOrderRequest } from '../ports/pss';
import { buildInventoryIndex } from './inventory';
import type { Offer } from './types';

const NOW = '2026-02-20T10:00:00.000Z';
const DEP = '2026-03-02';
const net = syntheticHubNetwork({ seed: 3, spokes: 4, rotationsPerDay: 2, startDate: '2026-03-01', days: 6, codeshareEvery: 4 });
const history = syntheticHistory({
  seed: 11, days: 60, bookingsPerFlight: 6, businessShare: 0.3, startDate: '2025-11-01', priceMultipliers: [0.8, 1, 1.25],
  items: [
    { code: 'BAG1', basePriceMinor: 3000, wtp: { business: { meanMinor: 3800, scaleMinor: 900 }, leisure: { meanMinor: 2600, scaleMinor: 700 } } },
    { code: 'SEAT_STD', basePriceMinor: 800, wtp: { business: { meanMinor: 1100, scaleMinor: 400 }, leisure: { meanMinor: 500, scaleMinor: 300 } } },
    { code: 'FLEX_CHG', basePriceMinor: 3500, wtp: { business: { meanMinor: 4500, scaleMinor: 1500 }, leisure: { meanMinor: 1200, scaleMinor: 800 } } },
  ],
});

/** Hands the synthetic data to the ETL as a PSS sync would: reference data, flights, inventory, fares, bookings. */
class FixtureFeed implements FeedConnector {
  readonly feed = 'pss' as const;
  readonly endpoint = 'fixture:synthetic-hub-network';
  constructor(private readonly pages: () => SyncPage['records'][]) {}
  breaker() { return { state: 'closed' as const, failures: 0, openedAt: null, transitions: [] } as unknown as ReturnType<FeedConnector['breaker']>; }
  async sync(ctx: SyncContext): Promise<SyncResult> {
    let written = 0; let records = 0; let quarantined = 0;
    for (const r of this.pages()) {
      const c = await ctx.commit({ stream: r.kind, records: r, quarantined: [] });
      written += c.written; quarantined += c.quarantined; records += r.items.length;
    }
    return { status: 'ok', recordsIn: records, recordsWritten: written, recordsQuarantined: quarantined, retries: 0, latencyMs: null, breakerTransitions: [], fallback: null, error: null, detail: {} };
  }
}

const carriers: Carrier[] = [{ code: 'DF', name: 'Demo Flights', own: true }, { code: 'PA', name: 'Partner Air', own: false }];
let inventory = net.inventory;
const pages = (): SyncPage['records'][] => [
  { kind: 'carriers', items: carriers },
  { kind: 'airports', items: [...net.airports, ...history.airports.filter((a) => !net.airports.some((b) => b.code === a.code))] },
  { kind: 'rbds', items: net.ladder },
  { kind: 'flights', items: [...net.legs, ...history.legs] },
  { kind: 'inventory', items: inventory },
  { kind: 'fares', items: net.fares },
  { kind: 'bookings', items: history.bookings as Booking[] },
];

let dir: string;
let backend: Backend;
let orders: RecordingOrders;
const clock = fixedClock(NOW);
const rita: Caller = { user: 'rita', role: 'revenue_manager' };
const ann: Caller = { user: 'ann', role: 'analyst' };
const as = (c: Caller) => inProcessClient<Contract>(backend.dispatcher, c);

/** The PSS's order endpoint as a recording double: answers by a rule, remembers each call. */
class RecordingOrders implements OfferOrderPort {
  calls: { order: PssOrderRequest; key: string }[] = [];
  answer: (o: PssOrderRequest) => PssOrderOutcome = (o) => ({
    ok: true, orderId: `ORD-${this.calls.length}`, recordLocator: `LOC${this.calls.length}`, createdAt: NOW, bookingIds: o.segments.map((_, i) => `LOC${this.calls.length}-${i + 1}`),
    totalMinor: o.expectedTotal!.amountMinor, currency: o.expectedTotal!.currency, replayed: false,
  });
  async createOrder(order: PssOrderRequest, key: string): Promise<PssOrderOutcome> {
    this.calls.push({ order, key });
    return this.answer(order);
  }
}

async function sync(): Promise<void> {
  const [run] = await backend.feeds.sync(['pss'], 'test', true);
  expect(run!.status).toBe('ok');
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-offers-svc-'));
  clock.set(NOW);
  inventory = net.inventory;
  orders = new RecordingOrders();
  backend = createBackend({ dataDir: dir, clock, connectors: [new FixtureFeed(pages)], mode: 'sandbox', host: 'test', version: '0.0.0-test', offers: { orders } });
  await sync();
});
afterEach(async () => {
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const request = { origin: 'LHR', destination: 'MAD', departureDate: DEP, passengers: { ADT: 2, CHD: 1, INF: 1 }, pointOfSale: 'GB', ancillaries: ['BAG1' as const] };

function storeFare(o: Offer, journey = 0): number {
  const j = o.journeys[journey]!;
  const legs = j.segmentIds.map((sid) => o.segments.find((s) => s.id === sid)!);
  const row = backend.store.db.prepare(`SELECT amount_minor FROM fares WHERE origin = ? AND destination = ? AND rbd = ? AND point_of_sale = ? AND fare_basis = ?
    AND flight_id IN ('', ?) ORDER BY flight_id = '' LIMIT 1`).get(j.origin, j.destination, j.rbd, o.request.pointOfSale, j.fareBasis, legs.length === 1 ? legs[0]!.flightId : '') as { amount_minor: number };
  return row.amount_minor;
}

describe('offer service over the store', () => {
  it('shops a market: totals add up, fares are the store\'s, taxes the defaults, offers stored and served as NDC', async () => {
    const a = await as(ann)('offers.shop', request);
    expect(a.offers.length).toBeGreaterThan(3);
    expect(a.context).toMatchObject({ ownerCode: 'DF', sources: { taxes: 'default', 'bundles.catalogue': 'default' } });
    expect(new Set(a.offers.map((o) => o.brand.code))).toEqual(new Set(['LIGHT', 'CLASSIC', 'FLEX']));
    // the catalogue's names of what the bundles include, for the screen (the offer itself carries codes)
    for (const d of DEFAULT_DEFINITIONS) expect(a.serviceNames[d.code]).toBe(d.name);
    expect(a.offers.flatMap((o) => o.brand.includes).every((c) => typeof a.serviceNames[c] === 'string')).toBe(true);
    for (const o of a.offers) {
      const items = o.items.reduce((s, i) => s + i.totalMinor, 0);
      const b = o.breakdown;
      expect(items).toBe(o.total.amountMinor);
      expect(b.fareMinor + b.bundleMinor + b.taxesMinor + b.ancillariesMinor).toBe(o.total.amountMinor);
      const fare = storeFare(o);
      expect(o.journeys[0]!.bidPrice.fareMinor).toBe(fare);
      const adult = o.items.find((i) => i.kind === 'fare' && i.paxType === 'ADT')!;
      expect(adult.unitBaseMinor).toBe(fare);
      // the default taxes: 7.5 % of the fare on the journey, 4 % at the first departure (transfers exempt)
      expect(adult.unitTaxes).toEqual([{ code: 'TX', amountMinor: Math.round(fare * 0.075) }, { code: 'PS', amountMinor: Math.round(fare * 0.04) }]);
      expect(o.items.find((i) => i.paxType === 'INF')!.unitTaxes).toEqual([]);
    }
    const stored = await as(ann)('offers.get', { offerId: a.offers[0]!.id });
    expect(stored).toMatchObject({ status: 'offered', shoppingResponseId: a.shoppingResponseId, offer: a.offers[0] });
    const listed = await as(ann)('offers.list', { origin: 'LHR', destination: 'MAD' });
    expect(listed.rows).toHaveLength(a.offers.length);
    const ndc = (await as(ann)('offers.ndc', { shoppingResponseId: a.shoppingResponseId })).document;
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'schema', 'ndc-air-shopping-rs.schema.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true });
    addFormats(ajv);
    expect(ajv.validate(schema, ndc), JSON.stringify(ajv.errors?.slice(0, 2))).toBe(true);
  });

  it('bad requests name the field through the dispatcher', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...request, origin: 'XXX' }, 'origin'],
      [{ ...request, destination: 'QQQ' }, 'destination'],
      [{ ...request, departureDate: '2026-02-19' }, 'departureDate'],
      [{ ...request, passengers: { ADT: 0 } }, 'passengers'],
      [{ ...request, passengers: { ADT: 6, CHD: 4 } }, 'passengers'],
      [{ ...request, returnDate: '2026-03-01' }, 'returnDate'],
      [{ ...request, origin: 'lhr' }, 'origin'],
    ];
    for (const [input, field] of cases) {
      const env = await backend.dispatcher.call('offers.shop', input, { caller: ann, transport: 'inproc' });
      expect(env.ok, JSON.stringify(input)).toBe(false);
      if (!env.ok) {
        expect(env.error.code).toBe('validation');
        expect(env.error.field).toBe(field);
        expect(env.error.message).toContain(field);
      }
    }
    const missing = await backend.dispatcher.call('offers.get', { offerId: 'nope' }, { caller: ann, transport: 'inproc' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found', field: 'offerId' } });
  });

  it('explains a fare by the pricing engine only when its recommendation is the fare in force', async () => {
    const a = await as(ann)('offers.shop', { ...request, destination: 'FRA', ancillaries: [] });
    const [one, two] = a.offers.filter((o) => o.segments.length === 1 && o.brand.code === 'LIGHT');
    const fareOf = (o: Offer) => o.journeys[0]!.bidPrice.fareMinor;
    const rec = (o: Offer, amount: number): FareRecommendation => {
      const seg = o.segments[0]!;
      return {
        kind: 'fare', key: `${seg.flightId}/Y/${seg.rbd}`, flightId: seg.flightId, cabin: 'Y', rbd: seg.rbd, origin: seg.origin, destination: seg.destination, departureDate: seg.localDate,
        daysToDeparture: 10, currency: 'EUR', currentMinor: fareOf(o), recommendedMinor: amount, pricingMode: 'continuous',
        explanation: { currency: 'EUR', components: FARE_COMPONENT_ORDER.map((code) => ({ code, amountMinor: code === 'base' ? amount - 500 : code === 'forecast' ? 500 : 0, detail: {} })), guardrailsApplied: [], conflicts: [] },
      };
    };
    const context = (o: Offer) => ({
      flightId: o.segments[0]!.flightId, cabin: 'Y', currency: 'EUR', daysToDeparture: 10, fromPeriod: 0, physicalCapacity: 150, authorisedCapacity: 150, sold: 10, remainingSeats: 140,
      demandModel: 'independent' as const, forecastMethod: 'additive', demandToCome: 60, demandSd: 8, showRate: 0.95, fallback: null, bidPriceMinor: 0, elasticity: null,
      competitor: { strategy: 'none', minMinor: null, q1Minor: null, q3Minor: null, carriers: [], targetMinor: null, note: null, rates: {} },
    });
    // flight one: the recommendation is the fare in force (approved, pushed, synced); flight two: a cheaper proposal not yet approved
    saveCycleOutput(backend.store, {
      cycleId: 'c1', now: NOW, dcps: [], forecasts: [], warnings: [], contexts: [context(one!), context(two!)],
      stats: { departures: 2, cabins: 2, rbds: 2, forecastKeys: 0, partnerOperated: 0, influenced: 0, ms: 1 }, recommendations: [rec(one!, fareOf(one!)), rec(two!, fareOf(two!) - 1000)],
    });
    const b = await as(ann)('offers.shop', { ...request, destination: 'FRA', ancillaries: [] });
    expect(b.context).toMatchObject({ pricingCycle: 'c1', recommendations: 2 });
    const on = (o: Offer) => b.offers.find((x) => x.segments[0]!.flightId === o.segments[0]!.flightId && x.brand.code === 'LIGHT')!;
    const explained = on(one!).journeys[0]!;
    expect(explained.bidPrice.fareMinor).toBe(fareOf(one!));
    expect(explained.adultPrice.components.map((c) => c.key)).toEqual(FARE_COMPONENT_ORDER.map((c) => `pricing:${c}`));
    expect(explained.adultPrice.components.slice(0, 2).map((c) => c.amountMinor)).toEqual([fareOf(one!) - 500, 500]);
    const proposed = on(two!).journeys[0]!;
    expect(proposed.bidPrice.fareMinor).toBe(fareOf(two!));
    expect(proposed.adultPrice.components.map((c) => c.key)).toEqual(['fare']);
  });

  it('reads taxes and settings from the store and names a bad setting', async () => {
    const set = (key: string, value: unknown) => backend.store.db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
      .run(key, JSON.stringify(value), new Date().toISOString());
    set('offers.taxes', [{ code: 'UB', name: 'Passenger service charge', scope: 'departure', amount: { kind: 'fixed', amountMinor: 1200, currency: 'EUR' } }]);
    set('offers.settings', { maxOffers: 2 });
    const a = await as(ann)('offers.shop', request);
    expect(a.offers).toHaveLength(2);
    expect(a.context.sources).toMatchObject({ taxes: 'settings', offerSettings: 'settings' });
    expect(a.offers[0]!.taxes.map((t) => t.code)).toEqual(['UB']);
    set('offers.settings', { maxOffers: 0 });
    await expect(as(ann)('offers.shop', request)).rejects.toMatchObject({ code: 'unavailable', field: 'offers.settings', message: expect.stringContaining('offers.settings.maxOffers') });
    set('offers.settings', {});
    set('bundles.catalogue', { definitions: [], prices: [] });
    await expect(as(ann)('bundles.catalogue', {})).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/setting bundles\.catalogue: .*definitions/) });
  });

  it('orders at the PSS: one order per journey, bundle items at 0, extras per passenger and unit, the offer marked ordered', async () => {
    const a = await as(ann)('offers.shop', { ...request, returnDate: '2026-03-05' });
    const flex = a.offers.find((o) => o.brand.code === 'FLEX')!;
    await expect(as(ann)('offers.order', { offerId: flex.id })).rejects.toMatchObject({ code: 'forbidden' });
    const r = await as(rita)('offers.order', { offerId: flex.id });
    expect(r).toMatchObject({ status: 'ordered', ordered: true, decidedBy: 'pss' });
    expect(r.orders.map((o) => o.journeyId)).toEqual(['PJ1', 'PJ2']);
    expect(orders.calls.map((c) => c.key)).toEqual([`offer:${flex.id}#1`, `offer:${flex.id}#2`]);
    const first = orders.calls[0]!.order;
    const j = flex.journeys[0]!;
    expect(first).toMatchObject({ origin: 'LHR', destination: 'MAD', passengers: 3, pointOfSale: 'GB', channel: 'direct', expectedTotal: { amountMinor: j.bidPrice.fareMinor * 3, currency: 'EUR' } });
    expect(first.segments).toEqual(j.segmentIds.map((sid) => ({ flightId: flex.segments.find((s) => s.id === sid)!.flightId, rbd: j.rbd })));
    const legs = j.segmentIds.length;
    // Flex includes BAG1 (per journey), SEAT_XL and MEAL (per segment), PRIO, FLEX_CHG, FLEX_REF (per journey): 3 seated passengers, all at 0
    const included = first.ancillaries.filter((x) => x.amountMinor === 0);
    expect(included.filter((x) => x.code === 'SEAT_XL')).toHaveLength(3 * legs);
    expect(included.filter((x) => x.code === 'BAG1')).toHaveLength(3);
    expect(first.ancillaries.every((x) => x.amountMinor === 0)).toBe(true); // BAG1 asked for is in the brand: nothing bought
    expect(r.notes.join(' ')).toMatch(/bundle step .* kept with the order here.*infant/s);
    expect((await as(ann)('offers.get', { offerId: flex.id }))).toMatchObject({ status: 'ordered', orderId: 'ORD-1 ORD-2' });
    await expect(as(rita)('offers.order', { offerId: flex.id })).rejects.toMatchObject({ code: 'conflict', field: 'offerId' });
  });

  it('an expired offer answers expired with a fresh offer that replaces it; nothing reaches the PSS', async () => {
    const a = await as(ann)('offers.shop', request);
    const o = a.offers[0]!;
    clock.set('2026-02-20T10:31:00.000Z');
    const r = await as(rita)('offers.order', { offerId: o.id });
    expect(r).toMatchObject({ status: 'expired', ordered: false, decidedBy: 'revalidation', reason: expect.stringContaining('expired at') });
    expect(r.fresh).toBeDefined();
    expect(r.fresh!.total.amountMinor).toBe(o.total.amountMinor);
    expect(orders.calls).toHaveLength(0);
    expect(await as(ann)('offers.get', { offerId: o.id })).toMatchObject({ status: 'replaced', replacedBy: r.fresh!.id });
    expect(await as(ann)('offers.get', { offerId: r.fresh!.id })).toMatchObject({ status: 'offered' });
    await expect(as(rita)('offers.order', { offerId: o.id })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining(r.fresh!.id) });
  });

  it('a flight sold out since the offer answers sold_out from the store, and from the PSS with a fresh offer in a higher class', async () => {
    const a = await as(ann)('offers.shop', { ...request, destination: 'FRA', ancillaries: [] });
    const o = a.offers.find((x) => x.brand.code === 'LIGHT')!;
    const flight = o.segments[0]!.flightId;
    // a newer PSS sync: the offer's flight is full in every class
    inventory = net.inventory.map((i) => (i.flightId === flight ? { ...i, sold: i.authorised, status: 'closed' as const } : i));
    await sync();
    const r = await as(rita)('offers.revalidate', { offerId: o.id });
    expect(r).toMatchObject({ status: 'sold_out', soldOut: [{ flightId: flight, rbd: o.segments[0]!.rbd, seats: 0, needed: 3 }] });
    expect(r.fresh?.segments.some((s) => s.flightId === flight) ?? false).toBe(false);

    // the store says open, the PSS says sold out: a fresh offer on the same flight one class up
    inventory = net.inventory;
    await sync();
    const b = await as(ann)('offers.shop', { ...request, destination: 'FRA', ancillaries: [] });
    const p = b.offers.find((x) => x.brand.code === 'LIGHT' && x.segments[0]!.flightId === flight)!;
    orders.answer = () => ({ ok: false, code: 'sold_out', reason: `${p.segments[0]!.rbd} has fewer than 3 seats on ${flight}` });
    const s = await as(rita)('offers.order', { offerId: p.id });
    expect(s).toMatchObject({ status: 'sold_out', ordered: false, decidedBy: 'pss', pss: { code: 'sold_out' } });
    expect(s.fresh!.segments[0]!.flightId).toBe(flight);
    const rank = (rbd: string) => net.ladder.find((r) => r.rbd === rbd)!.rank;
    expect(rank(s.fresh!.segments[0]!.rbd)).toBeLessThan(rank(p.segments[0]!.rbd));
    expect(await as(ann)('offers.get', { offerId: p.id })).toMatchObject({ status: 'replaced', replacedBy: s.fresh!.id });
  });

  it('a PSS price change, a lost answer and a second journey refused each answer with their reason', async () => {
    const a = await as(ann)('offers.shop', { ...request, returnDate: '2026-03-05', ancillaries: [] });
    const [o1, o2, o3] = a.offers;
    orders.answer = () => ({ ok: false, code: 'price_changed', reason: 'the fare is now 99999 EUR for 3' });
    const p = await as(rita)('offers.order', { offerId: o1!.id });
    expect(p).toMatchObject({ status: 'price_changed', ordered: false, reason: expect.stringContaining('sync the PSS feed') });
    expect(p.fresh).toBeUndefined();

    orders.answer = () => { throw new Error('connect ECONNREFUSED 127.0.0.1:1'); };
    await expect(as(rita)('offers.order', { offerId: o2!.id })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('order again') });
    expect(await as(ann)('offers.get', { offerId: o2!.id })).toMatchObject({ status: 'offered' });

    let n = 0;
    const ok = new RecordingOrders().answer;
    orders.answer = (x) => (++n === 1 ? ok(x) : { ok: false, code: 'departed', reason: 'flight has departed or closed for sale' });
    const q = await as(rita)('offers.order', { offerId: o3!.id });
    expect(q).toMatchObject({ status: 'partially_ordered', ordered: true, orders: [{ journeyId: 'PJ1' }], reason: expect.stringContaining('one-way') });
    expect(await as(ann)('offers.get', { offerId: o3!.id })).toMatchObject({ status: 'ordered' });
  });

  it('without an order port offers are shopped but not ordered', async () => {
    await backend.close();
    backend = createBackend({ dataDir: dir, clock, connectors: [], mode: 'sandbox', host: 'test', version: '0.0.0-test' });
    const a = await as(ann)('offers.shop', request);
    await expect(as(rita)('offers.order', { offerId: a.offers[0]!.id })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('no PSS order connection') });
  });

  it('bundles: catalogue, brand prices per market with expected revenue, estimates with uncertainty', async () => {
    const cat = await as(ann)('bundles.catalogue', {});
    expect(cat.sources['bundles.catalogue']).toBe('default');
    expect(cat.brands.map((b) => b.code)).toEqual(['LIGHT', 'CLASSIC', 'FLEX']);
    const br = await as(ann)('bundles.brands', { origin: 'FRA' });
    expect(br.total).toBe(4);
    const lhr = br.rows.find((r) => r.destination === 'LHR')!;
    const lowest = backend.store.db.prepare("SELECT min(amount_minor) FROM fares WHERE origin = 'FRA' AND destination = 'LHR' AND cabin = 'Y' AND point_of_sale = 'DE'").pluck().get();
    expect(lhr).toMatchObject({ pointOfSale: 'DE', currency: 'EUR', haul: 'short', segmentsPerJourney: 1, fare: { amountMinor: lowest, source: 'lowest_filed' } });
    const [light, classic, flex] = lhr.brands;
    expect(light!.priceMinor).toBe(lowest);
    expect(classic!.priceMinor).toBeGreaterThanOrEqual(light!.priceMinor);
    expect(flex!.priceMinor).toBeGreaterThanOrEqual(classic!.priceMinor);
    for (const b of lhr.brands) {
      expect(b.components.reduce((s, c) => s + c.amountMinor, 0)).toBe(b.priceMinor);
      if (b.code !== 'LIGHT') expect(b.upliftMinor).toBeLessThan(b.partsMinor);
    }
    const e = lhr.expected;
    expect(e.revenuePerPax).toBeCloseTo(lowest as number + e.brandStepPerPax + e.alaCartePerPax, 6);
    expect(e.shares.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);
    expect(lhr.ruleLevels.map((l) => l.level)).toEqual([0, 1, 2, 3]);
    const est = await as(ann)('bundles.estimates', { currency: 'EUR', code: 'BAG1' });
    expect(est.used.bookings).toBe(history.bookings.length);
    const pooled = est.items.find((i) => i.segment === 'all')!;
    expect(pooled.attachRate.ci95[0]).toBeLessThan(pooled.attachRate.raw);
    expect(pooled.attachRate.ci95[1]).toBeGreaterThan(pooled.attachRate.raw);
    expect(pooled.wtp).toMatchObject({ source: 'price_response' });
    expect(pooled.wtp!.meanStdErrMinor).toBeGreaterThan(0);
    expect(est.segments.map((s) => s.key.purpose).sort()).toContain('business');
  });
});

describe('order conventions', () => {
  it('a segment extra is split over the segments exactly; the INF item is never sent', () => {
    const base = { id: 'O', journeyId: 'PJ1', mandatory: false, unitTaxes: [], paxType: 'ADT' as const, paxCount: 2 };
    const offer = {
      id: 'O', request: { ...request, passengers: { ADT: 2, CHD: 0, INF: 1 }, cabin: 'Y', channel: 'ota' }, currency: 'EUR',
      segments: [{ id: 'S1', flightId: 'F1', rbd: 'Q' }, { id: 'S2', flightId: 'F2', rbd: 'Q' }],
      journeys: [{ id: 'PJ1', origin: 'LHR', destination: 'MAD', segmentIds: ['S1', 'S2'], rbd: 'Q', bidPrice: { fareMinor: 10_000, sumOfLegsMinor: 0 } }],
      items: [
        { ...base, kind: 'ancillary', services: ['SEAT_STD'], unitBaseMinor: 1001, unitTotalMinor: 1001, totalMinor: 2002 },
        { ...base, kind: 'ancillary', services: ['BAG1'], paxType: 'INF', paxCount: 1, unitBaseMinor: 3000, unitTotalMinor: 3000, totalMinor: 3000 },
      ],
    } as unknown as Offer;
    const o = pssOrderFor(offer, offer.journeys[0]!, (c) => (c === 'SEAT_STD' ? 'segment' : 'journey'));
    expect(o.ancillaries).toEqual([
      { code: 'SEAT_STD', amountMinor: 500, currency: 'EUR', segment: 1 }, { code: 'SEAT_STD', amountMinor: 501, currency: 'EUR', segment: 2 },
      { code: 'SEAT_STD', amountMinor: 500, currency: 'EUR', segment: 1 }, { code: 'SEAT_STD', amountMinor: 501, currency: 'EUR', segment: 2 },
    ]);
    expect(o).toMatchObject({ passengers: 2, channel: 'ota', expectedTotal: { amountMinor: 20_000, currency: 'EUR' } });
  });

  it('closing a class on a leg closes the classes below it there and nowhere else', () => {
    const idx = buildInventoryIndex(net.inventory, net.ladder, () => 'DF');
    const leg = net.legs[0]!.id;
    const other = net.legs[1]!.id;
    const closed = closeClasses(idx, net.ladder, [leg], 'M');
    expect(['M', 'H', 'Q', 'V'].map((r) => closed.legs.get(leg)!.seats.get(r))).toEqual([0, 0, 0, 0]);
    expect(closed.legs.get(leg)!.seats.get('B')).toBe(idx.legs.get(leg)!.seats.get('B'));
    expect(closed.legs.get(other)).toBe(idx.legs.get(other));
    expect(idx.legs.get(leg)!.seats.get('M')).toBeGreaterThan(0);
    expect(DEFAULT_OFFER_TAXES.every((t) => t.amount.kind === 'percent_of_fare')).toBe(true);
  });
});

