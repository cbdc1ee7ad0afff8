/**
 * Money on the wire: a decimal string in major units with exactly the currency's minor-unit exponent of
 * decimals ("129.00" EUR, "15000" JPY, "12.500" KWD). Converted to and from integer minor units without
 * floating point.
 */
import { currencyExponent } from '../../engine/domain/money';

const AMOUNT_RE = /^(\d{1,13})(?:\.(\d{1,3}))?$/;

/** Minor units → the wire's decimal string. */
export function formatAmount(amountMinor: number, currency: string): string {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) throw new Error(`amount ${amountMinor} ${currency}: expected a whole, non-negative number of minor units`);
  const e = currencyExponent(currency);
  if (e === 0) return String(amountMinor);
  const s = String(amountMinor).padStart(e + 1, '0');
  return `${s.slice(0, -e)}.${s.slice(-e)}`;
}

/**
 * The wire's decimal string → minor units; throws naming the problem when the text is not a decimal or has
 * more decimals than the currency allows. Fewer decimals are accepted ("129.5" EUR = 12 950).
 */
export function parseAmount(text: string, currency: string): number {
  const m = AMOUNT_RE.exec(text);
  if (!m) throw new Error(`"${text}" is not a decimal amount (digits, optionally "." and up to 3 decimals)`);
  const e = currencyExponent(currency);
  const frac = m[2] ?? '';
  if (frac.length > e) throw new Error(`"${text}" has ${frac.length} decimals; ${currency} has ${e}`);
  return Number(m[1]) * 10 ** e + (frac ? Number(frac.padEnd(e, '0')) : 0);
}
