import { describe, expect, it } from 'vitest';
import { readDate, readDateVariation, readDays, readTime, readUtcVariation, writeDate, writeDateVariation, writeDays, writeTime, writeUtcVariation } from './codes';

describe('SSIM field codecs', () => {
  it('reads and writes DDMMMYY dates, refusing impossible ones', () => {
    expect(readDate('09JUN05')).toEqual({ ok: true, value: '2005-06-09' });
    expect(readDate('29FEB24')).toEqual({ ok: true, value: '2024-02-29' });
    expect(readDate('01JAN75')).toEqual({ ok: true, value: '1975-01-01' });
    expect(readDate('29FEB25')).toMatchObject({ ok: false, reason: expect.stringMatching(/not a calendar date/) });
    expect(readDate('32JAN05').ok).toBe(false);
    expect(readDate('09JUX05')).toMatchObject({ ok: false, reason: expect.stringMatching(/unknown month "JUX"/) });
    expect(readDate('9JUN05 ').ok).toBe(false);
    expect(writeDate('2005-06-09')).toBe('09JUN05');
    expect(writeDate('2024-12-31')).toBe('31DEC24');
  });

  it('reads HHMM times of day only', () => {
    expect(readTime('0000')).toEqual({ ok: true, value: '00:00' });
    expect(readTime('2359')).toEqual({ ok: true, value: '23:59' });
    expect(readTime('2400').ok).toBe(false);
    expect(readTime('1260').ok).toBe(false);
    expect(readTime('12 0').ok).toBe(false);
    expect(writeTime('07:05')).toBe('0705');
    expect(() => writeTime('7:05')).toThrow(/not HH:MM/);
  });

  it('reads ±HHMM UTC variations up to 14 hours', () => {
    expect(readUtcVariation('+0400')).toEqual({ ok: true, value: 240 });
    expect(readUtcVariation('-0930')).toEqual({ ok: true, value: -570 });
    expect(readUtcVariation('+1400')).toEqual({ ok: true, value: 840 });
    expect(readUtcVariation('+1401').ok).toBe(false);
    expect(readUtcVariation('+0160').ok).toBe(false);
    expect(readUtcVariation(' 0400').ok).toBe(false);
    expect(writeUtcVariation(-570)).toBe('-0930');
    expect(writeUtcVariation(0)).toBe('+0000');
    expect(() => writeUtcVariation(900)).toThrow(/not possible/);
  });

  it('reads positional days of operation and flags non-positional ones', () => {
    expect(readDays('1 3 56 ')).toEqual({ ok: true, value: { days: [1, 3, 5, 6], positional: true } });
    expect(readDays('      7')).toEqual({ ok: true, value: { days: [7], positional: true } });
    expect(readDays('135    ')).toEqual({ ok: true, value: { days: [1, 3, 5], positional: false } });
    expect(readDays('       ')).toMatchObject({ ok: false, reason: 'no day of operation' });
    expect(readDays('1 8    ')).toMatchObject({ ok: false, reason: expect.stringMatching(/"8" is not a day/) });
    expect(readDays('11     ')).toMatchObject({ ok: false, reason: expect.stringMatching(/appears twice/) });
    expect(writeDays([7, 1, 3])).toBe('1 3   7');
    expect(() => writeDays([])).toThrow(/no day/);
  });

  it('reads date variations: blank, digits and A (the day before)', () => {
    expect(readDateVariation(' ')).toEqual({ ok: true, value: null });
    expect(readDateVariation('1')).toEqual({ ok: true, value: 1 });
    expect(readDateVariation('A')).toEqual({ ok: true, value: -1 });
    expect(readDateVariation('B').ok).toBe(false);
    expect(writeDateVariation(-1)).toBe('A');
    expect(writeDateVariation(2)).toBe('2');
    expect(() => writeDateVariation(-2)).toThrow();
  });
});
