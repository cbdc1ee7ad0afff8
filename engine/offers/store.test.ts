import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/db';
import { shopOffers } from './assembler';
import { revalidateOffer } from './revalidate';
import { expireOffers, listOffers, loadOffer, loadShoppingResponse, markOfferOrdered, markOfferReplaced, OfferStateError, openOffersOnFlight, purgeOffers, saveOffers } from './store';
import { offerFixture, FIXTURE_NOW } from './test-fixture';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });
function store() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-offers-'));
  dirs.push(dir);
  return openStore({ dataDir: dir });
}

const req = { origin: 'LHR', destination: 'MAD', departureDate: '2026-03-02', passengers: { ADT: 2, INF: 1 }, pointOfSale: 'GB', ancillaries: ['BAG1'] };

describe('offer store', () => {
  it('creates STRICT offer tables and round-trips an offer exactly', () => {
    const s = store();
    const tables = s.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'offer%'").all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name).sort()).toEqual(['offer_segments', 'offers']);
    for (const t of tables) expect(t.sql).toMatch(/STRICT/);
    const { ctx } = offerFixture();
    const r = shopOffers(req, ctx);
    saveOffers(s.db, r.offers, { shoppingResponseId: 'SR1' });
    const back = loadOffer(s.db, r.offers[0]!.id)!;
    expect(back.offer).toEqual(r.offers[0]);
    expect(back).toMatchObject({ status: 'offered', statusAt: FIXTURE_NOW, shoppingResponseId: 'SR1' });
    expect(loadShoppingResponse(s.db, 'SR1').map((x) => x.offer.id).sort()).toEqual(r.offers.map((o) => o.id).sort());
    expect(loadOffer(s.db, 'nope')).toBeUndefined();
    expect(listOffers(s.db, { origin: 'LHR', destination: 'MAD' })).toHaveLength(r.offers.length);
    expect(listOffers(s.db, { origin: 'LHR', destination: 'MAD' })[0]).toMatchObject({ passengers: 3, currency: 'EUR', status: 'offered' });
    expect(openOffersOnFlight(s.db, r.offers[0]!.segments[0]!.flightId).length).toBeGreaterThan(0);
    s.close();
  });

  it('the database refuses a record whose totals do not add up', () => {
    const s = store();
    const { ctx } = offerFixture();
    const o = shopOffers(req, ctx).offers[0]!;
    expect(() => saveOffers(s.db, [{ ...o, breakdown: { ...o.breakdown, taxesMinor: o.breakdown.taxesMinor + 1 } }])).toThrow(/CHECK constraint failed/);
    // the whole batch rolls back
    expect(listOffers(s.db)).toEqual([]);
    s.close();
  });

  it('orders once: a second order, or an order on an expired offer, is refused with its state', () => {
    const s = store();
    const { ctx, clock } = offerFixture();
    const [a, b] = shopOffers(req, ctx).offers;
    saveOffers(s.db, [a!, b!]);
    markOfferOrdered(s.db, a!.id, 'ORD1', '2026-02-20T10:05:00.000Z');
    expect(loadOffer(s.db, a!.id)).toMatchObject({ status: 'ordered', orderId: 'ORD1' });
    expect(() => markOfferOrdered(s.db, a!.id, 'ORD2', '2026-02-20T10:06:00.000Z')).toThrow(new OfferStateError('not_offered', `offer ${a!.id} is ordered since 2026-02-20T10:05:00.000Z: only an offered offer can change`));
    expect(() => markOfferOrdered(s.db, 'missing', 'ORD3', FIXTURE_NOW)).toThrow(/offer missing is not in the store: shop again/);
    // b expires
    expect(expireOffers(s.db, '2026-02-20T10:31:00.000Z')).toBe(1);
    expect(loadOffer(s.db, b!.id)!.status).toBe('expired');
    expect(() => markOfferOrdered(s.db, b!.id, 'ORD4', '2026-02-20T10:32:00.000Z')).toThrow(/is expired since/);
    // an offer found expired at re-validation is replaced by the fresh offer it carries
    clock.advanceMs(31 * 60_000);
    const c = shopOffers(req, ctx).offers[0]!;
    saveOffers(s.db, [c]);
    clock.advanceMs(31 * 60_000);
    const re = revalidateOffer(c, ctx);
    expect(re.status).toBe('expired');
    saveOffers(s.db, [re.fresh!]);
    markOfferReplaced(s.db, c.id, re.fresh!.id, clock.now().toISOString());
    expect(loadOffer(s.db, c.id)).toMatchObject({ status: 'replaced', replacedBy: re.fresh!.id });
    s.close();
  });

  it('refuses a stored record that no longer matches the schema, naming the offer and field', () => {
    const s = store();
    const { ctx } = offerFixture();
    const o = shopOffers(req, ctx).offers[0]!;
    saveOffers(s.db, [o]);
    s.db.prepare("UPDATE offers SET record = json_set(record, '$.total.amountMinor', 'lots') WHERE id = ?").run(o.id);
    expect(() => loadOffer(s.db, o.id)).toThrow(new RegExp(`offer ${o.id}: stored record does not match the offer schema: total\\.amountMinor`));
    s.close();
  });

  it('purges offers no longer offered after the retention period, with their segments', () => {
    const s = store();
    const { ctx } = offerFixture();
    const offers = shopOffers(req, ctx).offers;
    saveOffers(s.db, offers);
    expireOffers(s.db, '2026-02-21T00:00:00.000Z');
    expect(purgeOffers(s.db, '2026-02-20T00:00:00.000Z')).toBe(0);
    expect(purgeOffers(s.db, '2026-02-22T00:00:00.000Z')).toBe(offers.length);
    expect(s.db.prepare('SELECT count(*) AS n FROM offer_segments').get()).toEqual({ n: 0 });
    s.close();
  });
});
