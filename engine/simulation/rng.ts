/**
 * Seeded randomness for the market simulator: a small fast generator (sfc32, Chris Doty-Humphrey's
 * "small fast chaotic" generator, 128-bit state, passes PractRand) and a counter-based hash, so that a
 * draw can be addressed by what it is for (seed, market, segment, departure day, period) instead of
 * by the order in which the simulation happens to ask for it. That is what makes a counterfactual run
 * (same draws, different prices or controls) and the truth queries possible.
 */

const TWO_POW_32 = 4294967296;
/** 2^−32: multiplying by it is exactly dividing by 2^32 (a power of two), and cheaper */
const TWO_POW_M32 = 1 / TWO_POW_32;

/** 32-bit finaliser (the "lowbias32" mixer): a bijection on uint32 with good avalanche. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hash of a seed and up to four integer keys to a uint32 (order-sensitive). */
export function hash32(seed: number, a = 0, b = 0, c = 0, d = 0): number {
  let h = mix32((seed ^ 0x9e3779b9) >>> 0);
  h = mix32((h ^ Math.imul(a | 0, 0x85ebca6b)) >>> 0);
  h = mix32((h + Math.imul(b | 0, 0xc2b2ae35)) >>> 0);
  h = mix32((h ^ Math.imul(c | 0, 0x27d4eb2f)) >>> 0);
  h = mix32((h + Math.imul(d | 0, 0x165667b1)) >>> 0);
  return h;
}

/** A uniform in (0, 1) from a uint32 (never exactly 0 or 1). */
export function unitFromU32(u: number): number {
  return (u + 0.5) * TWO_POW_M32;
}

/** A hash-addressed uniform in (0, 1). */
function hashUniform(seed: number, a = 0, b = 0, c = 0, d = 0): number {
  return unitFromU32(hash32(seed, a, b, c, d));
}

/** Stable 32-bit hash of a string (FNV-1a then mixed), to turn names into hash keys. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h >>> 0);
}

/**
 * sfc32: four 32-bit words of state, one 32-bit output per step. Seeded from one to four words and
 * warmed up, so nearby seeds give unrelated streams.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, s2 = 0, s3 = 0, s4 = 0) {
    // the state is kept as int32 (the same bits as uint32: every step works modulo 2^32), so the fields
    // always hold small integers and a store never allocates a heap number
    this.a = mix32(seed >>> 0) | 0;
    this.b = mix32((s2 ^ 0x6a09e667) >>> 0) | 0;
    this.c = mix32((s3 ^ 0xbb67ae85) >>> 0) | 0;
    this.d = s4 ^ 1;
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** Re-seeds in place (no allocation): used per passenger in the hot loop. */
  reseed(seed: number, s2 = 0): void {
    this.a = mix32(seed >>> 0) | 0;
    this.b = mix32((s2 ^ 0x6a09e667) >>> 0) | 0;
    this.c = 0xbb67ae85 | 0;
    this.d = 1;
    for (let i = 0; i < 4; i++) this.nextU32();
  }

  nextU32(): number {
    return this.nextI32() >>> 0;
  }

  /** The next output as a signed 32-bit integer (the same bits as nextU32; a small integer, never boxed). */
  nextI32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t;
  }

  /**
   * Writes the next n uniforms (exactly the values n calls of `uniform()` return) into out[from ..],
   * without a call per draw (a double returned from a call that is not inlined is boxed).
   */
  fillUniform(out: Float64Array, from: number, n: number): void {
    let a = this.a;
    let b = this.b;
    let c = this.c;
    let d = this.d;
    for (let i = 0; i < n; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      out[from + i] = ((t >>> 0) + 0.5) * TWO_POW_M32;
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }

  /** Uniform in (0, 1). */
  uniform(): number {
    return (this.nextU32() + 0.5) * TWO_POW_M32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Standard normal (inverse CDF of one uniform). */
  normal(): number {
    return normalFromUniform(this.uniform());
  }

  /** Exponential with mean 1. */
  exponential(): number {
    return -Math.log(this.uniform());
  }

  poisson(lambda: number): number {
    return poisson(this, lambda);
  }

  /** Picks an index from cumulative weights (last entry = total). */
  pickCumulative(cum: ArrayLike<number>, n = cum.length): number {
    const u = this.uniform() * cum[n - 1]!;
    let i = 0;
    while (i < n - 1 && u >= cum[i]!) i++;
    return i;
  }
}

/**
 * Φ⁻¹(u) by Acklam's rational approximation (relative error below 1.2e-9 over (0, 1)), for u in
 * (0, 1). Used to turn uniforms (including hash-addressed ones) into standard normals.
 */
export function normalFromUniform(u: number): number {
  const s = NORMAL_SCRATCH;
  s[0] = u;
  normalInPlace(s, 0);
  return s[0]!;
}

const NORMAL_SCRATCH = new Float64Array(1);

/**
 * Replaces a[i] (a uniform in (0, 1)) by Φ⁻¹(a[i]), the value normalFromUniform gives, in place: hot
 * code calls this instead, since a double passed to or returned from a call that is not inlined is
 * boxed (an allocation per draw).
 */
export function normalInPlace(a: Float64Array, i: number): void {
  const u = a[i]!;
  const plow = 0.02425;
  if (u < plow) {
    const q = Math.sqrt(-2 * Math.log(u));
    a[i] = (((((-7.784894002430293e-3 * q - 3.223964580411365e-1) * q - 2.400758277161838) * q - 2.549732539343734) * q + 4.374664141464968) * q + 2.938163982698783)
      / ((((7.784695709041462e-3 * q + 3.224671290700398e-1) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1);
    return;
  }
  if (u > 1 - plow) {
    const q = Math.sqrt(-2 * Math.log(1 - u));
    a[i] = -(((((-7.784894002430293e-3 * q - 3.223964580411365e-1) * q - 2.400758277161838) * q - 2.549732539343734) * q + 4.374664141464968) * q + 2.938163982698783)
      / ((((7.784695709041462e-3 * q + 3.224671290700398e-1) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1);
    return;
  }
  const q = u - 0.5;
  const r = q * q;
  a[i] = (((((-3.969683028665376e1 * r + 2.209460984245205e2) * r - 2.759285104469687e2) * r + 1.38357751867269e2) * r - 3.066479806614716e1) * r + 2.506628277459239) * q
    / (((((-5.447609879822406e1 * r + 1.615858368580409e2) * r - 1.556989798598866e2) * r + 6.680131188771972e1) * r - 1.328068155288572e1) * r + 1);
}

/** A hash-addressed standard normal. */
export function hashNormal(seed: number, a = 0, b = 0, c = 0, d = 0): number {
  return normalFromUniform(hashUniform(seed, a, b, c, d));
}

const LOG_FACT_TABLE: number[] = (() => {
  const t = [0];
  for (let i = 1; i < 10; i++) t.push(t[i - 1]! + Math.log(i));
  return t;
})();

function logFactorial(k: number): number {
  if (k < 10) return LOG_FACT_TABLE[k]!;
  // Stirling series, ample for k >= 10
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.91893853320467274 + 1 / (12 * x) - 1 / (360 * x * x * x);
}

/**
 * Poisson variate: inversion by sequential search for λ < 30, Hörmann's PTRS (transformed rejection
 * with squeeze, 1993) above.
 */
export function poisson(rng: { uniform(): number }, lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda < 30) {
    let k = 0;
    let p = Math.exp(-lambda);
    let s = p;
    const u = rng.uniform();
    while (u > s && k < 1000) {
      k++;
      p *= lambda / k;
      s += p;
    }
    return k;
  }
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.uniform() - 0.5;
    const v = rng.uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) return k;
  }
}

/**
 * One passenger's stream of uniforms, drawn ahead into a buffer: `buf[pos ..]` are the next draws
 * (`len` of them are drawn so far; the generator stands after the last). Hot code reads `buf[pos++]`
 * inline when it knows enough are drawn (`ahead`), else calls `next()`; either way the values and
 * their order are those of sequential `uniform()` calls on the same seed.
 */
export class UniformStream {
  buf = new Float64Array(64);
  pos = 0;
  len = 0;
  private readonly rng = new Rng(1);

  /** Restarts at the stream `Rng.reseed(seed, s2)` gives, with its first n uniforms drawn. */
  start(seed: number, s2: number, n: number): void {
    this.rng.reseed(seed, s2);
    this.pos = 0;
    this.len = 0;
    this.ahead(n);
  }

  /** Draws n more uniforms into the buffer. */
  ahead(n: number): void {
    if (this.len + n > this.buf.length) {
      const next = new Float64Array(Math.max(this.buf.length * 2, this.len + n));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.rng.fillUniform(this.buf, this.len, n);
    this.len += n;
  }

  /** The next uniform. */
  next(): number {
    if (this.pos >= this.len) this.ahead(16);
    return this.buf[this.pos++]!;
  }

  /** Replaces buf[i] (a uniform) by the standard normal normalFromUniform gives for it, in place (no boxing). */
  normalAt(i: number): void {
    normalInPlace(this.buf, i);
  }
}
