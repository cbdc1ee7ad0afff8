/**
 * What the store knows beside a decision: the value the PSS holds now, the flight, the competitor
 * position and the load factor. Cached per call site, since a pricing cycle asks the same questions
 * for many RBDs of one departure.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { CompetitorPosition, DecisionPayload, FlightRef } from './types';
import { convertMinor } from '../monitoring/fx';

const STATEMENTS = new WeakMap<Database, Record<string, Statement>>();

function prepareStatements(db: Database): Record<string, Statement> {
  return {
    pushed: db.prepare('SELECT proposed_value FROM decisions WHERE key = ? AND pushed_at IS NOT NULL ORDER BY sequence DESC, id DESC LIMIT 1'),
    fareExact: db.prepare(`SELECT amount_minor FROM fares WHERE carrier = @carrier AND origin = @origin AND destination = @destination AND rbd = @rbd
      AND fare_basis = @fareBasis AND point_of_sale = @pointOfSale AND currency = @currency AND valid_from = @validFrom AND valid_to = @validTo AND flight_id = @flightId`),
    fareInForce: db.prepare(`SELECT amount_minor FROM fares WHERE carrier = @carrier AND origin = @origin AND destination = @destination AND rbd = @rbd
      AND point_of_sale = @pointOfSale AND currency = @currency AND valid_from <= @date AND valid_to >= @date AND flight_id IN ('', @flightId)
      ORDER BY flight_id = '', updated_at DESC, id DESC LIMIT 1`),
    authorised: db.prepare('SELECT authorised FROM inventory WHERE flight_id = ? AND rbd = ?'),
    bid: db.prepare('SELECT bid_price_minor FROM inventory WHERE flight_id = ? AND cabin = ? AND bid_price_minor IS NOT NULL ORDER BY updated_at DESC LIMIT 1'),
    flight: db.prepare('SELECT carrier, origin, destination, local_date AS localDate FROM flights WHERE id = ?'),
    competitor: db.prepare(`SELECT carrier, amount_minor, currency, max(observed_at) AS observed_at FROM competitor_fares
      WHERE origin = ? AND destination = ? AND departure_date = ? AND cabin IN (?, '') GROUP BY carrier, currency`),
    load: db.prepare(`SELECT c.capacity, coalesce((SELECT sum(i.sold) FROM inventory i WHERE i.flight_id = c.flight_id AND i.cabin = c.cabin), 0) AS sold
      FROM flight_cabins c WHERE c.flight_id = ? AND c.cabin = ?`),
  };
}

export class StoreLookups {
  private readonly s: Record<string, Statement>;
  private readonly flights = new Map<string, FlightRef | null>();
  private readonly competitors = new Map<string, CompetitorPosition | null>();
  private readonly loadFactors = new Map<string, number | null>();

  constructor(private readonly db: Database) {
    // the statements are prepared once per database (a lookup object lives for one call: a cycle's
    // slice of proposals makes one, and preparing 9 statements each time was a tenth of a slice)
    let s = STATEMENTS.get(db);
    if (!s) {
      s = prepareStatements(db);
      STATEMENTS.set(db, s);
    }
    this.s = s;
  }

  /** The value the PSS holds for this key now: the last pushed decision, else the synced fare or inventory. */
  currentValue(key: string, p: DecisionPayload, travelDate: string): number | null {
    const pushed = this.s.pushed!.pluck().get(key) as number | undefined;
    if (pushed !== undefined) return pushed;
    if (p.kind === 'fare') {
      const f = p.fare;
      const exact = this.s.fareExact!.pluck().get({ ...f, flightId: f.flightId ?? '' }) as number | undefined;
      if (exact !== undefined) return exact;
      return (this.s.fareInForce!.pluck().get({ ...f, flightId: f.flightId ?? '', date: travelDate }) as number | undefined) ?? null;
    }
    if (p.kind === 'authorisation') return (this.s.authorised!.pluck().get(p.control.flightId, p.control.rbd) as number | undefined) ?? null;
    return (this.s.bid!.pluck().get(p.control.flightId, p.control.cabin) as number | undefined) ?? null;
  }

  flight(flightId: string): FlightRef | null {
    if (!this.flights.has(flightId)) this.flights.set(flightId, (this.s.flight!.get(flightId) as FlightRef | undefined) ?? null);
    return this.flights.get(flightId)!;
  }

  /** The lowest competitor fare for a market, departure date and cabin, in `currency` (latest observation per carrier). */
  competitor(origin: string, destination: string, date: string, cabin: string, currency: string): CompetitorPosition | null {
    const k = `${origin}${destination}${date}${cabin}${currency}`;
    if (this.competitors.has(k)) return this.competitors.get(k)!;
    const rows = this.s.competitor!.all(origin, destination, date, cabin) as { carrier: string; amount_minor: number; currency: string; observed_at: string }[];
    let best: CompetitorPosition | null = null;
    for (const r of rows) {
      const amount = r.currency === currency ? r.amount_minor : convertMinor(this.db, r.amount_minor, r.currency, currency, date);
      if (amount === null) continue;
      if (!best || amount < best.minMinor) best = { minMinor: amount, currency, carrier: r.carrier, observedAt: r.observed_at };
    }
    this.competitors.set(k, best);
    return best;
  }

  loadFactor(flightId: string, cabin: string): number | null {
    const k = `${flightId}|${cabin}`;
    if (!this.loadFactors.has(k)) {
      const r = this.s.load!.get(flightId, cabin) as { capacity: number; sold: number } | undefined;
      this.loadFactors.set(k, r && r.capacity > 0 ? r.sold / r.capacity : null);
    }
    return this.loadFactors.get(k)!;
  }
}
