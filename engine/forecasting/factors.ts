/**
 * Day-of-week, seasonality (month of year) and holiday/event factors on top of a base forecast.
 *
 * Factors are multiplicative and estimated from the total (unconstrained) demand of flown departures:
 * first day of week against the overall mean, then month against what day of week explains, then each
 * event against what both explain (event days are left out of the day-of-week and month baselines).
 * Every estimate is shrunk toward 1 by its number of observations (f = (Σ ratios + k)/(n + k),
 * k = `shrink`), so a factor seen twice moves little. An event with a configured factor uses it as
 * given. A departure's combined factor is dow × month × the factors of the events covering its date.
 *
 * Ratios need a baseline to stand on: below `MIN_BASELINE` demand a departure (a class that rarely sells,
 * whose unconstrained totals are zeros and near-zero EM values) no factor is estimated (all 1), and every
 * estimate, and a day's combined factor, is kept within [1/`MAX_FACTOR`, `MAX_FACTOR`]: a combined
 * factor of 3e-10 (thirteen copies of one event, overlapping holidays, a Saturday in a slow month) once
 * turned one booking into a forecast of 13 million passengers.
 */
import { dayNumber } from '../domain/time';

export interface CalendarEvent {
  /** e.g. "Easter", "Trade fair" */
  name: string;
  /** first and last local departure date affected, inclusive, "YYYY-MM-DD" */
  from: string;
  to: string;
  /** a factor set by an analyst; when absent it is estimated from history */
  factor?: number;
  /** the airports it touches (its own, or every airport of its country); absent: every market */
  airports?: readonly string[];
  /**
   * only legs from this airport and/or to this one (an analyst's demand influence on a market,
   * engine/pricing/influences.ts); absent: as `airports` says
   */
  origin?: string;
  destination?: string;
  /** only this cabin's demand (an influence on business demand, say); absent: every cabin */
  cabin?: string;
}

export interface EventFactor { name: string; from: number; to: number; factor: number; configured: boolean }

export interface DemandFactors {
  /** by ISO weekday − 1 (Monday = 0) */
  dow: number[];
  /** by month − 1 (January = 0) */
  month: number[];
  /** each event's day span (day numbers) and factor */
  events: EventFactor[];
  /** flown departures the estimate rests on */
  observations: number;
}

/** mean total demand a departure (days without events) below which factors are not estimated */
export const MIN_BASELINE = 0.5;
/** the largest estimated factor (and 1 / it the smallest): demand a weekday, month or event moves by */
export const MAX_FACTOR = 5;

export const NO_FACTORS: DemandFactors = Object.freeze({ dow: [1, 1, 1, 1, 1, 1, 1], month: new Array<number>(12).fill(1), events: [], observations: 0 }) as DemandFactors;

/** ISO weekday index (Monday = 0) of a day number; 1970-01-01 was a Thursday. */
export function weekdayIndex(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** Month index (January = 0) of a day number, by the civil-from-days algorithm (no Date objects). */
export function monthIndex(day: number): number {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return mp < 10 ? mp + 2 : mp - 10;
}

function spans(events: readonly CalendarEvent[]): { name: string; from: number; to: number; factor?: number }[] {
  return events.map((e) => {
    const from = dayNumber(e.from);
    const to = dayNumber(e.to);
    if (to < from) throw new RangeError(`event "${e.name}": to (${e.to}) is before from (${e.from})`);
    if (e.factor !== undefined && !(e.factor > 0)) throw new RangeError(`event "${e.name}": factor must be > 0, got ${e.factor}`);
    return { name: e.name, from, to, factor: e.factor };
  });
}

/**
 * Estimates the factors from departure days (day numbers, see domain/time dayNumber) and their total
 * demand. Departures with a NaN total are skipped.
 */
export function estimateFactors(days: ArrayLike<number>, totals: ArrayLike<number>, events: readonly CalendarEvent[] = [], shrink = 5): DemandFactors {
  const ev = spans(events);
  const n = days.length;
  const usable = (i: number) => !Number.isNaN(totals[i]!) && !ev.some((e) => days[i]! >= e.from && days[i]! <= e.to);
  let sum = 0;
  let count = 0;
  let observations = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(totals[i]!)) observations++;
    if (usable(i)) { sum += totals[i]!; count++; }
  }
  if (count === 0 || sum / count < MIN_BASELINE) {
    return { dow: [...NO_FACTORS.dow], month: [...NO_FACTORS.month], events: ev.map((e) => ({ ...e, factor: e.factor ?? 1, configured: e.factor !== undefined })), observations };
  }
  const mean = sum / count; // the baseline: days no event covers
  const shrunk = (s: number, k: number) => Math.min(MAX_FACTOR, Math.max(1 / MAX_FACTOR, (s + shrink) / (k + shrink)));
  const s7 = new Float64Array(7); const k7 = new Int32Array(7);
  for (let i = 0; i < n; i++) if (usable(i)) { const w = weekdayIndex(days[i]!); s7[w] += totals[i]! / mean; k7[w]++; }
  const dow = Array.from({ length: 7 }, (_, w) => shrunk(s7[w]!, k7[w]!));
  const s12 = new Float64Array(12); const k12 = new Int32Array(12);
  for (let i = 0; i < n; i++) if (usable(i)) { const m = monthIndex(days[i]!); s12[m] += totals[i]! / (mean * dow[weekdayIndex(days[i]!)]!); k12[m]++; }
  const month = Array.from({ length: 12 }, (_, m) => shrunk(s12[m]!, k12[m]!));
  const eventFactors: EventFactor[] = ev.map((e) => {
    if (e.factor !== undefined) return { name: e.name, from: e.from, to: e.to, factor: e.factor, configured: true };
    let s = 0; let k = 0;
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(totals[i]!) || days[i]! < e.from || days[i]! > e.to) continue;
      s += totals[i]! / (mean * dow[weekdayIndex(days[i]!)]! * month[monthIndex(days[i]!)]!);
      k++;
    }
    return { name: e.name, from: e.from, to: e.to, factor: shrunk(s, k), configured: false };
  });
  return { dow, month, events: eventFactors, observations };
}

/**
 * The configured factors (an analyst's demand influences) covering a day, multiplied, within the same bounds: what
 * a forecast that ignores the calendar (multiplicative pickup, where the bookings on hand carry the level, or the
 * fallback's historical average) still applies, since the analyst speaks of the demand to come.
 */
export function configuredFactorFor(f: DemandFactors, day: number): number {
  let v = 1;
  for (const e of f.events) if (e.configured && day >= e.from && day <= e.to) v *= e.factor;
  return v === 1 ? 1 : Math.min(MAX_FACTOR, Math.max(1 / MAX_FACTOR, v));
}

/**
 * A departure day's combined factor: dow × month × every estimated event covering the day, within
 * [1/`MAX_FACTOR`, `MAX_FACTOR`] (each event is estimated against dow and month, not against the other
 * events of the day, so overlapping ones would compound), times the configured factors covering it
 * (`configuredFactorFor`, within the same bounds of their own): an analyst's −35 % is applied in full,
 * even on a day whose estimated factors already reach a bound.
 */
export function factorFor(f: DemandFactors, day: number): number {
  let v = f.dow[weekdayIndex(day)]! * f.month[monthIndex(day)]!;
  for (const e of f.events) if (!e.configured && day >= e.from && day <= e.to) v *= e.factor;
  return Math.min(MAX_FACTOR, Math.max(1 / MAX_FACTOR, v)) * configuredFactorFor(f, day);
}
