/**
 * Automatic choice of the forecasting method per market and cabin: every method is backtested on the
 * held-out flown departures of the market's legs (forecasting/backtest.ts), the errors of all its
 * legs and classes are pooled, and the method with the lowest WAPE wins. The naive "same as last
 * year" forecast is scored beside it where a departure 364 days earlier exists.
 */
import type { FlightLeg, RbdDefinition } from '../domain/types';
import { dayNumber } from '../domain/time';
import { normaliseDcps } from '../forecasting/dcp';
import { AccuracyAccumulator, backtestKey, type Accuracy } from '../forecasting/backtest';
import type { CalendarEvent } from '../forecasting/factors';
import { FORECAST_METHODS, type ForecastMethod } from '../forecasting/forecast';
import type { UnconstrainMethod } from '../forecasting/unconstrain';
import { legHistories, legKeyOf, type BookingCurve } from './curves';

export interface MethodSelection {
  origin: string;
  destination: string;
  cabin: string;
  chosen: ForecastMethod;
  /** overall and by-DCP accuracy of every method scored (and of same-as-last-year) */
  accuracy: Accuracy[];
  /** the chosen method against same-as-last-year on the departures where both exist */
  versusNaive: { cells: number; methodWape: number; naiveWape: number } | null;
}

export interface SelectionInput {
  flights: readonly FlightLeg[];
  rbds: readonly RbdDefinition[];
  curves: readonly BookingCurve[];
  dcps: readonly number[];
  events?: readonly CalendarEvent[];
  unconstrain?: UnconstrainMethod;
  /** flown departures held out per leg (default 8) */
  holdout?: number;
  /** forecast points (first-period-to-come indices) to score; default every fourth period */
  points?: readonly number[];
  methods?: readonly ForecastMethod[];
  /** only these markets "ORG-DST" */
  markets?: readonly string[];
}

export function selectForecastMethods(input: SelectionInput): MethodSelection[] {
  const dcps = normaliseDcps(input.dcps);
  const P = dcps.length;
  const flightById = new Map(input.flights.map((f) => [f.id, f]));
  const byLeg = new Map<string, { flight: FlightLeg; curves: BookingCurve[] }>();
  for (const c of input.curves) {
    const f = flightById.get(c.flightId);
    if (!f) continue;
    if (input.markets && !input.markets.includes(`${f.origin}-${f.destination}`)) continue;
    const k = legKeyOf(f);
    (byLeg.get(k) ?? byLeg.set(k, { flight: f, curves: [] }).get(k)!).curves.push(c);
  }
  const ladders = new Map<string, string[]>();
  for (const r of [...input.rbds].sort((a, b) => a.rank - b.rank)) {
    const k = `${r.carrier}|${r.cabin}`;
    (ladders.get(k) ?? ladders.set(k, []).get(k)!).push(r.rbd);
  }
  const points = input.points ?? Array.from({ length: P - 1 }, (_, i) => i + 1).filter((k) => k % 4 === 1);
  const methods = input.methods ?? FORECAST_METHODS;
  const accs = new Map<string, AccuracyAccumulator>();
  for (const { flight, curves } of byLeg.values()) {
    for (const cabin of flight.cabins.map((c) => c.cabin)) {
      const rbds = ladders.get(`${flight.carrier}|${cabin}`) ?? [];
      const k = `${flight.origin}|${flight.destination}|${cabin}`;
      const acc = accs.get(k) ?? accs.set(k, new AccuracyAccumulator(dcps)).get(k)!;
      const hs = legHistories(curves, (id) => dayNumber(flightById.get(id)!.localDate), rbds, P);
      for (const h of hs) backtestKey(h, { dcps, holdout: input.holdout ?? 8, methods, points, settings: { unconstrain: input.unconstrain ?? 'em', events: input.events } }, acc);
    }
  }
  const out: MethodSelection[] = [];
  for (const [k, acc] of accs) {
    const chosen = acc.best(methods);
    if (!chosen) continue;
    const [origin, destination, cabin] = k.split('|') as [string, string, string];
    out.push({ origin, destination, cabin, chosen, accuracy: acc.summary(), versusNaive: acc.versusNaive(chosen) ?? null });
  }
  return out.sort((a, b) => `${a.origin}${a.destination}${a.cabin}`.localeCompare(`${b.origin}${b.destination}${b.cabin}`));
}

/** The choices as the cycle takes them ("ORG-DST|cabin" → method). */
export function methodChoices(selections: readonly MethodSelection[]): Record<string, ForecastMethod> {
  return Object.fromEntries(selections.map((s) => [`${s.origin}-${s.destination}|${s.cabin}`, s.chosen]));
}
