import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/db';
import { fixedClock } from '../domain/time';
import { runPricingCycle, type CycleSettings } from '../pricing/cycle';
import { loadCycleInput } from '../pricing/store';
import { syntheticNetwork } from '../pricing/synthetic';
import { writeSyntheticNetwork } from '../pricing/syntheticStore';
import { createWorkflow, type Workflow } from './index';
import { ingestPricingCycle } from './fromPricing';
import { RecordingPss } from './__tests__/pssDouble';

const DCPS = [63, 56, 49, 42, 35, 31, 28, 24, 21, 17, 14, 10, 7, 5, 3, 1];
const TODAY = '2025-06-02';
const settings: CycleSettings = { ownCarrier: 'XX', dcps: DCPS, defaults: { competitor: { kind: 'match', reference: 'min' } } };

let dir: string;
let store: Store;
let wf: Workflow;
let pss: RecordingPss;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-frompricing-'));
  const clock = fixedClock(`${TODAY}T03:00:00Z`);
  store = openStore({ dataDir: dir, clock });
  const net = syntheticNetwork({ seed: 7, flights: 2, daysAhead: 10, historyDays: 35, today: TODAY, dcps: DCPS });
  writeSyntheticNetwork(store, net, { dcps: DCPS, history: 'curves' });
  pss = new RecordingPss();
  wf = createWorkflow({ db: store.db, clock, dbFile: store.file, pss });
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('pricing cycle → decisions', () => {
  it('publishes fares, authorisation levels and bid prices with their explanations and context, pushable to the PSS', async () => {
    const out = runPricingCycle(loadCycleInput(store, { cycleId: 'cy1', now: `${TODAY}T03:00:00Z`, settings, demandFeed: null }).input);
    const r = ingestPricingCycle(wf.decisions, store.db, out);
    expect(r.skipped).toEqual([]);
    expect(r.published).toBe(out.recommendations.length);
    const kinds = store.db.prepare('SELECT kind, count(*) AS n FROM decisions GROUP BY kind ORDER BY kind').all() as { kind: string; n: number }[];
    expect(kinds.map((k) => k.kind)).toEqual(['authorisation', 'bid_price', 'fare']);
    const fareRec = out.recommendations.find((x) => x.kind === 'fare' && x.recommendedMinor !== x.currentMinor)!;
    const d = wf.decisions.list({ flightId: fareRec.flightId, rbd: fareRec.kind === 'fare' ? fareRec.rbd : undefined, kinds: ['fare'] }, 'travel', 10, 0).rows[0]!;
    const detail = wf.decisions.get(d.id);
    // the explanation's steps still sum exactly to the proposed fare, and say what each step is
    expect(detail.explanation.reduce((s, x) => s + x.amount, 0)).toBe(detail.proposedValue);
    expect(detail.explanation[0]).toMatchObject({ key: 'base', label: expect.stringMatching(/^Fare filed now/) });
    expect(detail).toMatchObject({ currentValue: fareRec.kind === 'fare' ? fareRec.currentMinor : null, recommendedValue: d.proposedValue, payload: { flightId: fareRec.flightId, validFrom: fareRec.departureDate } });
    expect(detail.forecastDemand).toBeGreaterThan(0);
    expect(detail.context.elasticity === null || typeof detail.context.elasticity?.source === 'string').toBe(true);
    const auth = wf.decisions.list({ kinds: ['authorisation'] }, 'travel', 1, 0).rows[0]!;
    expect(wf.decisions.get(auth.id).explanation.reduce((s, x) => s + x.amount, 0)).toBe(auth.proposedValue);
    wf.decisions.approve('rita', { filter: { cycleId: 'cy1' } }, null);
    const drained = await wf.worker.drain();
    expect(drained).toMatchObject({ accepted: out.recommendations.length, rejected: 0 });
  });
  it('lists a departure\'s classes in travel order down the carrier\'s fare ladder (its RBD ranks), not alphabetically', () => {
    const out = runPricingCycle(loadCycleInput(store, { cycleId: 'cy1', now: `${TODAY}T03:00:00Z`, settings, demandFeed: null }).input);
    ingestPricingCycle(wf.decisions, store.db, out);
    const first = wf.decisions.list({ kinds: ['fare'] }, 'travel', 1, 0).rows[0]!;
    const rows = wf.decisions.list({ kinds: ['fare'], flightId: first.flightId! }, 'travel', 100, 0).rows;
    const ladder = store.db.prepare('SELECT cabin, rbd FROM rbds WHERE carrier = ? ORDER BY cabin, rank').all(first.carrier) as { cabin: string; rbd: string }[];
    const cabins = [...new Set(rows.map((r) => r.cabin))];
    const listed = rows.map((r) => `${r.cabin}/${r.rbd}`);
    expect(listed).toEqual(ladder.filter((l) => cabins.includes(l.cabin) && listed.includes(`${l.cabin}/${l.rbd}`)).map((l) => `${l.cabin}/${l.rbd}`));
    expect(listed.length).toBeGreaterThan(3);
    expect(listed).not.toEqual([...listed].sort()); // the synthetic ladder is not alphabetical, so the order shows
    // the same order in the grid's rows
    expect(wf.decisions.grid({ kinds: ['fare'], flightId: first.flightId! }, 'travel', 100, 0).rows.map((r) => `${r[9]}/${r[10]}`)).toEqual(listed);
  });
});
