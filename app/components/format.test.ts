import { describe, expect, it } from 'vitest';
import { formatAge, formatInstant, formatLocalTime, formatMoney, formatShare, formatSignedPct, formatValue, moneyInputValue, parseMoneyInput, parseSeatsInput } from './format';

describe('money', () => {
  it('formats minor units with the currency\'s own decimals', () => {
    expect(formatMoney(123_450, 'EUR')).toBe('1,234.50 EUR');
    expect(formatMoney(123_450, 'JPY')).toBe('123,450 JPY');
    expect(formatMoney(1_234_567, 'KWD')).toBe('1,234.567 KWD');
    expect(formatMoney(-5, 'USD')).toBe('-0.05 USD');
    expect(formatMoney(null, 'EUR')).toBe('—');
    expect(formatMoney(100, null)).toBe('—');
  });

  it('shows authorisation levels as seats and money with its currency', () => {
    expect(formatValue(42, null)).toBe('42 seats');
    expect(formatValue(9_900, 'GBP')).toBe('99.00 GBP');
  });

  it('parses what a person types into minor units, refusing what it cannot read', () => {
    expect(parseMoneyInput('1,234.5', 'EUR')).toEqual({ ok: true, value: 123_450 });
    expect(parseMoneyInput(' 99 ', 'EUR')).toEqual({ ok: true, value: 9_900 });
    expect(parseMoneyInput('0.29', 'EUR')).toEqual({ ok: true, value: 29 });
    expect(parseMoneyInput('1500', 'JPY')).toEqual({ ok: true, value: 1_500 });
    expect(parseMoneyInput('15.5', 'JPY')).toMatchObject({ ok: false, error: 'JPY has no decimals' });
    expect(parseMoneyInput('1.234', 'EUR')).toMatchObject({ ok: false, error: 'EUR has 2 decimals at most' });
    expect(parseMoneyInput('12,3.4.5', 'EUR').ok).toBe(false);
    expect(parseMoneyInput('-10', 'EUR').ok).toBe(false);
    expect(parseMoneyInput('', 'EUR')).toMatchObject({ ok: false, error: 'enter an amount in EUR' });
    expect(moneyInputValue(123_450, 'EUR')).toBe('1234.50');
    expect(parseMoneyInput(moneyInputValue(123_450, 'EUR'), 'EUR')).toEqual({ ok: true, value: 123_450 });
  });

  it('parses seats', () => {
    expect(parseSeatsInput('12')).toEqual({ ok: true, value: 12 });
    expect(parseSeatsInput('1.5').ok).toBe(false);
    expect(parseSeatsInput('20000').ok).toBe(false);
  });
});

describe('percentages and ages', () => {
  it('signs changes with a true minus and rounds', () => {
    expect(formatSignedPct(4)).toBe('+4.0 %');
    expect(formatSignedPct(-12.345)).toBe('−12.3 %');
    expect(formatSignedPct(0.04)).toBe('0.0 %');
    expect(formatSignedPct(null)).toBe('—');
    expect(formatShare(0.8345)).toBe('83.5 %');
  });

  it('says how old something is', () => {
    expect(formatAge(12)).toBe('12 s ago');
    expect(formatAge(600)).toBe('10 min ago');
    expect(formatAge(5_400)).toBe('1.5 h ago');
    expect(formatAge(3 * 86_400)).toBe('3.0 days ago');
    expect(formatAge(null)).toBe('never');
  });
});

describe('times at the airport', () => {
  it('shows an instant in the airport\'s local time with its zone, across daylight saving', () => {
    expect(formatLocalTime('2026-07-01T08:05:00Z', 'Europe/Berlin')).toBe('10:05 CEST');
    expect(formatLocalTime('2026-12-01T08:05:00Z', 'Europe/Berlin')).toBe('09:05 CET');
    expect(formatLocalTime('2026-12-01T08:05:00Z', 'America/New_York')).toBe('03:05 GMT-5');
    expect(formatInstant('2026-12-01T23:30:00Z', 'Asia/Tokyo')).toBe('2026-12-02 08:30 GMT+9');
    expect(formatInstant('2026-12-01T23:30:00Z')).toBe('2026-12-01 23:30 UTC');
    expect(formatInstant(null)).toBe('—');
  });
});
