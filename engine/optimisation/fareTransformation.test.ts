import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fiig from './fixtures/fiig2010-emsrb.json';
import { emsrb } from './emsrb';
import { emsrbOnTransformedFares, mrFareTransformation } from './fareTransformation';

describe('MR fare transformation (Fiig et al. 2010 example)', () => {
  const t = mrFareTransformation(fiig.fares, fiig.means);

  it('gives the published adjusted fares', () => {
    const adjusted = t.adjustedFares.filter((f): f is number => f !== null);
    expect(adjusted).toHaveLength(fiig.fareTransformation.adjustedFares.length);
    adjusted.forEach((f, i) => expect(Math.abs(f - fiig.fareTransformation.adjustedFares[i]!)).toBeLessThan(fiig.fareTransformation.tolerance));
  });

  it('finds classes 5 and 6 inefficient and closes them', () => {
    const inefficient = t.efficient.map((e, i) => (e ? 0 : i + 1)).filter((i) => i > 0);
    expect(inefficient).toEqual(fiig.fareTransformation.inefficientClasses);
    const c = emsrbOnTransformedFares(fiig.fares, fiig.means, 100, { priceableSd: fiig.sds });
    expect(c.bookingLimits[4]).toBe(0);
    expect(c.bookingLimits[5]).toBe(0);
    expect(c.frontierProtections).toHaveLength(3);
  });

  it('is the identity for product-oriented demand only', () => {
    const y = mrFareTransformation(fiig.fares, fiig.fares.map(() => 0), fiig.means, undefined, fiig.sds);
    y.adjustedFares.forEach((f, i) => expect(f).toBeCloseTo(fiig.fares[i]!, 9));
    const c = emsrbOnTransformedFares(fiig.fares, fiig.fares.map(() => 0), 300, { yieldable: fiig.means, yieldableSd: fiig.sds });
    const direct = emsrb(fiig.fares.map((fare, i) => ({ fare, mean: fiig.means[i]!, sd: fiig.sds[i]! })));
    c.frontierProtections.forEach((p, i) => expect(p).toBeCloseTo(direct[i]!, 10));
  });

  it('closes a class in the middle of the ladder only when it would be the lowest open', () => {
    // class 2 adds almost no demand for a big fare drop: it is off the hull
    const c = emsrbOnTransformedFares([500, 450, 300, 100], [10, 0.1, 30, 5], 60, { priceableSd: [3, 0.3, 6, 2] });
    expect(c.transformation.efficient).toEqual([true, false, true, false]);
    expect(c.bookingLimits[1]).toBe(c.bookingLimits[2]);
    expect(c.bookingLimits[3]).toBe(0);
  });
});

describe('properties of transformed controls', () => {
  const cls = fc.array(fc.record({
    fare: fc.double({ min: 10, max: 3000, noNaN: true }),
    p: fc.double({ min: 0, max: 60, noNaN: true }),
    y: fc.double({ min: 0, max: 30, noNaN: true }),
  }), { minLength: 1, maxLength: 10 }).map((a) => [...a].sort((x, z) => z.fare - x.fare));

  it('adjusted fares decrease down the frontier and limits are nested within capacity', () => {
    fc.assert(fc.property(cls, fc.integer({ min: 0, max: 300 }), (classes, capacity) => {
      const fares = classes.map((c) => c.fare);
      const c = emsrbOnTransformedFares(fares, classes.map((x) => x.p), capacity, {
        yieldable: classes.map((x) => x.y), priceableSd: classes.map((x) => Math.sqrt(x.p)), yieldableSd: classes.map((x) => Math.sqrt(x.y)),
      });
      const f = c.transformation.frontier;
      for (let i = 1; i < f.length; i++) expect(f[i]!.adjustedFare).toBeLessThan(f[i - 1]!.adjustedFare);
      // a segment's marginal revenue never exceeds the dearest fare it opens
      f.forEach((x, i) => expect(x.adjustedFare).toBeLessThanOrEqual(fares[i === 0 ? 0 : f[i - 1]!.index + 1]! * (1 + 1e-12)));
      expect(c.bookingLimits[0]).toBeLessThanOrEqual(capacity);
      for (let j = 1; j < fares.length; j++) {
        expect(c.bookingLimits[j]!).toBeLessThanOrEqual(c.bookingLimits[j - 1]!);
        expect(c.bookingLimits[j]!).toBeGreaterThanOrEqual(0);
      }
    }), { numRuns: 200, seed: 3 });
  });
});
