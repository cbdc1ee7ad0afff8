/**
 * The sandbox PROS O&D system, as connectors/specs/pros.openapi.json describes it: the demand publication
 * stream (historical and current demand by market, departure date, cabin and DCP), route performance by
 * leg and date, real-time market queries, and CSV batch files (connectors/specs/csv) written to a drop
 * folder on request.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DemandRecord, RoutePerformance } from '../../engine/ports/demand';
import { formatAmount } from '../specs/decimal';
import { PROS_DEMAND_FILE, PROS_ROUTE_PERFORMANCE_FILE, writeCsv, type CellValue } from '../specs/csv';
import { badRequest } from './http/errors';
import { Router, dateParam, intParam, type RequestContext } from './http/server';
import { ListCache, decodeCursor, encodeCursor, keysetPage, sortByKey } from './http/paging';
import type { TokenAuthority } from './http/auth';
import { tokenRoute } from './token-route';
import { nextLink } from './pss';
import { stateKey, type SandboxState } from './state';

export function wireDemand(d: DemandRecord) {
  return {
    carrier: d.carrier, origin: d.origin, destination: d.destination, departureDate: d.departureDate, cabin: d.cabin, dcp: d.dcp, kind: d.kind,
    bookings: d.bookings, unconstrainedDemand: d.unconstrainedDemand, asOf: d.asOf,
  };
}

export function wireRoutePerformance(r: RoutePerformance) {
  return {
    carrier: r.carrier, origin: r.origin, destination: r.destination, departureDate: r.departureDate, cabin: r.cabin, seats: r.seats,
    passengers: r.passengers, loadFactor: r.loadFactor, revenue: r.revenueMinor === null || r.currency === null ? null : formatAmount(r.revenueMinor, r.currency),
    currency: r.revenueMinor === null ? null : r.currency, asOf: r.asOf,
  };
}

const routeKey = (r: RoutePerformance) => `${r.departureDate} ${r.carrier} ${r.origin}${r.destination} ${r.cabin}`;

function marketParams(ctx: RequestContext) {
  const { origin, destination } = ctx.params as { origin: string; destination: string };
  if (!/^[A-Z]{3}$/.test(origin)) throw badRequest('origin', `"${origin}" is not an IATA airport code`);
  if (!/^[A-Z]{3}$/.test(destination)) throw badRequest('destination', `"${destination}" is not an IATA airport code`);
  const fromDate = dateParam(ctx, 'fromDate');
  const toDate = dateParam(ctx, 'toDate');
  if (fromDate > toDate) throw badRequest('fromDate', `${fromDate} is after toDate ${toDate}`);
  const cabin = ctx.query.get('cabin') || undefined;
  if (cabin !== undefined && !/^[A-Z]{1,2}$/.test(cabin)) throw badRequest('cabin', `"${cabin}" is not a cabin code`);
  return { origin, destination, fromDate, toDate, cabin };
}

export function prosRouter(state: SandboxState, auth: TokenAuthority): Router {
  const { market } = state;
  const cache = new ListCache(4);
  const asOf = () => market.clock.now().toISOString();
  return new Router()
    .add('POST', '/oauth2/token', tokenRoute(auth), { auth: false })
    .add('GET', '/v1/demand', (ctx) => {
      const after = decodeCursor(ctx.query.get('after'));
      const limit = intParam(ctx, 'limit', 5000, 1, 20_000);
      const page = market.demandPublications(after, limit);
      const data = page.items.map((p) => wireDemand(p.record));
      return { kind: 'json', body: { data, nextCursor: encodeCursor(page.next), hasMore: page.hasMore, asOf: asOf() }, records: data, headers: nextLink(ctx, page.hasMore, encodeCursor(page.next)) };
    })
    .add('GET', '/v1/route-performance', (ctx) => {
      const fromDate = dateParam(ctx, 'fromDate');
      const toDate = dateParam(ctx, 'toDate');
      if (fromDate > toDate) throw badRequest('fromDate', `${fromDate} is after toDate ${toDate}`);
      const limit = intParam(ctx, 'limit', 5000, 1, 20_000);
      const query = `route-performance:${fromDate}:${toDate}`;
      const items = cache.get(`${query}#${stateKey(state)}`, () => sortByKey(market.routePerformance(fromDate, toDate), routeKey));
      const { page, nextPageToken } = keysetPage(items, routeKey, ctx.query.get('pageToken'), query, limit);
      const data = page.map(wireRoutePerformance);
      return { kind: 'json', body: { data, nextPageToken, asOf: asOf() }, records: data };
    })
    .add('GET', '/v1/markets/:origin/:destination/demand', (ctx) => {
      const q = marketParams(ctx);
      const dcpText = ctx.query.get('dcps');
      let dcps: number[] | undefined;
      if (dcpText) {
        dcps = dcpText.split(',').map((t) => Number(t.trim()));
        if (dcps.some((d) => !Number.isInteger(d) || d < 0)) throw badRequest('dcps', `"${dcpText}" is not a comma-separated list of whole days`);
      }
      const data = market.demand({ ...q, dcps }).map(wireDemand);
      return { kind: 'json', body: { data, asOf: asOf() }, records: data };
    })
    .add('GET', '/v1/markets/:origin/:destination/route-performance', (ctx) => {
      const q = marketParams(ctx);
      const data = market.routePerformance(q.fromDate, q.toDate)
        .filter((r) => r.origin === q.origin && r.destination === q.destination && (!q.cabin || r.cabin === q.cabin))
        .map(wireRoutePerformance);
      return { kind: 'json', body: { data, asOf: asOf() }, records: data };
    });
}

export interface WrittenFile {
  file: string;
  rows: number;
  badRows: number;
}

/** A file-name time stamp: 20260301T060000Z. */
export function stamp(iso: string): string {
  return iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '').slice(0, 16);
}

/** Writes a file atomically: a hidden temporary name first, renamed when complete. */
export function writeFileAtomic(dir: string, name: string, text: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, name);
  const tmp = path.join(dir, `.${name}.partial`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, target);
  return target;
}

/**
 * Writes a PROS batch file (demand: every publication so far for departures in the range; route
 * performance: the range) into `dir`. `badRowRate` corrupts that share of rows (one cell each) for
 * quarantine tests, drawn from `random`.
 */
export function writeProsFile(state: SandboxState, dir: string, kind: 'demand' | 'route_performance', fromDate: string, toDate: string, badRowRate: number, random: () => number, suffix = ''): WrittenFile {
  const { market } = state;
  const at = market.clock.now().toISOString();
  let rows: CellValue[][];
  let spec: { kind: string; columns: object };
  if (kind === 'demand') {
    spec = PROS_DEMAND_FILE;
    const byKey = new Map<string, DemandRecord>();
    for (let after = 0; ;) {
      const page = market.demandPublications(after, 50_000);
      for (const p of page.items) {
        const d = p.record;
        if (d.departureDate < fromDate || d.departureDate > toDate) continue;
        byKey.set(`${d.carrier}|${d.origin}|${d.destination}|${d.departureDate}|${d.cabin}|${d.dcp}`, d);
      }
      if (!page.hasMore) break;
      after = page.next;
    }
    const r3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
    rows = [...byKey.values()].map((d) => [d.carrier, d.origin, d.destination, d.departureDate, d.cabin, d.dcp, d.kind, r3(d.bookings), r3(d.unconstrainedDemand), d.asOf]);
  } else {
    spec = PROS_ROUTE_PERFORMANCE_FILE;
    rows = market.routePerformance(fromDate, toDate).map((r) => {
      const w = wireRoutePerformance(r);
      return [w.carrier, w.origin, w.destination, w.departureDate, w.cabin, w.seats, w.passengers, w.loadFactor, w.revenue, w.currency, w.asOf];
    });
  }
  let badRows = 0;
  if (badRowRate > 0) {
    for (const row of rows) {
      if (random() >= badRowRate) continue;
      // a required date or number column made unreadable
      row[3] = 'not-a-date';
      badRows++;
    }
  }
  const name = `${kind}_${stamp(at)}${suffix ? `_${suffix}` : ''}.csv`;
  const file = writeFileAtomic(dir, name, writeCsv(spec, rows));
  state.files.push({ system: 'pros', file, kind, rows: rows.length, badRows, at });
  return { file, rows: rows.length, badRows };
}
