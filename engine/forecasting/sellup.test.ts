import { describe, expect, it } from 'vitest';
import { defaultFrat5Curve, frat5For, hybridSplitInto, partitionQ, qEquivalent, sellUpProbability } from './sellup';

describe('Frat5 sell-up', () => {
  it('is 1 at the Q fare, one half at the Frat5 ratio, a quarter at twice the distance', () => {
    expect(sellUpProbability(1, 2.5)).toBe(1);
    expect(sellUpProbability(2.5, 2.5)).toBeCloseTo(0.5, 14);
    expect(sellUpProbability(4, 2.5)).toBeCloseTo(0.25, 14);
    // exp((fF/fQ − 1)·ln 0.5/(Frat5 − 1)) with fF/fQ = 1.5, Frat5 = 2: exp(0.5·ln 0.5) = √0.5
    expect(sellUpProbability(1.5, 2)).toBeCloseTo(Math.SQRT1_2, 14);
    expect(() => sellUpProbability(2, 1)).toThrow(/Frat5/);
  });

  it('takes Frat5 per DCP period from a curve that rises toward departure', () => {
    const c = defaultFrat5Curve(17);
    expect(c[0]).toBeCloseTo(1.4, 12);
    expect(c[16]).toBeCloseTo(3, 12);
    expect(frat5For(c, 20)).toBe(c[16]);
    expect(frat5For(2.2, 3)).toBe(2.2);
  });

  it('converts bookings to Q-equivalents and partitions Q demand back to the classes', () => {
    expect(qEquivalent(5, 250, 100, 2.5)).toBeCloseTo(10, 12); // 250/100 = Frat5: half sell up
    const fares = [400, 250, 100];
    const part = partitionQ(100, 10, fares, 2.5);
    expect(part.sellUp[2]).toBe(1);
    expect(part.means.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 12);
    expect(part.means[1]).toBeCloseTo(100 * (0.5 - 0.25), 12);
    // Poisson Q (sd² = mean): increments are independent Poisson thinning
    expect(part.sds[1]).toBeCloseTo(Math.sqrt(100 * 0.25), 12);
  });

  it('splits a period into price-oriented Q-equivalents and product-oriented bookings', () => {
    const y = [0, 0, 0];
    const q = hybridSplitInto([2, 3, 0], [400, 250, 100], 1, 2.5, y);
    expect(y).toEqual([2, 0, 0]);
    expect(q).toBeCloseTo(6, 12); // 3 bookings in the lowest open class at sell-up 0.5
    expect(hybridSplitInto([1, 1, 1], [400, 250, 100], -1, 2.5, y)).toBe(0);
  });
});
