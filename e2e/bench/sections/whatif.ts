/**
 * What-if before approving (issue 10 goal: 1,000 draws for one flight in under 5 s): a synthetic network
 * priced by a cycle in a fresh store, then decisions.whatIf through the dispatcher for one flight's
 * proposal (two cabins, a month of horizon left) and for ten flights at once.
 */
import { performance } from 'node:perf_hooks';
import type { BenchContext } from '../types';
import { createBackend } from '../../../engine/backend';
import { fixedClock } from '../../../engine/domain/time';
import type { Caller } from '../../../engine/api/dispatch';
import type { DecisionWhatIfResult } from '../../../engine/api/contract/decisions';
import { syntheticNetwork } from '../../../engine/pricing/synthetic';
import { writeSyntheticNetwork } from '../../../engine/pricing/syntheticStore';
import { openStore } from '../../../engine/store/db';

const DCPS = [63, 56, 49, 42, 35, 31, 28, 24, 21, 17, 14, 10, 7, 5, 3, 1];
const NOW = '2025-06-02T03:00:00.000Z';
const RM: Caller = { user: 'bench-rm', role: 'revenue_manager' };

export default async function whatif(ctx: BenchContext): Promise<void> {
  const dir = ctx.tempDir('dfae-bench-whatif-');
  const daysAhead = 35;
  const store = openStore({ dataDir: dir, clock: fixedClock(NOW) });
  writeSyntheticNetwork(store, syntheticNetwork({ seed: 11, flights: 10, daysAhead, historyDays: 56, today: '2025-06-02', dcps: DCPS }), { dcps: DCPS, history: 'curves' });
  store.close();
  const b = createBackend({ dataDir: dir, clock: fixedClock(NOW), connectors: [], mode: 'live', host: 'test', version: 'bench', backup: false, decisions: { autoPush: false }, cycle: { workers: 1, dcps: DCPS, historyDays: 56, horizonDays: daysAhead } });
  try {
    const run = await b.dispatcher.call('cycle.run', { steps: { sync: false, price: true, autoApprove: false, push: false }, wait: true }, { caller: RM, transport: 'inproc' });
    if (!run.ok) throw new Error(run.error.message);
    const farOut = '2025-07-02';
    const ids = b.store.db.prepare(`SELECT min(id) FROM decisions WHERE state = 'proposed' AND kind = 'fare' AND flight_id <> '' AND travel_date = ? GROUP BY flight_id ORDER BY flight_id LIMIT 10`).pluck().all(farOut) as number[];
    if (ids.length === 0) throw new Error(`the cycle proposed no fare for ${farOut}`);
    const draws = ctx.quick ? 200 : 1000;
    const time = async (sel: number[]) => {
      const t0 = performance.now();
      const r = await b.dispatcher.call('decisions.whatIf', { ids: sel, draws, seed: 1 }, { caller: RM, transport: 'inproc' });
      if (!r.ok) throw new Error(r.error.message);
      return { ms: performance.now() - t0, res: r.result as DecisionWhatIfResult };
    };
    const one = await time(ids.slice(0, 1));
    const f = one.res.flights[0]!;
    ctx.print(`whatif.decisions  ${draws.toLocaleString('en-US')} draws × 2 control sets, 1 flight (${f.cabins.length} cabins, ${f.capacity} seats, 30 days out): ${(one.ms / 1000).toFixed(2)} s wall (goal < 5 s for 1,000 draws)`);
    const ten = await time(ids);
    ctx.print(`whatif.decisions  ${draws.toLocaleString('en-US')} draws × 2 control sets, ${ten.res.flights.length} flights: ${(ten.ms / 1000).toFixed(2)} s wall`);
  } finally {
    await b.close();
  }
}
