import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, DB_FILE_NAME } from './db';
import { checkIntegrity, StoreIntegrityError } from './integrity';
import { backupStore } from './backup';
import { fixedClock } from '../domain/time';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-integrity-'));
  dirs.push(d);
  return d;
}
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

const clock = fixedClock('2026-11-25T08:00:00Z');

/** A store with enough rows in `bookings`' neighbours to span many pages, closed and checkpointed. */
function filledStore(dir: string): void {
  const s = openStore({ dataDir: dir, clock });
  const ins = s.db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)');
  s.db.transaction(() => { for (let i = 0; i < 3000; i++) ins.run(`k${i}`, JSON.stringify({ v: 'x'.repeat(200), i }), '2026-11-25T08:00:00Z'); })();
  s.db.pragma('wal_checkpoint(TRUNCATE)');
  s.close();
}

/** Overwrites bytes in the middle of the file's pages (not the header): a torn or bit-rotted page. */
function damage(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    const size = fs.fstatSync(fd).size;
    const garbage = Buffer.alloc(4096, 0xa5);
    for (const at of [Math.floor(size * 0.5), Math.floor(size * 0.75)]) fs.writeSync(fd, garbage, 0, garbage.length, at - (at % 4096) + 100);
  } finally {
    fs.closeSync(fd);
  }
}

describe('integrity check', () => {
  it('reports ok for a sound database, quick at open and full on demand', () => {
    const dir = tempDir();
    filledStore(dir);
    const s = openStore({ dataDir: dir, clock });
    expect(s.integrity).toMatchObject({ ok: true, mode: 'quick', problems: [] });
    expect(s.checkIntegrity('full')).toMatchObject({ ok: true, mode: 'full', problems: [] });
    s.close();
  });

  it('refuses to open a damaged database, naming the check, the problems and the newest backup, and writes nothing', async () => {
    const dir = tempDir();
    filledStore(dir);
    const s = openStore({ dataDir: dir, clock });
    const backup = await backupStore(s, { reason: 'manual' });
    s.db.pragma('wal_checkpoint(TRUNCATE)');
    s.close();
    const file = path.join(dir, DB_FILE_NAME);
    damage(file);
    const before = fs.readFileSync(file);
    let err: unknown;
    try { openStore({ dataDir: dir, clock }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(StoreIntegrityError);
    const e = err as StoreIntegrityError;
    expect(e.report.ok).toBe(false);
    expect(e.report.problems.length).toBeGreaterThan(0);
    expect(e.message).toMatch(/failed its integrity check \(PRAGMA quick_check\)/);
    expect(e.message).toContain(backup.file);
    expect(e.message).toMatch(/Nothing was written to it/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('reports a file that is not a database at all as a failed check, not a crash', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, DB_FILE_NAME), 'this is not a database, it is a note somebody saved here\n'.repeat(200));
    expect(() => openStore({ dataDir: dir, clock })).toThrow(/failed its integrity check.*(not a database|SQLITE_NOTADB).*No backup exists/s);
  });

  it('full mode also finds rows whose foreign-key parent is missing', () => {
    const dir = tempDir();
    const s = openStore({ dataDir: dir, clock });
    s.db.prepare("INSERT INTO carriers (code, name, own) VALUES ('DF', 'DF Air', 1)").run();
    s.db.prepare("INSERT INTO rbds (carrier, rbd, cabin, rank) VALUES ('DF', 'Y', 'Y', 0)").run();
    s.db.pragma('foreign_keys = OFF');
    s.db.prepare("DELETE FROM carriers WHERE code = 'DF'").run();
    expect(checkIntegrity(s.db, s.file, 'quick').ok).toBe(true);
    const full = checkIntegrity(s.db, s.file, 'full');
    expect(full.ok).toBe(false);
    expect(full.problems[0]).toMatch(/foreign key: (row \d+|a row) of rbds refers to a missing row of carriers/);
    s.close();
  });

  it('can be switched off to open a damaged file read-only for diagnosis, and then checked on demand', () => {
    const dir = tempDir();
    filledStore(dir);
    damage(path.join(dir, DB_FILE_NAME));
    const s = openStore({ dataDir: dir, clock, readonly: true, integrityCheck: 'off' });
    expect(s.integrity).toBeNull();
    const full = s.checkIntegrity();
    expect(full).toMatchObject({ ok: false, mode: 'full' });
    s.close();
  });
});
