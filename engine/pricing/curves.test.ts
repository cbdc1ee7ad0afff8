import { describe, expect, it } from 'vitest';
import { normaliseDcps } from '../forecasting/dcp';
import { buildCurves, buildOdCurves, odHistories } from './curves';

const DCPS = normaliseDcps([21, 14, 7, 3, 1]);
const dep = '2025-06-30T10:00:00.000Z';
const at = (dbd: number) => new Date(Date.parse(dep) - dbd * 86_400_000).toISOString();

describe('booking curves', () => {
  it('count bookings in the period of their booking time and cancellations in the period of their cancellation', () => {
    const c = buildCurves({ id: 'F1', departureUtc: dep }, ['Y', 'Q'], [
      { rbd: 'Q', passengers: 2, bookedAt: at(30), status: 'booked' },
      { rbd: 'Q', passengers: 1, bookedAt: at(21), status: 'cancelled', statusAt: at(5) },
      { rbd: 'Q', passengers: 1, bookedAt: at(10), status: 'booked' },
      { rbd: 'Y', passengers: 1, bookedAt: at(2), status: 'booked' },
    ], [{ rbd: 'Q', daysBeforeDeparture: 7, status: 'closed' }], DCPS, at(1.5));
    // periods: ≥21 | 14..21 | 7..14 | 3..7 | 1..3 | <1; at 1.5 days out the last two are not complete
    expect(c[1]).toMatchObject({ rbd: 'Q', gross: [3, 0, 1, 0, null, null], cancels: [0, 0, 0, 1, 0, 0], closed: [0, 0, 1, 1, 0, 0], shows: null });
    expect(c[0]!.gross).toEqual([0, 0, 0, 0, null, null]);
  });

  it('count an O&D journey once, on its first leg, per market, fare class and date', () => {
    const flights = [
      { id: 'A', origin: 'BOS', localDate: '2025-06-30', departureUtc: dep },
      { id: 'B', origin: 'ORD', localDate: '2025-06-30', departureUtc: '2025-06-30T14:00:00.000Z' },
    ];
    const seg = (flightId: string, rbd: string, dbd: number, o = 'BOS', d = 'LAX') => ({ flightId, rbd, passengers: 1, bookedAt: at(dbd), status: 'booked' as const, journeyOrigin: o, journeyDestination: d });
    const od = buildOdCurves(flights, [seg('A', 'Y3', 20), seg('B', 'Y3', 20), seg('A', 'Y3', 2), seg('A', 'Y1', 9), seg('B', 'Y3', 9, 'ORD', 'LAX')], DCPS, '2025-07-01T00:00:00Z');
    expect(od.map((c) => `${c.origin}-${c.destination}/${c.rbd}`)).toEqual(['BOS-LAX/Y1', 'BOS-LAX/Y3', 'ORD-LAX/Y3']);
    expect(od[1]!.gross).toEqual([0, 1, 0, 0, 1, 0]);
    const h = odHistories(od, DCPS.length).get('BOS-LAX|Y3')!;
    expect(h.departures).toBe(1);
    expect(Array.from(h.gross)).toEqual([0, 1, 0, 0, 1, 0]);
  });
});
