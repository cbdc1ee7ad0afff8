import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations/index';

export class SchemaRefusedError extends Error {
  readonly code: 'schema_newer' | 'migration_edited' | 'migration_unknown';
  constructor(code: SchemaRefusedError['code'], message: string) {
    super(message);
    this.name = 'SchemaRefusedError';
    this.code = code;
  }
}

export function migrationHash(m: Migration): string {
  return createHash('sha256').update(m.sql).digest('hex');
}

interface AppliedRow {
  version: number;
  name: string;
  hash: string;
  applied_at: string;
}

const LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  hash TEXT NOT NULL,
  applied_at TEXT NOT NULL
) STRICT`;

function ledgerExists(db: Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
}

/** Reads what was applied and checks it against what this build knows, without writing anything. */
export function checkMigrations(db: Database, known: readonly Migration[], file: string): { pending: Migration[]; applied: number; version: number } {
  const applied: AppliedRow[] = ledgerExists(db)
    ? (db.prepare('SELECT version, name, hash, applied_at FROM schema_migrations ORDER BY version').all() as AppliedRow[])
    : [];
  const byVersion = new Map(known.map((m) => [m.version, m]));
  const newest = known.reduce((v, m) => Math.max(v, m.version), 0);
  for (const row of applied) {
    if (row.version > newest) {
      throw new SchemaRefusedError('schema_newer',
        `The database ${file} has schema version ${row.version} ("${row.name}", applied ${row.applied_at}), newer than this app knows (${newest}). ` +
        'Install the newer DFAE Workbench that wrote it, or point --data-dir elsewhere. The database was left untouched.');
    }
    const m = byVersion.get(row.version);
    if (!m) {
      throw new SchemaRefusedError('migration_unknown',
        `The database ${file} records migration ${row.version} ("${row.name}") that this app does not have. The database was left untouched.`);
    }
    const hash = migrationHash(m);
    if (hash !== row.hash) {
      throw new SchemaRefusedError('migration_edited',
        `Migration ${row.version} ("${row.name}") was changed after it was applied to ${file}: recorded hash ${row.hash.slice(0, 12)}…, ` +
        `this build's ${hash.slice(0, 12)}…. Restore the original migration (add a new one for changes). The database was left untouched.`);
    }
  }
  const done = new Set(applied.map((r) => r.version));
  // applied: how many; version: the newest applied (versions need not be contiguous: 7 was never released)
  return { pending: known.filter((m) => !done.has(m.version)).sort((a, b) => a.version - b.version), applied: applied.length, version: applied.reduce((v, r) => Math.max(v, r.version), 0) };
}

/** Applies pending migrations, each in its own transaction, after the checks pass. */
export function applyMigrations(db: Database, pending: readonly Migration[], now: () => string): number[] {
  db.exec(LEDGER);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, hash, applied_at) VALUES (?, ?, ?, ?)');
  const applied: number[] = [];
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, migrationHash(m), now());
    })();
    applied.push(m.version);
  }
  return applied;
}
