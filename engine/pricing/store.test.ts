import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/db';
import { MIGRATIONS } from '../store/migrations/index';
import { encodeFareExplanation, sharedFareDetails } from './compose';
import { addDays, fixedClock } from '../domain/time';
import { runPricingCycle, type CycleSettings } from './cycle';
import { marketElasticities } from './elasticity';
import { methodChoices, selectForecastMethods } from './selection';
import { createCycleWriter, cycleChunkWriter, feedState, loadDeparture, startCycle, loadContexts, pruneCycleOutputs, thinForecasts, loadCycleInput, loadElasticities, loadForecasts, loadMethodChoices, loadRecommendations, rebuildBookingCurves, saveBookingElasticities, saveCycleOutput, saveMethodSelections } from './store';
import { syntheticNetwork } from './synthetic';
import { writeSyntheticNetwork } from './syntheticStore';

const DCPS = [63, 56, 49, 42, 35, 31, 28, 24, 21, 17, 14, 10, 7, 5, 3, 1];
const TODAY = '2025-06-02';
const dirs: string[] = [];
const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function seeded(history: 'bookings' | 'curves', seed = 7): { store: Store; net: ReturnType<typeof syntheticNetwork> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-pricing-'));
  dirs.push(dir);
  const store = openStore({ dataDir: dir, clock: fixedClock(`${TODAY}T03:00:00Z`) });
  stores.push(store);
  const net = syntheticNetwork({ seed, flights: 2, daysAhead: 10, historyDays: 35, today: TODAY, dcps: DCPS });
  writeSyntheticNetwork(store, net, { dcps: DCPS, history });
  return { store, net };
}

const settings: CycleSettings = { ownCarrier: 'XX', dcps: DCPS, defaults: { competitor: { kind: 'match', reference: 'min' } } };

describe('pricing store', () => {
  it('builds booking curves from bookings and snapshots, period by period', () => {
    const { store, net } = seeded('bookings');
    const n = rebuildBookingCurves(store, { dcps: DCPS, asOf: net.now, fromDate: '2025-04-01', toDate: '2025-06-30' });
    expect(n).toBe(net.flights.length * 6); // flown and future departures alike
    const row = store.db.prepare('SELECT gross, cancels, closed, shows, no_shows FROM booking_curves WHERE flight_id = ? AND rbd = ?').get(net.curves[5]!.flightId, net.curves[5]!.rbd) as { gross: string; cancels: string; closed: string; shows: number; no_shows: number };
    expect(JSON.parse(row.gross)).toEqual(net.curves[5]!.gross);
    expect(JSON.parse(row.cancels)).toEqual(net.curves[5]!.cancels);
    expect(row.shows).toBe(net.curves[5]!.shows);
    expect(row.no_shows).toBe(net.curves[5]!.noShows);
    const closedIn = net.curves[5]!.closed!.map((c, p) => (c ? p : -1)).filter((p) => p >= 0);
    for (const p of closedIn) expect(JSON.parse(row.closed)[p]).toBe(1);
  });

  it('reads a cycle input, writes the output and reads the same recommendations back', () => {
    const { store, net } = seeded('bookings');
    rebuildBookingCurves(store, { dcps: DCPS, asOf: net.now, fromDate: '2025-04-01', toDate: '2025-06-30' });
    const { input, curvesWithOtherDcps } = loadCycleInput(store, { cycleId: 'cy1', now: net.now, settings, demandFeed: null });
    expect(curvesWithOtherDcps).toBe(0);
    expect(input.flights).toHaveLength(net.flights.length);
    expect(input.competitorFares!.length).toBeGreaterThan(0);
    expect(input.exchangeRates!.length).toBe(2);
    const out = runPricingCycle(input);
    expect(out.recommendations.length).toBeGreaterThan(0);
    const counts = saveCycleOutput(store, out, settings);
    const ofKind = (k: string) => out.recommendations.filter((r) => r.kind === k).length;
    expect(counts).toEqual({
      forecasts: out.forecasts.length, recommendations: out.recommendations.length, contexts: out.contexts.length,
      byKind: { fare: ofKind('fare'), authorisation: ofKind('authorisation'), bid_price: ofKind('bid_price') },
    });
    const order = (a: { kind: string; key: string }, b: { kind: string; key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0);
    const back = loadRecommendations(store);
    expect(JSON.parse(JSON.stringify(back))).toEqual(JSON.parse(JSON.stringify([...out.recommendations].sort(order))));
    const one = out.recommendations[0]!.flightId;
    expect(loadRecommendations(store, { flightId: one }).every((r) => r.flightId === one)).toBe(true);
    expect(loadRecommendations(store, { flightId: one })).toHaveLength(out.recommendations.filter((r) => r.flightId === one).length);
    const flightId = out.forecasts[0]!.flightId;
    expect(JSON.parse(JSON.stringify(loadForecasts(store, { flightId })))).toEqual(JSON.parse(JSON.stringify(out.forecasts.filter((f) => f.flightId === flightId).sort((a, b) => a.cabin.localeCompare(b.cabin) || a.rbd.localeCompare(b.rbd)))));
    expect(loadContexts(store, { flightId })).toEqual(out.contexts.filter((c) => c.flightId === flightId));
    // one read of a departure gives both, the same
    expect(loadDeparture(store, { flightId: one, cycleId: 'cy1' })).toEqual({ recommendations: loadRecommendations(store, { flightId: one }), contexts: loadContexts(store, { flightId: one }) });
    const cycle = store.db.prepare('SELECT status, stats FROM pricing_cycles WHERE id = ?').get('cy1') as { status: string; stats: string };
    expect(cycle.status).toBe('ok');
    expect(JSON.parse(cycle.stats).written.recommendations).toBe(out.recommendations.length);
  });

  it('thins the forecasts: a departure keeps the newest one made a week before it departs and the ones after', async () => {
    const { store, net } = seeded('curves');
    const ids = ['cy1', 'cy2', 'cy3', 'cy4'];
    for (const cycleId of ids) saveCycleOutput(store, runPricingCycle(loadCycleInput(store, { cycleId, now: net.now, settings, demandFeed: null }).input), settings);
    // one cycle a day, the newest today
    ids.forEach((id, i) => store.db.prepare('UPDATE pricing_cycles SET started_at = ? WHERE id = ?').run(`${addDays(TODAY, i - 3)}T03:00:00.000Z`, id));
    const cyclesOf = () => {
      const m = new Map<string, string[]>();
      for (const [f, c] of store.db.prepare('SELECT DISTINCT flight_id, cycle_id FROM forecasts ORDER BY flight_id, cycle_id').raw().all() as [string, string][]) m.set(f, [...(m.get(f) ?? []), c]);
      return m;
    };
    const before = cyclesOf();
    const departures = new Map((store.db.prepare('SELECT id, departure_utc FROM flights').raw().all() as [string, string][]));
    // the rule, independently: drop the cycles older than the newest one started at least 7 days before departure
    const started = (c: string) => `${addDays(TODAY, ids.indexOf(c) - 3)}T03:00:00.000Z`;
    const refOf = (f: string, cs: string[]) => {
      const early = new Date(Date.parse(departures.get(f)!) - 7 * 86_400_000).toISOString();
      return cs.filter((c) => started(c) <= early).sort((a, b) => started(a).localeCompare(started(b))).at(-1);
    };
    const expected = new Map([...before].map(([f, cs]) => {
      const ref = refOf(f, cs);
      return [f, ref ? cs.filter((c) => started(c) >= started(ref)) : cs];
    }));
    const perDeparture = (m: Map<string, string[]>) => [...m.values()].map((cs) => cs.length);
    expect(new Set(perDeparture(expected))).toEqual(new Set([1, 2, 3, 4])); // departures 4 to 10 days out: each case
    const rowsBefore = store.db.prepare('SELECT count(*) FROM forecasts').pluck().get() as number;
    let slices = 0;
    const r = await thinForecasts(store, `${TODAY}T03:00:00.000Z`, 7, async () => { slices++; }, 3);
    expect(cyclesOf()).toEqual(expected);
    const dropped = perDeparture(before).reduce((a, n) => a + n, 0) - perDeparture(expected).reduce((a, n) => a + n, 0);
    expect(r).toEqual({ departures: dropped, rows: rowsBefore - (store.db.prepare('SELECT count(*) FROM forecasts').pluck().get() as number) });
    expect(slices).toBe(Math.ceil(dropped / 3));
    // the newest cycle's forecasts are all still there
    expect([...cyclesOf().values()].every((cs) => cs.includes('cy4'))).toBe(true);
    expect(await thinForecasts(store, `${TODAY}T03:00:00.000Z`)).toEqual({ departures: 0, rows: 0 });
    // a month on, every departure has flown: only the accuracy reference stays where there is one
    await thinForecasts(store, `${addDays(TODAY, 30)}T03:00:00.000Z`);
    const refOnly = new Map([...before].map(([f, cs]) => { const ref = refOf(f, cs); return [f, ref ? [ref] : cs]; }));
    expect(cyclesOf()).toEqual(refOnly);
  });

  it('prunes the recommendations and contexts of all but the newest cycles, in slices, keeping their forecasts and rows', async () => {
    const { store, net } = seeded('curves');
    const ids = ['cy1', 'cy2', 'cy3', 'cy4'];
    for (const cycleId of ids) saveCycleOutput(store, runPricingCycle(loadCycleInput(store, { cycleId, now: net.now, settings, demandFeed: null }).input), settings);
    store.db.prepare("INSERT INTO pricing_cycles (id, started_at, status) VALUES ('cy5', '2099-01-01T00:00:00Z', 'running')").run();
    const count = (table: string, id: string) => store.db.prepare(`SELECT count(*) FROM ${table} WHERE cycle_id = ?`).pluck().get(id) as number;
    const recs = loadRecommendations(store, { cycleId: 'cy1' }).length;
    const contexts = count('pricing_contexts', 'cy1');
    const forecasts = count('forecasts', 'cy1');
    expect(contexts).toBeGreaterThan(10);
    let slices = 0;
    const r = await pruneCycleOutputs(store, 2, async () => { slices++; }, 7);
    expect(r).toEqual({ cycles: 2, rows: 2 * contexts });
    expect(slices).toBeGreaterThanOrEqual(2 * Math.ceil(contexts / 7));
    for (const id of ['cy1', 'cy2']) {
      expect([count('pricing_contexts', id), count('forecasts', id)]).toEqual([0, forecasts]);
      expect(loadRecommendations(store, { cycleId: id })).toEqual([]);
    }
    for (const id of ['cy3', 'cy4']) {
      expect(count('pricing_contexts', id)).toBe(contexts);
      expect(loadRecommendations(store, { cycleId: id })).toHaveLength(recs);
    }
    expect(store.db.prepare('SELECT count(*) FROM pricing_cycles').pluck().get()).toBe(5);
    expect(loadRecommendations(store)).toHaveLength(recs);
    // nothing more to prune; slices of one row
    expect(await pruneCycleOutputs(store, 2)).toEqual({ cycles: 0, rows: 0 });
    expect(await pruneCycleOutputs(store, 1, undefined, 1)).toEqual({ cycles: 1, rows: contexts });
    await expect(pruneCycleOutputs(store, 0)).rejects.toThrow(/keep must be a whole number >= 1/);
  });

  it('moves the recommendations of an existing store into their cabins\' rows (migration 15) and reads them back as they were', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-pricing-m15-'));
    dirs.push(dir);
    const old = openStore({ dataDir: dir, clock: fixedClock(`${TODAY}T03:00:00Z`), migrations: MIGRATIONS.filter((m) => m.version < 15) });
    const net = syntheticNetwork({ seed: 7, flights: 2, daysAhead: 10, historyDays: 35, today: TODAY, dcps: DCPS });
    writeSyntheticNetwork(old, net, { dcps: DCPS, history: 'curves' });
    const out = runPricingCycle(loadCycleInput(old, { cycleId: 'v14', now: net.now, settings, demandFeed: null }).input);
    // the rows as the writer of schema 14 stored them: a context per cabin with its classes' shared details, a row per recommendation
    old.db.prepare("INSERT INTO pricing_cycles (id, started_at, finished_at, status) VALUES ('v14', ?, ?, 'ok')").run(net.now, net.now);
    const insContext = old.db.prepare('INSERT INTO pricing_contexts (cycle_id, flight_id, cabin, context) VALUES (?, ?, ?, ?)');
    for (const c of out.contexts) {
      const mine = out.recommendations.filter((r) => r.flightId === c.flightId && r.cabin === c.cabin);
      const fare = mine.find((r) => r.kind === 'fare');
      const auth = mine.find((r) => r.kind === 'authorisation');
      const a = auth?.kind === 'authorisation' ? auth.explanation : null;
      insContext.run('v14', c.flightId, c.cabin, JSON.stringify({
        ...c, fareDetails: fare?.kind === 'fare' ? sharedFareDetails(fare.explanation, fare.pricingMode) : null,
        authorisationDetails: a ? { method: a.method, authorisedCapacity: a.authorisedCapacity, physicalCapacity: a.physicalCapacity, forecastMethod: a.forecastMethod, fallback: a.fallback } : null,
      }));
    }
    const insRec = old.db.prepare(`INSERT INTO recommendations (cycle_id, key, kind, flight_id, cabin, rbd, origin, destination, departure_date, days_to_departure, current_value, recommended_value, currency, explanation, created_at)
      VALUES ('v14', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const r of out.recommendations) {
      const [current, recommended, currency, explanation] = r.kind === 'fare' ? [r.currentMinor, r.recommendedMinor, r.currency, encodeFareExplanation(r.explanation)]
        : r.kind === 'authorisation' ? [r.current, r.recommended, null, [r.explanation.protectedAbove, r.explanation.demandMean, r.explanation.demandSd, r.explanation.fareUsed, r.explanation.inefficient ? 1 : 0]]
          : [r.currentMinor, r.recommendedMinor, r.currency, r.explanation];
      insRec.run(r.key, r.kind, r.flightId, r.cabin, r.kind === 'bid_price' ? '' : r.rbd, r.origin, r.destination, r.departureDate, r.daysToDeparture, current, recommended, currency, JSON.stringify(explanation), net.now);
    }
    // one cabin whose recommendations were all left out
    const bare = out.contexts[1]!;
    old.db.prepare("DELETE FROM recommendations WHERE flight_id = ? AND cabin = ?").run(bare.flightId, bare.cabin);
    old.close();
    const store = openStore({ dataDir: dir, clock: fixedClock(`${TODAY}T03:00:00Z`) });
    stores.push(store);
    expect(store.migrated).toEqual(MIGRATIONS.filter((m) => m.version >= 15).map((m) => m.version)); // 15 and the ones after it
    expect(store.db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'recommendations'").pluck().get()).toBe(0);
    const order = (a: { kind: string; key: string }, b: { kind: string; key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0);
    const kept = out.recommendations.filter((r) => r.flightId !== bare.flightId || r.cabin !== bare.cabin);
    expect(kept.length).toBeLessThan(out.recommendations.length);
    expect(JSON.parse(JSON.stringify(loadRecommendations(store)))).toEqual(JSON.parse(JSON.stringify([...kept].sort(order))));
    expect(loadContexts(store, { flightId: bare.flightId })).toEqual(out.contexts.filter((c) => c.flightId === bare.flightId));
    expect(store.db.prepare('SELECT recommendations FROM pricing_contexts WHERE flight_id = ? AND cabin = ?').pluck().get(bare.flightId, bare.cabin)).toBe('[]');
  });

  it('stores a cabin context with short keys and reads it back; a context in a format it does not know is refused, naming it', () => {
    const { store, net } = seeded('curves');
    const out = runPricingCycle(loadCycleInput(store, { cycleId: 'fmt', now: net.now, settings, demandFeed: null }).input);
    saveCycleOutput(store, out, settings);
    const c = out.contexts[0]!;
    const stored = store.db.prepare("SELECT context FROM pricing_contexts WHERE cycle_id = 'fmt' AND flight_id = ? AND cabin = ?").pluck().get(c.flightId, c.cabin) as string;
    expect(stored.startsWith('[1,{')).toBe(true);
    for (const key of ['flightId', 'demandToCome', 'fareDetails', 'authorisationDetails']) expect(stored).not.toContain(`"${key}"`);
    expect(loadContexts(store, { flightId: c.flightId, cycleId: 'fmt' })).toEqual(out.contexts.filter((x) => x.flightId === c.flightId));
    store.db.prepare("UPDATE pricing_contexts SET context = '[2,{}]' WHERE cycle_id = 'fmt' AND flight_id = ? AND cabin = ?").run(c.flightId, c.cabin);
    expect(() => loadContexts(store, { flightId: c.flightId, cycleId: 'fmt' })).toThrow(new RegExp(`cabin context ${c.flightId}/${c.cabin}: stored in format 2, which this build does not read`));
  });

  it('reads each calendar event once, with the airports it touches, however many countries and airports list it', () => {
    const { store, net } = seeded('curves');
    const codes = store.db.prepare('SELECT code FROM airports ORDER BY code').pluck().all() as string[];
    expect(codes.length).toBeGreaterThanOrEqual(2);
    // the synthetic airports have no country: give the first two one
    store.db.prepare("UPDATE airports SET country = 'DE' WHERE code = ?").run(codes[0]);
    store.db.prepare("UPDATE airports SET country = 'FR' WHERE code = ?").run(codes[1]);
    const ins = store.db.prepare("INSERT INTO calendar_events (from_date, to_date, name, kind, country, airport, updated_at) VALUES (?, ?, ?, 'holiday', ?, ?, ?)");
    for (const c of ['AT', 'DE', 'FR']) ins.run('2025-05-10', '2025-05-12', 'Spring break', c, '', net.now);
    ins.run('2025-05-20', '2025-05-20', 'Trade fair', 'DE', codes[0], net.now);
    ins.run('2025-05-25', '2025-05-25', 'Thanksgiving', 'US', '', net.now);
    ins.run('2025-05-28', '2025-05-28', 'World cup final', '', '', net.now);
    const { input } = loadCycleInput(store, { cycleId: 'ev', now: net.now, settings, demandFeed: null });
    expect(input.events).toEqual([
      { name: 'Spring break', from: '2025-05-10', to: '2025-05-12', airports: [codes[0], codes[1]].sort() },
      { name: 'Trade fair', from: '2025-05-20', to: '2025-05-20', airports: [codes[0]] },
      { name: 'Thanksgiving', from: '2025-05-25', to: '2025-05-25', airports: [] }, // no airport of ours in the US
      { name: 'World cup final', from: '2025-05-28', to: '2025-05-28' }, // no place: every market
    ]);
  });

  it('reads the demand influences overlapping the cycle\'s dates as configured events bound to their market', () => {
    const { store, net } = seeded('curves');
    const [a, b] = store.db.prepare('SELECT code FROM airports ORDER BY code').pluck().all() as string[];
    const ins = store.db.prepare(`INSERT INTO demand_influences (name, origin, destination, from_date, to_date, factor, created_by, created_at, updated_by, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, 'ann', ?, 'ann', ?)`);
    ins.run('Strike', a, b, '2025-06-03', '2025-06-05', 0.4, net.now, net.now);
    ins.run('Hub works', a, null, '2025-06-10', '2025-06-20', 0.9, net.now, net.now);
    ins.run('Network promotion', null, null, '2025-06-01', '2025-06-30', 1.2, net.now, net.now);
    ins.run('Long ago', null, null, '2020-01-01', '2020-01-31', 1.5, net.now, net.now);
    const { input } = loadCycleInput(store, { cycleId: 'inf', now: net.now, settings, demandFeed: null });
    expect(input.events).toEqual([
      { name: 'demand influence: Network promotion', from: '2025-06-01', to: '2025-06-30', factor: 1.2 },
      { name: 'demand influence: Strike', from: '2025-06-03', to: '2025-06-05', factor: 0.4, origin: a, destination: b },
      { name: 'demand influence: Hub works', from: '2025-06-10', to: '2025-06-20', factor: 0.9, origin: a },
    ]);
  });

  it('streams a cycle into the store chunk by chunk', () => {
    const { store, net } = seeded('curves');
    const { input } = loadCycleInput(store, { cycleId: 'cy2', now: net.now, settings, demandFeed: null });
    const w = createCycleWriter(store, { cycleId: 'cy2', now: net.now });
    const out = runPricingCycle(input, { sink: w.write, chunkCabins: 7 });
    w.finish(out);
    expect(out.recommendations).toEqual([]);
    expect(out.stats.cabins).toBeGreaterThan(0);
    expect(w.counts.contexts).toBe(out.stats.cabins);
    expect(loadRecommendations(store, { cycleId: 'cy2', kind: 'bid_price' })).toHaveLength(out.stats.cabins);
  });

  it('can keep only the recommendations that change something', () => {
    const { store, net } = seeded('curves');
    const out = runPricingCycle(loadCycleInput(store, { cycleId: 'ch', now: net.now, settings, demandFeed: null }).input);
    // as if the first hundred had been approved and pushed already
    for (const r of out.recommendations.slice(0, 100)) { if (r.kind === 'authorisation') r.current = r.recommended; else r.currentMinor = r.recommendedMinor; }
    const counts = saveCycleOutput(store, out, settings, { recommendations: 'changed' });
    const changed = out.recommendations.filter((r) => (r.kind === 'authorisation' ? r.recommended !== r.current : r.recommendedMinor !== r.currentMinor));
    expect(counts.recommendations).toBe(changed.length);
    expect(counts.recommendations).toBeLessThan(out.recommendations.length);
    const order = (a: { kind: string; key: string }, b: { kind: string; key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0);
    expect(JSON.parse(JSON.stringify(loadRecommendations(store, { cycleId: 'ch' })))).toEqual(JSON.parse(JSON.stringify([...changed].sort(order))));
  });

  it('refuses a chunk with recommendations of a cabin whose context is not in it, writing nothing of it', () => {
    const { store, net } = seeded('curves');
    const out = runPricingCycle(loadCycleInput(store, { cycleId: 'orphan', now: net.now, settings, demandFeed: null }).input);
    startCycle(store, { cycleId: 'orphan', now: net.now });
    const w = cycleChunkWriter(store, 'orphan');
    const lost = out.contexts[3]!;
    expect(() => w.write({ ...out, contexts: out.contexts.filter((c) => c !== lost) })).toThrow(new RegExp(`recommendation ${lost.flightId}/${lost.cabin}\\S* has no cabin context in its chunk`));
    w.flush();
    expect(store.db.prepare("SELECT count(*) FROM pricing_contexts WHERE cycle_id = 'orphan'").pluck().get()).toBe(0);
  });

  it('prices from products and markets only: passenger details in the bookings change nothing', () => {
    const a = seeded('bookings');
    const b = seeded('bookings');
    b.store.db.prepare("UPDATE bookings SET record_locator = 'X' || id, point_of_sale = 'US', channel = 'gds', ancillaries = '[{\"code\":\"BAG1\"}]'").run();
    const run = (s: Store, now: string) => {
      rebuildBookingCurves(s, { dcps: DCPS, asOf: now, fromDate: '2025-04-01', toDate: '2025-06-30' });
      return runPricingCycle(loadCycleInput(s, { cycleId: 'p', now, settings, demandFeed: null }).input).recommendations;
    };
    expect(run(b.store, b.net.now)).toEqual(run(a.store, a.net.now));
  });

  it('flags forecasts as historical averages when the demand feed is stale', () => {
    const { store, net } = seeded('curves');
    store.db.prepare("INSERT INTO feed_runs (feed, trigger, started_at, finished_at, status) VALUES ('pros', 'schedule', '2025-05-20T00:00:00Z', '2025-05-20T00:01:00Z', 'ok')").run();
    store.db.prepare("INSERT INTO feed_runs (feed, trigger, started_at, finished_at, status) VALUES ('pros', 'schedule', '2025-06-01T00:00:00Z', '2025-06-01T00:01:00Z', 'failed')").run();
    expect(feedState(store.db, 'pros')).toEqual({ state: 'down', lastSuccessAt: '2025-05-20T00:01:00Z' });
    const out = runPricingCycle(loadCycleInput(store, { cycleId: 'f', now: net.now, settings }).input);
    expect(out.forecasts.every((f) => f.method === 'historical-average' && /demand feed down/.test(f.fallback ?? ''))).toBe(true);
  });

  it('stores backtests with the chosen method, and elasticities by source precedence', () => {
    const { store, net } = seeded('curves');
    const { input } = loadCycleInput(store, { cycleId: 'b', now: net.now, settings, demandFeed: null });
    const sel = selectForecastMethods({ flights: input.flights, rbds: input.rbds, curves: input.curves, dcps: DCPS, holdout: 4, points: [1, 9] });
    expect(sel.length).toBeGreaterThan(0);
    expect(saveMethodSelections(store, sel, '2025-06-02T03:00:00Z')).toBeGreaterThan(0);
    expect(loadMethodChoices(store)).toEqual(methodChoices(sel));
    const el = marketElasticities({ flights: input.flights, rbds: input.rbds, fares: input.fares, curves: input.curves, dcps: DCPS });
    saveBookingElasticities(store, el, '2025-06-02T03:00:00Z');
    store.db.prepare("INSERT INTO elasticities (origin, destination, cabin, elasticity, standard_error, as_of, updated_at) VALUES (?, ?, 'Y', -0.9, 0.3, '2025-06-01', '2025-06-01')").run(net.flights[0]!.origin, net.flights[0]!.destination);
    const loaded = loadElasticities(store.db);
    for (const e of el) expect(loaded.find((x) => x.origin === e.origin && x.destination === e.destination && x.cabin === e.cabin)).toMatchObject({ source: 'booking-history', elasticity: e.elasticity });
  });
});
