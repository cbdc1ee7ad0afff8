/**
 * Offers end to end on the composition the hosts run: the sandbox PSS (the market simulator's hub network,
 * in process), the PSS adapter syncing it into a real store and taking orders, the backend's API. Shopping a
 * sandbox market, bad requests, an order the sandbox PSS books and the next sync brings back as a booking,
 * an expired offer and a class sold out at the PSS.
 *
 * It lives here, with the composition root, because engine/ must not import connectors/ (engine/boundaries).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../engine/backend';
import { addDays, fixedClock } from '../../engine/domain/time';
import { inProcessClient, type Caller } from '../../engine/api/dispatch';
import type { Contract, Offer } from '../../engine/api/contract/index';
import { startTestSandbox, type TestSandbox } from '../../connectors/sandbox/test-support/fixture';
import { PssConnector } from '../../connectors/pss/connector';

const TODAY = '2026-03-01';
const DEP = addDays(TODAY, 3);
let sb: TestSandbox;
let pss: PssConnector;
let backend: Backend;
let dir: string;
const clock = fixedClock(`${TODAY}T00:00:00.000Z`);
const rita: Caller = { user: 'rita', role: 'revenue_manager' };
const ann: Caller = { user: 'ann', role: 'analyst' };
const as = (c: Caller) => inProcessClient<Contract>(backend.dispatcher, c);
const request = { origin: 'FRA', destination: 'LHR', departureDate: DEP, passengers: { ADT: 2, CHD: 1 }, pointOfSale: 'DE', ancillaries: ['BAG1' as const, 'WIFI' as const] };

async function sync(): Promise<void> {
  const [run] = await backend.feeds.sync(['pss'], 'test', true);
  // bookings on flights outside the synced window are quarantined (unknown flight): degraded, not failed
  expect(['ok', 'degraded'], run!.error ?? '').toContain(run!.status);
}

beforeAll(async () => {
  sb = await startTestSandbox({ scenario: 'sandbox', historyDays: 1, demandMultiplier: 0.01 });
  expect(sb.market.clock.now().toISOString()).toBe(`${TODAY}T00:00:00.000Z`);
  pss = new PssConnector({ ...sb.settings('pss'), window: { fromDate: TODAY, toDate: addDays(TODAY, 6) } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-offers-sandbox-'));
  // wired as the hosts wire it: the PSS adapter is the decisions' PSS port, and offers order through it too
  backend = createBackend({ dataDir: dir, clock, connectors: [pss], mode: 'sandbox', host: 'test', version: '0.0.0-test', decisions: { pss, autoPush: false } });
  await sync();
});
afterAll(async () => {
  await backend?.close();
  await pss?.close();
  await sb?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The fare the sandbox PSS files for the journey's RBD (a fare for this departure first). */
function filedFare(filed: ReturnType<TestSandbox['market']['fares']>, o: Offer): number {
  const j = o.journeys[0]!;
  const flight = o.segments.length === 1 ? o.segments[0]!.flightId : undefined;
  const fares = filed.filter((f) => f.origin === j.origin && f.destination === j.destination && f.rbd === j.rbd && f.pointOfSale === 'DE'
    && f.validFrom <= DEP && f.validTo >= DEP && (!f.flightId || f.flightId === flight));
  return (fares.find((f) => f.flightId) ?? fares.sort((a, b) => a.amountMinor - b.amountMinor)[0])!.amountMinor;
}

describe('offers over the sandbox PSS', () => {
  it('shops a sandbox market: totals add up, fares are the store\'s and the PSS\'s', async () => {
    const a = await as(ann)('offers.shop', request);
    expect(a.offers.length).toBeGreaterThanOrEqual(3);
    expect(a.context).toMatchObject({ ownerCode: sb.market.ownCarrier });
    const filed = sb.market.fares();
    for (const o of a.offers) {
      expect(o.items.reduce((s, i) => s + i.totalMinor, 0)).toBe(o.total.amountMinor);
      const b = o.breakdown;
      expect(b.fareMinor + b.bundleMinor + b.taxesMinor + b.ancillariesMinor).toBe(o.total.amountMinor);
      const j = o.journeys[0]!;
      const stored = backend.store.db.prepare(`SELECT amount_minor FROM fares WHERE origin = ? AND destination = ? AND rbd = ? AND point_of_sale = 'DE' AND fare_basis = ?
        AND valid_from <= ? AND valid_to >= ? ORDER BY flight_id = '' LIMIT 1`).pluck().get(j.origin, j.destination, j.rbd, j.fareBasis, DEP, DEP);
      expect(j.bidPrice.fareMinor).toBe(stored);
      expect(j.bidPrice.fareMinor).toBe(filedFare(filed, o));
      expect(j.adultPrice.components.reduce((s, c) => s + c.amountMinor, 0)).toBe(j.adultPrice.amountMinor);
    }
    expect(new Set(a.offers.map((o) => o.brand.code))).toEqual(new Set(['LIGHT', 'CLASSIC', 'FLEX']));
  });

  it('bad requests name the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...request, destination: 'ZZZ' }, 'destination'],
      [{ ...request, departureDate: addDays(TODAY, -1) }, 'departureDate'],
      [{ ...request, passengers: { ADT: 0 } }, 'passengers'],
      [{ ...request, passengers: { ADT: 10 } }, 'passengers'],
      [{ ...request, returnDate: addDays(DEP, -1) }, 'returnDate'],
    ];
    for (const [input, field] of cases) {
      await expect(as(ann)('offers.shop', input as never), JSON.stringify(input)).rejects.toMatchObject({ code: 'validation', field });
    }
  });

  it('an order is booked by the sandbox PSS and comes back as a booking in the next sync', async () => {
    const a = await as(ann)('offers.shop', request);
    const o = a.offers.find((x) => x.brand.code === 'CLASSIC')!;
    const flight = o.segments[0]!.flightId;
    const soldBefore = backend.store.db.prepare('SELECT sold FROM inventory WHERE flight_id = ? AND rbd = ?').pluck().get(flight, o.segments[0]!.rbd) as number;
    const before = (await sb.status()).pushes.orders.itemsAccepted;
    const r = await as(rita)('offers.order', { offerId: o.id });
    expect(r, r.reason).toMatchObject({ status: 'ordered', ordered: true, decidedBy: 'pss' });
    const ref = r.orders[0]!;
    expect(ref.recordLocator).toMatch(/^[A-Z0-9]{6}$/);
    expect(ref.pssTotal).toEqual({ amountMinor: o.journeys[0]!.bidPrice.fareMinor * 3, currency: o.currency });
    expect((await sb.status()).pushes.orders.itemsAccepted).toBe(before + 1);
    expect(await as(ann)('offers.get', { offerId: o.id })).toMatchObject({ status: 'ordered', orderId: ref.orderId });

    await sync();
    const booked = backend.store.db.prepare('SELECT * FROM bookings WHERE record_locator = ?').all(ref.recordLocator) as { id: string; flight_id: string; rbd: string; passengers: number; amount_minor: number; currency: string; status: string; channel: string; ancillaries: string }[];
    expect(booked.map((b) => b.id)).toEqual(ref.bookingIds);
    expect(booked[0]).toMatchObject({ flight_id: flight, rbd: o.segments[0]!.rbd, passengers: 3, amount_minor: ref.pssTotal.amountMinor, currency: o.currency, status: 'booked', channel: 'direct' });
    const anc = JSON.parse(booked[0]!.ancillaries) as { code: string; amountMinor: number }[];
    // Classic's items (bag, seat, changes) for 3 passengers at 0; the Wi-Fi bought at its price
    for (const code of ['BAG1', 'SEAT_STD', 'FLEX_CHG']) expect(anc.filter((x) => x.code === code).map((x) => x.amountMinor)).toEqual([0, 0, 0]);
    const wifi = o.items.find((i) => i.services.includes('WIFI') && i.paxType === 'ADT')!;
    expect(anc.filter((x) => x.code === 'WIFI').map((x) => x.amountMinor)).toEqual([wifi.unitBaseMinor, wifi.unitBaseMinor, wifi.unitBaseMinor]);
    const soldAfter = backend.store.db.prepare('SELECT sold FROM inventory WHERE flight_id = ? AND rbd = ?').pluck().get(flight, o.segments[0]!.rbd) as number;
    expect(soldAfter - soldBefore).toBeGreaterThanOrEqual(3);
  });

  it('an expired offer answers with its reason and a fresh offer; nothing is booked', async () => {
    const a = await as(ann)('offers.shop', { ...request, ancillaries: [] });
    const o = a.offers[0]!;
    const before = (await sb.status()).pushes.orders.batches;
    clock.advanceMs(31 * 60_000);
    try {
      const r = await as(rita)('offers.order', { offerId: o.id });
      expect(r).toMatchObject({ status: 'expired', ordered: false, decidedBy: 'revalidation', reason: expect.stringContaining(`expired at ${o.expiresAt}`) });
      expect(r.fresh!.segments.map((s) => s.flightId)).toEqual(o.segments.map((s) => s.flightId));
      expect((await sb.status()).pushes.orders.batches).toBe(before);
    } finally {
      clock.set(`${TODAY}T00:00:00.000Z`);
    }
  });

  it('a class sold out at the PSS answers sold_out; the fresh offer one class up is booked', async () => {
    const a = await as(ann)('offers.shop', { ...request, ancillaries: [] });
    const o = a.offers.find((x) => x.brand.code === 'LIGHT')!;
    const seg = o.segments[0]!;
    const ladder = backend.store.db.prepare("SELECT rbd, rank FROM rbds WHERE carrier = ? AND cabin = 'Y' ORDER BY rank").all(sb.market.ownCarrier) as { rbd: string; rank: number }[];
    const rank = (rbd: string) => ladder.find((r) => r.rbd === rbd)!.rank;
    // the PSS closes the offer's class and every class below it on the flight (the store does not know yet)
    const closing = ladder.filter((r) => r.rank >= rank(seg.rbd));
    const pushed = await pss.pushInventoryControls({
      idempotencyKey: `close-${seg.flightId}`,
      items: closing.map((r, i) => ({ itemId: `c${i}`, key: `${seg.flightId}/${r.rbd}`, sequence: 1, payload: { flightId: seg.flightId, rbd: r.rbd, cabin: 'Y', authorised: null, status: 'closed' as const, bidPriceMinor: null, currency: null } })),
    });
    expect(pushed.items.every((x) => x.status === 'accepted')).toBe(true);

    const r = await as(rita)('offers.order', { offerId: o.id });
    expect(r).toMatchObject({ status: 'sold_out', ordered: false, decidedBy: 'pss', pss: { code: 'sold_out' }, reason: expect.stringContaining(`no seats left in class ${seg.rbd}`) });
    const fresh = r.fresh!;
    expect(fresh.segments[0]!.flightId).toBe(seg.flightId);
    expect(rank(fresh.segments[0]!.rbd)).toBeLessThan(rank(seg.rbd));
    expect(fresh.total.amountMinor).toBeGreaterThan(o.total.amountMinor);
    expect(await as(ann)('offers.get', { offerId: o.id })).toMatchObject({ status: 'replaced', replacedBy: fresh.id });
    const again = await as(rita)('offers.order', { offerId: fresh.id });
    expect(again, again.reason).toMatchObject({ status: 'ordered', orders: [{ recordLocator: expect.any(String) }] });
  });
});
