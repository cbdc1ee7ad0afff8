import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildLegDemandModel, compareDpWithEmsrb, emsrbPolicy, evaluateEmsrbPolicy, solveLegDp, type LegDemandModel } from './dp';

/** Expected revenue of a capacity-based accept rule by enumerating every arrival sequence. */
function enumerate(model: LegDemandModel, capacity: number, accept: (step: number, x: number, j: number) => boolean): number {
  const n = model.classes;
  let total = 0;
  const walk = (s: number, x: number, prob: number, revenue: number): void => {
    if (s === model.steps) { total += prob * revenue; return; }
    let none = 1;
    for (let j = 0; j < n; j++) {
      const l = model.probs[s * n + j]!;
      none -= l;
      if (l === 0) continue;
      if (x > 0 && accept(s, x, j)) walk(s + 1, x - 1, prob * l, revenue + model.fares[j]!);
      else walk(s + 1, x, prob * l, revenue);
    }
    walk(s + 1, x, prob * none, revenue);
  };
  walk(0, capacity, 1, 0);
  return total;
}

function periodOf(model: LegDemandModel, s: number): number {
  let p = 0;
  while (model.periodStart[p + 1]! <= s) p++;
  return p;
}

describe('leg DP', () => {
  // 2 classes, 2 periods; 0.5 max probability per step → 2 + 2 steps
  const model = buildLegDemandModel([300, 100], [0.2, 0.6, 0.5, 0.3], 2, 0.5);

  it('builds micro-periods that spread each period mean over its steps', () => {
    expect(model.steps).toBe(4);
    expect(Array.from(model.periodStart)).toEqual([0, 2, 4]);
    expect(Array.from(model.probs)).toEqual([0.1, 0.3, 0.1, 0.3, 0.25, 0.15, 0.25, 0.15]);
  });

  it('equals the best policy found by enumerating every arrival sequence', () => {
    const dp = solveLegDp(model, 2);
    // the DP policy from its own bid prices, applied to every sequence
    const bids: number[][] = [];
    for (let s = 0; s <= model.steps; s++) bids.push([]);
    const V = (s: number, x: number): number => {
      if (s === model.steps || x === 0) return 0;
      let v = V(s + 1, x);
      for (let j = 0; j < 2; j++) v += model.probs[s * 2 + j]! * Math.max(0, model.fares[j]! + V(s + 1, x - 1) - V(s + 1, x));
      return v;
    };
    const policy = (s: number, x: number, j: number) => model.fares[j]! >= V(s + 1, x) - V(s + 1, x - 1);
    expect(dp.expectedRevenue).toBeCloseTo(enumerate(model, 2, policy), 12);
    expect(dp.expectedRevenue).toBeCloseTo(V(0, 2), 12);
  });

  it('evaluates the EMSR-b policy exactly (checked by enumeration)', () => {
    const prot = emsrbPolicy(model, 1);
    const rule = (s: number, x: number, j: number) => x > prot[periodOf(model, s) * 2 + j]!;
    expect(evaluateEmsrbPolicy(model, 1)).toBeCloseTo(enumerate(model, 1, rule), 12);
  });

  it('sells everything asked for when capacity is ample, under both policies', () => {
    const all = 300 * (0.2 + 0.5) + 100 * (0.6 + 0.3);
    const c = compareDpWithEmsrb(model, 10);
    expect(c.dpRevenue).toBeCloseTo(all, 12);
    expect(c.emsrbRevenue).toBeCloseTo(all, 12);
    expect(c.gap).toBeCloseTo(0, 12);
  });

  it('gives f·E[min(D, C)] for a single class', () => {
    const m = buildLegDemandModel([100], [1.2, 0.9], 2, 0.3);
    // Poisson-binomial distribution of D by convolution
    let dist = [1];
    for (let s = 0; s < m.steps; s++) {
      const l = m.probs[s]!;
      const nd = new Array(dist.length + 1).fill(0);
      dist.forEach((pr, k) => { nd[k] += pr * (1 - l); nd[k + 1] += pr * l; });
      dist = nd;
    }
    const emin = dist.reduce((a, pr, k) => a + pr * Math.min(k, 2), 0);
    expect(solveLegDp(m, 2).expectedRevenue).toBeCloseTo(100 * emin, 10);
  });

  it('reports bid prices from the start of a later period and refuses bad input', () => {
    const r = solveLegDp(model, 3, 1);
    expect(r.bidPrices).toHaveLength(4);
    expect(r.bidPrices[0]).toBe(Infinity);
    expect(() => buildLegDemandModel([100, 200], [1, 1], 1)).toThrow(/highest fare first/);
    expect(() => solveLegDp(model, -1)).toThrow(/capacity/);
  });
});

const instance = fc.record({
  fares: fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 5 }).map((f) => [...f].sort((a, b) => b - a)),
  periods: fc.integer({ min: 1, max: 4 }),
  capacity: fc.integer({ min: 0, max: 25 }),
  seed: fc.array(fc.double({ min: 0, max: 6, noNaN: true }), { minLength: 20, maxLength: 20 }),
});

describe('properties on random legs', () => {
  it('exact DP revenue >= exact EMSR-b revenue; bid prices non-increasing in remaining seats', () => {
    fc.assert(fc.property(instance, ({ fares, periods, capacity, seed }) => {
      const means = Array.from({ length: periods * fares.length }, (_, i) => seed[i % seed.length]!);
      const model = buildLegDemandModel(fares, means, periods);
      const c = compareDpWithEmsrb(model, capacity);
      expect(c.dpRevenue).toBeGreaterThanOrEqual(c.emsrbRevenue - 1e-9 * Math.max(1, c.dpRevenue));
      const bp = solveLegDp(model, capacity).bidPrices;
      for (let p = 0; p < periods; p++) {
        for (let x = 2; x <= capacity; x++) expect(bp[p * (capacity + 1) + x]!).toBeLessThanOrEqual(bp[p * (capacity + 1) + x - 1]! + 1e-9);
      }
    }), { numRuns: 150, seed: 17 });
  });
});
