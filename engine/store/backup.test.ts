import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { openStore, DB_FILE_NAME, type Store } from './db';
import { MIGRATIONS } from './migrations/index';
import { backupStore, listBackups, restoreBackup, rotateBackups, startBackupSchedule, backupsDir, RestoreRefusedError, sweepStaleBackupWork } from './backup';
import { AuditLog } from '../workflow/audit';
import { auditHeadPath, readAuditHead } from '../workflow/auditHead';
import { fixedClock, type Clock } from '../domain/time';
import { createBackend } from '../backend';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-backup-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  vi.useRealTimers();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A backup's database as a plain file beside it (backups are gzip-compressed), as a backup written before compression was. */
function plain(backup: string, name = `${path.basename(backup, '.gz')}-plain.sqlite`): string {
  const file = path.join(path.dirname(backup), name);
  fs.writeFileSync(file, zlib.gunzipSync(fs.readFileSync(backup)));
  return file;
}

/** a clock that moves one second per reading, so backups get distinct names */
function tickingClock(start = '2026-11-25T08:00:00Z'): Clock {
  let t = Date.parse(start);
  return { now: () => new Date((t += 1000)) };
}

function audited(store: Store): AuditLog {
  return new AuditLog(store.db, store.clock, auditHeadPath(store.file));
}

function addSettings(store: Store, from: number, n: number): void {
  const ins = store.db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)');
  store.db.transaction(() => { for (let i = from; i < from + n; i++) ins.run(`k${i}`, JSON.stringify({ v: 'x'.repeat(300), i }), store.now()); })();
}

function appendAudit(audit: AuditLog, n: number, tag: string): void {
  audit.tx(() => audit.append(Array.from({ length: n }, (_, i) => ({ actor: 'rita', entity: 'rule' as const, entityId: `${tag}-${i}`, from: null, to: 'created', reason: `test ${tag}` }))));
}

describe('online backup', () => {
  it('copies the open database while it keeps being written, checked, with the audit head of its last row beside it', async () => {
    const dir = tempDir();
    const store = openStore({ dataDir: dir, clock: tickingClock() });
    const audit = audited(store);
    addSettings(store, 0, 4000);
    appendAudit(audit, 5, 'a');
    // writes keep landing on the event loop while the backup copies 10 pages per turn
    let writes = 0;
    let stop = false;
    const writer = (async () => {
      while (!stop) {
        addSettings(store, 10_000 + writes * 10, 10);
        appendAudit(audit, 1, `w${writes}`);
        writes++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const r = await backupStore(store, { reason: 'manual', pagesPerStep: 10 });
    stop = true;
    await writer;
    expect(writes).toBeGreaterThan(5);
    expect(r.integrity.ok).toBe(true);
    expect(path.dirname(r.file)).toBe(backupsDir(dir));
    expect(path.basename(r.file)).toMatch(/^dfae-manual-\d{8}T\d{9}Z-v\d+\.sqlite\.gz$/);
    expect(r.bytes).toBe(fs.statSync(r.file).size);
    // the head beside it names the backup's own last audit row, and the backup's chain reaches it
    const copy = new BetterSqlite3(plain(r.file), { readonly: true });
    const last = copy.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
    const head = readAuditHead(auditHeadPath(r.file));
    expect(head.status === 'ok' && { seq: head.head.seq, hash: head.head.hash }).toEqual(last);
    const verified = new AuditLog(copy, store.clock, null).verify();
    expect(verified.ok).toBe(true);
    // a self-contained file: rollback journal, no -wal beside it
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    copy.close();
    expect(fs.existsSync(`${r.file}-wal`)).toBe(false);
    expect(fs.readdirSync(backupsDir(dir)).filter((f) => f.endsWith('.partial') || f.endsWith('.compressing'))).toEqual([]);
    store.close();
  });

  it('removes what a killed backup or restore left (a full-size copy), and only that of processes that no longer run', async () => {
    const dir = tempDir();
    const store = openStore({ dataDir: dir, clock: tickingClock() });
    fs.mkdirSync(backupsDir(dir), { recursive: true });
    // above Linux's largest process id: no process has it
    const gone = 4_194_305;
    const left = [
      path.join(backupsDir(dir), `dfae-scheduled-20261124T080000000Z-v18.sqlite.gz.${gone}.partial`),
      path.join(backupsDir(dir), `dfae-scheduled-20261124T080000000Z-v18.sqlite.gz.${gone}.compressing`),
      path.join(dir, `.restore-${gone}.sqlite`),
    ];
    const running = path.join(backupsDir(dir), `dfae-manual-20261124T080000000Z-v18.sqlite.gz.${process.ppid}.partial`);
    for (const f of [...left, running]) fs.writeFileSync(f, 'x');
    const r = await backupStore(store, { reason: 'manual' });
    for (const f of left) expect(fs.existsSync(f)).toBe(false);
    expect(fs.existsSync(running)).toBe(true); // its process runs: a backup in progress
    expect(fs.readdirSync(backupsDir(dir)).sort()).toEqual([path.basename(r.file), path.basename(running)].sort());
    expect(sweepStaleBackupWork(dir, (pid) => pid === process.ppid)).toEqual([]);
    expect(sweepStaleBackupWork(dir, () => false)).toEqual([running]);
    store.close();
  });

  it('keeps only the newest backups of each reason, removing their head files too', async () => {
    const dir = tempDir();
    const store = openStore({ dataDir: dir, clock: tickingClock() });
    appendAudit(audited(store), 2, 'x');
    const made = [];
    for (let i = 0; i < 4; i++) made.push(await backupStore(store, { reason: 'scheduled', keep: 2 }));
    const manual = await backupStore(store, { reason: 'manual' });
    const left = listBackups(dir);
    expect(left.map((b) => b.file)).toEqual([manual.file, made[3]!.file, made[2]!.file]);
    expect(made[3]!.rotatedOut).toEqual([made[1]!.file]);
    expect(fs.existsSync(auditHeadPath(made[0]!.file))).toBe(false);
    expect(left.every((b) => b.headFile !== null)).toBe(true);
    expect(rotateBackups(dir, 'scheduled', 0)).toHaveLength(2);
    store.close();
  });

  it('keeps the live head when the live chain already lost its last rows, so a restored backup still shows the loss', async () => {
    const dir = tempDir();
    const store = openStore({ dataDir: dir, clock: tickingClock() });
    const audit = audited(store);
    appendAudit(audit, 6, 'a');
    store.db.exec('DROP TRIGGER audit_log_no_delete');
    store.db.prepare('DELETE FROM audit_log WHERE seq > 4').run();
    const r = await backupStore(store, { reason: 'manual' });
    const head = readAuditHead(auditHeadPath(r.file));
    expect(head.status === 'ok' && head.head.seq).toBe(6);
    store.close();
    await expect(restoreBackup({ dataDir: dir, backup: r.file })).rejects.toThrow(/audit log ends at row 4 but its head file records row 6/);
  });

  it('derives the head from the backup when the live head file is missing, and only for a row the live chain holds', async () => {
    const dir = tempDir();
    const store = openStore({ dataDir: dir, clock: tickingClock() });
    appendAudit(audited(store), 3, 'a');
    fs.rmSync(auditHeadPath(store.file));
    const r = await backupStore(store, { reason: 'manual' });
    expect(r.head?.seq).toBe(3);
    store.close();
  });

  it('fails cleanly, leaving no partial file, when the database keeps changing under it from another connection', async () => {
    const dir = tempDir();
    const store = openStore({ dataDir: dir, clock: tickingClock() });
    addSettings(store, 0, 3000);
    const other = new BetterSqlite3(store.file);
    let n = 0;
    const timer = setInterval(() => { other.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run(`o${n++}`, '{}', 'x'); }, 0);
    try {
      await expect(backupStore(store, { reason: 'manual', pagesPerStep: 1 })).rejects.toThrow(/kept changing under the backup/);
    } finally {
      clearInterval(timer);
      other.close();
    }
    expect(fs.readdirSync(backupsDir(dir))).toEqual([]);
    store.close();
  });

  it('runs on a schedule, one at a time, reporting each backup', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const dir = tempDir();
    const store = openStore({ dataDir: dir, clock: tickingClock() });
    appendAudit(audited(store), 1, 'a');
    const seen: string[] = [];
    const schedule = startBackupSchedule(store, { intervalMs: 60_000, keep: 3, onBackup: (r) => seen.push(r.file) });
    expect(() => startBackupSchedule(store, { intervalMs: 10 })).toThrow(/from 1000 to/);
    for (let i = 0; i < 2; i++) {
      await vi.advanceTimersByTimeAsync(60_000);
      await vi.waitFor(() => expect(seen).toHaveLength(i + 1), { timeout: 10_000 });
    }
    const now = await schedule.runNow();
    expect(schedule.last?.result?.file).toBe(now.file);
    await schedule.stop();
    await vi.advanceTimersByTimeAsync(300_000);
    expect(listBackups(dir).filter((b) => b.reason === 'scheduled')).toHaveLength(3);
    expect(seen).toHaveLength(3);
    store.close();
  });

  it('is scheduled by the backend unless switched off, and stops with it', async () => {
    const dir = tempDir();
    const b = createBackend({ dataDir: dir, clock: tickingClock(), connectors: [], mode: 'sandbox', host: 'test', version: 't', backup: { intervalMs: 3_600_000, keep: 2 } });
    const r = await b.backups!.runNow();
    expect(r).toMatchObject({ reason: 'scheduled', integrity: { ok: true } });
    expect(b.backups!.last?.result?.file).toBe(r.file);
    await b.close();
    const off = createBackend({ dataDir: tempDir(), connectors: [], mode: 'sandbox', host: 'test', version: 't', backup: false });
    expect(off.backups).toBeNull();
    await off.close();
  });

  it('writes the audit head beside the backup taken before a migration', () => {
    const dir = tempDir();
    const s = openStore({ dataDir: dir, clock: fixedClock('2026-11-25T08:00:00Z') });
    appendAudit(audited(s), 2, 'a');
    s.close();
    const next = [...MIGRATIONS, { version: 1000, name: 'next', sql: 'CREATE TABLE next_table (x INTEGER) STRICT;' }];
    const notices: string[] = [];
    const m = openStore({ dataDir: dir, clock: fixedClock('2026-11-26T08:00:00Z'), migrations: next, onNotice: (n) => notices.push(n) });
    // named by the schema version the backup holds: the newest applied, not how many were (versions skip 7)
    expect(path.basename(m.backupFile!)).toBe(`dfae-before-migration-20261126T080000000Z-v${Math.max(...MIGRATIONS.map((x) => x.version))}.sqlite.gz`);
    // compressed in the opening thread, in gzip members that read as one stream
    const before = new BetterSqlite3(plain(m.backupFile!), { readonly: true });
    expect(before.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(2);
    before.close();
    // the host's log says so before the backup starts (minutes for a large store)
    expect(notices).toEqual([expect.stringMatching(/^backing up the store \(\d+\.\d GB\) before migrating it to version 1000: .*dfae\.sqlite → .*backups; a large store takes minutes$/)]);
    const head = readAuditHead(auditHeadPath(m.backupFile!));
    expect(head.status === 'ok' && head.head.seq).toBe(2);
    m.close();
  });
});

describe('restore', () => {
  async function withBackup(): Promise<{ dir: string; backup: string }> {
    const dir = tempDir();
    const store = openStore({ dataDir: dir, clock: tickingClock() });
    const audit = audited(store);
    addSettings(store, 0, 100);
    appendAudit(audit, 4, 'before');
    const r = await backupStore(store, { reason: 'manual' });
    // later changes, lost by the restore (the replaced database is set aside)
    addSettings(store, 100, 50);
    appendAudit(audit, 3, 'after');
    store.close();
    return { dir, backup: r.file };
  }

  it('puts the backup in place with its head, sets the replaced database and its WAL aside, and the store opens and verifies', async () => {
    const { dir, backup } = await withBackup();
    const r = await restoreBackup({ dataDir: dir, backup, at: '2026-11-27T09:00:00.000Z' });
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.restore-'))).toEqual([]);
    expect(r.setAside).toBe(path.join(backupsDir(dir), 'replaced-20261127T090000000Z'));
    expect(fs.readdirSync(r.setAside!)).toEqual(expect.arrayContaining([DB_FILE_NAME, `${DB_FILE_NAME}.audit-head.json`]));
    const store = openStore({ dataDir: dir, clock: tickingClock() });
    expect(store.db.prepare('SELECT count(*) FROM settings').pluck().get()).toBe(100);
    const v = audited(store).verify();
    expect(v).toMatchObject({ ok: true, rows: 4 });
    expect(v.problems).toEqual([]);
    store.close();
    // the replaced database is intact where it was set aside
    const old = new BetterSqlite3(path.join(r.setAside!, DB_FILE_NAME), { readonly: true });
    expect(old.prepare('SELECT count(*) FROM settings').pluck().get()).toBe(150);
    old.close();
  });

  it('refuses a damaged backup, one from a newer schema, and one whose audit tail was cut, changing nothing', async () => {
    const { dir, backup } = await withBackup();
    const live = path.join(dir, DB_FILE_NAME);
    const before = fs.readFileSync(live);
    // newer schema
    const newer = plain(backup, 'newer.sqlite');
    fs.copyFileSync(auditHeadPath(backup), auditHeadPath(newer));
    const n = new BetterSqlite3(newer);
    n.prepare("INSERT INTO schema_migrations VALUES (999, 'future', 'abc', '2030-01-01T00:00:00Z')").run();
    n.close();
    await expect(restoreBackup({ dataDir: dir, backup: newer })).rejects.toThrow(RestoreRefusedError);
    await expect(restoreBackup({ dataDir: dir, backup: newer })).rejects.toThrow(/schema version 999.*Nothing was changed/s);
    // audit tail cut
    const cut = plain(backup, 'cut.sqlite');
    fs.copyFileSync(auditHeadPath(backup), auditHeadPath(cut));
    const c = new BetterSqlite3(cut);
    c.exec('DROP TRIGGER audit_log_no_delete');
    c.prepare('DELETE FROM audit_log WHERE seq = 4').run();
    c.close();
    await expect(restoreBackup({ dataDir: dir, backup: cut })).rejects.toThrow(/ends at row 3 but its head file records row 4/);
    // head file missing beside a backup with audit rows
    const headless = path.join(dir, 'headless.sqlite.gz');
    fs.copyFileSync(backup, headless);
    await expect(restoreBackup({ dataDir: dir, backup: headless })).rejects.toThrow(/no head file beside it/);
    // damaged pages
    const bad = plain(backup, 'bad.sqlite');
    const fd = fs.openSync(bad, 'r+');
    fs.writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 4096 * 2);
    fs.closeSync(fd);
    await expect(restoreBackup({ dataDir: dir, backup: bad })).rejects.toThrow(/failed its integrity check|cannot|not a database/);
    await expect(restoreBackup({ dataDir: dir, backup: path.join(dir, 'missing.sqlite') })).rejects.toThrow(/does not exist/);
    // a compressed backup cut short
    const short = path.join(dir, 'short.sqlite.gz');
    fs.writeFileSync(short, fs.readFileSync(backup).subarray(0, 2000));
    fs.copyFileSync(auditHeadPath(backup), auditHeadPath(short));
    await expect(restoreBackup({ dataDir: dir, backup: short })).rejects.toThrow(/short\.sqlite\.gz cannot be decompressed into .*Nothing was changed/);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.restore-'))).toEqual([]);
    expect(fs.readFileSync(live).equals(before)).toBe(true);
    expect(fs.readdirSync(backupsDir(dir)).some((f) => f.startsWith('replaced-'))).toBe(false);
  });

  it('lists, restores and rotates a backup written before backups were compressed', async () => {
    const { dir, backup } = await withBackup();
    const old = plain(backup, path.basename(backup).replace(/Z-v(\d+)\.sqlite\.gz$/, 'Z-v$1.sqlite').replace('-manual-2026', '-manual-2025'));
    fs.copyFileSync(auditHeadPath(backup), auditHeadPath(old));
    expect(listBackups(dir).map((b) => path.basename(b.file))).toEqual([path.basename(backup), path.basename(old)]);
    const r = await restoreBackup({ dataDir: dir, backup: old });
    expect(r.restoredFrom).toBe(old);
    const store = openStore({ dataDir: dir, clock: tickingClock() });
    expect(store.db.prepare('SELECT count(*) FROM settings').pluck().get()).toBe(100);
    expect(audited(store).verify()).toMatchObject({ ok: true, rows: 4 });
    store.close();
    expect(rotateBackups(dir, 'manual', 1)).toEqual([old]);
    expect(fs.existsSync(auditHeadPath(old))).toBe(false);
  });
});
