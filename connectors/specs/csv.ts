/**
 * The CSV batch files of the PROS O&D feed: their column specifications (connectors/files column-spec
 * model: one typed object checks each row, types it and prints as the interface document, see
 * csv-specs.md) and the writer the sandbox drops files with.
 */
import { col, defineFileSpec, specToMarkdown } from '../files/column-spec';

const common = {
  carrier: { type: col.string({ pattern: /^[A-Z0-9]{2,3}$/, patternHint: 'a carrier code (two or three capital letters or digits)' }), required: true, description: 'carrier code', example: 'DF' },
} as const;

export const PROS_DEMAND_FILE = defineFileSpec({
  kind: 'pros-demand',
  title: 'PROS O&D demand by market, departure date, cabin and DCP',
  description: "One row per carrier, O&D market, local departure date, cabin and data collection point. 'current' rows are cumulative bookings of departures still in their booking horizon; 'historical' rows belong to flown departures and may carry an unconstrained demand estimate.",
  fileNamePattern: /^demand_\d{8}T\d{6}Z(_[A-Za-z0-9-]+)?\.csv$/,
  key: ['carrier', 'origin', 'destination', 'departure_date', 'cabin', 'dcp'],
  columns: {
    ...common,
    origin: { type: col.airport(), required: true, description: 'O&D origin', example: 'FRA' },
    destination: { type: col.airport(), required: true, description: 'O&D destination', example: 'JFK' },
    departure_date: { type: col.date(), required: true, description: 'local departure date at the origin', example: '2026-06-01' },
    cabin: { type: col.string({ pattern: /^[A-Z]{1,2}$/, patternHint: 'a cabin code (one or two capital letters)' }), required: true, description: 'cabin', example: 'Y' },
    dcp: { type: col.integer({ min: 0, max: 400 }), required: true, description: 'data collection point, days before departure', example: '21' },
    kind: { type: col.oneOf(['historical', 'current'] as const), required: true, description: 'historical: the departure has flown; current: still on sale' },
    bookings: { type: col.decimal({ min: 0, maxDecimals: 3 }), required: true, description: 'cumulative bookings (passengers) at the DCP', example: '42' },
    unconstrained_demand: { type: col.decimal({ min: 0, maxDecimals: 3 }), required: false, description: 'demand with turned-away requests added back; empty when not estimated', example: '47.5' },
    as_of: { type: col.instant(), required: true, description: 'when PROS computed the figure', example: '2026-03-01T06:00:00Z' },
  },
});

export const PROS_ROUTE_PERFORMANCE_FILE = defineFileSpec({
  kind: 'pros-route-performance',
  title: 'PROS route performance by leg, departure date and cabin',
  description: 'One row per carrier, leg (origin, destination), local departure date and cabin: seats, passengers and load factor, with revenue when known.',
  fileNamePattern: /^route_performance_\d{8}T\d{6}Z(_[A-Za-z0-9-]+)?\.csv$/,
  key: ['carrier', 'origin', 'destination', 'departure_date', 'cabin'],
  columns: {
    ...common,
    origin: { type: col.airport(), required: true, description: 'leg origin', example: 'FRA' },
    destination: { type: col.airport(), required: true, description: 'leg destination', example: 'LHR' },
    departure_date: { type: col.date(), required: true, description: 'local departure date at the origin', example: '2026-06-01' },
    cabin: { type: col.string({ pattern: /^[A-Z]{1,2}$/, patternHint: 'a cabin code (one or two capital letters)' }), required: true, description: 'cabin', example: 'Y' },
    seats: { type: col.integer({ min: 0, max: 9999 }), required: true, description: 'seats offered in the cabin', example: '156' },
    passengers: { type: col.integer({ min: 0, max: 9999 }), required: true, description: 'passengers booked (flown, for past departures)', example: '131' },
    load_factor: { type: col.decimal({ min: 0, max: 2, maxDecimals: 6 }), required: true, description: 'passengers / seats', example: '0.839744' },
    revenue: { type: col.string({ pattern: /^\d{1,13}(\.\d{1,3})?$/, patternHint: "a decimal amount in major units with the currency's decimals" }), required: false, description: 'revenue; empty when unknown', example: '18250.00' },
    currency: { type: col.currency(), required: false, description: 'ISO 4217 currency of revenue; empty exactly when revenue is', example: 'EUR' },
    as_of: { type: col.instant(), required: true, description: 'when PROS computed the figures', example: '2026-03-01T06:00:00Z' },
  },
});

export type CellValue = string | number | null;

/** One CSV field (RFC 4180), quoted when it holds the delimiter, a quote or a line break. */
function field(v: CellValue): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A file's text: the header (the spec's columns in order) and one line per row of values in that order. */
export function writeCsv(spec: { kind: string; columns: object }, rows: readonly CellValue[][]): string {
  const names = Object.keys(spec.columns);
  const lines = [names.join(',')];
  for (const r of rows) {
    if (r.length !== names.length) throw new Error(`${spec.kind}: a row has ${r.length} values for ${names.length} columns`);
    lines.push(r.map(field).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** The interface document of the PROS batch files (csv.md is this text; a test keeps them equal). */
export function csvDocument(): string {
  return [
    '# PROS O&D batch files',
    '',
    'Written by `connectors/specs/csv.ts` (`csvDocument()`); do not edit by hand. The files are dropped into the PROS',
    'feed\'s drop folder (`feeds.pros.dropFolder.path`); each sync takes the complete files, applies each one whole in',
    'one transaction (its bad rows quarantined with the file, line and reason), and moves it to `archive/`, or, when',
    'it is unreadable as a whole, to `rejected/` with a `.reason.txt` beside it. A file whose content was applied before',
    'is archived without being applied again.',
    '',
    specToMarkdown(PROS_DEMAND_FILE),
    specToMarkdown(PROS_ROUTE_PERFORMANCE_FILE),
  ].join('\n');
}
