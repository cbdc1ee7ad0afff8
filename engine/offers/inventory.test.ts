import { describe, expect, it } from 'vitest';
import { buildInventoryIndex, nestedAvailability, seatsOpen } from './inventory';

describe('nested availability', () => {
  it('takes the tightest authorisation of the class and every class above it, net of sales at and below', () => {
    // AU: Y 100, M 60, Q 30; sold: Y 10, M 20, Q 25
    const a = nestedAvailability([
      { rbd: 'Q', rank: 2, sold: 25, authorised: 30, closed: false },
      { rbd: 'Y', rank: 0, sold: 10, authorised: 100, closed: false },
      { rbd: 'M', rank: 1, sold: 20, authorised: 60, closed: false },
    ]);
    // Y: 100 − 55 = 45; M: min(45, 60 − 45) = 15; Q: min(15, 30 − 25) = 5
    expect(Object.fromEntries(a)).toEqual({ Y: 45, M: 15, Q: 5 });
  });

  it('a closed class offers nothing; an oversold limit floors at zero and binds the classes below', () => {
    const a = nestedAvailability([
      { rbd: 'Y', rank: 0, sold: 0, authorised: 10, closed: false },
      { rbd: 'M', rank: 1, sold: 8, authorised: 5, closed: false },
      { rbd: 'Q', rank: 2, sold: 0, authorised: 9, closed: true },
    ]);
    expect(Object.fromEntries(a)).toEqual({ Y: 2, M: 0, Q: 0 });
  });

  it('indexes records by leg: unknown RBDs are closed, the bid price and cabin sales kept', () => {
    const idx = buildInventoryIndex([
      { flightId: 'F1', rbd: 'Y', cabin: 'Y', sold: 3, authorised: 50, status: 'open', bidPriceMinor: 4000, currency: 'EUR' },
      { flightId: 'F1', rbd: 'Z', cabin: 'Y', sold: 1, authorised: 50, status: 'open' },
    ], [{ carrier: 'DF', rbd: 'Y', cabin: 'Y', rank: 0 }], () => 'DF');
    expect(seatsOpen(idx, 'F1', 'Y')).toBe(47);
    expect(seatsOpen(idx, 'F1', 'Z')).toBe(0);
    expect(seatsOpen(idx, 'F2', 'Y')).toBe(0);
    expect(idx.legs.get('F1')!.bidPrice).toEqual({ amountMinor: 4000, currency: 'EUR' });
    expect(idx.legs.get('F1')!.soldByCabin.get('Y')).toBe(3);
  });
});
