/**
 * Price elasticity by Poisson regression with two sets of fixed effects:
 *   E[bookings_c] = exp(α_unit(c) + γ_bucket(c) + ε · ln price_c)
 * over daily cells (one departure × cabin × day, equal exposure). The unit effect absorbs each
 * departure's demand level, the bucket effect (days-before-departure period) the booking curve's shape,
 * so ε is identified only by price changes within a departure — the observed response to our own
 * price moves. Both effect sets are profiled out by their exact conditional maxima, ε by Newton steps
 * on the profile likelihood. The standard error uses the profile information Σ μ·x̃², where x̃ is
 * ln price residualised on both effect sets with weights μ (Frisch–Waugh–Lovell), scaled by the
 * Pearson over-dispersion.
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

/** Null when no unit saw its price change while it sold, or too few cells. */
export function estimateTwoWayFe(cells: readonly FeCell[], opts: { minObservations?: number; start?: number } = {}): FeEstimate | null {
  // drop units and buckets without bookings (their effects go to −∞ and carry no information)
  const unitBookings = new Map<number, number>();
  const bucketBookings = new Map<number, number>();
  for (const c of cells) {
    unitBookings.set(c.unit, (unitBookings.get(c.unit) ?? 0) + c.bookings);
    bucketBookings.set(c.bucket, (bucketBookings.get(c.bucket) ?? 0) + c.bookings);
  }
  const kept = cells.filter((c) => unitBookings.get(c.unit)! > 0 && bucketBookings.get(c.bucket)! > 0);
  const n = kept.length;
  if (n < (opts.minObservations ?? 30)) return null;
  const u = compact(Int32Array.from(kept, (c) => c.unit));
  const b = compact(Int32Array.from(kept, (c) => c.bucket));
  const x = Float64Array.from(kept, (c) => c.x);
  const y = Float64Array.from(kept, (c) => c.bookings);
  // identified only if some unit's price varies
  const lo = new Float64Array(u.n).fill(Infinity);
  const hi = new Float64Array(u.n).fill(-Infinity);
  for (let i = 0; i < n; i++) { lo[u.ids[i]!] = Math.min(lo[u.ids[i]!]!, x[i]!); hi[u.ids[i]!] = Math.max(hi[u.ids[i]!]!, x[i]!); }
  if (!lo.some((v, k) => hi[k]! - v > 1e-9)) return null;

  const alpha = new Float64Array(u.n);
  const gamma = new Float64Array(b.n);
  const sy = (ids: Int32Array, k: number) => { const s = new Float64Array(k); for (let i = 0; i < n; i++) s[ids[i]!] += y[i]!; return s; };
  const syU = sy(u.ids, u.n);
  const syB = sy(b.ids, b.n);
  const mu = new Float64Array(n);
  let e = opts.start ?? -1;
  const profile = () => {
    for (let pass = 0; pass < 50; pass++) {
      const su = new Float64Array(u.n);
      for (let i = 0; i < n; i++) su[u.ids[i]!] += Math.exp(gamma[b.ids[i]!]! + e * x[i]!);
      for (let k = 0; k < u.n; k++) alpha[k] = Math.log(syU[k]! / su[k]!);
      const sb = new Float64Array(b.n);
      for (let i = 0; i < n; i++) sb[b.ids[i]!] += Math.exp(alpha[u.ids[i]!]! + e * x[i]!);
      let change = 0;
      for (let k = 0; k < b.n; k++) { const g = Math.log(syB[k]! / sb[k]!); change = Math.max(change, Math.abs(g - gamma[k]!)); gamma[k] = g; }
      if (change < 1e-10) break;
    }
    for (let i = 0; i < n; i++) mu[i] = Math.exp(alpha[u.ids[i]!]! + gamma[b.ids[i]!]! + e * x[i]!);
  };
  /** x residualised on both effect sets, weights μ (alternating weighted demeaning) */
  const residual = (): Float64Array => {
    const r = Float64Array.from(x);
    for (let pass = 0; pass < 200; pass++) {
      let change = 0;
      for (const g of [u, b]) {
        const sw = new Float64Array(g.n);
        const swr = new Float64Array(g.n);
        for (let i = 0; i < n; i++) { sw[g.ids[i]!] += mu[i]!; swr[g.ids[i]!] += mu[i]! * r[i]!; }
        for (let i = 0; i < n; i++) { const m = swr[g.ids[i]!]! / sw[g.ids[i]!]!; r[i] -= m; change = Math.max(change, Math.abs(m)); }
      }
      if (change < 1e-12) break;
    }
    return r;
  };
  let info = 0;
  for (let it = 0; it < 100; it++) {
    profile();
    let score = 0;
    for (let i = 0; i < n; i++) score += x[i]! * (y[i]! - mu[i]!);
    const r = residual();
    info = 0;
    for (let i = 0; i < n; i++) info += mu[i]! * r[i]! * r[i]!;
    if (!(info > 0)) return null;
    const step = Math.max(-2, Math.min(2, score / info));
    e += step;
    if (Math.abs(step) < 1e-9) break;
  }
  profile();
  let chi2 = 0;
  for (let i = 0; i < n; i++) if (mu[i]! > 0) chi2 += (y[i]! - mu[i]!) ** 2 / mu[i]!;
  const dof = n - u.n - b.n;
  const dispersion = dof > 0 ? Math.max(1, chi2 / dof) : 1;
  const r = residual();
  info = 0;
  for (let i = 0; i < n; i++) info += mu[i]! * r[i]! * r[i]!;
  return { elasticity: e, se: Math.sqrt(dispersion / info), observations: n, units: u.n, buckets: b.n, dispersion };
}

/** Normal prior × normal likelihood: the precision-weighted mean and its standard error. */
export function combineWithPrior(estimate: { value: number; se: number } | null, prior: { value: number; se: number }): { value: number; se: number } {
  if (!estimate || !(estimate.se > 0)) return prior;
  const wp = 1 / prior.se ** 2;
  const we = 1 / estimate.se ** 2;
  return { value: (prior.value * wp + estimate.value * we) / (wp + we), se: Math.sqrt(1 / (wp + we)) };
}
