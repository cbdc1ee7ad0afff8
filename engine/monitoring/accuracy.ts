/** Forecast accuracy over (forecast, actual) pairs: WAPE = Σ|F − A| / ΣA and bias = Σ(F − A) / ΣA, in percent. */
import type { ForecastAccuracy } from '../api/contract/monitoring';

/** The forecast-accuracy KPIs compare each departure's last forecast made at least this many days before it departs. */
export const FORECAST_ACCURACY_LEAD_DAYS = 7;

export function accuracy(pairs: readonly { forecast: number; actual: number }[]): ForecastAccuracy {
  let abs = 0;
  let signed = 0;
  let actual = 0;
  for (const p of pairs) {
    abs += Math.abs(p.forecast - p.actual);
    signed += p.forecast - p.actual;
    actual += p.actual;
  }
  if (pairs.length === 0 || actual <= 0) return { wape: null, bias: null, pairs: pairs.length };
  return { wape: (abs / actual) * 100, bias: (signed / actual) * 100, pairs: pairs.length };
}
