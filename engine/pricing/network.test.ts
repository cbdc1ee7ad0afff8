import { describe, expect, it } from 'vitest';
import { runPricingCycle } from './cycle';
import { networkStage, type ConnectingItinerary } from './network';
import { syntheticNetwork } from './synthetic';

const DCPS = [63, 56, 49, 42, 35, 31, 28, 24, 21, 17, 14, 10, 7, 5, 3, 1];

describe('network stage (O&D bid prices by LP)', () => {
  const net = syntheticNetwork({ seed: 8, flights: 4, daysAhead: 6, historyDays: 35, today: '2025-06-02', dcps: DCPS });
  const day = '2025-06-05';
  const out = runPricingCycle({
    cycleId: 'n', now: net.now, settings: { ownCarrier: 'XX', dcps: DCPS }, flights: net.flights, rbds: net.rbds, fares: net.fares,
    inventory: net.inventory, curves: net.curves, flightIds: net.flights.filter((f) => f.localDate === day).map((f) => f.id),
  });
  const [a, b] = net.flights.filter((f) => f.localDate === day);
  const fareOf = (rbd: string) => out.recommendations.find((r) => r.kind === 'fare' && r.rbd === rbd && r.flightId === a!.id) as { recommendedMinor: number };
  const connections: ConnectingItinerary[] = ['Y', 'Q'].map((rbd) => ({
    id: `${a!.origin}-${b!.destination}/${rbd}`, origin: a!.origin, destination: b!.destination, flightIds: [a!.id, b!.id], cabin: 'Y', rbd,
    fareMinor: Math.round(fareOf(rbd).recommendedMinor * 1.3), currency: 'EUR', demand: 40,
  }));

  it('recommends one LP bid price per leg × cabin and opens a fare only above its legs bid-price sum', async () => {
    const r = await networkStage(out, connections, 'EUR');
    expect(r.status).toBe('Optimal');
    expect(r.recommendations).toHaveLength(out.contexts.length);
    expect(r.recommendations.every((x) => x.explanation.method === 'lp' && x.recommendedMinor >= 0)).toBe(true);
    expect(r.recommendations.some((x) => x.recommendedMinor > 0)).toBe(true); // demand 40 on top of the locals fills some leg
    for (const av of r.availability) expect(av.open).toBe(av.fareMinor > av.bidPriceSumMinor + 1);
    expect(r.availability.filter((x) => x.kind === 'connecting')).toHaveLength(2);
  });

  it('refuses itineraries in another currency or over legs it did not price', async () => {
    await expect(networkStage(out, [{ ...connections[0]!, currency: 'USD' }], 'EUR')).rejects.toThrow(/in USD, the network LP in EUR/);
    await expect(networkStage(out, [{ ...connections[0]!, flightIds: ['nope'] }], 'EUR')).rejects.toThrow(/did not price/);
  });
});
