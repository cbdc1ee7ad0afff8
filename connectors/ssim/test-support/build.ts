/** Test support: leg records to write, and byte-level edits of written records. Only tests import this. */
import type { Span } from '../layout';
import type { SsimLegFields } from '../types';

/** A valid passenger leg FRA→JFK, daily in June 2025; override what the test is about. */
export function leg(overrides: Partial<SsimLegFields> = {}): SsimLegFields {
  return {
    operationalSuffix: '', airline: 'XX', flightNumber: 400, itineraryVariation: 1, legSequence: 1, serviceType: 'J',
    periodFrom: '2025-06-01', periodTo: '2025-06-30', daysOfOperation: [1, 2, 3, 4, 5, 6, 7], frequencyRate: 1,
    departureStation: 'FRA', passengerStd: '10:00', aircraftStd: '10:00', departureUtcOffsetMinutes: 120, departureTerminal: '1',
    arrivalStation: 'JFK', aircraftSta: '12:30', passengerSta: '12:30', arrivalUtcOffsetMinutes: -240, arrivalTerminal: '4',
    aircraftType: '359', prbd: 'JCDZPYBMHQKLVS', prbm: '', mealNote: '', jointOperationAirlines: '', onwardAirline: '', onwardFlightNumber: null,
    operatingDisclosure: '', trafficRestriction: '', aircraftConfiguration: 'J30Y263', departureDateVariation: 0, arrivalDateVariation: 0,
    ...overrides,
  };
}

/** Replaces a field's bytes in a record (the value is padded or must fit). */
export function setField(record: string, [first, last]: Span, value: string): string {
  const width = last - first + 1;
  if (value.length > width) throw new Error(`value "${value}" is wider than ${width}`);
  return record.slice(0, first - 1) + value.padEnd(width, ' ') + record.slice(last);
}

/** The file's lines (without the final empty one). */
export function linesOf(text: string): string[] {
  const l = text.split('\n');
  if (l.at(-1) === '') l.pop();
  return l;
}
