/**
 * Hybrid demand forecast of one cabin of a flight from its history (Boyd & Kallesen 2004; Belobaba &
 * Hopperstad 2004), on the engine's sell-up model (engine/forecasting/sellup) and EM unconstraining
 * (engine/forecasting/unconstrain):
 *
 * - in each past departure-period, the lowest open class is the lowest class not closed for much of
 *   the period; bookings in it (and any below it) are price-oriented; those of period k across the
 *   departures are Poisson with mean q_k · P_dk, P_dk the sell-up probability of that departure's
 *   lowest open price over the reference price of the lowest class (the Frat5 of the period), so the
 *   Q-equivalent demand is estimated by its maximum likelihood q_k = Σ_d bookings / Σ_d P_dk. (The
 *   mean of the per-departure ratios bookings / P_dk, as in plain Q-forecasting, explodes when a
 *   departure had only dear classes open — P_dk ~ 1e-5 — and spirals the protection up; such
 *   departure-periods, P_dk < minSellUp, are left out.) Bookings in
 *   classes above it are product-oriented (yieldable) demand of their own class;
 * - a class's yieldable demand is unseen (censored) in a period where it was closed, or was the lowest
 *   open class or below it; each class × period cell is unconstrained by EM across departures;
 * - the forecast of a future period is the mean over the history (additive pickup per period).
 *
 * Mode 'independent' forecasts each class as its own demand (EM unconstrained), as system E does.
 */
import { sellUpProbability } from '../../forecasting/sellup';
import { detruncateColumnsInto } from '../../forecasting/unconstrain';
import type { FlightHistory } from './history';

export type DemandMode = 'hybrid' | 'independent';

/**
 * A departure-period whose lowest open price has a sell-up probability below this tells (almost)
 * nothing about price-oriented demand: it is left out of the Q estimate. Without this, a period in
 * which only dear classes were open (P ~ 1e-5) yields an enormous Q forecast, the optimiser protects
 * even more, and the protection spirals up; with it, such a period gets no Q demand, the optimiser
 * opens lower classes again and the history learns.
 */
export const DEFAULT_MIN_SELL_UP = 0.05;

export interface CabinForecast {
  /** classes of the cabin (carrier class indices), highest first */
  classes: readonly number[];
  periods: number;
  /** price-oriented demand per period at the reference price (Q-equivalents) */
  q: Float64Array;
  /** product-oriented demand per period and class, [k · n + j] */
  y: Float64Array;
  /** the reference price of the Q-equivalents (price of the lowest class) */
  qRef: number;
  /** departures the forecast rests on */
  departures: number;
}

/**
 * Forecasts one cabin. `frat5(k)` is the Frat5 assumed in period k; `qRef` the reference price of the
 * lowest class; cells closed for at least `censorThreshold` of a period count as closed.
 */
export function forecastCabin(h: FlightHistory, classes: readonly number[], frat5: (k: number) => number, qRef: number, mode: DemandMode, minSellUp = DEFAULT_MIN_SELL_UP): CabinForecast {
  const n = classes.length;
  const P = h.P;
  const D = h.count;
  const nCl = h.nCl;
  const q = new Float64Array(P);
  const y = new Float64Array(P * n);
  const out: CabinForecast = { classes, periods: P, q, y, qRef, departures: D };
  if (D === 0 || n === 0) return out;
  const yv = new Float64Array(D * P);
  const yc = new Uint8Array(D * P);
  const yu = new Float64Array(D * P);
  if (mode === 'independent') {
    for (let j = 0; j < n; j++) {
      const c = classes[j]!;
      for (let d = 0; d < D; d++) {
        const base = h.slot(d) * nCl * P + c * P;
        for (let k = 0; k < P; k++) { yv[d * P + k] = h.bookings[base + k]!; yc[d * P + k] = h.closed[base + k]!; }
      }
      detruncateColumnsInto('em', yv, yc, D, P, yu);
      for (let k = 0; k < P; k++) {
        let s = 0;
        for (let d = 0; d < D; d++) s += yu[d * P + k]!;
        y[k * n + j] = s / D;
      }
    }
    return out;
  }
  // lowest open class per departure-period
  const lowest = new Int8Array(D * P).fill(-1);
  const qSum = new Float64Array(P);
  // exposure: Σ over departures of the sell-up probability of the lowest open class
  const qExposure = new Float64Array(P);
  for (let d = 0; d < D; d++) {
    const base = h.slot(d) * nCl * P;
    for (let k = 0; k < P; k++) {
      let lo = -1;
      for (let j = 0; j < n; j++) if (h.closed[base + classes[j]! * P + k] === 0) lo = j;
      lowest[d * P + k] = lo;
      if (lo < 0) continue;
      let priceable = 0;
      for (let j = lo; j < n; j++) priceable += h.bookings[base + classes[j]! * P + k]!;
      const ratio = h.price[base + classes[lo]! * P + k]! / qRef;
      const p = sellUpProbability(Number.isFinite(ratio) && ratio > 0 ? ratio : 1, frat5(k));
      // uninformative: almost nobody would sell up that far, so what booked is product-oriented demand
      if (p < minSellUp) continue;
      qSum[k] += priceable;
      qExposure[k] += p;
    }
  }
  for (let k = 0; k < P; k++) q[k] = qExposure[k]! > 0 ? qSum[k]! / qExposure[k]! : 0;
  for (let j = 0; j < n - 1; j++) {
    const c = classes[j]!;
    for (let d = 0; d < D; d++) {
      const base = h.slot(d) * nCl * P + c * P;
      for (let k = 0; k < P; k++) {
        const lo = lowest[d * P + k]!;
        const seen = lo > j && h.closed[base + k] === 0;
        yv[d * P + k] = seen ? h.bookings[base + k]! : 0;
        yc[d * P + k] = seen ? 0 : 1;
      }
    }
    detruncateColumnsInto('em', yv, yc, D, P, yu);
    for (let k = 0; k < P; k++) {
      // a cell never seen uncensored stays at 0 (nothing is known of it)
      let s = 0;
      let seen = 0;
      for (let d = 0; d < D; d++) { s += yu[d * P + k]!; if (yc[d * P + k] === 0) seen++; }
      y[k * n + j] = seen >= 2 ? s / D : 0;
    }
  }
  return out;
}
