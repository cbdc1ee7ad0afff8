import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { addDays, localToUtc } from '../../engine/domain/time';
import { flightId, type FlightLeg } from '../../engine/domain/types';
import type { PlannedLeg } from '../../engine/ports/schedule';
import { readSsimSchedule } from './expand';
import { parseSsim } from './parse';
import { leg, linesOf } from './test-support/build';
import { datedLegFromFlightLeg, legFieldsFromDatedLegs, writeSsim } from './write';
import type { SsimLegRecord } from './types';

const ZONES: Record<string, string> = { FRA: 'Europe/Berlin', JFK: 'America/New_York', LHR: 'Europe/London', SIN: 'Asia/Singapore' };
const base = { airline: 'XX', validFrom: '2025-03-01', validTo: '2025-05-31', creationDate: '2025-02-01' };

/** The fields a written and re-read record must keep. */
function content(r: SsimLegRecord) {
  const { line: _l, serial: _s, block: _b, raw: _r, timeMode: _t, arrivalDayInferred: _a, ...rest } = r;
  return rest;
}
const essentials = (l: PlannedLeg | FlightLeg) => ({
  id: l.id, origin: l.origin, destination: l.destination, localDate: l.localDate, departureUtc: l.departureUtc, arrivalUtc: l.arrivalUtc,
  aircraft: l.aircraft, cabins: l.cabins,
});

/** A FlightLeg departing at a local wall time, as the simulator would hold it. */
function flight(carrier: string, n: number, origin: string, destination: string, date: string, dep: string, blockMinutes: number): FlightLeg {
  const departureUtc = localToUtc(date, dep, ZONES[origin]!);
  const arrivalUtc = new Date(Date.parse(departureUtc) + blockMinutes * 60_000).toISOString();
  return { id: flightId(carrier, n, date, origin), carrier, flightNumber: n, origin, destination, localDate: date, departureUtc, arrivalUtc, aircraft: '359', cabins: [{ cabin: 'J', capacity: 30 }, { cabin: 'Y', capacity: 263 }] };
}

describe('writeSsim', () => {
  it('writes 200-byte records with serials, a trailer check and the header title', () => {
    const text = writeSsim({ ...base, legs: [leg(), leg({ flightNumber: 401 })] });
    const lines = linesOf(text);
    expect(lines.every((l) => l.length === 200)).toBe(true);
    expect(lines.map((l) => `${l[0]}${l.slice(194)}`)).toEqual(['1000001', '2000002', '3000003', '3000004', '5000005']);
    expect(lines[4]!.slice(187, 194)).toBe('000004E');
    const f = parseSsim(text);
    expect(f.errors).toEqual([]);
    expect(f.warnings).toEqual([]);
  });

  it('pads to blocks of five records and writes CRLF when asked; the reader copes', () => {
    const text = writeSsim({ ...base, legs: [leg()], padBlocks: true, lineEnding: '\r\n' });
    const lines = text.split('\r\n').slice(0, -1);
    expect(lines).toHaveLength(20);
    const f = parseSsim(text);
    expect(f.legRecords).toHaveLength(1);
    expect(f.errors).toEqual([]);
    expect(new Set(f.warnings.map((w) => w.code))).toEqual(new Set(['zero_padding', 'crlf_line_endings']));
  });

  it('refuses values that do not fit, naming the field', () => {
    expect(() => writeSsim({ ...base, legs: [leg({ flightNumber: 12345 })] })).toThrow(/flightNumber 12345 does not fit 4 digits/);
    expect(() => writeSsim({ ...base, legs: [leg({ aircraftType: 'A359' })] })).toThrow(/aircraftType "A359" is longer than its 3 bytes/);
    expect(() => writeSsim({ ...base, legs: [leg()], segments: [{ operationalSuffix: '', airline: 'XX', flightNumber: 9, itineraryVariation: 1, legSequence: 1, serviceType: 'J', boardPointIndicator: ' ', offPointIndicator: ' ', dei: 10, boardPoint: 'FRA', offPoint: 'JFK', data: 'YY 1' }] }))
      .toThrow(/segment data \(DEI 10\) for XX9 itinerary 1 has no flight leg/);
  });

  it('round-trips the real sample: read → write → read gives the same records and the same dated legs', () => {
    const original = readSsimSchedule(fs.readFileSync(path.join(__dirname, 'fixtures', 'sample.ssim')), { source: 'sample.ssim' });
    const rewritten = writeSsim({ airline: 'XX', validFrom: '2005-05-01', validTo: '2005-10-30', creationDate: '2024-01-11', legs: original.file.uniqueLegRecords });
    const again = readSsimSchedule(rewritten, { source: 'rewritten.ssim' });
    expect(again.errors).toEqual([]);
    expect(again.file.legRecords.map(content)).toEqual(original.file.uniqueLegRecords.map(content));
    expect(again.legs.map(essentials)).toEqual(original.legs.map(essentials));
  });
});

describe('dated legs → SSIM → dated legs', () => {
  it('folds a schedule into period records and expands back to exactly the same legs, across a DST change', () => {
    const legs: FlightLeg[] = [];
    for (let d = 0; d < 92; d++) {
      const date = addDays('2025-03-01', d);
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      legs.push(flight('XX', 400, 'FRA', 'JFK', date, '10:00', 510));
      if (weekday !== 2) legs.push(flight('XX', 401, 'JFK', 'FRA', date, '18:30', 455)); // overnight, not on Tuesdays
      if (weekday === 1 || weekday === 5) legs.push(flight('XX', 12, 'LHR', 'SIN', date, '21:15', 790));
    }
    const records = legFieldsFromDatedLegs(legs.map((l) => datedLegFromFlightLeg(l, (a) => ZONES[a]!)));
    expect(records.length).toBeLessThan(20); // periods, not one record per day
    const s = readSsimSchedule(writeSsim({ ...base, legs: records }));
    expect(s.errors).toEqual([]);
    expect(s.warnings).toEqual([]);
    const sortById = <T extends { id: string }>(x: T[]) => [...x].sort((a, b) => a.id.localeCompare(b.id));
    expect(sortById(s.legs).map(essentials)).toEqual(sortById(legs).map(essentials));
  });

  it('holds for any set of operating dates (property)', () => {
    fc.assert(fc.property(
      fc.uniqueArray(fc.integer({ min: 0, max: 120 }), { minLength: 1, maxLength: 60 }),
      fc.constantFrom('06:05', '13:40', '23:55'),
      (offsets, dep) => {
        const legs = offsets.map((o) => flight('XX', 77, 'FRA', 'LHR', addDays('2025-01-01', o), dep, 100));
        const records = legFieldsFromDatedLegs(legs.map((l) => datedLegFromFlightLeg(l, (a) => ZONES[a]!)));
        const s = readSsimSchedule(writeSsim({ ...base, validFrom: '2025-01-01', validTo: '2025-05-01', legs: records }));
        const got = s.legs.map((l) => `${l.id} ${l.departureUtc} ${l.arrivalUtc}`).sort();
        const want = legs.map((l) => `${l.id} ${l.departureUtc} ${l.arrivalUtc}`).sort();
        expect(s.errors).toEqual([]);
        expect(got).toEqual(want);
      },
    ), { numRuns: 60, seed: 20250301 });
  });

  it('refuses two legs that are the same departure', () => {
    const l = datedLegFromFlightLeg(flight('XX', 1, 'FRA', 'LHR', '2025-03-03', '08:00', 100), (a) => ZONES[a]!);
    expect(() => legFieldsFromDatedLegs([l, { ...l, departureLocalTime: '09:00' }])).toThrow(/same departure XX1 2025-03-03 from FRA/);
  });
});
