/**
 * The engines' store I/O: builds booking curves from the PSS's bookings and inventory snapshots, reads
 * a pricing cycle's inputs (foundation tables; competitor fares, exchange rates, elasticities and the
 * calendar where those feeds' tables exist), and writes what the cycle produces (schema 2: cycles,
 * per-cabin contexts, forecasts, recommendations, backtests, elasticities).
 *
 * A cabin's context and its recommendations are one `pricing_contexts` row (migration 15), the context
 * with short keys (compactKeys.ts). Fare explanations are stored compactly: the details shared by a
 * cabin's classes (forecast signal, competitor position, elasticity, price points, floor, ceiling) once
 * in the context, the components with their own details in the recommendation; `loadRecommendations`
 * puts them back together into the same objects the cycle produced.
 */
import type { Database, Store } from '../store/db';
import type { Fare, FeedState, FlightLeg, InventoryRecord, RbdDefinition } from '../domain/types';
import { addDays } from '../domain/time';
import { normaliseDcps } from '../forecasting/dcp';
import type { CalendarEvent } from '../forecasting/factors';
import type { CompetitorFare, ExchangeRate } from './competitor';
import { buildCurves, legKeyOf, type BookingCurve } from './curves';
import type { CabinContext, CycleChunk, CycleInput, CycleOutput, CycleSettings, ElasticityInput } from './cycle';
import type { MarketElasticity } from './elasticity';
import type { MethodSelection } from './selection';
import { decodeFareExplanation, encodeFareExplanation, sharedFareDetails, type SharedFareDetails, type StoredFareExplanation } from './compose';
import type { WriteLock } from './writeLock';
import { bulkInserter } from '../store/bulkInsert';
import { FORECAST_ACCURACY_LEAD_DAYS } from '../monitoring/accuracy';
import { compactKeys, expandKeys } from './compactKeys';
import { encodeByDcp, parseByDcp } from './byDcp';
import type { AuthorisationRecommendation, BidPriceRecommendation, FareRecommendation, ForecastRecord, Recommendation } from './types';
import { influenceEvents } from './influences';

function tableExists(db: Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

const localDateOf = (instant: string) => instant.slice(0, 10);

// ---------------------------------------------------------------------------------------------
// booking curves

export interface RebuildCurvesOptions {
  /** DCPs of the curves (departure, 0, appended when missing) */
  dcps: readonly number[];
  /** the instant the curves are seen at (periods after it are not reached) */
  asOf: string;
  /** local departure dates, inclusive */
  fromDate: string;
  toDate: string;
  carrier?: string;
  /** only these flight numbers (of `carrier`): the flights a run of some markets prices */
  flightNumbers?: readonly number[];
}

/**
 * Rebuilds the booking curves of every flight departing in [fromDate, toDate] from its bookings and
 * inventory snapshots (upsert); returns the number of curves written. Reads booking counts, times and
 * statuses only: nothing about the passengers.
 */
export function rebuildBookingCurves(store: Store, o: RebuildCurvesOptions): number {
  const db = store.db;
  const dcps = normaliseDcps(o.dcps);
  const dcpsJson = JSON.stringify(dcps);
  const flights = db.prepare(`SELECT id, carrier, flight_number, origin, destination, local_date, departure_utc FROM flights
    WHERE local_date BETWEEN ? AND ? ${o.carrier ? 'AND carrier = ?' : ''} ${o.flightNumbers ? 'AND flight_number IN (SELECT value FROM json_each(?))' : ''} ORDER BY id`)
    .all(...[o.fromDate, o.toDate, ...(o.carrier ? [o.carrier] : []), ...(o.flightNumbers ? [JSON.stringify(o.flightNumbers)] : [])]) as
    { id: string; carrier: string; flight_number: number; origin: string; destination: string; local_date: string; departure_utc: string }[];
  const ladders = new Map<string, { rbd: string; cabin: string }[]>();
  for (const r of db.prepare('SELECT carrier, rbd, cabin FROM rbds ORDER BY carrier, cabin, rank').all() as { carrier: string; rbd: string; cabin: string }[]) {
    (ladders.get(r.carrier) ?? ladders.set(r.carrier, []).get(r.carrier)!).push({ rbd: r.rbd, cabin: r.cabin });
  }
  const bookings = db.prepare('SELECT rbd, passengers, booked_at AS bookedAt, status, status_at AS statusAt FROM bookings WHERE flight_id = ?');
  const snapshots = db.prepare('SELECT rbd, days_before_departure AS daysBeforeDeparture, status FROM inventory_snapshots WHERE flight_id = ?');
  const upsert = db.prepare(`INSERT INTO booking_curves (flight_id, rbd, cabin, flight_key, origin, destination, departure_date, dcps, gross, cancels, closed, shows, no_shows, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (flight_id, rbd) DO UPDATE SET cabin = excluded.cabin, flight_key = excluded.flight_key, origin = excluded.origin, destination = excluded.destination,
      departure_date = excluded.departure_date, dcps = excluded.dcps, gross = excluded.gross, cancels = excluded.cancels, closed = excluded.closed,
      shows = excluded.shows, no_shows = excluded.no_shows, updated_at = excluded.updated_at`);
  const now = store.now();
  let written = 0;
  db.transaction(() => {
    for (const f of flights) {
      const ladder = ladders.get(f.carrier) ?? [];
      if (ladder.length === 0) continue;
      const curves = buildCurves({ id: f.id, departureUtc: f.departure_utc }, ladder.map((l) => l.rbd), bookings.all(f.id) as never, snapshots.all(f.id) as never, dcps, o.asOf);
      curves.forEach((c, i) => {
        upsert.run(f.id, c.rbd, ladder[i]!.cabin, `${f.carrier}|${f.flight_number}|${f.origin}`, f.origin, f.destination, f.local_date, dcpsJson,
          JSON.stringify(c.gross), JSON.stringify(c.cancels), JSON.stringify(c.closed), c.shows ?? null, c.noShows ?? null, now);
        written++;
      });
    }
  })();
  return written;
}

// ---------------------------------------------------------------------------------------------
// cycle input

export interface LoadCycleInputOptions {
  cycleId: string;
  now: string;
  settings: CycleSettings;
  /** departures to price: local dates from the day of `now` to this many days later (default 365) */
  horizonDays?: number;
  /** days of flown history to read curves for (default 400) */
  historyDays?: number;
  /** price only these departures */
  flightIds?: readonly string[];
  /** read only these flight numbers (a partition of the network: each leg's history stays whole) */
  flightNumbers?: readonly number[];
  /** the feed whose staleness makes forecasts fall back to historical averages (default 'pros'; null: none) */
  demandFeed?: string | null;
  /** count the curves stored with other DCPs (a scan of every curve in the dates; default true) */
  countCurvesWithOtherDcps?: boolean;
}

export interface LoadedCycleInput {
  input: CycleInput;
  /** curves stored with other DCPs than the settings' (rebuild them); 0 when not counted */
  curvesWithOtherDcps: number;
}

/** Reads a cycle's inputs from the store. */
export function loadCycleInput(store: Store, o: LoadCycleInputOptions): LoadedCycleInput {
  const db = store.db;
  const own = o.settings.ownCarrier;
  const today = localDateOf(o.now);
  const to = addDays(today, o.horizonDays ?? 365);
  const from = addDays(today, -(o.historyDays ?? 400));
  const numbers = o.flightNumbers ? JSON.stringify(o.flightNumbers) : null;
  const inNumbers = numbers ? 'AND f.flight_number IN (SELECT value FROM json_each(?))' : '';
  const part = numbers ? [numbers] : [];
  const flightRows = db.prepare(`SELECT f.id, f.carrier, f.flight_number, f.origin, f.destination, f.local_date, f.departure_utc, f.arrival_utc,
      f.operating_carrier, f.operating_flight_number, f.aircraft, c.cabin, c.capacity
    FROM flights f JOIN flight_cabins c ON c.flight_id = f.id
    WHERE f.local_date BETWEEN ? AND ? AND f.carrier = ? ${inNumbers} ORDER BY f.id, c.cabin`).raw().iterate(from, to, own, ...part) as IterableIterator<unknown[]>;
  const flights: FlightLeg[] = [];
  let last: FlightLeg | undefined;
  for (const r of flightRows) {
    if (!last || last.id !== r[0]) {
      last = {
        id: r[0] as string, carrier: r[1] as string, flightNumber: r[2] as number, origin: r[3] as string, destination: r[4] as string, localDate: r[5] as string,
        departureUtc: r[6] as string, arrivalUtc: r[7] as string, cabins: [],
      };
      if (r[8]) last.operatingCarrier = r[8] as string;
      if (r[9]) last.operatingFlightNumber = r[9] as number;
      if (r[10]) last.aircraft = r[10] as string;
      flights.push(last);
    }
    last.cabins.push({ cabin: r[11] as string, capacity: r[12] as number });
  }
  const rbds = (db.prepare('SELECT carrier, rbd, cabin, rank, name FROM rbds WHERE carrier = ?').all(own) as { carrier: string; rbd: string; cabin: string; rank: number; name: string | null }[])
    .map((r): RbdDefinition => ({ carrier: r.carrier, rbd: r.rbd, cabin: r.cabin, rank: r.rank, ...(r.name ? { name: r.name } : {}) }));
  const fares: Fare[] = [];
  for (const r of db.prepare(`SELECT carrier, origin, destination, rbd, cabin, fare_basis, point_of_sale, currency, amount_minor, valid_from, valid_to, flight_id
      FROM fares WHERE carrier = ? AND valid_to >= ? AND valid_from <= ?`).raw().iterate(own, today, to) as IterableIterator<unknown[]>) {
    const fare: Fare = {
      carrier: r[0] as string, origin: r[1] as string, destination: r[2] as string, rbd: r[3] as string, cabin: r[4] as string, fareBasis: r[5] as string,
      pointOfSale: r[6] as string, currency: r[7] as string, amountMinor: r[8] as number, validFrom: r[9] as string, validTo: r[10] as string,
    };
    if (r[11]) fare.flightId = r[11] as string;
    fares.push(fare);
  }
  const inventory: InventoryRecord[] = [];
  // a partition looks its departures' inventory up by flight id (one index probe each) rather than
  // scanning the whole network's departures again
  const inventoryRows = numbers
    ? db.prepare(`SELECT i.flight_id, i.rbd, i.cabin, i.sold, i.authorised, i.status, i.bid_price_minor, i.currency
        FROM inventory i WHERE i.flight_id IN (SELECT value FROM json_each(?))`).raw().iterate(JSON.stringify(flights.filter((f) => f.localDate >= today).map((f) => f.id)))
    : db.prepare(`SELECT i.flight_id, i.rbd, i.cabin, i.sold, i.authorised, i.status, i.bid_price_minor, i.currency
        FROM flights f JOIN inventory i ON i.flight_id = f.id WHERE f.local_date BETWEEN ? AND ? AND f.carrier = ?`).raw().iterate(today, to, own);
  for (const r of inventoryRows as IterableIterator<unknown[]>) {
    const rec: InventoryRecord = { flightId: r[0] as string, rbd: r[1] as string, cabin: r[2] as string, sold: r[3] as number, authorised: r[4] as number, status: r[5] as 'open' | 'closed' };
    if (r[6] !== null) rec.bidPriceMinor = r[6] as number;
    if (r[7] !== null) rec.currency = r[7] as string;
    inventory.push(rec);
  }
  const dcpsJson = JSON.stringify(normaliseDcps(o.settings.dcps));
  const curves: BookingCurve[] = [];
  const keys = numbers ? JSON.stringify([...new Set(flights.map((f) => legKeyOf(f)))]) : null;
  const curveRows = keys
    ? db.prepare(`SELECT flight_id, rbd, gross, cancels, closed, shows, no_shows FROM booking_curves
        WHERE flight_key IN (SELECT value FROM json_each(?)) AND departure_date BETWEEN ? AND ? AND dcps = ?`).raw().iterate(keys, from, to, dcpsJson)
    : db.prepare(`SELECT flight_id, rbd, gross, cancels, closed, shows, no_shows FROM booking_curves
        WHERE departure_date BETWEEN ? AND ? AND dcps = ?`).raw().iterate(from, to, dcpsJson);
  for (const r of curveRows as IterableIterator<unknown[]>) {
    curves.push({ flightId: r[0] as string, rbd: r[1] as string, gross: JSON.parse(r[2] as string), cancels: JSON.parse(r[3] as string), closed: JSON.parse(r[4] as string), shows: r[5] as number | null, noShows: r[6] as number | null });
  }
  const other = o.countCurvesWithOtherDcps === false ? 0
    : (db.prepare('SELECT count(*) AS n FROM booking_curves WHERE departure_date BETWEEN ? AND ? AND dcps <> ?').get(from, to, dcpsJson) as { n: number }).n;

  const competitorFares: CompetitorFare[] = [];
  if (tableExists(db, 'competitor_fares')) {
    const since = new Date(Date.parse(o.now) - 30 * 86_400_000).toISOString();
    for (const r of db.prepare(`SELECT carrier, origin, destination, departure_date, cabin, amount_minor, currency, observed_at FROM competitor_fares
        WHERE departure_date BETWEEN ? AND ? AND observed_at >= ? AND carrier <> ?`).raw().iterate(today, to, since, own) as IterableIterator<unknown[]>) {
      competitorFares.push({ carrier: r[0] as string, origin: r[1] as string, destination: r[2] as string, departureDate: r[3] as string, cabin: r[4] as string, amountMinor: r[5] as number, currency: r[6] as string, observedAt: r[7] as string });
    }
  }
  const exchangeRates: ExchangeRate[] = tableExists(db, 'exchange_rates')
    ? (db.prepare('SELECT base, quote, date, rate FROM exchange_rates').all() as ExchangeRate[])
    : [];
  const events = [
    ...(tableExists(db, 'calendar_events') ? loadCalendarEvents(db, from, to) : []),
    ...(tableExists(db, 'demand_influences') ? influenceEvents(db, from, to) : []),
  ];
  const input: CycleInput = {
    cycleId: o.cycleId, now: o.now, settings: o.settings, flights, rbds, fares, inventory, curves, competitorFares, exchangeRates,
    elasticities: loadElasticities(db), events,
    ...(o.flightIds ? { flightIds: o.flightIds } : {}),
  };
  const feed = o.demandFeed === undefined ? 'pros' : o.demandFeed;
  if (feed) input.demandFeed = feedState(db, feed);
  return { input, curvesWithOtherDcps: other };
}

/** The state of a feed from its runs: the latest run's outcome and the last success. */
/**
 * The calendar events touching [from, to], each once with the airports it touches. The feed lists an
 * event once per country or airport ("August business slowdown" in 13 countries): read as 13 events, each
 * got a factor and they multiplied (a departure factor of 3e-10 on 1 August). A country stands for its
 * airports in the store; a row with neither country nor airport makes the event apply everywhere.
 */
export function loadCalendarEvents(db: Database, from: string, to: string): CalendarEvent[] {
  const airportsOf = new Map<string, string[]>();
  for (const a of db.prepare("SELECT code, country FROM airports WHERE country IS NOT NULL AND country <> ''").all() as { code: string; country: string }[]) {
    (airportsOf.get(a.country) ?? airportsOf.set(a.country, []).get(a.country)!).push(a.code);
  }
  const byEvent = new Map<string, { name: string; from: string; to: string; airports: Set<string> | null }>();
  const rows = db.prepare('SELECT name, from_date, to_date, country, airport FROM calendar_events WHERE to_date >= ? AND from_date <= ? ORDER BY from_date, name')
    .all(from, to) as { name: string; from_date: string; to_date: string; country: string; airport: string }[];
  for (const r of rows) {
    const k = `${r.name}|${r.from_date}|${r.to_date}`;
    let e = byEvent.get(k);
    if (!e) byEvent.set(k, e = { name: r.name, from: r.from_date, to: r.to_date, airports: new Set() });
    if (!e.airports) continue;
    if (r.airport) e.airports.add(r.airport);
    else if (r.country) for (const a of airportsOf.get(r.country) ?? []) e.airports.add(a);
    else e.airports = null; // no place: everywhere
  }
  return [...byEvent.values()].map((e) => (e.airports ? { name: e.name, from: e.from, to: e.to, airports: [...e.airports].sort() } : { name: e.name, from: e.from, to: e.to }));
}

export function feedState(db: Database, feed: string): { state: FeedState; lastSuccessAt: string | null } {
  const lastRun = db.prepare('SELECT status FROM feed_runs WHERE feed = ? ORDER BY started_at DESC, id DESC LIMIT 1').get(feed) as { status: string } | undefined;
  const ok = db.prepare("SELECT max(finished_at) AS at FROM feed_runs WHERE feed = ? AND status IN ('ok', 'degraded')").get(feed) as { at: string | null };
  const state: FeedState = !lastRun ? 'never' : lastRun.status === 'ok' ? 'ok' : lastRun.status === 'degraded' ? 'degraded' : lastRun.status === 'fallback' ? 'fallback' : lastRun.status === 'running' ? (ok.at ? 'ok' : 'never') : 'down';
  return { state, lastSuccessAt: ok.at };
}

/**
 * Elasticities per market × cabin, the most trusted source first: the feedback loop's estimates
 * (elasticity_estimates, where present), then those from the booking history (booking_elasticities),
 * then the pricing tools' feed (elasticities).
 */
export function loadElasticities(db: Database): ElasticityInput[] {
  const out = new Map<string, ElasticityInput>();
  const put = (e: ElasticityInput) => { const k = `${e.origin}|${e.destination}|${e.cabin}`; if (!out.has(k)) out.set(k, e); };
  if (tableExists(db, 'elasticity_estimates')) {
    for (const r of db.prepare(`SELECT origin, destination, cabin, elasticity, standard_error, observations FROM elasticity_estimates e
        WHERE id = (SELECT id FROM elasticity_estimates x WHERE x.origin = e.origin AND x.destination = e.destination AND x.cabin = e.cabin ORDER BY estimated_at DESC, id DESC LIMIT 1)`).all() as
      { origin: string; destination: string; cabin: string; elasticity: number; standard_error: number; observations: number }[]) {
      put({ origin: r.origin, destination: r.destination, cabin: r.cabin, elasticity: r.elasticity, standardError: r.standard_error, observations: r.observations, source: 'feedback' });
    }
  }
  for (const r of db.prepare(`SELECT origin, destination, cabin, elasticity, standard_error, observations FROM booking_elasticities e
      WHERE estimated_at = (SELECT max(estimated_at) FROM booking_elasticities x WHERE x.origin = e.origin AND x.destination = e.destination AND x.cabin = e.cabin)`).all() as
    { origin: string; destination: string; cabin: string; elasticity: number; standard_error: number; observations: number }[]) {
    put({ origin: r.origin, destination: r.destination, cabin: r.cabin, elasticity: r.elasticity, standardError: r.standard_error, observations: r.observations, source: 'booking-history' });
  }
  if (tableExists(db, 'elasticities')) {
    for (const r of db.prepare(`SELECT origin, destination, cabin, elasticity, standard_error FROM elasticities WHERE segment = '' AND dbd_from = -1 AND cabin <> ''`).all() as
      { origin: string; destination: string; cabin: string; elasticity: number; standard_error: number | null }[]) {
      put({ origin: r.origin, destination: r.destination, cabin: r.cabin, elasticity: r.elasticity, standardError: r.standard_error ?? 1, observations: 0, source: 'pricing-tools' });
    }
  }
  return [...out.values()];
}

// ---------------------------------------------------------------------------------------------
// cycle output

export interface CycleWriter {
  /** takes one chunk (usable as the cycle's sink); rows are written a batch at a time */
  write(chunk: CycleChunk): void;
  /** writes what is pending and marks the cycle finished with its stats and warnings */
  finish(out: Pick<CycleOutput, 'stats' | 'warnings'>): void;
  /** marks the cycle failed */
  fail(error: Error): void;
  readonly counts: WrittenCounts;
}

/** Registers a cycle as running. */
export function startCycle(store: Store, meta: { cycleId: string; now: string; settings?: unknown }): void {
  store.db.prepare("INSERT INTO pricing_cycles (id, started_at, status, settings) VALUES (?, ?, 'running', ?)").run(meta.cycleId, meta.now, JSON.stringify(meta.settings ?? {}));
}

/** Marks a cycle finished with its stats, warnings and what was written. */
export function finishCycle(store: Store, cycleId: string, out: Pick<CycleOutput, 'stats' | 'warnings'>, written: unknown): void {
  store.db.prepare("UPDATE pricing_cycles SET status = 'ok', finished_at = ?, stats = ?, warnings = ? WHERE id = ?").run(store.now(), JSON.stringify({ ...out.stats, written }), JSON.stringify(out.warnings), cycleId);
}

/** Marks a cycle failed. */
export function failCycle(store: Store, cycleId: string, error: Error): void {
  store.db.prepare("UPDATE pricing_cycles SET status = 'failed', finished_at = ?, error = ? WHERE id = ?").run(store.now(), error.message, cycleId);
}

/**
 * A writer of a started cycle's output chunks, each in its own transaction (several threads may
 * write parts of one cycle through their own connections).
 */
export function cycleChunkWriter(store: Store, cycleId: string, opts: WriterOptions = {}): ChunkWriter {
  const db = store.db;
  const changedOnly = opts.recommendations === 'changed';
  const batchCabins = opts.batchCabins ?? 1000;
  const insContexts = bulkInserter(db, 'pricing_contexts', ['cycle_id', 'flight_id', 'cabin', 'context', 'recommendations']);
  const insForecasts = bulkInserter(db, 'forecasts', ['flight_id', 'cycle_id', 'rbd', 'cabin', 'method', 'from_period', 'mean', 'sd', 'cancellations', 'net_final', 'show_rate', 'by_dcp', 'fallback']);
  const counts: WrittenCounts = { forecasts: 0, recommendations: 0, contexts: 0, byKind: { fare: 0, authorisation: 0, bid_price: 0 } };
  // rows encoded as they come (plain values only), inserted in one transaction per batch of cabins
  let contexts: unknown[][] = [];
  let forecasts: unknown[][] = [];
  let pending = { fare: 0, authorisation: 0, bid_price: 0 };
  const insertAll = db.transaction(() => {
    insContexts(contexts);
    insForecasts(forecasts);
  });
  const insertPending = () => {
    insertAll();
    counts.contexts += contexts.length; counts.forecasts += forecasts.length;
    counts.recommendations += pending.fare + pending.authorisation + pending.bid_price;
    counts.byKind.fare += pending.fare; counts.byKind.authorisation += pending.authorisation; counts.byKind.bid_price += pending.bid_price;
    contexts = []; forecasts = []; pending = { fare: 0, authorisation: 0, bid_price: 0 };
  };
  const lock = opts.lock;
  const timings = { insertMs: 0, lockWaitMs: 0 };
  const timedInsert = () => {
    const t0 = performance.now();
    insertPending();
    timings.insertMs += performance.now() - t0;
  };
  const flush = () => {
    if (contexts.length + forecasts.length === 0) return;
    if (!lock) { timedInsert(); return; }
    const t0 = performance.now();
    lock.acquire();
    timings.lockWaitMs += performance.now() - t0;
    try { timedInsert(); } finally { lock.release(); }
  };
  // with a shared lock, a full batch is written when the lock is free, and waited for only when
  // pendingBatches batches have piled up (the thread goes on pricing meanwhile)
  const maxPending = batchCabins * Math.max(1, opts.pendingBatches ?? 4);
  const flushIfFull = () => {
    if (contexts.length < batchCabins) return;
    if (!lock || contexts.length >= maxPending) { flush(); return; }
    if (!lock.tryAcquire()) return;
    try { timedInsert(); } finally { lock.release(); }
  };
  const write = (chunk: CycleChunk) => {
    const byCabin = new Map<string, Recommendation[]>();
    for (const r of chunk.recommendations) {
      const k = `${r.flightId}|${r.cabin}`;
      const mine = byCabin.get(k);
      if (mine) mine.push(r); else byCabin.set(k, [r]);
    }
    // the chunk's rows are kept only once all of it is encoded: a chunk refused below leaves nothing behind
    const rows: unknown[][] = [];
    const counted = { fare: 0, authorisation: 0, bid_price: 0 };
    for (const c of chunk.contexts) {
      const k = `${c.flightId}|${c.cabin}`;
      const mine = byCabin.get(k) ?? [];
      byCabin.delete(k);
      let fareDetails: SharedFareDetails | null = null;
      let authorisationDetails: SharedAuthorisationDetails | null = null;
      const items: StoredItem[] = [];
      for (const r of mine) {
        if (r.kind === 'fare') {
          fareDetails ??= sharedFareDetails(r.explanation, r.pricingMode);
          if (changedOnly && r.recommendedMinor === r.currentMinor) continue;
          items.push(['fare', r.rbd, r.currentMinor, r.recommendedMinor, r.currency, encodeFareExplanation(r.explanation)]);
        } else if (r.kind === 'authorisation') {
          const e = r.explanation;
          authorisationDetails ??= { method: e.method, authorisedCapacity: e.authorisedCapacity, physicalCapacity: e.physicalCapacity, forecastMethod: e.forecastMethod, fallback: e.fallback };
          if (changedOnly && r.recommended === r.current) continue;
          items.push(['authorisation', r.rbd, r.current, r.recommended, null, [e.protectedAbove, e.demandMean, e.demandSd, e.fareUsed, e.inefficient ? 1 : 0]]);
        } else {
          if (changedOnly && r.recommendedMinor === r.currentMinor) continue;
          items.push(['bid_price', '', r.currentMinor, r.recommendedMinor, r.currency, r.explanation]);
        }
        counted[r.kind]++;
      }
      const first = mine[0];
      const stored: StoredCabinRecommendations = first && items.length ? [first.origin, first.destination, first.departureDate, first.daysToDeparture, items] : [];
      rows.push([cycleId, c.flightId, c.cabin, encodeStoredContext(c, fareDetails, authorisationDetails), JSON.stringify(stored)]);
    }
    if (byCabin.size) {
      const [k, [r]] = [...byCabin.entries()][0]!;
      throw new Error(`pricing cycle ${cycleId}: recommendation ${r!.key} has no cabin context in its chunk (${k}); a cabin's recommendations are stored with its context`);
    }
    for (const row of rows) contexts.push(row);
    pending.fare += counted.fare; pending.authorisation += counted.authorisation; pending.bid_price += counted.bid_price;
    for (const f of chunk.forecasts) {
      forecasts.push([f.flightId, cycleId, f.rbd, f.cabin, f.method, f.fromPeriod, f.mean, f.sd, f.cancellations, f.netFinal, f.showRate, encodeByDcp(f.periodMean, f.periodSd), f.fallback]);
    }
    flushIfFull();
  };
  return { counts, timings, write, flush };
}

const CONTEXT_FORMAT = 1;
const IN_COLUMNS = new Set(['flightId', 'cabin']);

/**
 * A cabin context as stored: [1, its fields with short keys (compactKeys.ts)], without the flight id and
 * cabin its row's columns hold, with the details its classes' fare and authorisation explanations share.
 * Rows written before this format (plain JSON of the whole object) are read as well.
 */
function encodeStoredContext(c: CabinContext, fareDetails: SharedFareDetails | null, authorisationDetails: SharedAuthorisationDetails | null): string {
  return JSON.stringify([CONTEXT_FORMAT, compactKeys({ ...c, fareDetails, authorisationDetails }, IN_COLUMNS)]);
}

/** A stored cabin context with its shared details (see encodeStoredContext). */
export function decodeStoredContext(flightId: string, cabin: string, text: string): CabinContext & StoredContext {
  if (!text.startsWith('[')) return JSON.parse(text) as CabinContext & StoredContext;
  const [format, body] = JSON.parse(text) as [number, unknown];
  if (format !== CONTEXT_FORMAT) throw new Error(`cabin context ${flightId}/${cabin}: stored in format ${format}, which this build does not read (written by a newer one?)`);
  return { flightId, cabin, ...(expandKeys(body) as Omit<CabinContext, 'flightId' | 'cabin'> & StoredContext) };
}

/** What a cycle's writer stored. */
export interface WrittenCounts {
  forecasts: number;
  recommendations: number;
  contexts: number;
  byKind: Record<Recommendation['kind'], number>;
}

/**
 * A cabin's recommendations as stored in its `pricing_contexts` row (migration 15): '[]', or its market,
 * date and days to departure once and an item per recommendation with the explanation in its stored
 * form (a fare's as `encodeFareExplanation` gives it, an authorisation's own fields as an array; the
 * details the cabin's classes share are in the context).
 */
export type StoredItem = [kind: Recommendation['kind'], rbd: string, current: number | null, recommended: number, currency: string | null, explanation: unknown];
export type StoredCabinRecommendations = [] | [origin: string, destination: string, departureDate: string, daysToDeparture: number, items: StoredItem[]];

/** A recommendation's key: the cabin's for a bid price, the class's otherwise. */
export function recommendationKey(flightId: string, cabin: string, rbd: string): string {
  return rbd ? `${flightId}/${cabin}/${rbd}` : `${flightId}/${cabin}`;
}

/** The fields of an authorisation explanation its cabin's classes share. */
interface SharedAuthorisationDetails {
  method: AuthorisationRecommendation['explanation']['method'];
  authorisedCapacity: number;
  physicalCapacity: number;
  forecastMethod: string;
  fallback: string | null;
}

export interface WriterOptions {
  /** 'all' (default) stores every recommendation; 'changed' only those whose value differs from the current one */
  recommendations?: 'all' | 'changed';
  /** departure-cabins per write transaction (default 1000) */
  batchCabins?: number;
  /** a write lock shared with the other writers of the cycle (the pool's workers; writeLock.ts) */
  lock?: WriteLock;
  /** with a lock: batches held back while another writer has it before waiting for it (default 4) */
  pendingBatches?: number;
}

export interface ChunkWriter {
  /** encodes a chunk; rows go to the store a batch at a time */
  write(chunk: CycleChunk): void;
  /** writes what is pending */
  flush(): void;
  /** rows written so far (recommendations: items of the contexts' rows) */
  readonly counts: WrittenCounts;
  /** wall time spent in the insert transactions, and waiting for the shared write lock */
  readonly timings: { insertMs: number; lockWaitMs: number };
}

/** Starts a cycle in the store and returns a writer for its output. */
export function createCycleWriter(store: Store, meta: { cycleId: string; now: string; settings?: unknown }, opts: WriterOptions = {}): CycleWriter {
  startCycle(store, meta);
  const w = cycleChunkWriter(store, meta.cycleId, opts);
  return {
    counts: w.counts,
    write: w.write,
    finish: (out) => { w.flush(); finishCycle(store, meta.cycleId, out, w.counts); },
    fail: (error) => failCycle(store, meta.cycleId, error),
  };
}

/** Writes a whole cycle output (forecasts, contexts, recommendations) and marks it finished. */
export function saveCycleOutput(store: Store, out: CycleOutput, settings?: CycleSettings, opts: WriterOptions = {}): CycleWriter['counts'] {
  const w = createCycleWriter(store, { cycleId: out.cycleId, now: out.now, settings: { ...settings, dcps: out.dcps } }, opts);
  w.write(out);
  w.finish(out);
  return w.counts;
}

interface StoredContext { fareDetails: SharedFareDetails | null; authorisationDetails: SharedAuthorisationDetails | null }

export interface RecommendationQuery {
  cycleId?: string;
  flightId?: string;
  kind?: Recommendation['kind'];
}

/** Finished cycles, the newest first (the row's insertion order breaks ties of equal instants). */
const NEWEST_FIRST = 'finished_at DESC, started_at DESC, rowid DESC';

/**
 * Deletes the recommendations and cabin contexts of every pricing cycle but the newest `keep` finished
 * ones (as `latestCycleId` orders them; running cycles never, failed ones like the rest): derived data
 * that only the newest cycle's readers use, about 150 MB a cycle on the sandbox network, which would
 * otherwise grow the store by that much every day. Each cycle's own row
 * (settings, stats, warnings) stays, and its forecasts until thinForecasts finds newer ones. Deletes at most `sliceRows` rows a transaction and
 * awaits `between` after each, so a workbench stays responsive meanwhile.
 */
export async function pruneCycleOutputs(store: Store, keep: number, between: () => Promise<void> = async () => {}, sliceRows = 5_000): Promise<{ cycles: number; rows: number }> {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`pruneCycleOutputs: keep must be a whole number >= 1, got ${keep}`);
  const db = store.db;
  const old = db.prepare(`SELECT id FROM pricing_cycles WHERE status <> 'running' AND id NOT IN (
      SELECT id FROM pricing_cycles WHERE status = 'ok' ORDER BY ${NEWEST_FIRST} LIMIT ?)
    AND EXISTS (SELECT 1 FROM pricing_contexts c WHERE c.cycle_id = pricing_cycles.id)
    ORDER BY started_at, rowid`).pluck().all(keep) as string[];
  const contexts = db.prepare('DELETE FROM pricing_contexts WHERE id IN (SELECT id FROM pricing_contexts WHERE cycle_id = ? LIMIT ?)');
  let rows = 0;
  for (const id of old) {
    for (;;) {
      const n = contexts.run(id, sliceRows).changes;
      rows += n;
      await between();
      if (n < sliceRows) break;
    }
  }
  return { cycles: old.length, rows };
}

/**
 * Thins the forecasts kept. Every cycle forecasts every departure on sale (about 49 MB a cycle on the
 * sandbox network), and only two of a departure's forecasts are read once newer ones exist: the newest
 * (the demand charts, the what-if, the next cycle) and the last one made at least `leadDays` before it
 * departs (forecast accuracy, engine/monitoring/kpis.ts). So a departure's forecasts from a cycle that
 * started before another cycle which forecast it too and started at least `leadDays` before its
 * departure are deleted: a departure keeps the newest forecast made that early and the ones after it
 * (at most a week of cycles), not one per cycle for its 150 days on sale; once it has flown (before
 * `now`), only that one. Deletes a departure-cycle at a
 * time, at most `sliceRows` departure-cycles a transaction, awaiting `between` after each.
 */
export async function thinForecasts(store: Store, now: string, leadDays = FORECAST_ACCURACY_LEAD_DAYS, between: () => Promise<void> = async () => {}, sliceRows = 2_000): Promise<{ departures: number; rows: number }> {
  const db = store.db;
  // once a departure has flown, the accuracy reference is all that is read of it
  const pairs = db.prepare(`WITH fc AS (SELECT DISTINCT fo.flight_id, fo.cycle_id FROM forecasts fo),
      at AS (SELECT fc.flight_id, fc.cycle_id, pc.started_at, strftime('%Y-%m-%dT%H:%M:%fZ', f.departure_utc, '-' || @lead || ' days') AS early,
                    f.departure_utc < @now AS flown
               FROM fc JOIN pricing_cycles pc ON pc.id = fc.cycle_id JOIN flights f ON f.id = fc.flight_id),
      ref AS (SELECT flight_id, max(started_at) AS ref_at FROM at WHERE started_at <= early GROUP BY flight_id)
    SELECT at.flight_id, at.cycle_id FROM at JOIN ref ON ref.flight_id = at.flight_id
     WHERE at.started_at < ref.ref_at OR (at.flown AND at.started_at > ref.ref_at) ORDER BY at.flight_id, at.cycle_id`)
    .raw().all({ lead: leadDays, now }) as [string, string][];
  const del = db.prepare('DELETE FROM forecasts WHERE flight_id = ? AND cycle_id = ?');
  let rows = 0;
  for (let i = 0; i < pairs.length; i += sliceRows) {
    db.transaction(() => { for (const [flightId, cycleId] of pairs.slice(i, i + sliceRows)) rows += del.run(flightId, cycleId).changes; })();
    await between();
  }
  return { departures: pairs.length, rows };
}

/** The latest finished cycle's id, or undefined. */
export function latestCycleId(store: Store): string | undefined {
  return (store.db.prepare(`SELECT id FROM pricing_cycles WHERE status = 'ok' ORDER BY ${NEWEST_FIRST} LIMIT 1`).get() as { id: string } | undefined)?.id;
}

/** Reads recommendations back as the cycle produced them (default: the latest finished cycle), ordered by key and kind. */
export function loadRecommendations(store: Store, q: RecommendationQuery = {}): Recommendation[] {
  const cycleId = q.cycleId ?? latestCycleId(store);
  if (!cycleId) return [];
  const rows = store.db.prepare(`SELECT flight_id, cabin, context, recommendations FROM pricing_contexts WHERE cycle_id = ? ${q.flightId ? 'AND flight_id = ?' : ''}
    ORDER BY flight_id, cabin`).raw().iterate(...(q.flightId ? [cycleId, q.flightId] : [cycleId])) as IterableIterator<[string, string, string, string]>;
  const out: Recommendation[] = [];
  let ordered = true;
  for (const [flightId, cabin, context, text] of rows) {
    let ctx: StoredContext | undefined;
    const mine = decodeCabinRecommendations(cycleId, flightId, cabin, () => (ctx ??= decodeStoredContext(flightId, cabin, context)), text, q.kind);
    if (mine.length === 0) continue;
    mine.sort(byKeyAndKind);
    if (ordered && out.length && byKeyAndKind(out[out.length - 1]!, mine[0]!) > 0) ordered = false;
    for (const r of mine) out.push(r);
  }
  // cabins come in (flight id, cabin) order, which is key order unless one flight id is a prefix of another
  if (!ordered) out.sort(byKeyAndKind);
  return out;
}

function byKeyAndKind(a: Recommendation, b: Recommendation): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
}

/** Parses a cabin's stored recommendations (see StoredCabinRecommendations). */
export function parseStoredRecommendations(text: string): StoredCabinRecommendations {
  return JSON.parse(text) as StoredCabinRecommendations;
}

/** Puts a cabin's stored recommendations back together with the details its context holds (optionally of one kind only). */
function decodeCabinRecommendations(cycleId: string, flightId: string, cabin: string, details: () => StoredContext, text: string, kind?: Recommendation['kind']): Recommendation[] {
  const stored = parseStoredRecommendations(text);
  if (stored.length === 0) return [];
  const [origin, destination, departureDate, daysToDeparture, items] = stored;
  const out: Recommendation[] = [];
  for (const [k, rbd, current, recommended, currency, explanation] of items) {
    if (kind && k !== kind) continue;
    const key = recommendationKey(flightId, cabin, rbd);
    const base = { key, flightId, cabin, origin, destination, departureDate, daysToDeparture };
    if (k === 'authorisation') {
      const a = details().authorisationDetails;
      if (!a) throw new Error(`recommendation ${key} of cycle ${cycleId}: its cabin context has no authorisation details; the cycle was not written completely`);
      const [protectedAbove, demandMean, demandSd, fareUsed, inefficient] = explanation as [number, number, number, number, number];
      out.push({
        kind: 'authorisation', ...base, rbd, current: current ?? 0, recommended,
        explanation: { method: a.method, protectedAbove, authorisedCapacity: a.authorisedCapacity, physicalCapacity: a.physicalCapacity, demandMean, demandSd, fareUsed, inefficient: inefficient === 1, forecastMethod: a.forecastMethod, fallback: a.fallback },
      } satisfies AuthorisationRecommendation);
    } else if (k === 'bid_price') {
      out.push({ kind: 'bid_price', ...base, currency: currency!, currentMinor: current, recommendedMinor: recommended, explanation: explanation as BidPriceRecommendation['explanation'] } satisfies BidPriceRecommendation);
    } else {
      const f = details().fareDetails;
      if (!f) throw new Error(`recommendation ${key} of cycle ${cycleId}: its cabin context has no fare details; the cycle was not written completely`);
      out.push({
        kind: 'fare', ...base, rbd, currency: currency!, currentMinor: current ?? 0, recommendedMinor: recommended, pricingMode: f.mode,
        explanation: decodeFareExplanation(explanation as StoredFareExplanation, rbd, f),
      } satisfies FareRecommendation);
    }
  }
  return out;
}

/** Reads a departure's forecasts of a cycle (default: the latest finished cycle). */
export function loadForecasts(store: Store, q: { flightId: string; cycleId?: string }): ForecastRecord[] {
  const cycleId = q.cycleId ?? latestCycleId(store);
  if (!cycleId) return [];
  const dcps = normaliseDcps((JSON.parse((store.db.prepare('SELECT settings FROM pricing_cycles WHERE id = ?').get(cycleId) as { settings: string } | undefined)?.settings ?? '{}') as { dcps?: number[] }).dcps ?? []);
  return (store.db.prepare('SELECT * FROM forecasts WHERE flight_id = ? AND cycle_id = ? ORDER BY cabin, rbd').all(q.flightId, cycleId) as {
    flight_id: string; cabin: string; rbd: string; method: string; from_period: number; mean: number; sd: number; cancellations: number; net_final: number; show_rate: number; by_dcp: string; fallback: string | null;
  }[]).map((r) => {
    const by = parseByDcp(r.by_dcp);
    return {
      flightId: r.flight_id, cabin: r.cabin, rbd: r.rbd, method: r.method, fromPeriod: r.from_period, dcps: dcps.slice(r.from_period), periodMean: by.m, periodSd: by.s,
      mean: r.mean, sd: r.sd, cancellations: r.cancellations, netFinal: r.net_final, showRate: r.show_rate, fallback: r.fallback,
    };
  });
}

/** Reads the per-cabin contexts of a departure for a cycle (default: the latest finished cycle). */
export function loadContexts(store: Store, q: { flightId: string; cycleId?: string }): CabinContext[] {
  const cycleId = q.cycleId ?? latestCycleId(store);
  if (!cycleId) return [];
  return (store.db.prepare('SELECT cabin, context FROM pricing_contexts WHERE cycle_id = ? AND flight_id = ? ORDER BY cabin').all(cycleId, q.flightId) as { cabin: string; context: string }[])
    .map((r) => withoutSharedDetails(decodeStoredContext(q.flightId, r.cabin, r.context)));
}

/**
 * A departure's recommendations (ordered by key and kind, as loadRecommendations gives them) and its cabin
 * contexts (as loadContexts) from one read of its rows, each context decoded once: what the proposals
 * step needs of every departure priced.
 */
export function loadDeparture(store: Store, q: { flightId: string; cycleId: string }): { recommendations: Recommendation[]; contexts: CabinContext[] } {
  const rows = store.db.prepare('SELECT cabin, context, recommendations FROM pricing_contexts WHERE cycle_id = ? AND flight_id = ? ORDER BY cabin')
    .raw().all(q.cycleId, q.flightId) as [string, string, string][];
  const recommendations: Recommendation[] = [];
  const contexts: CabinContext[] = [];
  for (const [cabin, context, text] of rows) {
    const full = decodeStoredContext(q.flightId, cabin, context);
    for (const r of decodeCabinRecommendations(q.cycleId, q.flightId, cabin, () => full, text)) recommendations.push(r);
    contexts.push(withoutSharedDetails(full));
  }
  recommendations.sort(byKeyAndKind);
  return { recommendations, contexts };
}

function withoutSharedDetails(full: CabinContext & StoredContext): CabinContext {
  const { fareDetails: _f, authorisationDetails: _a, ...c } = full;
  void _f; void _a;
  return c;
}

// ---------------------------------------------------------------------------------------------
// backtests and elasticities

/** Stores method selections as backtest results (overall rows have dcp −1; the chosen method is flagged). */
export function saveMethodSelections(store: Store, selections: readonly MethodSelection[], runAt: string): number {
  const ins = store.db.prepare(`INSERT INTO backtest_results (run_at, origin, destination, cabin, method, dcp, cells, actual, forecast, wape, mape, bias, chosen)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  let n = 0;
  store.db.transaction(() => {
    for (const s of selections) {
      for (const a of s.accuracy) {
        ins.run(runAt, s.origin, s.destination, s.cabin, a.method, a.dcp ?? -1, a.cells, a.actual, a.forecast, finite(a.wape), finite(a.mape), finite(a.bias), a.method === s.chosen && a.dcp === null ? 1 : 0);
        n++;
      }
    }
  })();
  return n;
}

const finite = (v: number) => (Number.isFinite(v) ? v : 1e9);

/** The chosen method per "ORG-DST|cabin" from the latest backtest run of each market and cabin. */
export function loadMethodChoices(store: Store): Record<string, string> {
  const rows = store.db.prepare(`SELECT origin, destination, cabin, method FROM backtest_results b WHERE chosen = 1
    AND run_at = (SELECT max(run_at) FROM backtest_results x WHERE x.origin = b.origin AND x.destination = b.destination AND x.cabin = b.cabin)`).all() as { origin: string; destination: string; cabin: string; method: string }[];
  return Object.fromEntries(rows.map((r) => [`${r.origin}-${r.destination}|${r.cabin}`, r.method]));
}

/** Stores elasticities estimated from the booking history (elasticity.ts marketElasticities). */
export function saveBookingElasticities(store: Store, estimates: readonly MarketElasticity[], at: string): void {
  const ins = store.db.prepare(`INSERT INTO booking_elasticities (origin, destination, cabin, estimated_at, elasticity, standard_error, observations, groups, method)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (origin, destination, cabin, estimated_at) DO UPDATE SET elasticity = excluded.elasticity,
    standard_error = excluded.standard_error, observations = excluded.observations, groups = excluded.groups, method = excluded.method`);
  store.db.transaction(() => { for (const e of estimates) ins.run(e.origin, e.destination, e.cabin, at, e.elasticity, e.standardError, e.observations, e.groups, e.method); })();
}
