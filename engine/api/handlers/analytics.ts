/**
 * Analytics read models: the review summary (decisions summed by market or flight under the review
 * filter), own fares against competitors per departure date, and load factor / revenue trends (the
 * monitoring KPIs per period).
 */
import type { Database } from 'better-sqlite3';
import type { Handlers } from '../dispatch';
import { ApiError } from '../errors';
import { analyticsContract, type CompetitorSeriesPoint, type DemandByDcpPoint, type ReviewSummaryRow, type TrendPoint } from '../contract/analytics';
import { filterSql } from '../../workflow/filter';
import { computeKpis } from '../../monitoring/kpis';
import { convertMinor } from '../../monitoring/fx';
import { quantile } from '../../pricing/competitor';
import { addDays } from '../../domain/time';
import { parseByDcp } from '../../pricing/byDcp';

const MAX_PERIODS = 160;

interface SummaryDbRow {
  origin: string; destination: string; flight_id: string; travel_date: string; flights: number; decisions: number;
  outside: number; overrides: number; avg_change: number | null; min_change: number | null; max_change: number | null;
  avg_lf: number | null; first_date: string; last_date: string;
}

/**
 * Our lowest open fare per departure date in a market and cabin: per own departure and RBD of the
 * cabin that is open with seats left, the departure's own price if it has one, else the market fare
 * valid that day; the lowest of them.
 */
const OWN_LOWEST = `
  SELECT f.local_date AS date, fa.currency, min(fa.amount_minor) AS amount
    FROM flights f
    JOIN rbds r ON r.carrier = f.carrier AND r.cabin = @cabin
    JOIN inventory i ON i.flight_id = f.id AND i.rbd = r.rbd AND i.status = 'open' AND i.authorised > i.sold
    JOIN fares fa ON fa.id = (
      SELECT x.id FROM fares x
       WHERE x.carrier = f.carrier AND x.origin = f.origin AND x.destination = f.destination AND x.rbd = r.rbd
         AND x.valid_from <= f.local_date AND x.valid_to >= f.local_date AND x.flight_id IN ('', f.id)
       ORDER BY x.flight_id = '', x.updated_at DESC, x.id DESC LIMIT 1)
   WHERE f.origin = @origin AND f.destination = @destination AND f.local_date BETWEEN @from AND @to
     AND f.carrier IN (SELECT code FROM carriers WHERE own = 1)
   GROUP BY f.local_date, fa.currency`;

/** Each competitor's latest observation per departure date (not after now). */
const COMPETITOR_LATEST = `
  SELECT departure_date AS date, carrier, amount_minor AS amount, currency, substr(observed_at, 1, 10) AS day FROM (
    SELECT c.*, row_number() OVER (PARTITION BY c.carrier, c.departure_date ORDER BY c.observed_at DESC, c.id DESC) AS rn
      FROM competitor_fares c
     WHERE c.origin = @origin AND c.destination = @destination AND c.departure_date BETWEEN @from AND @to
       AND c.cabin IN ('', @cabin) AND c.observed_at <= @now
       AND c.carrier NOT IN (SELECT code FROM carriers WHERE own = 1))
   WHERE rn = 1`;

/** Period starts from `from` to `to`: every day, every Monday-aligned week, or every calendar month. */
export function periodStarts(from: string, to: string, granularity: 'day' | 'week' | 'month'): { start: string; end: string }[] {
  const out: { start: string; end: string }[] = [];
  let start = from;
  while (start <= to) {
    let next: string;
    if (granularity === 'day') next = addDays(start, 1);
    else if (granularity === 'week') {
      const dow = (new Date(`${start}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
      next = addDays(start, 7 - dow);
    } else {
      const d = new Date(`${start}T00:00:00Z`);
      next = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
    }
    const end = addDays(next, -1) < to ? addDays(next, -1) : to;
    out.push({ start, end });
    if (out.length > MAX_PERIODS) break;
    start = next;
  }
  return out;
}

export function analyticsHandlers(deps: { db: Database; now: () => string }): Handlers<typeof analyticsContract> {
  const { db } = deps;
  return {
    'analytics.reviewSummary'(input) {
      const { where, params } = filterSql(input.filter);
      const byFlight = input.groupBy === 'flight';
      const group = byFlight ? 'd.origin, d.destination, d.flight_id, d.travel_date' : 'd.origin, d.destination';
      const keys = byFlight ? "d.origin, d.destination, d.flight_id, d.travel_date" : "d.origin, d.destination, '' AS flight_id, '' AS travel_date";
      const rows = db.prepare(`
        SELECT ${keys}, count(DISTINCT nullif(d.flight_id, '')) AS flights, count(*) AS decisions,
               sum(d.outside_guardrails) AS outside, sum(d.source = 'override') AS overrides,
               avg(d.change_pct) AS avg_change, min(d.change_pct) AS min_change, max(d.change_pct) AS max_change,
               avg(d.load_factor) AS avg_lf, min(d.travel_date) AS first_date, max(d.travel_date_to) AS last_date
          FROM decisions d ${where}
         GROUP BY ${group}
         ORDER BY ${byFlight ? 'd.travel_date, d.flight_id' : 'd.origin, d.destination'}
         LIMIT @limit`).all({ ...params, limit: input.limit }) as SummaryDbRow[];
      const states = new Map<string, Record<string, number>>();
      const groupKey = (r: { origin: string; destination: string; flight_id: string; travel_date: string }) => `${r.origin}|${r.destination}|${r.flight_id}|${r.travel_date}`;
      for (const s of db.prepare(`SELECT ${keys}, d.state, count(*) AS n FROM decisions d ${where} GROUP BY ${group}, d.state`).all(params) as (SummaryDbRow & { state: string; n: number })[]) {
        const k = groupKey(s);
        states.set(k, { ...states.get(k), [s.state]: s.n });
      }
      return {
        rows: rows.map((r): ReviewSummaryRow => ({
          key: byFlight ? r.flight_id || `${r.origin}-${r.destination} ${r.travel_date}` : `${r.origin}-${r.destination}`,
          origin: r.origin, destination: r.destination,
          flightId: byFlight ? r.flight_id || null : null, travelDate: byFlight ? r.travel_date : null,
          flights: r.flights, decisions: r.decisions, byState: states.get(groupKey(r)) ?? {},
          outsideGuardrails: r.outside, overrides: r.overrides,
          avgChangePct: r.avg_change, minChangePct: r.min_change, maxChangePct: r.max_change,
          avgLoadFactor: r.avg_lf, firstDate: r.first_date, lastDate: r.last_date,
        })),
      };
    },

    'analytics.competitorFares'(input) {
      const p = { origin: input.origin, destination: input.destination, cabin: input.cabin, from: input.dateFrom, to: input.dateTo, now: deps.now() };
      const own = db.prepare(OWN_LOWEST).all(p) as { date: string; currency: string; amount: number }[];
      const comp = db.prepare(COMPETITOR_LATEST).all(p) as { date: string; carrier: string; amount: number; currency: string; day: string }[];
      const counts = new Map<string, number>();
      for (const o of own) counts.set(o.currency, (counts.get(o.currency) ?? 0) + 1);
      for (const c of comp) counts.set(c.currency, (counts.get(c.currency) ?? 0) + 0.5);
      const currency = input.currency ?? [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'EUR';
      const points = new Map<string, CompetitorSeriesPoint & { prices: number[] }>();
      const point = (date: string) => {
        let x = points.get(date);
        if (!x) { x = { date, ownMinor: null, minMinor: null, q1Minor: null, medianMinor: null, q3Minor: null, byCarrier: {}, prices: [] }; points.set(date, x); }
        return x;
      };
      let unconverted = 0;
      for (const o of own) {
        const v = convertMinor(db, o.amount, o.currency, currency, o.date <= p.now.slice(0, 10) ? o.date : p.now.slice(0, 10));
        if (v === null) { unconverted++; continue; }
        const x = point(o.date);
        x.ownMinor = x.ownMinor === null ? v : Math.min(x.ownMinor, v);
      }
      const carriers = new Set<string>();
      for (const c of comp) {
        const v = convertMinor(db, c.amount, c.currency, currency, c.day);
        if (v === null) { unconverted++; continue; }
        const x = point(c.date);
        x.byCarrier[c.carrier] = v;
        x.prices.push(v);
        carriers.add(c.carrier);
      }
      const out = [...points.values()].sort((a, b) => a.date.localeCompare(b.date)).map(({ prices, ...x }) => {
        if (prices.length === 0) return x;
        const s = prices.sort((a, b) => a - b);
        return { ...x, minMinor: s[0]!, q1Minor: Math.round(quantile(s, 0.25)), medianMinor: Math.round(quantile(s, 0.5)), q3Minor: Math.round(quantile(s, 0.75)) };
      });
      return { origin: input.origin, destination: input.destination, cabin: input.cabin, currency, carriers: [...carriers].sort(), points: out, unconverted };
    },

    'analytics.demandByDcp'(input) {
      const p = { origin: input.origin, destination: input.destination, cabin: input.cabin, from: input.dateFrom, to: input.dateTo };
      const points = new Map<number, DemandByDcpPoint>();
      const point = (dcp: number) => {
        let x = points.get(dcp);
        if (!x) { x = { dcp, booked: null, forecastToCome: null, forecastSd: null, backtestActual: null, backtestForecast: null, wape: null, bias: null }; points.set(dcp, x); }
        return x;
      };
      const curves = db.prepare(`SELECT flight_id, dcps, gross FROM booking_curves
        WHERE origin = @origin AND destination = @destination AND cabin = @cabin AND departure_date BETWEEN @from AND @to`).all(p) as { flight_id: string; dcps: string; gross: string }[];
      const departures = new Set<string>();
      for (const c of curves) {
        departures.add(c.flight_id);
        const dcps = JSON.parse(c.dcps) as number[];
        (JSON.parse(c.gross) as (number | null)[]).forEach((g, k) => {
          if (g === null) return;
          const x = point(dcps[k]!);
          x.booked = (x.booked ?? 0) + g;
        });
      }
      const cycle = db.prepare("SELECT id, settings FROM pricing_cycles WHERE status = 'ok' ORDER BY finished_at DESC, started_at DESC LIMIT 1").get() as { id: string; settings: string } | undefined;
      if (cycle) {
        const raw = (JSON.parse(cycle.settings) as { dcps?: number[] }).dcps ?? [];
        const dcps = raw.length && raw[raw.length - 1] !== 0 ? [...raw, 0] : raw;
        const rows = db.prepare(`SELECT fo.flight_id, fo.from_period, fo.by_dcp FROM forecasts fo JOIN flights f ON f.id = fo.flight_id
          WHERE fo.cycle_id = @cycle AND fo.cabin = @cabin AND f.origin = @origin AND f.destination = @destination AND f.local_date BETWEEN @from AND @to`)
          .all({ ...p, cycle: cycle.id }) as { flight_id: string; from_period: number; by_dcp: string }[];
        const variance = new Map<number, number>();
        for (const r of rows) {
          departures.add(r.flight_id);
          const by = parseByDcp(r.by_dcp);
          by.m.forEach((m, i) => {
            const dcp = dcps[r.from_period + i];
            if (dcp === undefined) return;
            const x = point(dcp);
            x.forecastToCome = (x.forecastToCome ?? 0) + m;
            variance.set(dcp, (variance.get(dcp) ?? 0) + (by.s[i] ?? 0) ** 2);
          });
        }
        for (const [dcp, v] of variance) point(dcp).forecastSd = Math.sqrt(v);
      }
      const runAt = db.prepare('SELECT max(run_at) FROM backtest_results WHERE origin = @origin AND destination = @destination AND cabin = @cabin').pluck().get(p) as string | null;
      let backtest: { runAt: string; chosen: string | null; methods: { method: string; wape: number; mape: number; bias: number; cells: number; chosen: boolean }[] } | null = null;
      if (runAt) {
        const rows = db.prepare(`SELECT method, dcp, cells, actual, forecast, wape, mape, bias, chosen FROM backtest_results
          WHERE origin = @origin AND destination = @destination AND cabin = @cabin AND run_at = @runAt ORDER BY method, dcp`).all({ ...p, runAt }) as
          { method: string; dcp: number; cells: number; actual: number; forecast: number; wape: number; mape: number; bias: number; chosen: number }[];
        const chosen = rows.find((r) => r.chosen === 1)?.method ?? null;
        backtest = { runAt, chosen, methods: rows.filter((r) => r.dcp === -1).map((r) => ({ method: r.method, wape: r.wape, mape: r.mape, bias: r.bias, cells: r.cells, chosen: r.method === chosen })) };
        for (const r of rows) {
          if (r.dcp < 0 || r.method !== chosen) continue;
          const x = point(r.dcp);
          x.backtestActual = r.actual;
          x.backtestForecast = r.forecast;
          x.wape = r.wape;
          x.bias = r.bias;
        }
      }
      return {
        origin: input.origin, destination: input.destination, cabin: input.cabin, departures: departures.size, cycleId: cycle?.id ?? null, backtest,
        points: [...points.values()].sort((a, b) => b.dcp - a.dcp),
      };
    },

    'analytics.trends'(input) {
      const periods = periodStarts(input.dateFrom, input.dateTo, input.granularity);
      if (periods.length > MAX_PERIODS) {
        throw new ApiError('validation', `that is more than ${MAX_PERIODS} ${input.granularity}s: choose a coarser granularity or a shorter range`, { field: 'granularity' });
      }
      const whole = computeKpis(db, { dateFrom: input.dateFrom, dateTo: input.dateTo, origin: input.origin, destination: input.destination, currency: input.currency, now: deps.now() });
      const currency = whole.at(-1)?.currency ?? input.currency ?? 'EUR';
      const points = periods.map(({ start, end }): TrendPoint => {
        const rows = computeKpis(db, { dateFrom: start, dateTo: end, origin: input.origin, destination: input.destination, currency, now: deps.now() });
        const r = rows.at(-1)!;
        return { period: start, departures: r.departures, seats: r.seats, passengers: r.passengers, loadFactor: r.loadFactor, revenueMinor: r.revenueMinor, averageFareMinor: r.averageFareMinor, flownDepartures: r.flown.departures };
      });
      return { currency, granularity: input.granularity, points };
    },
  };
}
