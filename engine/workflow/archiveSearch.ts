/**
 * Searching what retention moved out of the store (retention.ts): the decisions, with their outbox items, and
 * the audit rows, in the gzip JSON-lines files under `<data folder>/archive/` that `decision_archives` and
 * `audit_archives` list. A search reads the files newest first, tests each line with a cheap text check before
 * it parses it, and stops at its limit, its time budget or its caller's signal, saying how far it got: a
 * question over a year of daily files answers within the budget, and the caller can ask for the next files.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { AuditRowOut, DecisionRow, OutboxItemRow } from '../api/contract/decisions';
import type { AuditEntity } from '../domain/audit';
import { readArchiveLines } from '../store/archive';
import { dbRowToDecisionRow, toOutboxItemRow, type DecisionDbRow, type OutboxItemDbRow } from './repository';
import { decodePayload } from './payloadCodec';
import type { DecisionKind } from './types';
import type { DecisionState } from './lifecycle';

/** An archived decision: its row as it left the store, what it pushed, and its outbox items. */
export interface ArchivedDecision extends DecisionRow {
  /** what the PSS received (or would have) */
  payload: unknown;
  outbox: OutboxItemRow[];
  /** the archive file that holds it, and when retention wrote it */
  file: string;
  archivedAt: string;
}

export interface ArchivedAuditRow extends AuditRowOut {
  file: string;
}

/** How far a search got: files are read newest first; `nextFile` continues where it stopped (null: every file read). */
export interface ArchiveSearchProgress {
  filesRead: number;
  filesTotal: number;
  linesRead: number;
  /** files listed in the store but not in the archive folder (moved or deleted by hand) */
  missing: string[];
  /** files that could not be read to their end, with where and why (the matches before that point are kept) */
  unreadable: string[];
  /** where to go on (null: every match returned): the file, in the newest-first order, and the number of its matches already returned */
  nextFile: number | null;
  nextSkip: number;
  stoppedBy: 'done' | 'limit' | 'time' | 'cancelled';
  ms: number;
}

export interface ArchivedDecisionQuery {
  id?: number;
  /** any of: key, departure, RBD, users, notes and reasons (case-insensitive) */
  text?: string;
  origin?: string;
  destination?: string;
  /** local travel dates, inclusive (a fare's validity overlapping them) */
  travelFrom?: string;
  travelTo?: string;
  state?: DecisionState;
  kind?: DecisionKind;
}

export interface ArchivedAuditQuery {
  entity?: AuditEntity;
  entityId?: string;
  actor?: string;
  /** in the reason (case-insensitive) */
  text?: string;
}

export interface SearchBudget {
  limit: number;
  /** where to start: a search's progress.nextFile and nextSkip (default the newest file, from its newest match) */
  fromFile?: number;
  skip?: number;
  /** stop after this long, at the end of a file (default 15 s) */
  budgetMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_BUDGET_MS = 15_000;

interface ListedFile {
  file: string;
  archivedAt: string;
  /** an audit file: the last row its anchors cover (rows after it are another file's, or the store's) */
  through?: number;
}

/**
 * How a search reads a file's lines: `matches` decides (a text test first, parsing only where it must), and
 * `build` makes the result of a line kept, so only the newest matches are built.
 */
interface LineSearch<T> {
  matches(line: string, f: ListedFile): boolean;
  build(line: string, f: ListedFile): T;
}

/**
 * Reads the listed files newest first. A file holds its rows in ascending order (ids, sequence numbers), so
 * the newest matches are its last ones: it keeps the last raw lines it needs and builds those alone.
 */
async function scan<T>(dir: string, files: ListedFile[], b: SearchBudget, search: LineSearch<T>): Promise<{ rows: T[]; progress: ArchiveSearchProgress }> {
  const t0 = performance.now();
  const budget = b.budgetMs ?? DEFAULT_BUDGET_MS;
  const rows: T[] = [];
  const missing: string[] = [];
  const unreadable: string[] = [];
  let linesRead = 0;
  let filesRead = 0;
  let i = b.fromFile ?? 0;
  let skip = b.skip ?? 0;
  let nextSkip = 0;
  let stoppedBy: ArchiveSearchProgress['stoppedBy'] = 'done';
  for (; i < files.length; i++, skip = 0) {
    if (rows.length >= b.limit) { stoppedBy = 'limit'; break; }
    if (b.signal?.aborted) { stoppedBy = 'cancelled'; break; }
    if (filesRead > 0 && performance.now() - t0 > budget) { stoppedBy = 'time'; break; }
    const f = files[i]!;
    const full = path.join(dir, f.file);
    filesRead++;
    if (!fs.existsSync(full)) { missing.push(f.file); continue; }
    // the last `keep` matches, in a ring, with their line numbers
    const keep = skip + b.limit - rows.length;
    const ring: string[] = new Array<string>(keep);
    const ringLine = new Int32Array(keep);
    let matched = 0;
    let lines = 0;
    const bad = (n: number, e: unknown) => unreadable.push(`${f.file}: line ${n} is not what an archive line holds (${(e as Error).message})`);
    try {
      for await (const line of readArchiveLines(full)) {
        lines++;
        let hit = false;
        try { hit = search.matches(line, f); } catch (e) { bad(lines, e); }
        if (hit) { ringLine[matched % keep] = lines; ring[matched++ % keep] = line; }
        if ((lines & 8191) === 0 && b.signal?.aborted) break;
      }
    } catch (e) {
      unreadable.push(`${f.file}: cannot be read after line ${lines}: ${(e as Error).message}`);
    }
    linesRead += lines;
    // cancelled within the file: it is read again from the start on going on
    if (b.signal?.aborted) { stoppedBy = 'cancelled'; nextSkip = skip; break; }
    // newest first: match matched − 1 − k is the k-th newest
    const upTo = Math.min(matched, keep);
    for (let k = skip; k < upTo; k++) {
      const at = (matched - 1 - k) % keep;
      try { rows.push(search.build(ring[at]!, f)); } catch (e) { bad(ringLine[at]!, e); }
    }
    if (matched > keep) {
      // the limit within this file: go on from its next match
      stoppedBy = 'limit';
      nextSkip = keep;
      break;
    }
  }
  if (stoppedBy === 'done' && b.signal?.aborted) stoppedBy = 'cancelled';
  return { rows, progress: { filesRead, filesTotal: files.length, linesRead, missing, unreadable, nextFile: i < files.length ? i : null, nextSkip, stoppedBy, ms: Math.round(performance.now() - t0) } };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text as a pattern on a JSON line (its quotes and backslashes escaped there), and on a value. */
function textPatterns(text: string | undefined): { line: RegExp; value: RegExp } | null {
  if (!text) return null;
  return { line: new RegExp(escapeRe(JSON.stringify(text).slice(1, -1)), 'i'), value: new RegExp(escapeRe(text), 'i') };
}

/** Decisions retention archived, newest first, that match every filter given. */
export async function searchArchivedDecisions(db: Database, dir: string, q: ArchivedDecisionQuery, b: SearchBudget): Promise<{ rows: ArchivedDecision[]; progress: ArchiveSearchProgress }> {
  const files = db.prepare('SELECT file, archived_at AS archivedAt FROM decision_archives ORDER BY id DESC').all() as ListedFile[];
  // the cheap tests, on the line's text: a JSON line holds each value as `"column":value`
  const musts: string[] = [];
  if (q.origin) musts.push(`"origin":${JSON.stringify(q.origin)}`);
  if (q.destination) musts.push(`"destination":${JSON.stringify(q.destination)}`);
  if (q.state) musts.push(`"state":${JSON.stringify(q.state)}`);
  if (q.kind) musts.push(`"kind":${JSON.stringify(q.kind)}`);
  const idPrefix = q.id !== undefined ? `{"decision":{"id":${q.id},` : null;
  const text = textPatterns(q.text);
  // the text tests are exact for these (a row's own columns; the payload is a string within it, its quotes escaped)
  const parseNeeded = text !== null || q.travelFrom !== undefined || q.travelTo !== undefined;
  return scan<ArchivedDecision>(dir, files, b, {
    matches(line) {
      if (idPrefix !== null && !line.startsWith(idPrefix)) return false;
      for (const m of musts) if (!line.includes(m)) return false;
      if (text && !text.line.test(line)) return false;
      if (!parseNeeded) return true;
      const d = (JSON.parse(line) as { decision: DecisionDbRow }).decision;
      if (q.travelFrom && d.travel_date_to < q.travelFrom) return false;
      if (q.travelTo && d.travel_date > q.travelTo) return false;
      return !text || text.value.test([d.key, d.flight_id, d.rbd, d.cabin, d.carrier, d.created_by, d.decided_by, d.decision_note, d.override_reason, d.failure_reason, d.pss_reference].join('\n'));
    },
    build(line, f) {
      const { decision: d, outbox } = JSON.parse(line) as { decision: DecisionDbRow; outbox: OutboxItemDbRow[] };
      return { ...dbRowToDecisionRow(d), payload: decodePayload(d.payload, d), outbox: outbox.map(toOutboxItemRow), file: f.file, archivedAt: f.archivedAt };
    },
  });
}

/** The columns of an archived audit line (audit.ts archiveLine: a row with the previous row's hash before its own). */
type AuditLine = [seq: number, at: string, actor: string, entity: string, entityId: string, from: string | null, to: string, reason: string, detail: string, prevHash: string, hash: string];

/** Audit rows retention archived, newest first, that match every filter given. */
export async function searchArchivedAudit(db: Database, dir: string, q: ArchivedAuditQuery, b: SearchBudget): Promise<{ rows: ArchivedAuditRow[]; progress: ArchiveSearchProgress }> {
  // an audit file is recorded once per slice of its rows: one entry per file, newest first
  // a file's rows past its last anchor were left in the store by a run stopped between its deletes, and a
  // later file holds them again: each row is found once, in the file whose anchors cover it
  const files = db.prepare('SELECT file, max(archived_at) AS archivedAt, max(through_seq) AS through FROM audit_archives GROUP BY file ORDER BY max(through_seq) DESC').all() as ListedFile[];
  const musts: string[] = [];
  if (q.entity) musts.push(`,${JSON.stringify(q.entity)},`);
  if (q.entityId) musts.push(`,${JSON.stringify(q.entityId)},`);
  if (q.actor) musts.push(`,${JSON.stringify(q.actor)},`);
  const text = textPatterns(q.text);
  return scan<ArchivedAuditRow>(dir, files, b, {
    matches(line, f) {
      if (f.through !== undefined && Number(line.slice(1, line.indexOf(','))) > f.through) return false;
      if (musts.length === 0 && !text) return true;
      for (const m of musts) if (!line.includes(m)) return false;
      if (text && !text.line.test(line)) return false;
      const a = JSON.parse(line) as AuditLine;
      return (!q.entity || a[3] === q.entity) && (!q.entityId || a[4] === q.entityId) && (!q.actor || a[2] === q.actor) && (!text || text.value.test(a[7]));
    },
    build(line, f) {
      const a = JSON.parse(line) as AuditLine;
      return { seq: a[0], at: a[1], actor: a[2], entity: a[3], entityId: a[4], from: a[5], to: a[6], reason: a[7], detail: JSON.parse(a[8]) as Record<string, unknown>, hash: a[10], file: f.file };
    },
  });
}
