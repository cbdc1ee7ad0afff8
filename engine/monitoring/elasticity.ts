/**
 * The feedback loop: after our price changes reach the PSS, the bookings that follow re-estimate each
 * market's price elasticity (per cabin), with its standard error, for the next pricing cycle.
 *
 * Data: every pushed fare decision of the market and cabin gives a price timeline per departure × RBD
 * (before the first push, the value it replaced). A departure's cabin price index is the geometric
 * mean of its RBDs' prices relative to their first known price, so a move of the whole ladder counts
 * fully and bookings moving between classes of the cabin cancel out. Only the market's own journeys
 * count (connecting passengers on the leg buy another market's fare). Each day of a departure is a
 * cell (bookings made that day, the index in force; days with a price change are left out), and the
 * Poisson two-way fixed-effects model (poissonFe.ts) gives ε with its standard error, and the response
 * curve (responseCurve.ts) over the price indices seen. The prior is the pricing-tools feed's elasticity
 * for the market, else a wide default; the estimate shown combines them.
 */
import type { Database } from 'better-sqlite3';
import type { Clock } from '../domain/time';
import { addDays, dayNumber } from '../domain/time';
import type { ElasticityRow } from '../api/contract/monitoring';
import { combineWithPrior, estimateTwoWayFe, type FeCell } from './poissonFe';
import { fitResponseCurve, type ResponseCurve } from './responseCurve';
import { yieldToLoop } from '../workflow/slices';

/** The default DCPs (days before departure); a cell's bucket is the DCP period its day falls in. */
export const DEFAULT_DCPS: readonly number[] = [120, 90, 63, 56, 49, 42, 35, 31, 28, 24, 21, 17, 14, 10, 7, 5, 3, 1, 0];
export const DEFAULT_PRIOR = { value: -1.5, se: 1.0 };

export interface ElasticityOptions {
  /** departures from this many days back are used */
  lookbackDays?: number;
  /** days before the first price change of a departure that are used (at the price it replaced) */
  preDays?: number;
  minObservations?: number;
  dcps?: readonly number[];
}

/** What the pricing cycle takes (engine/pricing ElasticitySignal). */
export interface ElasticitySignal {
  estimate: number;
  se: number;
  observations: number;
}

interface EstimateDbRow {
  id: number; origin: string; destination: string; cabin: string; elasticity: number; standard_error: number;
  prior_elasticity: number; prior_standard_error: number; observations: number; price_changes: number; bookings: number; estimated_at: string; detail: string;
}

export function bucketOf(dbd: number, dcps: readonly number[]): number {
  // period k covers (dcps[k-1], dcps[k]]: bookings before the first DCP belong to the first period
  for (let k = 0; k < dcps.length; k++) if (dbd >= dcps[k]!) return k;
  return dcps.length - 1;
}

export class ElasticityFeedback {
  private readonly o: Required<ElasticityOptions>;

  constructor(private readonly db: Database, private readonly clock: Clock, opts: ElasticityOptions = {}) {
    this.o = { lookbackDays: opts.lookbackDays ?? 180, preDays: opts.preDays ?? 14, minObservations: opts.minObservations ?? 30, dcps: opts.dcps ?? DEFAULT_DCPS };
  }

  private today(): string { return this.clock.now().toISOString().slice(0, 10); }

  /** The cells of one market and cabin, with how many price changes and bookings they hold. */
  cells(origin: string, destination: string, cabin: string): { cells: FeCell[]; priceChanges: number; bookings: number } {
    const today = this.today();
    const since = addDays(today, -this.o.lookbackDays);
    // the pushed fares still in the store and the replaced ones retention moved to price_history
    const events = this.db.prepare(`SELECT flight_id, rbd, travel_date, travel_date_to, pushed_at, proposed_value, current_value FROM (
          SELECT d.flight_id, d.rbd, d.travel_date, d.travel_date_to, d.pushed_at, d.proposed_value, d.current_value, d.sequence, d.id
            FROM decisions d WHERE d.kind = 'fare' AND d.pushed_at IS NOT NULL AND d.origin = @o AND d.destination = @d AND d.cabin = @c AND d.travel_date_to >= @since
          UNION ALL
          SELECT h.flight_id, h.rbd, h.travel_date, h.travel_date_to, h.pushed_at, h.proposed_value, h.current_value, h.sequence, h.decision_id
            FROM price_history h WHERE h.origin = @o AND h.destination = @d AND h.cabin = @c AND h.travel_date_to >= @since)
        ORDER BY pushed_at, sequence, id`).all({ o: origin, d: destination, c: cabin, since }) as
      { flight_id: string; rbd: string; travel_date: string; travel_date_to: string; pushed_at: string; proposed_value: number; current_value: number | null }[];
    if (events.length === 0) return { cells: [], priceChanges: 0, bookings: 0 };
    const flights = this.db.prepare(`SELECT id, local_date FROM flights WHERE origin = ? AND destination = ? AND local_date >= ?
        AND carrier IN (SELECT code FROM carriers WHERE own = 1)`).all(origin, destination, since) as { id: string; local_date: string }[];
    const dateOf = new Map(flights.map((f) => [f.id, f.local_date]));
    // per departure: per RBD, the price timeline [(day number from which it applies, price)]
    const timelines = new Map<string, Map<string, { from: number; price: number }[]>>();
    const changeDays = new Map<string, Set<number>>();
    const add = (flight: string, rbd: string, e: (typeof events)[number]) => {
      let byRbd = timelines.get(flight);
      if (!byRbd) { byRbd = new Map(); timelines.set(flight, byRbd); }
      let tl = byRbd.get(rbd);
      const day = dayNumber(e.pushed_at.slice(0, 10));
      if (!tl) {
        if (e.current_value === null || e.current_value <= 0) return;
        tl = [{ from: -Infinity, price: e.current_value }];
        byRbd.set(rbd, tl);
      }
      tl.push({ from: day + 1, price: e.proposed_value });
      let cd = changeDays.get(flight);
      if (!cd) { cd = new Set(); changeDays.set(flight, cd); }
      cd.add(day);
    };
    let priceChanges = 0;
    for (const e of events) {
      if (!(e.proposed_value > 0)) continue;
      priceChanges++;
      if (e.flight_id) { if (dateOf.has(e.flight_id)) add(e.flight_id, e.rbd, e); continue; }
      for (const f of flights) if (f.local_date >= e.travel_date && f.local_date <= e.travel_date_to) add(f.id, e.rbd, e);
    }
    const booked = new Map<string, number>();
    let bookings = 0;
    for (const r of this.db.prepare(`SELECT b.flight_id, substr(b.booked_at, 1, 10) AS day, sum(b.passengers) AS pax
        FROM bookings b JOIN flights f ON f.id = b.flight_id WHERE f.origin = ? AND f.destination = ? AND f.local_date >= ? AND b.cabin = ?
          AND b.journey_origin = f.origin AND b.journey_destination = f.destination
        GROUP BY b.flight_id, day`).all(origin, destination, since, cabin) as { flight_id: string; day: string; pax: number }[]) {
      booked.set(`${r.flight_id}|${dayNumber(r.day)}`, r.pax);
    }
    const cells: FeCell[] = [];
    const todayN = dayNumber(today);
    let unit = 0;
    for (const [flight, byRbd] of timelines) {
      const dep = dayNumber(dateOf.get(flight)!);
      const firstChange = Math.min(...[...byRbd.values()].map((tl) => tl[1]!.from - 1));
      const skip = changeDays.get(flight)!;
      const start = Math.max(firstChange - this.o.preDays, dep - this.o.dcps[0]!);
      const end = Math.min(dep, todayN - 1);
      for (let d = start; d <= end; d++) {
        if (skip.has(d)) continue;
        let sum = 0;
        for (const tl of byRbd.values()) {
          let p = tl[0]!.price;
          for (const step of tl) if (step.from <= d) p = step.price;
          sum += Math.log(p / tl[0]!.price);
        }
        const y = booked.get(`${flight}|${d}`) ?? 0;
        bookings += y;
        cells.push({ unit, bucket: bucketOf(dep - d, this.o.dcps), x: sum / byRbd.size, bookings: y });
      }
      unit++;
    }
    return { cells, priceChanges, bookings };
  }

  /** The prior for a market and cabin: the pricing-tools feed's estimate, else the default. */
  prior(origin: string, destination: string, cabin: string): { value: number; se: number; source: 'feed' | 'default' } {
    const r = this.db.prepare(`SELECT elasticity, standard_error FROM elasticities WHERE origin = ? AND destination = ? AND cabin IN (?, '') AND segment = ''
        ORDER BY cabin = '' , as_of DESC LIMIT 1`).get(origin, destination, cabin) as { elasticity: number; standard_error: number | null } | undefined;
    return r ? { value: r.elasticity, se: r.standard_error ?? DEFAULT_PRIOR.se, source: 'feed' } : { ...DEFAULT_PRIOR, source: 'default' };
  }

  /**
   * Re-estimates every market and cabin with pushed fare changes (or the ones asked for) and stores the
   * results, with a turn of the event loop between markets, so the host keeps serving: each market reads its
   * pushed fares and its bookings (on the sandbox network's cycle bench the whole pass took 4.7 s, which the
   * host's event loop used to wait through after each PSS sync).
   */
  async reestimate(filter: { origin?: string; destination?: string } = {}, yieldNow: () => Promise<void> = yieldToLoop): Promise<ElasticityRow[]> {
    const at = this.clock.now().toISOString();
    const since = addDays(this.today(), -this.o.lookbackDays);
    // a pushed decision stays pushed or (an override) expires: the state indexes find them without reading
    // every decision of the store (1.3 s on the main thread after each PSS sync on a store of 490,000)
    const markets = this.db.prepare(`SELECT DISTINCT origin, destination, cabin FROM decisions WHERE state IN ('pushed', 'expired') AND kind = 'fare' AND pushed_at IS NOT NULL AND travel_date_to >= ?
        AND (@o IS NULL OR origin = @o) AND (@d IS NULL OR destination = @d) ORDER BY 1, 2, 3`)
      .all(since, { o: filter.origin ?? null, d: filter.destination ?? null }) as { origin: string; destination: string; cabin: string }[];
    const out: ElasticityRow[] = [];
    const insert = this.db.prepare(`INSERT INTO elasticity_estimates (origin, destination, cabin, elasticity, standard_error, prior_elasticity, prior_standard_error,
        observations, price_changes, bookings, estimated_at, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (let i = 0; i < markets.length; i++) {
      if (i > 0) await yieldNow();
      const m = markets[i]!;
      const { cells, priceChanges, bookings } = this.cells(m.origin, m.destination, m.cabin);
      const prior = this.prior(m.origin, m.destination, m.cabin);
      const est = estimateTwoWayFe(cells, { minObservations: this.o.minObservations, start: prior.value });
      if (!est) continue;
      const curve = fitResponseCurve(cells, { minObservations: this.o.minObservations });
      insert.run(m.origin, m.destination, m.cabin, est.elasticity, est.se, prior.value, prior.se, est.observations, priceChanges, bookings, at,
        JSON.stringify({ units: est.units, buckets: est.buckets, dispersion: est.dispersion, priorSource: prior.source, method: 'poisson-2fe-daily', curve }));
      out.push(this.toRow(this.db.prepare('SELECT * FROM elasticity_estimates WHERE id = last_insert_rowid()').get() as EstimateDbRow));
    }
    return out;
  }

  /** The latest estimate per market and cabin (or the whole history). */
  list(filter: { origin?: string; destination?: string; cabin?: string; history?: boolean } = {}): ElasticityRow[] {
    const rows = this.db.prepare(`SELECT * FROM elasticity_estimates e WHERE (@o IS NULL OR origin = @o) AND (@d IS NULL OR destination = @d) AND (@c IS NULL OR cabin = @c)
        ${filter.history ? '' : 'AND id = (SELECT max(id) FROM elasticity_estimates x WHERE x.origin = e.origin AND x.destination = e.destination AND x.cabin = e.cabin)'}
        ORDER BY origin, destination, cabin, id`).all({ o: filter.origin ?? null, d: filter.destination ?? null, c: filter.cabin ?? null }) as EstimateDbRow[];
    const out = rows.map((r) => this.toRow(r));
    if (!filter.history && filter.origin && filter.destination && filter.cabin && out.length === 0) {
      const p = this.prior(filter.origin, filter.destination, filter.cabin);
      out.push({ origin: filter.origin, destination: filter.destination, cabin: filter.cabin, elasticity: p.value, standardError: p.se, source: p.source,
        priorElasticity: p.value, priorStandardError: p.se, observations: 0, priceChanges: 0, bookings: 0, estimatedAt: null });
    }
    return out;
  }

  /** The observed estimate for the pricing cycle (it shrinks it toward its own reference), or null. */
  signalFor(origin: string, destination: string, cabin: string): ElasticitySignal | null {
    const r = this.db.prepare('SELECT elasticity, standard_error, observations FROM elasticity_estimates WHERE origin = ? AND destination = ? AND cabin = ? ORDER BY id DESC LIMIT 1')
      .get(origin, destination, cabin) as { elasticity: number; standard_error: number; observations: number } | undefined;
    return r ? { estimate: r.elasticity, se: r.standard_error, observations: r.observations } : null;
  }

  /** The latest response curve of a market and cabin (bookings against the price index), if one was fitted. */
  curve(origin: string, destination: string, cabin: string): ResponseCurve | null {
    const d = this.db.prepare('SELECT detail FROM elasticity_estimates WHERE origin = ? AND destination = ? AND cabin = ? ORDER BY id DESC LIMIT 1').pluck().get(origin, destination, cabin) as string | undefined;
    return d ? ((JSON.parse(d) as { curve?: ResponseCurve | null }).curve ?? null) : null;
  }

  /** The estimate combined with its prior, for override impact and display. */
  posterior(origin: string, destination: string, cabin: string): { value: number; se: number } {
    const s = this.signalFor(origin, destination, cabin);
    const p = this.prior(origin, destination, cabin);
    return combineWithPrior(s ? { value: s.estimate, se: s.se } : null, p);
  }

  private toRow(r: EstimateDbRow): ElasticityRow {
    return {
      origin: r.origin, destination: r.destination, cabin: r.cabin, elasticity: r.elasticity, standardError: r.standard_error, source: 'observed',
      priorElasticity: r.prior_elasticity, priorStandardError: r.prior_standard_error, observations: r.observations, priceChanges: r.price_changes,
      bookings: r.bookings, estimatedAt: r.estimated_at,
    };
  }
}
