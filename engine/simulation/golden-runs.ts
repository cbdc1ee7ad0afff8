/**
 * Golden runs (for tests): what a seeded market produces, reduced to hashes, so that a change meant only to
 * make the simulator faster (data layout, batching, caching, a choice worker) is proven to leave the market
 * byte for byte as it was (golden.test.ts; connectors/sandbox/choice-worker.test.ts plays them with a worker).
 * A change of behaviour must be a named bug fix, and updates the hash it changes (and only that one) with
 * the fix's name in the commit message.
 *
 * The extraction reads through the query API (what the sandbox serves) and the carriers' results, never the
 * internal arrays, so a new layout needs no change here.
 */
import { createHash } from 'node:crypto';
import { addDays } from '../domain/time';
import { smallSandbox, threeMkt } from './testing';
import type { SimulatedMarket } from './market';
import type { MarketSimulator } from './simulator';

const sha = (v: unknown): string => createHash('sha256').update(typeof v === 'string' ? v : JSON.stringify(v)).digest('hex').slice(0, 16);

/** Every booking event served, split into the market (fares, classes, times, states) and the ancillaries bought. */
function eventHashes(mk: SimulatedMarket): { events: number; market: string; ancillaries: string } {
  const market = createHash('sha256');
  const anc = createHash('sha256');
  let after = 0;
  let events = 0;
  for (;;) {
    const page = mk.bookingEvents(after, 20_000);
    for (const e of page.events) {
      const { ancillaries, ...b } = e.booking;
      market.update(JSON.stringify([e.seq, e.type, e.at, b]));
      anc.update(JSON.stringify([e.seq, ancillaries]));
      events++;
    }
    after = page.nextAfterSeq;
    if (!page.hasMore) break;
  }
  return { events, market: market.digest('hex').slice(0, 16), ancillaries: anc.digest('hex').slice(0, 16) };
}

/** The small sandbox played through pushes, an order, days and a what-if; `attach` is given the simulator once built. */
export function goldenSandboxRun(attach?: (sim: MarketSimulator) => void): Record<string, unknown> {
  const mk = smallSandbox(5);
  attach?.(mk.sim);
  const today = mk.today();
  const end = addDays(today, mk.sim.saleOpens);
  const date = addDays(today, 6);
  const flight = mk.flightLegs({ from: date, to: date }).find((l) => l.carrier === 'DF' && l.origin === 'FRA' && l.destination === 'LHR' && !l.operatingCarrier)!;
  const fare = mk.fares({ origin: 'FRA', destination: 'LHR', pointOfSale: 'DE' }).find((f) => f.rbd === 'M')!;
  // decisions pushed mid-day, an order, then days of play with those decisions in force
  mk.advanceTo(`${today}T09:30:00Z`);
  const pushes = [
    ...mk.applyFares([{ origin: 'FRA', destination: 'LHR', rbd: 'M', pointOfSale: 'DE', currency: fare.currency, amountMinor: Math.round(fare.amountMinor * 1.15), flightId: flight.id }]),
    ...mk.applyControls([{ flightId: flight.id, rbd: 'Q', status: 'closed' }, { flightId: flight.id, rbd: 'K', authorised: 20 }]),
  ].map((r) => r.status);
  const order = mk.createOrder({ segments: [{ flightId: flight.id, rbd: 'Y' }], origin: 'FRA', destination: 'LHR', passengers: 2, pointOfSale: 'DE', channel: 'direct', ancillaries: [{ code: 'BAG1', amountMinor: 3000 }] });
  mk.advanceDays(3);
  mk.advanceTo(`${addDays(today, 3)}T15:00:00Z`);
  const w = mk.whatIf({ flights: [flight.id], draws: 20, seed: 9, proposed: { [flight.id]: { closed: ['O', 'N'] } } });
  const from = addDays(today, -12);
  const competitor = mk.competitorFares(0, 100_000);
  return {
    pushes,
    order: order.status,
    requests: mk.sim.requests,
    lost: mk.sim.lostRequests,
    ...eventHashes(mk),
    inventory: sha(mk.inventory({ from, to: end })),
    availability: sha(mk.availabilityHistory({ from, to: end })),
    odDemand: sha(mk.odDemand({ from, to: end })),
    legPerformance: sha(mk.legPerformance({ from, to: end })),
    competitorFares: sha(competitor.observations),
    results: sha(mk.results({ from, to: end })),
    whatIf: sha([w.current.revenueByDraw, w.proposed.revenueByDraw, w.current.loadFactorByDraw, w.proposed.loadFactorByDraw, w.requestsPerRun, w.legsReplayed].map((a) => (ArrayBuffer.isView(a) ? [...(a as Float64Array)] : a))),
  };
}

/**
 * 3MKT played 130 days with every carrier's bookings logged; `attach` is given the simulator at its first
 * day, `midway` after 60 days. `legRoomDays`: the leg store's first room (a small one is outgrown as it plays).
 */
export function goldenThreeMktRun(attach?: (sim: MarketSimulator) => void, midway?: (sim: MarketSimulator) => void, legRoomDays?: number): Record<string, unknown> {
  const mk = threeMkt({ seed: 17, record: 'all', legRoomDays });
  attach?.(mk.sim);
  mk.advanceDays(60);
  midway?.(mk.sim);
  mk.advanceDays(70);
  const from = mk.sim.clock.today();
  const to = addDays(from, 60);
  return {
    requests: mk.sim.requests,
    lost: mk.sim.lostRequests,
    ...eventHashes(mk),
    inventory: sha(mk.inventory({ from: '2025-01-06', to })),
    results: sha(mk.results({ from: '2025-01-06', to })),
  };
}

/** What goldenSandboxRun gives. */
export const GOLDEN_SANDBOX = {
  pushes: ['accepted', 'accepted', 'accepted'],
  order: 'confirmed',
  requests: 756270,
  lost: 48943,
  events: 414437,
  market: '5b608dc8a2db0b36',
  ancillaries: '8acbbc3be8de86bd',
  inventory: 'a1882fb7e266aade',
  availability: 'eddd0ed94d9a2774',
  odDemand: '1420511d3c4cf05a',
  legPerformance: '801545bfff292bc0',
  competitorFares: '4ecd7f3d63a53b91',
  // results gained deniedBoardings (0 here: nothing is overbooked); without it the hash is unchanged
  results: '63ad7f13c2c63615',
  whatIf: '4f6799704d2c9db4',
};

/** What goldenThreeMktRun gives. */
export const GOLDEN_3MKT = {
  requests: 86096,
  lost: 4281,
  events: 123447,
  market: '2756962a7343aab2',
  ancillaries: '1bf1381980f0d37a',
  inventory: '5522eb9a96b24ffe',
  results: '91a35aea5f033b01', // with deniedBoardings (0)
};
