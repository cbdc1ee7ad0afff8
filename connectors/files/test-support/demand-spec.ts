/** Test support: a demand-file spec like the PROS adapter's, used by the files tests. */
import { col, defineFileSpec } from '../column-spec';

export const demandSpec = defineFileSpec({
  kind: 'test-demand',
  title: 'Demand by market and DCP',
  description: 'Cumulative bookings per market, departure date, cabin and DCP.',
  fileNamePattern: /^demand_.*\.csv$/i,
  key: ['origin', 'destination', 'departure_date', 'cabin', 'dcp'],
  columns: {
    origin: { type: col.airport(), required: true, description: 'origin airport', example: 'FRA' },
    destination: { type: col.airport(), required: true, description: 'destination airport', example: 'JFK' },
    departure_date: { type: col.date(), required: true, description: 'local departure date', example: '2025-06-01' },
    cabin: { type: col.oneOf(['J', 'Y'] as const), required: true, description: 'cabin' },
    dcp: { type: col.integer({ min: 0, max: 365 }), required: true, description: 'days before departure' },
    bookings: { type: col.integer({ min: 0, max: 9999 }), required: true, description: 'cumulative bookings' },
    load_factor: { type: col.decimal({ min: 0, max: 2, maxDecimals: 4 }), required: false, description: 'load factor, 0–1' },
    as_of: { type: col.instant(), required: false, description: 'when the figure was computed' },
  },
});
