/** A small real store for workflow and monitoring tests: two markets, daily flights, fares and inventory. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../../store/db';
import { addDays, fixedClock } from '../../domain/time';
import { flightId, type Fare } from '../../domain/types';
import type { RecommendationInput } from '../types';
import { createWorkflow, type Workflow, type WorkflowOptions } from '../index';
import { RecordingPss } from './pssDouble';

export const START = '2026-11-25T08:00:00.000Z';
export const FIRST_DAY = '2026-12-01';

export const LADDER: readonly { rbd: string; cabin: string; rank: number; fare: number }[] = [
  { rbd: 'J', cabin: 'J', rank: 0, fare: 250_000 },
  { rbd: 'C', cabin: 'J', rank: 1, fare: 180_000 },
  { rbd: 'Y', cabin: 'Y', rank: 0, fare: 90_000 },
  { rbd: 'B', cabin: 'Y', rank: 1, fare: 70_000 },
  { rbd: 'M', cabin: 'Y', rank: 2, fare: 55_000 },
  { rbd: 'Q', cabin: 'Y', rank: 3, fare: 40_000 },
];

export interface Fixture {
  dir: string;
  store: Store;
  clock: ReturnType<typeof fixedClock>;
  pss: RecordingPss;
  wf: Workflow;
  close(): void;
}

/** Seeds markets FRA-JFK (DF400) and FRA-CDG (DF100) with `days` daily departures from FIRST_DAY. */
export function seed(store: Store, days = 5): void {
  const db = store.db;
  const at = store.now();
  db.transaction(() => {
    db.prepare("INSERT INTO carriers (code, name, own) VALUES ('DF', 'DFAE Air', 1), ('XX', 'Rival', 0)").run();
    db.prepare(`INSERT INTO airports (code, name, time_zone, lat, lon, country) VALUES
      ('FRA', 'Frankfurt', 'Europe/Berlin', 50.0379, 8.5622, 'DE'),
      ('JFK', 'New York JFK', 'America/New_York', 40.6413, -73.7781, 'US'),
      ('CDG', 'Paris CDG', 'Europe/Paris', 49.0097, 2.5479, 'FR')`).run();
    const rbd = db.prepare('INSERT INTO rbds (carrier, rbd, cabin, rank) VALUES (?, ?, ?, ?)');
    for (const r of LADDER) rbd.run('DF', r.rbd, r.cabin, r.rank);
    const fare = db.prepare(`INSERT INTO fares (carrier, origin, destination, rbd, cabin, fare_basis, point_of_sale, currency, amount_minor, valid_from, valid_to, source, updated_at)
      VALUES ('DF', ?, ?, ?, ?, ?, 'DE', 'EUR', ?, '2026-01-01', '2027-12-31', 'pss', ?)`);
    const flight = db.prepare(`INSERT INTO flights (id, carrier, flight_number, origin, destination, local_date, departure_utc, arrival_utc, updated_at)
      VALUES (?, 'DF', ?, ?, ?, ?, ?, ?, ?)`);
    const cabin = db.prepare('INSERT INTO flight_cabins (flight_id, cabin, capacity) VALUES (?, ?, ?)');
    const inv = db.prepare(`INSERT INTO inventory (flight_id, rbd, cabin, sold, authorised, status, bid_price_minor, currency, updated_at) VALUES (?, ?, ?, ?, ?, 'open', ?, 'EUR', ?)`);
    for (const [num, o, d, scale] of [[400, 'FRA', 'JFK', 1], [100, 'FRA', 'CDG', 0.3]] as const) {
      for (const r of LADDER) fare.run(o, d, r.rbd, r.cabin, `${r.rbd}OW${o.slice(0, 1)}`, Math.round(r.fare * scale), at);
      for (let i = 0; i < days; i++) {
        const date = addDays(FIRST_DAY, i);
        const id = flightId('DF', num, date, o);
        flight.run(id, num, o, d, date, `${date}T09:00:00.000Z`, `${date}T17:00:00.000Z`, at);
        cabin.run(id, 'J', 30);
        cabin.run(id, 'Y', 200);
        for (const r of LADDER) inv.run(id, r.rbd, r.cabin, r.cabin === 'J' ? 5 : 40, r.cabin === 'J' ? 30 : 200 - r.rank * 30, r.rank === 0 ? Math.round(20_000 * scale) : null, at);
      }
    }
  })();
}

export function makeFixture(opts: { days?: number; workflow?: Partial<WorkflowOptions> } = {}): Fixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-wf-'));
  const clock = fixedClock(START);
  const store = openStore({ dataDir: dir, clock });
  seed(store, opts.days ?? 5);
  const pss = new RecordingPss(() => clock.now().toISOString());
  const wf = createWorkflow({ db: store.db, clock, dbFile: store.file, pss, random: () => 0.5, ...opts.workflow });
  return { dir, store, clock, pss, wf, close: () => { store.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

/** The filed fare of a flight and RBD, as a dynamic price for that departure. */
export function flightFare(num: 400 | 100, date: string, rbd: string, amountMinor: number): Fare {
  const r = LADDER.find((x) => x.rbd === rbd)!;
  const [o, d] = num === 400 ? ['FRA', 'JFK'] : ['FRA', 'CDG'];
  return {
    carrier: 'DF', origin: o, destination: d, rbd, cabin: r.cabin, fareBasis: `${rbd}OW${o.slice(0, 1)}`, pointOfSale: 'DE', currency: 'EUR',
    amountMinor, validFrom: date, validTo: date, flightId: flightId('DF', num, date, o),
  };
}

export function fareRec(num: 400 | 100, date: string, rbd: string, amountMinor: number, extra: Partial<RecommendationInput> = {}): RecommendationInput {
  return {
    kind: 'fare', fare: flightFare(num, date, rbd, amountMinor), recommendationId: `rec-${num}-${date}-${rbd}`,
    explanation: [{ key: 'base', label: 'Base fare', amount: amountMinor }],
    guardrails: { floor: 10_000, ceiling: 400_000, maxChangePct: 20 },
    ...extra,
  } as RecommendationInput;
}

/** Recommendations for every Y-cabin RBD of `days` departures of DF400, moved by `pct` from the filed fare. */
export function cycleRecs(days: number, pct: number, num: 400 | 100 = 400): RecommendationInput[] {
  const out: RecommendationInput[] = [];
  const scale = num === 400 ? 1 : 0.3;
  for (let i = 0; i < days; i++) {
    for (const r of LADDER.filter((x) => x.cabin === 'Y')) out.push(fareRec(num, addDays(FIRST_DAY, i), r.rbd, Math.round(r.fare * scale * (1 + pct / 100))));
  }
  return out;
}
