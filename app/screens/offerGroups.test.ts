import { describe, expect, it } from 'vitest';
import type { Offer } from '../../engine/api/contract';
import { byItinerary, partyText } from './offerGroups';

/** An offer's fields the grouping reads: its journeys' segments (flights) and total. */
function offer(id: string, brand: string, flights: string[][], total: number): Offer {
  const segments = flights.flat().map((f, i) => ({ id: `${id}-s${i}`, flightId: f }));
  let k = 0;
  const journeys = flights.map((js, j) => ({ id: `${id}-j${j}`, segmentIds: js.map(() => segments[k++]!.id) }));
  return { id, brand: { code: brand, name: brand, includes: [] }, segments, journeys, total: { amountMinor: total } } as unknown as Offer;
}

describe('offers by itinerary', () => {
  it('puts the brands of the same flights together, cheapest first, and orders the itineraries by their cheapest offer', () => {
    const groups = byItinerary([
      offer('a', 'LIGHT', [['DF323/2026-12-12/BCN']], 16614),
      offer('b', 'LIGHT', [['DF325/2026-12-12/BCN']], 18621),
      offer('c', 'FLEX', [['DF323/2026-12-12/BCN']], 33014),
      offer('d', 'CLASSIC', [['DF323/2026-12-12/BCN']], 23814),
      offer('e', 'LIGHT', [['DF100/2026-12-12/AMS', 'DF200/2026-12-12/FRA'], ['DF201/2026-12-19/ARN', 'DF101/2026-12-19/FRA']], 12000),
    ]);
    expect(groups.map((g) => g.key)).toEqual([
      'DF100/2026-12-12/AMS + DF200/2026-12-12/FRA / DF201/2026-12-19/ARN + DF101/2026-12-19/FRA',
      'DF323/2026-12-12/BCN',
      'DF325/2026-12-12/BCN',
    ]);
    expect(groups[1]!.offers.map((o) => o.id)).toEqual(['a', 'd', 'c']);
    expect(byItinerary([])).toEqual([]);
  });
});

describe('the party an offer is for', () => {
  it('names each passenger type present, singular or plural', () => {
    expect(partyText({ ADT: 1, CHD: 0, INF: 0 })).toBe('1 adult');
    expect(partyText({ ADT: 2, CHD: 1, INF: 2 })).toBe('2 adults, 1 child, 2 infants');
    expect(partyText({ ADT: 0, CHD: 3, INF: 0 })).toBe('3 children');
  });
});
