/**
 * SSIM chapter 7 records as read (and written): 200-byte fixed-width records of types 1 (header),
 * 2 (carrier), 3 (flight leg), 4 (segment data) and 5 (trailer).
 */

/** One problem found in a file, with where it is. */
export interface SsimDiagnostic {
  /** error: the record is unusable (quarantined); warning: the record is used */
  severity: 'error' | 'warning';
  /** 1-based line number */
  line: number;
  /** the field at fault (e.g. "periodFrom", "daysOfOperation", "record") */
  field: string;
  /** a stable code, e.g. "wrong_length", "repeated_record" */
  code: string;
  message: string;
  /** the record's text, for errors (it goes to quarantine) */
  raw?: string;
}

export type TimeMode = 'L' | 'U';

export interface SsimHeader {
  line: number;
  title: string;
  serial: number | null;
}

export interface SsimCarrier {
  line: number;
  /** L: times are local; U: times are UTC */
  timeMode: TimeMode;
  airline: string;
  season: string;
  /** the schedule's validity, "YYYY-MM-DD" (null when blank or open) */
  validFrom: string | null;
  validTo: string | null;
  creationDate: string | null;
  serial: number | null;
}

/** The content of a flight-leg record (what the writer needs). */
export interface SsimLegFields {
  /** "" when none */
  operationalSuffix: string;
  airline: string;
  flightNumber: number;
  itineraryVariation: number;
  legSequence: number;
  serviceType: string;
  /** "YYYY-MM-DD" */
  periodFrom: string;
  /** "YYYY-MM-DD", or null for an open-ended period (00XXX00) */
  periodTo: string | null;
  /** ISO weekdays, Monday = 1 */
  daysOfOperation: number[];
  /** 1 = every week, 2 = every second week (counted from periodFrom) … */
  frequencyRate: number;
  departureStation: string;
  /** "HH:MM" */
  passengerStd: string;
  aircraftStd: string;
  /** local = UTC + this, minutes */
  departureUtcOffsetMinutes: number;
  departureTerminal: string;
  arrivalStation: string;
  aircraftSta: string;
  passengerSta: string;
  arrivalUtcOffsetMinutes: number;
  arrivalTerminal: string;
  aircraftType: string;
  /** passenger reservations booking designators, e.g. "JWY" */
  prbd: string;
  prbm: string;
  mealNote: string;
  jointOperationAirlines: string;
  onwardAirline: string;
  onwardFlightNumber: number | null;
  /** position 149: codeshare / wet-lease indicator ("" when blank) */
  operatingDisclosure: string;
  trafficRestriction: string;
  /** e.g. "J14W34Y316VV364" */
  aircraftConfiguration: string;
  /** days after the flight date; 0 when blank */
  departureDateVariation: number;
  arrivalDateVariation: number;
}

export interface SsimLegRecord extends SsimLegFields {
  line: number;
  serial: number | null;
  /** the carrier block (0-based) the record belongs to */
  block: number;
  timeMode: TimeMode;
  /** the arrival date variation was blank and the next day was inferred (arrival before departure in UTC) */
  arrivalDayInferred: boolean;
  passenger: boolean;
  /** the record's 200 bytes */
  raw: string;
}

export interface SsimSegmentFields {
  operationalSuffix: string;
  airline: string;
  flightNumber: number;
  itineraryVariation: number;
  legSequence: number;
  serviceType: string;
  boardPointIndicator: string;
  offPointIndicator: string;
  /** data element identifier, e.g. 10, 50, 2, 9, 127 */
  dei: number;
  boardPoint: string;
  offPoint: string;
  data: string;
}

export interface SsimSegmentRecord extends SsimSegmentFields {
  line: number;
  serial: number | null;
  block: number;
  /** the record's 200 bytes */
  raw: string;
}

export interface SsimTrailer {
  line: number;
  airline: string;
  serialCheckReference: number | null;
  /** E: end of the data set; C: another carrier follows */
  endCode: string;
  serial: number | null;
}

export interface SsimFile {
  /** the file's name or description, used in sourceRef and quarantine entries */
  source: string;
  header: SsimHeader | null;
  carriers: SsimCarrier[];
  /** every usable flight-leg record, repeats included, in file order */
  legRecords: SsimLegRecord[];
  /** the leg records without repeats (records identical but for the serial number; the first is kept) */
  uniqueLegRecords: SsimLegRecord[];
  segments: SsimSegmentRecord[];
  trailers: SsimTrailer[];
  errors: SsimDiagnostic[];
  warnings: SsimDiagnostic[];
}
