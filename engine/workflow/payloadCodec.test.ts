import { describe, expect, it } from 'vitest';
import { decodePayload, encodePayload } from './payloadCodec';
import type { DecisionPayload } from './types';

const fare: DecisionPayload = {
  kind: 'fare',
  fare: {
    carrier: 'DF', origin: 'FRA', destination: 'ORD', rbd: 'H', cabin: 'Y', fareBasis: 'HCL', pointOfSale: 'DE', currency: 'EUR',
    amountMinor: 102700, validFrom: '2026-04-28', validTo: '2026-04-28', flightId: 'DF102/2026-04-28/FRA',
  },
};
const control: DecisionPayload = {
  kind: 'authorisation',
  control: { flightId: 'DF100/2026-04-05/FRA', rbd: 'L', cabin: 'Y', authorised: 23, status: null, bidPriceMinor: null, currency: null },
};

const roundTrip = (p: DecisionPayload) => JSON.stringify(decodePayload(encodePayload(p)));

describe('decision payload storage', () => {
  it('stores the workflow\'s payloads by position, in about 40 % of their JSON, and gives back the same JSON', () => {
    expect(JSON.parse(encodePayload(fare))).toEqual(['fare', 'DF', 'FRA', 'ORD', 'H', 'Y', 'HCL', 'DE', 'EUR', 102700, '2026-04-28', '2026-04-28', 'DF102/2026-04-28/FRA']);
    expect(encodePayload(fare).length).toBeLessThan(0.45 * JSON.stringify(fare).length);
    expect(JSON.parse(encodePayload(control))).toEqual(['authorisation', 'DF100/2026-04-05/FRA', 'L', 'Y', 23, null, null, null]);
    const bid: DecisionPayload = { kind: 'bid_price', control: { ...control.control, authorised: null, bidPriceMinor: 20245, currency: 'EUR' } };
    for (const p of [fare, control, bid]) expect(roundTrip(p)).toBe(JSON.stringify(p));
  });

  it('stores any other payload as its JSON, as before, and reads the rows written before', () => {
    const { flightId: _omit, ...network } = fare.fare;
    const others = [
      { kind: 'fare', fare: network }, // a fare for every flight of the dates
      { kind: 'fare', fare: { ...fare.fare, flightId: undefined } },
      { fare: fare.fare, kind: 'fare' },
      { kind: 'fare', fare: { ...fare.fare, extra: 1 } },
      { kind: 'authorisation', control: { ...control.control, rbd: undefined } },
    ] as unknown as DecisionPayload[];
    for (const p of others) {
      expect(encodePayload(p)).toBe(JSON.stringify(p));
      expect(roundTrip(p)).toBe(JSON.stringify(p));
    }
    expect(decodePayload(JSON.stringify(fare))).toEqual(fare);
    expect(() => decodePayload('["fare",1,2]')).toThrow(/decision payload: stored as fare with 2 values/);
    expect(() => decodePayload('["seat_map",1]')).toThrow(/stored as seat_map/);
  });
});
