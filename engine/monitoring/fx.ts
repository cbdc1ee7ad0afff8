/**
 * Money conversion at the dated exchange rates from the pricing-tools feed: the latest rate on or
 * before the date, either direction. Never a hard-coded rate: without one the answer is null and the
 * caller reports the amount as unconverted.
 */
import type { Database } from 'better-sqlite3';
import { currencyExponent } from '../domain/money';

/** units of `quote` per unit of `base` on `date`, or null */
export function rateOn(db: Database, base: string, quote: string, date: string): number | null {
  if (base === quote) return 1;
  const direct = db.prepare('SELECT rate FROM exchange_rates WHERE base = ? AND quote = ? AND date <= ? ORDER BY date DESC LIMIT 1').pluck().get(base, quote, date) as number | undefined;
  if (direct !== undefined) return direct;
  const inverse = db.prepare('SELECT rate FROM exchange_rates WHERE base = ? AND quote = ? AND date <= ? ORDER BY date DESC LIMIT 1').pluck().get(quote, base, date) as number | undefined;
  return inverse !== undefined ? 1 / inverse : null;
}

/** Converts minor units of `from` to minor units of `to` (rounded half away from zero), or null without a rate. */
export function convertMinor(db: Database, amountMinor: number, from: string, to: string, date: string): number | null {
  if (from === to) return amountMinor;
  const rate = rateOn(db, from, to, date);
  if (rate === null) return null;
  const major = amountMinor / 10 ** currencyExponent(from);
  const v = major * rate * 10 ** currencyExponent(to);
  return Math.sign(v) * Math.round(Math.abs(v));
}
