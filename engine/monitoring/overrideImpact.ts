/**
 * Override impact: for each fare override that reached the PSS, the revenue realised on the bookings
 * that followed (until the next price for its key reached the PSS, it expired, or now) minus the revenue
 * the model expects had the recommendation stood: the bookings scaled by the demand ratio between the
 * two prices — read off the market's response curve where the observed price changes cover both prices,
 * else n·r^ε under the market's elasticity (r = recommended / override price) — each paying the
 * recommended price. Its uncertainty combines the Poisson noise of the observed bookings (the demand
 * level) and the response model's standard error (delta method). Capacity is not modelled: an override
 * on a departure that sold out understates what a lower price could not have sold.
 */
import type { Database } from 'better-sqlite3';
import { addDays, type Clock } from '../domain/time';
import type { OverrideImpactRow, OverrideImpactTotal } from '../api/contract/monitoring';
import type { ElasticityFeedback } from './elasticity';
import { responseRatio } from './responseCurve';
import { PUSHES_OF_KEY } from '../store/priceHistory';

const SOLD = "('booked', 'flown', 'no_show', 'denied_boarding')";
const Z95 = 1.959964;

/**
 * The impact of one override (pure): realised revenue R on n bookings at the override price, against the
 * revenue had the recommendation stood — the same bookings scaled by the demand ratio at the recommended
 * price, each paying the recommended price (price ratio r). The demand ratio's log has a standard error.
 */
export function impactOf(x: { revenueMinor: number; bookings: number; priceRatio: number; demandRatio: number; demandLogSe: number }):
  { counterfactualBookings: number; counterfactualRevenueMinor: number; impactMinor: number; stdErrorMinor: number } {
  const cfRevenue = x.revenueMinor * x.priceRatio * x.demandRatio;
  const avg = x.bookings > 0 ? x.revenueMinor / x.bookings : 0;
  // Var from the demand level (Poisson bookings) and from the response model
  const varLevel = (avg * x.priceRatio * x.demandRatio) ** 2 * x.bookings;
  const varModel = (cfRevenue * x.demandLogSe) ** 2;
  return {
    counterfactualBookings: x.bookings * x.demandRatio,
    counterfactualRevenueMinor: Math.round(cfRevenue),
    impactMinor: Math.round(x.revenueMinor - cfRevenue),
    stdErrorMinor: Math.round(Math.sqrt(varLevel + varModel)),
  };
}

/** The demand ratio at price ratio r under constant elasticity ε ± se. */
export function elasticityRatio(r: number, e: { value: number; se: number }): { ratio: number; logSe: number } {
  return { ratio: r ** e.value, logSe: Math.abs(Math.log(r)) * e.se };
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
  // a key's pushes: those still in the store and the replaced ones retention moved to price_history
  const firstPrice = db.prepare(`SELECT current_value FROM ${PUSHES_OF_KEY} WHERE current_value > 0 ORDER BY pushed_at, sequence, id LIMIT 1`).pluck();
  const nextPush = db.prepare(`SELECT min(pushed_at) FROM ${PUSHES_OF_KEY} WHERE pushed_at > @after AND id <> @id`).pluck();
  const onFlight = db.prepare(`SELECT count(*) AS n, coalesce(sum(b.passengers), 0) AS pax, coalesce(sum(b.amount_minor), 0) AS revenue FROM bookings b JOIN flights f ON f.id = b.flight_id
      WHERE b.flight_id = ? AND b.rbd = ? AND b.currency = ? AND b.booked_at >= ? AND b.booked_at < ? AND b.status IN ${SOLD}
        AND b.journey_origin = f.origin AND b.journey_destination = f.destination`);
  const onMarket = db.prepare(`SELECT count(*) AS n, coalesce(sum(b.passengers), 0) AS pax, coalesce(sum(b.amount_minor), 0) AS revenue FROM bookings b JOIN flights f ON f.id = b.flight_id
      WHERE f.origin = ? AND f.destination = ? AND f.local_date BETWEEN ? AND ? AND b.rbd = ? AND b.currency = ? AND b.booked_at >= ? AND b.booked_at < ? AND b.status IN ${SOLD}
        AND b.journey_origin = f.origin AND b.journey_destination = f.destination`);
  const rows: OverrideImpactRow[] = [];
  const totals = new Map<string, { n: number; impact: number; variance: number }>();
  for (const o of overrides) {
    const next = nextPush.get({ key: o.key, after: o.pushed_at, id: o.id }) as string | null;
    const end = [next, o.state === 'expired' ? o.ended_at : null, now].filter((v): v is string => !!v).sort()[0]!;
    const b = (o.flight_id
      ? onFlight.get(o.flight_id, o.rbd, o.currency, o.pushed_at, end)
      : onMarket.get(o.origin, o.destination, o.travel_date, o.travel_date_to, o.rbd, o.currency, o.pushed_at, end)) as { n: number; pax: number; revenue: number };
    const e = elasticity.posterior(o.origin, o.destination, o.cabin);
    const r = o.recommended_value / o.proposed_value;
    // the response curve between the two price indices when the data cover them, else the elasticity
    const first = firstPrice.get({ key: o.key }) as number | undefined;
    const curve = first ? elasticity.curve(o.origin, o.destination, o.cabin) : null;
    const fromCurve = curve && first ? responseRatio(curve, Math.log(o.recommended_value / first), Math.log(o.proposed_value / first)) : null;
    const demand = fromCurve ?? elasticityRatio(r, e);
    const im = impactOf({ revenueMinor: b.revenue, bookings: b.pax, priceRatio: r, demandRatio: demand.ratio, demandLogSe: demand.logSe });
    rows.push({
      decisionId: o.id, key: o.key, origin: o.origin, destination: o.destination, flightId: o.flight_id || null, rbd: o.rbd, currency: o.currency,
      mode: o.override_mode, by: o.created_by, reason: o.override_reason, from: o.pushed_at, to: end,
      overridePriceMinor: o.proposed_value, recommendedPriceMinor: o.recommended_value, bookings: b.pax, realisedRevenueMinor: b.revenue,
      counterfactualBookings: im.counterfactualBookings, counterfactualRevenueMinor: im.counterfactualRevenueMinor, impactMinor: im.impactMinor,
      stdErrorMinor: im.stdErrorMinor, ci95Minor: [Math.round(im.impactMinor - Z95 * im.stdErrorMinor), Math.round(im.impactMinor + Z95 * im.stdErrorMinor)],
      elasticity: { value: e.value, standardError: e.se },
      model: fromCurve ? 'response_curve' : 'elasticity',
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
