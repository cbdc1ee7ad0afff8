import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../files/csv-read';
import { formatAmount, parseAmount } from './decimal';
import { PROS_DEMAND_FILE, PROS_ROUTE_PERFORMANCE_FILE, csvDocument, writeCsv } from './csv';
import { OPENAPI_DOCUMENTS, OpenApiCheck } from './openapi-check';

describe('money on the wire', () => {
  it.each([
    [12_345, 'EUR', '123.45'], [5, 'EUR', '0.05'], [0, 'USD', '0.00'], [15_000, 'JPY', '15000'], [12_500, 'KWD', '12.500'],
  ])('%i minor units of %s are "%s", and back', (minor, ccy, text) => {
    expect(formatAmount(minor, ccy)).toBe(text);
    expect(parseAmount(text, ccy)).toBe(minor);
  });

  it('reads fewer decimals and refuses more than the currency has, or non-decimals', () => {
    expect(parseAmount('129.5', 'EUR')).toBe(12_950);
    expect(parseAmount('129', 'EUR')).toBe(12_900);
    expect(() => parseAmount('1.234', 'EUR')).toThrow(/3 decimals; EUR has 2/);
    expect(() => parseAmount('12.5', 'JPY')).toThrow(/JPY has 0/);
    expect(() => parseAmount('1e3', 'EUR')).toThrow(/not a decimal amount/);
    expect(() => parseAmount('-5.00', 'EUR')).toThrow(/not a decimal amount/);
    expect(() => formatAmount(1.5, 'EUR')).toThrow(/whole, non-negative/);
  });
});

describe('CSV column specifications', () => {
  it('are documented in csv.md exactly as the code checks them', () => {
    expect(fs.readFileSync(path.join(__dirname, 'csv.md'), 'utf8')).toBe(csvDocument());
  });

  it('read back what the writer writes, quoting where needed', () => {
    const text = writeCsv(PROS_ROUTE_PERFORMANCE_FILE, [
      ['DF', 'FRA', 'LHR', '2026-03-01', 'Y', 156, 131, 0.839744, '18250.00', 'EUR', '2026-03-02T00:00:00.000Z'],
      ['DF', 'FRA', 'LHR', '2026-03-01', 'J', 12, 9, 0.75, null, null, '2026-03-02T00:00:00.000Z'],
    ]);
    const r = readCsv(Buffer.from(text), 'route_performance_20260302T000000Z.csv', PROS_ROUTE_PERFORMANCE_FILE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.content.quarantined).toEqual([]);
    expect(r.content.rows.map((x) => x.value)).toEqual([
      expect.objectContaining({ cabin: 'Y', seats: 156, revenue: '18250.00', currency: 'EUR' }),
      expect.objectContaining({ cabin: 'J', revenue: null, currency: null }),
    ]);
    expect(() => writeCsv(PROS_DEMAND_FILE, [['DF']])).toThrow(/1 values for 10 columns/);
  });
});

describe('OpenAPI documents', () => {
  it('are OpenAPI 3.1 with an operation id and an error answer on every operation', () => {
    for (const [name, doc] of Object.entries(OPENAPI_DOCUMENTS)) {
      expect(doc.openapi, name).toBe('3.1.0');
      for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, { operationId?: string; responses: Record<string, unknown> }>>)) {
        for (const op of Object.values(item)) {
          expect(op.operationId, `${name} ${p}`).toBeTruthy();
          expect(Object.keys(op.responses), `${name} ${p}`).toContain('default');
        }
      }
    }
  });

  it('catch an answer that breaks them (the check can fail)', () => {
    const check = new OpenApiCheck();
    const problems = check.check('pss', {
      endpoint: 'GET /v1/flights', params: {}, query: { limit: '0' }, headers: {}, requestBody: '', status: 200, contentType: 'application/json',
      responseBody: JSON.stringify({ data: [{ flightId: 'bad' }], nextPageToken: null }),
    });
    expect(problems.join('\n')).toMatch(/query parameter limit=.*must be >= 1/);
    expect(problems.join('\n')).toMatch(/200 answer: \/data\/0/);
    expect(check.check('pss', { endpoint: 'GET /v1/nowhere', params: {}, query: {}, headers: {}, requestBody: '', status: 200, contentType: 'application/json', responseBody: '{}' }))
      .toEqual(['pss GET /v1/nowhere: not in the interface specification']);
  });
});
