import { describe, expect, it } from 'vitest';
import { additivePickupInto, emptyRemainingDemand } from '../forecasting/pickup';
import { systemE } from './system-e';
import { threeMkt } from './testing';

interface Hist { count: number; values: Float64Array; remSum: Float64Array; remSq: Float64Array; fare: Float64Array }

describe('system E', () => {
  it('forecasts demand to come as additive pickup over its unconstrained history (engine/forecasting/pickup)', () => {
    const e = systemE();
    const mk = threeMkt({ seed: 6, controllers: { AL1: e }, record: 'none' });
    mk.advanceDays(140);
    const state = (e as unknown as { snapshotState(): { hist: [number, Hist][] } }).snapshotState();
    const [, h] = state.hist[0]!;
    const nCl = 6;
    const P = mk.sim.net.nPeriods;
    expect(h.count).toBe(26);
    const out = emptyRemainingDemand();
    for (const cls of [0, 3, 5]) {
      const matrix = new Float64Array(h.count * P);
      for (let d = 0; d < h.count; d++) for (let k = 0; k < P; k++) matrix[d * P + k] = h.values[d * nCl * P + cls * P + k]!;
      for (const from of [0, 5, 12, P - 1]) {
        additivePickupInto(matrix, h.count, P, from, out);
        const n = h.count;
        const mean = h.remSum[cls * (P + 1) + from]! / n;
        const sd = Math.sqrt(Math.max(0, (h.remSq[cls * (P + 1) + from]! - n * mean * mean) / (n - 1)));
        expect(mean).toBeCloseTo(out.mean, 6);
        expect(sd).toBeCloseTo(out.sd, 6);
      }
    }
    // it learnt the classes' earned fares, highest class dearest
    expect(h.fare[0]!).toBeGreaterThan(h.fare[5]!);
  });

  it('unconstrains: classes closed for much of a period get more demand than they booked', () => {
    const e = systemE();
    const mk = threeMkt({ seed: 6, demandMultiplier: 1.3, controllers: { AL1: e }, record: 'none' });
    mk.advanceDays(160);
    const state = (e as unknown as { snapshotState(): { hist: [number, Hist][] } }).snapshotState();
    const sim = mk.sim;
    const P = sim.net.nPeriods;
    let booked = 0;
    let imputed = 0;
    for (const [p, h] of state.hist) {
      // the history ring holds the last 26 departures of this flight: compare with what they booked
      const view = sim.views[0]!;
      const last = sim.legs.index(sim.curDay - 1, p);
      const deps = [last, ...view.previousDepartures(last, 40)].filter((l) => view.departed(l)).slice(0, h.count);
      for (const leg of deps) for (let c = 0; c < 6; c++) for (let k = 0; k < P; k++) booked += Math.max(0, view.bookingsInPeriod(leg, c, k));
      for (let i = 0; i < h.count * 6 * P; i++) imputed += h.values[i]!;
    }
    expect(imputed).toBeGreaterThan(booked * 1.02);
  });
});
