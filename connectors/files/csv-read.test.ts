import { describe, expect, it } from 'vitest';
import { readCsv } from './csv-read';
import { demandSpec } from './test-support/demand-spec';

const HEADER = 'origin,destination,departure_date,cabin,dcp,bookings,load_factor,as_of';
const read = (text: string | Buffer, name = 'demand_1.csv') => readCsv(Buffer.isBuffer(text) ? text : Buffer.from(text), name, demandSpec);
const content = (text: string) => {
  const r = read(text);
  if (!r.ok) throw new Error(`rejected: ${r.reason}`);
  return r.content;
};

describe('readCsv', () => {
  it('reads typed rows with their line numbers', () => {
    const c = content(`${HEADER}\nFRA,JFK,2025-06-01,Y,30,120,0.81,2025-05-02T06:00:00Z\nFRA,JFK,2025-06-01,J,30,12,,\n`);
    expect(c.rowsIn).toBe(2);
    expect(c.quarantined).toEqual([]);
    expect(c.rows).toEqual([
      { line: 2, value: { origin: 'FRA', destination: 'JFK', departure_date: '2025-06-01', cabin: 'Y', dcp: 30, bookings: 120, load_factor: 0.81, as_of: '2025-05-02T06:00:00.000Z' } },
      { line: 3, value: { origin: 'FRA', destination: 'JFK', departure_date: '2025-06-01', cabin: 'J', dcp: 30, bookings: 12, load_factor: null, as_of: null } },
    ]);
    expect(c.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes columns in any order and case, with a BOM and CRLF, notes unknown columns, skips blank lines', () => {
    const c = content('\ufeffBookings,DCP,Cabin,Departure_Date,Destination,Origin,remark\r\n\r\n7,3,Y,2025-06-02,LHR,FRA,hello\r\n');
    expect(c.rows).toEqual([{ line: 3, value: { origin: 'FRA', destination: 'LHR', departure_date: '2025-06-02', cabin: 'Y', dcp: 3, bookings: 7, load_factor: null, as_of: null } }]);
    expect(c.unknownColumns).toEqual(['remark']);
  });

  it('quarantines each bad row with file, line, field and reason, and keeps the rest', () => {
    const text = [
      HEADER,
      'FRA,JFK,2025-06-01,Y,30,120,,', // 2 ok
      'FRA,JFK,2025-06-31,Y,30,120,,', // 3 impossible date
      'FRA,JFK,2025-06-02,W,-1,120,,', // 4 two bad fields
      'FRA,JFK,2025-06-03,Y,30', // 5 too few fields
      '"FRA","JFK","2025-06-04","Y","30","1', // 6–7 a quoted field spanning lines
      '2",,', // (continues line 6)
      'FRA,JFK,2025-06-01,Y,30,99,,', // 8 repeated key of line 2
      ',JFK,2025-06-05,Y,30,1,,', // 9 missing required value
      'FRA,JFK,2025-06-06,Y,30,1,,', // 10 ok
      'FRA,JFK,2025-06-07,Y,30,1,,', // 11 ok
      'FRA,JFK,2025-06-08,Y,30,1,,', // 12 ok
      'FRA,JFK,2025-06-09,Y,30,1,,', // 13 ok
      'FRA,JFK,2025-06-10,Y,30,1,,', // 14 ok
    ].join('\n');
    const c = content(text);
    expect(c.rows.map((r) => r.line)).toEqual([2, 10, 11, 12, 13, 14]);
    expect(c.quarantined.map((q) => [q.location, q.field ?? null, q.reason])).toEqual([
      ['line 3', 'departure_date', 'departure_date: "2025-06-31" is not a date YYYY-MM-DD'],
      ['line 4', 'cabin', 'cabin: "W" is not one of J, Y; dcp: -1 is below the minimum 0'],
      ['line 5', null, 'the row has 5 fields, the header 8'],
      ['line 6', 'bookings', 'bookings: "1\n2" is not an integer'],
      ['line 8', 'origin', 'repeats the key (origin, destination, departure_date, cabin, dcp) of line 2'],
      ['line 9', 'origin', 'origin: a value is required'],
    ]);
    expect(c.quarantined.every((q) => q.source === 'file demand_1.csv')).toBe(true);
    expect(c.quarantined[0]!.payload).toEqual({ origin: 'FRA', destination: 'JFK', departure_date: '2025-06-31', cabin: 'Y', dcp: '30', bookings: '120', load_factor: '', as_of: '' });
    expect(c.rowsIn).toBe(12);
  });

  const rejects: [string, string | Buffer, RegExp][] = [
    ['an empty file', '', /empty file: no header line/],
    ['a missing required column', 'origin,destination,departure_date,cabin,dcp\nFRA,JFK,2025-06-01,Y,3\n', /wrong header for a test-demand file: missing required column\(s\) bookings\. Expected columns: origin, destination/],
    ['a repeated column', `${HEADER},ORIGIN\n`, /repeated column\(s\) ORIGIN/],
    ['binary content', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), /not a text file \(it contains NUL bytes\)/],
    ['invalid UTF-8', Buffer.from([0x6f, 0x72, 0xff, 0xfe, 0x0a]), /not UTF-8 text/],
    ['an unclosed quote', `${HEADER}\nFRA,JFK,2025-06-01,Y,30,120,,\n"FRA,JFK,2025-06-02,Y,30,1,,\n`, /not readable as CSV \(at line 3\): Quote Not Closed.*Fix the quoting/],
    ['a stray character after a closing quote', `${HEADER}\n"FRA"x,JFK,2025-06-02,Y,30,1,,\nFRA,JFK,2025-06-03,Y,30,1,,\n`, /not readable as CSV \(at line 2\): Invalid Closing Quote/],
    ['mostly bad rows', `${HEADER}\nFRA,JFK,2025-06-01,Y,30,120,,\nxx\nyy\n`, /2 of 3 rows break the test-demand column specification \(more than 50 %\)/],
  ];
  for (const [what, text, reason] of rejects) {
    it(`rejects ${what} whole`, () => {
      const r = read(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(reason);
    });
  }
});
