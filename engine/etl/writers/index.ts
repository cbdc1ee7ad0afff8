import type { FeedRecordKind } from '../../ports/records';
import type { KindWriter } from './types';
import { airportsWriter, bookingsWriter, carriersWriter, faresWriter, flightsWriter, inventoryWriter, rbdsWriter } from './foundation';
import {
  calendarWriter, codesharesWriter, competitorFaresWriter, demandWriter, elasticitiesWriter, exchangeRatesWriter, plannedLegsWriter,
  routePerformanceWriter,
} from './feeds';

/** The writer of each record kind: every kind a sync page can carry has a table. */
export const WRITERS: { [K in FeedRecordKind]: KindWriter<K> } = {
  airports: airportsWriter,
  carriers: carriersWriter,
  rbds: rbdsWriter,
  flights: flightsWriter,
  inventory: inventoryWriter,
  fares: faresWriter,
  bookings: bookingsWriter,
  demand: demandWriter,
  routePerformance: routePerformanceWriter,
  competitorFares: competitorFaresWriter,
  elasticities: elasticitiesWriter,
  exchangeRates: exchangeRatesWriter,
  plannedLegs: plannedLegsWriter,
  codeshares: codesharesWriter,
  calendar: calendarWriter,
};
