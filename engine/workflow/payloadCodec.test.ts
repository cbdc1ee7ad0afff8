import { describe, expect, it } from 'vitest';
import { decodePayload, decodePushPayload, encodePayload, encodePushPayload, type PayloadRow } from './payloadCodec';
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

describe('outbox payload storage', () => {
  const pushed = (p: unknown) => JSON.stringify(decodePushPayload(encodePushPayload(p)));

  it('stores what the PSS receives (the Fare, the InventoryControl) by position, and gives back the same JSON', () => {
    const f = (fare as { fare: object }).fare;
    const c = (control as { control: object }).control;
    expect(JSON.parse(encodePushPayload(f))).toEqual(['fare', 'DF', 'FRA', 'ORD', 'H', 'Y', 'HCL', 'DE', 'EUR', 102700, '2026-04-28', '2026-04-28', 'DF102/2026-04-28/FRA']);
    expect(JSON.parse(encodePushPayload(c))).toEqual(['control', 'DF100/2026-04-05/FRA', 'L', 'Y', 23, null, null, null]);
    expect(encodePushPayload(f).length).toBeLessThan(0.5 * JSON.stringify(f).length);
    for (const p of [f, c, { ...c, authorised: null, bidPriceMinor: 20245, currency: 'EUR' }]) expect(pushed(p)).toBe(JSON.stringify(p));
  });

  it('stores any other shape as its JSON, reads the items written before, and refuses an array it does not know', () => {
    const f = (fare as unknown as { fare: Record<string, unknown> }).fare;
    const { flightId: _omit, ...network } = f;
    for (const p of [network, { ...f, extra: 1 }, { ...f, rbd: undefined }, { currency: 'EUR', ...f }, [1, 2], 'text', null, 7]) {
      expect(encodePushPayload(p)).toBe(JSON.stringify(p === undefined ? null : p));
      if (!Array.isArray(p)) expect(pushed(p)).toBe(JSON.stringify(p));
    }
    expect(decodePushPayload(JSON.stringify(f))).toEqual(f);
    expect(Object.keys(decodePushPayload(encodePushPayload(f)) as object)).toEqual(Object.keys(f));
    expect(() => decodePushPayload('["fare",1,2]')).toThrow(/outbox payload: stored as fare with 2 values/);
    expect(() => decodePushPayload('["seat_map",1]')).toThrow(/stored as seat_map/);
  });
});

describe('decision payload stored relative to its row', () => {
  const fareRow: PayloadRow = {
    kind: 'fare', carrier: 'DF', origin: 'FRA', destination: 'ORD', flight_id: 'DF102/2026-04-28/FRA', travel_date: '2026-04-28', travel_date_to: '2026-04-28',
    cabin: 'Y', rbd: 'H', currency: 'EUR', proposed_value: 102700,
  };
  const controlRow: PayloadRow = { ...fareRow, kind: 'authorisation', flight_id: 'DF100/2026-04-05/FRA', travel_date: '2026-04-05', travel_date_to: '2026-04-05', rbd: 'L', currency: null, proposed_value: 23 };

  it('keeps only what the row does not hold, and gives back the same JSON with the row', () => {
    expect(JSON.parse(encodePayload(fare, fareRow))).toEqual(['fare@', 'HCL', 'DE']);
    expect(JSON.parse(encodePayload(control, controlRow))).toEqual(['authorisation@', null, null]);
    const bid: DecisionPayload = { kind: 'bid_price', control: { ...(control as { control: object }).control, authorised: null, bidPriceMinor: 20245, currency: 'EUR' } as never };
    const bidRow: PayloadRow = { ...controlRow, kind: 'bid_price', currency: 'EUR', proposed_value: 20245 };
    expect(JSON.parse(encodePayload(bid, bidRow))).toEqual(['bid_price@', null, null]);
    for (const [p, row] of [[fare, fareRow], [control, controlRow], [bid, bidRow]] as const) {
      expect(JSON.stringify(decodePayload(encodePayload(p, row), row))).toBe(JSON.stringify(p));
    }
    expect(encodePayload(fare, fareRow).length).toBeLessThan(25);
  });

  it('stores by position when any field differs from its column (value or type), and refuses to read a relative payload without its row', () => {
    const differs: PayloadRow[] = [
      { ...fareRow, proposed_value: 102701 }, { ...fareRow, travel_date_to: '2026-04-29' }, { ...fareRow, flight_id: '' }, { ...fareRow, carrier: 'P5' },
      { ...fareRow, currency: null }, { ...fareRow, kind: 'authorisation' }, { ...fareRow, proposed_value: '102700' as unknown as number },
    ];
    for (const row of differs) {
      expect(encodePayload(fare, row)).toBe(encodePayload(fare));
      expect(JSON.stringify(decodePayload(encodePayload(fare, row), row))).toBe(JSON.stringify(fare));
    }
    expect(() => decodePayload(encodePayload(fare, fareRow))).toThrow(/relative to its decision's row/);
    expect(() => decodePayload('["fare@","HCL"]', fareRow)).toThrow(/stored as fare@ with 1 values/);
    // rows written before (positional, or JSON) read as they are, with or without the row
    expect(decodePayload(encodePayload(fare), fareRow)).toEqual(fare);
    expect(decodePayload(JSON.stringify(fare), fareRow)).toEqual(fare);
  });
});
