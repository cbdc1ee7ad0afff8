/**
 * The truth of the simulated market, for tests, benchmarks and the what-if API only (the engines
 * must learn from the feeds): the true expected demand by DCP, and the true response of demand to a
 * price change measured by counterfactual runs on the same draws.
 */
import { dateFromDayNumber, dayNumber } from '../domain/time';
import { DAY_MS } from './clock';
import { ST_CANCELLED } from './booking-log';
import type { MarketSimulator } from './simulator';

export interface TrueDemandSegment {
  segment: string;
  referenceFare: number;
  /** expected passengers per booking period before this seed's random multipliers (period k ends at DCP k) */
  expected: number[];
  /** this seed's realised Poisson means per period (after the k-factor and time-frame draws) */
  realised: number[];
  expectedTotal: number;
  realisedTotal: number;
}

export interface TrueDemand {
  origin: string;
  destination: string;
  departureDate: string;
  dcps: number[];
  segments: TrueDemandSegment[];
}

export function trueDemand(sim: MarketSimulator, q: { origin: string; destination: string; date: string }): TrueDemand {
  const m = sim.net.markets.key.get(`${q.origin}-${q.destination}`);
  if (m === undefined) throw new Error(`trueDemand: no market ${q.origin}-${q.destination}`);
  const X = dayNumber(q.date);
  const segments = sim.net.markets.demand[m]!.map((d, e) => {
    const expected = sim.demand.expectedByPeriod(m, e, X);
    const realised = sim.demand.realisedByPeriod(m, e, X);
    return {
      segment: sim.net.segments[d.segment]!.code, referenceFare: d.referenceFare, expected, realised,
      expectedTotal: expected.reduce((a, b) => a + b, 0), realisedTotal: realised.reduce((a, b) => a + b, 0),
    };
  });
  return { origin: q.origin, destination: q.destination, departureDate: q.date, dcps: [...sim.net.dcps], segments };
}

/** Bookings made from the fork instant on (net of their cancellations). */
export interface MarketOutcome {
  passengers: number;
  /** base currency, major units */
  revenue: number;
}

export interface PriceResponse {
  carrier: string;
  origin: string;
  destination: string;
  from: string;
  to: string;
  pct: number;
  base: MarketOutcome;
  up: MarketOutcome;
  down: MarketOutcome;
  /** arc elasticity of passengers to price: (Δq/q̄)/(Δp/p̄) between the −pct and +pct runs */
  elasticity: number;
}

/** Passengers and revenue a carrier sold in a market for journey dates [fromDay, toDay] (recorded bookings, not cancelled). */
export function marketOutcome(sim: MarketSimulator, carrier: number, m: number, fromDay: number, toDay: number): MarketOutcome {
  const lg = sim.log;
  let passengers = 0;
  let revenue = 0;
  for (let i = 0; i < lg.n; i++) {
    if (lg.carrier[i] !== carrier || lg.market[i] !== m || lg.status0[i] === ST_CANCELLED) continue;
    const X = sim.legs.dayOf(lg.leg0[i]!);
    if (X < fromDay || X > toDay) continue;
    passengers += lg.pax[i]!;
    revenue += lg.value[i]!;
  }
  return { passengers, revenue };
}

/**
 * The true demand response to a price change: three forks of the market at its current instant, with
 * the carrier's fares in the market for journey dates [from, to] as they are, raised by `pct` and
 * lowered by `pct`, each played until the last of those departures; same draws in all three (demand
 * never depends on prices), so the differences are the passengers' response (and the competitors'
 * controllers' reaction to it, as in the real market).
 */
export function priceResponse(sim: MarketSimulator, q: { origin: string; destination: string; from: string; to: string; carrier?: string; pct?: number }): PriceResponse {
  const net = sim.net;
  const m = net.markets.key.get(`${q.origin}-${q.destination}`);
  if (m === undefined) throw new Error(`priceResponse: no market ${q.origin}-${q.destination}`);
  const carrier = q.carrier ? net.carrierIdx.get(q.carrier) : net.own;
  if (carrier === undefined) throw new Error(`priceResponse: unknown carrier ${q.carrier}`);
  const pct = q.pct ?? 0.1;
  if (!(pct > 0 && pct < 1)) throw new Error(`priceResponse: pct must lie in (0, 1), got ${pct}`);
  const fromDay = Math.max(dayNumber(q.from), sim.clock.dayNumber());
  const toDay = dayNumber(q.to);
  if (toDay < fromDay) throw new Error('priceResponse: the journey dates must not be in the past and from <= to');
  sim.ensureDayBegun();
  const fs = sim.fares;
  const pb = fs.productBase[carrier * net.markets.n + m]!;
  if (pb < 0) throw new Error(`priceResponse: ${net.carriers[carrier]!.code} files no fares in ${q.origin}-${q.destination}`);
  const endMs = (toDay + 2) * DAY_MS;
  const play = (factor: number): MarketOutcome => {
    const f = sim.clone({ record: 'all' });
    const firstPnr = f.log.n;
    if (factor !== 1) {
      const today = f.clock.dayNumber();
      for (let c = 0; c < net.carriers[carrier]!.nClasses; c++) {
        for (let pos = 0; pos < fs.nPos; pos++) {
          const slot = fs.slot(pb + c, pos);
          const amt = f.fares.amountMinor[slot]!;
          if (!(amt === amt)) continue;
          f.fares.addOverride(slot, { fromDay, toDay, leg: -1, amountMinor: Math.round(amt * factor), currency: f.fares.currency[slot]!, saleUntilDay: Infinity, filedAtMs: f.clock.nowMs(), reference: 'truth' }, today);
        }
      }
    }
    f.advanceTo(Math.max(endMs, f.clock.nowMs()));
    const lg = f.log;
    let passengers = 0;
    let revenue = 0;
    for (let i = firstPnr; i < lg.n; i++) {
      if (lg.carrier[i] !== carrier || lg.market[i] !== m || lg.status0[i] === ST_CANCELLED) continue;
      const X = f.legs.dayOf(lg.leg0[i]!);
      if (X < fromDay || X > toDay) continue;
      passengers += lg.pax[i]!;
      revenue += lg.value[i]!;
    }
    return { passengers, revenue };
  };
  const base = play(1);
  const up = play(1 + pct);
  const down = play(1 - pct);
  const dq = (up.passengers - down.passengers) / Math.max(1e-9, (up.passengers + down.passengers) / 2);
  const dp = 2 * pct; // (p_up − p_down) / mean price
  return {
    carrier: net.carriers[carrier]!.code, origin: q.origin, destination: q.destination, from: dateFromDayNumber(fromDay), to: dateFromDayNumber(toDay), pct,
    base, up, down, elasticity: dq / dp,
  };
}
