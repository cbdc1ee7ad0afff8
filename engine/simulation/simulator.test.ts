import { describe, expect, it } from 'vitest';
import { DAY_MS } from './clock';
import { fcfs, type CarrierController } from './controller';
import { LEG_NONE } from './legs';
import { ST_CANCELLED } from './booking-log';
import { marketOutcome } from './truth';
import { threeMkt } from './testing';
import { flightId } from '../domain/types';
import { dateFromDayNumber } from '../domain/time';
import type { SimulatedMarket } from './market';

/** Bytes of the booking log and the inventory: what "byte-identical bookings" compares. */
function fingerprint(mk: SimulatedMarket): string {
  const lg = mk.sim.log;
  const L = mk.sim.legs;
  const cols = [lg.carrier, lg.market, lg.leg0, lg.leg1, lg.cls, lg.pos, lg.channel, lg.pax, lg.amountMinor, lg.bookedMs, lg.status0, lg.statusMs0, lg.ancCount]
    .map((c) => Buffer.from(c.buffer, c.byteOffset, c.BYTES_PER_ELEMENT * lg.n).toString('base64'));
  cols.push(Buffer.from(lg.events.flat(lg.nEvents).buffer).toString('base64'));
  cols.push(Buffer.from(L.buf, 0, L.nLegs * L.B).toString('base64'));
  return cols.join('|');
}

describe('3MKT simulation: determinism and conservation', () => {
  it('gives byte-identical bookings for the same seed, and different ones for another seed', () => {
    const a = threeMkt({ seed: 11 });
    const b = threeMkt({ seed: 11 });
    const c = threeMkt({ seed: 12 });
    for (const m of [a, b, c]) m.advanceDays(110);
    expect(a.sim.log.n).toBeGreaterThan(10_000);
    expect(fingerprint(a)).toBe(fingerprint(b));
    expect(fingerprint(a)).not.toBe(fingerprint(c));
  });

  it('never sells more than capacity or the authorisation level, and revenue is the sum of the fares sold', () => {
    // a controller that caps every class at 60 seats
    const cap60: CarrierController = {
      name: 'cap60',
      onDcp: (view, batches) => ({ controls: batches.filter((b) => b.dcpIndex === -1).flatMap((b) => b.legs.map((leg) => ({ leg, authorisations: view.classes.map(() => 60) }))) }),
    };
    const mk = threeMkt({ seed: 5, demandMultiplier: 1.3, controllers: { AL1: cap60 } });
    const sim = mk.sim;
    const L = sim.legs;
    let checked = 0;
    const violations: string[] = [];
    for (let d = 0; d < 100; d++) {
      mk.advanceDays(1);
      for (let leg = 0; leg < L.nLegs; leg++) {
        if (L.stateOf(leg) === LEG_NONE) continue;
        const p = L.patternOf(leg);
        const car = sim.net.carriers[sim.net.patterns.carrier[p]!]!;
        let sum = 0;
        for (let c = 0; c < car.nClasses; c++) {
          if (L.soldOf(leg, c) < 0) violations.push(`negative sold on leg ${leg}`);
          sum += L.soldOf(leg, c);
        }
        if (sum !== L.cabSoldOf(leg, 0)) violations.push(`class sum ${sum} != cabin sold ${L.cabSoldOf(leg, 0)} on leg ${leg}`);
        if (L.cabSoldOf(leg, 0) > L.capOf(leg, 0)) violations.push(`over capacity on leg ${leg}`);
        if (car.code === 'AL1' && L.cabSoldOf(leg, 0) > 60) violations.push(`over the authorisation level on leg ${leg}`);
        checked++;
      }
    }
    expect(violations).toEqual([]);
    expect(checked).toBeGreaterThan(5000);
    // AL1 hit its 60-seat limit at high demand while AL2 sold more
    const X = sim.startDay + 80;
    const al1 = [0, 1, 4, 5].map((p) => L.cabSoldOf(L.index(X, p), 0));
    expect(Math.max(...al1)).toBe(60);
    // revenue: the booking log (fares sold, not cancelled) equals the carriers' totals and the legs' prorated revenue
    const lg = sim.log;
    let logged = 0;
    let loggedMinor = 0;
    for (let i = 0; i < lg.n; i++) if (lg.status0[i] !== ST_CANCELLED) { logged += lg.value[i]!; loggedMinor += lg.amountMinor[i]!; }
    let carriers = 0;
    for (const c of sim.net.carriers) carriers += sim.marketingTotals(c.idx, sim.legs.day0, sim.curDay + 200).revenue;
    let legs = 0;
    for (let leg = 0; leg < L.nLegs; leg++) for (let c = 0; c < L.mc; c++) legs += L.revenueOf(leg, c);
    expect(Math.abs(logged - carriers) / carriers).toBeLessThan(1e-9);
    expect(Math.abs(legs - carriers) / carriers).toBeLessThan(1e-9);
    expect(loggedMinor / 100).toBeCloseTo(logged, 2); // USD, no exchange
  });
});

describe('decisions change the market (same seed, control run)', () => {
  const T = 40;
  const setup = () => {
    const mk = threeMkt({ seed: 21 });
    mk.advanceDays(T);
    return mk;
  };
  const depDay = (mk: SimulatedMarket) => mk.sim.clock.dayNumber() + 30;

  it('a fare raised 20 % on one flight sells fewer seats in its later bookings', () => {
    const control = setup();
    const test = setup();
    const X = depDay(test);
    const id = flightId('AL1', 101, dateFromDayNumber(X), 'BOS');
    const fares = test.fares({ origin: 'BOS', destination: 'ORD' });
    const res = test.applyFares(fares.map((f) => ({ origin: f.origin, destination: f.destination, rbd: f.rbd, pointOfSale: f.pointOfSale, currency: f.currency, amountMinor: Math.round(f.amountMinor * 1.2), flightId: id })));
    expect(res.every((r) => r.status === 'accepted')).toBe(true);
    const leg = test.sim.legs.index(X, 0);
    const before = [control.sim.legs.cabSoldOf(leg, 0), test.sim.legs.cabSoldOf(leg, 0)];
    expect(before[0]).toBe(before[1]);
    control.advanceDays(32);
    test.advanceDays(32);
    const laterControl = control.sim.legs.cabSoldOf(leg, 0) - before[0]!;
    const laterTest = test.sim.legs.cabSoldOf(leg, 0) - before[1]!;
    expect(laterTest).toBeLessThan(laterControl);
    // and the passengers it lost went to the other flights (same demand draws)
    expect(test.sim.requests).toBe(control.sim.requests);
  });

  it('closing a class by authorisation stops its sales on that flight', () => {
    const mk = setup();
    const X = depDay(mk);
    const id = flightId('AL1', 101, dateFromDayNumber(X), 'BOS');
    const leg = mk.sim.legs.index(X, 0);
    const y5 = mk.sim.net.carriers[0]!.classOf.get('Y5')!;
    const y4 = mk.sim.net.carriers[0]!.classOf.get('Y4')!;
    const sold = mk.sim.legs.cabSoldOf(leg, 0);
    const res = mk.applyControls([{ flightId: id, rbd: 'Y5', authorised: sold }, { flightId: id, rbd: 'Y4', status: 'closed' }]);
    expect(res.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    const y5Before = mk.sim.legs.soldOf(leg, y5);
    const y4Before = mk.sim.legs.soldOf(leg, y4);
    mk.advanceDays(32);
    // (cancellations are off in 3MKT, so sold counts only grow)
    expect(mk.sim.legs.soldOf(leg, y5)).toBe(y5Before);
    expect(mk.sim.legs.soldOf(leg, y4)).toBe(y4Before);
    expect(mk.sim.legs.cabSoldOf(leg, 0)).toBeGreaterThan(sold);
    const inv = mk.inventory({ flightIds: [id] });
    expect(inv.map((r) => `${r.rbd}:${r.status}`)).toEqual(['Y0:closed', 'Y1:closed', 'Y2:closed', 'Y3:closed', 'Y4:closed', 'Y5:closed']); // departed
    expect(inv.find((r) => r.rbd === 'Y5')!.authorised).toBe(sold);
  });

  it('a competitor undercut shifts share away from us', () => {
    const control = setup();
    const test = setup();
    const net = test.sim.net;
    const m = net.markets.key.get('BOS-ORD')!;
    const from = test.sim.clock.dayNumber() + 1;
    const to = from + 60;
    const al2 = net.carrierIdx.get('AL2')!;
    const fares = [];
    for (let c = 0; c < 6; c++) fares.push({ market: m, cls: c, value: test.sim.fares.value[test.sim.fares.slot(test.sim.fares.product(al2, m, c), 0)]! * 0.8, fromDay: from, toDay: to });
    test.sim.applyDecisions(al2, { fares }, test.sim.clock.nowMs(), false);
    control.advanceDays(100);
    test.advanceDays(100);
    const share = (mk: SimulatedMarket) => {
      const a = marketOutcome(mk.sim, 0, m, from, to).passengers;
      const b = marketOutcome(mk.sim, al2, m, from, to).passengers;
      return a / (a + b);
    };
    expect(share(control)).toBeGreaterThan(0.35);
    expect(share(test)).toBeLessThan(share(control) - 0.05);
  });
});

describe('system E against first come, first served', () => {
  it('earns more than FCFS at high demand with fares fixed (the competitor runs E in both)', () => {
    const revenue = (ctl: Record<string, CarrierController>) => {
      const mk = threeMkt({ seed: 3, demandMultiplier: 1.2, controllers: ctl, record: 'none' });
      mk.advanceDays(260);
      const from = mk.sim.startDay + 100;
      return mk.sim.marketingTotals(0, from, from + 150).revenue;
    };
    const e = revenue({});
    const f = revenue({ AL1: fcfs() });
    expect(e).toBeGreaterThan(f * 1.03);
  });
});

describe('the carrier view', () => {
  it('shows a controller only its own data: its legs, and its O&D bookings when it asks for them', () => {
    let seen = 0;
    const probe: CarrierController & { observesMarkets: boolean } = {
      name: 'probe',
      observesMarkets: true,
      onDcp(view, batches) {
        for (const b of batches) for (const leg of b.legs) { expect(view.origin(leg)).toMatch(/BOS|ORD/); seen++; }
        return undefined;
      },
    };
    const mk = threeMkt({ seed: 2, controllers: { AL1: probe } });
    mk.advanceDays(120);
    expect(seen).toBeGreaterThan(500);
    const view = mk.sim.views[0]!;
    const al2Leg = mk.sim.legs.index(mk.sim.curDay + 5, 2); // AL2 201
    expect(() => view.sold(al2Leg, 0)).toThrow(/operated by another carrier/);
    // O&D observations add up to the bookings of the market (net of cancellations), by journey day
    const m = mk.sim.net.markets.key.get('BOS-LAX')!;
    const X = mk.sim.curDay - 3;
    let sum = 0;
    for (let c = 0; c < 6; c++) for (let k = 0; k < mk.sim.net.nPeriods; k++) sum += view.marketBookingsInPeriod(m, X, c, k);
    expect(sum).toBe(marketOutcome(mk.sim, 0, m, X, X).passengers);
    expect(sum).toBeGreaterThan(0);
    expect(() => mk.sim.views[1]!.marketBookingsInPeriod(m, X, 0, 0)).toThrow(/observesMarkets/);
  });
});

describe('the clock', () => {
  it('advances by day and within a day, never backwards', () => {
    const mk = threeMkt({ record: 'none' });
    expect(mk.today()).toBe('2025-01-06');
    mk.advanceTo('2025-01-06T13:30:00Z');
    expect(mk.now()).toBe('2025-01-06T13:30:00.000Z');
    const midday = mk.sim.requests;
    mk.advanceDays(1);
    expect(mk.now()).toBe('2025-01-07T00:00:00.000Z');
    expect(mk.sim.requests).toBeGreaterThan(midday);
    expect(() => mk.advanceTo('2025-01-06T00:00:00Z')).toThrow(/before the simulated now/);
    expect(mk.clock.now().getTime()).toBe(Date.parse('2025-01-07T00:00:00Z'));
    expect(mk.sim.curDay * DAY_MS).toBe(mk.clock.nowMs());
  });
});
