/** The offer simulator's answer as a shopper reads it: the brands of the same flights side by side, and whom the amounts are for. */
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

/** The party an offer's amounts are for: "1 adult", "2 adults, 1 child, 1 infant". */
export function partyText(p: Offer['request']['passengers']): string {
  const part = (n: number | undefined, one: string, many: string) => (n ? `${n} ${n === 1 ? one : many}` : '');
  return [part(p.ADT, 'adult', 'adults'), part(p.CHD, 'child', 'children'), part(p.INF, 'infant', 'infants')].filter(Boolean).join(', ');
}
