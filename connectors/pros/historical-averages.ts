/**
 * The PROS fallback: historical averages. Every flown departure's demand (by market, cabin, DCP and
 * weekday of departure) and route performance (by leg, cabin and weekday) seen by the adapter is folded
 * into running means; when the feed is missing or stale, a query is answered with the means for the
 * requested dates, each record flagged by the port answer as `historical_average`. The stream delivers
 * each flown figure once; a figure received twice (the same file ingested as CSV after REST) counts twice,
 * which leaves a mean of identical figures unchanged.
 */
import { addDays, isoWeekday } from '../../engine/domain/time';
import type { DemandQuery, DemandRecord, RoutePerformance } from '../../engine/ports/demand';

interface Mean { sum: number; n: number }

export interface AveragesSnapshot {
  /** the newest historical record folded in (UTC ISO-8601), null when empty */
  asOf: string | null;
  demand: [string, Mean][];
  unconstrained: [string, Mean][];
  routes: [string, { pax: Mean; seats: Mean }][];
}

const add = (m: Mean | undefined, v: number): Mean => (m ? { sum: m.sum + v, n: m.n + 1 } : { sum: v, n: 1 });

export class HistoricalAverages {
  private readonly demandMeans = new Map<string, Mean>();
  private readonly unconstrainedMeans = new Map<string, Mean>();
  private readonly routeMeans = new Map<string, { pax: Mean; seats: Mean }>();
  asOf: string | null = null;

  static fromSnapshot(s: AveragesSnapshot): HistoricalAverages {
    const h = new HistoricalAverages();
    for (const [k, v] of s.demand) h.demandMeans.set(k, v);
    for (const [k, v] of s.unconstrained) h.unconstrainedMeans.set(k, v);
    for (const [k, v] of s.routes) h.routeMeans.set(k, v);
    h.asOf = s.asOf;
    return h;
  }

  snapshot(): AveragesSnapshot {
    return { asOf: this.asOf, demand: [...this.demandMeans], unconstrained: [...this.unconstrainedMeans], routes: [...this.routeMeans] };
  }

  get size(): number {
    return this.demandMeans.size + this.routeMeans.size;
  }

  /** Folds in the historical (flown) records; current ones are ignored. */
  addDemand(records: readonly DemandRecord[]): void {
    for (const d of records) {
      if (d.kind !== 'historical') continue;
      const k = demandKey(d.carrier, d.origin, d.destination, d.cabin, d.dcp, isoWeekday(d.departureDate));
      this.demandMeans.set(k, add(this.demandMeans.get(k), d.bookings));
      if (d.unconstrainedDemand !== null) this.unconstrainedMeans.set(k, add(this.unconstrainedMeans.get(k), d.unconstrainedDemand));
      if (!this.asOf || d.asOf > this.asOf) this.asOf = d.asOf;
    }
  }

  /** Folds in route performance of departures before `flownBefore` (local date). */
  addRoutes(records: readonly RoutePerformance[], flownBefore: string): void {
    for (const r of records) {
      if (r.departureDate >= flownBefore) continue;
      const k = routeKey(r.carrier, r.origin, r.destination, r.cabin, isoWeekday(r.departureDate));
      const m = this.routeMeans.get(k);
      this.routeMeans.set(k, { pax: add(m?.pax, r.passengers), seats: add(m?.seats, r.seats) });
      if (!this.asOf || r.asOf > this.asOf) this.asOf = r.asOf;
    }
  }

  /** Mean demand for each date, cabin and DCP of the query that has history. */
  demand(q: DemandQuery, carriers: readonly string[]): DemandRecord[] {
    const asOf = this.asOf ?? new Date(0).toISOString();
    const matching = [...this.demandMeans].map(([k, m]) => ({ parts: k.split('|'), k, m })).filter(({ parts: [carrier, origin, destination, cabin, dcp] }) =>
      origin === q.origin && destination === q.destination && carriers.includes(carrier!) && (!q.cabin || cabin === q.cabin) && (!q.dcps || q.dcps.includes(Number(dcp))));
    const out: DemandRecord[] = [];
    for (let date = q.fromDate; date <= q.toDate; date = addDays(date, 1)) {
      const w = String(isoWeekday(date));
      for (const { parts: [carrier, , , cabin, dcp, wd], k, m } of matching) {
        if (wd !== w) continue;
        const u = this.unconstrainedMeans.get(k);
        out.push({
          carrier: carrier!, origin: q.origin, destination: q.destination, departureDate: date, cabin: cabin!, dcp: Number(dcp), kind: 'current',
          bookings: m.sum / m.n, unconstrainedDemand: u ? u.sum / u.n : null, asOf,
        });
      }
    }
    return out;
  }

  /** Mean passengers and seats (so load factor) per date and cabin of the query that has history. */
  routePerformance(q: Omit<DemandQuery, 'dcps'>, carriers: readonly string[]): RoutePerformance[] {
    const asOf = this.asOf ?? new Date(0).toISOString();
    const matching = [...this.routeMeans].map(([k, m]) => ({ parts: k.split('|'), m })).filter(({ parts: [carrier, origin, destination, cabin] }) =>
      origin === q.origin && destination === q.destination && carriers.includes(carrier!) && (!q.cabin || cabin === q.cabin));
    const out: RoutePerformance[] = [];
    for (let date = q.fromDate; date <= q.toDate; date = addDays(date, 1)) {
      const w = String(isoWeekday(date));
      for (const { parts: [carrier, , , cabin, wd], m } of matching) {
        if (wd !== w) continue;
        const seats = Math.round(m.seats.sum / m.seats.n);
        const passengers = Math.round(m.pax.sum / m.pax.n);
        out.push({
          carrier: carrier!, origin: q.origin, destination: q.destination, departureDate: date, cabin: cabin!, seats, passengers,
          loadFactor: seats > 0 ? passengers / seats : 0, revenueMinor: null, currency: null, asOf,
        });
      }
    }
    return out;
  }

  carriers(): string[] {
    return [...new Set([...this.demandMeans.keys(), ...this.routeMeans.keys()].map((k) => k.split('|')[0]!))];
  }
}

function demandKey(carrier: string, origin: string, destination: string, cabin: string, dcp: number, weekday: number): string {
  return `${carrier}|${origin}|${destination}|${cabin}|${dcp}|${weekday}`;
}

function routeKey(carrier: string, origin: string, destination: string, cabin: string, weekday: number): string {
  return `${carrier}|${origin}|${destination}|${cabin}|${weekday}`;
}
