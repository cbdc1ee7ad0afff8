/**
 * The audit trail: every transition of a decision (and every change to users, rules and alerts) is one
 * append-only row — who, when, from, to, why — whose hash covers its content and the previous row's
 * hash. Triggers refuse UPDATE and DELETE (retention.ts may delete only rows an archive anchor
 * covers); the chain's head is also written to a file beside the database after each commit, so editing
 * or deleting any row, the last ones included, is detected by `verify()` at start.
 */
import { hash as oneShotHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Clock } from '../domain/time';
import type { AuditEntity } from '../domain/audit';
import { readAuditHead, writeAuditHead, type AuditHead, type HeadRead } from './auditHead';

export type { AuditEntity };

export interface AuditEntry {
  actor: string;
  entity: AuditEntity;
  entityId: string | number;
  from: string | null;
  to: string;
  reason: string;
  detail?: Record<string, unknown>;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  entity: AuditEntity;
  entityId: string;
  from: string | null;
  to: string;
  reason: string;
  detail: Record<string, unknown>;
  hash: string;
}

export type AuditProblemKind =
  | 'row_edited' | 'chain_broken' | 'sequence_gap' | 'tail_missing' | 'head_mismatch'
  | 'head_file_missing' | 'head_file_unreadable' | 'append_guard_missing' | 'head_behind';

export interface AuditProblem {
  kind: AuditProblemKind;
  seq: number | null;
  message: string;
}

export interface AuditVerification {
  /** false when any row was edited, deleted or inserted, or the guards are gone */
  ok: boolean;
  rows: number;
  /** rows before the first one checked, moved to archive files (retention) under an anchor */
  archivedRows: number;
  head: AuditHead | null;
  fileHead: AuditHead | null;
  problems: AuditProblem[];
  checkedAt: string;
  ms: number;
}

export const GENESIS_HASH = '0'.repeat(64);
/** Problems that are not evidence of tampering on their own. */
const NOTES: ReadonlySet<AuditProblemKind> = new Set(['head_behind', 'head_file_missing']);
const MAX_PROBLEMS = 100;

/**
 * What one verification covers: the head file as read and the chain's last row at that moment, taken
 * together on the writing thread, so a verification running beside new commits (in a worker) checks
 * exactly the rows the head file can speak for, and rows written meanwhile are left to the next one.
 */
export interface VerifyScope {
  headRead: HeadRead;
  /** the last row to check (null: the chain is empty) */
  upToSeq: number | null;
}

/** Rows read per statement while verifying (arrays, not objects: a long chain is millions of rows). */
const VERIFY_PAGE = 20_000;

interface DbRow {
  seq: number; at: string; actor: string; entity: string; entity_id: string; from_state: string | null; to_state: string;
  reason: string; detail: string; hash: string;
}

/** sha256 over the previous row's hash, a newline and the row's fields as a JSON array (one call: no hash object per row). */
function chainHash(prevHash: string, fields: readonly unknown[]): string {
  return oneShotHash('sha256', `${prevHash}\n${JSON.stringify(fields)}`);
}

/**
 * Whether a raw audit row (the columns seq … detail, prev_hash, hash, as archive files keep them)
 * follows `prevHash` and hashes as written.
 */
export function rawRowVerifies(prevHash: string, r: readonly unknown[]): boolean {
  return r[9] === prevHash && chainHash(prevHash, r.slice(0, 9)) === r[10];
}

/** An audit row as the store reads it raw (seq … detail, hash) as an archive file's line keeps it: with the previous row's hash before its own. */
export function archiveLine(prevHash: string, r: readonly unknown[]): unknown[] {
  return [...r.slice(0, 9), prevHash, r[9]];
}

/** The columns of an audit row read raw: seq … detail, hash (`archiveLine` adds the previous hash). */
export const AUDIT_RAW_COLUMNS = 'seq, at, actor, entity, entity_id, from_state, to_state, reason, detail, hash';

/** The hash of row `seq` as its archive anchor recorded it (retention moved the row out), if one did. */
export function archiveAnchor(db: Database, seq: number): string | undefined {
  return db.prepare('SELECT through_hash FROM audit_archives WHERE through_seq = ?').pluck().get(seq) as string | undefined;
}

export function rowHash(prevHash: string, r: { seq: number; at: string; actor: string; entity: string; entityId: string; from: string | null; to: string; reason: string; detail: string }): string {
  return chainHash(prevHash, [r.seq, r.at, r.actor, r.entity, r.entityId, r.from, r.to, r.reason, r.detail]);
}

export class AuditLog {
  private depth = 0;
  /** the chain's last row while inside `tx` (reset when it ends, committed or not) */
  private last: { seq: number; hash: string } | null = null;
  /** bulk work in progress that writes the head file at most once a second (deferHeadWrites) */
  private deferring = 0;
  private headDirty = false;
  private headWrittenAt = -Infinity;
  private headMaxLagMs = 1_000;
  private readonly lastStmt;
  private readonly insertStmt;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    /** the head file beside the database; null keeps the head only in the database (tests of the chain alone) */
    readonly headFile: string | null,
  ) {
    this.lastStmt = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.insertStmt = db.prepare(`INSERT INTO audit_log (seq, at, actor, entity, entity_id, from_state, to_state, reason, detail, hash)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  /**
   * Runs `fn` in an IMMEDIATE transaction (nested calls join the outer one) and, after the outermost
   * commit, writes the chain's head file.
   */
  tx<T>(fn: () => T): T {
    if (this.depth > 0 || this.db.inTransaction) {
      this.depth++;
      try { return fn(); } finally { if (--this.depth === 0) this.last = null; }
    }
    this.last = null;
    this.depth++;
    let result: T;
    try {
      result = this.db.transaction(fn).immediate();
    } finally {
      this.depth--;
      this.last = null;
    }
    if (this.deferring > 0 && performance.now() - this.headWrittenAt < this.headMaxLagMs) this.headDirty = true;
    else this.writeHead();
    return result;
  }

  /**
   * Runs bulk work made of many transactions (a bulk approval in slices, a cycle's proposals) writing
   * the head file at most once every `maxLagMs` (default a second) meanwhile and once at the end,
   * instead of after every commit (each write is an fsync). If the process stops in between, the head
   * file is behind the database: verify() reports that as a note (head_behind), not as tampering.
   */
  async deferHeadWrites<T>(fn: () => Promise<T>, maxLagMs = 1_000): Promise<T> {
    if (this.deferring === 0) this.headMaxLagMs = maxLagMs;
    this.deferring++;
    try {
      return await fn();
    } finally {
      if (--this.deferring === 0 && this.headDirty) this.writeHead();
    }
  }

  /** Appends rows to the chain; must run inside a transaction (use `tx`). */
  append(entries: readonly AuditEntry[], at: string = this.clock.now().toISOString()): void {
    if (entries.length === 0) return;
    if (!this.db.inTransaction) throw new Error('AuditLog.append must run inside a transaction (AuditLog.tx) so the chain and the change commit together');
    const last = (this.depth > 0 ? this.last : null) ?? (this.lastStmt.get() as { seq: number; hash: string } | undefined);
    let seq = last?.seq ?? 0;
    let prev = last?.hash ?? GENESIS_HASH;
    for (const e of entries) {
      seq++;
      const row = { seq, at, actor: e.actor, entity: e.entity, entityId: String(e.entityId), from: e.from, to: e.to, reason: e.reason, detail: JSON.stringify(e.detail ?? {}) };
      const hash = rowHash(prev, row);
      this.insertStmt.run(seq, at, row.actor, row.entity, row.entityId, row.from, row.to, row.reason, row.detail, hash);
      prev = hash;
    }
    if (this.depth > 0) this.last = { seq, hash: prev };
  }

  head(): AuditHead | null {
    const r = this.db.prepare('SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1').get() as AuditHead | undefined;
    return r ?? null;
  }

  /** Writes the database's current head to the head file (after a commit; also after a clean verification). */
  writeHead(): void {
    this.headDirty = false;
    this.headWrittenAt = performance.now();
    if (!this.headFile) return;
    const h = this.head();
    if (h) writeAuditHead(this.headFile, h);
  }

  history(entity: AuditEntity, entityId: string | number): AuditRow[] {
    return (this.db.prepare('SELECT * FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY seq').all(entity, String(entityId)) as DbRow[]).map(toRow);
  }

  search(q: { entity?: AuditEntity; actor?: string; text?: string; fromSeq?: number; limit: number }): AuditRow[] {
    const where: string[] = [];
    const p: Record<string, unknown> = { limit: q.limit };
    if (q.entity) { where.push('entity = @entity'); p.entity = q.entity; }
    if (q.actor) { where.push('actor = @actor'); p.actor = q.actor; }
    if (q.text) { where.push("(reason LIKE @text ESCAPE '\\' OR entity_id = @raw)"); p.text = `%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`; p.raw = q.text; }
    if (q.fromSeq !== undefined) { where.push('seq < @fromSeq'); p.fromSeq = q.fromSeq; }
    return (this.db.prepare(`SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`).all(p) as DbRow[]).map(toRow);
  }

  /** The head file and the chain's last row, now: what a verification started now covers. */
  scope(): VerifyScope {
    const last = this.lastStmt.get() as { seq: number } | undefined;
    return { headRead: readAuditHead(this.headFile ?? ''), upToSeq: last?.seq ?? null };
  }

  /**
   * Recomputes the chain up to the scope's last row and compares its end with the head file. An edited
   * row breaks its own hash; a deleted or inserted row breaks the link or the sequence; deleted last
   * rows leave the head file ahead of the database; a rewritten chain no longer matches the head file's
   * hash. A clean verification brings a missing or lagging head file up to date unless `writeHead` is
   * false (a worker's read-only connection: the writing thread does it).
   */
  verify(scope: VerifyScope = this.scope(), o: { writeHead?: boolean } = {}): AuditVerification {
    const t0 = performance.now();
    const problems: AuditProblem[] = [];
    const add = (kind: AuditProblemKind, seq: number | null, message: string) => { if (problems.length < MAX_PROBLEMS) problems.push({ kind, seq, message }); };
    for (const t of ['audit_log_no_update', 'audit_log_no_delete']) {
      if (!this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?").get(t)) {
        add('append_guard_missing', null, `the trigger ${t} that keeps the audit log append-only is missing: someone changed the schema`);
      }
    }
    let expected = 1;
    let prev = GENESIS_HASH;
    let archivedThrough = 0;
    let rows = 0;
    let last: AuditHead | null = null;
    let hashAtFileHead: string | undefined;
    const read = scope.headRead;
    const fileHead = read.status === 'ok' ? read.head : null;
    const upTo = scope.upToSeq ?? 0;
    const page = this.db.prepare(`SELECT ${AUDIT_RAW_COLUMNS} FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ${VERIFY_PAGE}`).raw();
    // one read transaction: the pages see one state of the chain
    this.db.transaction(() => {
      // rows moved to an archive (retention): the chain left here starts after its anchor
      const first = this.db.prepare('SELECT min(seq) FROM audit_log').pluck().get() as number | null;
      if (first !== null && first > 1) {
        const anchor = archiveAnchor(this.db, first - 1);
        if (anchor === undefined) add('sequence_gap', first, `audit rows 1..${first - 1} are missing (deleted) and no archive anchor covers them`);
        else { prev = anchor; archivedThrough = first - 1; }
        expected = first;
      }
      for (let after = -Infinity; ;) {
        const batch = page.all(after, upTo) as unknown[][];
        for (const r of batch) {
          const seq = r[0] as number;
          rows++;
          const gap = seq !== expected;
          if (gap) add('sequence_gap', seq, `audit rows ${expected}..${seq - 1} are missing (deleted) before row ${seq}`);
          // the row's hash covers the hash of the row before it: after a gap it cannot match
          if (chainHash(prev, r.slice(0, 9)) !== r[9]) {
            if (gap) add('chain_broken', seq, `row ${seq} does not link to the row before it: a row before it was deleted, inserted or rewritten`);
            else add('row_edited', seq, `row ${seq} (${r[3] as string} ${r[4] as string}, ${(r[5] as string | null) ?? '∅'} → ${r[6] as string}) does not match its hash: it was edited after it was written, or the row before it was rewritten with a new hash`);
          }
          if (fileHead && seq === fileHead.seq) hashAtFileHead = r[9] as string;
          prev = r[9] as string;
          expected = seq + 1;
          last = { seq, hash: prev, at: r[1] as string };
        }
        if (batch.length < VERIFY_PAGE) break;
        after = expected - 1;
      }
    })();
    const end = last as AuditHead | null;
    if (!this.headFile) {
      // chain-only verification
    } else if (read.status === 'missing') {
      if (rows > 0) add('head_file_missing', null, `the audit head file ${this.headFile} is missing, so deletion of the last rows cannot be ruled out; a new one was written`);
    } else if (read.status === 'unreadable') {
      add('head_file_unreadable', null, `the audit head file ${this.headFile} cannot be read: ${read.error}`);
    } else {
      const f = read.head;
      if (!end || f.seq > end.seq) {
        add('tail_missing', end?.seq ?? 0, `the head file records row ${f.seq} but the database ends at row ${end?.seq ?? 0}: the last ${f.seq - (end?.seq ?? 0)} audit row(s) were deleted`);
      } else if (f.seq > 0 && f.seq <= archivedThrough) {
        // the head file names a row archived since (it lagged behind the last commits): its anchor speaks for it
        const anchored = archiveAnchor(this.db, f.seq);
        if (anchored !== undefined && anchored !== f.hash) add('head_mismatch', f.seq, `archived row ${f.seq} had another hash than the head file recorded: the chain was rewritten`);
        else add('head_behind', f.seq, `the head file is ${end.seq - f.seq} row(s) behind the database (the process stopped between a commit and the head write); the chain itself verifies`);
      } else if (f.seq > 0 && hashAtFileHead !== f.hash) {
        add('head_mismatch', f.seq, `row ${f.seq} no longer has the hash the head file recorded: the chain was rewritten`);
      } else if (f.seq < end.seq) {
        add('head_behind', f.seq, `the head file is ${end.seq - f.seq} row(s) behind the database (the process stopped between a commit and the head write); the chain itself verifies`);
      }
    }
    const ok = problems.every((p) => NOTES.has(p.kind));
    if (o.writeHead !== false && ok && this.headFile && end && (read.status !== 'ok' || read.head.seq !== end.seq)) writeAuditHead(this.headFile, end);
    return { ok, rows, archivedRows: archivedThrough, head: end, fileHead, problems, checkedAt: this.clock.now().toISOString(), ms: performance.now() - t0 };
  }
}

function toRow(r: DbRow): AuditRow {
  return {
    seq: r.seq, at: r.at, actor: r.actor, entity: r.entity as AuditEntity, entityId: r.entity_id,
    from: r.from_state, to: r.to_state, reason: r.reason, detail: JSON.parse(r.detail) as Record<string, unknown>, hash: r.hash,
  };
}
