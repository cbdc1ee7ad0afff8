import { describe, expect, expectTypeOf, it } from 'vitest';
import { col, defineFileSpec, specToMarkdown, type RowOf } from './column-spec';
import { demandSpec } from './test-support/demand-spec';

describe('column types', () => {
  it('integers and decimals with ranges', () => {
    const i = col.integer({ min: 0, max: 10 });
    expect(i.parse('7')).toEqual({ ok: true, value: 7 });
    expect(i.parse('-1')).toEqual({ ok: false, reason: '-1 is below the minimum 0' });
    expect(i.parse('1.5')).toEqual({ ok: false, reason: '"1.5" is not an integer' });
    expect(i.parse('99999999999999999999').ok).toBe(false);
    const d = col.decimal({ min: 0, maxDecimals: 2 });
    expect(d.parse('12.34')).toEqual({ ok: true, value: 12.34 });
    expect(d.parse('12.345')).toEqual({ ok: false, reason: '"12.345" has more than 2 decimals' });
    expect(d.parse('1,5').ok).toBe(false);
  });

  it('dates, instants, enums and codes', () => {
    expect(col.date().parse('2025-02-29')).toEqual({ ok: false, reason: '"2025-02-29" is not a date YYYY-MM-DD' });
    expect(col.date({ min: '2025-01-01' }).parse('2024-12-31').ok).toBe(false);
    for (const d of ['2024-02-29', '2000-02-29', '2025-12-31', '2025-04-30']) expect(col.date().parse(d)).toEqual({ ok: true, value: d });
    for (const d of ['1900-02-29', '2025-04-31', '2025-13-01', '2025-00-10', '2025-01-00', '2025-1-01']) expect(col.date().parse(d).ok).toBe(false);
    expect(col.instant().parse('2025-03-01T09:30:00+01:00')).toEqual({ ok: true, value: '2025-03-01T08:30:00.000Z' });
    expect(col.instant().parse('2025-03-01T09:30:00').ok).toBe(false);
    expect(col.oneOf(['J', 'Y'] as const).parse('W')).toEqual({ ok: false, reason: '"W" is not one of J, Y' });
    expect(col.airport().parse('FRA').ok).toBe(true);
    expect(col.airport().parse('fra')).toEqual({ ok: false, reason: '"fra" is not an IATA airport code (three capital letters)' });
    expect(col.carrier().parse('U2').ok).toBe(true);
    expect(col.currency().parse('EURO').ok).toBe(false);
    expect(col.string({ maxLength: 3 }).parse('abcd').ok).toBe(false);
  });
});

describe('file specs', () => {
  it('type rows: required columns as T, optional ones as T | null', () => {
    type Row = RowOf<typeof demandSpec>;
    expectTypeOf<Row['origin']>().toEqualTypeOf<string>();
    expectTypeOf<Row['cabin']>().toEqualTypeOf<'J' | 'Y'>();
    expectTypeOf<Row['dcp']>().toEqualTypeOf<number>();
    expectTypeOf<Row['load_factor']>().toEqualTypeOf<number | null>();
  });

  it('refuse a key that is not a column and a bad share', () => {
    expect(() => defineFileSpec({ kind: 'k', title: 't', description: 'd', fileNamePattern: /x/, columns: { a: { type: col.integer(), required: true, description: '' } }, key: ['b' as 'a'] }))
      .toThrow(/key column "b" is not a column/);
    expect(() => defineFileSpec({ kind: 'k', title: 't', description: 'd', fileNamePattern: /x/, columns: {}, maxBadRowShare: 2 })).toThrow(/maxBadRowShare/);
  });

  it('print as a human-readable interface document', () => {
    const md = specToMarkdown(demandSpec);
    expect(md).toContain('## Demand by market and DCP (`test-demand`)');
    expect(md).toContain('| `origin` | yes | text, an IATA airport code (three capital letters) | origin airport | `FRA` |');
    expect(md).toContain('| `load_factor` | no | decimal number (dot separator, at most 4 decimals) from 0 to 2 | load factor, 0–1 |  |');
    expect(md).toContain('| `cabin` | yes | one of "J", "Y" | cabin |  |');
    expect(md).toContain('more than 50 % bad rows');
    expect(md).toContain('Key: `origin`, `destination`, `departure_date`, `cabin`, `dcp`');
  });
});
