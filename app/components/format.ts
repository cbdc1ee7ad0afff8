/**
 * Display formatters and input parsers: money with its currency (integer minor units), percentages,
 * instants in an airport's local time with its zone (or in UTC, labelled), counts and durations.
 * Pure functions: the component tests cover them.
 */
import { currencyExponent, toMajor, toMinor } from '../../engine/domain/money';
import { formatSeconds, utcToLocal } from '../../engine/domain/time';

const LOCALE = 'en-GB';

// Intl formatters are costly to build and a grid formats thousands of cells: build each once
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(min: number, max: number): Intl.NumberFormat {
  const key = `${min}/${max}`;
  let f = numberFormats.get(key);
  if (!f) { f = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: min, maximumFractionDigits: max }); numberFormats.set(key, f); }
  return f;
}
const zoneFormats = new Map<string, Intl.DateTimeFormat>();
function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let f = zoneFormats.get(timeZone);
  if (!f) { f = new Intl.DateTimeFormat(LOCALE, { timeZone, timeZoneName: 'short' }); zoneFormats.set(timeZone, f); }
  return f;
}

/** "1,234.50 EUR"; "—" when there is no amount or currency. */
export function formatMoney(amountMinor: number | null | undefined, currency: string | null | undefined): string {
  if (amountMinor === null || amountMinor === undefined || !currency) return '—';
  const e = currencyExponent(currency);
  return `${numberFormat(e, e).format(toMajor(amountMinor, currency))} ${currency}`;
}

/** A decision value in its unit: money for fares and bid prices, seats for authorisation levels. */
export function formatValue(value: number | null | undefined, currency: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return currency ? formatMoney(value, currency) : `${formatCount(value)} seats`;
}

/** Major units for a money input field (no grouping: "1234.50"). */
export function moneyInputValue(amountMinor: number, currency: string): string {
  return toMajor(amountMinor, currency).toFixed(currencyExponent(currency));
}

export type Parsed = { ok: true; value: number } | { ok: false; error: string };

/**
 * Parses what a person typed as money in `currency` into minor units: "1234.5", "1,234.50", "1 234,50"
 * are not all accepted — only digits with at most one "." and the currency's decimals; thousands
 * separators "," and spaces are ignored.
 */
export function parseMoneyInput(text: string, currency: string): Parsed {
  const e = currencyExponent(currency);
  const t = text.trim().replace(/[\s,]/g, '');
  if (t === '') return { ok: false, error: `enter an amount in ${currency}` };
  const m = /^(\d+)(?:\.(\d*))?$/.exec(t);
  if (!m) return { ok: false, error: `"${text.trim()}" is not an amount: use digits and one "." (e.g. ${(1234.5).toFixed(e)})` };
  if ((m[2] ?? '').length > e) return { ok: false, error: e === 0 ? `${currency} has no decimals` : `${currency} has ${e} decimals at most` };
  return { ok: true, value: toMinor(Number(`${m[1]}.${m[2] || '0'}`), currency) };
}

/** Parses a whole number of seats. */
export function parseSeatsInput(text: string): Parsed {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { ok: false, error: 'enter a whole number of seats' };
  const v = Number(t);
  return v > 10_000 ? { ok: false, error: 'at most 10,000 seats' } : { ok: true, value: v };
}

/** "+4.0 %", "−12.5 %" (true minus sign), "0.0 %". */
export function formatSignedPct(pct: number | null | undefined, digits = 1): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return '—';
  const r = Number(pct.toFixed(digits));
  const abs = Math.abs(r).toFixed(digits);
  return `${r > 0 ? '+' : r < 0 ? '−' : ''}${abs} %`;
}

/** A share 0..1 as "83.4 %". */
export function formatShare(share: number | null | undefined, digits = 1): string {
  return share === null || share === undefined || !Number.isFinite(share) ? '—' : `${(share * 100).toFixed(digits)} %`;
}

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : numberFormat(0, 3).format(n);
}

export function formatNumber(n: number | null | undefined, digits = 1): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : numberFormat(digits, digits).format(n);
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** "3 min ago" style age from seconds (the same wording as the feed states' reasons). */
export function formatAge(seconds: number | null | undefined): string {
  return seconds === null || seconds === undefined ? 'never' : `${formatSeconds(seconds)} ago`;
}

/** The zone's short name at an instant ("CET", "GMT+1", "EST"). */
export function shortZone(instant: string, timeZone: string): string {
  const parts = zoneFormat(timeZone).formatToParts(new Date(instant));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

/** "14:05 CET": an instant's local time at an airport, with the zone. */
export function formatLocalTime(instant: string, timeZone: string): string {
  return `${utcToLocal(instant, timeZone).time} ${shortZone(instant, timeZone)}`;
}

/** "2026-12-01 14:05 CET" at an airport's zone, or "2026-12-01 13:05 UTC" without one. */
export function formatInstant(instant: string | null | undefined, timeZone?: string | null): string {
  if (!instant) return '—';
  if (!timeZone) return `${instant.slice(0, 10)} ${instant.slice(11, 16)} UTC`;
  const l = utcToLocal(instant, timeZone);
  return `${l.date} ${l.time} ${shortZone(instant, timeZone)}`;
}

/** The viewer's own time zone, for instants that belong to no airport (audit rows, runs). */
export function viewerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
