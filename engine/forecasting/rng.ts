/**
 * A small seeded pseudo-random generator (mulberry32) with normal and Poisson draws, for synthetic
 * histories in tests and benchmarks. Deterministic for a seed; not for anything security-related.
 */
export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  /** standard normal (Box–Muller) */
  normal(): number;
  /** Poisson with the given mean (Knuth below 30, rounded normal approximation above) */
  poisson(mean: number): number;
  /** whole number in [0, n) */
  int(n: number): number;
}

import { mulberry32 } from '../domain/random';

export function seededRng(seed: number): Rng {
  const next = mulberry32(seed);
  let spare = NaN;
  const normal = (): number => {
    if (!Number.isNaN(spare)) { const s = spare; spare = NaN; return s; }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  const poisson = (mean: number): number => {
    if (!(mean > 0)) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
    const l = Math.exp(-mean);
    let k = 0;
    let p = next();
    while (p > l) { k++; p *= next(); }
    return k;
  };
  return { next, normal, poisson, int: (n) => Math.floor(next() * n) };
}
