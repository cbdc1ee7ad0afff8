/**
 * Connectors: a full sync of all four feeds from the sandbox (running in its own process) into a fresh
 * store, as records/s per feed and in total; and a push of 10,000 fares to the sandbox PSS, each item
 * acknowledged (accepted with a reference, or rejected with a reason), as items/s.
 */
import { createBackend } from '../../../engine/backend';
import type { Fare } from '../../../engine/domain/types';
import { startSandboxProcess } from '../../../connectors/sandbox/process';
import { buildConnectors } from '../../../electron/backend/connectors';
import { configFromSandbox } from '../../../electron/backend/config';
import { rate, type BenchContext } from '../types';

export default async function connectors(ctx: BenchContext): Promise<void> {
  const historyDays = ctx.quick ? 30 : 120;
  // the sandbox's today is the real one, so the feeds are as fresh as the workbench's clock expects
  const sandbox = await startSandboxProcess({ seed: 42, scenario: '3mkt', historyDays, readyTimeoutMs: 300_000 });
  const { config, secrets } = configFromSandbox(sandbox.endpoints);
  const built = await buildConnectors(config, { secrets });
  try {
    const backend = createBackend({ dataDir: ctx.tempDir('dfae-bench-connectors-'), connectors: built.connectors, mode: 'sandbox', host: 'test', version: 'bench' });
    const t0 = performance.now();
    const runs = await backend.feeds.sync(undefined, 'bench', true);
    const totalMs = performance.now() - t0;
    let total = 0;
    for (const r of runs) {
      if (r.status !== 'ok') throw new Error(`${r.feed} sync ${r.status}: ${r.error}`);
      total += r.recordsIn;
      ctx.print(`sync ${r.feed.padEnd(10)} ${r.recordsIn.toLocaleString('en-US').padStart(9)} records in ${(r.durationMs! / 1000).toFixed(2)} s  ${rate(r.recordsIn, r.durationMs!)} records/s`);
    }
    ctx.print(`sync all four     ${total.toLocaleString('en-US').padStart(9)} records in ${(totalMs / 1000).toFixed(2)} s  ${rate(total, totalMs)} records/s`);

    // 10,000 fares (our filed fares, repriced for a travel period), pushed in batches of 1,000
    const base = backend.store.db.prepare(`SELECT carrier, origin, destination, rbd, cabin, fare_basis AS fareBasis, point_of_sale AS pointOfSale, currency,
      amount_minor AS amountMinor FROM fares WHERE flight_id = '' ORDER BY id`).all() as Omit<Fare, 'validFrom' | 'validTo'>[];
    await backend.close();
    if (base.length === 0) throw new Error('no fares synced to reprice');
    const n = ctx.quick ? 1_000 : 10_000;
    // one week of travel each, from two weeks after the sandbox's today
    const start = Date.parse(sandbox.endpoints.now.slice(0, 10)) + 14 * 86_400_000;
    const fares: Fare[] = Array.from({ length: n }, (_, i) => {
      const f = base[i % base.length]!;
      const week = Math.floor(i / base.length);
      const from = new Date(start + week * 7 * 86_400_000).toISOString().slice(0, 10);
      const to = new Date(start + (week * 7 + 6) * 86_400_000).toISOString().slice(0, 10);
      return { ...f, amountMinor: Math.round(f.amountMinor * (0.9 + (i % 21) / 100)), validFrom: from, validTo: to };
    });
    const pss = built.pss!;
    const t1 = performance.now();
    let accepted = 0;
    let rejected = 0;
    const reasons = new Map<string, number>();
    for (let b = 0; b < n; b += 1_000) {
      const items = fares.slice(b, b + 1_000).map((payload, i) => ({ itemId: `bench-${b + i}`, key: `fare:bench:${b + i}`, sequence: 1, payload }));
      const r = await pss.pushFares({ idempotencyKey: `bench-push-${b}`, items });
      for (const it of r.items) {
        if (it.status === 'accepted') accepted++;
        else {
          rejected++;
          reasons.set(it.code, (reasons.get(it.code) ?? 0) + 1);
        }
      }
    }
    const pushMs = performance.now() - t1;
    if (accepted + rejected !== n) throw new Error(`${accepted + rejected} answers for ${n} items`);
    ctx.print(`push fares        ${n.toLocaleString('en-US').padStart(9)} items in ${(pushMs / 1000).toFixed(2)} s  ${rate(n, pushMs)} items/s  (${accepted.toLocaleString('en-US')} accepted, ${rejected} rejected${rejected ? `: ${[...reasons].map(([c, k]) => `${c} ${k}`).join(', ')}` : ''})`);
  } finally {
    await built.close();
    await sandbox.close();
  }
}
