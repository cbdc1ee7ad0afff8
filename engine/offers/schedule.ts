/**
 * Itineraries from the schedule: non-stop flights and connections at the allowed connection points,
 * each connection between the airport's minimum connecting time and the maximum connection time. Only
 * flights marketed by our carriers are sold (a codeshare is one of ours operated by a partner).
 */
import type { Airport, FlightLeg } from '../domain/types';
import { utcToLocal } from '../domain/time';

export interface ItinerarySettings {
  /** minimum connecting time per airport, minutes */
  minConnectMinutes: Readonly<Record<string, number>>;
  defaultMinConnectMinutes: number;
  maxConnectMinutes: number;
  /** airports where passengers may connect; undefined: any */
  connectionPoints?: readonly string[];
  /** legs per journey, 1 (non-stop only) to 3 */
  maxLegs: number;
  /** flights closer to departure than this are not sold */
  salesCutoffMinutes: number;
}

export const DEFAULT_ITINERARY_SETTINGS: ItinerarySettings = {
  minConnectMinutes: {},
  defaultMinConnectMinutes: 45,
  maxConnectMinutes: 360,
  maxLegs: 2,
  salesCutoffMinutes: 60,
};

interface TimedLeg { leg: FlightLeg; dep: number; arr: number }

export interface ScheduleIndex {
  byId: ReadonlyMap<string, FlightLeg>;
  /** legs by origin, sorted by departure instant */
  byOrigin: ReadonlyMap<string, readonly TimedLeg[]>;
  /** legs by origin and local date */
  byOriginDate: ReadonlyMap<string, readonly TimedLeg[]>;
  ownCarriers: ReadonlySet<string>;
  /** local wall times of legs at their airports, filled on first use ("YYYY-MM-DDTHH:MM") */
  localTimes: Map<string, { departure: string; arrival: string }>;
}

export function buildScheduleIndex(legs: readonly FlightLeg[], ownCarriers: readonly string[]): ScheduleIndex {
  const own = new Set(ownCarriers);
  const byId = new Map<string, FlightLeg>();
  const byOrigin = new Map<string, TimedLeg[]>();
  const byOriginDate = new Map<string, TimedLeg[]>();
  for (const leg of legs) {
    if (!own.has(leg.carrier)) continue;
    const t: TimedLeg = { leg, dep: Date.parse(leg.departureUtc), arr: Date.parse(leg.arrivalUtc) };
    if (Number.isNaN(t.dep) || Number.isNaN(t.arr)) throw new Error(`flight ${leg.id}: departureUtc/arrivalUtc must be ISO instants`);
    byId.set(leg.id, leg);
    (byOrigin.get(leg.origin) ?? byOrigin.set(leg.origin, []).get(leg.origin)!).push(t);
    const k = `${leg.origin}|${leg.localDate}`;
    (byOriginDate.get(k) ?? byOriginDate.set(k, []).get(k)!).push(t);
  }
  for (const arr of byOrigin.values()) arr.sort((a, b) => a.dep - b.dep || a.leg.id.localeCompare(b.leg.id));
  for (const arr of byOriginDate.values()) arr.sort((a, b) => a.dep - b.dep || a.leg.id.localeCompare(b.leg.id));
  return { byId, byOrigin, byOriginDate, ownCarriers: own, localTimes: new Map() };
}

export interface Itinerary {
  legs: FlightLeg[];
  connections: { airport: string; minutes: number }[];
}

function hasCabin(leg: FlightLeg, cabin: string): boolean {
  return leg.cabins.some((c) => c.cabin === cabin && c.capacity > 0);
}

function firstAtOrAfter(arr: readonly TimedLeg[], t: number): number {
  let lo = 0; let hi = arr.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (arr[mid]!.dep < t) lo = mid + 1; else hi = mid; }
  return lo;
}

export interface ItineraryQuery {
  origin: string;
  destination: string;
  /** local departure date at the origin */
  localDate: string;
  cabin: string;
  /** now, for the sales cutoff */
  nowMs: number;
}

/** Journeys from origin to destination leaving on the local date, ordered by departure then arrival. */
export function findItineraries(index: ScheduleIndex, q: ItineraryQuery, s: ItinerarySettings): Itinerary[] {
  const out: Itinerary[] = [];
  const firsts = index.byOriginDate.get(`${q.origin}|${q.localDate}`) ?? [];
  const hubs = s.connectionPoints ? new Set(s.connectionPoints) : undefined;
  const path: TimedLeg[] = [];
  const visited = new Set<string>([q.origin]);
  const extend = (cur: TimedLeg) => {
    path.push(cur);
    const at = cur.leg.destination;
    if (at === q.destination) {
      out.push({
        legs: path.map((p) => p.leg),
        connections: path.slice(1).map((p, i) => ({ airport: p.leg.origin, minutes: Math.round((p.dep - path[i]!.arr) / 60_000) })),
      });
    } else if (path.length < s.maxLegs && !visited.has(at) && (!hubs || hubs.has(at))) {
      visited.add(at);
      const mct = (s.minConnectMinutes[at] ?? s.defaultMinConnectMinutes) * 60_000;
      const from = index.byOrigin.get(at) ?? [];
      const latest = cur.arr + s.maxConnectMinutes * 60_000;
      for (let i = firstAtOrAfter(from, cur.arr + mct); i < from.length && from[i]!.dep <= latest; i++) {
        const next = from[i]!;
        if (visited.has(next.leg.destination) || !hasCabin(next.leg, q.cabin)) continue;
        extend(next);
      }
      visited.delete(at);
    }
    path.pop();
  };
  const cutoff = q.nowMs + s.salesCutoffMinutes * 60_000;
  for (const f of firsts) {
    if (f.dep < cutoff || !hasCabin(f.leg, q.cabin)) continue;
    extend(f);
  }
  const arrival = (it: Itinerary) => Date.parse(it.legs[it.legs.length - 1]!.arrivalUtc);
  return out.sort((a, b) => Date.parse(a.legs[0]!.departureUtc) - Date.parse(b.legs[0]!.departureUtc) || arrival(a) - arrival(b) || a.legs.length - b.legs.length);
}

/** A leg's local departure and arrival wall times (cached: the time-zone arithmetic is the costly part). */
export function legLocalTimes(index: ScheduleIndex, leg: FlightLeg, airports: ReadonlyMap<string, Airport>): { departure: string; arrival: string } {
  let t = index.localTimes.get(leg.id);
  if (!t) {
    const stamp = (instant: string, airport: Airport | undefined) => {
      if (!airport) return new Date(instant).toISOString().slice(0, 16);
      const l = utcToLocal(instant, airport.timeZone);
      return `${l.date}T${l.time}`;
    };
    t = { departure: stamp(leg.departureUtc, airports.get(leg.origin)), arrival: stamp(leg.arrivalUtc, airports.get(leg.destination)) };
    index.localTimes.set(leg.id, t);
  }
  return t;
}
