/**
 * Money is an integer number of minor units with its ISO 4217 currency.
 * Rounding happens once, at the end, to a market's price points.
 */
export type CurrencyCode = string; // ISO 4217, three upper-case letters

export interface Money {
  readonly amountMinor: number;
  readonly currency: CurrencyCode;
}

/** ISO 4217 minor-unit exponents that differ from 2. */
const EXPONENTS: Readonly<Record<string, number>> = {
  JPY: 0, KRW: 0, CLP: 0, ISK: 0, VND: 0, XOF: 0, XAF: 0, UGX: 0, PYG: 0, RWF: 0,
  BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3, LYD: 3, IQD: 3,
};

export const CURRENCY_RE = /^[A-Z]{3}$/;

export function currencyExponent(currency: CurrencyCode): number {
  if (!CURRENCY_RE.test(currency)) throw new Error(`invalid currency code "${currency}": expected three upper-case letters (ISO 4217)`);
  return EXPONENTS[currency] ?? 2;
}

export function money(amountMinor: number, currency: CurrencyCode): Money {
  if (!Number.isSafeInteger(amountMinor)) throw new Error(`money amount must be an integer number of minor units, got ${amountMinor} ${currency}`);
  currencyExponent(currency);
  return { amountMinor, currency };
}

/** Major units (e.g. 123.45) to minor units, rounding half away from zero. */
export function toMinor(major: number, currency: CurrencyCode): number {
  const f = 10 ** currencyExponent(currency);
  const v = major * f;
  return Math.sign(v) * Math.round(Math.abs(v) + 1e-9);
}

export function toMajor(amountMinor: number, currency: CurrencyCode): number {
  return amountMinor / 10 ** currencyExponent(currency);
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new Error(`cannot add ${a.currency} to ${b.currency}: convert at a dated exchange rate first`);
  return { amountMinor: a.amountMinor + b.amountMinor, currency: a.currency };
}

/** Formats for display, e.g. "1,234.50 EUR". */
export function formatMoney(m: Money, locale = 'en-GB'): string {
  const e = currencyExponent(m.currency);
  const s = toMajor(m.amountMinor, m.currency).toLocaleString(locale, { minimumFractionDigits: e, maximumFractionDigits: e });
  return `${s} ${m.currency}`;
}

/**
 * Rounds an amount (minor units) to a market's price points: a step (e.g. 100 = whole units)
 * and an optional ending (e.g. 99 for x.99 or 900 for ...9.00 endings when step is 1000).
 */
export function roundToPricePoint(amountMinor: number, step: number, ending = 0): number {
  if (step <= 0 || !Number.isInteger(step)) throw new Error(`price point step must be a positive integer, got ${step}`);
  if (ending < 0 || ending >= step) throw new Error(`price point ending ${ending} must lie in [0, ${step})`);
  const base = Math.round((amountMinor - ending) / step) * step + ending;
  return Math.max(ending, base);
}
