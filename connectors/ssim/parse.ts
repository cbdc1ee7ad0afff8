/**
 * The SSIM chapter 7 reader. Real files deviate from the manual, so problems are split in two:
 * - errors: the record is unusable (wrong length, unknown type, impossible date, day or time, bad codes);
 *   it is left out and reported with its text, for quarantine;
 * - warnings: the record is used (CRLF line endings, all-zero padding lines, several carrier blocks,
 *   repeated serial numbers, a trailer check that does not match, an arrival before the departure in UTC
 *   with a blank date variation (the next day is inferred), non-passenger service types (kept, excluded
 *   from the passenger schedule), repeated records, records differing only by operational suffix).
 * Every diagnostic names its line and field.
 */
import { OPEN_DATE, readDate, readDateVariation, readDays, readTime, readUtcVariation, SERVICE_TYPES, writeUtcVariation, type Read } from './codes';
import { CARRIER, cut, HEADER, LEG, RECORD_LENGTH, SEGMENT, SERIAL, TRAILER, type Span } from './layout';
import type { SsimCarrier, SsimDiagnostic, SsimFile, SsimLegRecord, SsimSegmentRecord, TimeMode } from './types';

export const SSIM_TITLE = 'AIRLINE STANDARD SCHEDULE DATA SET';

export interface ParseSsimOptions {
  /** the file's name, for diagnostics and source references */
  source?: string;
}

const AIRLINE_RE = /^[A-Z0-9]{2}[A-Z]?$/;
const STATION_RE = /^[A-Z]{3}$/;

/** Reads an SSIM chapter 7 file. Never throws on bad content: problems are in `errors` and `warnings`. */
export function parseSsim(input: string | Buffer, opts: ParseSsimOptions = {}): SsimFile {
  const text = typeof input === 'string' ? input : input.toString('latin1');
  const out: SsimFile = {
    source: opts.source ?? 'ssim', header: null, carriers: [], legRecords: [], uniqueLegRecords: [], segments: [], trailers: [], errors: [], warnings: [],
  };
  const warn = (line: number, field: string, code: string, message: string) => out.warnings.push({ severity: 'warning', line, field, code, message });
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();

  let crlfLine = 0;
  let zeroRunStart = 0;
  let zeroRunLength = 0;
  let lastSerial: number | null = null;
  let legBeforeCarrierWarned = false;
  const serialsSeen = new Map<number, number>();
  const recordsSeen = new Map<string, number>();
  const suffixlessSeen = new Map<string, { line: number; suffix: string }>();

  const closeZeroRun = () => {
    if (zeroRunLength > 0) {
      const range = zeroRunLength === 1 ? `line ${zeroRunStart}` : `lines ${zeroRunStart}–${zeroRunStart + zeroRunLength - 1}`;
      warn(zeroRunStart, 'record', 'zero_padding', `${range}: ${zeroRunLength} all-zero padding line(s), skipped`);
    }
    zeroRunLength = 0;
  };

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i]!;
    if (line.endsWith('\r')) {
      line = line.slice(0, -1);
      if (crlfLine === 0) crlfLine = lineNo;
    }
    if (line.length === RECORD_LENGTH && /^0+$/.test(line)) {
      if (zeroRunLength === 0) zeroRunStart = lineNo;
      zeroRunLength++;
      continue;
    }
    closeZeroRun();
    if (line.length !== RECORD_LENGTH) {
      out.errors.push({ severity: 'error', line: lineNo, field: 'record', code: 'wrong_length', message: `record is ${line.length} bytes long, not ${RECORD_LENGTH}`, raw: line });
      continue;
    }

    const serial = readSerial(line);
    if (serial === null) warn(lineNo, 'serial', 'bad_serial', `record serial number "${cut(line, SERIAL)}" is not six digits`);
    else {
      const first = serialsSeen.get(serial);
      if (first !== undefined) warn(lineNo, 'serial', 'repeated_serial', `record serial number ${cut(line, SERIAL)} repeats that of line ${first}`);
      else serialsSeen.set(serial, lineNo);
    }

    const type = line[0];
    const block = Math.max(0, out.carriers.length - 1);
    switch (type) {
      case '1': {
        const title = cut(line, HEADER.title).trim();
        if (title !== SSIM_TITLE) warn(lineNo, 'title', 'unexpected_title', `header title "${title}" is not "${SSIM_TITLE}"`);
        if (out.header) warn(lineNo, 'record', 'several_headers', `a second header record (the first is on line ${out.header.line})`);
        else out.header = { line: lineNo, title, serial };
        break;
      }
      case '2': {
        const carrier = readCarrier(line, lineNo, serial, out.errors);
        if (!carrier) break;
        if (out.carriers.length > 0) {
          warn(lineNo, 'record', 'several_carrier_blocks', `carrier block ${out.carriers.length + 1} (${carrier.airline}) in one file; the first began on line ${out.carriers[0]!.line}`);
        }
        out.carriers.push(carrier);
        break;
      }
      case '3': {
        let timeMode: TimeMode = 'L';
        const carrier = out.carriers.at(-1);
        if (carrier) timeMode = carrier.timeMode;
        else if (!legBeforeCarrierWarned) {
          legBeforeCarrierWarned = true;
          warn(lineNo, 'record', 'leg_before_carrier', 'flight-leg record before any carrier record: local times assumed');
        }
        const rec = readLeg(line, lineNo, serial, block, timeMode, out);
        if (!rec) break;
        if (carrier && rec.airline !== carrier.airline) {
          warn(lineNo, 'airline', 'airline_differs_from_carrier', `airline ${rec.airline} differs from the carrier record's ${carrier.airline}`);
        }
        out.legRecords.push(rec);
        const whole = line.slice(0, 194);
        const repeatOf = recordsSeen.get(whole);
        if (repeatOf !== undefined) {
          warn(lineNo, 'record', 'repeated_record', `flight-leg record repeats line ${repeatOf} (identical but for the serial number); the repeat is ignored`);
          break;
        }
        recordsSeen.set(whole, lineNo);
        const suffixless = line[0] + line.slice(2, 194);
        const twin = suffixlessSeen.get(suffixless);
        if (twin) {
          warn(lineNo, 'operationalSuffix', 'differs_only_by_suffix',
            `flight-leg record differs from line ${twin.line} only by its operational suffix ("${rec.operationalSuffix}" vs "${twin.suffix}")`);
        } else suffixlessSeen.set(suffixless, { line: lineNo, suffix: rec.operationalSuffix });
        out.uniqueLegRecords.push(rec);
        break;
      }
      case '4': {
        const seg = readSegment(line, lineNo, serial, block, out.errors);
        if (seg) out.segments.push(seg);
        break;
      }
      case '5': {
        const check = /^\d{6}$/.test(cut(line, TRAILER.serialCheckReference)) ? Number(cut(line, TRAILER.serialCheckReference)) : null;
        const endCode = cut(line, TRAILER.endCode);
        if (check === null || check !== lastSerial) {
          warn(lineNo, 'serialCheckReference', 'trailer_check_mismatch',
            `trailer check reference "${cut(line, TRAILER.serialCheckReference)}" does not match the serial number of the record before it (${lastSerial === null ? 'none' : String(lastSerial).padStart(6, '0')})`);
        }
        if (endCode !== 'E' && endCode !== 'C') warn(lineNo, 'endCode', 'bad_end_code', `end code "${endCode}" is neither E (end) nor C (continuation)`);
        out.trailers.push({ line: lineNo, airline: cut(line, TRAILER.airline).trim(), serialCheckReference: check, endCode, serial });
        break;
      }
      default:
        out.errors.push({ severity: 'error', line: lineNo, field: 'recordType', code: 'unknown_record_type', message: `record type "${type}" is not 1–5`, raw: line });
    }
    if (serial !== null) lastSerial = serial;
  }
  closeZeroRun();
  if (crlfLine > 0) warn(crlfLine, 'lineEnding', 'crlf_line_endings', 'CRLF line endings (read as LF)');
  out.warnings.sort((a, b) => a.line - b.line);
  return out;
}

function readSerial(line: string): number | null {
  const s = cut(line, SERIAL);
  return /^\d{6}$/.test(s) ? Number(s) : null;
}

/** Collects field errors of one record; `value` returns the value or undefined after recording the error. */
function fieldReader(line: string, lineNo: number, errors: SsimDiagnostic[], recordName: string) {
  let failed = false;
  const fail = (field: string, code: string, message: string) => {
    failed = true;
    errors.push({ severity: 'error', line: lineNo, field, code, message: `${recordName}: ${field} ${message}`, raw: line });
  };
  const value = <T>(field: string, code: string, r: Read<T>): T | undefined => {
    if (r.ok) return r.value;
    fail(field, code, r.reason);
    return undefined;
  };
  return { fail, value, get failed() { return failed; } };
}

function readCarrier(line: string, lineNo: number, serial: number | null, errors: SsimDiagnostic[]): SsimCarrier | null {
  const f = fieldReader(line, lineNo, errors, 'carrier record');
  const mode = cut(line, CARRIER.timeMode);
  if (mode !== 'L' && mode !== 'U') f.fail('timeMode', 'bad_time_mode', `"${mode}" is neither L (local) nor U (UTC)`);
  const airline = cut(line, CARRIER.airline).trim();
  if (!AIRLINE_RE.test(airline)) f.fail('airline', 'bad_airline', `"${airline}" is not an airline designator`);
  const optionalDate = (span: Span, field: string): string | null => {
    const t = cut(line, span);
    if (t.trim() === '' || t === OPEN_DATE) return null;
    return f.value(field, 'impossible_date', readDate(t)) ?? null;
  };
  const validFrom = optionalDate(CARRIER.validFrom, 'validFrom');
  const validTo = optionalDate(CARRIER.validTo, 'validTo');
  const creationDate = optionalDate(CARRIER.creationDate, 'creationDate');
  if (f.failed) return null;
  return { line: lineNo, timeMode: mode as TimeMode, airline, season: cut(line, CARRIER.season).trim(), validFrom, validTo, creationDate, serial };
}

function readLeg(line: string, lineNo: number, serial: number | null, block: number, timeMode: TimeMode, out: SsimFile): SsimLegRecord | null {
  const f = fieldReader(line, lineNo, out.errors, 'flight-leg record');
  const warn = (field: string, code: string, message: string) => out.warnings.push({ severity: 'warning', line: lineNo, field, code, message });
  const c = (span: Span) => cut(line, span);

  const airline = c(LEG.airline).trim();
  if (!AIRLINE_RE.test(airline)) f.fail('airline', 'bad_airline', `"${c(LEG.airline)}" is not an airline designator`);
  const flightNumber = f.value('flightNumber', 'bad_flight_number', readNumber(c(LEG.flightNumber), 1, 9999, 'a flight number'));
  const itineraryVariation = f.value('itineraryVariation', 'bad_itinerary_variation', readNumber(c(LEG.itineraryVariation), 1, 99, 'an itinerary variation', true));
  const legSequence = f.value('legSequence', 'bad_leg_sequence', readNumber(c(LEG.legSequence), 1, 99, 'a leg sequence number', true));
  const serviceType = c(LEG.serviceType);
  if (!/^[A-Z]$/.test(serviceType)) f.fail('serviceType', 'bad_service_type', `"${serviceType}" is not a service type letter`);
  const periodFrom = f.value('periodFrom', 'impossible_date', readDate(c(LEG.periodFrom)));
  const periodToText = c(LEG.periodTo);
  const periodTo = periodToText === OPEN_DATE ? null : f.value('periodTo', 'impossible_date', readDate(periodToText));
  if (periodFrom && periodTo && periodTo < periodFrom) f.fail('periodTo', 'impossible_period', `${periodTo} is before the period's start ${periodFrom}`);
  const days = f.value('daysOfOperation', 'impossible_day', readDays(c(LEG.daysOfOperation)));
  const rateText = c(LEG.frequencyRate);
  let frequencyRate = 1;
  if (rateText !== ' ') {
    if (/^[1-9]$/.test(rateText)) frequencyRate = Number(rateText);
    else f.fail('frequencyRate', 'bad_frequency_rate', `"${rateText}" is not a frequency rate (blank or 1–9)`);
  }
  const station = (span: Span, field: string) => {
    const s = c(span);
    if (!STATION_RE.test(s)) f.fail(field, 'bad_station', `"${s}" is not a three-letter station code`);
    return s;
  };
  const departureStation = station(LEG.departureStation, 'departureStation');
  const arrivalStation = station(LEG.arrivalStation, 'arrivalStation');
  const passengerStd = f.value('passengerStd', 'impossible_time', readTime(c(LEG.passengerStd)));
  const passengerSta = f.value('passengerSta', 'impossible_time', readTime(c(LEG.passengerSta)));
  const aircraftTime = (span: Span, field: string, fallback: string | undefined) =>
    c(span).trim() === '' ? fallback : f.value(field, 'impossible_time', readTime(c(span)));
  const aircraftStd = aircraftTime(LEG.aircraftStd, 'aircraftStd', passengerStd);
  const aircraftSta = aircraftTime(LEG.aircraftSta, 'aircraftSta', passengerSta);
  const depOffset = f.value('departureUtcVariation', 'impossible_utc_variation', readUtcVariation(c(LEG.departureUtcVariation)));
  const arrOffset = f.value('arrivalUtcVariation', 'impossible_utc_variation', readUtcVariation(c(LEG.arrivalUtcVariation)));
  const depVar = f.value('departureDateVariation', 'bad_date_variation', readDateVariation(c(LEG.departureDateVariation)));
  const arrVarRead = f.value('arrivalDateVariation', 'bad_date_variation', readDateVariation(c(LEG.arrivalDateVariation)));
  const onwardText = c(LEG.onwardFlightNumber).trim();
  const onwardFlightNumber = onwardText === '' ? null : /^\d{1,4}$/.test(onwardText) ? Number(onwardText) : undefined;
  if (onwardFlightNumber === undefined) f.fail('onwardFlightNumber', 'bad_flight_number', `"${onwardText}" is not a flight number`);

  if (f.failed || flightNumber === undefined || itineraryVariation === undefined || legSequence === undefined || !periodFrom || periodTo === undefined || !days
    || !passengerStd || !passengerSta || !aircraftStd || !aircraftSta || depOffset === undefined || arrOffset === undefined
    || depVar === undefined || arrVarRead === undefined || onwardFlightNumber === undefined) return null;

  // arrival after departure, in UTC
  const departureDateVariation = depVar ?? 0;
  let arrivalDateVariation = arrVarRead ?? 0;
  let arrivalDayInferred = false;
  const utcMinutes = (hhmm: string, offset: number, dayVar: number) =>
    Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)) - (timeMode === 'L' ? offset : 0) + dayVar * 1440;
  const dep = utcMinutes(passengerStd, depOffset, departureDateVariation);
  if (utcMinutes(passengerSta, arrOffset, arrivalDateVariation) <= dep) {
    if (arrVarRead !== null) {
      f.fail('arrivalDateVariation', 'arrival_before_departure',
        `arrival ${passengerSta} (day +${arrivalDateVariation}, UTC${writeUtcVariation(arrOffset)}) is not after departure ${passengerStd} (day +${departureDateVariation}, UTC${writeUtcVariation(depOffset)})`);
      return null;
    }
    while (utcMinutes(passengerSta, arrOffset, arrivalDateVariation) <= dep) arrivalDateVariation++;
    arrivalDayInferred = true;
    warn('arrivalDateVariation', 'arrival_day_inferred',
      `arrival ${passengerSta} is before departure ${passengerStd} in UTC and the date variation is blank: arrival on day +${arrivalDateVariation} inferred`);
  }

  const known = SERVICE_TYPES[serviceType];
  if (!known) warn('serviceType', 'unknown_service_type', `service type "${serviceType}" is not in SSIM Appendix C: kept, excluded from the passenger schedule`);
  else if (!known.passenger) warn('serviceType', 'non_passenger_service', `service type "${serviceType}" (${known.name}): kept, excluded from the passenger schedule`);
  if (!days.positional) warn('daysOfOperation', 'days_not_positional', `days of operation "${c(LEG.daysOfOperation)}" are not in their own positions; read as ${days.days.join('')}`);

  return {
    line: lineNo, serial, block, timeMode, raw: line, arrivalDayInferred, passenger: known?.passenger ?? false,
    operationalSuffix: c(LEG.operationalSuffix).trim(),
    airline, flightNumber, itineraryVariation, legSequence, serviceType, periodFrom, periodTo,
    daysOfOperation: days.days, frequencyRate,
    departureStation, passengerStd, aircraftStd, departureUtcOffsetMinutes: depOffset, departureTerminal: c(LEG.departureTerminal).trim(),
    arrivalStation, aircraftSta, passengerSta, arrivalUtcOffsetMinutes: arrOffset, arrivalTerminal: c(LEG.arrivalTerminal).trim(),
    aircraftType: c(LEG.aircraftType).trim(),
    prbd: c(LEG.prbd).trim(), prbm: c(LEG.prbm).trim(), mealNote: c(LEG.mealNote).trim(),
    jointOperationAirlines: c(LEG.jointOperationAirlines).trim(),
    onwardAirline: c(LEG.onwardAirline).trim(), onwardFlightNumber,
    operatingDisclosure: c(LEG.operatingDisclosure).trim(), trafficRestriction: c(LEG.trafficRestriction).trim(),
    aircraftConfiguration: c(LEG.aircraftConfiguration).trim(),
    departureDateVariation, arrivalDateVariation,
  };
}

function readSegment(line: string, lineNo: number, serial: number | null, block: number, errors: SsimDiagnostic[]): SsimSegmentRecord | null {
  const f = fieldReader(line, lineNo, errors, 'segment record');
  const c = (span: Span) => cut(line, span);
  const airline = c(SEGMENT.airline).trim();
  if (!AIRLINE_RE.test(airline)) f.fail('airline', 'bad_airline', `"${c(SEGMENT.airline)}" is not an airline designator`);
  const flightNumber = f.value('flightNumber', 'bad_flight_number', readNumber(c(SEGMENT.flightNumber), 1, 9999, 'a flight number'));
  const itineraryVariation = f.value('itineraryVariation', 'bad_itinerary_variation', readNumber(c(SEGMENT.itineraryVariation), 1, 99, 'an itinerary variation', true));
  const legSequence = f.value('legSequence', 'bad_leg_sequence', readNumber(c(SEGMENT.legSequence), 1, 99, 'a leg sequence number', true));
  const dei = f.value('dei', 'bad_dei', readNumber(c(SEGMENT.dei), 1, 999, 'a data element identifier'));
  const point = (span: Span, field: string) => {
    const s = c(span);
    if (!STATION_RE.test(s)) f.fail(field, 'bad_station', `"${s}" is not a three-letter station code`);
    return s;
  };
  const boardPoint = point(SEGMENT.boardPoint, 'boardPoint');
  const offPoint = point(SEGMENT.offPoint, 'offPoint');
  if (f.failed || flightNumber === undefined || itineraryVariation === undefined || legSequence === undefined || dei === undefined) return null;
  return {
    line: lineNo, serial, block, raw: line,
    operationalSuffix: c(SEGMENT.operationalSuffix).trim(), airline, flightNumber, itineraryVariation, legSequence,
    serviceType: c(SEGMENT.serviceType), boardPointIndicator: c(SEGMENT.boardPointIndicator), offPointIndicator: c(SEGMENT.offPointIndicator),
    dei, boardPoint, offPoint, data: c(SEGMENT.data).trimEnd(),
  };
}

/** A right-aligned number (leading blanks or zeros allowed); `zeroPadded` requires all digits. */
function readNumber(text: string, min: number, max: number, what: string, zeroPadded = false): Read<number> {
  const re = zeroPadded ? /^\d+$/ : /^ *\d+$/;
  if (!re.test(text)) return { ok: false, reason: `"${text}" is not ${what}` };
  const n = Number(text.trim());
  if (n < min || n > max) return { ok: false, reason: `${n} is not ${what} (${min}–${max})` };
  return { ok: true, value: n };
}
