/**
 * Unconstraining (detruncation) of censored demand observations.
 *
 * When a class was closed for some of a booking period, the bookings seen in that period are a lower
 * bound of the demand: the observation is censored (right-censored at the value seen). Both methods
 * assume the demand of one forecast cell (same key, same period, across past departures) is normal,
 * and replace each censored value by a value at least as large:
 *
 * - **EM** (expectation–maximisation; Dempster, Laird & Rubin 1977; as used by PODS system E): the
 *   E-step replaces each censored x by E[X | X ≥ x] = μ + σ·λ(z), z = (x − μ)/σ, λ = φ/(1 − Φ), and
 *   E[X² | X ≥ x] = μ² + σ² + σ·(x + μ)·λ(z); the M-step re-estimates μ and σ (maximum likelihood)
 *   from those moments; repeated until μ and σ move less than `tolerance`.
 * - **Projection detruncation** (Hopperstad; Weatherford & Polt 2002): each censored x is projected to
 *   the value v with P(X > v) = τ·P(X > x) under the current μ, σ (τ = 0.5: the conditional median),
 *   then μ and σ are re-estimated from the projected sample; repeated until μ moves less than `tolerance`.
 *
 * With fewer than two uncensored observations the distribution is not identified: values are left as
 * observed and `identified` is false (the caller should flag the forecast).
 * Observations that are NaN (not observed) are skipped and left NaN.
 *
 * Allocation-free on caller-owned arrays: the market simulator runs these for every leg and class.
 */
import { millsInverse, normQuantile, normSf } from '../optimisation/normal';

export type UnconstrainMethod = 'em' | 'projection' | 'none';

export interface DetruncationOptions {
  /** stop when μ and σ change by less than this (absolute, in demand units); default 1e-4 */
  tolerance?: number;
  /** iteration cap; default 200 */
  maxIterations?: number;
  /** projection detruncation's τ in (0, 1]; default 0.5 */
  tau?: number;
  /** the smallest σ used while detruncating, so identical observations can still be projected; default 0.5 demand units */
  minSd?: number;
}

export interface DetruncationResult {
  /** estimated mean of the uncensored demand */
  mean: number;
  /** estimated standard deviation */
  sd: number;
  iterations: number;
  converged: boolean;
  /** false when fewer than two uncensored observations made the distribution unknowable */
  identified: boolean;
  /** observations that were censored */
  censored: number;
}

export function emptyDetruncation(): DetruncationResult {
  return { mean: 0, sd: 0, iterations: 0, converged: true, identified: true, censored: 0 };
}

/** A strided view: element i is at `offset + i * stride` (a column of a row-major matrix, or a plain array). */
interface View { offset: number; stride: number; n: number }

const DEFAULTS = { tolerance: 1e-4, maxIterations: 200, tau: 0.5, minSd: 0.5 };

function isCensored(flags: ArrayLike<number | boolean>, i: number): boolean {
  return Boolean(flags[i]);
}

/** Sample moments of the observed (non-NaN) values, and counts. */
function initialMoments(values: ArrayLike<number>, flags: ArrayLike<number | boolean>, v: View, res: DetruncationResult): number {
  let n = 0;
  let s = 0;
  let ss = 0;
  let cens = 0;
  for (let i = 0; i < v.n; i++) {
    const k = v.offset + i * v.stride;
    const x = values[k]!;
    if (Number.isNaN(x)) continue;
    n++;
    s += x;
    ss += x * x;
    if (isCensored(flags, k)) cens++;
  }
  const mean = n > 0 ? s / n : 0;
  res.mean = mean;
  res.sd = n > 0 ? Math.sqrt(Math.max(0, ss / n - mean * mean)) : 0;
  res.censored = cens;
  res.iterations = 0;
  res.converged = true;
  res.identified = n - cens >= 2;
  return n;
}

function copyObserved(values: ArrayLike<number>, v: View, out: { [i: number]: number }): void {
  for (let i = 0; i < v.n; i++) { const k = v.offset + i * v.stride; out[k] = values[k]!; }
}

function emCore(values: ArrayLike<number>, flags: ArrayLike<number | boolean>, v: View, out: { [i: number]: number }, o: Required<DetruncationOptions>, res: DetruncationResult): DetruncationResult {
  const n = initialMoments(values, flags, v, res);
  copyObserved(values, v, out);
  if (res.censored === 0 || !res.identified) return res;
  let mu = res.mean;
  let sigma = Math.max(res.sd, o.minSd);
  res.converged = false;
  for (let it = 1; it <= o.maxIterations; it++) {
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < v.n; i++) {
      const k = v.offset + i * v.stride;
      const x = values[k]!;
      if (Number.isNaN(x)) continue;
      if (isCensored(flags, k)) {
        const lambda = millsInverse((x - mu) / sigma);
        s1 += mu + sigma * lambda;
        s2 += mu * mu + sigma * sigma + sigma * (x + mu) * lambda;
      } else {
        s1 += x;
        s2 += x * x;
      }
    }
    const mu2 = s1 / n;
    const sigma2 = Math.max(Math.sqrt(Math.max(0, s2 / n - mu2 * mu2)), o.minSd);
    const moved = Math.max(Math.abs(mu2 - mu), Math.abs(sigma2 - sigma));
    mu = mu2;
    sigma = sigma2;
    res.iterations = it;
    if (moved < o.tolerance) { res.converged = true; break; }
  }
  for (let i = 0; i < v.n; i++) {
    const k = v.offset + i * v.stride;
    const x = values[k]!;
    if (Number.isNaN(x) || !isCensored(flags, k)) continue;
    out[k] = Math.max(x, mu + sigma * millsInverse((x - mu) / sigma));
  }
  res.mean = mu;
  res.sd = sigma;
  return res;
}

function projectionCore(values: ArrayLike<number>, flags: ArrayLike<number | boolean>, v: View, out: { [i: number]: number }, o: Required<DetruncationOptions>, res: DetruncationResult): DetruncationResult {
  const n = initialMoments(values, flags, v, res);
  copyObserved(values, v, out);
  if (res.censored === 0 || !res.identified) return res;
  let mu = res.mean;
  let sigma = Math.max(res.sd, o.minSd);
  res.converged = false;
  for (let it = 1; it <= o.maxIterations; it++) {
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < v.n; i++) {
      const k = v.offset + i * v.stride;
      const x = values[k]!;
      if (Number.isNaN(x)) continue;
      let y = x;
      if (isCensored(flags, k)) {
        // P(X > y) = τ·P(X > x)  ⇔  y = μ − σ·Φ⁻¹(τ·P(X > x))
        const tail = o.tau * normSf((x - mu) / sigma);
        y = tail > 0 ? Math.max(x, mu - sigma * normQuantile(tail)) : x;
        out[k] = y;
      }
      s1 += y;
      s2 += y * y;
    }
    const mu2 = s1 / n;
    const sigma2 = Math.max(Math.sqrt(Math.max(0, s2 / n - mu2 * mu2)), o.minSd);
    const moved = Math.max(Math.abs(mu2 - mu), Math.abs(sigma2 - sigma));
    mu = mu2;
    sigma = sigma2;
    res.iterations = it;
    if (moved < o.tolerance) { res.converged = true; break; }
  }
  res.mean = mu;
  res.sd = sigma;
  return res;
}

function options(opts: DetruncationOptions | undefined): Required<DetruncationOptions> {
  const o = { ...DEFAULTS, ...opts };
  if (!(o.tau > 0 && o.tau <= 1)) throw new RangeError(`projection detruncation: tau must lie in (0, 1], got ${o.tau}`);
  if (!(o.tolerance > 0)) throw new RangeError(`detruncation: tolerance must be > 0, got ${o.tolerance}`);
  if (!(o.minSd > 0)) throw new RangeError(`detruncation: minSd must be > 0, got ${o.minSd}`);
  return o;
}

function run(method: UnconstrainMethod, values: ArrayLike<number>, flags: ArrayLike<number | boolean>, v: View, out: { [i: number]: number }, o: Required<DetruncationOptions>, res: DetruncationResult): DetruncationResult {
  if (method === 'em') return emCore(values, flags, v, out, o, res);
  if (method === 'projection') return projectionCore(values, flags, v, out, o, res);
  initialMoments(values, flags, v, res);
  copyObserved(values, v, out);
  return res;
}

/**
 * Detruncates `n` observations (`values[i]`, censored when `censored[i]` is truthy) into `out[i]` with
 * the chosen method; returns the fitted normal. `out` may be `values` itself.
 */
export function detruncateInto(method: UnconstrainMethod, values: ArrayLike<number>, censored: ArrayLike<number | boolean>, n: number, out: { [i: number]: number }, opts?: DetruncationOptions, result: DetruncationResult = emptyDetruncation()): DetruncationResult {
  if (values.length < n || censored.length < n) throw new RangeError(`detruncate: ${n} observations requested but values has ${values.length} and censored ${censored.length}`);
  return run(method, values, censored, { offset: 0, stride: 1, n }, out, options(opts), result);
}

/** EM detruncation returning fresh arrays (see detruncateInto). */
export function emDetruncate(values: readonly number[], censored: readonly boolean[], opts?: DetruncationOptions): DetruncationResult & { values: number[] } {
  const out = new Array<number>(values.length);
  const res = detruncateInto('em', values, censored, values.length, out, opts);
  return { ...res, values: out };
}

/** Projection detruncation returning fresh arrays (see detruncateInto). */
export function projectionDetruncate(values: readonly number[], censored: readonly boolean[], opts?: DetruncationOptions): DetruncationResult & { values: number[] } {
  const out = new Array<number>(values.length);
  const res = detruncateInto('projection', values, censored, values.length, out, opts);
  return { ...res, values: out };
}

/**
 * Detruncates every period column of a row-major departures × periods pickup matrix (see pickup.ts)
 * into `out` (may be `values`): each period is one normal cell across departures. Returns how many
 * columns had censored observations but too few uncensored ones to detruncate (flag the forecast).
 */
export function detruncateColumnsInto(method: UnconstrainMethod, values: ArrayLike<number>, censored: ArrayLike<number | boolean>, departures: number, periods: number, out: { [i: number]: number }, opts?: DetruncationOptions, result: DetruncationResult = emptyDetruncation()): number {
  if (values.length < departures * periods || censored.length < departures * periods) {
    throw new RangeError(`detruncateColumns: matrix ${departures} × ${periods} needs ${departures * periods} cells; values has ${values.length}, censored ${censored.length}`);
  }
  const o = options(opts);
  let unidentified = 0;
  for (let p = 0; p < periods; p++) {
    run(method, values, censored, { offset: p, stride: periods, n: departures }, out, o, result);
    if (!result.identified && result.censored > 0) unidentified++;
  }
  return unidentified;
}
