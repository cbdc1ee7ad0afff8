/**
 * The sandbox network-planning system, as connectors/specs/planning.openapi.json describes it: the planned
 * schedule of our carrier as an IATA SSIM chapter 7 file (written with connectors/ssim from the market's
 * operated legs, codeshares as DEI 10 segment records), codeshare agreements, airports and the holiday and
 * event calendar; SSIM files also dropped into a folder on request.
 */
import type { Airport, FlightLeg } from '../../engine/domain/types';
import type { CalendarEvent, CodeshareAgreement } from '../../engine/ports/schedule';
import { datedLegFromFlightLeg, legFieldsFromDatedLegs, writeSsim } from '../ssim/write';
import type { SsimSegmentFields } from '../ssim/types';
import { badRequest } from './http/errors';
import { Router, dateParam, intParam, type RequestContext } from './http/server';
import { ListCache, keysetPage, sortByKey } from './http/paging';
import type { TokenAuthority } from './http/auth';
import { tokenRoute } from './token-route';
import { stamp, writeFileAtomic, type WrittenFile } from './pros';
import { stateKey, type SandboxState } from './state';

export function wireCodeshare(c: CodeshareAgreement) {
  return {
    marketingCarrier: c.marketingCarrier, marketingFlightNumber: c.marketingFlightNumber, operatingCarrier: c.operatingCarrier,
    operatingFlightNumber: c.operatingFlightNumber, origin: c.origin, destination: c.destination, validFrom: c.validFrom, validTo: c.validTo,
  };
}

export function wirePlanningAirport(a: Airport) {
  return { code: a.code, name: a.name, timeZone: a.timeZone, latitude: a.lat, longitude: a.lon, country: a.country ?? null };
}

export function wireCalendarEvent(e: CalendarEvent) {
  return { fromDate: e.fromDate, toDate: e.toDate, name: e.name, kind: e.kind, country: e.country, airport: e.airport };
}

const codeshareKey = (c: CodeshareAgreement) =>
  `${c.operatingCarrier}${String(c.operatingFlightNumber ?? 0).padStart(4, '0')} ${c.marketingCarrier}${String(c.marketingFlightNumber ?? 0).padStart(4, '0')} ${c.origin ?? ''}${c.destination ?? ''} ${c.validFrom}`;
const calendarKey = (e: CalendarEvent) => `${e.fromDate} ${e.name} ${e.country ?? ''} ${e.airport ?? ''}`;

/** IATA season of a date: summer (S) from April to October, else winter (W), with the two-digit year. */
export function seasonOf(date: string): string {
  const month = Number(date.slice(5, 7));
  const year = Number(date.slice(0, 4));
  if (month >= 4 && month <= 10) return `S${String(year % 100).padStart(2, '0')}`;
  const y = month <= 3 ? year - 1 : year;
  return `W${String(y % 100).padStart(2, '0')}`;
}

/**
 * The SSIM file of our carrier's operated legs departing in [fromDate, toDate]; codeshares of other
 * carriers on those legs as DEI 10. `badRecordRate` makes that share of flight-leg records unusable (an
 * impossible period date), for quarantine tests; returns how many.
 */
export function buildSsim(state: SandboxState, fromDate: string, toDate: string, badRecordRate: number, random: () => number): { text: string; legs: number; badRecords: number } {
  const { market } = state;
  const own = market.ownCarrier;
  const zones = new Map(market.airports().map((a) => [a.code, a.timeZone]));
  const tz = (code: string) => {
    const z = zones.get(code);
    if (!z) throw new Error(`sandbox planning: airport ${code} has no time zone`);
    return z;
  };
  const operated: FlightLeg[] = market.flights(fromDate, toDate).filter((f) => f.carrier === own && !f.operatingCarrier);
  const legs = legFieldsFromDatedLegs(operated.map((f) => datedLegFromFlightLeg(f, tz)));
  const marketing = new Map<number, CodeshareAgreement[]>();
  for (const c of market.codeshares()) {
    if (c.operatingCarrier !== own || c.operatingFlightNumber === null || c.marketingFlightNumber === null) continue;
    if (c.validTo < fromDate || c.validFrom > toDate) continue;
    marketing.set(c.operatingFlightNumber, [...(marketing.get(c.operatingFlightNumber) ?? []), c]);
  }
  const segments: SsimSegmentFields[] = [];
  const done = new Set<string>();
  for (const l of legs) {
    const partners = marketing.get(l.flightNumber);
    const key = `${l.flightNumber}|${l.itineraryVariation}|${l.legSequence}`;
    if (!partners || done.has(key)) continue;
    done.add(key);
    const designators = [...new Set(partners.map((p) => `${p.marketingCarrier.padEnd(3, ' ')}${p.marketingFlightNumber}`))].join('/');
    segments.push({
      operationalSuffix: l.operationalSuffix, airline: l.airline, flightNumber: l.flightNumber, itineraryVariation: l.itineraryVariation,
      legSequence: l.legSequence, serviceType: l.serviceType, boardPointIndicator: 'A', offPointIndicator: 'B', dei: 10,
      boardPoint: l.departureStation, offPoint: l.arrivalStation, data: designators,
    });
  }
  let text = writeSsim({
    airline: own, timeMode: 'L', season: seasonOf(fromDate), validFrom: fromDate, validTo: toDate,
    creationDate: market.clock.now().toISOString().slice(0, 10), legs, segments,
  });
  let badRecords = 0;
  if (badRecordRate > 0) {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line[0] !== '3' || random() >= badRecordRate) continue;
      // period from (bytes 15-21) set to an impossible date
      lines[i] = `${line.slice(0, 14)}32XXX99${line.slice(21)}`;
      badRecords++;
    }
    text = lines.join('\n');
  }
  return { text, legs: legs.length, badRecords };
}

function dates(ctx: RequestContext, dflt?: { fromDate: string; toDate: string }) {
  const fromDate = dateParam(ctx, 'fromDate', dflt?.fromDate);
  const toDate = dateParam(ctx, 'toDate', dflt?.toDate);
  if (fromDate > toDate) throw badRequest('fromDate', `${fromDate} is after toDate ${toDate}`);
  return { fromDate, toDate };
}

export function planningRouter(state: SandboxState, auth: TokenAuthority): Router {
  const { market } = state;
  const cache = new ListCache(4);
  const page = <T>(ctx: RequestContext, query: string, build: () => T[], keyOf: (t: T) => string, toWire: (t: T) => unknown) => {
    const limit = intParam(ctx, 'limit', 1000, 1, 10_000);
    const items = cache.get(`${query}#${stateKey(state)}`, () => sortByKey(build(), keyOf));
    const r = keysetPage(items, keyOf, ctx.query.get('pageToken'), query, limit);
    const data = r.page.map(toWire);
    return { kind: 'json' as const, body: { data, nextPageToken: r.nextPageToken }, records: data };
  };
  return new Router()
    .add('POST', '/oauth2/token', tokenRoute(auth), { auth: false })
    .add('GET', '/v1/schedules/ssim', (ctx) => {
      const { fromDate, toDate } = dates(ctx, market.flightWindow());
      const { text, badRecords } = buildSsim(state, fromDate, toDate, ctx.badRecords.rate, ctx.badRecords.random);
      ctx.badRecords.corrupted += badRecords;
      const name = `${market.ownCarrier}_${seasonOf(fromDate)}_${stamp(market.clock.now().toISOString())}.ssim`;
      return { kind: 'text', body: text, contentType: 'text/plain; charset=us-ascii', headers: { 'content-disposition': `attachment; filename="${name}"` } };
    })
    .add('GET', '/v1/codeshares', (ctx) => page(ctx, 'codeshares', () => market.codeshares(), codeshareKey, wireCodeshare))
    .add('GET', '/v1/airports', (ctx) => page(ctx, 'airports', () => market.airports(), (a) => a.code, wirePlanningAirport))
    .add('GET', '/v1/calendar', (ctx) => {
      const { fromDate, toDate } = dates(ctx);
      return page(ctx, `calendar:${fromDate}:${toDate}`, () => market.calendar(fromDate, toDate), calendarKey, wireCalendarEvent);
    });
}

/** Writes an SSIM file of [fromDate, toDate] into `dir`. */
export function writeSsimFile(state: SandboxState, dir: string, fromDate: string, toDate: string, badRecordRate: number, random: () => number): WrittenFile {
  const { text, legs, badRecords } = buildSsim(state, fromDate, toDate, badRecordRate, random);
  const at = state.market.clock.now().toISOString();
  const file = writeFileAtomic(dir, `${state.market.ownCarrier}_${seasonOf(fromDate)}_${stamp(at)}.ssim`, text);
  state.files.push({ system: 'planning', file, kind: 'ssim', rows: legs, badRows: badRecords, at });
  return { file, rows: legs, badRows: badRecords };
}
