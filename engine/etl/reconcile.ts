/**
 * Reconciles the planned schedule (network planning's SSIM, table planned_legs) with the operated flights
 * the PSS holds (table flights): each difference is flagged in schedule_mismatches, never resolved by
 * overwriting one side with the other. A mismatch stays open while it is found again, and is marked
 * resolved (with the time) when a later reconciliation no longer finds it.
 *
 * Compared: passenger legs of the plan and the PSS's own operated flights (not the ones it only markets),
 * for the carriers the plan covers, departing in the date range.
 */
import type { Database } from 'better-sqlite3';
import type { ScheduleMismatch, ScheduleMismatchKind } from '../ports/schedule';
import { utcToLocal } from '../domain/time';

export interface ReconcileOptions {
  /** local departure dates, inclusive */
  fromDate: string;
  toDate: string;
  /** only this carrier (default: every carrier with planned legs in the range) */
  carrier?: string;
  /** departure or arrival differences up to this many minutes are not flagged (default 0) */
  timeToleranceMinutes?: number;
}

export interface ReconcileResult {
  planned: number;
  operated: number;
  /** the mismatches found now */
  mismatches: ScheduleMismatch[];
  /** mismatches flagged for the first time (or again after being resolved) */
  opened: number;
  /** open mismatches in the range no longer found */
  resolved: number;
}

interface PlannedRow { id: string; carrier: string; origin: string; destination: string; departure_utc: string; arrival_utc: string; aircraft: string | null; departure_local_time: string; arrival_local_time: string }
interface FlightRow { id: string; carrier: string; origin: string; destination: string; departure_utc: string; arrival_utc: string; aircraft: string | null; dep_tz: string | null; arr_tz: string | null }

const minutesApart = (a: string, b: string) => Math.abs(Date.parse(a) - Date.parse(b)) / 60_000;

function localTime(instant: string, tz: string | null): string {
  return tz ? utcToLocal(instant, tz).time : `${instant.slice(11, 16)} UTC`;
}

/** The differences between one planned leg and the PSS's flight with the same id. */
function compareLeg(p: PlannedRow, f: FlightRow, toleranceMinutes: number): ScheduleMismatch[] {
  const out: ScheduleMismatch[] = [];
  const add = (kind: ScheduleMismatchKind, detail: string) => out.push({ flightId: p.id, kind, detail });
  if (p.destination !== f.destination) add('route_changed', `${p.origin}-${p.destination} planned, ${f.origin}-${f.destination} in the PSS`);
  const depOff = minutesApart(p.departure_utc, f.departure_utc) > toleranceMinutes;
  const arrOff = minutesApart(p.arrival_utc, f.arrival_utc) > toleranceMinutes;
  if (depOff || arrOff) {
    const parts: string[] = [];
    if (depOff) parts.push(`departure ${p.departure_local_time} planned, ${localTime(f.departure_utc, f.dep_tz)} in the PSS`);
    if (arrOff) parts.push(`arrival ${p.arrival_local_time} planned, ${localTime(f.arrival_utc, f.arr_tz)} in the PSS`);
    add('time_changed', parts.join('; '));
  }
  if (p.aircraft && f.aircraft && p.aircraft !== f.aircraft) add('aircraft_changed', `aircraft ${p.aircraft} planned, ${f.aircraft} in the PSS`);
  return out;
}

export function reconcileSchedule(db: Database, opts: ReconcileOptions, now: () => string): ReconcileResult {
  const tolerance = opts.timeToleranceMinutes ?? 0;
  const run = db.transaction((): ReconcileResult => {
    const carriers: string[] = opts.carrier ? [opts.carrier]
      : db.prepare('SELECT DISTINCT carrier FROM planned_legs WHERE local_date BETWEEN ? AND ? AND passenger = 1').pluck().all(opts.fromDate, opts.toDate) as string[];
    const mismatches: ScheduleMismatch[] = [];
    let plannedCount = 0;
    let operatedCount = 0;
    const plannedStmt = db.prepare(`SELECT id, carrier, origin, destination, departure_utc, arrival_utc, aircraft, departure_local_time, arrival_local_time
      FROM planned_legs WHERE carrier = ? AND local_date BETWEEN ? AND ? AND passenger = 1 AND operating_carrier IS NULL`);
    const flightStmt = db.prepare(`SELECT f.id, f.carrier, f.origin, f.destination, f.departure_utc, f.arrival_utc, f.aircraft, a.time_zone AS dep_tz, b.time_zone AS arr_tz
      FROM flights f LEFT JOIN airports a ON a.code = f.origin LEFT JOIN airports b ON b.code = f.destination
      WHERE f.carrier = ? AND f.local_date BETWEEN ? AND ? AND f.operating_carrier IS NULL`);
    for (const carrier of carriers) {
      const planned = new Map<string, PlannedRow>();
      // a flight planned under several operational suffixes is compared once (the first)
      for (const p of plannedStmt.all(carrier, opts.fromDate, opts.toDate) as PlannedRow[]) if (!planned.has(p.id)) planned.set(p.id, p);
      const flights = flightStmt.all(carrier, opts.fromDate, opts.toDate) as FlightRow[];
      plannedCount += planned.size;
      operatedCount += flights.length;
      const seen = new Set<string>();
      for (const f of flights) {
        seen.add(f.id);
        const p = planned.get(f.id);
        if (!p) {
          mismatches.push({ flightId: f.id, kind: 'missing_in_plan', detail: `${f.carrier} ${f.origin}-${f.destination} departing ${localTime(f.departure_utc, f.dep_tz)} is in the PSS but not in the planned schedule` });
          continue;
        }
        mismatches.push(...compareLeg(p, f, tolerance));
      }
      for (const p of planned.values()) {
        if (!seen.has(p.id)) mismatches.push({ flightId: p.id, kind: 'missing_in_pss', detail: `${p.origin}-${p.destination} departing ${p.departure_local_time} is planned but the PSS has no such flight` });
      }
    }
    const at = now();
    const found = new Set(mismatches.map((m) => `${m.flightId}\u0000${m.kind}`));
    const existing = db.prepare('SELECT resolved_at FROM schedule_mismatches WHERE flight_id = ? AND kind = ?');
    const insert = db.prepare('INSERT INTO schedule_mismatches (flight_id, kind, detail, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?)');
    const seenAgain = db.prepare('UPDATE schedule_mismatches SET detail = ?, last_seen_at = ? WHERE flight_id = ? AND kind = ?');
    const reopen = db.prepare('UPDATE schedule_mismatches SET detail = ?, first_seen_at = ?, last_seen_at = ?, resolved_at = NULL WHERE flight_id = ? AND kind = ?');
    let opened = 0;
    for (const m of mismatches) {
      const row = existing.get(m.flightId, m.kind) as { resolved_at: string | null } | undefined;
      if (!row) { insert.run(m.flightId, m.kind, m.detail, at, at); opened++; }
      else if (row.resolved_at !== null) { reopen.run(m.detail, at, at, m.flightId, m.kind); opened++; }
      else seenAgain.run(m.detail, at, m.flightId, m.kind);
    }
    // open mismatches of the compared carriers and dates that were not found again are resolved
    let resolved = 0;
    const open = db.prepare(`SELECT flight_id AS flightId, kind FROM schedule_mismatches WHERE resolved_at IS NULL`).all() as { flightId: string; kind: string }[];
    const resolve = db.prepare('UPDATE schedule_mismatches SET resolved_at = ? WHERE flight_id = ? AND kind = ?');
    for (const o of open) {
      const [carrierAndNumber, date] = o.flightId.split('/');
      if (!date || date < opts.fromDate || date > opts.toDate) continue;
      if (!carriers.some((c) => carrierAndNumber?.startsWith(c) && /^\d+$/.test(carrierAndNumber.slice(c.length)))) continue;
      if (found.has(`${o.flightId}\u0000${o.kind}`)) continue;
      resolved += resolve.run(at, o.flightId, o.kind).changes;
    }
    return { planned: plannedCount, operated: operatedCount, mismatches, opened, resolved };
  });
  return run();
}

/** The open mismatches, newest first. */
export function openMismatches(db: Database, limit = 1000): (ScheduleMismatch & { firstSeenAt: string; lastSeenAt: string })[] {
  return db.prepare(`SELECT flight_id AS flightId, kind, detail, first_seen_at AS firstSeenAt, last_seen_at AS lastSeenAt
    FROM schedule_mismatches WHERE resolved_at IS NULL ORDER BY last_seen_at DESC, flight_id LIMIT ?`).all(limit) as (ScheduleMismatch & { firstSeenAt: string; lastSeenAt: string })[];
}
