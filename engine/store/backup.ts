/**
 * Backups of the store, and their restore.
 *
 * - `backupStore`: an online backup with SQLite's backup API (better-sqlite3 `db.backup()`, a number of
 *   pages per turn of the event loop, so the host keeps serving while it runs), written under a
 *   temporary name, checked (`PRAGMA integrity_check`; a host passes an inspector that runs it in another
 *   thread), then renamed into place. The audit chain's head
 *   is written beside it (`<backup>.audit-head.json`), so an edited or truncated audit log in a restored
 *   backup is detected at start just as in the live database.
 * - `backupBeforeMigrationSync`: the same before a migration, with `VACUUM INTO` (the store is opening:
 *   nothing else runs, and opening is synchronous).
 * - Rotation: per reason, only the newest `keep` backups stay.
 * - `startBackupSchedule`: a backup every `intervalMs` (timers unref'd, one at a time).
 * - `restoreBackup`: with the workbench stopped, checks the backup (integrity, a schema this build
 *   knows, its audit head), moves the current database, its WAL and head file aside into
 *   `backups/replaced-<time>/` (never deleted), and puts the backup in place.
 *
 * Files: `<dataDir>/backups/dfae-<reason>-<UTC time>[-v<schema>].sqlite.gz` (+ `.audit-head.json`), the
 * checked copy gzip-compressed at level 1: the cycle bench's 4.1 GB store compressed 5.3 to 1 in 22 s
 * (seven daily copies of a 25 GB store were 175 GB of disk), on libuv's thread pool for the online
 * backups. Backups written before (`.sqlite`, uncompressed) are listed, rotated and restored as
 * they are.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { auditHeadPath, readAuditHead, writeAuditHead, type AuditHead } from '../workflow/auditHead';
import { checkIntegrity, type IntegrityReport } from './integrity';
import { nativeBindingOf } from './nativeBinding';
import { checkMigrations, SchemaRefusedError } from './migrate';
import { MIGRATIONS, type Migration } from './migrations/index';
import { systemProbe } from '../cycle/lock';

export const BACKUP_DIR_NAME = 'backups';
export type BackupReason = 'scheduled' | 'manual' | 'before-migration';

/** How many backups of each reason rotation keeps by default. */
export const DEFAULT_KEEP: Record<BackupReason, number> = { scheduled: 7, manual: 10, 'before-migration': 5 };

export interface BackupInfo {
  file: string;
  reason: BackupReason;
  /** when it was taken (UTC ISO-8601, from its name) */
  at: string;
  bytes: number;
  /** the audit head file beside it, null when there is none (a database with no audit rows yet) */
  headFile: string | null;
}

export interface BackupResult extends BackupInfo {
  /** the audit chain's head the backup ends at (null: no audit rows) */
  head: AuditHead | null;
  /** the backup's own integrity check */
  integrity: IntegrityReport;
  ms: number;
  /** older backups of the same reason removed by rotation */
  rotatedOut: string[];
}

export class BackupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackupError';
  }
}

export function backupsDir(dataDir: string): string {
  return path.join(dataDir, BACKUP_DIR_NAME);
}

/** `2026-11-25T08:00:00.123Z` → `20261125T080000123Z` (sorts by time, safe on every file system) */
function stamp(at: string): string {
  return at.replace(/[-:.]/g, '');
}

function unstamp(s: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(s);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z` : null;
}

export function backupFileName(reason: BackupReason, at: string, schemaVersion?: number): string {
  return `dfae-${reason}-${stamp(at)}${schemaVersion !== undefined ? `-v${schemaVersion}` : ''}.sqlite.gz`;
}

/** a backup's name: compressed (`.sqlite.gz`) or, written before backups were compressed, plain (`.sqlite`) */
const NAME_RE = /^dfae-(scheduled|manual|before-migration)-(\d{8}T\d{9}Z)(?:-v\d+)?\.sqlite(?:\.gz)?$/;

const GZIP_LEVEL = 1;
/** the uncompressed bytes of one gzip member when compressing in the opening thread */
const SYNC_MEMBER_BYTES = 16 << 20;

/**
 * The files of a backup in progress carry its process id: `<backup>.<pid>.partial` (the checked copy) and
 * `<backup>.<pid>.compressing`; a restore decompresses into `<data folder>/.restore-<pid>.sqlite`. A process
 * killed meanwhile leaves them behind (the copy is the store's full size): the next backup or restore
 * removes those of processes that no longer run.
 */
function workFiles(file: string): { partial: string; compressed: string } {
  return { partial: `${file}.${process.pid}.partial`, compressed: `${file}.${process.pid}.compressing` };
}

function sweepStale(dir: string, re: RegExp, isAlive: (pid: number) => boolean): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = re.exec(name);
    if (!m || isAlive(Number(m[1]))) continue;
    fs.rmSync(path.join(dir, name), { force: true });
    removed.push(path.join(dir, name));
  }
  return removed;
}

/** Removes what backups and restores of processes that no longer run left in the data folder; returns the files removed. */
export function sweepStaleBackupWork(dataDir: string, isAlive: (pid: number) => boolean = systemProbe.isAlive): string[] {
  return [
    ...sweepStale(backupsDir(dataDir), /^dfae-.*\.(\d+)\.(?:partial|compressing)$/, isAlive),
    ...sweepStale(dataDir, /^\.restore-(\d+)\.sqlite$/, isAlive),
  ];
}

function isCompressed(file: string): boolean {
  return file.endsWith('.gz');
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
}

/** Writes `src` through a zlib stream into `dst`, synced: zlib works on libuv's thread pool, the host's thread only moves the chunks. */
async function zlibFile(src: string, dst: string, through: zlib.Gzip | zlib.Gunzip): Promise<void> {
  await pipeline(fs.createReadStream(src, { highWaterMark: 4 << 20 }), through, fs.createWriteStream(dst));
  fsyncFile(dst);
}

/** The same in the calling thread (before a migration, while the store opens): one gzip member per 16 MB, which gunzip reads as one stream. */
function gzipFileSync(src: string, dst: string): void {
  const input = fs.openSync(src, 'r');
  const output = fs.openSync(dst, 'w');
  try {
    const buf = Buffer.allocUnsafe(SYNC_MEMBER_BYTES);
    for (let n; (n = fs.readSync(input, buf, 0, buf.length, null)) > 0;) {
      const member = zlib.gzipSync(buf.subarray(0, n), { level: GZIP_LEVEL });
      for (let off = 0; off < member.length;) off += fs.writeSync(output, member, off);
    }
    fs.fsyncSync(output);
  } finally {
    fs.closeSync(input);
    fs.closeSync(output);
  }
}

/** The backups in the data folder, newest first. */
export function listBackups(dataDir: string): BackupInfo[] {
  const dir = backupsDir(dataDir);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: BackupInfo[] = [];
  for (const name of names) {
    const m = NAME_RE.exec(name);
    const at = m ? unstamp(m[2]!) : null;
    if (!m || !at) continue;
    const file = path.join(dir, name);
    const head = auditHeadPath(file);
    out.push({ file, reason: m[1] as BackupReason, at, bytes: fs.statSync(file).size, headFile: fs.existsSync(head) ? head : null });
  }
  return out.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.file < b.file ? 1 : -1));
}

/** Removes all but the newest `keep` backups of a reason (and their head files); returns the removed files. */
export function rotateBackups(dataDir: string, reason: BackupReason, keep: number): string[] {
  const mine = listBackups(dataDir).filter((b) => b.reason === reason);
  const removed: string[] = [];
  for (const b of mine.slice(Math.max(0, keep))) {
    fs.rmSync(b.file, { force: true });
    fs.rmSync(auditHeadPath(b.file), { force: true });
    removed.push(b.file);
  }
  return removed;
}

interface AuditTail { seq: number; hash: string; at: string }

function auditTail(db: Database): AuditTail | null {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get();
  if (!has) return null;
  return (db.prepare('SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1').get() as AuditTail | undefined) ?? null;
}

function schemaVersionOf(db: Database): number | undefined {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!has) return undefined;
  return (db.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null) ?? undefined;
}

/**
 * The head to keep beside a backup: the live head file when it names the backup's last audit row (the
 * normal case: the head is written in the same turn as each commit, and the copy ends in one turn). When
 * the live chain has already lost rows its head file records, that head is kept, so the loss stays
 * detectable in the backup. Otherwise (the live head lags, is missing, or is ahead because audit rows were
 * appended while the copy ran) the backup's last row, but only when the live database holds that very row
 * (seq and hash): the backup is then a prefix of the live chain. Anything else fails the backup.
 */
function headForBackup(live: Database, liveFile: string, tail: AuditTail | null): AuditHead | null {
  if (!tail) return null;
  const read = readAuditHead(auditHeadPath(liveFile));
  if (read.status === 'ok' && read.head.seq === tail.seq && read.head.hash === tail.hash) return read.head;
  const liveTail = auditTail(live);
  if (read.status === 'ok' && liveTail && read.head.seq > liveTail.seq) return read.head;
  const inLive = live.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(tail.seq) as string | undefined;
  if (inLive !== tail.hash) {
    throw new BackupError(`the backup's audit row ${tail.seq} does not match the live database's (the audit chain changed during the backup): backup discarded, take it again`);
  }
  return { seq: tail.seq, hash: tail.hash, at: tail.at };
}

/** A finished copy becomes one self-contained file (rollback journal, not WAL); returns its audit tail. */
function settle(file: string, nativeBinding?: string): AuditTail | null {
  const db = new BetterSqlite3(file, { fileMustExist: true, nativeBinding: nativeBindingOf(nativeBinding) });
  try {
    db.pragma('journal_mode = DELETE');
    return auditTail(db);
  } finally {
    db.close();
  }
}

/** What checking a backup file finds: its integrity, its audit tail and its schema version. */
export interface BackupInspection { integrity: IntegrityReport; tail: AuditTail | null; version: number | undefined }

/**
 * Checks a written backup file before it is put in place. The full `integrity_check` reads the whole
 * file (about 16 s for 1.5 GB here): a host passes one that runs in another thread (the backend runs it
 * in a stage worker, engine/cycle/worker.ts), so its main thread keeps serving meanwhile.
 */
export type BackupInspector = (file: string) => Promise<BackupInspection>;

/** Opens a backup read-only, checks it fully and reads its audit tail and schema version (in the calling thread). */
export function inspectBackupFile(file: string, nativeBinding?: string): BackupInspection {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true, nativeBinding: nativeBindingOf(nativeBinding) });
  try {
    const integrity = checkIntegrity(db, file, 'full');
    if (!integrity.ok) return { integrity, tail: null, version: undefined };
    return { integrity, tail: auditTail(db), version: schemaVersionOf(db) };
  } finally {
    db.close();
  }
}

export interface BackupStoreOptions {
  reason?: BackupReason;
  /** keep this many backups of the reason (default DEFAULT_KEEP) */
  keep?: number;
  /** pages copied per turn of the event loop (default 1000: about 4 MB) */
  pagesPerStep?: number;
  /** the instant in the file name (default now) */
  at?: string;
  nativeBinding?: string;
  /** checks the written file (default: inspectBackupFile in this thread) */
  inspect?: BackupInspector;
}

/** What a backup needs of the store. */
export interface BackupSource {
  readonly db: Database;
  readonly file: string;
  readonly dataDir: string;
  now(): string;
}

/**
 * Takes an online backup of the open store (see the module comment). Resolves with the backup, checked;
 * rejects with a BackupError (and leaves no partial file) when it cannot be taken.
 */
export async function backupStore(store: BackupSource, o: BackupStoreOptions = {}): Promise<BackupResult> {
  const t0 = performance.now();
  const reason = o.reason ?? 'manual';
  const at = o.at ?? store.now();
  const dir = backupsDir(store.dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const version = schemaVersionOf(store.db);
  const file = path.join(dir, backupFileName(reason, at, version));
  sweepStaleBackupWork(store.dataDir);
  const { partial, compressed } = workFiles(file);
  fs.rmSync(partial, { force: true });
  const pages = Math.max(1, Math.floor(o.pagesPerStep ?? 1000));
  let head: AuditHead | null;
  try {
    let restarts = 0;
    let lastRemaining = Infinity;
    await store.db.backup(partial, {
      progress: ({ remainingPages }) => {
        // another connection (a worker) wrote: SQLite restarts the copy; give up if it keeps happening
        if (remainingPages > lastRemaining && ++restarts > 20) throw new BackupError('the database kept changing under the backup (20 restarts): try again when the pricing cycle has finished');
        lastRemaining = remainingPages;
        return pages;
      },
    });
    // same turn as the last copied page: the live head file is in step with the copy (see headForBackup)
    head = headForBackup(store.db, store.file, settle(partial, o.nativeBinding));
  } catch (e) {
    fs.rmSync(partial, { force: true });
    if (e instanceof BackupError) throw e;
    throw new BackupError(`the backup of ${store.file} into ${dir} failed: ${(e as Error).message}. Check the free space of that folder; the database itself is unchanged.`, { cause: e });
  }
  let integrity: IntegrityReport;
  try {
    ({ integrity } = await (o.inspect ?? ((f: string) => Promise.resolve(inspectBackupFile(f, o.nativeBinding))))(partial));
  } catch (e) {
    throw unopenable(partial, e);
  }
  refuseUnsound(partial, integrity);
  try {
    await zlibFile(partial, compressed, zlib.createGzip({ level: GZIP_LEVEL }));
  } catch (e) {
    throw notCompressed(partial, compressed, e);
  }
  return finish(store.dataDir, partial, compressed, file, reason, at, head, integrity, o, t0);
}

function notCompressed(partial: string, compressed: string, e: unknown): BackupError {
  fs.rmSync(partial, { force: true });
  fs.rmSync(compressed, { force: true });
  return new BackupError(`the backup could not be compressed into ${compressed}: ${(e as Error).message}. Check the free space of that folder; the database itself is unchanged.`, { cause: e });
}

function unopenable(partial: string, e: unknown): BackupError {
  fs.rmSync(partial, { force: true });
  return new BackupError(`the backup written to ${partial} cannot be opened: ${(e as Error).message}`, { cause: e });
}

/** Discards a copy that failed its integrity check. */
function refuseUnsound(partial: string, integrity: IntegrityReport): void {
  if (integrity.ok) return;
  fs.rmSync(partial, { force: true });
  throw new BackupError(`the backup failed its integrity check (${integrity.problems.slice(0, 2).join('; ')}): discarded. Run a full integrity check of the live database.`);
}

/** Puts a checked and compressed backup in place, with its head, drops the plain copy, and rotates. */
function finish(dataDir: string, partial: string, compressed: string, file: string, reason: BackupReason, at: string, head: AuditHead | null, integrity: IntegrityReport, o: { keep?: number }, t0: number): BackupResult {
  // the head first: a backup file is never without its head
  if (head) writeAuditHead(auditHeadPath(file), head);
  fs.renameSync(compressed, file);
  fs.rmSync(partial, { force: true });
  const rotatedOut = rotateBackups(dataDir, reason, o.keep ?? DEFAULT_KEEP[reason]);
  return {
    file, reason, at, bytes: fs.statSync(file).size, headFile: head ? auditHeadPath(file) : null,
    head, integrity, ms: performance.now() - t0, rotatedOut,
  };
}

/**
 * Before a migration: `VACUUM INTO` a backup (synchronous; nothing else runs while the store opens),
 * with the audit head beside it, checked and rotated like the others.
 */
export function backupBeforeMigrationSync(store: Omit<BackupSource, 'now'>, fromVersion: number, at: string, o: { keep?: number; nativeBinding?: string } = {}): BackupResult {
  const t0 = performance.now();
  const dir = backupsDir(store.dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, backupFileName('before-migration', at, fromVersion));
  sweepStaleBackupWork(store.dataDir);
  const { partial, compressed } = workFiles(file);
  fs.rmSync(partial, { force: true });
  let head: AuditHead | null;
  try {
    store.db.prepare('VACUUM INTO ?').run(partial);
    head = headForBackup(store.db, store.file, settle(partial, o.nativeBinding));
  } catch (e) {
    fs.rmSync(partial, { force: true });
    if (e instanceof BackupError) throw e;
    throw new BackupError(`the backup before migrating ${store.file} failed: ${(e as Error).message}. Nothing was migrated; free space in ${dir} and start again.`, { cause: e });
  }
  let integrity: IntegrityReport;
  try {
    ({ integrity } = inspectBackupFile(partial, o.nativeBinding));
  } catch (e) {
    throw unopenable(partial, e);
  }
  refuseUnsound(partial, integrity);
  try {
    gzipFileSync(partial, compressed);
  } catch (e) {
    throw notCompressed(partial, compressed, e);
  }
  return finish(store.dataDir, partial, compressed, file, 'before-migration', at, head, integrity, o, t0);
}

export interface BackupSchedule {
  /** takes a scheduled backup now (waits for one in progress) */
  runNow(): Promise<BackupResult>;
  /** the last scheduled backup, or its error */
  readonly last: { at: string; result: BackupResult | null; error: string | null } | null;
  /** stops the timer and waits for a backup in progress */
  stop(): Promise<void>;
}

export interface BackupScheduleOptions {
  intervalMs: number;
  keep?: number;
  pagesPerStep?: number;
  /** the first backup after this delay (default intervalMs) */
  firstAfterMs?: number;
  nativeBinding?: string;
  /** checks each written file (default: in this thread; see BackupInspector) */
  inspect?: BackupInspector;
  onBackup?: (r: BackupResult) => void;
  onError?: (e: Error) => void;
}

/** A backup every `intervalMs`, one at a time; a failure is reported and the next one is still scheduled. */
export function startBackupSchedule(store: BackupSource, o: BackupScheduleOptions): BackupSchedule {
  if (!(o.intervalMs >= 1_000 && o.intervalMs <= 2 ** 31 - 1)) throw new RangeError(`backup intervalMs must be from 1000 to ${2 ** 31 - 1} (about 24 days), got ${o.intervalMs}`);
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<BackupResult> | null = null;
  let stopped = false;
  let last: BackupSchedule['last'] = null;
  const take = (): Promise<BackupResult> => {
    if (running) return running;
    const at = store.now();
    const p = backupStore(store, { reason: 'scheduled', keep: o.keep, pagesPerStep: o.pagesPerStep, nativeBinding: o.nativeBinding, inspect: o.inspect, at });
    running = p.then((r) => { last = { at, result: r, error: null }; o.onBackup?.(r); return r; }, (e: Error) => { last = { at, result: null, error: e.message }; o.onError?.(e); throw e; })
      .finally(() => { running = null; });
    return running;
  };
  const arm = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => { void take().catch(() => undefined).finally(() => arm(o.intervalMs)); }, ms);
    timer.unref();
  };
  arm(o.firstAfterMs ?? o.intervalMs);
  return {
    runNow: take,
    get last() { return last; },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

export interface RestoreResult {
  restoredFrom: string;
  /** the database file now in place */
  file: string;
  /** where the replaced database, its WAL and head file were moved (null: there was none) */
  setAside: string | null;
  /** the backup's schema version (older ones are migrated at the next start, after another backup) */
  schemaVersion: number | undefined;
  head: AuditHead | null;
}

export class RestoreRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefusedError';
  }
}

/**
 * Restores a backup into the data folder. The workbench must be stopped (no process may have the
 * database open). Refuses, changing nothing, when the backup fails its full integrity check, was written
 * by a newer schema (or an edited migration), or its audit chain does not reach its head file.
 */
export async function restoreBackup(o: { dataDir: string; backup: string; dbFileName?: string; at?: string; migrations?: readonly Migration[]; nativeBinding?: string }): Promise<RestoreResult> {
  const backup = path.resolve(o.backup);
  if (!fs.existsSync(backup)) throw new RestoreRefusedError(`the backup ${backup} does not exist (listBackups shows the data folder's backups)`);
  // the database to put in place, checked there: a compressed backup is decompressed beside the store first
  // (the slow part), a plain one copied
  sweepStaleBackupWork(o.dataDir);
  const incoming = path.join(o.dataDir, `.restore-${process.pid}.sqlite`);
  try {
    if (isCompressed(backup)) await zlibFile(backup, incoming, zlib.createGunzip());
    else {
      fs.copyFileSync(backup, incoming);
      fsyncFile(incoming);
    }
  } catch (e) {
    fs.rmSync(incoming, { force: true });
    throw new RestoreRefusedError(`the backup ${backup} cannot be ${isCompressed(backup) ? 'decompressed' : 'copied'} into ${o.dataDir} (${(e as Error).message}); choose an older one, or free space there. Nothing was changed.`);
  }
  try {
    return putInPlace(o, backup, incoming);
  } finally {
    fs.rmSync(incoming, { force: true });
  }
}

function putInPlace(o: { dataDir: string; dbFileName?: string; at?: string; migrations?: readonly Migration[]; nativeBinding?: string }, backup: string, incoming: string): RestoreResult {
  const at = o.at ?? new Date().toISOString();
  let inspection: BackupInspection;
  try {
    inspection = inspectBackupFile(incoming, o.nativeBinding);
  } catch (e) {
    throw new RestoreRefusedError(`the backup ${backup} cannot be opened as a database (${(e as Error).message}); choose an older one. Nothing was changed.`);
  }
  const { integrity, tail, version } = inspection;
  if (!integrity.ok) throw new RestoreRefusedError(`the backup ${backup} failed its integrity check (${integrity.problems.slice(0, 2).join('; ')}); choose an older one. Nothing was changed.`);
  const check = new BetterSqlite3(incoming, { readonly: true, fileMustExist: true, nativeBinding: nativeBindingOf(o.nativeBinding) });
  try {
    checkMigrations(check, o.migrations ?? MIGRATIONS, backup);
  } catch (e) {
    if (e instanceof SchemaRefusedError) throw new RestoreRefusedError(`${e.message} Nothing was changed.`);
    throw e;
  } finally {
    check.close();
  }
  const headRead = readAuditHead(auditHeadPath(backup));
  let head: AuditHead | null = null;
  if (headRead.status === 'ok') {
    head = headRead.head;
    if (!tail || tail.seq < head.seq) throw new RestoreRefusedError(`the backup's audit log ends at row ${tail?.seq ?? 0} but its head file records row ${head.seq}: audit rows were deleted from the backup. Nothing was changed.`);
    if (tail.seq === head.seq && tail.hash !== head.hash) throw new RestoreRefusedError(`the backup's audit row ${head.seq} no longer has the hash its head file records: the backup was edited. Nothing was changed.`);
  } else if (headRead.status === 'unreadable') {
    throw new RestoreRefusedError(`the backup's audit head file cannot be read (${headRead.error}). Nothing was changed.`);
  } else if (tail) {
    throw new RestoreRefusedError(`the backup has ${tail.seq} audit row(s) but no head file beside it (${auditHeadPath(backup)}), so deleted rows could not be detected. Nothing was changed.`);
  }

  const dbFile = path.join(o.dataDir, o.dbFileName ?? 'dfae.sqlite');
  const live = [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, auditHeadPath(dbFile)].filter((f) => fs.existsSync(f));
  let setAside: string | null = null;
  // the copy is made and checked (the slow part): swap by renames
  if (live.length) {
    setAside = path.join(backupsDir(o.dataDir), `replaced-${stamp(at)}`);
    fs.mkdirSync(setAside, { recursive: true });
    for (const f of live) fs.renameSync(f, path.join(setAside, path.basename(f)));
  }
  fs.renameSync(incoming, dbFile);
  if (head) writeAuditHead(auditHeadPath(dbFile), head);
  return { restoredFrom: backup, file: dbFile, setAside, schemaVersion: version, head };
}
