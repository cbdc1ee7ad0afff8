/**
 * Network (O&D) control on top of a leg-level cycle: one departure day's legs and itineraries go into
 * the network LP (optimisation/networkLp.ts); each leg × cabin's bid price is the dual of its capacity
 * row, recommended like the leg bid prices (method 'lp'); and every itinerary fare — local or
 * connecting — is open only when it is strictly above the sum of the bid prices of the legs it uses.
 *
 * Inputs: the cycle's cabin contexts (seats left per leg × cabin) and forecasts (local demand to come
 * per leg × RBD, with the fares the cycle recommends), plus the connecting itineraries with their
 * fares and O&D demand forecasts (forecast from the O&D booking curves, curves.ts buildOdCurves).
 * Money in the LP is in major units of one currency; itineraries in another currency are refused.
 */
import { currencyExponent, toMinor } from '../domain/money';
import { loadLpSolver, solveNetworkLp, type NetworkProduct } from '../optimisation/networkLp';
import type { CycleOutput } from './cycle';
import type { BidPriceRecommendation, FareRecommendation } from './types';

export interface ConnectingItinerary {
  /** e.g. "BOS-LAX/XX101+XX111/2025-06-10/Y3" */
  id: string;
  origin: string;
  destination: string;
  /** the leg departures in order */
  flightIds: readonly string[];
  cabin: string;
  rbd: string;
  fareMinor: number;
  currency: string;
  /** O&D demand to come (mean) */
  demand: number;
}

export interface ItineraryAvailability {
  id: string;
  /** 'local' for a one-leg fare of the cycle, 'connecting' for an itinerary given */
  kind: 'local' | 'connecting';
  fareMinor: number;
  /** sum of the bid prices of its legs, minor units */
  bidPriceSumMinor: number;
  open: boolean;
  /** the LP's allocation (expected seats sold) */
  allocation: number;
}

export interface NetworkStageResult {
  recommendations: BidPriceRecommendation[];
  availability: ItineraryAvailability[];
  objectiveMinor: number;
  status: string;
  ms: number;
}

/** Runs the network LP for the departures of a cycle output (one departure day, say) and its connections. */
export async function networkStage(cycle: Pick<CycleOutput, 'contexts' | 'forecasts' | 'recommendations'>, connections: readonly ConnectingItinerary[], currency: string): Promise<NetworkStageResult> {
  const legIndex = new Map<string, number>();
  const legs: { id: string; capacity: number; flightId: string; cabin: string }[] = [];
  for (const c of cycle.contexts) {
    if (c.currency !== currency) throw new RangeError(`network stage: ${c.flightId}/${c.cabin} is priced in ${c.currency}, the network LP in ${currency}; run one LP per currency`);
    legIndex.set(`${c.flightId}/${c.cabin}`, legs.length);
    legs.push({ id: `${c.flightId}/${c.cabin}`, capacity: c.remainingSeats, flightId: c.flightId, cabin: c.cabin });
  }
  const exp = 10 ** currencyExponent(currency);
  const fares = new Map<string, FareRecommendation>();
  for (const r of cycle.recommendations) if (r.kind === 'fare') fares.set(r.key, r);
  const products: NetworkProduct[] = [];
  const meta: { id: string; kind: 'local' | 'connecting'; fareMinor: number }[] = [];
  for (const f of cycle.forecasts) {
    const leg = legIndex.get(`${f.flightId}/${f.cabin}`);
    const fare = fares.get(`${f.flightId}/${f.cabin}/${f.rbd}`);
    if (leg === undefined || !fare) continue;
    products.push({ id: fare.key, legs: [leg], fare: fare.recommendedMinor / exp, demand: f.mean });
    meta.push({ id: fare.key, kind: 'local', fareMinor: fare.recommendedMinor });
  }
  for (const it of connections) {
    if (it.currency !== currency) throw new RangeError(`network stage: itinerary ${it.id} is in ${it.currency}, the network LP in ${currency}`);
    const idx = it.flightIds.map((id) => legIndex.get(`${id}/${it.cabin}`));
    if (idx.some((i) => i === undefined)) throw new RangeError(`network stage: itinerary ${it.id} uses a leg or cabin the cycle did not price (${it.flightIds.join(', ')} / ${it.cabin})`);
    products.push({ id: it.id, legs: idx as number[], fare: it.fareMinor / exp, demand: it.demand });
    meta.push({ id: it.id, kind: 'connecting', fareMinor: it.fareMinor });
  }
  const lp = solveNetworkLp(await loadLpSolver(), { legs: legs.map((l) => ({ id: l.id, capacity: l.capacity })), products });
  const ctxByLeg = new Map(cycle.contexts.map((c) => [`${c.flightId}/${c.cabin}`, c]));
  const current = new Map<string, BidPriceRecommendation>();
  for (const r of cycle.recommendations) if (r.kind === 'bid_price') current.set(r.key, r);
  const recommendations = legs.map((l, i): BidPriceRecommendation => {
    const prev = current.get(l.id);
    const c = ctxByLeg.get(l.id)!;
    return {
      kind: 'bid_price', key: l.id, flightId: l.flightId, cabin: l.cabin,
      origin: prev?.origin ?? '', destination: prev?.destination ?? '', departureDate: prev?.departureDate ?? '', daysToDeparture: c.daysToDeparture,
      currency, currentMinor: prev?.currentMinor ?? null, recommendedMinor: toMinor(lp.bidPrices[i]!, currency),
      explanation: { method: 'lp', remainingSeats: c.remainingSeats },
    };
  });
  const availability = products.map((p, i): ItineraryAvailability => {
    const sum = p.legs.reduce((a, l) => a + lp.bidPrices[l]!, 0);
    return { id: meta[i]!.id, kind: meta[i]!.kind, fareMinor: meta[i]!.fareMinor, bidPriceSumMinor: toMinor(sum, currency), open: lp.open[i]!, allocation: lp.allocation[i]! };
  });
  return { recommendations, availability, objectiveMinor: toMinor(lp.objective, currency), status: lp.status, ms: lp.ms };
}
