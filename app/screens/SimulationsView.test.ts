import { describe, expect, it } from 'vitest';
import type { SimulationOutcome, SimulationRunDetail } from '../../engine/api/contract';
import { bookingCurves, fareMixRows, strategyBars, upliftText } from './SimulationsView';

const outcome = (carrier: string, revenue: number, loadFactor: number): SimulationOutcome =>
  ({ carrier, revenue, passengers: 0, seats: 0, seatsSold: 0, loadFactor, yield: 0, averageFare: 0 });

const run = {
  id: 1, scenario: '3mkt', strategy: 'dynamic', vs: 'E', demand: 'medium', label: '', trials: 2, upliftPct: 1.5, upliftLow: -0.25, upliftHigh: 3.25, elapsedMs: 1, createdAt: '',
  options: { seed: 1, samples: 1, burnIn: 1 }, ownCarrier: 'AL1', currency: 'USD', demandMultiplier: 1,
  a: { carriers: [outcome('AL1', 101.6, 0.8), outcome('AL2', 99, 0.9)], total: outcome('total', 200.6, 0.85), fareMix: [{ rbd: 'Y', cabin: 'Y', seats: 3, share: 0.75 }, { rbd: 'Q', cabin: 'Y', seats: 1, share: 0.25 }], bookingCurve: [{ dcp: 21, bookings: 10 }, { dcp: 0, bookings: 50 }] },
  b: { carriers: [outcome('AL1', 100, 0.9), outcome('AL2', 100, 0.9)], total: outcome('total', 200, 0.9), fareMix: [{ rbd: 'Y', cabin: 'Y', seats: 1, share: 0.5 }, { rbd: 'Q', cabin: 'Y', seats: 1, share: 0.5 }], bookingCurve: [{ dcp: 21, bookings: 12 }, { dcp: 0, bookings: 60 }] },
  uplift: { mean: 1.5, sd: 1, n: 2, low: -0.25, high: 3.25, level: 0.95 }, perTrial: [],
} satisfies SimulationRunDetail;

describe('simulation charts', () => {
  it('puts strategy A beside B per carrier and in total', () => {
    const s = strategyBars(run);
    expect(s.revenue).toEqual([{ carrier: 'AL1', a: 102, b: 100 }, { carrier: 'AL2', a: 99, b: 100 }, { carrier: 'total', a: 201, b: 200 }]);
    expect(s.loadFactor.map((r) => [r.carrier, Math.round(r.a), Math.round(r.b)])).toEqual([['AL1', 80, 90], ['AL2', 90, 90], ['total', 85, 90]]);
  });

  it('gives our booking curves and fare mix of both strategies', () => {
    expect(bookingCurves(run)).toEqual([{ dcp: 21, a: 10, b: 12 }, { dcp: 0, a: 50, b: 60 }]);
    expect(fareMixRows(run)).toEqual([{ rbd: 'Y', a: 75, b: 50 }, { rbd: 'Q', a: 25, b: 50 }]);
  });

  it('writes the uplift with its interval, or why there is none', () => {
    expect(upliftText(run)).toBe('+1.50 % (95 % CI −0.25 % to +3.25 %)');
    expect(upliftText({ upliftPct: -2, upliftLow: null, upliftHigh: null })).toBe('−2.00 % (one trial: no interval)');
    expect(upliftText({ upliftPct: null, upliftLow: null, upliftHigh: null })).toBe('n/a');
  });
});
