import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { cabinsFromConfiguration, expandSsim, passengerSchedule, readSsimSchedule, toQuarantine } from './expand';
import { parseSsim } from './parse';
import { leg, linesOf } from './test-support/build';
import { writeSsim, type SsimWriteOptions } from './write';
import type { SsimSegmentFields } from './types';

const base = { airline: 'XX', validFrom: '2025-06-01', validTo: '2025-06-30', creationDate: '2025-05-01' };
const schedule = (opts: Partial<SsimWriteOptions> & Pick<SsimWriteOptions, 'legs'>) => readSsimSchedule(writeSsim({ ...base, ...opts }), { source: 't.ssim' });
const segment = (o: Partial<SsimSegmentFields>): SsimSegmentFields => ({
  operationalSuffix: '', airline: 'XX', flightNumber: 400, itineraryVariation: 1, legSequence: 1, serviceType: 'J',
  boardPointIndicator: ' ', offPointIndicator: ' ', dei: 10, boardPoint: 'FRA', offPoint: 'JFK', data: '', ...o,
});

describe('expandSsim on sample.ssim', () => {
  const s = readSsimSchedule(fs.readFileSync(path.join(__dirname, 'fixtures', 'sample.ssim')), { source: 'sample.ssim' });

  it('expands every record to dated legs with UTC instants from the UTC variations', () => {
    expect(s.errors).toEqual([]);
    expect(s.legs).toHaveLength(3070);
    expect(new Set(s.legs.map((l) => l.id)).size).toBe(3070);
    expect(s.legs[0]).toMatchObject({
      id: 'XX41/2005-06-09/RUN', origin: 'RUN', destination: 'DZA', localDate: '2005-06-09',
      departureUtc: '2005-06-09T17:30:00.000Z', arrivalUtc: '2005-06-09T19:40:00.000Z', aircraft: '733',
      cabins: [{ cabin: 'W', capacity: 18 }, { cabin: 'Y', capacity: 112 }], serviceType: 'F', passenger: false, sourceRef: 'sample.ssim line 11',
    });
    // DZA 23:30 (+03) → RUN 02:30 (+04) with a blank date variation: arrives the next local day
    expect(s.legs[1]).toMatchObject({ departureUtc: '2005-06-09T20:30:00.000Z', arrivalUtc: '2005-06-09T22:30:00.000Z', arrivalLocalDate: '2005-06-10', arrivalLocalTime: '02:30' });
    for (const l of s.legs) expect(Date.parse(l.arrivalUtc)).toBeGreaterThan(Date.parse(l.departureUtc));
  });

  it('applies the period and the days of operation', () => {
    // 23MAY05–13JUN05 on days 1 3 5 6: Mondays 23, 30 May, 6, 13 Jun; Wednesdays 25 May, 1, 8 Jun; Fridays 27 May, 3, 10 Jun; Saturdays 28 May, 4, 11 Jun
    const dates = s.legs.filter((l) => l.flightNumber === 102 && l.itineraryVariation === 1).map((l) => l.localDate);
    expect(dates).toEqual(['2005-05-23', '2005-05-25', '2005-05-27', '2005-05-28', '2005-05-30', '2005-06-01', '2005-06-03', '2005-06-04',
      '2005-06-06', '2005-06-08', '2005-06-10', '2005-06-11', '2005-06-13']);
  });

  it('keeps non-passenger legs out of the passenger schedule', () => {
    const pax = passengerSchedule(s.legs);
    expect(s.legs.length - pax.length).toBe(5);
    expect(new Set(s.legs.filter((l) => !l.passenger).map((l) => l.serviceType))).toEqual(new Set(['F', 'P', 'K']));
  });
});

describe('expandSsim on generated files', () => {
  it('honours the frequency rate (every second week from the period start)', () => {
    const s = schedule({ legs: [leg({ daysOfOperation: [1], frequencyRate: 2 })] });
    expect(s.legs.map((l) => l.localDate)).toEqual(['2025-06-02', '2025-06-16', '2025-06-30']);
  });

  it('reads UTC-mode files: times are UTC, local times derived from the variation', () => {
    const s = schedule({ timeMode: 'U', legs: [leg({ periodFrom: '2025-06-02', periodTo: '2025-06-02', passengerStd: '22:30', aircraftStd: '22:30', passengerSta: '23:50', aircraftSta: '23:50', departureUtcOffsetMinutes: 120, arrivalUtcOffsetMinutes: -240 })] });
    expect(s.legs[0]).toMatchObject({
      id: 'XX400/2025-06-03/FRA', localDate: '2025-06-03', departureLocalTime: '00:30', departureUtc: '2025-06-02T22:30:00.000Z',
      arrivalUtc: '2025-06-02T23:50:00.000Z', arrivalLocalDate: '2025-06-02', arrivalLocalTime: '19:50',
    });
  });

  it('uses date variations: a second leg leaving the day after the flight date', () => {
    const s = schedule({ legs: [
      leg({ periodFrom: '2025-06-02', periodTo: '2025-06-02', arrivalStation: 'DXB', passengerSta: '23:00', aircraftSta: '23:00', arrivalUtcOffsetMinutes: 240 }),
      leg({ periodFrom: '2025-06-02', periodTo: '2025-06-02', legSequence: 2, departureStation: 'DXB', passengerStd: '01:30', aircraftStd: '01:30', departureUtcOffsetMinutes: 240, arrivalStation: 'SIN', passengerSta: '12:45', aircraftSta: '12:45', arrivalUtcOffsetMinutes: 480, departureDateVariation: 1, arrivalDateVariation: 1 }),
    ] });
    expect(s.legs.map((l) => [l.id, l.departureUtc, l.arrivalUtc])).toEqual([
      ['XX400/2025-06-02/FRA', '2025-06-02T08:00:00.000Z', '2025-06-02T19:00:00.000Z'],
      ['XX400/2025-06-03/DXB', '2025-06-02T21:30:00.000Z', '2025-06-03T04:45:00.000Z'],
    ]);
  });

  it('ends open periods at the carrier validity or at openEndedUntil, and clips to from/to', () => {
    const text = writeSsim({ ...base, legs: [leg({ periodFrom: '2025-06-25', periodTo: null })] });
    expect(readSsimSchedule(text).legs.map((l) => l.localDate)).toEqual(['2025-06-25', '2025-06-26', '2025-06-27', '2025-06-28', '2025-06-29', '2025-06-30']);
    expect(readSsimSchedule(text, { openEndedUntil: '2025-07-02', from: '2025-06-29' }).legs.map((l) => l.localDate)).toEqual(['2025-06-29', '2025-06-30', '2025-07-01', '2025-07-02']);
  });

  it('reads codeshares: DEI 10 marketing flights, DEI 50 operating flight, DEI 2 operating airline, DEI 127 disclosure', () => {
    const s = schedule({
      legs: [leg(), leg({ airline: 'XX', flightNumber: 7100, serviceType: 'J' }), leg({ flightNumber: 8200 })],
      segments: [
        segment({ dei: 10, data: 'YY 1234/ZZ77/QQ' }),
        segment({ flightNumber: 7100, dei: 50, data: 'AB 915' }),
        segment({ flightNumber: 7100, dei: 127, data: 'OPERATED BY AB AIRWAYS' }),
        segment({ flightNumber: 8200, dei: 2, data: 'CD' }),
      ],
    });
    expect(s.errors).toEqual([]);
    const agreements = s.codeshares.map((c) => `${c.marketingCarrier}${c.marketingFlightNumber ?? ''}>${c.operatingCarrier}${c.operatingFlightNumber ?? ''} ${c.origin}-${c.destination} ${c.validFrom}/${c.validTo}`);
    expect(agreements).toEqual([
      'YY1234>XX400 FRA-JFK 2025-06-01/2025-06-30',
      'ZZ77>XX400 FRA-JFK 2025-06-01/2025-06-30',
      'QQ>XX400 FRA-JFK 2025-06-01/2025-06-30',
      'XX7100>AB915 FRA-JFK 2025-06-01/2025-06-30',
      'XX8200>CD FRA-JFK 2025-06-01/2025-06-30',
    ]);
    expect(s.codeshares[0]!.sourceRef).toBe('t.ssim line 4 (DEI 10)');
    const marketing = s.legs.find((l) => l.flightNumber === 7100)!;
    expect(marketing).toMatchObject({ operatingCarrier: 'AB', operatingFlightNumber: 915 });
    expect(s.legs.find((l) => l.flightNumber === 8200)).toMatchObject({ operatingCarrier: 'CD' });
    expect(s.legs.find((l) => l.flightNumber === 8200)!.operatingFlightNumber).toBeUndefined();
    expect(s.legs.find((l) => l.flightNumber === 400)!.operatingCarrier).toBeUndefined();
    expect(s.disclosures).toEqual([{ airline: 'XX', flightNumber: 7100, line: 7, text: 'OPERATED BY AB AIRWAYS' }]);
  });

  it('refuses unreadable codeshare data and ignores segment data without a leg', () => {
    const lines = linesOf(writeSsim({ ...base, legs: [leg(), leg({ flightNumber: 500 })], segments: [segment({ dei: 10, data: '12345 ???' }), segment({ flightNumber: 500, dei: 50, data: 'AB' })] }));
    const f = parseSsim(lines.join('\n'));
    f.uniqueLegRecords.splice(1, 1); // drop flight 500's leg: its segment has no leg now
    const s = expandSsim(f);
    expect(s.errors.map((e) => [e.line, e.field, e.code])).toEqual([[4, 'data', 'bad_dei_data']]);
    expect(s.warnings.map((w) => [w.line, w.code])).toEqual([[6, 'segment_without_leg']]);
    expect(s.codeshares).toEqual([]);
    const q = toQuarantine('t.ssim', s.errors);
    expect(q).toEqual([{ source: 'ssim t.ssim', location: 'line 4', field: 'data', reason: s.errors[0]!.message, payload: lines[3] }]);
  });

  it('keeps the first of two records producing the same dated leg, and says so', () => {
    const s = schedule({ legs: [leg(), leg({ itineraryVariation: 2, periodFrom: '2025-06-29', passengerSta: '12:40', aircraftSta: '12:40' })] });
    expect(s.legs).toHaveLength(30);
    expect(s.warnings.map((w) => [w.line, w.code, w.message])).toEqual([[4, 'duplicate_dated_leg', "2 dated leg(s) of this record were already produced by line 3 (same flight, date and origin); line 3's are kept"]]);
  });

  it('reads cabins from the aircraft configuration', () => {
    expect(cabinsFromConfiguration('J14W34Y316VV364')).toEqual([{ cabin: 'J', capacity: 14 }, { cabin: 'W', capacity: 34 }, { cabin: 'Y', capacity: 316 }]);
    expect(cabinsFromConfiguration('')).toEqual([]);
    expect(cabinsFromConfiguration('VV364')).toEqual([]);
  });
});
