/**
 * Backtests of the forecasting methods on held-out flown departures, and the choice of the best
 * method per market.
 *
 * For each held-out departure and each forecast point (the DCP at which the forecast would have been
 * made), the history is cut to what was known that day: a period of another departure counts only if
 * it had ended by then (so departures still in their horizon contribute their completed periods, and
 * nothing from the future leaks in). The forecast of the demand to come is compared with the bookings
 * the departure then received; cells where the class closed during the remaining periods are skipped
 * (their bookings are censored, not demand). Errors are summed per method and DCP, so keys of one
 * market aggregate into one accuracy:
 *   WAPE = Σ|F − A| / ΣA,  MAPE = mean |F − A|/A over A > 0,  bias = Σ(F − A) / ΣA.
 * The naive "same as last year" forecast (the bookings the departure 364 days earlier received over
 * the same periods) is scored on the cells where that departure exists.
 */
import { forecastKey, prepareKey, FORECAST_METHODS, type ForecastMethod, type ForecastSettings, type KeyForecast, emptyKeyForecast } from './forecast';
import { rowComplete, type KeyHistory } from './history';

export type ScoredMethod = ForecastMethod | 'same-as-last-year';

export interface Accuracy {
  method: ScoredMethod;
  /** forecast point: index of the DCP at which the forecast was made (null: all DCPs) */
  dcpIndex: number | null;
  /** that DCP in days before departure (null: all) */
  dcp: number | null;
  cells: number;
  actual: number;
  forecast: number;
  wape: number;
  mape: number;
  bias: number;
}

interface Sums { cells: number; absErr: number; actual: number; forecast: number; ape: number; apeN: number }

const emptySums = (): Sums => ({ cells: 0, absErr: 0, actual: 0, forecast: 0, ape: 0, apeN: 0 });

/** Sums of forecast errors by method and forecast point; add keys of one market, then summarise. */
export class AccuracyAccumulator {
  private readonly sums = new Map<string, Sums>();
  /** paired cells (where the naive forecast exists) for each method: method → sums, and the naive's */
  private readonly paired = new Map<ForecastMethod, { method: Sums; naive: Sums }>();

  constructor(readonly dcps: readonly number[]) {}

  add(method: ScoredMethod, dcpIndex: number, forecast: number, actual: number): void {
    for (const key of [`${method}|${dcpIndex}`, `${method}|*`]) {
      let s = this.sums.get(key);
      if (!s) { s = emptySums(); this.sums.set(key, s); }
      addTo(s, forecast, actual);
    }
  }

  addPaired(method: ForecastMethod, forecast: number, naive: number, actual: number): void {
    let p = this.paired.get(method);
    if (!p) { p = { method: emptySums(), naive: emptySums() }; this.paired.set(method, p); }
    addTo(p.method, forecast, actual);
    addTo(p.naive, naive, actual);
  }

  /** Accuracy of every method, overall (dcpIndex null) and by DCP. */
  summary(): Accuracy[] {
    const out: Accuracy[] = [];
    for (const [key, s] of this.sums) {
      const [method, idx] = key.split('|') as [ScoredMethod, string];
      const dcpIndex = idx === '*' ? null : Number(idx);
      out.push(toAccuracy(method, dcpIndex, dcpIndex === null ? null : this.dcps[dcpIndex] ?? null, s));
    }
    return out.sort((a, b) => a.method.localeCompare(b.method) || (a.dcpIndex ?? -1) - (b.dcpIndex ?? -1));
  }

  overall(method: ScoredMethod): Accuracy | undefined {
    const s = this.sums.get(`${method}|*`);
    return s ? toAccuracy(method, null, null, s) : undefined;
  }

  /** The method with the lowest overall WAPE among those scored (ties: the first in FORECAST_METHODS). */
  best(methods: readonly ForecastMethod[] = FORECAST_METHODS): ForecastMethod | undefined {
    let best: ForecastMethod | undefined;
    let bestWape = Infinity;
    for (const m of methods) {
      const a = this.overall(m);
      if (a && a.cells > 0 && a.wape < bestWape - 1e-12) { best = m; bestWape = a.wape; }
    }
    return best;
  }

  /** WAPE of a method and of the naive forecast on the cells where both exist. */
  versusNaive(method: ForecastMethod): { cells: number; methodWape: number; naiveWape: number } | undefined {
    const p = this.paired.get(method);
    if (!p || p.method.cells === 0) return undefined;
    return { cells: p.method.cells, methodWape: wape(p.method), naiveWape: wape(p.naive) };
  }
}

function addTo(s: Sums, f: number, a: number): void {
  s.cells++;
  s.absErr += Math.abs(f - a);
  s.actual += a;
  s.forecast += f;
  if (a > 0) { s.ape += Math.abs(f - a) / a; s.apeN++; }
}

const wape = (s: Sums) => (s.actual > 0 ? s.absErr / s.actual : s.absErr > 0 ? Infinity : 0);

function toAccuracy(method: ScoredMethod, dcpIndex: number | null, dcp: number | null, s: Sums): Accuracy {
  return {
    method, dcpIndex, dcp, cells: s.cells, actual: s.actual, forecast: s.forecast,
    wape: wape(s),
    mape: s.apeN > 0 ? s.ape / s.apeN : 0,
    bias: s.actual > 0 ? (s.forecast - s.actual) / s.actual : 0,
  };
}

export interface BacktestOptions {
  /** DCPs of the history (normalised, ending at 0), one per period */
  dcps: readonly number[];
  /** how many of the latest flown departures to hold out (default 8) */
  holdout?: number;
  methods?: readonly ForecastMethod[];
  settings?: ForecastSettings;
  /** forecast points to score, as first-period-to-come indices (default every period 1..P−1) */
  points?: readonly number[];
  /** score the naive same-as-last-year forecast too (default true) */
  naive?: boolean;
}

/** Backtests one key's history into `acc` (create one per market with the same DCPs). */
export function backtestKey(h: KeyHistory, opts: BacktestOptions, acc: AccuracyAccumulator = new AccuracyAccumulator(opts.dcps)): AccuracyAccumulator {
  const P = h.periods;
  const D = h.departures;
  if (opts.dcps.length !== P) throw new RangeError(`backtest: ${opts.dcps.length} DCPs for ${P} periods; pass the normalised DCP list (dcp.ts)`);
  const methods = opts.methods ?? FORECAST_METHODS;
  const points = opts.points ?? Array.from({ length: Math.max(0, P - 1) }, (_, i) => i + 1);
  const flown: number[] = [];
  for (let d = 0; d < D; d++) if (rowComplete(h, d)) flown.push(d);
  flown.sort((a, b) => h.days[a]! - h.days[b]!);
  const held = flown.slice(Math.max(0, flown.length - (opts.holdout ?? 8)));
  const byDay = new Map<number, number>();
  for (const d of flown) byDay.set(h.days[d]!, d);
  const masked = new Float64Array(D * P);
  const out: KeyForecast = emptyKeyForecast();
  for (const d of held) {
    const lastYear = byDay.get(h.days[d]! - 364);
    for (const k of points) {
      let censored = false;
      let actual = 0;
      let onHand = 0;
      for (let p = 0; p < P; p++) {
        const g = h.gross[d * P + p]!;
        if (p < k) onHand += g - (h.cancels?.[d * P + p] ?? 0);
        else { actual += g; if (h.closed?.[d * P + p]) censored = true; }
      }
      if (censored) continue;
      // what was known at DCP k − 1 of departure d
      const asOf = h.days[d]! - opts.dcps[k - 1]!;
      for (let e = 0; e < D; e++) {
        for (let p = 0; p < P; p++) {
          const known = e !== d && h.days[e]! - opts.dcps[p]! <= asOf;
          masked[e * P + p] = known ? h.gross[e * P + p]! : NaN;
        }
      }
      const prep = prepareKey({ ...h, gross: masked }, opts.settings);
      let naive: number | undefined;
      if (opts.naive !== false && lastYear !== undefined) {
        naive = 0;
        for (let p = k; p < P; p++) naive += h.gross[lastYear * P + p]!;
        acc.add('same-as-last-year', k - 1, naive, actual);
      }
      for (const m of methods) {
        forecastKey(prep, m, h.days[d]!, k, Math.max(0, onHand), out);
        acc.add(m, k - 1, out.mean, actual);
        if (naive !== undefined) acc.addPaired(m, out.mean, naive, actual);
      }
    }
  }
  return acc;
}
