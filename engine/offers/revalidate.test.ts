import { describe, expect, it } from 'vitest';
import { shopOffers } from './assembler';
import { revalidateOffer } from './revalidate';
import { offerFixture } from './test-fixture';
import { syntheticHubNetwork } from './synthetic-network';

const req = { origin: 'LHR', destination: 'MAD', departureDate: '2026-03-02', passengers: { ADT: 2 }, pointOfSale: 'GB' };

describe('re-validation at order time', () => {
  it('a fresh offer is valid with its price guaranteed', () => {
    const { ctx, clock } = offerFixture();
    const offer = shopOffers(req, ctx).offers[0]!;
    clock.advanceMs(10 * 60_000);
    const r = revalidateOffer(offer, ctx);
    expect(r).toMatchObject({ status: 'valid', priceGuaranteed: true, reason: `valid; the price is guaranteed until ${offer.priceGuaranteedUntil}` });
    expect(r.fresh).toBeUndefined();
  });

  it('an expired offer says so and carries a fresh one for the same flights and brand', () => {
    const { ctx, clock } = offerFixture();
    const offer = shopOffers(req, ctx).offers.find((o) => o.brand.code === 'CLASSIC')!;
    clock.advanceMs(31 * 60_000);
    const r = revalidateOffer(offer, ctx);
    expect(r.status).toBe('expired');
    expect(r.reason).toMatch(/expired at 2026-02-20T10:30:00.000Z; a fresh offer at the same price is attached/);
    expect(r.fresh!.id).not.toBe(offer.id);
    expect(r.fresh!.brand.code).toBe('CLASSIC');
    expect(r.fresh!.segments.map((s) => s.flightId)).toEqual(offer.segments.map((s) => s.flightId));
    expect(r.fresh!.total).toEqual(offer.total);
    expect(Date.parse(r.fresh!.expiresAt)).toBe(clock.now().getTime() + 30 * 60_000);
  });

  it('sold out: the class has no seats left; the fresh offer moves up the ladder', () => {
    const first = offerFixture();
    const offer = shopOffers(req, first.ctx).offers[0]!;
    const leg = offer.segments[1]!;
    // meanwhile the PSS sold the V seats on the second leg
    const later = offerFixture({ network: first.net, patchInventory: (r) => (r.flightId === leg.flightId && r.rbd === 'V' ? { ...r, sold: r.authorised } : r) });
    const r = revalidateOffer(offer, later.ctx);
    expect(r.status).toBe('sold_out');
    expect(r.soldOut).toEqual([{ flightId: leg.flightId, rbd: 'V', seats: 0, needed: 2 }]);
    expect(r.reason).toMatch(new RegExp(`${leg.flightId.replace(/\//g, '\\/')} class V has 0 seat\\(s\\), 2 needed; a fresh offer is attached`));
    expect(r.fresh!.journeys[0]!.rbd).toBe('Q');
    expect(r.fresh!.total.amountMinor).toBeGreaterThan(offer.total.amountMinor);
  });

  it('a bid price rising above the fare closes the offer as sold out, naming the journey', () => {
    const first = offerFixture();
    const offer = shopOffers(req, first.ctx).offers[0]!;
    const later = offerFixture({ network: first.net, patchInventory: (r) => (r.flightId === offer.segments[0]!.flightId ? { ...r, bidPriceMinor: offer.journeys[0]!.bidPrice.fareMinor } : r) });
    const r = revalidateOffer(offer, later.ctx);
    expect(r.status).toBe('sold_out');
    expect(r.closedByBidPrice).toEqual([{ journeyId: 'PJ1', fareMinor: offer.journeys[0]!.bidPrice.fareMinor, sumOfLegsMinor: expect.any(Number) }]);
    expect(r.reason).toMatch(/PJ1 fare [\d,]+\.\d\d [A-Z]{3} no longer exceeds the legs' bid prices \([\d,]+\.\d\d [A-Z]{3}\)/);
  });

  it('price changed: after the guarantee (shorter than the offer life) the fare moved', () => {
    const settings = { offerTtlMinutes: 60, priceGuaranteeMinutes: 15 };
    const first = offerFixture({ settings });
    const offer = shopOffers(req, first.ctx).offers[0]!;
    expect(offer.priceGuaranteedUntil).toBe('2026-02-20T10:15:00.000Z');
    const raised = { ...first.net, fares: first.net.fares.map((f) => (f.origin === 'LHR' && f.destination === 'MAD' ? { ...f, amountMinor: f.amountMinor + 2000 } : f)) };
    // inside the guarantee the old price holds even though fares moved
    const during = offerFixture({ settings, network: raised });
    during.clock.advanceMs(10 * 60_000);
    expect(revalidateOffer(offer, during.ctx).status).toBe('valid');
    // after it, the new price is quoted with a fresh offer
    const after = offerFixture({ settings, network: raised });
    after.clock.advanceMs(20 * 60_000);
    const r = revalidateOffer(offer, after.ctx);
    expect(r.status).toBe('price_changed');
    expect(r.priceChange).toEqual({ fromMinor: offer.total.amountMinor, toMinor: r.fresh!.total.amountMinor, currency: 'EUR' });
    // two adults, 20.00 more each, plus the 5 % surcharge on it
    expect(r.fresh!.total.amountMinor - offer.total.amountMinor).toBe(2 * (2000 + 100));
    // after the guarantee with unchanged fares it is simply valid
    const same = offerFixture({ settings, network: first.net });
    same.clock.advanceMs(20 * 60_000);
    expect(revalidateOffer(offer, same.ctx)).toMatchObject({ status: 'valid', priceGuaranteed: false });
  });

  it('a flight no longer operating is reported with a fresh offer on another flight', () => {
    const first = offerFixture();
    const offer = shopOffers(req, first.ctx).offers[0]!;
    const gone = offer.segments[0]!.flightId;
    const net = syntheticHubNetwork({ seed: 3, spokes: 4, rotationsPerDay: 2, startDate: '2026-03-01', days: 6, codeshareEvery: 4 });
    const later = offerFixture({ network: { ...net, legs: net.legs.filter((l) => l.id !== gone) } });
    const r = revalidateOffer(offer, later.ctx);
    expect(r.status).toBe('flight_unavailable');
    expect(r.missingFlights).toEqual([gone]);
    expect(r.reason).toBe(`${gone} no longer operates; choose another flight`);
    expect(r.fresh!.segments[0]!.flightId).not.toBe(gone);
    expect(r.fresh!.brand.code).toBe(offer.brand.code);
  });
});
