/** The sandbox market as the sandbox servers use it: queries, paging, pushes and orders. */
import { describe, expect, it } from 'vitest';
import { smallSandbox } from './testing';
import { addDays } from '../domain/time';
import type { BookingEventRecord } from './records';

const mk = smallSandbox(3);
const today = mk.today();

describe('sandbox reference data and schedule', () => {
  it('serves carriers, airports with time zones, ladders, points of sale and DCPs', () => {
    const ref = mk.referenceData();
    expect(ref.ownCarrier).toBe('DF');
    expect(ref.carriers.find((c) => c.code === 'DF')!.own).toBe(true);
    expect(ref.airports.find((a) => a.code === 'FRA')!.timeZone).toBe('Europe/Berlin');
    expect(ref.rbds.filter((r) => r.carrier === 'DF').length).toBeGreaterThanOrEqual(10);
    expect(ref.dcps.at(-1)).toBe(0);
    expect(ref.pointsOfSale.find((p) => p.code === 'GB')!.currency).toBe('GBP');
  });

  it('lists leg departures with UTC times and codeshare duplicates', () => {
    const legs = mk.flightLegs({ from: today, to: today });
    const own = legs.filter((l) => l.carrier === 'DF' && !l.operatingCarrier);
    expect(own.length).toBeGreaterThanOrEqual(60);
    const ourCodeOnPartner = legs.filter((l) => l.carrier === 'DF' && l.operatingCarrier === 'P5');
    expect(ourCodeOnPartner.length).toBeGreaterThan(0);
    const l = own.find((x) => x.origin === 'FRA')!;
    expect(Date.parse(l.arrivalUtc)).toBeGreaterThan(Date.parse(l.departureUtc));
    expect(l.id).toBe(`DF${l.flightNumber}/${today}/FRA`);
    // history: flown departures before today are served, burn-in ones are not
    expect(mk.flightLegs({ from: addDays(today, -5), to: addDays(today, -5) }).every((x) => x.status === 'departed')).toBe(true);
    expect(mk.flightLegs({ from: addDays(today, -40), to: addDays(today, -30) })).toEqual([]);
  });
});

describe('sandbox booking events', () => {
  it('pages by sequence number without gaps or repeats, each event a Booking with prorated fares', () => {
    const seen = new Set<number>();
    let after = 0;
    let pages = 0;
    let outOfOrder = 0;
    let last: BookingEventRecord | undefined;
    const types = new Set<string>();
    for (;;) {
      const page = mk.bookingEvents(after, 50_000);
      for (const e of page.events) {
        if (e.seq <= after || seen.has(e.seq)) outOfOrder++;
        seen.add(e.seq);
        types.add(e.type);
        last = e;
      }
      after = page.nextAfterSeq;
      pages++;
      if (!page.hasMore) break;
    }
    expect(outOfOrder).toBe(0);
    expect(pages).toBeGreaterThan(1);
    expect(seen.size).toBeGreaterThan(50_000);
    expect([...types].sort()).toEqual(['booked', 'cancelled', 'flown', 'no_show']);
    expect(last!.booking.recordLocator).toMatch(/^[A-Z2-9]{6}$/);
    // a connection's two segments share the locator and their amounts add up to the fare
    const page = mk.bookingEvents(0, 20_000).events.filter((e) => e.type === 'booked');
    const conn = page.find((e) => e.booking.segments === 2 && e.booking.segment === 1)!;
    const segs = mk.booking(conn.booking.recordLocator)!;
    expect(segs).toHaveLength(2);
    expect(segs[0]!.journeyOrigin).toBe(conn.booking.journeyOrigin);
    expect(segs[0]!.amountMinor + segs[1]!.amountMinor).toBeGreaterThan(0);
    const again = mk.bookingEvents(after, 10);
    expect(again.events).toEqual([]);
  });
});

describe('sandbox inventory, fares, demand, competitors, rates, calendar', () => {
  it('inventory is consistent with sold seats and capacity', () => {
    const inv = mk.inventory({ from: addDays(today, 3), to: addDays(today, 3) });
    expect(inv.length).toBeGreaterThan(60 * 10);
    const byFlight = new Map<string, number>();
    for (const r of inv) {
      expect(r.sold).toBeGreaterThanOrEqual(0);
      expect(r.authorised).toBeLessThanOrEqual(r.capacity);
      byFlight.set(`${r.flightId}/${r.cabin}`, (byFlight.get(`${r.flightId}/${r.cabin}`) ?? 0) + r.sold);
    }
    for (const r of inv) expect(byFlight.get(`${r.flightId}/${r.cabin}`)!).toBeLessThanOrEqual(r.capacity);
  });

  it('fares carry currency, point of sale and fare basis; competitors price in their own currency', () => {
    const ours = mk.fares({ origin: 'FRA', destination: 'LHR' });
    expect(ours.some((f) => f.pointOfSale === 'GB' && f.currency === 'GBP')).toBe(true);
    expect(ours.every((f) => f.fareBasis.startsWith(f.rbd))).toBe(true);
    const bx = mk.fares({ carrier: 'BX', origin: 'FRA', destination: 'LHR' });
    expect(bx.length).toBeGreaterThan(0);
    expect(bx.every((f) => f.currency === 'GBP')).toBe(true);
  });

  it('O&D demand by DCP is cumulative and matches leg performance totals at departure', () => {
    const date = addDays(today, -3);
    const od = mk.odDemand({ from: date, to: date, origin: 'FRA', destination: 'LHR' });
    const dcps = od.map((r) => r.dcp);
    expect(dcps).toEqual(mk.referenceData().dcps);
    for (let i = 1; i < od.length; i++) expect(od[i]!.provisional).toBe(false);
    expect(od.at(-1)!.bookings).toBeGreaterThan(20);
    const perf = mk.legPerformance({ from: date, to: date }).filter((r) => r.dcp === 0);
    expect(perf.length).toBeGreaterThan(60);
    for (const r of perf) { expect(r.loadFactor).toBeLessThanOrEqual(1); expect(r.bookings).toBeLessThanOrEqual(r.capacity); }
    const future = mk.odDemand({ from: addDays(today, 10), to: addDays(today, 10), origin: 'FRA', destination: 'LHR' });
    expect(future.at(-1)!.provisional).toBe(true);
  });

  it('a shopping tool sees competitor fares; exchange rates are dated; the calendar names events', () => {
    const obs = mk.competitorFares(0, 1000);
    expect(obs.observations.length).toBeGreaterThan(100);
    expect(new Set(obs.observations.map((o) => o.currency))).toEqual(expect.any(Set));
    expect(obs.observations.some((o) => o.carrier === 'BX' && o.currency === 'GBP')).toBe(true);
    expect(obs.observations.every((o) => o.carrier !== 'DF')).toBe(true);
    const rates = mk.exchangeRates({ from: addDays(today, -2), to: today });
    const gbp = rates.filter((r) => r.quote === 'GBP');
    expect(gbp).toHaveLength(3);
    expect(gbp[0]!.rate).toBeGreaterThan(0.7);
    expect(gbp[0]!.rate).toBeLessThan(1);
    expect(mk.calendar({ from: '2026-03-01', to: '2026-04-30' }).some((e) => e.name === 'Easter')).toBe(true);
  });
});

describe('sandbox PSS pushes and orders', () => {
  it('answers each fare item: accepted with a reference or rejected with a reason', () => {
    const flight = mk.flightLegs({ from: addDays(today, 10), to: addDays(today, 10) }).find((l) => l.carrier === 'DF' && l.origin === 'FRA' && l.destination === 'LHR' && !l.operatingCarrier)!;
    const base = { origin: 'FRA', destination: 'LHR', rbd: 'Q', pointOfSale: 'DE', currency: 'EUR', amountMinor: 19900 };
    const res = mk.applyFares([
      base,
      { ...base, validFrom: addDays(today, 5), validTo: addDays(today, 20) },
      { ...base, flightId: flight.id },
      { ...base, carrier: 'BX' },
      { ...base, destination: 'XXX' },
      { ...base, rbd: 'Z' },
      { ...base, amountMinor: -1 },
      { ...base, currency: 'ABC' },
      { ...base, flightId: 'DF9999/2026-03-10/FRA' },
      { ...base, validFrom: addDays(today, 9), validTo: addDays(today, 2) },
      { ...base, flightId: mk.flightLegs({ from: addDays(today, -2), to: addDays(today, -2) }).find((l) => l.carrier === 'DF' && l.origin === 'FRA')!.id },
    ]);
    expect(res.map((r) => (r.status === 'accepted' ? 'ok' : r.code))).toEqual([
      'ok', 'ok', 'ok', 'not_own_carrier', 'unknown_market', 'invalid_rbd', 'negative_price', 'invalid_currency', 'unknown_flight', 'invalid_dates', 'departed',
    ]);
    expect(new Set(res.filter((r) => r.status === 'accepted').map((r) => (r as { reference: string }).reference)).size).toBe(3);
    const q = mk.fares({ origin: 'FRA', destination: 'LHR', pointOfSale: 'DE' }).filter((f) => f.rbd === 'Q');
    expect(q.some((f) => f.flightId === flight.id && f.amountMinor === 19900)).toBe(true);
    expect(q.some((f) => !f.flightId && f.validTo === '2099-12-31' && f.amountMinor === 19900)).toBe(true);
  });

  it('answers each control item and applies accepted ones to the inventory', () => {
    const flight = mk.flightLegs({ from: addDays(today, 12), to: addDays(today, 12) }).find((l) => l.carrier === 'DF' && !l.operatingCarrier)!;
    const partner = mk.flightLegs({ from: addDays(today, 12), to: addDays(today, 12) }).find((l) => l.carrier === 'DF' && l.operatingCarrier === 'P5')!;
    const res = mk.applyControls([
      { flightId: flight.id, rbd: 'O', authorised: 0 },
      { flightId: flight.id, rbd: 'N', status: 'closed' },
      { flightId: flight.id, bidPriceMinor: 15000, currency: 'EUR', cabin: 'Y' },
      { flightId: flight.id, rbd: 'Z', authorised: 3 },
      { flightId: flight.id, rbd: 'O', authorised: -2 },
      { flightId: flight.id, rbd: 'O', authorised: 5000 },
      { flightId: flight.id },
      { flightId: partner.id, rbd: 'Y', authorised: 4 },
      { flightId: 'DF1/2026-03-10/FRA', rbd: 'Y', authorised: 4 },
    ]);
    expect(res.map((r) => (r.status === 'accepted' ? 'ok' : r.code))).toEqual(['ok', 'ok', 'ok', 'invalid_rbd', 'negative_authorisation', 'exceeds_capacity', 'empty_control', 'not_own_flight', 'unknown_flight']);
    const inv = mk.inventory({ flightIds: [flight.id] });
    expect(inv.find((r) => r.rbd === 'O')!.authorised).toBe(0);
    expect(inv.find((r) => r.rbd === 'O')!.status).toBe('closed');
    expect(inv.find((r) => r.rbd === 'N')!.status).toBe('closed');
    expect(inv.find((r) => r.rbd === 'Y')!.bidPriceMinor).toBe(15000);
    // the legacy RM (system E) leaves a leg alone once the workbench controls it
    mk.advanceDays(1);
    expect(mk.inventory({ flightIds: [flight.id] }).find((r) => r.rbd === 'O')!.authorised).toBe(0);
  });

  it('books an order from an offer, and rejects a changed price, a sold-out class and unknown flights', () => {
    const date = addDays(today, 20);
    const flight = mk.flightLegs({ from: date, to: date }).find((l) => l.carrier === 'DF' && l.origin === 'FRA' && l.destination === 'LHR' && !l.operatingCarrier)!;
    const fare = mk.fares({ origin: 'FRA', destination: 'LHR', pointOfSale: 'DE' }).find((f) => f.rbd === 'Y' && !f.flightId && !f.saleUntil && f.validTo === '2099-12-31')!;
    const req = { segments: [{ flightId: flight.id, rbd: 'Y' }], origin: 'FRA', destination: 'LHR', passengers: 2, pointOfSale: 'DE', channel: 'direct', expectedTotal: { amountMinor: fare.amountMinor * 2, currency: 'EUR' }, ancillaries: [{ code: 'BAG1', amountMinor: 6000 }] };
    const seqBefore = mk.bookingEvents(0, 1).lastSeq;
    const soldBefore = mk.inventory({ flightIds: [flight.id] }).find((r) => r.rbd === 'Y')!.sold;
    const ok = mk.createOrder(req);
    expect(ok.status).toBe('confirmed');
    if (ok.status !== 'confirmed') return;
    expect(mk.inventory({ flightIds: [flight.id] }).find((r) => r.rbd === 'Y')!.sold).toBe(soldBefore + 2);
    const ev = mk.bookingEvents(seqBefore, 10).events.find((e) => e.booking.recordLocator === ok.recordLocator)!;
    expect(ev.type).toBe('booked');
    expect(ev.booking.passengers).toBe(2);
    expect(ev.booking.ancillaries).toEqual([{ code: 'BAG1', amountMinor: 6000, currency: 'EUR' }]);
    const changed = mk.createOrder({ ...req, expectedTotal: { amountMinor: 1, currency: 'EUR' } });
    expect(changed).toMatchObject({ status: 'rejected', code: 'price_changed', currentTotal: { amountMinor: fare.amountMinor * 2, currency: 'EUR' } });
    mk.applyControls([{ flightId: flight.id, rbd: 'Y', status: 'closed' }]);
    expect(mk.createOrder(req)).toMatchObject({ status: 'rejected', code: 'sold_out' });
    expect(mk.createOrder({ ...req, segments: [{ flightId: 'DF1/2026-03-10/FRA', rbd: 'Y' }] })).toMatchObject({ status: 'rejected', code: 'unknown_flight' });
    expect(mk.createOrder({ ...req, passengers: 0 })).toMatchObject({ status: 'rejected', code: 'invalid_request' });
  });
});

describe('sandbox overbooking', () => {
  it('accepts an authorisation above the seats (up to 50 % more), sells to it, and denies boarding to the latest bookings beyond the seats', () => {
    const date = addDays(mk.today(), 3);
    const flight = mk.flightLegs({ from: date, to: date }).find((l) => l.carrier === 'DF' && l.origin === 'FRA' && l.destination === 'LHR' && !l.operatingCarrier)!;
    const y = () => mk.inventory({ flightIds: [flight.id] }).find((r) => r.rbd === 'Y')!;
    const seats = y().capacity;
    const most = Math.floor(seats * 1.5);
    const res = mk.applyControls([{ flightId: flight.id, rbd: 'Y', authorised: most + 1 }, { flightId: flight.id, rbd: 'Y', authorised: most }]);
    expect(res[0]).toMatchObject({ status: 'rejected', code: 'exceeds_capacity' });
    expect(res[0]!.status === 'rejected' && res[0]!.reason).toContain(`${seats} seats: ${most} (50 % overbooking)`);
    expect(res[1]!.status).toBe('accepted');
    expect(y().authorised).toBe(most);
    // sell Y in parties of 9 until the authorisation stops it: beyond the seats, never beyond the authorisation
    const seqBefore = mk.bookingEvents(0, 1).lastSeq;
    for (let i = 0; i < 100; i++) {
      const r = mk.createOrder({ segments: [{ flightId: flight.id, rbd: 'Y' }], origin: 'FRA', destination: 'LHR', passengers: 9, pointOfSale: 'DE', channel: 'direct' });
      if (r.status === 'rejected') { expect(r.code).toBe('sold_out'); break; }
    }
    const cabinSold = mk.inventory({ flightIds: [flight.id] }).filter((r) => r.cabin === y().cabin).reduce((a, r) => a + r.sold, 0);
    expect(cabinSold).toBeGreaterThan(seats);
    expect(cabinSold).toBeLessThanOrEqual(most);
    expect(mk.bookingEvents(seqBefore, 1000).events.length).toBeGreaterThan(0);

    mk.advanceDays(4);
    const final = new Map<string, { type: string; pax: number; bookedAt: string }>();
    for (let after = 0; ;) {
      const page = mk.bookingEvents(after, 100_000);
      for (const e of page.events) if (e.booking.flightId === flight.id && e.booking.cabin === y().cabin) final.set(e.booking.id, { type: e.type, pax: e.booking.passengers, bookedAt: e.booking.bookedAt });
      after = page.nextAfterSeq;
      if (!page.hasMore) break;
    }
    const pax = (t: string) => [...final.values()].filter((f) => f.type === t).reduce((a, f) => a + f.pax, 0);
    expect(pax('booked')).toBe(0);
    const flown = pax('flown');
    const denied = pax('denied_boarding');
    expect(flown + denied).toBeGreaterThan(seats); // more showed up than the cabin seats
    expect(flown).toBeLessThanOrEqual(seats);
    expect(flown).toBeGreaterThan(seats - 9); // whole parties are denied: at most a party's seats less one go empty
    expect(denied).toBeGreaterThan(0);
    // the results count the same denied boardings (no other flight of the day is overbooked)
    expect(mk.results({ from: date, to: date }).find((r) => r.carrier === 'DF')!.deniedBoardings).toBe(denied);
    const lastFlown = Math.max(...[...final.values()].filter((f) => f.type === 'flown').map((f) => Date.parse(f.bookedAt)));
    const firstDenied = Math.min(...[...final.values()].filter((f) => f.type === 'denied_boarding').map((f) => Date.parse(f.bookedAt)));
    expect(firstDenied).toBeGreaterThanOrEqual(lastFlown);
  });
});
