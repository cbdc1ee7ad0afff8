/**
 * The workbench side of the load test, in its own process so its memory and event loop are its own:
 * syncs the PSS feed (the long booking log of bigMarket.ts) into a fresh store, then pushes `fareChanges`
 * fare decisions through the push queue (published, approved through the API, drained to the sandbox
 * PSS). Throughout, it samples its resident memory and measures its event loop's delay
 * (perf_hooks.monitorEventLoopDelay). Prints one JSON line (LoadOutcome).
 *
 *   node kill-child.mjs-style: the harness runs it bundled (support/bundle.ts) as load-child.mjs '<LoadArgs>'
 */
import fs from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createBackend } from '../../../engine/backend';
import { inProcessClient } from '../../../engine/api/dispatch';
import type { Contract } from '../../../engine/api/contract/index';
import type { RecommendationInput } from '../../../engine/workflow/types';
import type { SandboxEndpoints } from '../../../connectors/sandbox/sandbox';
import { buildConnectors } from '../../../electron/backend/connectors';
import { configFromSandbox } from '../../../electron/backend/config';
import { movableClock } from '../../../electron/headless/host';
import { LOAD_BOOKING_PREFIX } from './bigMarket';
import { inSlices } from '../../../engine/workflow/slices';

export interface LoadArgs {
  dataDir: string;
  endpointsFile: string;
  now: string;
  /** generated bookings expected in the store after the sync */
  bookings: number;
  fareChanges: number;
}

export interface PhaseFigures {
  ms: number;
  /** resident memory: at the start of the phase and its peak (MB) */
  rssStartMb: number;
  rssPeakMb: number;
  heapPeakMb: number;
  /** the event loop's delay during the phase: longest and 99th percentile (ms) */
  loopMaxMs: number;
  loopP99Ms: number;
}

export interface LoadOutcome {
  done: true;
  sync: PhaseFigures & { status: string; error: string | null; recordsIn: number; recordsWritten: number; bookingsStored: number; generatedStored: number; quarantined: number };
  push: PhaseFigures & { queued: number; approved: number; accepted: number; rejected: number; batches: number; pendingAfter: number; steps: Record<'publish' | 'approve' | 'drain', StepFigures> };
}

/** one step of a phase: its wall time and the event loop's longest delay during it */
export interface StepFigures { ms: number; loopMaxMs: number }

/** a turn of the event loop long enough for the loop-delay histogram's timer to tick */
const tick = () => new Promise((r) => setTimeout(r, 20));
const nsToMs = (ns: number) => Math.round(ns / 1e5) / 10;

/**
 * A loop-delay histogram that has ticked once: it records the gap between two of its timer's ticks,
 * so without that first tick a block at the very start of what it measures would be missed.
 */
async function loopHistogram() {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  await tick();
  return h;
}

/** the event loop's longest delay over one step (its own histogram, so the phase's monitor is untouched) */
async function step<T>(run: () => Promise<T> | T): Promise<[T, StepFigures]> {
  const h = await loopHistogram();
  const t0 = performance.now();
  const value = await run();
  const ms = Math.round(performance.now() - t0);
  // one more tick so a block at the very end of the step is sampled
  await tick();
  h.disable();
  return [value, { ms, loopMaxMs: nsToMs(h.max) }];
}

/** samples rss and the loop's delay until stopped */
async function monitor() {
  const h = await loopHistogram();
  const t0 = performance.now();
  const rssStart = process.memoryUsage().rss;
  let rssPeak = rssStart;
  let heapPeak = process.memoryUsage().heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > rssPeak) rssPeak = m.rss;
    if (m.heapUsed > heapPeak) heapPeak = m.heapUsed;
  };
  const timer = setInterval(sample, 20);
  return {
    stop(): PhaseFigures {
      sample();
      clearInterval(timer);
      h.disable();
      const mb = (b: number) => Math.round(b / 1e5) / 10;
      return { ms: Math.round(performance.now() - t0), rssStartMb: mb(rssStart), rssPeakMb: mb(rssPeak), heapPeakMb: mb(heapPeak), loopMaxMs: nsToMs(h.max), loopP99Ms: nsToMs(h.percentile(99)) };
    },
  };
}

export async function runLoad(a: LoadArgs): Promise<LoadOutcome> {
  const endpoints = JSON.parse(fs.readFileSync(a.endpointsFile, 'utf8')) as SandboxEndpoints;
  const { config, secrets } = configFromSandbox(endpoints);
  const clock = movableClock(a.now);
  const built = await buildConnectors(config, { secrets, clock });
  const pss = built.pss!;
  const backend = createBackend({
    dataDir: a.dataDir, clock, connectors: built.connectors.filter((c) => c.feed === 'pss'), mode: 'live', host: 'headless', version: 'load-test', backup: false,
    // pushes in the product's default batch size (engine/workflow/outbox.ts)
    decisions: { pss, autoPush: false, expiryIntervalMs: 0, reestimateEveryMs: 0 },
  });
  try {
    const db = backend.store.db;
    let m = await monitor();
    const [run] = await backend.feeds.sync(['pss'], 'load-test', true);
    const syncFig = m.stop();
    const bookingsStored = db.prepare('SELECT count(*) FROM bookings').pluck().get() as number;
    const generatedStored = db.prepare(`SELECT count(*) FROM bookings WHERE id GLOB '${LOAD_BOOKING_PREFIX}[0-9]*' AND id NOT GLOB '${LOAD_BOOKING_PREFIX}*[^0-9]*'`).pluck().get() as number;
    const quarantined = db.prepare("SELECT count(*) FROM quarantine WHERE feed = 'pss'").pluck().get() as number;

    // fare changes: each filed fare repriced for single travel days, from two weeks on, until there are enough
    const base = db.prepare(`SELECT carrier, origin, destination, rbd, cabin, fare_basis AS fareBasis, point_of_sale AS pointOfSale, currency, amount_minor AS amountMinor
      FROM fares WHERE flight_id = '' ORDER BY id`).all() as { carrier: string; origin: string; destination: string; rbd: string; cabin: string; fareBasis: string; pointOfSale: string; currency: string; amountMinor: number }[];
    if (base.length === 0) throw new Error('no fares synced to reprice');
    const start = Date.parse(a.now.slice(0, 10)) + 14 * 86_400_000;
    const wf = backend.decisions.workflow.decisions;
    const call = inProcessClient<Contract>(backend.dispatcher, { user: 'load-rm', role: 'revenue_manager' });
    // the fare changes are made before the phase's monitor starts (the harness's work, not the workbench's);
    // published as a cycle publishes: in slices sized by time (engine/workflow/slices.ts)
    const recs: RecommendationInput[] = Array.from({ length: a.fareChanges }, (_, i) => {
      const f = base[i % base.length]!;
      const day = new Date(start + Math.floor(i / base.length) * 86_400_000).toISOString().slice(0, 10);
      return { kind: 'fare', fare: { ...f, amountMinor: Math.max(100, Math.round(f.amountMinor * (0.95 + (i % 11) / 100))), validFrom: day, validTo: day }, recommendationId: `load-${i}`, explanation: [] };
    });
    m = await monitor();
    let queued = 0;
    let slice = 0;
    const audit = backend.decisions.workflow.audit;
    const [, publish] = await step(() => audit.deferHeadWrites(() => inSlices(recs, (part) => { queued += wf.ingest(`load-${slice++}`, part).published; })));
    const [approved, approve] = await step(() => call('decisions.approve', { filter: { states: ['proposed'] }, note: 'load test' }));
    const [drained, drain] = await step(() => call('decisions.pushNow', { wait: true }));
    const pushFig = m.stop();
    const pendingAfter = db.prepare("SELECT count(*) FROM outbox_items WHERE status IN ('queued', 'batched')").pluck().get() as number;
    return {
      done: true,
      sync: { ...syncFig, status: run?.status ?? 'none', error: run?.error ?? null, recordsIn: run?.recordsIn ?? 0, recordsWritten: run?.recordsWritten ?? 0, bookingsStored, generatedStored, quarantined },
      push: { ...pushFig, queued, approved: approved.changed, accepted: drained.accepted, rejected: drained.rejected, batches: drained.batches, pendingAfter, steps: { publish, approve, drain } },
    };
  } finally {
    await backend.close();
    await built.close();
  }
}

if (process.argv[1] && /(load\/child\.ts|load-child\.mjs)$/.test(process.argv[1])) {
  runLoad(JSON.parse(process.argv[2] ?? '{}') as LoadArgs).then(
    (o) => { process.stdout.write(`${JSON.stringify(o)}\n`); process.exit(0); },
    (e) => { process.stderr.write(`${(e as Error).stack ?? e}\n`); process.exit(2); },
  );
}
