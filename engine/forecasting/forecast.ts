/**
 * The forecast of one key (leg × RBD, or O&D market × fare class) for a departure, from its history.
 *
 * `prepareKey` does the heavy work once per key and cycle: unconstrains the history (EM or projection,
 * per period across departures), estimates day-of-week / month / event factors from the flown
 * departures, removes them, and keeps, for every DCP period k, the demand to come from k under each
 * method (additive pickup, exponential smoothing, multiplicative pickup), the same-weekday historical
 * averages (the fallback) and the cancellation and no-show rates. `forecastKey` is then O(1) per
 * departure: it takes the departure's day, the first period still to come and the bookings on hand.
 *
 * Every forecast has a mean and a standard deviation of the gross demand to come, the expected
 * cancellations, the net bookings expected at departure and the show rate (net and gross demand).
 */
import { configuredFactorFor, estimateFactors, factorFor, NO_FACTORS, weekdayIndex, type CalendarEvent, type DemandFactors } from './factors';
import { checkHistory, rowComplete, type KeyHistory } from './history';
import { recencyWeightsInto } from './smoothing';
import { detruncateColumnsInto, type DetruncationOptions, type UnconstrainMethod } from './unconstrain';

export type ForecastMethod = 'additive' | 'multiplicative' | 'exp-smoothing';
export const FORECAST_METHODS: readonly ForecastMethod[] = ['additive', 'multiplicative', 'exp-smoothing'];

export interface ForecastSettings {
  /** how censored periods are detruncated (default 'em') */
  unconstrain?: UnconstrainMethod;
  detruncation?: DetruncationOptions;
  /** exponential smoothing: weight lost per week of age (default 0.15) */
  alpha?: number;
  /** apply day-of-week, month and event factors (default true) */
  factors?: boolean;
  events?: readonly CalendarEvent[];
}

/** Per-key state for fast forecasts; arrays indexed by the first period to come k = 0..periods. */
export interface PreparedKey {
  readonly periods: number;
  readonly departures: number;
  /** flown (complete) departures */
  readonly flown: number;
  /** period cells that were censored but could not be unconstrained (too few open observations) */
  readonly unidentified: number;
  readonly factors: DemandFactors;
  /** factor-free demand to come from k: mean and sd, equal weights (additive); and per period p: mean and variance */
  readonly additive: SuffixStats;
  /** the same with exponential recency weights */
  readonly smoothed: SuffixStats;
  /** multiplicative pickup: ratio of remaining to on-hand bookings and its sd; NaN where unusable */
  readonly multiplicative: { ratio: Float64Array; sd: Float64Array };
  /** same-weekday historical averages (not deseasonalised): [weekday * (periods + 1) + k] */
  readonly weekday: { mean: Float64Array; sd: Float64Array; count: Int32Array };
  /** probability that a booking in the system at period k is cancelled before departure */
  readonly cancelRate: Float64Array;
  /** no-show rate of flown passengers and its sd across departures */
  readonly noShowRate: number;
  readonly noShowSd: number;
}

export interface SuffixStats {
  /** [k]: demand to come from period k (k = 0..periods) */
  mean: Float64Array;
  sd: Float64Array;
  /** [p]: demand of period p alone: mean and variance */
  periodMean: Float64Array;
  periodVar: Float64Array;
}

function suffix(P: number): SuffixStats {
  return { mean: new Float64Array(P + 1), sd: new Float64Array(P + 1), periodMean: new Float64Array(P), periodVar: new Float64Array(P) };
}

const MIN_ROWS_FOR_SD = 3;

/** Weighted per-period mean/variance and, per k, the sd of the row sums over periods k.. (rows complete there). */
function suffixStats(z: Float64Array, D: number, P: number, w: ArrayLike<number> | null, mean: Float64Array, sd: Float64Array, pm: Float64Array = new Float64Array(P), pv: Float64Array = new Float64Array(P)): void {
  for (let p = 0; p < P; p++) {
    let sw = 0, sw2 = 0, sx = 0;
    for (let d = 0; d < D; d++) {
      const x = z[d * P + p]!;
      const wt = w ? w[d]! : 1;
      if (Number.isNaN(x) || wt <= 0) continue;
      sw += wt; sw2 += wt * wt; sx += wt * x;
    }
    if (sw === 0) continue;
    const m = sx / sw;
    let ss = 0;
    for (let d = 0; d < D; d++) {
      const x = z[d * P + p]!;
      const wt = w ? w[d]! : 1;
      if (Number.isNaN(x) || wt <= 0) continue;
      ss += wt * (x - m) * (x - m);
    }
    const den = sw - sw2 / sw;
    pm[p] = m;
    pv[p] = den > 0 ? ss / den : 0;
  }
  mean[P] = 0;
  sd[P] = 0;
  let sumVar = 0;
  // row sums from k to the end, accumulated right to left
  const rowSum = new Float64Array(D);
  const rowOk = new Uint8Array(D).fill(1);
  for (let k = P - 1; k >= 0; k--) {
    mean[k] = mean[k + 1]! + pm[k]!;
    sumVar += pv[k]!;
    let sw = 0, sw2 = 0, sx = 0, sxx = 0, n = 0;
    for (let d = 0; d < D; d++) {
      const x = z[d * P + k]!;
      if (Number.isNaN(x)) rowOk[d] = 0;
      if (!rowOk[d]) continue;
      rowSum[d] += x;
      const wt = w ? w[d]! : 1;
      if (wt <= 0) continue;
      const s = rowSum[d]!;
      sw += wt; sw2 += wt * wt; sx += wt * s; sxx += wt * s * s; n++;
    }
    if (n >= MIN_ROWS_FOR_SD) {
      const m = sx / sw;
      const den = sw - sw2 / sw;
      sd[k] = den > 0 ? Math.sqrt(Math.max(0, (sxx - sw * m * m) / den)) : 0;
    } else {
      sd[k] = Math.sqrt(sumVar);
    }
  }
}

/** Prepares a key's history for fast forecasts (see module comment). */
export function prepareKey(h: KeyHistory, settings: ForecastSettings = {}): PreparedKey {
  checkHistory(h, 'prepareKey');
  const D = h.departures;
  const P = h.periods;
  const events = settings.events ?? [];
  // 1. unconstrain each period across departures
  const u = new Float64Array(D * P);
  const closed = h.closed ?? new Uint8Array(D * P);
  const unidentified = detruncateColumnsInto(settings.unconstrain ?? 'em', h.gross, closed, D, P, u, settings.detruncation);
  // 2. factors from flown departures' totals
  const totals = new Float64Array(D);
  let flown = 0;
  for (let d = 0; d < D; d++) {
    if (!rowComplete(h, d)) { totals[d] = NaN; continue; }
    let s = 0;
    for (let p = 0; p < P; p++) s += u[d * P + p]!;
    totals[d] = s;
    flown++;
  }
  const factors = settings.factors === false ? NO_FACTORS : estimateFactors(h.days, totals, events);
  // 3. deseasonalised matrix
  const z = new Float64Array(D * P);
  for (let d = 0; d < D; d++) {
    const f = factorFor(factors, h.days[d]!);
    for (let p = 0; p < P; p++) z[d * P + p] = u[d * P + p]! / f;
  }
  const additive = suffix(P);
  suffixStats(z, D, P, null, additive.mean, additive.sd, additive.periodMean, additive.periodVar);
  const smoothed = suffix(P);
  const w = new Float64Array(D);
  if (D > 0) recencyWeightsInto(h.days, D, settings.alpha ?? 0.15, w);
  suffixStats(z, D, P, w, smoothed.mean, smoothed.sd, smoothed.periodMean, smoothed.periodVar);
  // 4. multiplicative ratios (factor-free: on-hand bookings carry the level)
  const multiplicative = { ratio: new Float64Array(P + 1).fill(NaN), sd: new Float64Array(P + 1).fill(NaN) };
  for (let k = 1; k <= P; k++) {
    let on = 0, rem = 0, n = 0, sr = 0, srr = 0;
    for (let d = 0; d < D; d++) {
      if (Number.isNaN(totals[d]!)) continue;
      let a = 0, b = 0;
      for (let p = 0; p < P; p++) { if (p < k) a += u[d * P + p]!; else b += u[d * P + p]!; }
      if (a <= 0) continue;
      on += a; rem += b; n++; sr += b / a; srr += (b / a) * (b / a);
    }
    if (n === 0) continue;
    multiplicative.ratio[k] = rem / on;
    const m = sr / n;
    multiplicative.sd[k] = n >= 2 ? Math.sqrt(Math.max(0, (srr - n * m * m) / (n - 1))) : 0;
  }
  // 5. same-weekday historical averages of the unconstrained demand (the fallback)
  const weekday = { mean: new Float64Array(7 * (P + 1)), sd: new Float64Array(7 * (P + 1)), count: new Int32Array(7) };
  for (let wd = 0; wd < 7; wd++) {
    const rows: number[] = [];
    for (let d = 0; d < D; d++) if (!Number.isNaN(totals[d]!) && weekdayIndex(h.days[d]!) === wd) rows.push(d);
    weekday.count[wd] = rows.length;
    if (rows.length === 0) continue;
    const sub = new Float64Array(rows.length * P);
    rows.forEach((d, i) => { for (let p = 0; p < P; p++) sub[i * P + p] = u[d * P + p]!; });
    const m = new Float64Array(P + 1);
    const s = new Float64Array(P + 1);
    suffixStats(sub, rows.length, P, null, m, s);
    weekday.mean.set(m, wd * (P + 1));
    weekday.sd.set(s, wd * (P + 1));
  }
  // 6. cancellations and no-shows
  const cancelRate = new Float64Array(P + 1);
  if (h.cancels) {
    for (let k = 0; k <= P; k++) {
      let held = 0, cancelled = 0;
      for (let d = 0; d < D; d++) {
        if (Number.isNaN(totals[d]!)) continue;
        for (let p = 0; p < P; p++) {
          const g = h.gross[d * P + p]!;
          const c = h.cancels[d * P + p]!;
          if (p < k) held += g - c; else { held += g; cancelled += c; }
        }
      }
      cancelRate[k] = held > 0 ? Math.min(1, Math.max(0, cancelled / held)) : 0;
    }
  }
  let ns = 0, pax = 0, nr = 0, srate = 0, srate2 = 0;
  if (h.shows && h.noShows) {
    for (let d = 0; d < D; d++) {
      const s = h.shows[d]!;
      const x = h.noShows[d]!;
      if (Number.isNaN(s) || Number.isNaN(x) || s + x <= 0) continue;
      ns += x; pax += s + x; nr++;
      const r = x / (s + x);
      srate += r; srate2 += r * r;
    }
  }
  const noShowRate = pax > 0 ? ns / pax : 0;
  const noShowSd = nr >= 2 ? Math.sqrt(Math.max(0, (srate2 - nr * (srate / nr) ** 2) / (nr - 1))) : 0;
  return { periods: P, departures: D, flown, unidentified, factors, additive, smoothed, multiplicative, weekday, cancelRate, noShowRate, noShowSd };
}

export interface KeyForecast {
  /** the method that produced the mean ('historical-average' when falling back) */
  method: ForecastMethod | 'historical-average';
  fromPeriod: number;
  /** gross demand to come (unconstrained): mean and standard deviation */
  mean: number;
  sd: number;
  /** the departure's combined day-of-week × month × event factor applied */
  factor: number;
  /** cancellations expected before departure among bookings on hand and to come */
  cancellations: number;
  /** net bookings expected at departure: on hand + gross to come − cancellations */
  netFinal: number;
  /** probability that a booking held now flies: (1 − cancel rate) · (1 − no-show rate) */
  showRate: number;
  /** no-shows expected among the net bookings */
  noShows: number;
  /** set when this is a fallback forecast: why (e.g. the demand feed is stale) */
  fallback: string | null;
}

export function emptyKeyForecast(): KeyForecast {
  return { method: 'additive', fromPeriod: 0, mean: 0, sd: 0, factor: 1, cancellations: 0, netFinal: 0, showRate: 1, noShows: 0, fallback: null };
}

/**
 * The forecast of one departure: `day` its local date (day number), `fromPeriod` the first period still
 * to come, `onHand` the net bookings held now. With `fallback` (the reason) the same-weekday
 * historical average is used instead of the method, and flagged. Multiplicative pickup without
 * bookings on hand (or without usable history at k) falls back to additive pickup, which it reports
 * in `method`.
 */
export function forecastKey(prep: PreparedKey, method: ForecastMethod, day: number, fromPeriod: number, onHand: number, out: KeyForecast = emptyKeyForecast(), fallback: string | null = null): KeyForecast {
  const P = prep.periods;
  if (!Number.isInteger(fromPeriod) || fromPeriod < 0 || fromPeriod > P) throw new RangeError(`forecast: fromPeriod must lie in [0, ${P}], got ${fromPeriod}`);
  if (!(onHand >= 0)) throw new RangeError(`forecast: bookings on hand must be >= 0, got ${onHand}`);
  const k = fromPeriod;
  const factor = factorFor(prep.factors, day);
  out.fromPeriod = k;
  out.fallback = fallback;
  out.factor = factor;
  if (fallback !== null) {
    const wd = weekdayIndex(day);
    const base = wd * (P + 1) + k;
    const useWeekday = prep.weekday.count[wd]! > 0;
    const known = configuredFactorFor(prep.factors, day);
    out.method = 'historical-average';
    out.mean = (useWeekday ? prep.weekday.mean[base]! : prep.additive.mean[k]!) * known;
    out.sd = (useWeekday ? prep.weekday.sd[base]! : prep.additive.sd[k]!) * known;
  } else if (method === 'multiplicative' && onHand > 0 && k > 0 && !Number.isNaN(prep.multiplicative.ratio[k]!)) {
    const known = configuredFactorFor(prep.factors, day);
    out.method = 'multiplicative';
    out.mean = onHand * prep.multiplicative.ratio[k]! * known;
    out.sd = onHand * prep.multiplicative.sd[k]! * known;
  } else if (method === 'exp-smoothing') {
    out.method = 'exp-smoothing';
    out.mean = prep.smoothed.mean[k]! * factor;
    out.sd = prep.smoothed.sd[k]! * factor;
  } else {
    out.method = 'additive';
    out.mean = prep.additive.mean[k]! * factor;
    out.sd = prep.additive.sd[k]! * factor;
  }
  const cancelRate = prep.cancelRate[k]!;
  out.cancellations = cancelRate * (onHand + out.mean);
  out.netFinal = onHand + out.mean - out.cancellations;
  out.showRate = (1 - cancelRate) * (1 - prep.noShowRate);
  out.noShows = out.netFinal * prep.noShowRate;
  return out;
}

/**
 * Spreads a forecast over the periods still to come (`outMean[p]`, `outSd[p]` for p >= fromPeriod; 0
 * before): in proportion to the method's period means (the additive ones for multiplicative and
 * fallback forecasts), with period sds scaled so that their root sum of squares is the forecast's sd.
 */
export function forecastByPeriodInto(prep: PreparedKey, f: KeyForecast, outMean: { [i: number]: number }, outSd: { [i: number]: number }): void {
  const P = prep.periods;
  const s = f.method === 'exp-smoothing' ? prep.smoothed : prep.additive;
  let totalMean = 0;
  let totalVar = 0;
  for (let p = f.fromPeriod; p < P; p++) { totalMean += s.periodMean[p]!; totalVar += s.periodVar[p]!; }
  const remaining = P - f.fromPeriod;
  for (let p = 0; p < P; p++) {
    if (p < f.fromPeriod) { outMean[p] = 0; outSd[p] = 0; continue; }
    outMean[p] = totalMean > 0 ? (f.mean * s.periodMean[p]!) / totalMean : f.mean / remaining;
    outSd[p] = totalVar > 0 ? f.sd * Math.sqrt(s.periodVar[p]! / totalVar) : f.sd / Math.sqrt(remaining);
  }
}
