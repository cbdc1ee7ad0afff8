import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './csv';

describe('CSV export', () => {
  it('quotes what needs quoting and doubles quotes (RFC 4180, CRLF)', () => {
    expect(toCsv(['Market', 'Reason', 'Fare'], [['FRA-JFK', 'rival sale, "flash"', 412.5], ['FRA-CDG', 'line\nbreak', null]]))
      .toBe('Market,Reason,Fare\r\nFRA-JFK,"rival sale, ""flash""",412.5\r\nFRA-CDG,"line\nbreak",\r\n');
  });

  it('neutralises text a spreadsheet would run as a formula, but not negative numbers', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-12.5')).toBe('-12.5');
    expect(csvField(-12.5)).toBe('-12.5');
    expect(csvField('+cmd')).toBe("'+cmd");
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(true)).toBe('true');
  });
});
