import { describe, expect, it } from 'vitest';
import { addDays } from '../domain/time';
import { smallSandbox, threeMkt } from './testing';
import { flightId } from '../domain/types';

describe('what-if', () => {
  const mk = smallSandbox(4);
  const date = addDays(mk.today(), 10);
  const flight = mk.flightLegs({ from: date, to: date }).find((l) => l.carrier === 'DF' && l.origin === 'FRA' && l.destination === 'LHR' && !l.operatingCarrier)!.id;

  it('plays the rest of the horizon with two control sets on the same draws, and leaves the market untouched', () => {
    const before = JSON.stringify(mk.inventory({ flightIds: [flight] }));
    const events = mk.bookingEvents(0, 1).lastSeq;
    const closeAll = Object.fromEntries(mk.referenceData().rbds.filter((r) => r.carrier === 'DF').map((r) => [r.rbd, 0]));
    const sold = mk.inventory({ flightIds: [flight] }).reduce((a, r) => a + r.sold, 0);
    const r = mk.whatIf({ flights: [flight], draws: 40, seed: 1, proposed: { [flight]: { authorisations: closeAll } } });
    expect(r.draws).toBe(40);
    expect(r.current.revenueByDraw).toHaveLength(40);
    expect(r.requestsPerRun).toBeGreaterThan(50);
    // nothing more sells once every class is closed: the proposed load factor is what is sold today
    const cap = mk.flightLegs({ from: date, to: date }).find((l) => l.id === flight)!.cabins.reduce((a, c) => a + c.capacity, 0);
    expect(r.proposed.loadFactor.p95).toBeLessThanOrEqual(sold / cap + 1e-9);
    expect(r.current.loadFactor.mean).toBeGreaterThan(r.proposed.loadFactor.mean);
    expect(r.current.revenue.mean).toBeGreaterThan(r.proposed.revenue.mean);
    expect(r.revenueDifference.mean).toBeLessThan(0);
    expect(r.current.revenue.p5).toBeLessThanOrEqual(r.current.revenue.p95);
    // the market itself did not move
    expect(JSON.stringify(mk.inventory({ flightIds: [flight] }))).toBe(before);
    expect(mk.bookingEvents(0, 1).lastSeq).toBe(events);
  });

  it('is reproducible for a seed; an identical proposal gives identical outcomes draw by draw', () => {
    const a = mk.whatIf({ flights: [flight], draws: 15, seed: 9, proposed: {} });
    const b = mk.whatIf({ flights: [flight], draws: 15, seed: 9, proposed: {} });
    expect(Array.from(a.current.revenueByDraw)).toEqual(Array.from(b.current.revenueByDraw));
    expect(Array.from(a.proposed.revenueByDraw)).toEqual(Array.from(a.current.revenueByDraw));
    const c = mk.whatIf({ flights: [flight], draws: 15, seed: 10, proposed: {} });
    expect(Array.from(c.current.revenueByDraw)).not.toEqual(Array.from(a.current.revenueByDraw));
  });

  it('prices: a much higher fare on the flight sells fewer seats there', () => {
    const fares = mk.fares({ origin: 'FRA', destination: 'LHR' }).filter((f) => !f.flightId && !f.saleUntil && f.validTo === '2099-12-31');
    const up = fares.map((f) => ({ rbd: f.rbd, amountMinor: f.amountMinor * 2, currency: f.currency, pointOfSale: f.pointOfSale }));
    const r = mk.whatIf({ flights: [flight], draws: 30, seed: 3, proposed: { [flight]: { fares: up } } });
    expect(r.proposed.loadFactor.mean).toBeLessThan(r.current.loadFactor.mean);
  });

  it('rejects bad requests with the field at fault', () => {
    expect(() => mk.whatIf({ flights: [flight], draws: 0, proposed: {} })).toThrow(/draws/);
    expect(() => mk.whatIf({ flights: ['DF1/2026-03-10/FRA'], draws: 5, proposed: {} })).toThrow(/flights/);
    expect(() => mk.whatIf({ flights: [flight], draws: 5, proposed: { 'DF301/2026-03-10/LHR': {} } })).toThrow(/not in flights/);
    expect(() => mk.whatIf({ flights: [flight], draws: 5, proposed: { [flight]: { authorisations: { ZZ: 1 } } } })).toThrow(/ZZ/);
  });
});

describe('truth', () => {
  it('reports the expected demand by DCP per segment, and the realised draw around it', () => {
    const mk = threeMkt({ record: 'none' });
    const t = mk.truth.demand({ origin: 'BOS', destination: 'ORD', date: '2025-03-03' });
    expect(t.segments.map((s) => s.segment)).toEqual(['business', 'leisure']);
    expect(t.segments[0]!.expectedTotal).toBeCloseTo(70, 6); // base demand, no seasonality in 3MKT
    expect(t.segments[1]!.expected[0]).toBeCloseTo(90 * 0.17, 6); // curve c2: 17 % before DCP 63
    expect(t.segments[0]!.expected).toHaveLength(17);
    expect(t.segments[0]!.realisedTotal).not.toBeCloseTo(70, 3);
    expect(Math.abs(t.segments[0]!.realisedTotal - 70) / 70).toBeLessThan(0.8);
  });

  it('measures the true response to a ±10 % price change on the same draws: fewer passengers when dearer', () => {
    const mk = threeMkt({ seed: 5, record: 'own' });
    mk.advanceDays(90);
    const from = addDays(mk.today(), 20);
    const to = addDays(mk.today(), 40);
    const r = mk.truth.priceResponse({ origin: 'BOS', destination: 'ORD', from, to, pct: 0.1 });
    expect(r.up.passengers).toBeLessThan(r.base.passengers);
    expect(r.down.passengers).toBeGreaterThan(r.base.passengers);
    expect(r.elasticity).toBeLessThan(0);
    expect(flightId('AL1', 101, from, 'BOS')).toBe(`AL1101/${from}/BOS`);
  });
});

describe('snapshots', () => {
  it('restore a market exactly where it was: it plays on identically', async () => {
    const { snapshotSimulator, restoreSimulator } = await import('./snapshot');
    const v8 = await import('node:v8');
    const mk = threeMkt({ seed: 8, record: 'all' });
    mk.advanceTo('2025-03-20T10:30:00Z');
    const { SimulatedMarket } = await import('./market');
    const copy = new SimulatedMarket(restoreSimulator(v8.deserialize(v8.serialize(snapshotSimulator(mk.sim))) as ReturnType<typeof snapshotSimulator>)).sim;
    expect(copy.clock.nowIso()).toBe('2025-03-20T10:30:00.000Z');
    mk.advanceDays(40);
    copy.advanceDays(40);
    copy.ensureDayBegun();
    expect(copy.log.n).toBe(mk.sim.log.n);
    const bytes = (a: ArrayBufferView, n: number) => Buffer.from(a.buffer, a.byteOffset, n);
    expect(bytes(copy.log.bookedMs, copy.log.n * 8).equals(bytes(mk.sim.log.bookedMs, mk.sim.log.n * 8))).toBe(true);
    expect(bytes(copy.log.events.flat(copy.log.nEvents), copy.log.nEvents * 4).equals(bytes(mk.sim.log.events.flat(mk.sim.log.nEvents), mk.sim.log.nEvents * 4))).toBe(true);
    const n = Math.min(copy.legs.nLegs, mk.sim.legs.nLegs) * mk.sim.legs.B;
    expect(bytes(copy.legs.u8, n).equals(bytes(mk.sim.legs.u8, n))).toBe(true);
  });
});
