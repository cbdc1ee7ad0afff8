import { describe, expect, it } from 'vitest';
import type { FlightLeg } from '../domain/types';
import { buildScheduleIndex, DEFAULT_ITINERARY_SETTINGS, findItineraries, type ItinerarySettings } from './schedule';

function leg(id: string, origin: string, destination: string, dep: string, arr: string, extra: Partial<FlightLeg> = {}): FlightLeg {
  return { id, carrier: 'DF', flightNumber: Number(id.replace(/\D/g, '')) || 1, origin, destination, localDate: dep.slice(0, 10), departureUtc: dep, arrivalUtc: arr, cabins: [{ cabin: 'Y', capacity: 100 }], ...extra };
}

const legs = [
  leg('A1', 'AAA', 'HUB', '2026-03-01T06:00:00Z', '2026-03-01T07:00:00Z'),
  leg('A2', 'AAA', 'HUB', '2026-03-01T12:00:00Z', '2026-03-01T13:00:00Z'),
  leg('B1', 'HUB', 'BBB', '2026-03-01T07:30:00Z', '2026-03-01T09:00:00Z'), // 30 min after A1: below the hub's 45
  leg('B2', 'HUB', 'BBB', '2026-03-01T08:00:00Z', '2026-03-01T09:30:00Z'), // 60 min after A1
  leg('B3', 'HUB', 'BBB', '2026-03-01T14:00:00Z', '2026-03-01T15:30:00Z'), // 7 h after A1, 60 min after A2
  leg('D1', 'AAA', 'BBB', '2026-03-01T09:00:00Z', '2026-03-01T10:30:00Z'),
  leg('X1', 'AAA', 'OTH', '2026-03-01T06:00:00Z', '2026-03-01T07:00:00Z'),
  leg('X2', 'OTH', 'BBB', '2026-03-01T08:00:00Z', '2026-03-01T09:00:00Z'),
  leg('C1', 'AAA', 'BBB', '2026-03-01T10:00:00Z', '2026-03-01T11:30:00Z', { carrier: 'ZZ' }), // a competitor's: not ours to sell
  leg('J1', 'AAA', 'BBB', '2026-03-01T11:00:00Z', '2026-03-01T12:30:00Z', { cabins: [{ cabin: 'J', capacity: 8 }] }),
];
const index = buildScheduleIndex(legs, ['DF']);
const q = { origin: 'AAA', destination: 'BBB', localDate: '2026-03-01', cabin: 'Y', nowMs: Date.parse('2026-02-01T00:00:00Z') };
const settings: ItinerarySettings = { ...DEFAULT_ITINERARY_SETTINGS, minConnectMinutes: { HUB: 45 }, maxConnectMinutes: 360, connectionPoints: ['HUB'] };
const ids = (s = settings, query = q) => findItineraries(index, query, s).map((it) => it.legs.map((l) => l.id).join('+'));

describe('itineraries', () => {
  it('non-stop and hub connections within the minimum and maximum connecting times, by departure', () => {
    expect(ids()).toEqual(['A1+B2', 'D1', 'A2+B3']);
    const a1b2 = findItineraries(index, q, settings)[0]!;
    expect(a1b2.connections).toEqual([{ airport: 'HUB', minutes: 60 }]);
  });

  it('connects only at the allowed points, or anywhere when none are set', () => {
    // same departure: the earlier arrival first
    expect(ids({ ...settings, connectionPoints: undefined })).toEqual(['X1+X2', 'A1+B2', 'D1', 'A2+B3']);
    expect(ids({ ...settings, maxLegs: 1 })).toEqual(['D1']);
  });

  it('widening the maximum connection time admits the long connection; a shorter MCT admits the tight one', () => {
    expect(ids({ ...settings, maxConnectMinutes: 480 })).toEqual(['A1+B2', 'A1+B3', 'D1', 'A2+B3']);
    expect(ids({ ...settings, minConnectMinutes: { HUB: 30 } })).toEqual(['A1+B1', 'A1+B2', 'D1', 'A2+B3']);
  });

  it('needs the cabin on every leg and stops selling at the cutoff', () => {
    expect(ids(settings, { ...q, cabin: 'J' })).toEqual(['J1']);
    expect(ids(settings, { ...q, nowMs: Date.parse('2026-03-01T08:30:00Z') })).toEqual(['A2+B3']);
  });
});
