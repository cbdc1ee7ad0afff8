/**
 * Booking curves: per leg departure × RBD, the gross bookings, cancellations and closures of each
 * DCP period, built from the PSS's bookings and inventory snapshots; and the forecast-key histories
 * assembled from them.
 *
 * - A booking counts its passengers in the period of its booking time (dcp.ts periodOfDbd, days before
 *   the departure instant); a cancelled booking also counts a cancellation in the period of its
 *   status time. Periods not reached yet (DBD still above the period's DCP at `asOf`) are null.
 * - A period is closed (its bookings censored) when the class was seen closed at either end of it: in
 *   the snapshot taken at the DCP that ends it or at the one that starts it.
 * - For a flown departure, shows are the passengers flown or denied boarding (they showed up for an
 *   overbooked cabin) and no-shows those recorded as no_show.
 * Only booking counts and timestamps are read: nothing that identifies a passenger.
 */
import type { Booking, FlightLeg } from '../domain/types';
import { dayNumber } from '../domain/time';
import { periodOfDbd } from '../forecasting/dcp';
import { HistoryBuilder, type KeyHistory } from '../forecasting/history';

/** One departure × RBD's bookings per DCP period (the normalised DCPs of the settings). */
export interface BookingCurve {
  flightId: string;
  rbd: string;
  /** gross bookings made in each period; null for a period not reached yet */
  gross: readonly (number | null)[];
  cancels?: readonly number[];
  /** 1 where the class was closed during the period */
  closed?: readonly number[];
  shows?: number | null;
  noShows?: number | null;
}

/** The booking facts a curve needs (a projection of Booking: no passenger data). */
export type CurveBooking = Pick<Booking, 'rbd' | 'passengers' | 'bookedAt' | 'status' | 'statusAt'>;

/** A status seen in an inventory snapshot at a number of days before departure. */
export interface CurveSnapshot {
  rbd: string;
  daysBeforeDeparture: number;
  status: 'open' | 'closed' | string;
}

const DAY_MS = 86_400_000;

/** Builds the curves of one flight's RBDs (see module comment); `dcps` normalised. */
export function buildCurves(flight: Pick<FlightLeg, 'id' | 'departureUtc'>, rbds: readonly string[], bookings: readonly CurveBooking[], snapshots: readonly CurveSnapshot[], dcps: readonly number[], asOf: string): BookingCurve[] {
  const P = dcps.length;
  const dep = Date.parse(flight.departureUtc);
  const asOfDbd = (dep - Date.parse(asOf)) / DAY_MS;
  const flown = asOfDbd <= 0;
  const out = new Map<string, { gross: number[]; cancels: number[]; closed: number[]; shows: number; noShows: number }>();
  for (const r of rbds) out.set(r, { gross: new Array(P).fill(0), cancels: new Array(P).fill(0), closed: new Array(P).fill(0), shows: 0, noShows: 0 });
  for (const b of bookings) {
    const c = out.get(b.rbd);
    if (!c) continue;
    const t = Date.parse(b.bookedAt);
    if (t > Date.parse(asOf)) continue;
    c.gross[periodOfDbd(dcps, (dep - t) / DAY_MS)] += b.passengers;
    if (b.status === 'cancelled' && b.statusAt && Date.parse(b.statusAt) <= Date.parse(asOf)) c.cancels[periodOfDbd(dcps, (dep - Date.parse(b.statusAt)) / DAY_MS)] += b.passengers;
    if (b.status === 'flown' || b.status === 'denied_boarding') c.shows += b.passengers;
    if (b.status === 'no_show') c.noShows += b.passengers;
  }
  for (const s of snapshots) {
    const c = out.get(s.rbd);
    if (!c || s.status !== 'closed') continue;
    // the snapshot at DCP k ends period k and starts period k + 1
    const k = dcps.indexOf(s.daysBeforeDeparture);
    if (k >= 0) { c.closed[k] = 1; if (k + 1 < P) c.closed[k + 1] = 1; }
    else c.closed[periodOfDbd(dcps, s.daysBeforeDeparture)] = 1;
  }
  return rbds.map((rbd) => {
    const c = out.get(rbd)!;
    const gross = c.gross.map((g, p) => (flown || dcps[p]! >= asOfDbd ? g : null));
    return { flightId: flight.id, rbd, gross, cancels: c.cancels, closed: c.closed, shows: flown ? c.shows : null, noShows: flown ? c.noShows : null };
  });
}

/**
 * The histories of one leg key's classes (same departures, ladder order) from its curves: one row per
 * departure day; a class without a curve that day is unobserved (NaN). Curves with the wrong number
 * of periods are reported through `onBadCurve` and left out.
 */
export function legHistories(curves: readonly BookingCurve[], dayOf: (flightId: string) => number, rbds: readonly string[], periods: number, onBadCurve?: (c: BookingCurve) => void): KeyHistory[] {
  const byDay = new Map<number, Map<string, BookingCurve>>();
  for (const c of curves) {
    if (!rbds.includes(c.rbd)) continue;
    if (c.gross.length !== periods) { onBadCurve?.(c); continue; }
    const day = dayOf(c.flightId);
    (byDay.get(day) ?? byDay.set(day, new Map()).get(day)!).set(c.rbd, c);
  }
  const days = [...byDay.keys()].sort((a, b) => a - b);
  const builders = rbds.map(() => new HistoryBuilder(periods));
  const empty = new Array<number>(periods).fill(NaN);
  for (const day of days) {
    const row = byDay.get(day)!;
    rbds.forEach((rbd, j) => {
      const c = row.get(rbd);
      builders[j]!.add(day, c ? c.gross.map((g) => (g === null ? NaN : g)) : empty, { cancels: c?.cancels, closed: c?.closed, shows: c?.shows ?? NaN, noShows: c?.noShows ?? NaN });
    });
  }
  return builders.map((b) => b.build());
}

/** The forecast key of a leg: carrier, flight number and origin (the same flight every day). */
export function legKeyOf(f: Pick<FlightLeg, 'carrier' | 'flightNumber' | 'origin'>): string {
  return `${f.carrier}|${f.flightNumber}|${f.origin}`;
}

/** An O&D booking curve: journeys of one market and fare class departing on one date. */
export interface OdCurve {
  origin: string;
  destination: string;
  /** the fare class: the RBD of the journey's first segment */
  rbd: string;
  /** local date of the journey's first leg */
  departureDate: string;
  gross: (number | null)[];
  cancels: number[];
}

/** The booking facts an O&D curve needs (no passenger data). */
export type OdCurveBooking = CurveBooking & Pick<Booking, 'flightId' | 'journeyOrigin' | 'journeyDestination'>;

/**
 * O&D booking curves per journey market × fare class × first-leg date. A journey counts once, on its
 * first segment (the one whose flight leaves from the journey's origin); periods are measured from
 * that leg's departure. Segments of flights not given are skipped.
 */
export function buildOdCurves(flights: readonly Pick<FlightLeg, 'id' | 'origin' | 'localDate' | 'departureUtc'>[], bookings: readonly OdCurveBooking[], dcps: readonly number[], asOf: string): OdCurve[] {
  const P = dcps.length;
  const byId = new Map(flights.map((f) => [f.id, f]));
  const asOfMs = Date.parse(asOf);
  const out = new Map<string, OdCurve>();
  for (const b of bookings) {
    const f = byId.get(b.flightId);
    if (!f || f.origin !== b.journeyOrigin) continue;
    const t = Date.parse(b.bookedAt);
    if (t > asOfMs) continue;
    const dep = Date.parse(f.departureUtc);
    const key = `${b.journeyOrigin}|${b.journeyDestination}|${b.rbd}|${f.localDate}`;
    let c = out.get(key);
    if (!c) {
      const asOfDbd = (dep - asOfMs) / DAY_MS;
      c = { origin: b.journeyOrigin, destination: b.journeyDestination, rbd: b.rbd, departureDate: f.localDate, gross: dcps.map((d) => (asOfDbd <= 0 || d >= asOfDbd ? 0 : null)), cancels: new Array(P).fill(0) };
      out.set(key, c);
    }
    const p = periodOfDbd(dcps, (dep - t) / DAY_MS);
    const g = c.gross[p];
    if (g !== null && g !== undefined) c.gross[p] = g + b.passengers; // a period still in progress stays unobserved
    if (b.status === 'cancelled' && b.statusAt && Date.parse(b.statusAt) <= asOfMs) c.cancels[periodOfDbd(dcps, (dep - Date.parse(b.statusAt)) / DAY_MS)] += b.passengers;
  }
  return [...out.values()].sort((a, b) => `${a.origin}${a.destination}${a.rbd}${a.departureDate}`.localeCompare(`${b.origin}${b.destination}${b.rbd}${b.departureDate}`));
}

/** The histories of O&D keys (market × fare class) from their curves, for prepareKey / forecastKey. */
export function odHistories(curves: readonly OdCurve[], periods: number): Map<string, KeyHistory> {
  const groups = new Map<string, OdCurve[]>();
  for (const c of curves) {
    const k = `${c.origin}-${c.destination}|${c.rbd}`;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(c);
  }
  const out = new Map<string, KeyHistory>();
  for (const [k, list] of groups) {
    const b = new HistoryBuilder(periods);
    for (const c of [...list].sort((x, y) => x.departureDate.localeCompare(y.departureDate))) b.add(dayNumber(c.departureDate), c.gross.map((g) => (g === null ? NaN : g)), { cancels: c.cancels });
    out.set(k, b.build());
  }
  return out;
}
