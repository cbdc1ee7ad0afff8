/** The offer simulator's answer by itinerary: the brands of the same flights side by side, as a shopper compares them. */
import type { Offer } from '../../engine/api/contract';

/** The offers of the same flights together, cheapest first; the itineraries ordered by their cheapest offer (then as answered). */
export function byItinerary(offers: readonly Offer[]): { key: string; offers: Offer[] }[] {
  const groups = new Map<string, Offer[]>();
  for (const o of offers) {
    const key = o.journeys.map((j) => j.segmentIds.map((sid) => o.segments.find((s) => s.id === sid)?.flightId ?? sid).join(' + ')).join(' / ');
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(o);
  }
  const out = [...groups].map(([key, list]) => ({ key, offers: [...list].sort((a, b) => a.total.amountMinor - b.total.amountMinor) }));
  return out.sort((a, b) => a.offers[0]!.total.amountMinor - b.offers[0]!.total.amountMinor);
}
