/**
 * Searching the archive (engine/workflow/archiveSearch.ts): one day of archived decisions at the sandbox
 * network's volume (about 280,000 a day leave the store when the cycle's output is kept 30 days: the cycle
 * bench's retention runs), written by the archive writer into a real file, then searched as the Archive
 * screen does: by id, by market, by text, with nothing matching, and every decision (the newest 200).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openStore } from '../../../engine/store/db';
import { fixedClock } from '../../../engine/domain/time';
import { ArchiveWriter } from '../../../engine/store/archive';
import { archiveDir } from '../../../engine/workflow/retention';
import { searchArchivedDecisions, type ArchivedDecisionQuery } from '../../../engine/workflow/archiveSearch';
import { loadLabel, rate, type BenchContext } from '../types';

const DESTINATIONS = ['JFK', 'CDG', 'LHR', 'MAD', 'FCO', 'AMS', 'VIE', 'ZRH', 'CPH', 'ARN'];

export default async function archive(ctx: BenchContext): Promise<void> {
  const dataDir = ctx.tempDir('dfae-bench-archive-');
  const store = openStore({ dataDir, clock: fixedClock('2026-11-25T08:00:00Z') });
  try {
    const n = ctx.quick ? 20_000 : 280_000;
    // rows shaped as the cycle writes them: a six-step explanation, a context, guardrails
    const explanation = JSON.stringify(Array.from({ length: 6 }, (_, i) => ({ key: `step${i}`, label: 'Forecast demand to come and its elasticity', amount: 1234 + i })));
    const t0 = performance.now();
    const w = new ArchiveWriter(path.join(archiveDir(dataDir), 'decisions-bench.jsonl.gz'));
    for (let id = 1; id <= n; id++) {
      const d = DESTINATIONS[id % DESTINATIONS.length]!;
      const date = `2027-0${1 + (id % 9)}-1${id % 10}`;
      const flight = `DF${100 + (id % 50)}/${date}/FRA`;
      w.add(JSON.stringify({ decision: {
        id, kind: 'fare', key: `fare:DF/FRA-${d}/Y/M/DE/EUR/${date}/${flight}`, state: id % 3 ? 'superseded' : 'pushed', source: 'engine', sequence: id % 3 ? null : id,
        carrier: 'DF', origin: 'FRA', destination: d, flight_id: flight, travel_date: date, travel_date_to: date, cabin: 'Y', rbd: 'M', currency: 'EUR',
        current_value: 40_000 + (id % 1000), recommended_value: 41_000, proposed_value: 41_000 + (id % 700), change_pct: 2.5, payload: '{"kind":"fare","fare":{"carrier":"DF"}}',
        cycle_id: 'c1', recommendation_id: `r${id}`, explanation, context: '{"forecast":12.5,"sold":40}', competitor_min_minor: 39_000, competitor_carrier: 'XX',
        forecast_demand: 12.5, load_factor: 0.7, guard_floor: 10_000, guard_ceiling: 400_000, guard_max_change_pct: 20, outside_guardrails: 0, guardrail_confirmed_by: null,
        override_of: null, override_mode: null, override_reason: null, influence_pct: null, influence_half_life_days: null, expires_at: null, created_by: 'engine',
        created_at: '2026-10-01T02:00:00.000Z', updated_at: '2026-10-01T02:00:00.000Z', decided_by: id % 1000 === 7 ? 'rita' : null, decided_at: null,
        decision_note: id % 1000 === 7 ? 'held for the fair' : null, approval_rule: null, queued_at: null, pushed_at: null, pss_reference: null, failure_code: null,
        failure_reason: null, superseded_by: null, ended_at: '2026-10-02T02:00:00.000Z',
      }, outbox: [] }));
      if (id % 2000 === 0) await w.drain();
    }
    const f = await w.finish();
    store.db.prepare("INSERT INTO decision_archives (ended_before, departed_before, decisions, outbox_items, file, file_sha256, archived_at) VALUES (NULL, NULL, ?, 0, ?, ?, '2026-11-25T08:00:00Z')")
      .run(n, path.basename(f.file), f.sha256);
    ctx.print(`archive.write       ${rate(n, performance.now() - t0)} decisions/s into one file  [${n.toLocaleString('en-US')} decisions, ${(f.bytes / 1e6).toFixed(1)} MB compressed; ${loadLabel()}]`);
    // a day of audit rows (their hashes do not compress): the rate, and the longest the event loop waited
    // meanwhile, with a yield every 2,000 rows as retention does
    const nAudit = ctx.quick ? 100_000 : 1_200_000;
    const pool = randomBytes(1 << 22).toString('hex');
    const hash = (i: number) => pool.slice((i * 131) % (pool.length - 64), ((i * 131) % (pool.length - 64)) + 64);
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const ta = performance.now();
    const wa = new ArchiveWriter(path.join(archiveDir(dataDir), 'audit-bench.jsonl.gz'));
    for (let i = 1; i <= nAudit; i++) {
      wa.add(JSON.stringify([i, '2026-11-25T08:00:00.000Z', 'system:engine', 'decision', String(100_000 + i), 'proposed', 'superseded', `decision ${100_001 + i} for the same key is newer`, `{"value":${i % 977}}`, hash(i), hash(i + 1)]));
      if (i % 2000 === 0) { await wa.drain(); await new Promise((r) => setImmediate(r)); }
    }
    const fa = await wa.finish();
    delay.disable();
    ctx.print(`archive.write       ${rate(nAudit, performance.now() - ta)} audit rows/s into one file  [${nAudit.toLocaleString('en-US')} rows, ${(fa.bytes / 1e6).toFixed(1)} MB compressed; the event loop waited at most ${(delay.max / 1e6).toFixed(0)} ms (p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms); ${loadLabel()}]`);
    const searches: [string, ArchivedDecisionQuery][] = [
      ['by id', { id: Math.floor(n * 0.44) }], ['by market', { origin: 'FRA', destination: 'CDG' }], ['by text', { text: 'held for the fair' }],
      ['nothing matches', { text: 'no such words' }], ['every decision', {}],
    ];
    for (const [name, q] of searches) {
      const r = await searchArchivedDecisions(store.db, archiveDir(dataDir), q, { limit: 200 });
      if (r.progress.linesRead !== n) throw new Error(`archive.search ${name}: read ${r.progress.linesRead} of ${n} lines`);
      ctx.print(`archive.search      ${name.padEnd(16)} ${(r.progress.ms / 1000).toFixed(2)} s for a day's file  [${r.rows.length} found of ${n.toLocaleString('en-US')} decisions, ${rate(n, r.progress.ms)} lines/s; ${loadLabel()}]`);
    }
  } finally {
    store.close();
  }
}
