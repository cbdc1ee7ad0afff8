/**
 * Ingest: bookings synced from the sandbox PSS (running in its own process) through the PSS adapter
 * (HTTP, JSON, validation, normalisation, the ETL's page commits) into the store, as rows/s, beside the
 * raw better-sqlite3 insert rate into the same table with the same indexes (rows pre-built in memory, one
 * prepared statement, one transaction) measured in the same run. Goal: ratio ≥ 0.5. Both timings end
 * with the write-ahead log copied into the database file (a checkpoint), so neither leaves part of its
 * cost to a later commit: how much of its log a run has copied by its last commit depends on where the
 * host's checkpoint threshold falls (engine/store/db.ts), not on the ingest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createBackend } from '../../../engine/backend';
import { openStore } from '../../../engine/store/db';
import { PssConnector } from '../../../connectors/pss/connector';
import { startSandboxProcess } from '../../../connectors/sandbox/process';
import { rate, type BenchContext } from '../types';

const COLUMNS = ['id', 'record_locator', 'flight_id', 'rbd', 'cabin', 'fare_basis', 'journey_origin', 'journey_destination', 'point_of_sale', 'channel',
  'passengers', 'amount_minor', 'currency', 'booked_at', 'status', 'status_at', 'ancillaries'] as const;

export default async function ingest(ctx: BenchContext): Promise<void> {
  // 3MKT: 500 days of flown history give ~220,000 bookings (quick: 60 days)
  const historyDays = ctx.quick ? 60 : 500;
  const t0 = performance.now();
  const sandbox = await startSandboxProcess({ seed: 42, today: '2026-03-01', scenario: '3mkt', historyDays, readyTimeoutMs: 300_000 });
  ctx.print(`sandbox process ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (pid ${sandbox.pid}, 3MKT, ${historyDays} days of history)`);
  const s = sandbox.endpoints.systems.pss;
  const settings = { baseUrl: s.baseUrl, auth: { tokenUrl: s.tokenUrl, clientId: s.clientId, clientSecret: s.clientSecret }, requestTimeoutMs: 120_000 };
  const dataDir = ctx.tempDir('dfae-bench-ingest-');
  const reference = new PssConnector({ ...settings, streams: ['carriers', 'airports', 'rbds', 'flights'] });
  const bookings = new PssConnector({ ...settings, streams: ['bookings'], bookingPageSize: 10_000, decodeWorkers: 1 });
  try {
    // reference data and flights first (bookings refer to them), not timed
    const setup = createBackend({ dataDir, connectors: [reference], mode: 'sandbox', host: 'test', version: 'bench' });
    const [ref] = await setup.feeds.sync(['pss'], 'bench', true);
    if (ref!.status !== 'ok') throw new Error(`reference sync ${ref!.status}: ${ref!.error}`);
    await setup.close();

    const backend = createBackend({ dataDir, connectors: [bookings], mode: 'sandbox', host: 'test', version: 'bench' });
    const t1 = performance.now();
    const [run] = await backend.feeds.sync(['pss'], 'bench', true);
    backend.store.db.pragma('wal_checkpoint(TRUNCATE)');
    const syncMs = performance.now() - t1;
    if (run!.status !== 'ok') throw new Error(`bookings sync ${run!.status}: ${run!.error}`);
    const rows = backend.store.db.prepare('SELECT count(*) FROM bookings').pluck().get() as number;
    const events = run!.recordsIn;
    // each event is one row written (inserted, or updated with the booking's new state)
    ctx.print(`pss.bookings sync  ${events.toLocaleString('en-US')} rows written (${rows.toLocaleString('en-US')} bookings) in ${(syncMs / 1000).toFixed(2)} s  ${rate(events, syncMs)} rows/s`);
    if (!ctx.quick && rows < 200_000) throw new Error(`only ${rows} bookings synced; the benchmark needs at least 200,000`);

    // the raw insert rate: the same rows, pre-built, into the same (empty) table and indexes
    const data = backend.store.db.prepare(`SELECT ${COLUMNS.join(', ')} FROM bookings`).raw().all() as unknown[][];
    await backend.close();
    const rawDir = ctx.tempDir('dfae-bench-raw-');
    const raw = openStore({ dataDir: rawDir });
    const insert = raw.db.prepare(`INSERT INTO bookings (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
    const t2 = performance.now();
    raw.db.transaction(() => { for (const r of data) insert.run(r); })();
    raw.db.pragma('wal_checkpoint(TRUNCATE)');
    const rawMs = performance.now() - t2;
    raw.close();
    ctx.print(`sqlite raw insert  ${data.length.toLocaleString('en-US')} rows in ${(rawMs / 1000).toFixed(2)} s  ${rate(data.length, rawMs)} rows/s`);
    const ingestRate = events / (syncMs / 1000);
    const rawRate = data.length / (rawMs / 1000);
    ctx.print(`ingest/raw ratio   ${(ingestRate / rawRate).toFixed(2)}  (goal >= 0.5)`);
    fs.rmSync(path.join(dataDir), { recursive: true, force: true });
  } finally {
    await Promise.all([reference.close(), bookings.close()]);
    await sandbox.close();
  }
}
