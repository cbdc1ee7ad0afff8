/**
 * Competitor fares and the competitor-aware target price.
 *
 * Competitor fares are observed per carrier, market, departure date and cabin, in the competitor's
 * currency; they are converted to the market's currency at the exchange rate in force on the day they
 * were observed (the latest dated rate not after that day; never a hard-coded rate). The strategy of a
 * market sets a target for our selling fare (the lowest open class):
 * - relative to the competitor minimum: match it, undercut it by an amount or a percentage, or hold a
 *   premium above it;
 * - relative to the quartile band [Q1, Q3] of the competitors' prices: stay inside the band (match),
 *   inside the band shifted down (undercut) or up (premium); a price already inside keeps its place.
 */
import { currencyExponent } from '../domain/money';
import { dayNumber } from '../domain/time';

export interface CompetitorFare {
  carrier: string;
  origin: string;
  destination: string;
  /** local departure date "YYYY-MM-DD" */
  departureDate: string;
  cabin: string;
  amountMinor: number;
  currency: string;
  /** UTC instant of the observation */
  observedAt: string;
}

/** 1 unit of `base` is worth `rate` units of `quote`, from `date` (inclusive) until a newer rate. */
export interface ExchangeRate {
  base: string;
  quote: string;
  rate: number;
  date: string;
}

export interface Conversion {
  amountMinor: number;
  /** the rate applied (quote per base) and its date; null when no conversion was needed */
  rate: number | null;
  rateDate: string | null;
}

export class ExchangeRateMissingError extends Error {
  constructor(readonly from: string, readonly to: string, readonly onDate: string) {
    super(`no exchange rate ${from}→${to} dated on or before ${onDate}: load dated rates from the pricing-tools feed before pricing against fares in ${from}`);
    this.name = 'ExchangeRateMissingError';
  }
}

/** An index of dated exchange rates for fast lookups (both directions). */
export class ExchangeRates {
  private readonly byPair = new Map<string, { day: number; date: string; rate: number }[]>();
  private readonly days = new Map<string, number>();

  constructor(rates: readonly ExchangeRate[]) {
    for (const r of rates) {
      if (!(r.rate > 0) || !Number.isFinite(r.rate)) throw new RangeError(`exchange rate ${r.base}→${r.quote} on ${r.date} must be a finite number > 0, got ${r.rate}`);
      const day = dayNumber(r.date);
      this.push(`${r.base}>${r.quote}`, day, r.date, r.rate);
      this.push(`${r.quote}>${r.base}`, day, r.date, 1 / r.rate);
    }
    for (const list of this.byPair.values()) list.sort((a, b) => a.day - b.day);
  }

  private push(key: string, day: number, date: string, rate: number): void {
    let list = this.byPair.get(key);
    if (!list) { list = []; this.byPair.set(key, list); }
    list.push({ day, date, rate });
  }

  /** The rate in force on `onDate` (quote per base), or undefined. */
  rateOn(from: string, to: string, onDate: string): { rate: number; date: string } | undefined {
    const list = this.byPair.get(`${from}>${to}`);
    if (!list) return undefined;
    let day = this.days.get(onDate);
    if (day === undefined) { day = dayNumber(onDate); this.days.set(onDate, day); }
    let lo = 0;
    let hi = list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.day <= day) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found < 0 ? undefined : { rate: list[found]!.rate, date: list[found]!.date };
  }

  /** Converts minor units between currencies at the rate in force on `onDate`; throws when none is. */
  convert(amountMinor: number, from: string, to: string, onDate: string): Conversion {
    if (from === to) return { amountMinor, rate: null, rateDate: null };
    const r = this.rateOn(from, to, onDate);
    if (!r) throw new ExchangeRateMissingError(from, to, onDate);
    const major = amountMinor / 10 ** currencyExponent(from);
    return { amountMinor: Math.round(major * r.rate * 10 ** currencyExponent(to)), rate: r.rate, rateDate: r.date };
  }
}

export type CompetitorReference = 'min' | 'quartile-band';

export type CompetitorStrategy =
  | { kind: 'match'; reference: CompetitorReference }
  | { kind: 'undercut' | 'premium'; reference: CompetitorReference; amountMinor?: number; pct?: number }
  | { kind: 'ignore' };

export interface CompetitorPosition {
  /** competitor prices considered, converted, ascending (latest observation per carrier) */
  pricesMinor: number[];
  carriers: string[];
  minMinor: number;
  q1Minor: number;
  medianMinor: number;
  q3Minor: number;
  /** exchange rates used, by currency */
  rates: Record<string, { rate: number; date: string }>;
}

export interface CompetitorTarget {
  /** the target for our selling fare, or null when there is nothing to aim at */
  targetMinor: number | null;
  position: CompetitorPosition | null;
  strategy: CompetitorStrategy;
  /** why there is no target, when there is none */
  note?: string;
}

/** Linear-interpolation quantile of sorted values (type 7, as R and numpy default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * The latest observation per competitor carrier for one market, cabin and departure date, observed
 * no earlier than `maxAgeDays` before `now`, converted to `currency`.
 */
export function competitorPosition(fares: readonly CompetitorFare[], q: { origin: string; destination: string; cabin: string; departureDate: string; currency: string; now: string; maxAgeDays?: number; ownCarrier?: string }, rates: ExchangeRates): CompetitorPosition | null {
  const oldest = Date.parse(q.now) - (q.maxAgeDays ?? 7) * 86_400_000;
  const latest = new Map<string, CompetitorFare>();
  for (const f of fares) {
    if (f.origin !== q.origin || f.destination !== q.destination || f.cabin !== q.cabin || f.departureDate !== q.departureDate) continue;
    if (q.ownCarrier && f.carrier === q.ownCarrier) continue;
    const t = Date.parse(f.observedAt);
    if (!(t >= oldest)) continue;
    const prev = latest.get(f.carrier);
    if (!prev || Date.parse(prev.observedAt) < t) latest.set(f.carrier, f);
  }
  if (latest.size === 0) return null;
  const usedRates: CompetitorPosition['rates'] = {};
  const converted = [...latest.values()].map((f) => {
    const c = rates.convert(f.amountMinor, f.currency, q.currency, f.observedAt.slice(0, 10));
    if (c.rate !== null) usedRates[f.currency] = { rate: c.rate, date: c.rateDate! };
    return { carrier: f.carrier, minor: c.amountMinor };
  }).sort((a, b) => a.minor - b.minor || a.carrier.localeCompare(b.carrier));
  const prices = converted.map((c) => c.minor);
  return {
    pricesMinor: prices,
    carriers: converted.map((c) => c.carrier),
    minMinor: prices[0]!,
    q1Minor: Math.round(quantile(prices, 0.25)),
    medianMinor: Math.round(quantile(prices, 0.5)),
    q3Minor: Math.round(quantile(prices, 0.75)),
    rates: usedRates,
  };
}

function shift(kind: 'undercut' | 'premium', ref: number, s: { amountMinor?: number; pct?: number }): number {
  const sign = kind === 'undercut' ? -1 : 1;
  if (s.amountMinor !== undefined) return ref + sign * s.amountMinor;
  if (s.pct !== undefined) return Math.round(ref * (1 + (sign * s.pct) / 100));
  throw new RangeError(`competitor strategy "${kind}" needs amountMinor or pct`);
}

/** The target selling fare under a strategy, given our current selling fare. */
export function competitorTarget(position: CompetitorPosition | null, strategy: CompetitorStrategy, sellingMinor: number): CompetitorTarget {
  if (strategy.kind === 'ignore') return { targetMinor: null, position, strategy, note: 'competitor prices ignored by the market strategy' };
  if (!position) return { targetMinor: null, position, strategy, note: 'no recent competitor fare for this market, cabin and date' };
  let target: number;
  if (strategy.reference === 'min') {
    target = strategy.kind === 'match' ? position.minMinor : shift(strategy.kind, position.minMinor, strategy);
  } else {
    let lo = position.q1Minor;
    let hi = position.q3Minor;
    if (strategy.kind !== 'match') { lo = shift(strategy.kind, lo, strategy); hi = shift(strategy.kind, hi, strategy); }
    target = Math.min(Math.max(sellingMinor, lo), hi);
  }
  return { targetMinor: Math.max(0, target), position, strategy };
}
