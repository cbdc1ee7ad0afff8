/**
 * Price elasticity of demand estimated from booking history.
 *
 * Observations are bookings made in a cell (e.g. one departure's DCP period) while a price was on
 * offer (the selling fare). Demand is modelled as Poisson with mean exp(α_g + ε·ln price), where the
 * fixed effect α_g of the cell's group (e.g. the DCP period, so the booking curve's shape is not
 * mistaken for a price response) absorbs everything but price. ε is the elasticity. The group effects
 * are profiled out exactly (α_g = ln(ΣQ_g / Σ_g price^ε)), leaving a one-dimensional concave likelihood
 * in ε solved by Newton's method. The standard error is the inverse information scaled by the Pearson
 * over-dispersion; groups without bookings or without any price variation carry no information.
 */
import type { Fare, FlightLeg, RbdDefinition } from '../domain/types';
import { dayNumber } from '../domain/time';
import { normaliseDcps } from '../forecasting/dcp';
import type { KeyHistory } from '../forecasting/history';
import { legHistories, legKeyOf, type BookingCurve } from './curves';

export interface PriceObservation {
  /** fixed-effect group, e.g. the DCP period index, or "period|weekday" */
  group: string | number;
  /** price on offer (any unit, > 0) */
  price: number;
  /** bookings made at that price */
  bookings: number;
}

export interface ElasticityEstimate {
  elasticity: number;
  se: number;
  observations: number;
  groups: number;
  method: 'poisson-fe';
}

/** Estimates ε; null when there is no price variation within groups or too few observations. */
export function estimateElasticity(obs: readonly PriceObservation[], minObservations = 10): ElasticityEstimate | null {
  const groups = new Map<string | number, { x: number[]; q: number[] }>();
  for (const [i, o] of obs.entries()) {
    if (!(o.price > 0) || !Number.isFinite(o.price)) throw new RangeError(`elasticity: observation ${i} price must be a finite number > 0, got ${o.price}`);
    if (!(o.bookings >= 0) || !Number.isFinite(o.bookings)) throw new RangeError(`elasticity: observation ${i} bookings must be a finite number >= 0, got ${o.bookings}`);
    let g = groups.get(o.group);
    if (!g) { g = { x: [], q: [] }; groups.set(o.group, g); }
    g.x.push(Math.log(o.price));
    g.q.push(o.bookings);
  }
  // keep informative groups: some bookings and some price variation
  const useful = [...groups.values()].filter((g) => g.q.some((q) => q > 0) && Math.max(...g.x) - Math.min(...g.x) > 1e-12);
  const n = useful.reduce((a, g) => a + g.x.length, 0);
  if (n < minObservations || useful.length === 0) return null;
  // centre log prices per group for numerical stability (does not change ε)
  for (const g of useful) { const m = g.x.reduce((a, b) => a + b, 0) / g.x.length; g.x = g.x.map((x) => x - m); }
  const scoreInfo = (e: number) => {
    let score = 0;
    let info = 0;
    for (const g of useful) {
      let sq = 0, sw = 0, swx = 0, swxx = 0, sqx = 0;
      for (let i = 0; i < g.x.length; i++) {
        const w = Math.exp(e * g.x[i]!);
        sq += g.q[i]!; sw += w; swx += w * g.x[i]!; swxx += w * g.x[i]! * g.x[i]!; sqx += g.q[i]! * g.x[i]!;
      }
      // μ_i = sq · w_i / sw
      score += sqx - (sq * swx) / sw;
      info += sq * (swxx / sw - (swx / sw) ** 2);
    }
    return { score, info };
  };
  let e = -1;
  for (let it = 0; it < 100; it++) {
    const { score, info } = scoreInfo(e);
    if (!(info > 0)) return null;
    const step = Math.max(-2, Math.min(2, score / info));
    e += step;
    if (Math.abs(step) < 1e-10) break;
  }
  const { info } = scoreInfo(e);
  // Pearson over-dispersion
  let chi2 = 0;
  for (const g of useful) {
    const sq = g.q.reduce((a, b) => a + b, 0);
    const sw = g.x.reduce((a, x) => a + Math.exp(e * x), 0);
    for (let i = 0; i < g.x.length; i++) {
      const mu = (sq * Math.exp(e * g.x[i]!)) / sw;
      if (mu > 0) chi2 += (g.q[i]! - mu) ** 2 / mu;
    }
  }
  const dof = n - useful.length - 1;
  const dispersion = dof > 0 ? Math.max(1, chi2 / dof) : 1;
  return { elasticity: e, se: Math.sqrt(dispersion / info), observations: n, groups: useful.length, method: 'poisson-fe' };
}

/**
 * Shrinks an estimate toward a prior elasticity by precision (a normal prior with sd `priorSd`):
 * ε = prior + κ(ε̂ − prior), κ = priorSd² / (priorSd² + se²). No estimate: the prior.
 */
export function shrinkElasticity(estimate: { elasticity: number; se: number } | null, prior: number, priorSd: number): { elasticity: number; weight: number } {
  if (!estimate || !(estimate.se >= 0)) return { elasticity: prior, weight: 0 };
  const k = (priorSd * priorSd) / (priorSd * priorSd + estimate.se * estimate.se);
  return { elasticity: prior + k * (estimate.elasticity - prior), weight: k };
}

/**
 * Price observations of one cabin from its classes' histories (ladder order, same departures): per
 * departure and DCP period, the cabin's bookings and the fare of the lowest class open then (the price
 * on offer), grouped by period. Periods with no class open, or not reached, are skipped.
 */
export function cabinPriceObservations(classes: readonly KeyHistory[], fares: readonly number[]): PriceObservation[] {
  const out: PriceObservation[] = [];
  if (classes.length === 0) return out;
  const { departures: D, periods: P } = classes[0]!;
  for (let d = 0; d < D; d++) {
    for (let p = 0; p < P; p++) {
      const cell = d * P + p;
      let lowest = -1;
      let bookings = 0;
      let seen = true;
      classes.forEach((c, j) => {
        const g = c.gross[cell]!;
        if (Number.isNaN(g)) seen = false; else bookings += g;
        if (!c.closed?.[cell]) lowest = j;
      });
      if (!seen || lowest < 0 || !(fares[lowest]! > 0)) continue;
      out.push({ group: p, price: fares[lowest]!, bookings });
    }
  }
  return out;
}

export interface MarketElasticity {
  origin: string;
  destination: string;
  cabin: string;
  elasticity: number;
  standardError: number;
  observations: number;
  groups: number;
  method: string;
}

/**
 * Elasticities per market × cabin from the booking curves of the market's legs, priced at the market's
 * reference ladder (the fares filed for the market, valid on each departure's date).
 */
export function marketElasticities(input: { flights: readonly FlightLeg[]; rbds: readonly RbdDefinition[]; fares: readonly Fare[]; curves: readonly BookingCurve[]; dcps: readonly number[] }): MarketElasticity[] {
  const P = normaliseDcps(input.dcps).length;
  const flightById = new Map(input.flights.map((f) => [f.id, f]));
  const byLeg = new Map<string, { flight: FlightLeg; curves: BookingCurve[] }>();
  for (const c of input.curves) {
    const f = flightById.get(c.flightId);
    if (!f) continue;
    const k = legKeyOf(f);
    (byLeg.get(k) ?? byLeg.set(k, { flight: f, curves: [] }).get(k)!).curves.push(c);
  }
  const fareOf = new Map<string, number>();
  for (const f of input.fares) if (!f.flightId) fareOf.set(`${f.carrier}|${f.origin}|${f.destination}|${f.rbd}`, f.amountMinor);
  const obs = new Map<string, PriceObservation[]>();
  for (const { flight, curves } of byLeg.values()) {
    for (const cabin of flight.cabins.map((c) => c.cabin)) {
      const ladder = input.rbds.filter((r) => r.carrier === flight.carrier && r.cabin === cabin).sort((a, b) => a.rank - b.rank);
      const fares = ladder.map((r) => fareOf.get(`${flight.carrier}|${flight.origin}|${flight.destination}|${r.rbd}`) ?? 0);
      const hs = legHistories(curves, (id) => dayNumber(flightById.get(id)!.localDate), ladder.map((r) => r.rbd), P);
      const k = `${flight.origin}|${flight.destination}|${cabin}`;
      (obs.get(k) ?? obs.set(k, []).get(k)!).push(...cabinPriceObservations(hs, fares));
    }
  }
  const out: MarketElasticity[] = [];
  for (const [k, o] of obs) {
    const e = estimateElasticity(o);
    if (!e) continue;
    const [origin, destination, cabin] = k.split('|') as [string, string, string];
    out.push({ origin, destination, cabin, elasticity: e.elasticity, standardError: e.se, observations: e.observations, groups: e.groups, method: e.method });
  }
  return out;
}
