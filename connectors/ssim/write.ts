/**
 * The SSIM chapter 7 writer: header, one carrier block (carrier record, flight legs, their segment data,
 * trailer), with serial numbers and the trailer's check reference. Dated legs (e.g. the simulator's
 * schedule) are first folded into period records (`legFieldsFromDatedLegs`); expanding the written file
 * gives back exactly the dated legs.
 */
import { dayNumber, dateFromDayNumber, isoWeekday, utcOffsetMinutes, utcToLocal } from '../../engine/domain/time';
import type { FlightLeg } from '../../engine/domain/types';
import { OPEN_DATE, writeDate, writeDateVariation, writeDays, writeTime, writeUtcVariation } from './codes';
import { CARRIER, HEADER, LEG, put, RECORD_LENGTH, SEGMENT, SERIAL, TRAILER } from './layout';
import { SSIM_TITLE } from './parse';
import type { SsimLegFields, SsimSegmentFields, TimeMode } from './types';

export interface SsimWriteOptions {
  airline: string;
  /** L (default): the legs' times are local; U: UTC */
  timeMode?: TimeMode;
  /** e.g. "S25" */
  season?: string;
  /** the schedule's validity, "YYYY-MM-DD" */
  validFrom: string;
  validTo: string;
  creationDate: string;
  legs: readonly SsimLegFields[];
  /** segment data (DEI records); each is written after the last leg of its flight and itinerary variation */
  segments?: readonly SsimSegmentFields[];
  lineEnding?: '\n' | '\r\n';
  /** fill each section with all-zero lines to whole blocks of 5 records, as many producers do */
  padBlocks?: boolean;
}

/** Writes one SSIM file. Throws naming the field when a value does not fit the format. */
export function writeSsim(opts: SsimWriteOptions): string {
  const lines: string[] = [];
  let serial = 0;
  const zero = '0'.repeat(RECORD_LENGTH);
  const pad = () => { if (opts.padBlocks) while (lines.length % 5 !== 0) lines.push(zero); };
  const emit = (rec: string[]) => {
    serial++;
    if (serial > 999_999) throw new Error('SSIM writer: more than 999,999 records');
    put(rec, SERIAL, String(serial).padStart(6, '0'), 'serial');
    lines.push(rec.join(''));
  };
  const blank = (type: string) => { const r = Array<string>(RECORD_LENGTH).fill(' '); r[0] = type; return r; };

  const header = blank('1');
  put(header, HEADER.title, SSIM_TITLE, 'title');
  emit(header);
  pad();

  const carrier = blank('2');
  put(carrier, CARRIER.timeMode, opts.timeMode ?? 'L', 'timeMode');
  put(carrier, CARRIER.airline, opts.airline, 'airline');
  put(carrier, CARRIER.season, opts.season ?? '', 'season');
  put(carrier, CARRIER.validFrom, writeDate(opts.validFrom), 'validFrom');
  put(carrier, CARRIER.validTo, writeDate(opts.validTo), 'validTo');
  put(carrier, CARRIER.creationDate, writeDate(opts.creationDate), 'creationDate');
  emit(carrier);
  pad();

  const key = (r: { operationalSuffix: string; airline: string; flightNumber: number; itineraryVariation: number }) =>
    `${r.operationalSuffix}|${r.airline}|${r.flightNumber}|${r.itineraryVariation}`;
  const lastLegOf = new Map<string, number>();
  opts.legs.forEach((l, i) => lastLegOf.set(key(l), i));
  const segmentsAfter = new Map<number, SsimSegmentFields[]>();
  for (const s of opts.segments ?? []) {
    const i = lastLegOf.get(key(s));
    if (i === undefined) throw new Error(`SSIM writer: segment data (DEI ${s.dei}) for ${s.airline}${s.flightNumber} itinerary ${s.itineraryVariation} has no flight leg`);
    segmentsAfter.set(i, [...(segmentsAfter.get(i) ?? []), s]);
  }
  opts.legs.forEach((leg, i) => {
    emit(legRecord(leg));
    for (const s of segmentsAfter.get(i) ?? []) emit(segmentRecord(s));
  });
  pad();

  const trailer = blank('5');
  put(trailer, TRAILER.airline, opts.airline, 'airline');
  put(trailer, TRAILER.serialCheckReference, String(serial).padStart(6, '0'), 'serialCheckReference');
  put(trailer, TRAILER.endCode, 'E', 'endCode');
  emit(trailer);
  pad();

  const eol = opts.lineEnding ?? '\n';
  return lines.join(eol) + eol;
}

function legRecord(l: SsimLegFields): string[] {
  const r = Array<string>(RECORD_LENGTH).fill(' ');
  r[0] = '3';
  const num = (n: number, width: number, field: string, zeros: boolean) => {
    if (!Number.isInteger(n) || n < 0 || String(n).length > width) throw new Error(`SSIM writer: ${field} ${n} does not fit ${width} digits`);
    return zeros ? String(n).padStart(width, '0') : String(n).padStart(width, ' ');
  };
  put(r, LEG.operationalSuffix, l.operationalSuffix, 'operationalSuffix');
  put(r, LEG.airline, l.airline, 'airline');
  put(r, LEG.flightNumber, num(l.flightNumber, 4, 'flightNumber', false), 'flightNumber');
  put(r, LEG.itineraryVariation, num(l.itineraryVariation, 2, 'itineraryVariation', true), 'itineraryVariation');
  put(r, LEG.legSequence, num(l.legSequence, 2, 'legSequence', true), 'legSequence');
  put(r, LEG.serviceType, l.serviceType, 'serviceType');
  put(r, LEG.periodFrom, writeDate(l.periodFrom), 'periodFrom');
  put(r, LEG.periodTo, l.periodTo === null ? OPEN_DATE : writeDate(l.periodTo), 'periodTo');
  put(r, LEG.daysOfOperation, writeDays(l.daysOfOperation), 'daysOfOperation');
  put(r, LEG.frequencyRate, l.frequencyRate === 1 ? ' ' : num(l.frequencyRate, 1, 'frequencyRate', false), 'frequencyRate');
  put(r, LEG.departureStation, l.departureStation, 'departureStation');
  put(r, LEG.passengerStd, writeTime(l.passengerStd), 'passengerStd');
  put(r, LEG.aircraftStd, writeTime(l.aircraftStd), 'aircraftStd');
  put(r, LEG.departureUtcVariation, writeUtcVariation(l.departureUtcOffsetMinutes), 'departureUtcVariation');
  put(r, LEG.departureTerminal, l.departureTerminal, 'departureTerminal');
  put(r, LEG.arrivalStation, l.arrivalStation, 'arrivalStation');
  put(r, LEG.aircraftSta, writeTime(l.aircraftSta), 'aircraftSta');
  put(r, LEG.passengerSta, writeTime(l.passengerSta), 'passengerSta');
  put(r, LEG.arrivalUtcVariation, writeUtcVariation(l.arrivalUtcOffsetMinutes), 'arrivalUtcVariation');
  put(r, LEG.arrivalTerminal, l.arrivalTerminal, 'arrivalTerminal');
  put(r, LEG.aircraftType, l.aircraftType, 'aircraftType');
  put(r, LEG.prbd, l.prbd, 'prbd');
  put(r, LEG.prbm, l.prbm, 'prbm');
  put(r, LEG.mealNote, l.mealNote, 'mealNote');
  put(r, LEG.jointOperationAirlines, l.jointOperationAirlines, 'jointOperationAirlines');
  put(r, LEG.onwardAirline, l.onwardAirline, 'onwardAirline');
  put(r, LEG.onwardFlightNumber, l.onwardFlightNumber === null ? '' : num(l.onwardFlightNumber, 4, 'onwardFlightNumber', false), 'onwardFlightNumber');
  put(r, LEG.operatingDisclosure, l.operatingDisclosure, 'operatingDisclosure');
  put(r, LEG.trafficRestriction, l.trafficRestriction, 'trafficRestriction');
  put(r, LEG.aircraftConfiguration, l.aircraftConfiguration, 'aircraftConfiguration');
  put(r, LEG.departureDateVariation, writeDateVariation(l.departureDateVariation), 'departureDateVariation');
  put(r, LEG.arrivalDateVariation, writeDateVariation(l.arrivalDateVariation), 'arrivalDateVariation');
  return r;
}

function segmentRecord(s: SsimSegmentFields): string[] {
  const r = Array<string>(RECORD_LENGTH).fill(' ');
  r[0] = '4';
  put(r, SEGMENT.operationalSuffix, s.operationalSuffix, 'operationalSuffix');
  put(r, SEGMENT.airline, s.airline, 'airline');
  put(r, SEGMENT.flightNumber, String(s.flightNumber).padStart(4, ' '), 'flightNumber');
  put(r, SEGMENT.itineraryVariation, String(s.itineraryVariation).padStart(2, '0'), 'itineraryVariation');
  put(r, SEGMENT.legSequence, String(s.legSequence).padStart(2, '0'), 'legSequence');
  put(r, SEGMENT.serviceType, s.serviceType, 'serviceType');
  put(r, SEGMENT.boardPointIndicator, s.boardPointIndicator, 'boardPointIndicator');
  put(r, SEGMENT.offPointIndicator, s.offPointIndicator, 'offPointIndicator');
  put(r, SEGMENT.dei, String(s.dei).padStart(3, '0'), 'dei');
  put(r, SEGMENT.boardPoint, s.boardPoint, 'boardPoint');
  put(r, SEGMENT.offPoint, s.offPoint, 'offPoint');
  put(r, SEGMENT.data, s.data, 'data');
  return r;
}

/** One dated leg departure to write (a PlannedLeg has all of these). */
export interface DatedLegInput {
  carrier: string;
  flightNumber: number;
  origin: string;
  destination: string;
  /** local departure date */
  localDate: string;
  departureLocalTime: string;
  arrivalLocalDate: string;
  arrivalLocalTime: string;
  departureUtcOffsetMinutes: number;
  arrivalUtcOffsetMinutes: number;
  aircraft?: string;
  aircraftConfiguration?: string;
  /** default "J" */
  serviceType?: string;
  operationalSuffix?: string;
  /** multi-leg itineraries must give both; single legs get a variation per distinct timing */
  itineraryVariation?: number;
  legSequence?: number;
  /** the flight's date (its first leg's local departure date); default: localDate */
  flightDate?: string;
}

/**
 * Folds dated legs into leg records: legs identical but for their date form one group, and each group's
 * dates become periods with days of operation (a run of weeks with the same weekday pattern). Expanding
 * the records yields exactly the input dates. Throws when two legs would be the same dated departure.
 */
export function legFieldsFromDatedLegs(legs: readonly DatedLegInput[]): SsimLegFields[] {
  const groups = new Map<string, { fields: Omit<SsimLegFields, 'periodFrom' | 'periodTo' | 'daysOfOperation' | 'frequencyRate'>; days: Set<number> }>();
  const seen = new Set<string>();
  const variationsUsed = new Map<string, number>();
  for (const l of legs) {
    const flightDate = l.flightDate ?? l.localDate;
    const id = `${l.operationalSuffix ?? ''}|${l.carrier}|${l.flightNumber}|${l.localDate}|${l.origin}`;
    if (seen.has(id)) throw new Error(`SSIM writer: two legs are the same departure ${l.carrier}${l.flightNumber} ${l.localDate} from ${l.origin}`);
    seen.add(id);
    const fields = {
      operationalSuffix: l.operationalSuffix ?? '',
      airline: l.carrier,
      flightNumber: l.flightNumber,
      itineraryVariation: l.itineraryVariation ?? 0,
      legSequence: l.legSequence ?? 1,
      serviceType: l.serviceType ?? 'J',
      departureStation: l.origin,
      passengerStd: l.departureLocalTime,
      aircraftStd: l.departureLocalTime,
      departureUtcOffsetMinutes: l.departureUtcOffsetMinutes,
      departureTerminal: '',
      arrivalStation: l.destination,
      aircraftSta: l.arrivalLocalTime,
      passengerSta: l.arrivalLocalTime,
      arrivalUtcOffsetMinutes: l.arrivalUtcOffsetMinutes,
      arrivalTerminal: '',
      aircraftType: l.aircraft ?? '',
      prbd: '', prbm: '', mealNote: '', jointOperationAirlines: '', onwardAirline: '', onwardFlightNumber: null,
      operatingDisclosure: '', trafficRestriction: '',
      aircraftConfiguration: l.aircraftConfiguration ?? '',
      departureDateVariation: dayNumber(l.localDate) - dayNumber(flightDate),
      arrivalDateVariation: dayNumber(l.arrivalLocalDate) - dayNumber(flightDate),
    };
    const k = JSON.stringify(fields);
    let g = groups.get(k);
    if (!g) {
      if (l.itineraryVariation === undefined) {
        const flightKey = `${fields.operationalSuffix}|${fields.airline}|${fields.flightNumber}`;
        const next = (variationsUsed.get(flightKey) ?? 0) + 1;
        if (next > 99) throw new Error(`SSIM writer: ${l.carrier}${l.flightNumber} needs more than 99 itinerary variations`);
        variationsUsed.set(flightKey, next);
        fields.itineraryVariation = next;
      }
      g = { fields, days: new Set() };
      groups.set(k, g);
    }
    g.days.add(dayNumber(flightDate));
  }
  const out: SsimLegFields[] = [];
  for (const { fields, days } of groups.values()) {
    for (const p of periodsOf([...days].sort((a, b) => a - b))) out.push({ ...fields, ...p, frequencyRate: 1 });
  }
  return out.sort((a, b) => a.airline.localeCompare(b.airline) || a.flightNumber - b.flightNumber || a.itineraryVariation - b.itineraryVariation
    || a.legSequence - b.legSequence || a.periodFrom.localeCompare(b.periodFrom));
}

/** Splits sorted day numbers into runs of weeks sharing one weekday pattern. */
function periodsOf(days: number[]): { periodFrom: string; periodTo: string; daysOfOperation: number[] }[] {
  const out: { periodFrom: string; periodTo: string; daysOfOperation: number[] }[] = [];
  const set = new Set(days);
  const weekdays = (start: number) => {
    const w: number[] = [];
    for (let d = start; d < start + 7; d++) if (set.has(d)) w.push(isoWeekday(dateFromDayNumber(d)));
    return w.sort((a, b) => a - b);
  };
  let i = 0;
  while (i < days.length) {
    const start = days[i]!;
    const pattern = weekdays(start);
    let weekStart = start;
    while (weekdays(weekStart + 7).join() === pattern.join()) weekStart += 7;
    let last = start;
    while (i < days.length && days[i]! < weekStart + 7) last = days[i++]!;
    out.push({ periodFrom: dateFromDayNumber(start), periodTo: dateFromDayNumber(last), daysOfOperation: pattern });
  }
  return out;
}

/** A dated leg to write from a FlightLeg, with local times and UTC offsets from the airports' time zones. */
export function datedLegFromFlightLeg(leg: FlightLeg, timeZoneOf: (airport: string) => string, extra: Partial<DatedLegInput> = {}): DatedLegInput {
  const depZone = timeZoneOf(leg.origin);
  const arrZone = timeZoneOf(leg.destination);
  const dep = utcToLocal(leg.departureUtc, depZone);
  const arr = utcToLocal(leg.arrivalUtc, arrZone);
  const config = leg.cabins.map((c) => `${c.cabin}${c.capacity}`).join('');
  return {
    carrier: leg.carrier,
    flightNumber: leg.flightNumber,
    origin: leg.origin,
    destination: leg.destination,
    localDate: dep.date,
    departureLocalTime: dep.time,
    arrivalLocalDate: arr.date,
    arrivalLocalTime: arr.time,
    departureUtcOffsetMinutes: utcOffsetMinutes(depZone, new Date(leg.departureUtc)),
    arrivalUtcOffsetMinutes: utcOffsetMinutes(arrZone, new Date(leg.arrivalUtc)),
    aircraft: leg.aircraft,
    aircraftConfiguration: config,
    ...extra,
  };
}
