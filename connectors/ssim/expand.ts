/**
 * From SSIM records to the planned schedule: each flight-leg record's period, days of operation and
 * frequency rate become dated leg departures (PlannedLeg) with local times and UTC instants; segment
 * records (type 4) with DEI 10, 50, 2 and 9 become codeshare agreements (marketing carrier and flight →
 * operating carrier and flight), and DEI 127 disclosures are collected.
 */
import { dayNumber } from '../../engine/domain/time';
import { flightId, type CabinCapacity } from '../../engine/domain/types';
import type { CodeshareAgreement, PlannedLeg } from '../../engine/ports/schedule';
import type { QuarantinedRecord } from '../../engine/ports/feed-sync';
import { parseSsim, type ParseSsimOptions } from './parse';
import type { SsimDiagnostic, SsimFile, SsimLegRecord, SsimSegmentRecord } from './types';

export interface ExpandOptions {
  /** keep only flight dates on or after this date ("YYYY-MM-DD") */
  from?: string;
  /** keep only flight dates on or before this date */
  to?: string;
  /** where open-ended periods (00XXX00) end; default: the carrier record's validity end */
  openEndedUntil?: string;
}

/** An operating-airline disclosure (DEI 127, free text). */
export interface SsimDisclosure {
  airline: string;
  flightNumber: number;
  line: number;
  text: string;
}

export interface SsimSchedule {
  source: string;
  /** every dated leg, passenger or not (see `passengerSchedule`) */
  legs: PlannedLeg[];
  codeshares: CodeshareAgreement[];
  disclosures: SsimDisclosure[];
  /** the file's errors and the expansion's, each an unusable record */
  errors: SsimDiagnostic[];
  warnings: SsimDiagnostic[];
}

/** Parses and expands in one go. */
export function readSsimSchedule(input: string | Buffer, opts: ParseSsimOptions & ExpandOptions = {}): SsimSchedule & { file: SsimFile } {
  const file = parseSsim(input, opts);
  return { ...expandSsim(file, opts), file };
}

/** The passenger schedule: legs of passenger service types only. */
export function passengerSchedule(legs: readonly PlannedLeg[]): PlannedLeg[] {
  return legs.filter((l) => l.passenger);
}

/** Cabins from an aircraft configuration such as "J14W34Y316VV364" (the part before "VV"). */
export function cabinsFromConfiguration(configuration: string): CabinCapacity[] {
  const part = configuration.split('VV')[0] ?? '';
  return [...part.matchAll(/([A-Z])(\d{1,3})/g)].map((m) => ({ cabin: m[1]!, capacity: Number(m[2]) }));
}

/** Diagnostics of unusable records as quarantine entries for the feed run. */
export function toQuarantine(source: string, errors: readonly SsimDiagnostic[]): QuarantinedRecord[] {
  return errors.map((e) => ({ source: `ssim ${source}`, location: `line ${e.line}`, field: e.field, reason: e.message, payload: e.raw ?? null }));
}

export function expandSsim(file: SsimFile, opts: ExpandOptions = {}): SsimSchedule {
  const errors = [...file.errors];
  const warnings = [...file.warnings];
  const warn = (line: number, field: string, code: string, message: string) => warnings.push({ severity: 'warning', line, field, code, message });

  const groups = groupRecords(file.uniqueLegRecords);
  const { codeshares, disclosures, operatedBy } = readSegments(file, groups, opts, errors, warn);

  const legs: PlannedLeg[] = [];
  const producedBy = new Map<string, number>();
  const collisions = new Map<string, { first: number; second: number; count: number }>();
  for (const rec of file.uniqueLegRecords) {
    const end = periodEnd(rec, file, opts);
    if (end === null) {
      warn(rec.line, 'periodTo', 'open_period_not_expanded', 'open-ended period (00XXX00) and no end known (carrier validity or openEndedUntil): not expanded');
      continue;
    }
    const first = opts.from && opts.from > rec.periodFrom ? opts.from : rec.periodFrom;
    const last = opts.to && opts.to < end ? opts.to : end;
    const startDay = dayNumber(rec.periodFrom);
    const template = legTemplate(rec, file.source, operatedBy.get(rec.line));
    for (let day = dayNumber(first), lastDay = dayNumber(last); day <= lastDay; day++) {
      if (!rec.daysOfOperation.includes(weekdayOf(day))) continue;
      if (rec.frequencyRate > 1 && Math.floor((day - startDay) / 7) % rec.frequencyRate !== 0) continue;
      const leg = datedLeg(template, day);
      const seen = producedBy.get(leg.id);
      if (seen !== undefined) {
        const key = `${seen}/${rec.line}`;
        const c = collisions.get(key) ?? { first: seen, second: rec.line, count: 0 };
        c.count++;
        collisions.set(key, c);
        continue;
      }
      producedBy.set(leg.id, rec.line);
      legs.push(leg);
    }
  }
  for (const c of collisions.values()) {
    warn(c.second, 'record', 'duplicate_dated_leg', `${c.count} dated leg(s) of this record were already produced by line ${c.first} (same flight, date and origin); line ${c.first}'s are kept`);
  }
  warnings.sort((a, b) => a.line - b.line);
  return { source: file.source, legs, codeshares, disclosures, errors, warnings };
}

function periodEnd(rec: SsimLegRecord, file: SsimFile, opts: ExpandOptions): string | null {
  return rec.periodTo ?? opts.openEndedUntil ?? file.carriers[rec.block]?.validTo ?? null;
}

const DAY_MS = 86_400_000;

/** ISO weekday (Monday = 1) of a day number (1970-01-01, day 0, was a Thursday). */
function weekdayOf(day: number): number {
  return ((day % 7) + 7 + 3) % 7 + 1;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** What all dated legs of a record share, computed once per record. */
interface LegTemplate {
  rec: SsimLegRecord;
  sourceRef: string;
  operated?: { carrier: string; flightNumber: number | null };
  cabins: CabinCapacity[];
  stdMinutes: number;
  staMinutes: number;
}

function legTemplate(rec: SsimLegRecord, source: string, operated?: { carrier: string; flightNumber: number | null }): LegTemplate {
  return {
    rec, operated, sourceRef: `${source} line ${rec.line}`, cabins: cabinsFromConfiguration(rec.aircraftConfiguration),
    stdMinutes: minutesOf(rec.passengerStd), staMinutes: minutesOf(rec.passengerSta),
  };
}

/** One dated leg of a record for the flight date `flightDay` (a day number). */
function datedLeg(t: LegTemplate, flightDay: number): PlannedLeg {
  const rec = t.rec;
  const depDay = flightDay + rec.departureDateVariation;
  const arrDay = flightDay + rec.arrivalDateVariation;
  // L: the record's days and times are local; U: they are UTC
  const depOffsetMs = rec.departureUtcOffsetMinutes * 60_000;
  const arrOffsetMs = rec.arrivalUtcOffsetMinutes * 60_000;
  const depWall = depDay * DAY_MS + t.stdMinutes * 60_000;
  const arrWall = arrDay * DAY_MS + t.staMinutes * 60_000;
  const depUtcMs = rec.timeMode === 'L' ? depWall - depOffsetMs : depWall;
  const arrUtcMs = rec.timeMode === 'L' ? arrWall - arrOffsetMs : arrWall;
  const depLocal = new Date(depUtcMs + depOffsetMs).toISOString();
  const arrLocal = new Date(arrUtcMs + arrOffsetMs).toISOString();
  const localDate = depLocal.slice(0, 10);
  const leg: PlannedLeg = {
    id: flightId(rec.airline, rec.flightNumber, localDate, rec.departureStation),
    carrier: rec.airline,
    flightNumber: rec.flightNumber,
    origin: rec.departureStation,
    destination: rec.arrivalStation,
    localDate,
    departureUtc: new Date(depUtcMs).toISOString(),
    arrivalUtc: new Date(arrUtcMs).toISOString(),
    cabins: t.cabins.map((c) => ({ ...c })),
    serviceType: rec.serviceType,
    passenger: rec.passenger,
    operationalSuffix: rec.operationalSuffix,
    itineraryVariation: rec.itineraryVariation,
    legSequence: rec.legSequence,
    departureLocalTime: depLocal.slice(11, 16),
    arrivalLocalTime: arrLocal.slice(11, 16),
    arrivalLocalDate: arrLocal.slice(0, 10),
    departureUtcOffsetMinutes: rec.departureUtcOffsetMinutes,
    arrivalUtcOffsetMinutes: rec.arrivalUtcOffsetMinutes,
    aircraftConfiguration: rec.aircraftConfiguration,
    sourceRef: t.sourceRef,
  };
  if (rec.aircraftType) leg.aircraft = rec.aircraftType;
  if (t.operated) {
    leg.operatingCarrier = t.operated.carrier;
    if (t.operated.flightNumber !== null) leg.operatingFlightNumber = t.operated.flightNumber;
  }
  return leg;
}

const groupKey = (r: { block: number; operationalSuffix: string; airline: string; flightNumber: number; itineraryVariation: number }) =>
  `${r.block}|${r.operationalSuffix}|${r.airline}|${r.flightNumber}|${r.itineraryVariation}`;

function groupRecords(records: readonly SsimLegRecord[]): Map<string, SsimLegRecord[]> {
  const m = new Map<string, SsimLegRecord[]>();
  for (const r of records) {
    const k = groupKey(r);
    const list = m.get(k) ?? [];
    list.push(r);
    m.set(k, list);
  }
  for (const list of m.values()) list.sort((a, b) => a.legSequence - b.legSequence || a.periodFrom.localeCompare(b.periodFrom));
  return m;
}

const FLIGHT_DESIGNATOR_RE = /^([A-Z0-9]{2}[A-Z]?)\s*(\d{1,4})?\s*([A-Z])?$/;

/** "XX 758", "XX758", "XX" → carrier and optional flight number. */
function readDesignator(text: string): { carrier: string; flightNumber: number | null } | null {
  const m = FLIGHT_DESIGNATOR_RE.exec(text.trim());
  if (!m) return null;
  return { carrier: m[1]!, flightNumber: m[2] === undefined ? null : Number(m[2]) };
}

function readSegments(
  file: SsimFile,
  groups: Map<string, SsimLegRecord[]>,
  opts: ExpandOptions,
  errors: SsimDiagnostic[],
  warn: (line: number, field: string, code: string, message: string) => void,
): { codeshares: CodeshareAgreement[]; disclosures: SsimDisclosure[]; operatedBy: Map<number, { carrier: string; flightNumber: number | null }> } {
  const codeshares = new Map<string, CodeshareAgreement>();
  const disclosures: SsimDisclosure[] = [];
  const operatedBy = new Map<number, { carrier: string; flightNumber: number | null }>();
  const bad = (seg: SsimSegmentRecord, message: string) =>
    errors.push({ severity: 'error', line: seg.line, field: 'data', code: 'bad_dei_data', message: `segment record DEI ${seg.dei}: ${message}`, raw: seg.raw });
  const add = (a: CodeshareAgreement) => {
    const { sourceRef: _ref, ...key } = a;
    const k = JSON.stringify(key);
    if (!codeshares.has(k)) codeshares.set(k, a);
  };
  /** the leg records a segment covers: from the leg leaving boardPoint to the leg reaching offPoint */
  const covered = (recs: SsimLegRecord[], seg: SsimSegmentRecord) => {
    const from = recs.findIndex((r) => r.departureStation === seg.boardPoint);
    const to = recs.findIndex((r, i) => i >= from && r.arrivalStation === seg.offPoint);
    return from < 0 || to < 0 ? [] : recs.slice(from, to + 1);
  };
  /** the validity of an itinerary: its records' earliest start to latest end */
  const validity = (recs: SsimLegRecord[]) => ({
    validFrom: recs.reduce((d, r) => (r.periodFrom < d ? r.periodFrom : d), recs[0]!.periodFrom),
    validTo: recs.reduce((d, r) => {
      const end = periodEnd(r, file, opts) ?? r.periodFrom;
      return end > d ? end : d;
    }, recs[0]!.periodFrom),
  });
  const carrierOnly: { seg: SsimSegmentRecord; recs: SsimLegRecord[]; operating: string; base: Omit<CodeshareAgreement, 'marketingCarrier' | 'marketingFlightNumber' | 'operatingCarrier' | 'operatingFlightNumber'> }[] = [];

  for (const seg of file.segments) {
    const recs = groups.get(groupKey(seg));
    if (!recs) {
      warn(seg.line, 'record', 'segment_without_leg', `segment data for ${seg.airline}${seg.flightNumber} itinerary ${seg.itineraryVariation} with no flight-leg record; ignored`);
      continue;
    }
    const base = { origin: seg.boardPoint, destination: seg.offPoint, ...validity(recs), sourceRef: `${file.source} line ${seg.line} (DEI ${seg.dei})` };
    switch (seg.dei) {
      case 10: {
        const entries = seg.data.split('/').map((t) => t.trim()).filter((t) => t !== '');
        const parsed = entries.map(readDesignator);
        if (entries.length === 0 || parsed.some((p) => p === null)) {
          bad(seg, `"${seg.data.trim()}" is not a list of flight designators (e.g. "AB 1234/CD 567")`);
          break;
        }
        for (const p of parsed) {
          add({ marketingCarrier: p!.carrier, marketingFlightNumber: p!.flightNumber, operatingCarrier: seg.airline, operatingFlightNumber: seg.flightNumber, ...base });
        }
        break;
      }
      case 50: {
        const p = readDesignator(seg.data);
        if (!p || p.flightNumber === null) {
          bad(seg, `"${seg.data.trim()}" is not an operating flight designator (e.g. "AB 1234")`);
          break;
        }
        add({ marketingCarrier: seg.airline, marketingFlightNumber: seg.flightNumber, operatingCarrier: p.carrier, operatingFlightNumber: p.flightNumber, ...base });
        for (const r of covered(recs, seg)) operatedBy.set(r.line, p);
        break;
      }
      case 2:
      case 9: {
        const m = /^([A-Z0-9]{2}[A-Z]?)\b/.exec(seg.data.trim());
        if (!m) {
          bad(seg, `"${seg.data.trim()}" does not start with an operating airline designator`);
          break;
        }
        carrierOnly.push({ seg, recs, operating: m[1]!, base });
        break;
      }
      case 127:
        disclosures.push({ airline: seg.airline, flightNumber: seg.flightNumber, line: seg.line, text: seg.data.trim() });
        break;
      default:
        break;
    }
  }
  // DEI 2/9 name the operating airline only: used where no DEI 50 named the operating flight
  for (const { seg, recs, operating, base } of carrierOnly) {
    const legs = covered(recs, seg);
    if (legs.length > 0 && legs.every((r) => operatedBy.has(r.line))) continue;
    for (const r of legs) if (!operatedBy.has(r.line)) operatedBy.set(r.line, { carrier: operating, flightNumber: null });
    add({ marketingCarrier: seg.airline, marketingFlightNumber: seg.flightNumber, operatingCarrier: operating, operatingFlightNumber: null, ...base });
  }
  return { codeshares: [...codeshares.values()], disclosures, operatedBy };
}
