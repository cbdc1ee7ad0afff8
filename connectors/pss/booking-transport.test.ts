import { afterAll, describe, expect, it } from 'vitest';
import type { Booking } from '../../engine/domain/types';
import { packBookings, packedTransfers, unpackBookings } from './booking-transport';
import { DecodePool } from './decode-pool';
import { DECODERS } from './page-decoders';

/** A page of wire events (the PSS's booking-events body) with every optional field both present and absent. */
function wirePage(n: number): string {
  const events = Array.from({ length: n }, (_, i) => ({
    sequence: i + 1, event: i % 5 === 0 ? 'cancelled' : 'booked', occurredAt: `2026-03-01T10:${String(i % 60).padStart(2, '0')}:00Z`,
    bookingId: `B${i}-${i % 2 + 1}`, recordLocator: `R${String(i).padStart(5, '0')}`.slice(0, 6), flightId: `DF${100 + (i % 7)}/2026-04-0${1 + (i % 3)}/FRA`,
    rbd: 'YBMQ'[i % 4], cabin: i % 9 === 0 ? 'J' : 'Y', fareBasis: i % 3 === 0 ? null : `Q${i % 4}SAVER`, journeyOrigin: 'FRA', journeyDestination: i % 2 ? 'LHR' : 'JFK',
    pointOfSale: i % 4 ? 'DE' : 'GB', channel: ['direct', 'gds', 'ota'][i % 3], passengers: 1 + (i % 4), amount: i % 11 === 0 ? '0' : `${120 + i}.${String(i % 100).padStart(2, '0')}`,
    currency: i % 4 ? 'EUR' : 'GBP', bookedAt: `2026-02-${String(1 + (i % 28)).padStart(2, '0')}T08:00:00.000Z`, status: i % 5 === 0 ? 'cancelled' : 'booked',
    statusAt: i % 5 === 0 ? '2026-03-01T10:00:00.000Z' : null,
    ancillaries: i % 4 === 1 ? [{ code: 'BAG1', amount: '30.00', currency: 'EUR' }, { code: 'SEAT_XL', amount: '35.00', currency: 'EUR' }] : [],
  }));
  return JSON.stringify({ data: events, nextCursor: 'c-2', hasMore: true });
}

const pool = new DecodePool(1);
afterAll(() => pool.close());

describe('booking transport (decode worker → committing thread)', () => {
  it('gives back exactly the bookings it packed: fields, optional fields absent, key order', () => {
    const { records } = DECODERS.bookingEvents(wirePage(500), 1);
    expect(records.some((b) => b.fareBasis === undefined) && records.some((b) => b.statusAt !== undefined) && records.some((b) => b.ancillaries.length > 0)).toBe(true);
    const back = unpackBookings(packBookings(records));
    expect(back).toStrictEqual(records);
    expect(JSON.stringify(back)).toBe(JSON.stringify(records));
  });

  it('sends each repeated value once and the numbers as a movable buffer', () => {
    const { records } = DECODERS.bookingEvents(wirePage(1000), 1);
    const p = packBookings(records);
    // 21 flights, 4 classes, the cabin J (Y is the class's value), 4 fare bases, 3 airports, 2 points of sale, 3 channels, 2 currencies, 2 statuses
    expect(p.values.length).toBe(21 + 4 + 1 + 4 + 3 + 2 + 3 + 2 + 2);
    expect(packedTransfers(p).map((b) => b.byteLength)).toEqual([1000 * 10 * 4, 1000 * 2 * 8]);
  });

  it('keeps any value, even one that is not what the PSS sends (empty text, unicode, large amounts)', () => {
    const odd: Booking[] = [
      { id: 'é-1', recordLocator: '', flightId: 'X', rbd: '', cabin: 'Y', fareBasis: '', journeyOrigin: 'ÅÄÖ', journeyDestination: '😀', pointOfSale: 'DE', channel: 'c',
        passengers: 9, amountMinor: Number.MAX_SAFE_INTEGER, currency: 'EUR', bookedAt: 'b', status: 'no_show', statusAt: '', ancillaries: [] },
    ];
    expect(unpackBookings(packBookings(odd))).toStrictEqual(odd);
    expect(unpackBookings(packBookings([]))).toEqual([]);
  });

  it('through a worker, decodes a page to the same bookings as this thread does', async () => {
    const text = wirePage(2000);
    const inline = DECODERS.bookingEvents(text, 3);
    const viaWorker = await pool.decode('bookingEvents', Buffer.from(text), 3);
    expect(viaWorker).toStrictEqual(inline);
    expect(JSON.stringify(viaWorker.records)).toBe(JSON.stringify(inline.records));
  });
});
