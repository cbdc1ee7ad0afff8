import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { LEG, SEGMENT } from './layout';
import { parseSsim } from './parse';
import { leg, linesOf, setField } from './test-support/build';
import { writeSsim } from './write';
import type { SsimDiagnostic } from './types';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name));
const codes = (d: SsimDiagnostic[]) => d.map((x) => `${x.line}:${x.field}:${x.code}`);
const file = (legs = [leg()]) => writeSsim({ airline: 'XX', validFrom: '2025-06-01', validTo: '2025-06-30', creationDate: '2025-05-01', legs });

describe('parseSsim on the real fixtures', () => {
  it('reads all 514 flight-leg records of sample.ssim, with its deviations as warnings', () => {
    const f = parseSsim(fixture('sample.ssim'), { source: 'sample.ssim' });
    expect(f.legRecords).toHaveLength(514);
    expect(f.uniqueLegRecords).toHaveLength(514);
    expect(f.errors).toEqual([]);
    expect(f.header).toMatchObject({ line: 1, title: 'AIRLINE STANDARD SCHEDULE DATA SET', serial: 1 });
    expect(f.carriers.map((c) => [c.line, c.timeMode, c.airline, c.validFrom, c.validTo, c.creationDate])).toEqual([
      [6, 'L', 'XX', '2005-06-09', '2005-06-09', '2024-01-11'],
      [530, 'L', 'XX', '2005-10-30', '2005-10-30', '2024-01-11'],
    ]);
    expect(f.trailers.map((t) => [t.line, t.serialCheckReference, t.endCode, t.serial])).toEqual([[525, 515, 'E', 516], [537, 517, 'E', 518]]);
    const w = codes(f.warnings);
    expect(w).toContain('530:record:several_carrier_blocks');
    expect(w).toContain('530:serial:repeated_serial');
    expect(w).toContain('2:record:zero_padding');
    expect(w.filter((x) => x.endsWith('non_passenger_service'))).toHaveLength(5);
    expect(w).toContain('12:arrivalDateVariation:arrival_day_inferred');
    expect(w.some((x) => x.endsWith('trailer_check_mismatch') || x.endsWith('crlf_line_endings'))).toBe(false);
    expect(f.warnings.find((x) => x.code === 'zero_padding')!.message).toBe('lines 2–5: 4 all-zero padding line(s), skipped');
  });

  it('reads a record field by field', () => {
    const f = parseSsim(fixture('sample.ssim'));
    const { raw: _raw, ...first } = f.legRecords[0]!;
    expect(first).toEqual({
      line: 11, serial: 3, block: 0, timeMode: 'L', arrivalDayInferred: false, passenger: false,
      operationalSuffix: '', airline: 'XX', flightNumber: 41, itineraryVariation: 1, legSequence: 1, serviceType: 'F',
      periodFrom: '2005-06-09', periodTo: '2005-06-09', daysOfOperation: [4], frequencyRate: 1,
      departureStation: 'RUN', passengerStd: '21:30', aircraftStd: '21:30', departureUtcOffsetMinutes: 240, departureTerminal: '',
      arrivalStation: 'DZA', aircraftSta: '22:40', passengerSta: '22:40', arrivalUtcOffsetMinutes: 180, arrivalTerminal: '',
      aircraftType: '733', prbd: '', prbm: '', mealNote: '', jointOperationAirlines: '', onwardAirline: 'XX', onwardFlightNumber: 42,
      operatingDisclosure: '', trafficRestriction: '', aircraftConfiguration: 'W18Y112VVCGO', departureDateVariation: 0, arrivalDateVariation: 0,
    });
    const back = f.legRecords[1]!;
    expect(back).toMatchObject({ flightNumber: 42, passengerStd: '23:30', passengerSta: '02:30', arrivalDateVariation: 1, arrivalDayInferred: true });
    expect(f.legRecords.find((r) => r.line === 13)).toMatchObject({ flightNumber: 102, daysOfOperation: [1, 3, 5, 6], prbd: 'Y', passenger: true });
  });

  it('sample_with_duplicates.ssim yields 6 leg records, 4 unique, the repeats reported', () => {
    const f = parseSsim(fixture('sample_with_duplicates.ssim'));
    expect(f.legRecords).toHaveLength(6);
    expect(f.uniqueLegRecords).toHaveLength(4);
    expect(f.uniqueLegRecords.map((r) => r.line)).toEqual([11, 12, 15, 16]);
    expect(f.errors).toEqual([]);
    const repeats = f.warnings.filter((w) => w.code === 'repeated_record');
    expect(repeats.map((w) => [w.line, w.message])).toEqual([
      [13, 'flight-leg record repeats line 11 (identical but for the serial number); the repeat is ignored'],
      [14, 'flight-leg record repeats line 12 (identical but for the serial number); the repeat is ignored'],
    ]);
    expect(codes(f.warnings)).toEqual(expect.arrayContaining(['1:lineEnding:crlf_line_endings', '18:serialCheckReference:trailer_check_mismatch']));
  });
});

describe('parseSsim errors: the record is unusable, the rest is read', () => {
  const corrupt = (edit: (legLine: string) => string) => {
    const lines = linesOf(file([leg(), leg({ flightNumber: 401 })]));
    lines[2] = edit(lines[2]!);
    return parseSsim(lines.join('\n'));
  };
  const cases: [string, (l: string) => string, string, string][] = [
    ['wrong length', (l) => l.slice(0, 190), 'record', 'wrong_length'],
    ['impossible date', (l) => setField(l, LEG.periodFrom, '31JUN25'), 'periodFrom', 'impossible_date'],
    ['period ending before it starts', (l) => setField(l, LEG.periodTo, '01MAY25'), 'periodTo', 'impossible_period'],
    ['impossible day', (l) => setField(l, LEG.daysOfOperation, '1234568'), 'daysOfOperation', 'impossible_day'],
    ['impossible time', (l) => setField(l, LEG.passengerStd, '2460'), 'passengerStd', 'impossible_time'],
    ['impossible UTC variation', (l) => setField(l, LEG.arrivalUtcVariation, '-1600'), 'arrivalUtcVariation', 'impossible_utc_variation'],
    ['bad station', (l) => setField(l, LEG.arrivalStation, 'J1K'), 'arrivalStation', 'bad_station'],
    ['bad flight number', (l) => setField(l, LEG.flightNumber, '4X0'), 'flightNumber', 'bad_flight_number'],
    ['explicit arrival before departure', (l) => setField(setField(l, LEG.passengerSta, '0100'), LEG.arrivalDateVariation, '0'), 'arrivalDateVariation', 'arrival_before_departure'],
    ['unknown record type', (l) => `7${l.slice(1)}`, 'recordType', 'unknown_record_type'],
  ];
  for (const [what, edit, field, code] of cases) {
    it(`${what}: an error on line 3, field ${field}`, () => {
      const f = corrupt(edit);
      expect(f.errors.map((e) => [e.line, e.field, e.code])).toEqual([[3, field, code]]);
      expect(f.errors[0]!.raw).toBeDefined();
      expect(f.errors[0]!.message.length).toBeGreaterThan(10);
      expect(f.legRecords.map((r) => r.flightNumber)).toEqual([401]);
    });
  }

  it('reports every bad field of a record', () => {
    const f = corrupt((l) => setField(setField(l, LEG.passengerStd, '9999'), LEG.periodFrom, 'XXJUN25'));
    expect(f.errors.map((e) => e.field).sort()).toEqual(['passengerStd', 'periodFrom']);
  });
});

describe('parseSsim warnings: the record is used', () => {
  it('infers the next day when arrival precedes departure in UTC and the date variation is blank', () => {
    const lines = linesOf(file([leg({ passengerStd: '22:00', aircraftStd: '22:00', passengerSta: '05:30', aircraftSta: '05:30' })]));
    lines[2] = setField(lines[2]!, LEG.arrivalDateVariation, ' ');
    const f = parseSsim(lines.join('\n'));
    expect(f.legRecords[0]).toMatchObject({ arrivalDateVariation: 1, arrivalDayInferred: true });
    expect(codes(f.warnings)).toEqual(['3:arrivalDateVariation:arrival_day_inferred']);
  });

  it('keeps non-passenger and unknown service types, flagged', () => {
    const f = parseSsim(file([leg({ serviceType: 'F' }), leg({ flightNumber: 401, serviceType: 'Z' })]));
    expect(f.legRecords.map((r) => [r.serviceType, r.passenger])).toEqual([['F', false], ['Z', false]]);
    expect(codes(f.warnings)).toEqual(['3:serviceType:non_passenger_service', '4:serviceType:unknown_service_type']);
  });

  it('flags records that differ only by operational suffix', () => {
    const f = parseSsim(file([leg(), leg({ operationalSuffix: 'A' })]));
    expect(f.uniqueLegRecords).toHaveLength(2);
    expect(codes(f.warnings)).toEqual(['4:operationalSuffix:differs_only_by_suffix']);
  });

  it('flags non-positional days, legs before any carrier record and a bad serial', () => {
    const lines = linesOf(file());
    const legLine = setField(setField(lines[2]!, LEG.daysOfOperation, '135    '), [195, 200], 'ABCDEF');
    const f = parseSsim([lines[0], legLine, ...lines.slice(1)].join('\n'));
    expect(codes(f.warnings)).toEqual(expect.arrayContaining(['2:daysOfOperation:days_not_positional', '2:record:leg_before_carrier', '2:serial:bad_serial']));
    expect(f.legRecords[0]!.daysOfOperation).toEqual([1, 3, 5]);
  });

  it('reads segment records and refuses bad ones', () => {
    const lines = linesOf(file());
    const seg = setField(setField(setField(setField(lines[2]!.replace(/^3/, '4').slice(0, 14).padEnd(200, ' '), SEGMENT.dei, '010'), SEGMENT.boardPoint, 'FRA'), SEGMENT.offPoint, 'JFK'), SEGMENT.data, 'YY 1234/ZZ 77');
    const badSeg = setField(seg, SEGMENT.dei, '0X0');
    const f = parseSsim([...lines.slice(0, 3), seg, badSeg, ...lines.slice(3)].join('\n'));
    expect(f.segments).toHaveLength(1);
    expect(f.segments[0]).toMatchObject({ airline: 'XX', flightNumber: 400, itineraryVariation: 1, legSequence: 1, dei: 10, boardPoint: 'FRA', offPoint: 'JFK', data: 'YY 1234/ZZ 77' });
    expect(f.errors.map((e) => [e.line, e.field])).toEqual([[5, 'dei']]);
  });
});
