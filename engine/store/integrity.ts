/**
 * SQLite's own integrity checks, reported in one shape: `PRAGMA quick_check` at every start (a few
 * seconds on a multi-GB database: b-trees, page accounting, NOT NULL and CHECK constraints), and the
 * full `PRAGMA integrity_check` (indexes against their tables too) plus `PRAGMA foreign_key_check` on
 * demand and on every backup before it is kept or restored.
 */
import type { Database } from 'better-sqlite3';

export type IntegrityMode = 'quick' | 'full';

export interface IntegrityReport {
  ok: boolean;
  mode: IntegrityMode;
  /** the database file checked */
  file: string;
  /** SQLite's messages (at most `maxProblems`), empty when ok */
  problems: string[];
  ms: number;
}

/** At most this many messages are asked of SQLite and kept. */
export const MAX_PROBLEMS = 50;

/**
 * Runs the check. A file SQLite cannot even read (not a database, header destroyed) is reported as a
 * failed check with SQLite's error, never thrown.
 */
export function checkIntegrity(db: Database, file: string, mode: IntegrityMode = 'quick', maxProblems = MAX_PROBLEMS): IntegrityReport {
  const t0 = performance.now();
  const problems: string[] = [];
  try {
    const pragma = mode === 'quick' ? 'quick_check' : 'integrity_check';
    const rows = db.pragma(`${pragma}(${Math.max(1, Math.floor(maxProblems))})`) as Record<string, string>[];
    for (const r of rows) {
      const msg = Object.values(r)[0];
      if (msg !== undefined && msg !== 'ok') problems.push(String(msg));
    }
    if (mode === 'full' && problems.length === 0) {
      const fk = db.pragma('foreign_key_check') as { table: string; rowid: number | null; parent: string; fkid: number }[];
      for (const r of fk.slice(0, maxProblems)) problems.push(`foreign key: ${r.rowid !== null ? `row ${r.rowid}` : 'a row'} of ${r.table} refers to a missing row of ${r.parent}`);
      if (fk.length > maxProblems) problems.push(`… and ${fk.length - maxProblems} more rows with missing foreign-key parents`);
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    problems.push(`SQLite could not read the database${code ? ` (${code})` : ''}: ${(e as Error).message}`);
  }
  return { ok: problems.length === 0, mode, file, problems, ms: performance.now() - t0 };
}

/** Thrown when the store refuses to open a database that failed its integrity check. */
export class StoreIntegrityError extends Error {
  readonly code = 'integrity_failed' as const;
  constructor(readonly report: IntegrityReport, readonly newestBackup: { file: string; at: string } | null) {
    super(integrityFailureMessage(report, newestBackup));
    this.name = 'StoreIntegrityError';
  }
}

/** What failed, where, and what to do: the restore path when a backup exists. */
export function integrityFailureMessage(report: IntegrityReport, newestBackup: { file: string; at: string } | null): string {
  const shown = report.problems.slice(0, 3).join('; ');
  const more = report.problems.length > 3 ? ` (and ${report.problems.length - 3} more)` : '';
  const what = report.mode === 'quick' ? 'PRAGMA quick_check' : 'PRAGMA integrity_check';
  const todo = newestBackup
    ? `Stop the workbench and restore the newest backup (${newestBackup.file}, taken ${newestBackup.at}) with restoreBackup / \`dfae restore\`; the damaged file is kept aside, not deleted.`
    : 'No backup exists in the data folder\'s backups/ folder: move the file aside (the workbench then starts empty and re-syncs its feeds) or repair it with the sqlite3 shell\'s .recover.';
  return `The database ${report.file} failed its integrity check (${what}): ${shown}${more}. Nothing was written to it. ${todo}`;
}

export type StoreWriteProblem = 'disk_full' | 'read_only' | 'io_error' | 'busy';

/** A write the store could not make for a reason of the machine, not of the data: nothing of it was kept. */
export class StoreWriteError extends Error {
  constructor(readonly code: StoreWriteProblem, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreWriteError';
  }
}

const WHY: Record<StoreWriteProblem, string> = {
  disk_full: 'the database is full (its disk, or its size limit, has no room left). Free disk space and try again',
  read_only: 'the database is read-only (the file, its folder or its disk is write-protected, or it was opened read-only). Make it writable and try again; reading still works',
  io_error: 'the disk reported an I/O error. Check the disk, then run a full integrity check',
  busy: 'another process kept the database locked. Close the other DFAE Workbench (or dfae command) using this data folder and try again',
};

/**
 * Recognises SQLite's errors for a write the machine refused (SQLITE_FULL, SQLITE_READONLY*,
 * SQLITE_IOERR*, SQLITE_BUSY*) and says so clearly for `what` ("the pss bookings page", "users.create");
 * null for anything else (constraint failures are the data's fault and handled where they occur).
 */
export function storeWriteError(e: unknown, what: string): StoreWriteError | null {
  if (e instanceof StoreWriteError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const kind: StoreWriteProblem | null = code === 'SQLITE_FULL' ? 'disk_full'
    : code.startsWith('SQLITE_READONLY') ? 'read_only'
      : code.startsWith('SQLITE_IOERR') ? 'io_error'
        : code.startsWith('SQLITE_BUSY') ? 'busy' : null;
  if (!kind) return null;
  return new StoreWriteError(kind, `${what} was not saved, nothing of it was kept: ${WHY[kind]} (SQLite: ${(e as Error).message}).`, { cause: e });
}
