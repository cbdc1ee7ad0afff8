/**
 * Realism checks: booking curves follow their DCP shares, load factors and the fare mix fall in the
 * ranges the README documents.
 */
import { describe, expect, it } from 'vitest';
import { fcfs } from './controller';
import { bookingCurve, carrierResults, fareMix } from './results';
import { smallSandbox, threeMkt } from './testing';

describe('3MKT realism', () => {
  it('booking curves follow the scenario curves within 2 points when capacity does not bind', () => {
    const mk = threeMkt({ seed: 9, demandMultiplier: 0.35, controllers: { AL1: fcfs(), AL2: fcfs() }, record: 'none' });
    mk.advanceDays(320);
    const net = mk.sim.net;
    // expected cumulative share per DCP, legs weighted by the legs each market's journeys use
    const P = net.nPeriods;
    const exp = new Float64Array(P);
    let tot = 0;
    for (let m = 0; m < net.markets.n; m++) {
      const legs = net.markets.key.get('BOS-LAX') === m ? 2 : 1;
      for (const d of net.markets.demand[m]!) {
        for (let k = 0; k < P; k++) exp[k] += d.baseDemand * legs * d.shares[k]!;
        tot += d.baseDemand * legs;
      }
    }
    const from = mk.sim.startDay + 80;
    const to = mk.sim.startDay + 300;
    const curves = [0, 1].map((c) => bookingCurve(mk.sim, c, from, to));
    const final = curves[0]!.at(-1)!.bookings + curves[1]!.at(-1)!.bookings;
    let cum = 0;
    for (let k = 0; k < P; k++) {
      cum += exp[k]! / tot;
      const seen = (curves[0]![k]!.bookings + curves[1]![k]!.bookings) / final;
      expect(Math.abs(seen - cum)).toBeLessThan(0.02);
    }
  });

  it('load factors and the fare mix under system E are plausible at medium demand', () => {
    const mk = threeMkt({ seed: 4, record: 'none' });
    mk.advanceDays(300);
    const from = mk.sim.startDay + 120;
    const to = mk.sim.startDay + 290;
    const res = carrierResults(mk.sim, from, to);
    for (const r of res) {
      expect(r.loadFactor).toBeGreaterThan(0.8);
      expect(r.loadFactor).toBeLessThan(0.98);
      expect(r.averageFare).toBeGreaterThan(120);
      expect(r.averageFare).toBeLessThan(400);
    }
    const mix = fareMix(mk.sim, 0, from, to);
    expect(mix.find((c) => c.rbd === 'Y0')!.share).toBeGreaterThan(0.03);
    expect(Math.max(...mix.map((c) => c.share))).toBeLessThan(0.6);
    // the two identical carriers end up close to each other
    expect(Math.abs(res[0]!.revenue - res[1]!.revenue) / res[0]!.revenue).toBeLessThan(0.05);
  });
});

describe('sandbox realism', () => {
  const mk = smallSandbox(3);
  const from = mk.sim.visibleFromDay;
  const to = mk.sim.clock.dayNumber() - 1;

  it('load factors: ours 70–95 % overall with a business cabin emptier than economy', () => {
    const res = carrierResults(mk.sim, from, to);
    const own = res.find((r) => r.carrier === 'DF')!;
    expect(own.loadFactor).toBeGreaterThan(0.65);
    expect(own.loadFactor).toBeLessThan(0.97);
    for (const r of res) expect(r.loadFactor).toBeGreaterThan(0.4);
    const mix = fareMix(mk.sim, 0, from, to);
    const j = mix.filter((c) => c.cabin === 'J').reduce((a, c) => a + c.share, 0);
    expect(j).toBeGreaterThan(0.02);
    expect(j).toBeLessThan(0.2);
    expect(Math.max(...mix.map((c) => c.share))).toBeLessThan(0.4);
    // connecting passengers are a real part of our traffic
    const lg = mk.sim.log;
    let conn = 0;
    for (let i = 0; i < lg.n; i++) if (lg.leg1[i]! >= 0) conn++;
    expect(conn / lg.n).toBeGreaterThan(0.15);
    expect(conn / lg.n).toBeLessThan(0.7);
  });

  it('average fares rise with distance and business passengers pay more than leisure', () => {
    const lg = mk.sim.log;
    const net = mk.sim.net;
    const byHaul = [[0, 0], [0, 0]];
    const bySeg = net.segments.map(() => [0, 0]);
    for (let i = 0; i < lg.n; i++) {
      if (lg.carrier[i] !== net.own || lg.segment[i]! >= net.segments.length) continue;
      const long = net.markets.distanceKm[lg.market[i]!]! > 3000 ? 1 : 0;
      byHaul[long]![0] += lg.value[i]!; byHaul[long]![1] += lg.pax[i]!;
      bySeg[lg.segment[i]!]![0] += lg.value[i]!; bySeg[lg.segment[i]!]![1] += lg.pax[i]!;
    }
    expect(byHaul[1]![0]! / byHaul[1]![1]!).toBeGreaterThan(2 * (byHaul[0]![0]! / byHaul[0]![1]!));
    const biz = net.segmentIdx.get('business')!;
    const lei = net.segmentIdx.get('leisure')!;
    expect(bySeg[biz]![0]! / bySeg[biz]![1]!).toBeGreaterThan(1.5 * (bySeg[lei]![0]! / bySeg[lei]![1]!));
  });
});
