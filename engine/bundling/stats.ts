/** Small, exact statistics used by the estimators: logistic link, binomial intervals, logistic regression. */

export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** ln(1 + e^x) without overflow. */
export function softplus(x: number): number {
  return x > 30 ? x + Math.exp(-x) : Math.log1p(Math.exp(x));
}

export function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/** Wilson score interval for k successes in n trials (z = 1.96 for 95 %). */
export function wilsonInterval(k: number, n: number, z = 1.959964): [number, number] {
  if (n <= 0) return [0, 1];
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export interface BinomialCell {
  /** covariate (e.g. the price offered, in minor units) */
  x: number;
  trials: number;
  successes: number;
}

export interface LogisticFit {
  /** P(success | x) = sigmoid(a + b x) */
  a: number;
  b: number;
  /** covariance matrix of (a, b): [var a, cov ab, var b] */
  covAA: number;
  covAB: number;
  covBB: number;
  iterations: number;
  converged: boolean;
}

/**
 * Maximum-likelihood binomial logistic regression on one covariate by Newton–Raphson (IRLS), on a
 * standardised covariate for conditioning, mapped back. Returns undefined when the covariate does not
 * vary or the likelihood has no finite maximum (complete separation).
 */
export function fitLogistic(cells: readonly BinomialCell[], maxIter = 50): LogisticFit | undefined {
  let n = 0;
  let sx = 0;
  for (const c of cells) { n += c.trials; sx += c.trials * c.x; }
  if (n === 0) return undefined;
  const mean = sx / n;
  let ss = 0;
  for (const c of cells) ss += c.trials * (c.x - mean) ** 2;
  const sd = Math.sqrt(ss / n);
  if (!(sd > 0)) return undefined;
  let a = 0;
  let b = 0;
  let converged = false;
  let it = 0;
  let iaa = 0; let iab = 0; let ibb = 0;
  for (; it < maxIter; it++) {
    let ga = 0; let gb = 0;
    iaa = 0; iab = 0; ibb = 0;
    for (const c of cells) {
      if (c.trials === 0) continue;
      const z = (c.x - mean) / sd;
      const p = sigmoid(a + b * z);
      const r = c.successes - c.trials * p;
      const w = c.trials * p * (1 - p);
      ga += r; gb += r * z;
      iaa += w; iab += w * z; ibb += w * z * z;
    }
    const det = iaa * ibb - iab * iab;
    if (!(det > 1e-12)) return undefined;
    const da = (ibb * ga - iab * gb) / det;
    const db = (iaa * gb - iab * ga) / det;
    a += da; b += db;
    if (!Number.isFinite(a) || !Number.isFinite(b) || Math.abs(b) > 50) return undefined; // separation
    if (Math.abs(da) < 1e-10 && Math.abs(db) < 1e-10) { converged = true; it++; break; }
  }
  if (!converged) return undefined;
  // recompute the information at the optimum for the covariance
  iaa = 0; iab = 0; ibb = 0;
  for (const c of cells) {
    const z = (c.x - mean) / sd;
    const p = sigmoid(a + b * z);
    const w = c.trials * p * (1 - p);
    iaa += w; iab += w * z; ibb += w * z * z;
  }
  const det = iaa * ibb - iab * iab;
  const vA = ibb / det; const vAB = -iab / det; const vB = iaa / det;
  // back-transform: a' = a - b*mean/sd, b' = b/sd
  const k = mean / sd;
  return {
    a: a - b * k,
    b: b / sd,
    covAA: vA - 2 * k * vAB + k * k * vB,
    covAB: (vAB - k * vB) / sd,
    covBB: vB / (sd * sd),
    iterations: it,
    converged,
  };
}
