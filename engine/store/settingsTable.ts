/** The `settings` table: one JSON document per key (pricing, schedules, thresholds, retention, …). */
import type { Database } from 'better-sqlite3';

/** The document stored under `key`, or `fallback` when none is. */
export function readSetting<T>(db: Database, key: string, fallback: T): T {
  const v = db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
  return v === undefined ? fallback : JSON.parse(v) as T;
}

/** Stores `value` under `key`, replacing what was there. */
export function writeSetting(db: Database, key: string, value: unknown, at: string): void {
  db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
    .run(key, JSON.stringify(value), at);
}
