import { describe, expect, it } from 'vitest';
import { normPdf, normSf } from '../optimisation/normal';
import { seededRng } from './rng';
import { detruncateColumnsInto, detruncateInto, emDetruncate, projectionDetruncate } from './unconstrain';

/** n normal demands with random caps: the class closed at the cap, so values at the cap are censored. */
function censoredSample(seed: number, n: number, mu: number, sigma: number) {
  const rng = seededRng(seed);
  const values: number[] = [];
  const censored: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const x = mu + sigma * rng.normal();
    const cap = 12 + 18 * rng.next();
    values.push(Math.min(x, cap));
    censored.push(x >= cap);
  }
  return { values, censored };
}

function censoredLogLik(values: number[], censored: boolean[], mu: number, sigma: number): number {
  let ll = 0;
  values.forEach((x, i) => { ll += censored[i] ? Math.log(normSf((x - mu) / sigma)) : Math.log(normPdf((x - mu) / sigma) / sigma); });
  return ll;
}

describe('EM detruncation (normal model)', () => {
  const { values, censored } = censoredSample(11, 3000, 20, 5);
  const naive = values.reduce((a, b) => a + b, 0) / values.length;

  it('recovers the demand behind censored observations', () => {
    const r = emDetruncate(values, censored);
    expect(r.converged).toBe(true);
    expect(r.censored).toBeGreaterThan(600);
    expect(naive).toBeLessThan(19);
    expect(Math.abs(r.mean - 20)).toBeLessThan(0.35);
    expect(Math.abs(r.sd - 5)).toBeLessThan(0.35);
  });

  it('lands on the maximum of the censored likelihood', () => {
    const r = emDetruncate(values, censored, { tolerance: 1e-9 });
    const best = censoredLogLik(values, censored, r.mean, r.sd);
    for (const [dm, ds] of [[0.02, 0], [-0.02, 0], [0, 0.02], [0, -0.02], [0.02, 0.02], [-0.02, -0.02]] as const) {
      expect(censoredLogLik(values, censored, r.mean + dm, r.sd + ds)).toBeLessThan(best);
    }
  });

  it('raises only censored values, to their conditional expectation', () => {
    const r = emDetruncate(values, censored);
    values.forEach((x, i) => {
      if (censored[i]) expect(r.values[i]!).toBeGreaterThan(x);
      else expect(r.values[i]).toBe(x);
    });
    const mean = r.values.reduce((a, b) => a + b, 0) / r.values.length;
    expect(mean).toBeCloseTo(r.mean, 3); // the E-step at the fixed point reproduces μ
  });

  it('leaves uncensored data as it is', () => {
    const r = emDetruncate([1, 2, 3], [false, false, false]);
    expect(r.values).toEqual([1, 2, 3]);
    expect(r.mean).toBe(2);
    expect(r.iterations).toBe(0);
  });

  it('flags a cell it cannot identify (fewer than two uncensored values) and keeps the observations', () => {
    const r = emDetruncate([0, 0, 1], [true, true, false]);
    expect(r.identified).toBe(false);
    expect(r.values).toEqual([0, 0, 1]);
  });
});

describe('projection detruncation', () => {
  const { values, censored } = censoredSample(12, 3000, 20, 5);
  const naive = values.reduce((a, b) => a + b, 0) / values.length;

  it('projects censored values upward and removes most of the bias', () => {
    const r = projectionDetruncate(values, censored);
    expect(r.converged).toBe(true);
    expect(Math.abs(r.mean - 20)).toBeLessThan((20 - naive) / 3);
    values.forEach((x, i) => { if (censored[i]) expect(r.values[i]!).toBeGreaterThanOrEqual(x); else expect(r.values[i]).toBe(x); });
  });

  it('projects further with a smaller tau', () => {
    const half = projectionDetruncate(values, censored, { tau: 0.5 });
    const quarter = projectionDetruncate(values, censored, { tau: 0.25 });
    expect(quarter.mean).toBeGreaterThan(half.mean);
    expect(() => projectionDetruncate(values, censored, { tau: 0 })).toThrow(/tau/);
  });
});

describe('column-wise detruncation of a pickup matrix', () => {
  it('treats each period as its own cell and skips unobserved cells', () => {
    const a = censoredSample(21, 40, 10, 3);
    const b = censoredSample(22, 40, 30, 6);
    const m: number[] = [];
    const c: number[] = [];
    for (let d = 0; d < 40; d++) { m.push(a.values[d]!, b.values[d]!); c.push(Number(a.censored[d]), Number(b.censored[d])); }
    m.push(5, NaN);
    c.push(0, 0);
    const out = new Float64Array(m.length);
    expect(detruncateColumnsInto('em', m, c, 41, 2, out)).toBe(0);
    const colA = new Float64Array(41);
    detruncateInto('em', [...a.values, 5], [...a.censored, false], 41, colA);
    for (let d = 0; d < 41; d++) expect(out[d * 2]).toBe(colA[d]);
    expect(Number.isNaN(out[81]!)).toBe(true);
  });
});
