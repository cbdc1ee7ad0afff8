import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { openStore, resolveDataDir, DB_FILE_NAME, HOST_WAL_AUTOCHECKPOINT_PAGES } from './db';
import { MIGRATIONS } from './migrations/index';
import { SchemaRefusedError } from './migrate';
import { fixedClock } from '../domain/time';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-store-'));
  dirs.push(d);
  return d;
}
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

function fileBytes(dir: string): Buffer {
  return fs.readFileSync(path.join(dir, DB_FILE_NAME));
}

describe('store', () => {
  it('creates the database with WAL, foreign keys and STRICT tables, recording each migration with its hash', () => {
    const dir = tempDir();
    const s = openStore({ dataDir: dir, clock: fixedClock('2026-11-25T08:00:00Z') });
    expect(s.migrated).toEqual(MIGRATIONS.map((m) => m.version));
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
    // the host's connection copies the log less often than SQLite's 1,000 pages
    expect(s.db.pragma('wal_autocheckpoint', { simple: true })).toBe(HOST_WAL_AUTOCHECKPOINT_PAGES);
    const rows = s.db.prepare('SELECT version, hash, applied_at FROM schema_migrations').all() as { version: number; hash: string; applied_at: string }[];
    expect(rows[0]).toMatchObject({ version: 1, applied_at: '2026-11-25T08:00:00.000Z' });
    expect(rows[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    const tables = s.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[];
    for (const t of tables) expect(t.sql, `table ${t.name} must be STRICT`).toMatch(/STRICT/);
    for (const name of ['carriers', 'airports', 'flights', 'flight_cabins', 'rbds', 'fares', 'inventory', 'inventory_snapshots', 'bookings', 'feed_runs', 'quarantine']) {
      expect(tables.map((t) => t.name)).toContain(name);
    }
    s.close();
    // reopening applies nothing
    const again = openStore({ dataDir: dir });
    expect(again.migrated).toEqual([]);
    again.close();
  });

  it('reads the file through a memory map (up to the largest the build allows), or not when told', () => {
    const dir = tempDir();
    const s = openStore({ dataDir: dir });
    // SQLite caps the map at its compile-time maximum (2 GiB less 64 KiB in this build)
    expect(s.db.pragma('mmap_size', { simple: true })).toBeGreaterThanOrEqual(2 ** 31 - 2 ** 16);
    s.db.prepare("INSERT INTO carriers (code, name, own) VALUES ('DF', 'Demo', 1)").run();
    s.close();
    const plain = openStore({ dataDir: dir, mmapBytes: 0 });
    expect(plain.db.pragma('mmap_size', { simple: true })).toBe(0);
    expect(plain.db.prepare("SELECT name FROM carriers WHERE code = 'DF'").pluck().get()).toBe('Demo');
    plain.close();
  });

  it('STRICT tables reject values of the wrong type and foreign keys are enforced', () => {
    const s = openStore({ dataDir: tempDir() });
    expect(() => s.db.prepare("INSERT INTO carriers (code, name, own) VALUES ('DF', 'x', 'yes')").run()).toThrow(/cannot store TEXT value in INTEGER column|CHECK/);
    expect(() => s.db.prepare("INSERT INTO rbds (carrier, rbd, cabin, rank) VALUES ('ZZ', 'Y', 'Y', 0)").run()).toThrow(/FOREIGN KEY/);
    s.close();
  });

  it('refuses a database whose schema is newer than the app and leaves it untouched', () => {
    const dir = tempDir();
    openStore({ dataDir: dir }).close();
    const raw = new BetterSqlite3(path.join(dir, DB_FILE_NAME));
    raw.prepare("INSERT INTO schema_migrations VALUES (99, 'from the future', 'abc', '2030-01-01T00:00:00Z')").run();
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const before = fileBytes(dir);
    expect(() => openStore({ dataDir: dir })).toThrow(SchemaRefusedError);
    const newest = Math.max(...MIGRATIONS.map((m) => m.version));
    expect(() => openStore({ dataDir: dir })).toThrow(new RegExp(`schema version 99 .* newer than this app knows \\(${newest}\\).*left untouched`));
    expect(fileBytes(dir).equals(before)).toBe(true);
  });

  it('refuses a database whose applied migration was edited, naming it, and leaves it untouched', () => {
    const dir = tempDir();
    openStore({ dataDir: dir }).close();
    const before = fileBytes(dir);
    const edited = MIGRATIONS.map((m) => (m.version === 1 ? { ...m, sql: m.sql + '\n-- edited' } : m));
    try {
      openStore({ dataDir: dir, migrations: edited });
      expect.unreachable('should refuse');
    } catch (e) {
      expect(e).toBeInstanceOf(SchemaRefusedError);
      expect((e as SchemaRefusedError).code).toBe('migration_edited');
      expect((e as Error).message).toMatch(/Migration 1 \("foundation"\) was changed after it was applied/);
    }
    expect(fileBytes(dir).equals(before)).toBe(true);
  });

  it('refuses a database that records a migration this build does not have', () => {
    const dir = tempDir();
    const extra = [...MIGRATIONS, { version: 1000, name: 'branch-only', sql: 'CREATE TABLE branch_only (x INTEGER) STRICT;' }];
    openStore({ dataDir: dir, migrations: extra }).close();
    const withGap = [...MIGRATIONS, { version: 1001, name: 'later', sql: 'CREATE TABLE later (x INTEGER) STRICT;' }];
    expect(() => openStore({ dataDir: dir, migrations: withGap })).toThrow(/records migration 1000 \("branch-only"\) that this app does not have/);
  });

  it('applies a new migration after backing up the database, and rolls back a failing one whole', () => {
    const dir = tempDir();
    openStore({ dataDir: dir }).close();
    const next = [...MIGRATIONS, { version: 1000, name: 'next', sql: 'CREATE TABLE next_table (x INTEGER NOT NULL) STRICT;' }];
    const s = openStore({ dataDir: dir, migrations: next });
    expect(s.migrated).toEqual([1000]);
    expect(s.backupFile && fs.existsSync(s.backupFile)).toBe(true);
    s.close();
    const broken = [...next, { version: 1001, name: 'broken', sql: 'CREATE TABLE half (x INTEGER) STRICT; INSERT INTO nowhere VALUES (1);' }];
    expect(() => openStore({ dataDir: dir, migrations: broken })).toThrow(/no such table: nowhere/);
    const check = new BetterSqlite3(path.join(dir, DB_FILE_NAME));
    expect(check.prepare("SELECT count(*) n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
    expect(check.prepare('SELECT max(version) v FROM schema_migrations').get()).toEqual({ v: 1000 });
    check.close();
  });

  it('keeps the cycle contexts of an existing store when they move to a rowid table (migration 12), with their key unique and deleted with their cycle', () => {
    const dir = tempDir();
    openStore({ dataDir: dir, migrations: MIGRATIONS.filter((m) => m.version < 12) }).close();
    const old = new BetterSqlite3(path.join(dir, DB_FILE_NAME));
    old.prepare("INSERT INTO pricing_cycles (id, started_at, status) VALUES ('c1', '2025-01-01T00:00:00Z', 'ok'), ('c2', '2025-01-02T00:00:00Z', 'ok')").run();
    const ins = old.prepare('INSERT INTO pricing_contexts (cycle_id, flight_id, cabin, context) VALUES (?, ?, ?, ?)');
    const big = JSON.stringify({ note: 'x'.repeat(1500) }); // larger than a WITHOUT ROWID row keeps in its page
    for (const c of ['c1', 'c2']) for (const f of ['DF1/2025-02-01/FRA', 'DF2/2025-02-01/FRA']) for (const cab of ['J', 'Y']) ins.run(c, f, cab, `${c}|${f}|${cab}|${big}`);
    old.close();
    const s = openStore({ dataDir: dir });
    expect(s.migrated).toEqual(MIGRATIONS.filter((m) => m.version >= 12).map((m) => m.version));
    const rows = s.db.prepare('SELECT cycle_id, flight_id, cabin, context FROM pricing_contexts ORDER BY id').all() as { cycle_id: string; flight_id: string; cabin: string; context: string }[];
    expect(rows).toHaveLength(8);
    for (const r of rows) expect(r.context).toBe(`${r.cycle_id}|${r.flight_id}|${r.cabin}|${big}`);
    expect(s.db.prepare("SELECT count(*) n FROM sqlite_master WHERE name = 'pricing_contexts' AND sql LIKE '%WITHOUT ROWID%'").get()).toEqual({ n: 0 });
    expect(() => s.db.prepare("INSERT INTO pricing_contexts (cycle_id, flight_id, cabin, context) VALUES ('c1', 'DF1/2025-02-01/FRA', 'J', '{}')").run()).toThrow(/UNIQUE constraint failed/);
    // read by its key through the index, not a scan
    const plan = s.db.prepare("EXPLAIN QUERY PLAN SELECT context FROM pricing_contexts WHERE cycle_id = 'c1' AND flight_id = 'DF1/2025-02-01/FRA'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX pricing_contexts_key/);
    s.db.prepare("DELETE FROM pricing_cycles WHERE id = 'c1'").run();
    expect(s.db.prepare('SELECT DISTINCT cycle_id FROM pricing_contexts').pluck().all()).toEqual(['c2']);
    s.close();
  });

  it('keeps the bookings of an existing store when their status may become denied_boarding (migration 13)', () => {
    const dir = tempDir();
    openStore({ dataDir: dir, migrations: MIGRATIONS.filter((m) => m.version < 13) }).close();
    const old = new BetterSqlite3(path.join(dir, DB_FILE_NAME));
    const cols = 'id, record_locator, flight_id, rbd, cabin, fare_basis, journey_origin, journey_destination, point_of_sale, channel, passengers, amount_minor, currency, booked_at, status, status_at, ancillaries';
    const ins = old.prepare(`INSERT INTO bookings (${cols}) VALUES (?, 'ABC123', 'DF1/2025-02-01/FRA', 'Y', 'Y', NULL, 'FRA', 'LHR', 'DE', 'direct', ?, 12000, 'EUR', '2025-01-01T00:00:00Z', ?, NULL, '[]')`);
    ins.run('b1', 1, 'flown');
    ins.run('b2', 3, 'no_show');
    expect(() => ins.run('b3', 1, 'denied_boarding')).toThrow(/CHECK constraint failed/);
    const before = old.prepare(`SELECT ${cols} FROM bookings ORDER BY id`).all();
    old.close();
    const s = openStore({ dataDir: dir });
    expect(s.migrated).toEqual(MIGRATIONS.filter((m) => m.version >= 13).map((m) => m.version));
    expect(s.db.prepare(`SELECT ${cols} FROM bookings ORDER BY id`).all()).toEqual(before);
    s.db.prepare(`INSERT INTO bookings (${cols}) VALUES ('b3', 'ABC124', 'DF1/2025-02-01/FRA', 'Y', 'Y', NULL, 'FRA', 'LHR', 'DE', 'direct', 2, 12000, 'EUR', '2025-01-01T00:00:00Z', 'denied_boarding', '2025-02-01T08:00:00Z', '[]')`).run();
    expect(() => s.db.prepare("UPDATE bookings SET status = 'lost' WHERE id = 'b1'").run()).toThrow(/CHECK constraint failed/);
    const plan = s.db.prepare("EXPLAIN QUERY PLAN SELECT id FROM bookings WHERE flight_id = 'DF1/2025-02-01/FRA' AND rbd = 'Y'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX bookings_flight/);
    s.close();
  });

  it('finds the fare in force for a departure and RBD by market, RBD and flight id, not by scanning the market (migration 14)', () => {
    const s = openStore({ dataDir: tempDir() });
    const plan = s.db.prepare(`EXPLAIN QUERY PLAN SELECT fare_basis FROM fares WHERE carrier = 'DF' AND origin = 'FRA' AND destination = 'LHR' AND rbd = 'Q'
      AND valid_from <= '2026-05-01' AND valid_to >= '2026-05-01' AND flight_id IN ('', 'DF1/2026-05-01/FRA') ORDER BY flight_id = '', updated_at DESC, id DESC LIMIT 1`).all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX fares_in_force \(origin=\? AND destination=\? AND rbd=\? AND flight_id=\? AND carrier=\? AND valid_from<\?\)/);
    s.close();
  });

  it('resolves the data folder from the flag, then DFAE_DATA_DIR, then the platform folder', () => {
    expect(resolveDataDir('/tmp/x', {})).toBe('/tmp/x');
    expect(resolveDataDir(undefined, { DFAE_DATA_DIR: '/tmp/y' })).toBe('/tmp/y');
    expect(resolveDataDir(undefined, { HOME: '/home/u' }, 'linux')).toBe('/home/u/.local/share/dfae-workbench');
    expect(resolveDataDir(undefined, { HOME: '/Users/u' }, 'darwin')).toBe('/Users/u/Library/Application Support/DFAE Workbench');
  });
});
