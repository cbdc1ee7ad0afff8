/**
 * KPIs per market and for the network, over leg departures in a local date range: revenue, passengers,
 * load factor, yield and RASK (great-circle distances from the airports' coordinates), average fare,
 * passengers denied boarding (sold beyond the seats of an overbooked cabin; counted among the sold too),
 * and forecast accuracy (the last forecast made at least `leadDays` before departure against the
 * passengers booked at departure). A date range may reach past `now`: the departures still to fly count
 * what is on the books so far, so each row also gives the flown part apart (`flown`). Revenue in other currencies is converted at the dated exchange rate
 * of its booking day; what no rate converts is reported apart, never guessed.
 */
import type { Database } from 'better-sqlite3';
import type { KpiRow } from '../api/contract/monitoring';
import { currencyExponent } from '../domain/money';
import { accuracy, FORECAST_ACCURACY_LEAD_DAYS } from './accuracy';
import { rateOn } from './fx';
import { greatCircleKm } from './geo';
import { operatedByItsCarrierSql } from '../domain/codeshare';

export interface KpiQuery {
  dateFrom: string;
  dateTo: string;
  origin?: string;
  destination?: string;
  /** default: the own carrier(s) */
  carrier?: string;
  currency?: string;
  /** the forecast compared is the last one made at least this many days before departure */
  leadDays?: number;
  now: string;
}

const SOLD = "('booked', 'flown', 'no_show', 'denied_boarding')";

interface Acc {
  origin: string; destination: string; departures: number; seats: number; passengers: number; denied: number; revenue: number;
  km: number | null; unconverted: Map<string, number>; pairs: { forecast: number; actual: number }[];
  /** the part of the departures, seats, passengers and revenue that has flown (departed by `now`) */
  flown: { departures: number; seats: number; passengers: number; revenue: number };
}

const noneFlown = () => ({ departures: 0, seats: 0, passengers: 0, revenue: 0 });

export function computeKpis(db: Database, q: KpiQuery): KpiRow[] {
  const where: string[] = ['f.local_date BETWEEN @from AND @to'];
  const p: Record<string, unknown> = { from: q.dateFrom, to: q.dateTo, now: q.now, lead: q.leadDays ?? FORECAST_ACCURACY_LEAD_DAYS };
  if (q.carrier) { where.push('f.carrier = @carrier'); p.carrier = q.carrier; } else where.push('f.carrier IN (SELECT code FROM carriers WHERE own = 1)');
  // the departures the carrier operates: a codeshare of ours on a partner's flight carries the partner's seats
  // (counted, they made the load factor and RASK look lower by the partner's whole capacity)
  where.push(operatedByItsCarrierSql('f'));
  if (q.origin) { where.push('f.origin = @origin'); p.origin = q.origin; }
  if (q.destination) { where.push('f.destination = @destination'); p.destination = q.destination; }
  const w = where.join(' AND ');
  const markets = new Map<string, Acc>();
  const coords = new Map((db.prepare('SELECT code, lat, lon FROM airports').all() as { code: string; lat: number; lon: number }[]).map((a) => [a.code, a]));
  const acc = (o: string, d: string): Acc => {
    const k = `${o}-${d}`;
    let a = markets.get(k);
    if (!a) {
      const ao = coords.get(o);
      const ad = coords.get(d);
      a = { origin: o, destination: d, departures: 0, seats: 0, passengers: 0, denied: 0, revenue: 0, km: ao && ad ? greatCircleKm(ao, ad) : null, unconverted: new Map(), pairs: [], flown: noneFlown() };
      markets.set(k, a);
    }
    return a;
  };
  for (const r of db.prepare(`SELECT f.origin, f.destination, count(DISTINCT f.id) AS departures, sum(c.capacity) AS seats,
        count(DISTINCT CASE WHEN f.departure_utc <= @now THEN f.id END) AS flownDepartures, coalesce(sum(CASE WHEN f.departure_utc <= @now THEN c.capacity END), 0) AS flownSeats
      FROM flights f JOIN flight_cabins c ON c.flight_id = f.id WHERE ${w} GROUP BY f.origin, f.destination`).all(p) as { origin: string; destination: string; departures: number; seats: number; flownDepartures: number; flownSeats: number }[]) {
    const a = acc(r.origin, r.destination);
    a.departures = r.departures;
    a.seats = r.seats;
    a.flown.departures = r.flownDepartures;
    a.flown.seats = r.flownSeats;
  }
  const money = db.prepare(`SELECT f.origin, f.destination, b.currency, substr(b.booked_at, 1, 10) AS day, f.departure_utc <= @now AS flown, sum(b.amount_minor) AS revenue, sum(b.passengers) AS pax,
        sum(CASE WHEN b.status = 'denied_boarding' THEN b.passengers ELSE 0 END) AS denied
      FROM bookings b JOIN flights f ON f.id = b.flight_id WHERE ${w} AND b.status IN ${SOLD} GROUP BY 1, 2, 3, 4, 5`).all(p) as { origin: string; destination: string; currency: string; day: string; flown: number; revenue: number; pax: number; denied: number }[];
  const byCurrency = new Map<string, number>();
  for (const r of money) byCurrency.set(r.currency, (byCurrency.get(r.currency) ?? 0) + r.pax);
  const currency = q.currency ?? [...byCurrency.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'EUR';
  const rates = new Map<string, number | null>();
  for (const r of money) {
    const a = acc(r.origin, r.destination);
    a.passengers += r.pax;
    a.denied += r.denied;
    if (r.flown) a.flown.passengers += r.pax;
    const rk = `${r.currency}${r.day}`;
    if (!rates.has(rk)) rates.set(rk, rateOn(db, r.currency, currency, r.day));
    const rate = rates.get(rk)!;
    if (rate === null) { a.unconverted.set(r.currency, (a.unconverted.get(r.currency) ?? 0) + r.revenue); continue; }
    const value = r.currency === currency ? r.revenue : convert(r.revenue, r.currency, currency, rate);
    a.revenue += value;
    if (r.flown) a.flown.revenue += value;
  }
  const fc = db.prepare(`WITH fc AS (
      SELECT fo.flight_id, fo.cabin, fo.net_final,
             row_number() OVER (PARTITION BY fo.flight_id, fo.rbd ORDER BY pc.started_at DESC) AS rn
        FROM forecasts fo JOIN pricing_cycles pc ON pc.id = fo.cycle_id JOIN flights f ON f.id = fo.flight_id
       WHERE ${w} AND f.departure_utc <= @now
         AND pc.started_at <= strftime('%Y-%m-%dT%H:%M:%fZ', f.departure_utc, '-' || @lead || ' days'))
    SELECT f.origin, f.destination, sum(fc.net_final) AS forecast,
           (SELECT coalesce(sum(b.passengers), 0) FROM bookings b WHERE b.flight_id = fc.flight_id AND b.cabin = fc.cabin AND b.status IN ${SOLD}) AS actual
      FROM fc JOIN flights f ON f.id = fc.flight_id WHERE fc.rn = 1 GROUP BY fc.flight_id, fc.cabin`).all(p) as { origin: string; destination: string; forecast: number; actual: number }[];
  for (const r of fc) acc(r.origin, r.destination).pairs.push({ forecast: r.forecast, actual: r.actual });

  const rows = [...markets.values()].sort((a, b) => a.origin.localeCompare(b.origin) || a.destination.localeCompare(b.destination)).map((a) => row('market', a, currency));
  const net: Acc = { origin: '', destination: '', departures: 0, seats: 0, passengers: 0, denied: 0, revenue: 0, km: null, unconverted: new Map(), pairs: [], flown: noneFlown() };
  let rpk = 0;
  let ask = 0;
  for (const a of markets.values()) {
    net.departures += a.departures; net.seats += a.seats; net.passengers += a.passengers; net.denied += a.denied; net.revenue += a.revenue;
    for (const k of ['departures', 'seats', 'passengers', 'revenue'] as const) net.flown[k] += a.flown[k];
    for (const [c, v] of a.unconverted) net.unconverted.set(c, (net.unconverted.get(c) ?? 0) + v);
    for (const p of a.pairs) net.pairs.push(p);
    rpk += a.passengers * (a.km ?? 0);
    ask += a.seats * (a.km ?? 0);
  }
  const network = row('network', net, currency);
  network.rpk = rpk;
  network.ask = ask;
  network.yieldMinorPerKm = rpk > 0 ? net.revenue / rpk : null;
  network.raskMinorPerKm = ask > 0 ? net.revenue / ask : null;
  return [...rows, network];
}

function convert(amountMinor: number, from: string, to: string, rate: number): number {
  return Math.round((amountMinor / 10 ** currencyExponent(from)) * rate * 10 ** currencyExponent(to));
}

function row(scope: 'market' | 'network', a: Acc, currency: string): KpiRow {
  const rpk = a.passengers * (a.km ?? 0);
  const ask = a.seats * (a.km ?? 0);
  return {
    scope, origin: scope === 'market' ? a.origin : null, destination: scope === 'market' ? a.destination : null, currency,
    departures: a.departures, seats: a.seats, passengers: a.passengers, loadFactor: a.seats > 0 ? a.passengers / a.seats : null, deniedBoardings: a.denied,
    revenueMinor: a.revenue, averageFareMinor: a.passengers > 0 ? Math.round(a.revenue / a.passengers) : null,
    distanceKm: scope === 'market' ? a.km : null, rpk, ask,
    yieldMinorPerKm: rpk > 0 ? a.revenue / rpk : null, raskMinorPerKm: ask > 0 ? a.revenue / ask : null,
    forecast: a.pairs.length ? accuracy(a.pairs) : null,
    flown: { departures: a.flown.departures, seats: a.flown.seats, passengers: a.flown.passengers, loadFactor: a.flown.seats > 0 ? a.flown.passengers / a.flown.seats : null, revenueMinor: a.flown.revenue },
    unconverted: [...a.unconverted.entries()].map(([c, v]) => ({ currency: c, revenueMinor: v })),
  };
}
