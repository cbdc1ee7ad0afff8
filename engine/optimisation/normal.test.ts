import { describe, expect, it } from 'vitest';
import { millsInverse, normCdf, normPdf, normQuantile, normSf } from './normal';

describe('standard normal', () => {
  it('matches reference quantiles to 1e-14', () => {
    // reference values: R qnorm()
    expect(normQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normQuantile(1 / 6)).toBeCloseTo(-0.9674215661017009, 14);
    expect(normQuantile(0.9)).toBeCloseTo(1.2815515655446004, 14);
    expect(normQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
    expect(normQuantile(0.5)).toBe(0);
    expect(normQuantile(0)).toBe(-Infinity);
    expect(() => normQuantile(1.2)).toThrow(/\[0, 1\]/);
  });

  it('inverts the CDF across (0, 1)', () => {
    for (let i = 1; i < 1000; i++) {
      const p = i / 1000;
      expect(Math.abs(normCdf(normQuantile(p)) - p) / Math.min(p, 1 - p)).toBeLessThan(1e-12);
    }
  });

  it('keeps relative precision in the tails', () => {
    expect(normSf(8) / 6.22096057427178e-16).toBeCloseTo(1, 10); // R: pnorm(8, lower = FALSE)
    expect(normCdf(-1)).toBeCloseTo(0.15865525393145707, 15);
    expect(normSf(-1)).toBeCloseTo(1 - 0.15865525393145707, 15);
    expect(normSf(3 - 1e-12) / 0.001349898031630095).toBeCloseTo(1, 10); // R: pnorm(3, lower = FALSE)
    expect(normSf(3 + 1e-12) / 0.001349898031630095).toBeCloseTo(1, 10);
    expect(millsInverse(20)).toBeCloseTo(normPdf(20) / normSf(20), 8);
    expect(millsInverse(0)).toBeCloseTo(Math.sqrt(2 / Math.PI), 14);
  });

  it('gives millsInverse below 3 as φ(z) / (1 − Φ(z)) to the bit, the way system E\'s unconstraining has always had it', () => {
    let differ = 0;
    for (let i = 0; i <= 400_000; i++) {
      const z = -45 + (48 * i) / 400_000; // −45 … 3, both sides of −40 and −3
      if (!Object.is(millsInverse(z), normPdf(z) / normSf(z))) differ++;
    }
    for (const z of [-3, -40, 0, -0, 1e-170, -1e-170, 2.999999999999]) if (!Object.is(millsInverse(z), normPdf(z) / normSf(z))) differ++;
    expect(differ).toBe(0);
    expect(millsInverse(NaN)).toBeNaN();
  });

  it('evaluates the tail\'s continued fraction to the same bits as at its full 80 terms, wherever it starts shallower', () => {
    const full = (z: number) => { let f = z; for (let k = 80; k >= 1; k--) f = z + k / f; return 1 / f; };
    let differ = 0;
    const edges = [3, 3.25, 3.5, 3.75, 4, 4.5, 5, 5.5, 6, 7, 8, 10, 12, 15, 20, 30, 40];
    for (let e = 0; e + 1 < edges.length; e++) {
      for (let i = 0; i < 20_000; i++) {
        const z = edges[e]! + ((edges[e + 1]! - edges[e]!) * i) / 20_000;
        if (millsInverse(z) !== 1 / full(z)) differ++;
        if (normCdf(-z) !== full(z) * normPdf(z)) differ++;
      }
    }
    expect(differ).toBe(0);
  });
});
