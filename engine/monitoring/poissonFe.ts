/**
 * Demand response to price by Poisson regression with two sets of fixed effects:
 *   E[bookings_c] = exp(α_unit(c) + γ_bucket(c) + β · z_c)
 * over daily cells (one departure × cabin × day, equal exposure). The unit effect absorbs each
 * departure's demand level, the bucket effect (days-before-departure period) the booking curve's shape,
 * so β is identified only by price changes within a departure — the observed response to our own
 * price moves. With z = ln price, β is the elasticity ε; with z a linear-spline basis of ln price, β
 * traces the response curve (demand is far from constant-elasticity next to a competitor's price).
 * Both effect sets are profiled out by their exact conditional maxima, β by Newton steps on the profile
 * likelihood. The covariance is the inverse profile information Σ μ·z̃z̃ᵀ, where z̃ is z residualised on
 * both effect sets with weights μ (Frisch–Waugh–Lovell), scaled by the Pearson over-dispersion.
 */
export interface FeCell {
  unit: number;
  bucket: number;
  /** ln of the price (or price index) in force */
  x: number;
  bookings: number;
}

export interface FeEstimate {
  elasticity: number;
  se: number;
  observations: number;
  units: number;
  buckets: number;
  dispersion: number;
}

export interface FeFit {
  beta: number[];
  /** covariance of beta (K × K, row-major) */
  cov: number[][];
  observations: number;
  units: number;
  buckets: number;
  dispersion: number;
}

function compact(ids: Int32Array): { ids: Int32Array; n: number } {
  const map = new Map<number, number>();
  const out = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    let k = map.get(ids[i]!);
    if (k === undefined) { k = map.size; map.set(ids[i]!, k); }
    out[i] = k;
  }
  return { ids: out, n: map.size };
}

/** Solves A·x = b (A symmetric positive definite, small) by Gaussian elimination with partial pivoting; null if singular. */
function solve(A: number[][], b: number[]): number[] | null {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    if (Math.abs(M[p]![c]!) < 1e-12) return null;
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  return M.map((row, i) => row[n]! / row[i]!);
}

function inverse(A: number[][]): number[][] | null {
  const n = A.length;
  const cols: number[][] = [];
  for (let j = 0; j < n; j++) {
    const e = Array.from({ length: n }, (_, i) => (i === j ? 1 : 0));
    const x = solve(A, e);
    if (!x) return null;
    cols.push(x);
  }
  return A.map((_, i) => cols.map((c) => c[i]!));
}

/**
 * Fits β for covariates `basis(x)` (K values per cell). Null when fewer than `minObservations` informative
 * cells, or when the covariates do not vary within any unit (nothing identifies β).
 */
export function fitTwoWayFe(cells: readonly FeCell[], basis: (x: number) => number[], opts: { minObservations?: number; start?: number[] } = {}): FeFit | null {
  const unitBookings = new Map<number, number>();
  const bucketBookings = new Map<number, number>();
  for (const c of cells) {
    unitBookings.set(c.unit, (unitBookings.get(c.unit) ?? 0) + c.bookings);
    bucketBookings.set(c.bucket, (bucketBookings.get(c.bucket) ?? 0) + c.bookings);
  }
  // units and buckets without bookings have effects at −∞ and carry no information
  const kept = cells.filter((c) => unitBookings.get(c.unit)! > 0 && bucketBookings.get(c.bucket)! > 0);
  const n = kept.length;
  if (n < (opts.minObservations ?? 30)) return null;
  const u = compact(Int32Array.from(kept, (c) => c.unit));
  const b = compact(Int32Array.from(kept, (c) => c.bucket));
  const z = kept.map((c) => basis(c.x));
  const K = z[0]!.length;
  const y = Float64Array.from(kept, (c) => c.bookings);
  const alpha = new Float64Array(u.n);
  const gamma = new Float64Array(b.n);
  const sy = (ids: Int32Array, k: number) => { const s = new Float64Array(k); for (let i = 0; i < n; i++) s[ids[i]!] += y[i]!; return s; };
  const syU = sy(u.ids, u.n);
  const syB = sy(b.ids, b.n);
  const mu = new Float64Array(n);
  const eta = new Float64Array(n);
  const beta = opts.start && opts.start.length === K ? [...opts.start] : new Array<number>(K).fill(0);
  const linear = () => { for (let i = 0; i < n; i++) { let s = 0; for (let k = 0; k < K; k++) s += beta[k]! * z[i]![k]!; eta[i] = s; } };
  const profile = () => {
    linear();
    for (let pass = 0; pass < 50; pass++) {
      const su = new Float64Array(u.n);
      for (let i = 0; i < n; i++) su[u.ids[i]!] += Math.exp(gamma[b.ids[i]!]! + eta[i]!);
      for (let k = 0; k < u.n; k++) alpha[k] = Math.log(syU[k]! / su[k]!);
      const sb = new Float64Array(b.n);
      for (let i = 0; i < n; i++) sb[b.ids[i]!] += Math.exp(alpha[u.ids[i]!]! + eta[i]!);
      let change = 0;
      for (let k = 0; k < b.n; k++) { const g = Math.log(syB[k]! / sb[k]!); change = Math.max(change, Math.abs(g - gamma[k]!)); gamma[k] = g; }
      if (change < 1e-10) break;
    }
    for (let i = 0; i < n; i++) mu[i] = Math.exp(alpha[u.ids[i]!]! + gamma[b.ids[i]!]! + eta[i]!);
  };
  /** each covariate residualised on both effect sets, weights μ (alternating weighted demeaning) */
  const residuals = (): Float64Array[] => Array.from({ length: K }, (_, k) => {
    const r = Float64Array.from(z, (row) => row[k]!);
    for (let pass = 0; pass < 100; pass++) {
      let change = 0;
      for (const g of [u, b]) {
        const sw = new Float64Array(g.n);
        const swr = new Float64Array(g.n);
        for (let i = 0; i < n; i++) { sw[g.ids[i]!] += mu[i]!; swr[g.ids[i]!] += mu[i]! * r[i]!; }
        for (let i = 0; i < n; i++) { const m = swr[g.ids[i]!]! / sw[g.ids[i]!]!; r[i] -= m; change = Math.max(change, Math.abs(m)); }
      }
      if (change < 1e-9) break;
    }
    return r;
  });
  const information = (): number[][] => {
    const r = residuals();
    return Array.from({ length: K }, (_, j) => Array.from({ length: K }, (_, k) => { let s = 0; for (let i = 0; i < n; i++) s += mu[i]! * r[j]![i]! * r[k]![i]!; return s; }));
  };
  // identified only if some covariate varies within a unit
  profile();
  const info0 = information();
  if (!info0.some((row, k) => row[k]! > 1e-9)) return null;
  for (let it = 0; it < 100; it++) {
    const score = Array.from({ length: K }, (_, k) => { let s = 0; for (let i = 0; i < n; i++) s += z[i]![k]! * (y[i]! - mu[i]!); return s; });
    const info = it === 0 ? info0 : information();
    const step = solve(info, score);
    if (!step) return null;
    const size = Math.max(...step.map(Math.abs));
    const damp = size > 2 ? 2 / size : 1;
    for (let k = 0; k < K; k++) beta[k] += damp * step[k]!;
    profile();
    if (size < 1e-9) break;
  }
  let chi2 = 0;
  for (let i = 0; i < n; i++) if (mu[i]! > 0) chi2 += (y[i]! - mu[i]!) ** 2 / mu[i]!;
  const dof = n - u.n - b.n - K + 1;
  const dispersion = dof > 0 ? Math.max(1, chi2 / dof) : 1;
  const inv = inverse(information());
  if (!inv) return null;
  return { beta, cov: inv.map((row) => row.map((v) => v * dispersion)), observations: n, units: u.n, buckets: b.n, dispersion };
}

/** The constant elasticity: z = ln price. */
export function estimateTwoWayFe(cells: readonly FeCell[], opts: { minObservations?: number; start?: number } = {}): FeEstimate | null {
  const f = fitTwoWayFe(cells, (x) => [x], { minObservations: opts.minObservations, start: opts.start === undefined ? undefined : [opts.start] });
  if (!f) return null;
  return { elasticity: f.beta[0]!, se: Math.sqrt(f.cov[0]![0]!), observations: f.observations, units: f.units, buckets: f.buckets, dispersion: f.dispersion };
}

/** Normal prior × normal likelihood: the precision-weighted mean and its standard error. */
export function combineWithPrior(estimate: { value: number; se: number } | null, prior: { value: number; se: number }): { value: number; se: number } {
  if (!estimate || !(estimate.se > 0)) return prior;
  const wp = 1 / prior.se ** 2;
  const we = 1 / estimate.se ** 2;
  return { value: (prior.value * wp + estimate.value * we) / (wp + we), se: Math.sqrt(1 / (wp + we)) };
}
