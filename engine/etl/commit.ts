/**
 * The engine side of `SyncContext.commit`: one page (records, quarantined records, cursor) in one
 * SQLite transaction. Records the store refuses (unknown flight, constraint) are quarantined with the
 * reason, and the rest of the page lands.
 */
import type { Database } from 'better-sqlite3';
import type { FeedName } from '../domain/types';
import type { CommitResult, QuarantinedRecord, SyncPage } from '../ports/feed-sync';
import type { FeedRecordKind, FeedRecordKinds } from '../ports/records';
import { WRITERS } from './writers/index';
import { RecordRefused, type KindWriter } from './writers/types';

type Prepared = ReturnType<KindWriter<FeedRecordKind>['prepare']>;

export interface PageCommitter {
  commit(runId: number, page: SyncPage): CommitResult;
  getCursor(stream: string): string | undefined;
}

/** SQLite errors caused by the record itself: constraints (NOT NULL, CHECK, foreign key, STRICT types), mismatch, too big. */
function isRecordError(code: unknown): boolean {
  return typeof code === 'string' && (code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG');
}

function constraintField(message: string): string | undefined {
  const m = /constraint failed: \w+\.(\w+)/.exec(message);
  return m?.[1];
}

export function createPageCommitter(db: Database, feed: FeedName, now: () => string): PageCommitter {
  const prepared = new Map<FeedRecordKind, Prepared>();
  const quarantine = db.prepare(`INSERT INTO quarantine (feed, feed_run_id, source, location, field, reason, payload, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const setCursor = db.prepare(`INSERT INTO feed_cursors (feed, stream, cursor, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (feed, stream) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`);
  const getCursor = db.prepare('SELECT cursor FROM feed_cursors WHERE feed = ? AND stream = ?').pluck();

  function writerFor(kind: FeedRecordKind): Prepared {
    let p = prepared.get(kind);
    if (!p) {
      const w = WRITERS[kind] as KindWriter<FeedRecordKind> | undefined;
      if (!w) throw new Error(`the store has no table for "${kind}" records yet`);
      p = w.prepare(db, now);
      prepared.set(kind, p);
    }
    return p;
  }

  function keep(runId: number, q: QuarantinedRecord): void {
    let payload: string;
    try { payload = typeof q.payload === 'string' ? q.payload : JSON.stringify(q.payload) ?? 'null'; } catch { payload = String(q.payload); }
    quarantine.run(feed, runId, q.source, q.location, q.field ?? null, q.reason, payload, now());
  }

  const commitTx = db.transaction((runId: number, page: SyncPage): CommitResult => {
    const { kind, items, snapshot } = page.records;
    const w = writerFor(kind);
    let written = 0;
    let refused = 0;
    const kept = snapshot ? new Set<string>() : undefined;
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as FeedRecordKinds[FeedRecordKind];
      try {
        w.write(item as never);
        written++;
        if (kept && w.keyOf) kept.add(w.keyOf(item as never));
      } catch (e) {
        const message = (e as Error).message;
        // only the record's own fault is quarantined; a full disk, a read-only file or an I/O error aborts the page
        if (!(e instanceof RecordRefused) && !isRecordError((e as { code?: unknown }).code)) throw e;
        refused++;
        keep(runId, {
          source: `${feed} ${page.stream}`, location: `item ${i + 1} of ${items.length}`,
          field: e instanceof RecordRefused ? e.field : constraintField(message),
          reason: e instanceof RecordRefused ? message : `the store refused the record: ${message}`,
          payload: item,
        });
      }
    }
    if (snapshot) {
      if (!w.finishSnapshot || !kept) throw new Error(`"${kind}" records cannot be delivered as a snapshot`);
      w.finishSnapshot(snapshot, kept);
    }
    for (const q of page.quarantined) keep(runId, q);
    if (page.cursor !== undefined) setCursor.run(feed, page.stream, page.cursor, now());
    return { written, quarantined: refused };
  });

  return {
    commit: (runId, page) => commitTx(runId, page),
    getCursor: (stream) => getCursor.get(feed, stream) as string | undefined,
  };
}
