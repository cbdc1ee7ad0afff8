/**
 * A sandbox market with a long booking log: the simulated market's own booking events, then `extra`
 * generated ones (new bookings on the market's flights, each a copy of a real event with its own booking
 * id `LD<sequence>` and record locator), served page by page without ever being held in memory. The
 * PSS's booking-event stream (GET /v1/booking-events) reads this log, so a sync of it streams
 * `lastBookingSequence()` events.
 */
import type { BookingEvent, LogPage, SandboxMarket } from '../../../connectors/sandbox/market';

export const LOAD_BOOKING_PREFIX = 'LD';

export function withLongBookingLog<M extends SandboxMarket>(market: M, extra: number): M {
  const real = market.lastBookingSequence();
  const templates = market.bookingEvents(0, 5_000).items.filter((e) => e.event === 'booked');
  if (templates.length === 0) throw new Error('the market has no booking to copy: build it with some history');
  const generated = (sequence: number): BookingEvent => {
    const t = templates[sequence % templates.length]!;
    const id = `${LOAD_BOOKING_PREFIX}${sequence}`;
    const { statusAt: _unused, ...booking } = t.booking;
    return { sequence, event: 'booked', occurredAt: t.occurredAt, booking: { ...booking, id, recordLocator: `L${(sequence % 36 ** 5).toString(36).toUpperCase().padStart(5, '0')}`, status: 'booked', ancillaries: [] } };
  };
  const bookingEvents = (after: number, limit: number): LogPage<BookingEvent> => {
    if (after < real) {
      const p = market.bookingEvents(after, limit);
      return p.hasMore ? p : { items: p.items, next: Math.max(p.next, real), hasMore: extra > 0 };
    }
    const to = Math.min(real + extra, after + limit);
    const items: BookingEvent[] = [];
    for (let s = after + 1; s <= to; s++) items.push(generated(s));
    return { items, next: to, hasMore: to < real + extra };
  };
  return new Proxy(market, {
    get(target, prop, receiver) {
      if (prop === 'bookingEvents') return bookingEvents;
      if (prop === 'lastBookingSequence') return () => real + extra;
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
