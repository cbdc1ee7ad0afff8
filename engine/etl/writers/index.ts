import type { FeedRecordKind } from '../../ports/records';
import type { KindWriter } from './types';
import { airportsWriter, bookingsWriter, carriersWriter, faresWriter, flightsWriter, inventoryWriter, rbdsWriter } from './foundation';

/** The writer of each record kind. A kind without a writer here has no table yet. */
export const WRITERS: { [K in FeedRecordKind]?: KindWriter<K> } = {
  airports: airportsWriter,
  carriers: carriersWriter,
  rbds: rbdsWriter,
  flights: flightsWriter,
  inventory: inventoryWriter,
  fares: faresWriter,
  bookings: bookingsWriter,
};
