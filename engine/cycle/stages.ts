/**
 * The cycle's store-heavy stages that run in a worker thread (worker.ts), each over its own connection:
 * - `curvesStage`: rebuilds the booking curves the forecasts read (pricing/store.ts rebuildBookingCurves);
 * - `networkStage`: per departure day with connections, the network LP bid prices (network.ts), written
 *   over the leg's bid-price recommendation of the cycle (method "lp");
 * - `auditStage`: verifies the audit chain up to a scope taken on the writing thread (workflow/audit.ts),
 *   read-only, for a long chain verified at start without holding up the host;
 * - `backupCheck`: the full integrity check of a backup just written (store/backup.ts inspectBackupFile),
 *   minutes on a store of tens of GB, off the host's main thread. It opens the backup file, not the store;
 * - `checkpoints`: the host's checkpoint thread (store/checkpoints.ts), which copies the write-ahead log
 *   into the database until the host stops it.
 */
import type { Store } from '../store/db';
import { addDays } from '../domain/time';
import { AuditLog, type AuditVerification, type VerifyScope } from '../workflow/audit';
import { auditHeadPath } from '../workflow/auditHead';
import { normaliseDcps } from '../forecasting/dcp';
import type { CabinContext } from '../pricing/cycle';
import { ExchangeRates, type ExchangeRate } from '../pricing/competitor';
import type { OdCurveBooking } from '../pricing/curves';
import { influenceEvents } from '../pricing/influences';
import { decodeStoredContext, parseStoredRecommendations, rebuildBookingCurves, recommendationKey, type StoredCabinRecommendations, type StoredItem } from '../pricing/store';
import type { BidPriceRecommendation, FareRecommendation, ForecastRecord } from '../pricing/types';
import { connectingPairs, DEFAULT_CONNECTION_RULES, networkDay, OdDemand, type ConnectionRules, type NetworkLeg, type ThroughFareLookup } from './network';

export interface CurvesTask {
  kind: 'curves';
  dataDir: string;
  now: string;
  dcps: number[];
  fromDate: string;
  toDate: string;
  carrier: string;
  /** only these flight numbers (a run of some markets); all when absent */
  flightNumbers?: number[];
}

export interface NetworkTask {
  kind: 'network';
  dataDir: string;
  now: string;
  cycleId: string;
  dcps: number[];
  carrier: string;
  historyDays: number;
  horizonDays: number;
  rules?: ConnectionRules;
}

export interface AuditTask {
  kind: 'audit';
  dataDir: string;
  now: string;
  scope: VerifyScope;
}

export interface BackupCheckTask {
  kind: 'backupCheck';
  /** the backup file written (still under its temporary name) */
  file: string;
  nativeBinding?: string;
}

export interface CheckpointsTask {
  kind: 'checkpoints';
  dataDir: string;
  nativeBinding?: string;
  /** the host's stop word (store/checkpoints.ts HostCheckpointer) */
  stop: SharedArrayBuffer;
  intervalMs: number;
  minFrames: number;
}

export type StageTask = CurvesTask | NetworkTask | AuditTask | BackupCheckTask | CheckpointsTask;

/** The chain up to the scope's last row; the head file is left to the writing thread. */
export function auditStage(store: Store, t: AuditTask): AuditVerification {
  return new AuditLog(store.db, store.clock, auditHeadPath(store.file)).verify(t.scope, { writeHead: false });
}

export interface NetworkStageSummary {
  /** journey markets that two of the cycle's priced legs connect into (0: nothing for the LP, no history read) */
  connectingMarkets: number;
  days: number;
  solved: number;
  itineraries: number;
  legs: number;
  bidPrices: number;
  openItineraries: number;
  closedItineraries: number;
  currency: string | null;
  lpMs: number;
  odKeys: number;
  warnings: string[];
}

export function curvesStage(store: Store, t: CurvesTask): { written: number } {
  return { written: rebuildBookingCurves(store, { dcps: t.dcps, asOf: t.now, fromDate: t.fromDate, toDate: t.toDate, carrier: t.carrier, flightNumbers: t.flightNumbers }) };
}

const legRow = (r: unknown[]): NetworkLeg => ({ id: r[0] as string, origin: r[1] as string, destination: r[2] as string, localDate: r[3] as string, departureUtc: r[4] as string, arrivalUtc: r[5] as string });

/** Through fares of the connecting markets, the point of sale of the origin's country first. */
function throughFares(store: Store, carrier: string, markets: ReadonlySet<string>): ThroughFareLookup {
  const rows = store.db.prepare(`SELECT f.origin, f.destination, f.rbd, f.cabin, f.currency, f.amount_minor, f.valid_from, f.valid_to, f.point_of_sale = coalesce(a.country, '') AS home
    FROM fares f LEFT JOIN airports a ON a.code = f.origin
    WHERE f.carrier = ? AND f.flight_id = '' AND f.origin || '-' || f.destination IN (SELECT value FROM json_each(?))
    ORDER BY home DESC, f.updated_at DESC, f.id DESC`).raw().all(carrier, JSON.stringify([...markets])) as unknown[][];
  const by = new Map<string, { cabin: string; currency: string; amountMinor: number; from: string; to: string }[]>();
  for (const r of rows) {
    const k = `${r[0]}-${r[1]}|${r[2]}`;
    (by.get(k) ?? by.set(k, []).get(k)!).push({ cabin: r[3] as string, currency: r[4] as string, amountMinor: r[5] as number, from: r[6] as string, to: r[7] as string });
  }
  return (o, d, rbd, date) => {
    const f = by.get(`${o}-${d}|${rbd}`)?.find((x) => x.from <= date && x.to >= date);
    return f ? { amountMinor: f.amountMinor, currency: f.currency, cabin: f.cabin } : null;
  };
}

export async function networkStageTask(store: Store, t: NetworkTask, progress: (done: number, total: number) => void): Promise<NetworkStageSummary> {
  const db = store.db;
  const rules = t.rules ?? DEFAULT_CONNECTION_RULES;
  const dcps = normaliseDcps(t.dcps);
  const today = t.now.slice(0, 10);
  const from = addDays(today, -t.historyDays);
  const to = addDays(today, t.horizonDays);
  const summary: NetworkStageSummary = { connectingMarkets: 0, days: 0, solved: 0, itineraries: 0, legs: 0, bidPrices: 0, openItineraries: 0, closedItineraries: 0, currency: null, lpMs: 0, odKeys: 0, warnings: [] };
  const flights = (db.prepare(`SELECT id, origin, destination, local_date, departure_utc, arrival_utc FROM flights
    WHERE carrier = ? AND local_date BETWEEN ? AND ? ORDER BY local_date, departure_utc`).raw().all(t.carrier, from, to) as unknown[][]).map(legRow);
  const pricedIds = new Set(db.prepare('SELECT DISTINCT flight_id FROM pricing_contexts WHERE cycle_id = ?').pluck().all(t.cycleId) as string[]);
  const nowMs = Date.parse(t.now);
  const pricedByDate = new Map<string, NetworkLeg[]>();
  for (const f of flights) {
    if (f.localDate >= today && pricedIds.has(f.id) && Date.parse(f.departureUtc) > nowMs) (pricedByDate.get(f.localDate) ?? pricedByDate.set(f.localDate, []).get(f.localDate)!).push(f);
  }
  // the journey markets two priced legs can connect into: only their history is read (a cycle of
  // markets that connect with none of each other, one market say, reads none)
  const candidates = new Set<string>();
  const pricedPairs = new Map<string, [NetworkLeg, NetworkLeg][]>();
  for (const [date, legs] of pricedByDate) {
    const pairs = connectingPairs(legs, rules, () => true);
    pricedPairs.set(date, pairs);
    for (const [a, b] of pairs) candidates.add(`${a.origin}-${b.destination}`);
  }
  summary.connectingMarkets = candidates.size;
  if (candidates.size === 0) return summary;
  const bookings = (db.prepare(`SELECT b.flight_id, b.journey_origin, b.journey_destination, b.rbd, b.passengers, b.booked_at, b.status, b.status_at
    FROM bookings b JOIN flights f ON f.id = b.flight_id
    WHERE f.carrier = ? AND f.local_date BETWEEN ? AND ? AND f.origin IN (SELECT value FROM json_each(?)) AND b.journey_origin = f.origin AND b.journey_destination <> f.destination`)
    .raw().all(t.carrier, from, to, JSON.stringify([...new Set([...candidates].map((m) => m.split('-')[0]!))])) as unknown[][])
    .filter((r) => candidates.has(`${r[1]}-${r[2]}`))
    .map((r): OdCurveBooking => ({
      flightId: r[0] as string, journeyOrigin: r[1] as string, journeyDestination: r[2] as string, rbd: r[3] as string, passengers: r[4] as number,
      bookedAt: r[5] as string, status: r[6] as OdCurveBooking['status'], ...(r[7] ? { statusAt: r[7] as string } : {}),
    }));
  const byDate = new Map<string, NetworkLeg[]>();
  for (const f of flights) (byDate.get(f.localDate) ?? byDate.set(f.localDate, []).get(f.localDate)!).push(f);
  const served = (markets: ReadonlySet<string>) => {
    const out = new Map<string, Map<string, string>>();
    for (const [date, legs] of byDate) {
      for (const [a, b] of connectingPairs(legs, rules, (o, d) => markets.has(`${o}-${d}`))) {
        const m = `${a.origin}-${b.destination}`;
        const dates = out.get(m) ?? out.set(m, new Map()).get(m)!;
        const prev = dates.get(date);
        if (!prev || a.departureUtc < prev) dates.set(date, a.departureUtc);
      }
    }
    return out;
  };
  const cabins = new Map((db.prepare('SELECT rbd, cabin FROM rbds WHERE carrier = ?').raw().all(t.carrier) as [string, string][]));
  const od = new OdDemand(flights, bookings, dcps, t.now, served, influenceEvents(db, from, to), (rbd) => cabins.get(rbd));
  if (od.markets.size === 0) return summary;
  const env = { od, rules, throughFare: throughFares(store, t.carrier, od.markets), rates: new ExchangeRates(db.prepare('SELECT base, quote, date, rate FROM exchange_rates').all() as ExchangeRate[]) };

  const ctxStmt = db.prepare('SELECT id, cabin, context, recommendations FROM pricing_contexts WHERE cycle_id = ? AND flight_id = ?').raw();
  const fcStmt = db.prepare('SELECT flight_id, cabin, rbd, method, from_period, mean, sd, cancellations, net_final, show_rate, fallback FROM forecasts WHERE flight_id = ? AND cycle_id = ?').raw();
  const update = db.prepare('UPDATE pricing_contexts SET recommendations = ? WHERE id = ?');
  const dates = [...pricedByDate.keys()].filter((d) => d <= to).sort();
  let done = 0;
  const currencies = new Map<string, number>();
  for (const date of dates) {
    const legs = pricedByDate.get(date)!;
    const contexts: CabinContext[] = [];
    const forecasts: ForecastRecord[] = [];
    const fares: FareRecommendation[] = [];
    const bidPrices: BidPriceRecommendation[] = [];
    // each leg cabin's stored recommendations, to put the LP's bid prices into: by bid price key
    const storedBids = new Map<string, { rowId: number; stored: StoredCabinRecommendations; item: StoredItem }>();
    if (pricedPairs.get(date)!.some(([a, b]) => od.has(a.origin, b.destination))) {
      summary.days++;
      for (const l of legs) {
        for (const [rowId, cabin, c, text] of ctxStmt.all(t.cycleId, l.id) as [number, string, string, string][]) {
          const ctx: CabinContext = decodeStoredContext(l.id, cabin, c);
          contexts.push(ctx);
          const stored = parseStoredRecommendations(text);
          if (stored.length === 0) continue;
          const [origin, destination, departureDate, daysToDeparture, items] = stored;
          for (const item of items) {
            const [kind, rbd, current, recommended, currency] = item;
            const base = { key: recommendationKey(l.id, ctx.cabin, rbd), flightId: l.id, cabin: ctx.cabin, origin, destination, departureDate, daysToDeparture };
            if (kind === 'fare') {
              fares.push({ kind: 'fare', ...base, rbd, currency: currency!, currentMinor: current ?? 0, recommendedMinor: recommended,
                pricingMode: 'continuous', explanation: { currency: currency!, components: [], guardrailsApplied: [], conflicts: [] } });
            } else if (kind === 'bid_price') {
              bidPrices.push({ kind: 'bid_price', ...base, currency: currency!, currentMinor: current, recommendedMinor: recommended, explanation: item[5] as BidPriceRecommendation['explanation'] });
              storedBids.set(base.key, { rowId, stored, item });
            }
          }
        }
        for (const r of fcStmt.all(l.id, t.cycleId) as unknown[][]) {
          forecasts.push({
            flightId: r[0] as string, cabin: r[1] as string, rbd: r[2] as string, method: r[3] as string, fromPeriod: r[4] as number, dcps: [], periodMean: [], periodSd: [],
            mean: r[5] as number, sd: r[6] as number, cancellations: r[7] as number, netFinal: r[8] as number, showRate: r[9] as number, fallback: r[10] as string | null,
          });
        }
      }
      const r = await networkDay({ date, now: t.now, legs, contexts, forecasts, fares, bidPrices }, env);
      if (r) {
        db.transaction(() => {
          const changed = new Map<number, StoredCabinRecommendations>();
          for (const b of r.bidPrices) {
            const at = storedBids.get(b.key);
            if (!at) continue; // a cabin stored without its bid price (a writer that keeps changed values only) gets none
            at.item[3] = b.recommendedMinor;
            at.item[5] = b.explanation;
            changed.set(at.rowId, at.stored);
          }
          for (const [rowId, stored] of changed) update.run(JSON.stringify(stored), rowId);
        })();
        summary.solved++;
        summary.itineraries += r.itineraries;
        summary.legs += r.legs;
        summary.bidPrices += r.bidPrices.length;
        summary.openItineraries += r.open;
        summary.closedItineraries += r.closed;
        summary.lpMs += r.lpMs;
        currencies.set(r.currency, (currencies.get(r.currency) ?? 0) + 1);
        for (const w of r.warnings) if (summary.warnings.length < 50) summary.warnings.push(`${date}: ${w}`);
      }
    }
    progress(++done, dates.length);
  }
  summary.currency = [...currencies.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  summary.odKeys = od.keysPrepared;
  return summary;
}
