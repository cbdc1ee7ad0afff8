/**
 * A pricing cycle's output as decisions: fare recommendations become flight-specific fares (the fare
 * basis and point of sale of the fare filed for the class, valid on the departure date), authorisation
 * levels and bid prices become inventory controls. Each keeps its explanation as ordered steps summing
 * to the value, and the cabin's context (competitor position, forecast, load factor, the elasticity the
 * cycle used and where it came from) for the review grid.
 */
import type { Database } from 'better-sqlite3';
import type { CabinContext } from '../pricing/cycle';
import type { FareComponentCode, Recommendation } from '../pricing/types';
import type { DecisionService, IngestResult } from './decisions';
import type { DecisionContext, ExplanationStep, RecommendationInput } from './types';

const FARE_LABEL: Record<FareComponentCode, string> = {
  base: 'Fare filed now', forecast: 'Demand to come against seats left', protection: 'Class closed by protection levels',
  bid_price: 'Not below the bid price', competitor: 'Competitor strategy', elasticity: 'Price elasticity', price_point: 'Price point',
  ladder_rung: 'Ladder rung', max_change: 'Guardrail: maximum change per cycle', monotone_ladder: 'Guardrail: monotone ladder',
  floor: 'Guardrail: floor', ceiling: 'Guardrail: ceiling',
};

/** inputs a label keeps even past the first six (a demand influence in the forecast: a revenue manager must see it) */
const ALWAYS_KEPT = new Set(['influence']);

function detailText(d: Record<string, unknown>): string {
  const set = Object.entries(d).filter(([, v]) => v !== null && v !== undefined && v !== '');
  const kept = [...set.slice(0, 6), ...set.slice(6).filter(([k]) => ALWAYS_KEPT.has(k))];
  const parts = kept.map(([k, v]) => `${k} ${typeof v === 'number' ? Math.round(v * 1000) / 1000 : String(v)}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** A fare component's label as decisions keep it: its name, then its set inputs "(name value, …)" (the first six, and a demand influence). */
export function fareStepLabel(code: FareComponentCode, detail: Record<string, unknown>): string {
  return `${FARE_LABEL[code]}${detailText(detail)}`;
}

interface FlightInfo { carrier: string; country: string | null }
interface FiledFare { fare_basis: string; point_of_sale: string }

export interface ConversionResult {
  inputs: RecommendationInput[];
  /** recommendations that could not become a decision, with why */
  skipped: { key: string; reason: string }[];
}

/** Converts recommendations; `contexts` (per departure × cabin) add the review context. */
export function fromPricing(db: Database, recs: readonly Recommendation[], contexts: readonly CabinContext[] = [], opts: { pointOfSale?: string } = {}): ConversionResult {
  const flightStmt = db.prepare('SELECT f.carrier, a.country FROM flights f JOIN airports a ON a.code = f.origin WHERE f.id = ?');
  const filedStmt = db.prepare(`SELECT fare_basis, point_of_sale FROM fares WHERE carrier = @carrier AND origin = @origin AND destination = @destination AND rbd = @rbd
      AND valid_from <= @date AND valid_to >= @date AND flight_id IN ('', @flightId)
    ORDER BY flight_id = '', point_of_sale <> coalesce(@pos, @country, ''), updated_at DESC, id DESC LIMIT 1`);
  const topRbd = db.prepare('SELECT rbd FROM rbds WHERE carrier = ? AND cabin = ? ORDER BY rank LIMIT 1').pluck();
  const flights = new Map<string, FlightInfo | null>();
  const flightOf = (id: string) => {
    if (!flights.has(id)) flights.set(id, (flightStmt.get(id) as FlightInfo | undefined) ?? null);
    return flights.get(id)!;
  };
  const ctx = new Map(contexts.map((c) => [`${c.flightId}|${c.cabin}`, c]));
  const inputs: RecommendationInput[] = [];
  const skipped: ConversionResult['skipped'] = [];
  for (const r of recs) {
    const f = flightOf(r.flightId);
    if (!f) { skipped.push({ key: r.key, reason: `flight ${r.flightId} is not in the store` }); continue; }
    const c = ctx.get(`${r.flightId}|${r.cabin}`);
    const context: DecisionContext = c ? {
      competitor: c.competitor.minMinor !== null ? { minMinor: c.competitor.minMinor, currency: c.currency, carrier: c.competitor.carriers[0] ?? '', observedAt: '' } : null,
      forecastDemand: c.demandToCome,
      loadFactor: c.physicalCapacity > 0 ? c.sold / c.physicalCapacity : null,
      elasticity: c.elasticity ? { value: c.elasticity.estimate, standardError: c.elasticity.se, source: c.elasticity.source } : null,
      competitorStrategy: c.competitor.strategy,
    } : {};
    const flight = { carrier: f.carrier, origin: r.origin, destination: r.destination, localDate: r.departureDate };
    const base = { recommendationId: `${r.kind}:${r.key}`, context, flight };
    if (r.kind === 'fare') {
      const filed = filedStmt.get({ carrier: f.carrier, origin: r.origin, destination: r.destination, rbd: r.rbd, date: r.departureDate, flightId: r.flightId, pos: opts.pointOfSale ?? null, country: f.country }) as FiledFare | undefined;
      if (!filed) { skipped.push({ key: r.key, reason: `no fare is filed for ${r.origin}-${r.destination} ${r.rbd} on ${r.departureDate}` }); continue; }
      const explanation: ExplanationStep[] = r.explanation.components.map((x) => ({ key: x.code, label: fareStepLabel(x.code, x.detail), amount: x.amountMinor }));
      inputs.push({
        kind: 'fare', currentValue: r.currentMinor, explanation, ...base,
        fare: {
          carrier: f.carrier, origin: r.origin, destination: r.destination, rbd: r.rbd, cabin: r.cabin, fareBasis: filed.fare_basis, pointOfSale: filed.point_of_sale,
          currency: r.currency, amountMinor: r.recommendedMinor, validFrom: r.departureDate, validTo: r.departureDate, flightId: r.flightId,
        },
      });
    } else if (r.kind === 'authorisation') {
      const e = r.explanation;
      const steps: ExplanationStep[] = [
        { key: 'authorised_capacity', label: `Authorised capacity (${e.physicalCapacity} seats${e.authorisedCapacity > e.physicalCapacity ? ' + overbooking' : ''})`, amount: e.authorisedCapacity },
        { key: 'protected_above', label: `Protected for higher classes (${e.method}, demand ${e.demandMean.toFixed(1)} ± ${e.demandSd.toFixed(1)} at ${e.fareUsed})`, amount: -e.protectedAbove },
      ];
      const rest = r.recommended - (e.authorisedCapacity - e.protectedAbove);
      if (rest !== 0) steps.push({ key: 'bounds', label: e.inefficient ? 'Closed: inefficient under fare transformation' : 'Kept within seats sold and capacity', amount: rest });
      inputs.push({
        kind: 'authorisation', currentValue: r.current, explanation: steps, ...base,
        control: { flightId: r.flightId, rbd: r.rbd, cabin: r.cabin, authorised: r.recommended, status: e.inefficient ? 'closed' : null, bidPriceMinor: null, currency: null },
      });
    } else {
      const rbd = topRbd.get(f.carrier, r.cabin) as string | undefined;
      if (!rbd) { skipped.push({ key: r.key, reason: `no RBD ladder for ${f.carrier} cabin ${r.cabin}` }); continue; }
      const e = r.explanation;
      inputs.push({
        kind: 'bid_price', currentValue: r.currentMinor, ...base,
        explanation: [{ key: `bid_price:${e.method}`, label: `Bid price by ${e.method.toUpperCase()} with ${e.remainingSeats} seats left${e.gapPct !== undefined ? ` (DP ${e.gapPct.toFixed(1)} % above EMSR-b)` : ''}`, amount: r.recommendedMinor }],
        control: { flightId: r.flightId, rbd, cabin: r.cabin, authorised: null, status: null, bidPriceMinor: r.recommendedMinor, currency: r.currency },
      });
    }
  }
  return { inputs, skipped };
}

/** Writes and publishes a pricing cycle's recommendations as decisions (the headless run and the UI's "run cycle" call this). */
export function ingestPricingCycle(
  decisions: DecisionService, db: Database,
  out: { cycleId: string; recommendations: readonly Recommendation[]; contexts?: readonly CabinContext[] },
  opts: { publish?: boolean; pointOfSale?: string; keepStanding?: boolean } = {},
): IngestResult & { skipped: ConversionResult['skipped'] } {
  const { inputs, skipped } = fromPricing(db, out.recommendations, out.contexts ?? [], opts);
  return { ...decisions.ingest(out.cycleId, inputs, { publish: opts.publish, keepStanding: opts.keepStanding }), skipped };
}
