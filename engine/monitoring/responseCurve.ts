/**
 * The demand response curve: bookings against the price index as a linear spline, fitted by the same
 * two-way fixed-effects Poisson model as the elasticity. Where a competitor sells at about our price the
 * response is far from constant-elasticity (a few percent either side moves most of the market), so the
 * override impact reads the curve between the two prices it compares whenever the data cover them.
 * f is 0 at the price index 0 (the price before our first change); knots span the observed indices.
 */
import { fitTwoWayFe, type FeCell } from './poissonFe';

export interface ResponseCurve {
  /** knots in ln price index, increasing; one of them is 0 */
  knots: number[];
  /** f at each knot (0 at the reference knot) */
  values: number[];
  /** covariance of the free values (all knots but the reference), in knot order */
  cov: number[][];
  observations: number;
}

/** Linear-interpolation weights of x on the knots (x clamped to the knots' range). */
export function hat(knots: readonly number[], x: number): number[] {
  const w = new Array<number>(knots.length).fill(0);
  if (x <= knots[0]!) { w[0] = 1; return w; }
  if (x >= knots[knots.length - 1]!) { w[knots.length - 1] = 1; return w; }
  let k = 0;
  while (x > knots[k + 1]!) k++;
  const t = (x - knots[k]!) / (knots[k + 1]! - knots[k]!);
  w[k] = 1 - t;
  w[k + 1] = t;
  return w;
}

/** Knots over the middle 96 % of the observed indices, `count` of them, with 0 among them. */
export function knotsFor(xs: readonly number[], count = 8): number[] {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return [0];
  const lo = Math.min(0, s[Math.floor(s.length * 0.02)]!);
  const hi = Math.max(0, s[Math.min(s.length - 1, Math.floor(s.length * 0.98))]!);
  const out = new Set<number>([0]);
  for (let i = 0; i < count; i++) out.add(lo + ((hi - lo) * i) / (count - 1));
  // knots closer than 0.01 (1 % in price) to 0 or to the previous kept knot are dropped; 0 stays
  const kept: number[] = [];
  for (const k of [...out].sort((a, b) => a - b)) {
    if (k !== 0 && (Math.abs(k) < 0.01 || (kept.length && k - kept[kept.length - 1]! < 0.01))) continue;
    if (k === 0 && kept.length && k - kept[kept.length - 1]! < 0.01) kept.pop();
    kept.push(k);
  }
  return kept;
}

export function fitResponseCurve(cells: readonly FeCell[], opts: { knots?: number[]; minObservations?: number } = {}): ResponseCurve | null {
  const knots = opts.knots ?? knotsFor(cells.map((c) => c.x));
  const ref = knots.indexOf(0);
  if (knots.length < 2 || ref < 0) return null;
  const free = knots.map((_, i) => i).filter((i) => i !== ref);
  const fit = fitTwoWayFe(cells, (x) => { const w = hat(knots, x); return free.map((i) => w[i]!); }, { minObservations: opts.minObservations });
  if (!fit) return null;
  const values = knots.map((_, i) => (i === ref ? 0 : fit.beta[free.indexOf(i)]!));
  return { knots, values, cov: fit.cov, observations: fit.observations };
}

/** f(x): the log demand at price index x relative to index 0. */
export function curveAt(c: ResponseCurve, x: number): number {
  const w = hat(c.knots, x);
  return w.reduce((s, v, i) => s + v * c.values[i]!, 0);
}

/** Demand at index x1 relative to x0 (a ratio), with the standard error of its logarithm; null outside the knots. */
export function responseRatio(c: ResponseCurve, x1: number, x0: number): { ratio: number; logSe: number } | null {
  const lo = c.knots[0]!;
  const hi = c.knots[c.knots.length - 1]!;
  if (x1 < lo - 1e-9 || x1 > hi + 1e-9 || x0 < lo - 1e-9 || x0 > hi + 1e-9) return null;
  const ref = c.knots.indexOf(0);
  const w1 = hat(c.knots, x1);
  const w0 = hat(c.knots, x0);
  const g = c.knots.map((_, i) => w1[i]! - w0[i]!).filter((_, i) => i !== ref);
  let v = 0;
  for (let j = 0; j < g.length; j++) for (let k = 0; k < g.length; k++) v += g[j]! * c.cov[j]![k]! * g[k]!;
  return { ratio: Math.exp(curveAt(c, x1) - curveAt(c, x0)), logSe: Math.sqrt(Math.max(0, v)) };
}
