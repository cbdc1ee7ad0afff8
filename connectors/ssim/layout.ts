/**
 * SSIM chapter 7 byte map: [first, last] byte of each field, 1-indexed and inclusive, as the manual
 * numbers them. Every record is 200 bytes; the record serial number is bytes 195–200 in all types.
 */
export type Span = readonly [first: number, last: number];

export const RECORD_LENGTH = 200;
export const SERIAL: Span = [195, 200];

export const HEADER = {
  title: [2, 35],
} as const satisfies Record<string, Span>;

export const CARRIER = {
  timeMode: [2, 2],
  airline: [3, 5],
  season: [11, 13],
  validFrom: [15, 21],
  validTo: [22, 28],
  creationDate: [29, 35],
} as const satisfies Record<string, Span>;

export const LEG = {
  operationalSuffix: [2, 2],
  airline: [3, 5],
  flightNumber: [6, 9],
  itineraryVariation: [10, 11],
  legSequence: [12, 13],
  serviceType: [14, 14],
  periodFrom: [15, 21],
  periodTo: [22, 28],
  daysOfOperation: [29, 35],
  frequencyRate: [36, 36],
  departureStation: [37, 39],
  passengerStd: [40, 43],
  aircraftStd: [44, 47],
  departureUtcVariation: [48, 52],
  departureTerminal: [53, 54],
  arrivalStation: [55, 57],
  aircraftSta: [58, 61],
  passengerSta: [62, 65],
  arrivalUtcVariation: [66, 70],
  arrivalTerminal: [71, 72],
  aircraftType: [73, 75],
  prbd: [76, 95],
  prbm: [96, 100],
  mealNote: [101, 110],
  jointOperationAirlines: [111, 119],
  onwardAirline: [138, 140],
  onwardFlightNumber: [141, 144],
  operatingDisclosure: [149, 149],
  trafficRestriction: [150, 160],
  aircraftConfiguration: [173, 192],
  departureDateVariation: [193, 193],
  arrivalDateVariation: [194, 194],
} as const satisfies Record<string, Span>;

export const SEGMENT = {
  operationalSuffix: [2, 2],
  airline: [3, 5],
  flightNumber: [6, 9],
  itineraryVariation: [10, 11],
  legSequence: [12, 13],
  serviceType: [14, 14],
  boardPointIndicator: [29, 29],
  offPointIndicator: [30, 30],
  dei: [31, 33],
  boardPoint: [34, 36],
  offPoint: [37, 39],
  data: [40, 194],
} as const satisfies Record<string, Span>;

export const TRAILER = {
  airline: [3, 5],
  serialCheckReference: [188, 193],
  endCode: [194, 194],
} as const satisfies Record<string, Span>;

/** The bytes of a field. */
export function cut(record: string, [first, last]: Span): string {
  return record.slice(first - 1, last);
}

/** Writes `value` into a 200-byte record buffer at a field (left-aligned, space-padded; throws if too long). */
export function put(record: string[], [first, last]: Span, value: string, field: string): void {
  const width = last - first + 1;
  if (value.length > width) throw new Error(`SSIM writer: ${field} "${value}" is longer than its ${width} bytes`);
  for (let i = 0; i < width; i++) record[first - 1 + i] = value[i] ?? ' ';
}
