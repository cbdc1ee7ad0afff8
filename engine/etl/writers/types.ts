import type { Database } from 'better-sqlite3';
import type { FeedRecordKind, FeedRecordKinds, SnapshotScope } from '../../ports/records';

/** Writes one record; throws RecordRefused (or a SQLite constraint error) when the store refuses it. */
export type RecordWrite<K extends FeedRecordKind> = (item: FeedRecordKinds[K]) => void;

export interface KindWriter<K extends FeedRecordKind> {
  /** prepares statements once per store */
  prepare(db: Database, now: () => string): {
    write: RecordWrite<K>;
    /** for snapshot pages: removes records of the scope that the page did not contain */
    finishSnapshot?(scope: SnapshotScope, keptKeys: Set<string>): number;
    /** the key of an item within a snapshot */
    keyOf?(item: FeedRecordKinds[K]): string;
  };
}

/** A record the store refuses for a reason it can name (e.g. an unknown flight). */
export class RecordRefused extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'RecordRefused';
  }
}
