/**
 * Decisions end to end on the sandbox: the sandbox runs in its own process; its PSS feed is synced into
 * a fresh store; a pricing cycle's worth of flight-specific fare recommendations (own departures × RBDs)
 * is published, approved through the API as a revenue manager in one bulk action, and pushed through the
 * PSS adapter to the sandbox PSS (idempotent batches, per-item answers): items/s end to end. Then the
 * review grid's load: 100,000 proposals through the dispatcher as compact grid rows (`decisions.grid`) and as
 * objects (`decisions.list`), with their JSON size.
 */
import { performance } from 'node:perf_hooks';
import type { BenchContext } from '../types';
import { rate } from '../types';
import { createBackend, type Backend } from '../../../engine/backend';
import { inProcessClient, type Caller } from '../../../engine/api/dispatch';
import type { Contract } from '../../../engine/api/contract/index';
import type { RecommendationInput } from '../../../engine/workflow/types';
import { startSandboxProcess } from '../../../connectors/sandbox/process';
import { PssConnector } from '../../../connectors/pss/connector';
import { addDays } from '../../../engine/domain/time';

const RM: Caller = { user: 'bench-rm', role: 'revenue_manager' };

interface FareCandidate {
  flight_id: string; carrier: string; origin: string; destination: string; local_date: string; rbd: string; cabin: string;
  fare_basis: string; point_of_sale: string; currency: string; amount_minor: number;
}

/** Flight-specific fares for own departures × RBDs, each moved a little from the market fare in force. */
function fareRecommendations(b: Backend, limit: number, offset = 0): RecommendationInput[] {
  const rows = b.store.db.prepare(`
    SELECT f.id AS flight_id, f.carrier, f.origin, f.destination, f.local_date, r.rbd, r.cabin, fa.fare_basis, fa.point_of_sale, fa.currency, fa.amount_minor
      FROM flights f JOIN rbds r ON r.carrier = f.carrier
      JOIN fares fa ON fa.id = (SELECT x.id FROM fares x WHERE x.carrier = f.carrier AND x.origin = f.origin AND x.destination = f.destination AND x.rbd = r.rbd
                                  AND x.valid_from <= f.local_date AND x.valid_to >= f.local_date AND x.flight_id = ''
                                ORDER BY x.point_of_sale <> (SELECT country FROM airports WHERE code = f.origin), x.id LIMIT 1)
     WHERE f.carrier IN (SELECT code FROM carriers WHERE own = 1) AND f.departure_utc > ?
     ORDER BY f.local_date, f.id, r.cabin, r.rank LIMIT ? OFFSET ?`).all(b.store.now(), limit, offset) as FareCandidate[];
  return rows.map((r, i) => ({
    kind: 'fare',
    fare: {
      carrier: r.carrier, origin: r.origin, destination: r.destination, rbd: r.rbd, cabin: r.cabin, fareBasis: r.fare_basis, pointOfSale: r.point_of_sale,
      currency: r.currency, amountMinor: Math.max(100, Math.round((r.amount_minor * (1 + (((i * 7) % 11) - 5) / 100)) / 100) * 100),
      validFrom: r.local_date, validTo: r.local_date, flightId: r.flight_id,
    },
    recommendationId: `bench-fare-${offset + i}`,
    explanation: [],
  }));
}

/** Authorisation levels (departure × RBD) and bid prices (departure × cabin) from the synced inventory. */
function inventoryRecommendations(b: Backend, limit: number): RecommendationInput[] {
  const rows = b.store.db.prepare(`SELECT i.flight_id, i.rbd, i.cabin, i.authorised, i.bid_price_minor, i.currency, r.rank
      FROM inventory i JOIN flights f ON f.id = i.flight_id JOIN rbds r ON r.carrier = f.carrier AND r.rbd = i.rbd
     WHERE f.departure_utc > ? ORDER BY f.local_date, i.flight_id, i.cabin, r.rank LIMIT ?`).all(b.store.now(), limit) as
    { flight_id: string; rbd: string; cabin: string; authorised: number; bid_price_minor: number | null; currency: string | null; rank: number }[];
  const out: RecommendationInput[] = [];
  for (const [i, r] of rows.entries()) {
    out.push({ kind: 'authorisation', control: { flightId: r.flight_id, rbd: r.rbd, cabin: r.cabin, authorised: Math.max(0, r.authorised - (i % 3)), status: null, bidPriceMinor: null, currency: null }, explanation: [] });
    if (r.rank === 0) {
      out.push({ kind: 'bid_price', control: { flightId: r.flight_id, rbd: r.rbd, cabin: r.cabin, authorised: null, status: null, bidPriceMinor: (r.bid_price_minor ?? 5_000) + 100, currency: r.currency ?? 'EUR' }, explanation: [] });
    }
  }
  return out.slice(0, limit);
}

export default async function decisions(ctx: BenchContext): Promise<void> {
  const pushN = ctx.quick ? 500 : 10_000;
  const listN = ctx.quick ? 5_000 : 100_000;
  let t = performance.now();
  const sandbox = await startSandboxProcess({ seed: 42, historyDays: 7, readyTimeoutMs: 600_000 });
  const startMs = performance.now() - t;
  const today = sandbox.endpoints.now.slice(0, 10);
  const sys = sandbox.endpoints.systems.pss;
  // the PSS adapter, as the hosts build it, without the booking stream (not needed here) and over the sale horizon
  const pss = new PssConnector({
    baseUrl: sys.baseUrl, auth: { tokenUrl: sys.tokenUrl, clientId: sys.clientId, clientSecret: sys.clientSecret, clientAuth: 'basic' },
    requestTimeoutMs: 120_000, streams: ['carriers', 'airports', 'rbds', 'flights', 'inventory', 'fares'], window: { fromDate: today, toDate: addDays(today, 400) },
  });
  const backend = createBackend({
    dataDir: ctx.tempDir('dfae-bench-decisions-'), connectors: [pss], mode: 'sandbox', host: 'test', version: 'bench',
    decisions: { pss, autoPush: false, expiryIntervalMs: 0, reestimateEveryMs: 0 },
  });
  try {
    t = performance.now();
    const [run] = await backend.feeds.sync(['pss'], 'bench', true);
    ctx.print(`sandbox ready in ${(startMs / 1000).toFixed(1)} s; PSS sync (no bookings) ${run?.recordsWritten.toLocaleString('en-US')} records in ${((performance.now() - t) / 1000).toFixed(1)} s (${run?.status})`);
    const call = inProcessClient<Contract>(backend.dispatcher, RM);
    const wf = backend.decisions.workflow.decisions;

    // --- approve and push end to end ---
    const recs = fareRecommendations(backend, pushN);
    t = performance.now();
    wf.ingest('bench-push', recs);
    const ingestMs = performance.now() - t;
    t = performance.now();
    const approved = await call('decisions.approve', { filter: { cycleId: 'bench-push' }, note: 'bench' });
    const approveMs = performance.now() - t;
    t = performance.now();
    const pushed = await call('decisions.pushNow', {});
    const pushMs = performance.now() - t;
    ctx.print(`decisions.approve+push  ${approved.changed.toLocaleString('en-US')} approved → ${pushed.accepted.toLocaleString('en-US')} accepted, ${pushed.rejected} rejected by the sandbox PSS in ${pushed.batches} batches: ` +
      `${rate(approved.changed, approveMs + pushMs)} items/s end to end (approve ${approveMs.toFixed(0)} ms, push ${(pushMs / 1000).toFixed(2)} s = ${rate(pushed.accepted + pushed.rejected, pushMs)} items/s)`);
    ctx.print(`decisions.ingest        ${recs.length.toLocaleString('en-US')} recommendations written and published in ${ingestMs.toFixed(0)} ms (${rate(recs.length, ingestMs)}/s)`);
    const status = await fetch(`${sandbox.endpoints.control.baseUrl}/control/status`, { headers: { authorization: `Bearer ${sandbox.endpoints.control.token}` } })
      .then((r) => (r.ok ? r.json() as Promise<{ pushes: { fares: Record<string, number> } }> : null)).catch(() => null);
    if (status) ctx.print(`sandbox PSS fare pushes  ${JSON.stringify(status.pushes.fares)}`);
    const rejectedReasons = backend.store.db.prepare("SELECT code, count(*) AS n FROM outbox_items WHERE status = 'rejected' GROUP BY code").all();
    if (rejectedReasons.length) ctx.print(`rejections by code       ${JSON.stringify(rejectedReasons)}`);

    // --- the review grid's load: fares, authorisation levels and bid prices alike ---
    t = performance.now();
    let have = backend.store.db.prepare("SELECT count(*) FROM decisions WHERE state = 'proposed'").pluck().get() as number;
    for (let offset = pushN; have < listN; offset += 10_000) {
      const more = fareRecommendations(backend, Math.min(10_000, listN - have), offset);
      if (more.length === 0) break;
      have += wf.ingest(`bench-list-${offset}`, more).published;
    }
    if (have < listN) have += wf.ingest('bench-list-inventory', inventoryRecommendations(backend, listN - have)).published;
    const seedMs = performance.now() - t;
    ctx.print(`(review data: ${have.toLocaleString('en-US')} proposals seeded in ${(seedMs / 1000).toFixed(1)} s)`);
    for (const method of ['decisions.grid', 'decisions.list'] as const) {
      await call(method, { filter: { states: ['proposed'] }, limit: 1_000 });
      t = performance.now();
      const got = await call(method, { filter: { states: ['proposed'] }, limit: listN });
      const ms = performance.now() - t;
      t = performance.now();
      const json = JSON.stringify(got);
      ctx.print(`${method.padEnd(24)}${got.rows.length.toLocaleString('en-US')} proposals in ${ms.toFixed(0)} ms through the API (JSON ${(json.length / 1e6).toFixed(1)} MB, stringified in ${(performance.now() - t).toFixed(0)} ms)`);
    }
    t = performance.now();
    const v = backend.decisions.workflow.audit.verify();
    ctx.print(`audit.verify            ${v.rows.toLocaleString('en-US')} rows in ${(performance.now() - t).toFixed(0)} ms (${v.ok ? 'ok' : 'FAILED'})`);
  } finally {
    await backend.close();
    await pss.close();
    await sandbox.close();
  }
}
