import { describe, expect, it } from 'vitest';
import { seededRng } from '../forecasting/rng';
import { estimateElasticity, shrinkElasticity, type PriceObservation } from './elasticity';

function synthetic(seed: number, elasticity: number, cells: number): PriceObservation[] {
  const rng = seededRng(seed);
  const out: PriceObservation[] = [];
  for (let c = 0; c < cells; c++) {
    const group = c % 17;
    const base = 2 + group * 0.4; // the booking curve's shape, unrelated to price
    const price = [80, 100, 120, 150, 190][rng.int(5)]!;
    out.push({ group, price, bookings: rng.poisson(base * (price / 100) ** elasticity) });
  }
  return out;
}

describe('elasticity from booking history (Poisson with group fixed effects)', () => {
  it('recovers the true elasticity within its standard error', () => {
    for (const truth of [-0.8, -1.4, -2.2]) {
      const e = estimateElasticity(synthetic(7, truth, 3000))!;
      expect(e.method).toBe('poisson-fe');
      expect(Math.abs(e.elasticity - truth)).toBeLessThan(3 * e.se);
      expect(e.se).toBeLessThan(0.1);
    }
  });

  it('is not fooled by a booking curve that rises while prices rise', () => {
    // prices climb toward departure exactly when more people book: the period effects absorb it
    const rng = seededRng(3);
    const obs: PriceObservation[] = [];
    for (let d = 0; d < 400; d++) {
      for (let p = 0; p < 10; p++) {
        const price = 100 * (1 + p * 0.1) * (rng.next() < 0.5 ? 1 : 1.2);
        obs.push({ group: p, price, bookings: rng.poisson((1 + p) * (price / 100) ** -1.5) });
      }
    }
    const fe = estimateElasticity(obs)!;
    const pooled = estimateElasticity(obs.map((o) => ({ ...o, group: 0 })))!;
    expect(Math.abs(fe.elasticity + 1.5)).toBeLessThan(3 * fe.se);
    expect(pooled.elasticity).toBeGreaterThan(0); // the naive estimate has the wrong sign
  });

  it('declines without price variation and shrinks toward a prior by precision', () => {
    expect(estimateElasticity(Array.from({ length: 50 }, (_, i) => ({ group: i % 5, price: 100, bookings: 3 })))).toBeNull();
    expect(shrinkElasticity(null, -1.2, 0.4)).toEqual({ elasticity: -1.2, weight: 0 });
    const s = shrinkElasticity({ elasticity: -2, se: 0.4 }, -1.2, 0.4);
    expect(s.weight).toBeCloseTo(0.5, 12);
    expect(s.elasticity).toBeCloseTo(-1.6, 12);
  });
});
