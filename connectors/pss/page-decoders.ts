/**
 * Page decoders: a page's bytes → its envelope, normalised records and quarantined records (JSON parse,
 * zod at the boundary, normalisation). The same code runs in the calling thread or in a worker thread
 * (decode-pool.ts), so a high-volume stream's decoding can run beside the store's writes.
 */
import { z } from 'zod';
import type { QuarantinedRecord } from '../../engine/ports/feed-sync';
import type { Booking } from '../../engine/domain/types';
import { splitValid } from './sync-kit';
import { streamPage, toBooking, wireBookingEvent } from './wire';

export interface DecodedStreamPage<R> {
  nextCursor: string;
  hasMore: boolean;
  received: number;
  records: R[];
  quarantined: QuarantinedRecord[];
}

/** Why a page could not be decoded at all (the body is not the JSON the specification describes). */
export class UndecodablePage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndecodablePage';
  }
}

/** A booking-events page whose envelope is checked: its records validated and normalised. */
export function bookingEventsPage(env: z.infer<typeof streamPage>, page: number): DecodedStreamPage<Booking> {
  const { records, quarantined } = splitValid(env.data, wireBookingEvent, toBooking, { source: 'pss GET /v1/booking-events', page });
  return { nextCursor: env.nextCursor, hasMore: env.hasMore, received: env.data.length, records, quarantined };
}

export const DECODERS = {
  /** GET /v1/booking-events */
  bookingEvents(text: string, page: number): DecodedStreamPage<Booking> {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new UndecodablePage(`malformed JSON in a booking-events page of ${text.length} characters (${(e as Error).message})`);
    }
    const env = streamPage.safeParse(data);
    if (!env.success) throw new UndecodablePage(`the booking-events page does not match the interface specification: ${z.prettifyError(env.error).slice(0, 300)}`);
    return bookingEventsPage(env.data, page);
  },
} as const;

export type DecoderName = keyof typeof DECODERS;
