/**
 * Override impact: for each fare override that reached the PSS, the revenue realised on the bookings
 * that followed (until the next price for its key reached the PSS, it expired, or now) minus the revenue
 * the model expects had the recommendation stood. With constant-elasticity demand, the bookings at the
 * recommended price would have been n·r^ε (r = recommended / override price), so the expected revenue
 * is R·r^(1+ε). Its uncertainty combines the Poisson noise of the observed bookings (the demand level)
 * and the elasticity's standard error (delta method). Capacity is not modelled: an override on a
 * departure that sold out understates what a lower price could not have sold.
 */
import type { Database } from 'better-sqlite3';
import { addDays, type Clock } from '../domain/time';
import type { OverrideImpactRow, OverrideImpactTotal } from '../api/contract/monitoring';
import type { ElasticityFeedback } from './elasticity';

const SOLD = "('booked', 'flown', 'no_show')";
const Z95 = 1.959964;

/** The impact of one override given its bookings and the elasticity (pure). */
export function impactOf(x: { revenueMinor: number; bookings: number; overridePrice: number; recommendedPrice: number; elasticity: number; elasticitySe: number }):
  { counterfactualBookings: number; counterfactualRevenueMinor: number; impactMinor: number; stdErrorMinor: number } {
  const r = x.recommendedPrice / x.overridePrice;
  const demand = r ** x.elasticity;
  const cfRevenue = x.revenueMinor * r * demand;
  const avg = x.bookings > 0 ? x.revenueMinor / x.bookings : 0;
  // Var from the demand level (Poisson bookings) and from ε
  const varLevel = (avg * r * demand) ** 2 * x.bookings;
  const varElasticity = (cfRevenue * Math.log(r)) ** 2 * x.elasticitySe ** 2;
  return {
    counterfactualBookings: x.bookings * demand,
    counterfactualRevenueMinor: Math.round(cfRevenue),
    impactMinor: Math.round(x.revenueMinor - cfRevenue),
    stdErrorMinor: Math.round(Math.sqrt(varLevel + varElasticity)),
  };
}

interface OverrideDbRow {
  id: number; key: string; origin: string; destination: string; flight_id: string; rbd: string; cabin: string; currency: string;
  override_mode: 'replace' | 'influence'; created_by: string; override_reason: string; pushed_at: string; ended_at: string | null; state: string;
  proposed_value: number; recommended_value: number; travel_date: string; travel_date_to: string;
}

export function overrideImpact(db: Database, clock: Clock, elasticity: ElasticityFeedback, q: { origin?: string; destination?: string; from?: string; to?: string; limit: number }):
  { rows: OverrideImpactRow[]; totals: OverrideImpactTotal[] } {
  const now = clock.now().toISOString();
  const overrides = db.prepare(`SELECT * FROM decisions WHERE source = 'override' AND kind = 'fare' AND pushed_at IS NOT NULL AND recommended_value > 0 AND proposed_value > 0
      AND (@o IS NULL OR origin = @o) AND (@d IS NULL OR destination = @d) AND (@from IS NULL OR pushed_at >= @from) AND (@to IS NULL OR pushed_at < @to)
      ORDER BY pushed_at DESC LIMIT @limit`).all({ o: q.origin ?? null, d: q.destination ?? null, from: q.from ?? null, to: q.to ? addDays(q.to, 1) : null, limit: q.limit }) as OverrideDbRow[];
  const nextPush = db.prepare("SELECT min(pushed_at) FROM decisions WHERE key = ? AND pushed_at > ? AND id <> ?").pluck();
  const onFlight = db.prepare(`SELECT count(*) AS n, coalesce(sum(passengers), 0) AS pax, coalesce(sum(amount_minor), 0) AS revenue FROM bookings
      WHERE flight_id = ? AND rbd = ? AND currency = ? AND booked_at >= ? AND booked_at < ? AND status IN ${SOLD}`);
  const onMarket = db.prepare(`SELECT count(*) AS n, coalesce(sum(b.passengers), 0) AS pax, coalesce(sum(b.amount_minor), 0) AS revenue FROM bookings b JOIN flights f ON f.id = b.flight_id
      WHERE f.origin = ? AND f.destination = ? AND f.local_date BETWEEN ? AND ? AND b.rbd = ? AND b.currency = ? AND b.booked_at >= ? AND b.booked_at < ? AND b.status IN ${SOLD}`);
  const rows: OverrideImpactRow[] = [];
  const totals = new Map<string, { n: number; impact: number; variance: number }>();
  for (const o of overrides) {
    const next = nextPush.get(o.key, o.pushed_at, o.id) as string | null;
    const end = [next, o.state === 'expired' ? o.ended_at : null, now].filter((v): v is string => !!v).sort()[0]!;
    const b = (o.flight_id
      ? onFlight.get(o.flight_id, o.rbd, o.currency, o.pushed_at, end)
      : onMarket.get(o.origin, o.destination, o.travel_date, o.travel_date_to, o.rbd, o.currency, o.pushed_at, end)) as { n: number; pax: number; revenue: number };
    const e = elasticity.posterior(o.origin, o.destination, o.cabin);
    const im = impactOf({ revenueMinor: b.revenue, bookings: b.pax, overridePrice: o.proposed_value, recommendedPrice: o.recommended_value, elasticity: e.value, elasticitySe: e.se });
    rows.push({
      decisionId: o.id, key: o.key, origin: o.origin, destination: o.destination, flightId: o.flight_id || null, rbd: o.rbd, currency: o.currency,
      mode: o.override_mode, by: o.created_by, reason: o.override_reason, from: o.pushed_at, to: end,
      overridePriceMinor: o.proposed_value, recommendedPriceMinor: o.recommended_value, bookings: b.pax, realisedRevenueMinor: b.revenue,
      counterfactualBookings: im.counterfactualBookings, counterfactualRevenueMinor: im.counterfactualRevenueMinor, impactMinor: im.impactMinor,
      stdErrorMinor: im.stdErrorMinor, ci95Minor: [Math.round(im.impactMinor - Z95 * im.stdErrorMinor), Math.round(im.impactMinor + Z95 * im.stdErrorMinor)],
      elasticity: { value: e.value, standardError: e.se },
    });
    const t = totals.get(o.currency) ?? { n: 0, impact: 0, variance: 0 };
    t.n++;
    t.impact += im.impactMinor;
    t.variance += im.stdErrorMinor ** 2;
    totals.set(o.currency, t);
  }
  return {
    rows,
    totals: [...totals.entries()].map(([currency, t]) => {
      const se = Math.round(Math.sqrt(t.variance));
      return { currency, overrides: t.n, impactMinor: t.impact, stdErrorMinor: se, ci95Minor: [Math.round(t.impact - Z95 * se), Math.round(t.impact + Z95 * se)] as [number, number] };
    }),
  };
}
