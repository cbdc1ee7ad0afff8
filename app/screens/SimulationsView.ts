/**
 * Chart data of the Simulations screen, from a stored run (simulations.get): revenue and load factor
 * by strategy per carrier and in total; our booking curve and fare mix under both strategies.
 */
import type { SimulationRunDetail } from '../../engine/api/contract';

export interface StrategyBar { carrier: string; a: number; b: number }

/** Revenue (major units) and load factor (%) of each carrier and the total, strategy A beside B. */
export function strategyBars(run: SimulationRunDetail): { revenue: StrategyBar[]; loadFactor: StrategyBar[] } {
  const rows = run.a.carriers.map((ca, i) => ({ a: ca, b: run.b.carriers[i]! }));
  rows.push({ a: run.a.total, b: run.b.total });
  return {
    revenue: rows.map((r) => ({ carrier: r.a.carrier, a: Math.round(r.a.revenue), b: Math.round(r.b.revenue) })),
    loadFactor: rows.map((r) => ({ carrier: r.a.carrier, a: 100 * r.a.loadFactor, b: 100 * r.b.loadFactor })),
  };
}

/** Cumulative bookings per departure at each DCP, far out first (the booking curve of our carrier). */
export function bookingCurves(run: SimulationRunDetail): { dcp: number; a: number; b: number }[] {
  return run.a.bookingCurve.map((p, i) => ({ dcp: p.dcp, a: p.bookings, b: run.b.bookingCurve[i]?.bookings ?? 0 }));
}

/** Share of our seats sold in each class (%), highest class first. */
export function fareMixRows(run: SimulationRunDetail): { rbd: string; a: number; b: number }[] {
  return run.a.fareMix.map((m, i) => ({ rbd: m.rbd, a: 100 * m.share, b: 100 * (run.b.fareMix[i]?.share ?? 0) }));
}

/** "+1.23 % (95 % CI −0.40 % to +2.86 %)", or the reason there is no interval. */
export function upliftText(u: { upliftPct: number | null; upliftLow: number | null; upliftHigh: number | null }): string {
  const f = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)} %`;
  if (u.upliftPct === null) return 'n/a';
  if (u.upliftLow === null || u.upliftHigh === null) return `${f(u.upliftPct)} (one trial: no interval)`;
  return `${f(u.upliftPct)} (95 % CI ${f(u.upliftLow)} to ${f(u.upliftHigh)})`;
}
