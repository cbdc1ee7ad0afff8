/** The leg store's room: holding one more date copies nothing; outgrowing the room keeps every field; copies are independent. */
import { describe, expect, it } from 'vitest';
import { LEG_ON_SALE, LegStore } from './legs';

// 3 patterns, 2 cabins, 4 classes, 5 booking periods, dates from day 100, a 6-day ring of closure timers
const store = (days: number, room: number) => new LegStore(3, 2, 4, 5, 100, 6, days, room);

/** Writes recognisable values into a leg's block and per-period arrays. */
function fill(L: LegStore, leg: number): void {
  L.setState(leg, LEG_ON_SALE);
  L.i16[L.iSold(leg) + 2] = 7 + leg;
  L.f64[L.iRev(leg) + 1] = 1234.5 + leg;
  L.setClosureHead(leg, 40 + leg);
  L.net[(leg * L.mc + 3) * L.periods + 4] = -2 - leg;
  L.closedFrac[(leg * L.mc + 1) * L.periods] = 200;
}

function expectFilled(L: LegStore, leg: number): void {
  expect(L.stateOf(leg)).toBe(LEG_ON_SALE);
  expect(L.soldOf(leg, 2)).toBe(7 + leg);
  expect(L.revenueOf(leg, 1)).toBe(1234.5 + leg);
  expect(L.closureHeadOf(leg)).toBe(40 + leg);
  expect(L.net[(leg * L.mc + 3) * L.periods + 4]).toBe(-2 - leg);
  expect(L.closedFrac[(leg * L.mc + 1) * L.periods]).toBe(200);
}

describe('LegStore room', () => {
  it('holds more dates within its room without new buffers, and a leg not written has no closures', () => {
    const L = store(2, 8);
    expect([L.nDays, L.capDays]).toEqual([2, 8]);
    const buf = L.buf;
    L.grow(5);
    expect([L.nDays, L.capDays]).toEqual([5, 8]);
    expect(L.buf).toBe(buf);
    expect(L.closureHeadOf(L.index(104, 2))).toBe(-1);
    expect(L.stateOf(L.index(104, 2))).toBe(0);
    expect(L.stateOf(L.index(105, 0))).toBe(0); // beyond the dates held
  });

  it('outgrowing the room doubles it and keeps every field of the dates held, shared buffers staying shared', () => {
    const L = store(3, 3);
    for (let leg = 0; leg < L.nLegs; leg++) fill(L, leg);
    const shared = L.share();
    L.grow(4);
    expect([L.nDays, L.capDays]).toEqual([4, 6]);
    expect(L.buf).not.toBe(shared);
    expect(L.buf).toBeInstanceOf(SharedArrayBuffer);
    expect(L.buf.byteLength).toBe(6 * 3 * L.B);
    expect(L.net.length).toBe(6 * 3 * L.mc * L.periods);
    for (let leg = 0; leg < 9; leg++) expectFilled(L, leg);
    expect(L.closureHeadOf(L.index(103, 1))).toBe(-1);
    L.grow(20);
    expect([L.nDays, L.capDays]).toEqual([20, 20]);
    for (let leg = 0; leg < 9; leg++) expectFilled(L, leg);
  });

  it('a clone and a saved copy hold the same, with the same room, and are independent of the store', () => {
    const L = store(4, 10);
    for (let leg = 0; leg < L.nLegs; leg++) fill(L, leg);
    const c = L.clone();
    expect([c.nDays, c.capDays]).toEqual([4, 10]);
    for (let leg = 0; leg < 12; leg++) expectFilled(c, leg);
    c.i16[c.iSold(0) + 2] = 99;
    c.net[4] = 11;
    expect(L.soldOf(0, 2)).toBe(7);
    expect(L.net[4]).toBe(0);

    const d = L.toData();
    expect(d.nDays).toBe(4);
    expect(d.blocks.length).toBe(4 * 3 * L.B);
    const R = store(1, 2);
    R.loadData(d);
    expect([R.nDays, R.capDays]).toEqual([4, 4]);
    for (let leg = 0; leg < 12; leg++) expectFilled(R, leg);
    R.grow(5);
    for (let leg = 0; leg < 12; leg++) expectFilled(R, leg);
  });

  it('a replica adopts the shared blocks with their room', () => {
    const L = store(2, 5);
    fill(L, 4);
    const R = store(1, 1);
    R.adopt(L.share(), L.capDays);
    expect([R.nDays, R.capDays]).toEqual([5, 5]);
    expect(R.soldOf(4, 2)).toBe(11);
    expect(() => R.adopt(L.share(), 4)).toThrow(/does not hold 4 days/);
  });
});
