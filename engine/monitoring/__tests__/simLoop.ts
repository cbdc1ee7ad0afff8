/**
 * The feedback loop on the market simulator (tests only): the 3MKT market runs day by day; our decision
 * workflow pushes flight-specific fares to a PSS port that files them in the simulator; the simulator's
 * bookings of our carrier flow back into the store as a PSS sync would bring them. The simulator's truth
 * is read only to judge the estimates (counterfactual runs of cloned markets), never by the engine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../../store/db';
import { dateFromDayNumber } from '../../domain/time';
import { flightId } from '../../domain/types';
import type { PssPort, PushBatch, PushBatchResult } from '../../ports/pss';
import type { Fare } from '../../domain/types';
import { loadThreeMkt } from '../../simulation/threemkt';
import { MarketSimulator } from '../../simulation/simulator';
import type { CarrierController, CarrierView } from '../../simulation/controller';
import { createWorkflow, type Workflow } from '../../workflow/index';
import type { RecommendationInput } from '../../workflow/types';

export const MARKET = 0; // BOS-ORD, a local market of the 3MKT scenario

export interface SimLoop {
  sim: MarketSimulator;
  store: Store;
  wf: Workflow;
  view: CarrierView;
  own: string;
  ownIndex: number;
  /** the flight number whose departures are repriced */
  flightNumber: number;
  /** base fare per class (base currency, major units) */
  baseFare: number[];
  /** price multiplier in force per leg */
  multiplier: Map<number, number>;
  /** syncs new bookings of our carrier from the simulator into the store */
  syncBookings(): void;
  /** open departures of the repriced flight, not yet departed */
  openLegs(): number[];
  /** a pricing cycle: every open departure of the flight gets a random ladder multiplier, approved and pushed */
  reprice(random: () => number, lo: number, hi: number): Promise<number>;
  close(): void;
}

export async function startSimLoop(seed: number, startDate: string): Promise<SimLoop> {
  const spec = loadThreeMkt(undefined, { seed });
  const own = spec.carriers.find((c) => c.role === 'own')!.code;
  const opened: number[] = [];
  let view: CarrierView | null = null;
  const controller: CarrierController = {
    name: 'dfae-test-probe',
    onDcp(v, batches) { view = v; for (const b of batches) if (b.dcpIndex === -1) opened.push(...b.legs); },
  };
  const sim = new MarketSimulator(spec, { seed, startDate, controllers: { [own]: controller } });
  sim.advanceDays(1);
  if (!view) throw new Error('the simulator never called our controller');
  const v = view as CarrierView;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-simloop-'));
  const store = openStore({ dataDir: dir, clock: sim.clock });
  const db = store.db;
  const at = store.now();
  const m = v.markets().find((x) => x.market === MARKET)!;
  db.transaction(() => {
    for (const c of spec.carriers) db.prepare('INSERT INTO carriers (code, name, own) VALUES (?, ?, ?)').run(c.code, c.name, c.role === 'own' ? 1 : 0);
    for (const a of spec.airports) db.prepare('INSERT INTO airports (code, name, time_zone, lat, lon) VALUES (?, ?, ?, ?, ?)').run(a.code, a.name, a.timeZone, a.lat, a.lon);
    for (const c of v.classes) db.prepare('INSERT INTO rbds (carrier, rbd, cabin, rank) VALUES (?, ?, ?, ?)').run(own, c.rbd, c.cabin, c.rank);
  })();
  const baseFare = v.classes.map((_, cls) => v.fare(MARKET, cls, 0));
  const currency = spec.baseCurrency;
  db.transaction(() => {
    for (const [cls, c] of v.classes.entries()) {
      db.prepare(`INSERT INTO fares (carrier, origin, destination, rbd, cabin, fare_basis, point_of_sale, currency, amount_minor, valid_from, valid_to, source, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, 'US', ?, ?, '2000-01-01', '2099-12-31', 'pss', ?)`).run(own, m.origin, m.destination, c.rbd, c.cabin, `${c.rbd}BO`, currency, Math.round(baseFare[cls]! * 100), at);
    }
  })();
  const ownIndex = v.carrierIndex;
  const flightNumber = v.flightNumber(opened.find((l) => v.origin(l) === m.origin && v.destination(l) === m.destination)!);
  const idOf = (leg: number) => flightId(own, v.flightNumber(leg), dateFromDayNumber(v.departureDay(leg)), v.origin(leg));
  const legOf = new Map<string, number>();
  const known = new Set<number>();
  const ensureFlight = (leg: number) => {
    if (known.has(leg)) return;
    known.add(leg);
    const id = idOf(leg);
    legOf.set(id, leg);
    db.prepare(`INSERT OR IGNORE INTO flights (id, carrier, flight_number, origin, destination, local_date, departure_utc, arrival_utc, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(id, own, v.flightNumber(leg), v.origin(leg), v.destination(leg), dateFromDayNumber(v.departureDay(leg)),
      new Date(v.departureMs(leg)).toISOString(), new Date(v.departureMs(leg) + 3 * 3_600_000).toISOString(), store.now());
    db.prepare('INSERT OR IGNORE INTO flight_cabins (flight_id, cabin, capacity) VALUES (?, ?, ?)').run(id, 'Y', v.capacity(leg, 0));
  };
  const multiplier = new Map<number, number>();
  // the PSS port: files each pushed fare as a departure-specific fare in the simulator, now
  const apply = async (batch: PushBatch<unknown>): Promise<PushBatchResult> => {
    const items = batch.items.map((it) => {
      const f = it.payload as Fare;
      const leg = legOf.get(f.flightId ?? '');
      const cls = v.classes.findIndex((c) => c.rbd === f.rbd);
      if (leg === undefined || cls < 0) return { itemId: it.itemId, status: 'rejected' as const, code: 'unknown', reason: `no departure ${f.flightId} / class ${f.rbd}` };
      sim.applyDecisions(ownIndex, { fares: [{ market: MARKET, cls, value: f.amountMinor / 100, leg }] }, sim.clock.nowMs(), true);
      return { itemId: it.itemId, status: 'accepted' as const, reference: `SIM-${leg}-${cls}-${it.sequence}` };
    });
    return { idempotencyKey: batch.idempotencyKey, replayed: false, receivedAt: store.now(), items };
  };
  const pss: PssPort = { pushFares: apply, pushInventoryControls: apply };
  const wf = createWorkflow({ db, clock: sim.clock, dbFile: store.file, pss, batchSize: 1_000 });
  let synced = 0;
  const book = db.prepare(`INSERT INTO bookings (id, record_locator, flight_id, rbd, cabin, journey_origin, journey_destination, point_of_sale, channel, passengers, amount_minor, currency, booked_at, status)
    VALUES (?, ?, ?, ?, 'Y', ?, ?, 'US', 'direct', ?, ?, ?, ?, 'booked')`);
  const markets = v.markets();
  const openLegs = () => {
    const today = v.today();
    return opened.filter((l) => v.flightNumber(l) === flightNumber && v.origin(l) === m.origin && v.departureDay(l) > today + 1 && !v.departed(l));
  };
  return {
    sim, store, wf, view: v, own, ownIndex, flightNumber, baseFare, multiplier,
    syncBookings() {
      const log = sim.log;
      db.transaction(() => {
        for (; synced < log.n; synced++) {
          if (log.carrier[synced] !== ownIndex) continue;
          const leg = log.leg0[synced]!;
          ensureFlight(leg);
          const mk = markets.find((x) => x.market === log.market[synced]);
          book.run(`S${synced}`, `S${synced}`, idOf(leg), v.classes[log.cls[synced]!]!.rbd, mk?.origin ?? v.origin(leg), mk?.destination ?? v.destination(leg),
            log.pax[synced], Math.round(log.amountMinor[synced]!), currency, new Date(log.bookedMs[synced]!).toISOString());
        }
      })();
    },
    openLegs,
    async reprice(random, lo, hi) {
      const recs: RecommendationInput[] = [];
      for (const leg of openLegs()) {
        ensureFlight(leg);
        const k = lo + (hi - lo) * random();
        multiplier.set(leg, k);
        const date = dateFromDayNumber(v.departureDay(leg));
        for (const [cls, c] of v.classes.entries()) {
          recs.push({ kind: 'fare', guardrails: null, fare: {
            carrier: own, origin: m.origin, destination: m.destination, rbd: c.rbd, cabin: c.cabin, fareBasis: `${c.rbd}BO`, pointOfSale: 'US', currency,
            amountMinor: Math.round(baseFare[cls]! * k * 100), validFrom: date, validTo: date, flightId: idOf(leg),
          } });
        }
      }
      if (!recs.length) return 0;
      const cycle = `sim-${store.now()}`;
      const { ids } = wf.decisions.ingest(cycle, recs);
      wf.decisions.approve('rita', { ids }, null);
      const r = await wf.worker.drain();
      return r.accepted;
    },
    close() { store.close(); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

/**
 * The simulator's true response over the range our prices move in: clones of the market in which every
 * open departure of the repriced flight sells at `k` × its base fares, k over a grid, played until they
 * have all departed; the least-squares slope of ln(local bookings) on ln k.
 */
export function counterfactualSlope(loop: SimLoop, grid: readonly number[]): number {
  const legs = loop.openLegs();
  const set = new Set(legs);
  const last = Math.max(...legs.map((l) => loop.view.departureDay(l)));
  const xs: number[] = [];
  const ys: number[] = [];
  for (const k of grid) {
    const c = loop.sim.clone({ record: 'own', withoutControllers: true });
    const t = c.clock.nowMs();
    for (const leg of legs) for (let cls = 0; cls < loop.baseFare.length; cls++) c.applyDecisions(loop.ownIndex, { fares: [{ market: MARKET, cls, value: loop.baseFare[cls]! * k, leg }] }, t, true);
    const from = c.log.n;
    c.advanceDays(last - loop.view.today() + 1);
    let pax = 0;
    for (let i = from; i < c.log.n; i++) if (c.log.carrier[i] === loop.ownIndex && c.log.market[i] === MARKET && set.has(c.log.leg0[i]!)) pax += c.log.pax[i]!;
    xs.push(Math.log(k));
    ys.push(Math.log(pax));
  }
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  return xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
}
