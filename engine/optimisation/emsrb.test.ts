import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fiig from './fixtures/fiig2010-emsrb.json';
import phillips from './fixtures/phillips2005-littlewood.json';
import { bookingLimits, bookingLimitsInto, emsrBidPrice, emsra, emsrb, emsrbInto, littlewood, nestedProtections } from './emsrb';

const fiigClasses = fiig.fares.map((fare, i) => ({ fare, mean: fiig.means[i]!, sd: fiig.sds[i]! }));

describe('EMSR-b (Fiig et al. 2010 example)', () => {
  it('gives the published raw protection levels to 1e-3', () => {
    const y = emsrb(fiigClasses);
    expect(y).toHaveLength(5);
    y.forEach((v, i) => expect(Math.abs(v - fiig.emsrbRawProtections[i]!)).toBeLessThan(fiig.tolerance));
  });

  it('rounds to 0 20 35 54 80 117 with the top class first', () => {
    expect(nestedProtections(emsrb(fiigClasses), 300)).toEqual(fiig.roundedProtectionsWithTopClass);
  });

  it('gives nested booking limits from capacity', () => {
    expect(bookingLimits(emsrb(fiigClasses), 100)).toEqual([100, 80, 65, 46, 20, 0]);
  });

  it('has an allocation-free form on typed arrays with the same result', () => {
    const out = new Float64Array(5);
    emsrbInto(Float64Array.from(fiig.fares), Float64Array.from(fiig.means), Float64Array.from(fiig.sds), 6, out);
    expect(Array.from(out)).toEqual(emsrb(fiigClasses));
    const limits = new Int32Array(6);
    bookingLimitsInto(out, 6, 100, limits);
    expect(Array.from(limits)).toEqual([100, 80, 65, 46, 20, 0]);
  });

  it('refuses a ladder out of order or a negative sd, naming the class', () => {
    expect(() => emsrb([{ fare: 100, mean: 1, sd: 1 }, { fare: 200, mean: 1, sd: 1 }])).toThrow(/class 2 fare 200 exceeds class 1 fare 100/);
    expect(() => emsrb([{ fare: 100, mean: 1, sd: -1 }, { fare: 50, mean: 1, sd: 1 }])).toThrow(/class 1 sd/);
  });

  it('protects nothing for an equal fare and the mean for a certain demand', () => {
    expect(emsrb([{ fare: 100, mean: 10, sd: 3 }, { fare: 100, mean: 5, sd: 2 }])).toEqual([0]);
    expect(emsrb([{ fare: 100, mean: 10, sd: 0 }, { fare: 50, mean: 5, sd: 2 }])).toEqual([10]);
    expect(emsrb([{ fare: 100, mean: 0, sd: 0 }, { fare: 50, mean: 5, sd: 2 }])).toEqual([0]);
  });
});

describe("Littlewood's rule (Phillips 2005, example 9.2)", () => {
  it.each(phillips.cases)('low fare $lowFare gives discount booking limit $discountBookingLimit', ({ lowFare, discountBookingLimit }) => {
    const y = littlewood(phillips.highFare, lowFare, phillips.highDemandMean, phillips.highDemandSd);
    expect(phillips.capacity - Math.floor(y)).toBe(discountBookingLimit);
    expect(bookingLimits([y], phillips.capacity, 'floor')).toEqual([phillips.capacity, discountBookingLimit]);
  });

  it('is EMSR-b and EMSR-a with two classes', () => {
    const classes = [{ fare: 100, mean: 50, sd: 100 }, { fare: 40, mean: 80, sd: 10 }];
    expect(emsrb(classes)[0]).toBeCloseTo(littlewood(100, 40, 50, 100), 12);
    expect(emsra(classes)[0]).toBeCloseTo(littlewood(100, 40, 50, 100), 12);
  });
});

describe('EMSR-a', () => {
  it('sums the pairwise Littlewood protections (hand-computed)', () => {
    // y2 = 31.2 + 11.2·Φ⁻¹(1 − 800/1200) + 10.9 + 6.6·Φ⁻¹(1 − 800/1000)
    //    = 31.2 + 11.2·(−0.4307272993) + 10.9 + 6.6·(−0.8416212336) = 31.72115
    const y = emsra(fiigClasses);
    expect(y[0]).toBeCloseTo(fiig.emsrbRawProtections[0]!, 3);
    expect(y[1]).toBeCloseTo(31.72115, 4);
  });
});

describe('EMSR bid price', () => {
  const f = Float64Array.from(fiig.fares);
  const m = Float64Array.from(fiig.means);
  const s = Float64Array.from(fiig.sds);

  it('is the best aggregate fare times the chance the seat is wanted (hand-checked for seat 1 of class 1)', () => {
    // one seat left: class 1 alone is almost sure to want it: 1200 · P(N(31.2, 11.2) > 0.5)
    expect(emsrBidPrice(f, m, s, 1, 1)).toBeCloseTo(1200 * 0.99694, 0);
  });

  it('falls as seats remain and is free of cost when demand cannot reach the seat', () => {
    let prev = Infinity;
    for (const seats of [1, 20, 40, 80, 120, 160, 200]) {
      const b = emsrBidPrice(f, m, s, 6, seats);
      expect(b).toBeLessThanOrEqual(prev);
      prev = b;
    }
    expect(emsrBidPrice(f, m, s, 6, 400)).toBeLessThan(1e-6);
    expect(emsrBidPrice(f, m, s, 6, 0)).toBe(Infinity);
  });
});

const ladder = fc.array(fc.record({
  fare: fc.double({ min: 1, max: 5000, noNaN: true }),
  mean: fc.double({ min: 0, max: 200, noNaN: true }),
  sd: fc.double({ min: 0, max: 80, noNaN: true }),
}), { minLength: 1, maxLength: 12 }).map((cs) => [...cs].sort((a, b) => b.fare - a.fare));

describe('properties on random ladders', () => {
  it('nested protections are non-decreasing and within capacity; limits nested and within capacity', () => {
    fc.assert(fc.property(ladder, fc.integer({ min: 0, max: 400 }), fc.constantFrom<'round' | 'floor' | 'ceil'>('round', 'floor', 'ceil'), (classes, capacity, rounding) => {
      for (const raw of [emsrb(classes), emsra(classes)]) {
        const prot = nestedProtections(raw, capacity, rounding);
        const limits = bookingLimits(raw, capacity, rounding);
        expect(prot[0]).toBe(0);
        expect(limits[0]).toBe(capacity);
        for (let j = 1; j < classes.length; j++) {
          expect(prot[j]!).toBeGreaterThanOrEqual(prot[j - 1]!);
          expect(limits[j]!).toBeLessThanOrEqual(limits[j - 1]!);
          expect(limits[j]!).toBeGreaterThanOrEqual(0);
          expect(Number.isInteger(limits[j])).toBe(true);
        }
      }
    }), { numRuns: 300, seed: 5 });
  });

  it('EMSR-b protection grows with the demand of the classes it protects', () => {
    fc.assert(fc.property(ladder.filter((c) => c.length >= 2 && c[1]!.fare < c[0]!.fare), fc.double({ min: 0.1, max: 50, noNaN: true }), (classes, extra) => {
      const more = classes.map((c, i) => (i === 0 ? { ...c, mean: c.mean + extra } : c));
      expect(emsrb(more)[0]!).toBeGreaterThan(emsrb(classes)[0]! - 1e-9);
    }), { numRuns: 200, seed: 7 });
  });
});
