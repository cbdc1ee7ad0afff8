/**
 * The store: one SQLite database file in the user's data folder, opened with WAL, foreign keys on and
 * STRICT tables, migrated by numbered migrations recorded with their content hash. Every open runs
 * `PRAGMA quick_check` first (integrity.ts) and refuses a damaged file, naming the newest backup;
 * a migration is preceded by a checked backup with the audit head beside it (backup.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations/index';
import { applyMigrations, checkMigrations } from './migrate';
import { systemClock, type Clock } from '../domain/time';
import { checkIntegrity, StoreIntegrityError, type IntegrityMode, type IntegrityReport } from './integrity';
import { backupBeforeMigrationSync, listBackups } from './backup';
import { nativeBindingOf } from './nativeBinding';

export type { Database } from 'better-sqlite3';

export const DB_FILE_NAME = 'dfae.sqlite';

export interface OpenStoreOptions {
  /** the data folder; the database is <dataDir>/dfae.sqlite */
  dataDir: string;
  clock?: Clock;
  /** for tests of the refusal paths */
  migrations?: readonly Migration[];
  /**
   * better-sqlite3 native binding: default nativeBinding.ts's environment variable (npm start sets it to the
   * Electron-ABI build for the desktop app, whose worker threads inherit it), else the package's own
   */
  nativeBinding?: string;
  readonly?: boolean;
  /** told of long work at open before it starts (the backup before a migration), for the host's log */
  onNotice?: (message: string) => void;
  /** called with each statement slower than slowQueryMs */
  onSlowQuery?: (sql: string, ms: number) => void;
  slowQueryMs?: number;
  /**
   * the check at open: 'quick' (PRAGMA quick_check), 'full' (PRAGMA integrity_check) or 'off'. Default:
   * 'quick' on the main thread; 'off' in worker threads (pricing, cycle stages), whose host checked the
   * database when it opened it
   */
  integrityCheck?: IntegrityMode | 'off';
  /** bytes of the file read through a memory map (PRAGMA mmap_size); default MMAP_BYTES, 0 for none */
  mmapBytes?: number;
}

/**
 * pages of write-ahead log after which the host's connection copies the log into the database (SQLite's
 * default: 1,000); a backstop behind the checkpoint thread (store/checkpoints.ts), see openStore
 */
export const HOST_WAL_AUTOCHECKPOINT_PAGES = 50_000;


/**
 * The first 2 GiB of the file (SQLite's largest map in this build) are read through a memory map
 * instead of a read call per page: on a 3 GB store, aggregating a column over 382,141 proposals read
 * through an index (the review's market summary) took 546 → 207 ms, and quick_check 3.8 → 2.8 s.
 * Writes still go through the WAL. The usual caveat of memory maps applies: a failing disk under the
 * file is a crash rather than an error (as it would be for the rest of the program's files).
 */
const MMAP_BYTES = 2 ** 31;

export interface Store {
  readonly db: Database;
  readonly file: string;
  readonly dataDir: string;
  readonly clock: Clock;
  /** ISO instant of the injected clock */
  now(): string;
  /** migrations applied by this open (empty when the schema was current) */
  readonly migrated: number[];
  /** backup file written before migrating, if any */
  readonly backupFile?: string;
  /** the integrity check run at open (null when switched off) */
  readonly integrity: IntegrityReport | null;
  /** runs an integrity check now: 'full' for the whole PRAGMA integrity_check and foreign keys */
  checkIntegrity(mode?: IntegrityMode): IntegrityReport;
  close(): void;
}

/** Resolves the data folder: explicit option, then DFAE_DATA_DIR, then the platform's user data folder. */
export function resolveDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform, home = env.HOME ?? env.USERPROFILE ?? '.'): string {
  if (explicit) return path.resolve(explicit);
  if (env.DFAE_DATA_DIR) return path.resolve(env.DFAE_DATA_DIR);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'DFAE Workbench');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'DFAE Workbench');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'dfae-workbench');
}

export function openStore(opts: OpenStoreOptions): Store {
  const clock = opts.clock ?? systemClock;
  const now = () => clock.now().toISOString();
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const file = path.join(opts.dataDir, DB_FILE_NAME);
  const slowMs = opts.slowQueryMs ?? 200;
  const nativeBinding = nativeBindingOf(opts.nativeBinding);
  const db = new BetterSqlite3(file, {
    nativeBinding,
    readonly: opts.readonly ?? false,
    verbose: undefined,
  });
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.pragma(`mmap_size = ${Math.max(0, Math.floor(opts.mmapBytes ?? MMAP_BYTES))}`);
    const mode = opts.integrityCheck ?? (isMainThread ? 'quick' : 'off');
    const integrity = mode === 'off' ? null : checkIntegrity(db, file, mode);
    if (integrity && !integrity.ok) {
      const newest = listBackups(opts.dataDir)[0];
      throw new StoreIntegrityError(integrity, newest ? { file: newest.file, at: newest.at } : null);
    }
    const known = opts.migrations ?? MIGRATIONS;
    // check before anything writes (even the WAL switch rewrites the header)
    const { pending, applied, version } = checkMigrations(db, known, file);
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // the host's connection writes the feeds: a store of a year of bookings is gigabytes whose keys
      // (booking ids) arrive in random order, and 16 MiB of page cache re-reads their index pages on every
      // page of events. 256 MiB (taken only as pages are read): about 20 % less time a booking event on a
      // 750 MB store (75 → 58 µs; `npm run web`'s first sync of the sandbox's history)
      if (isMainThread) db.pragma('cache_size = -262144');
      // the same connection copies the log into the database when it passes wal_autocheckpoint pages, at
      // the end of the commit that passed it. Booking ids and flights arrive in random order, so a page of
      // 1,000 booking events rewrites about 2,000 index and table pages, each a 4 KB frame of log; a
      // checkpoint copies every page the log holds, once. At SQLite's 1,000 pages (4 MB) nearly every commit
      // paid for a copy of the pages it had rewritten, and rewrote them again the commit after. 10,000 pages
      // (40 MB; stop 22): the ingest benchmark's 414,464 events 5.19-5.23 -> 4.84-4.89 s. A larger log
      // holds the hot pages of a growing store several times over before they are copied, but the commit
      // that copies them holds the host's thread longer. The first sync of the sandbox's history (9.3
      // million PSS records) and the longest wait of the host's event loop during it (stop 25):
      //   10,000 pages: 282.0 and 302.2 s, waits up to 0.15 s (p99.9)
      //   50,000 pages (200 MB of log at most, removed when the store closes): 244.2 s, up to 0.46 s
      //   100,000 pages: 210.6 and 220.8 s, up to 0.54 s (0.85 s in a cycle's auto-approval)
      // 50,000 keeps most of the gain while a request waits at most about half a second.
      // Since stop 30 the backend's checkpoint thread (store/checkpoints.ts) copies the log as it grows, so
      // this is a backstop: a commit that passes it copies only what the thread has not (a few pages).
      if (isMainThread) db.pragma(`wal_autocheckpoint = ${HOST_WAL_AUTOCHECKPOINT_PAGES}`);
    }
    let backupFile: string | undefined;
    if (pending.length > 0 && applied > 0 && !opts.readonly) {
      const gb = (fs.statSync(file).size / 1e9).toFixed(1);
      opts.onNotice?.(`backing up the store (${gb} GB) before migrating it to version ${pending.at(-1)!.version}: ${file} → ${path.join(opts.dataDir, 'backups')}; a large store takes minutes`);
      // named by the schema version it holds (not the count of migrations: versions skip 7)
      backupFile = backupBeforeMigrationSync({ db, file, dataDir: opts.dataDir }, version, now(), { nativeBinding }).file;
    }
    const migrated = pending.length > 0 && !opts.readonly ? applyMigrations(db, pending, now) : [];
    if (opts.onSlowQuery) instrumentSlowQueries(db, slowMs, opts.onSlowQuery);
    return {
      db, file, dataDir: opts.dataDir, clock, now, migrated, backupFile, integrity,
      checkIntegrity: (m: IntegrityMode = 'full') => checkIntegrity(db, file, m),
      close: () => { if (db.open) db.close(); },
    };
  } catch (e) {
    db.close();
    throw e;
  }
}

function instrumentSlowQueries(db: Database, slowMs: number, onSlow: (sql: string, ms: number) => void): void {
  const prepare = db.prepare.bind(db);
  (db as unknown as { prepare: typeof db.prepare }).prepare = ((source: string) => {
    const stmt = prepare(source);
    for (const method of ['run', 'get', 'all'] as const) {
      const orig = (stmt[method] as (...a: unknown[]) => unknown).bind(stmt);
      (stmt as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        const t0 = performance.now();
        try { return orig(...args); } finally {
          const ms = performance.now() - t0;
          if (ms >= slowMs) onSlow(source, ms);
        }
      };
    }
    return stmt;
  }) as typeof db.prepare;
}
