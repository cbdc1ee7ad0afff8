import { describe, expect, it } from 'vitest';
import { compactKeys, expandKeys } from './compactKeys';

const trip = (v: unknown) => expandKeys(JSON.parse(JSON.stringify(compactKeys(v))));

describe('compact keys', () => {
  it('round-trips any JSON value exactly, key order included', () => {
    const values: unknown[] = [
      null, 3, 'x', [1, [2, { a: 1 }]], {},
      { flightId: 'XX1/2025-01-01/FRA', cabin: 'Y', competitor: { strategy: 'match', rates: { USD: { rate: 1.1, date: '2025-01-01' } }, carriers: ['AA', 'BA'] } },
      // keys outside the dictionary, one that looks like a code, one with the escape character, integer-like ones, an empty one
      { zz: 1, a: 2, '~b': 3, '10': 4, '2': 5, '': 6, nested: { sold: 1, unknown: [{ note: null }] } },
    ];
    for (const v of values) expect(JSON.stringify(trip(v))).toBe(JSON.stringify(v));
  });

  it('leaves out undefined values as JSON does, and the outermost keys it is told to', () => {
    expect(trip({ a: undefined, sold: 1 })).toEqual({ sold: 1 });
    expect(expandKeys(compactKeys({ flightId: 'F', cabin: 'Y', sold: 2, competitor: { cabin: 'kept' } }, new Set(['flightId', 'cabin'])))).toEqual({ sold: 2, competitor: { cabin: 'kept' } });
  });

  it('writes a known key as a letter code and an unknown one escaped', () => {
    expect(compactKeys({ flightId: 1, sold: 2, other: 3 })).toEqual({ a: 1, h: 2, '~other': 3 });
    expect(JSON.stringify(compactKeys({ authorisationDetails: { physicalCapacity: 156 } })).length).toBeLessThan(JSON.stringify({ authorisationDetails: { physicalCapacity: 156 } }).length / 2);
  });

  it('refuses a code it does not know, naming it', () => {
    expect(() => expandKeys({ ZZ: 1 })).toThrow(/unknown key code "ZZ"/);
  });
});
