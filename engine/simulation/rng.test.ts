import { describe, expect, it } from 'vitest';
import { hash32, hashNormal, normalFromUniform, poisson, Rng, UniformStream } from './rng';

describe('rng', () => {
  it('is reproducible and seeds differ', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xa = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(xa);
    // nextI32 is nextU32's bits as a signed integer (seeds stored in int32 records)
    const d = new Rng(42);
    expect(Array.from({ length: 5 }, () => d.nextI32() >>> 0)).toEqual(xa);
    expect(hash32(1, 2, 3)).toBe(hash32(1, 2, 3));
    expect(hash32(1, 2, 3)).not.toBe(hash32(1, 3, 2));
  });

  it('draws uniforms in (0,1) with the right moments, and normals', () => {
    const r = new Rng(7);
    let s = 0;
    let ss = 0;
    const n = 200_000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      if (!(u > 0 && u < 1)) outside++;
      s += u;
    }
    expect(outside).toBe(0);
    expect(s / n).toBeCloseTo(0.5, 2);
    s = 0;
    for (let i = 0; i < n; i++) { const z = r.normal(); s += z; ss += z * z; }
    expect(s / n).toBeCloseTo(0, 1);
    expect(ss / n).toBeCloseTo(1, 1);
    expect(normalFromUniform(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalFromUniform(0.001)).toBeCloseTo(-3.090232, 5);
    expect(Math.abs(hashNormal(9, 1, 2))).toBeLessThan(8);
  });

  it('draws Poisson counts with mean and variance λ, small and large', () => {
    const r = new Rng(11);
    for (const lambda of [0.3, 4, 25, 80, 400]) {
      const n = 40_000;
      let s = 0;
      let ss = 0;
      for (let i = 0; i < n; i++) { const k = poisson(r, lambda); s += k; ss += k * k; }
      const mean = s / n;
      const v = ss / n - mean * mean;
      expect(Math.abs(mean - lambda) / lambda).toBeLessThan(0.03);
      expect(Math.abs(v - lambda) / lambda).toBeLessThan(0.06);
    }
  });

  it('UniformStream gives the values and order of sequential uniform() calls, across refills and restarts', () => {
    const st = new UniformStream();
    for (const seed of [0, 1, 0xdeadbeef, 123456789]) {
      const r = new Rng(1);
      r.reseed(seed, 0xa11ce);
      st.start(seed, 0xa11ce, 5);
      st.start(seed | 0, 0xa11ce, 5); // a seed read back from an int32 record: the same stream
      const got: number[] = [];
      for (let i = 0; i < 5; i++) got.push(st.buf[st.pos++]!);
      for (let i = 0; i < 200; i++) got.push(st.next()); // past the first block and several refills
      const want = Array.from({ length: 205 }, () => r.uniform());
      expect(got).toEqual(want);
      st.buf[st.pos] = 0.975;
      st.normalAt(st.pos);
      expect(st.buf[st.pos]).toBe(normalFromUniform(0.975));
    }
  });
});
