/**
 * Retention: what the store keeps of the decision workflow's past, and where the rest goes.
 *
 * Under a daily cycle on a large network the store grew by the cycle's whole output every day (the
 * sandbox hub network: about 1.2 GB a day, most of it the audit rows of each decision's transitions and
 * decisions that ended without being pushed). Retention moves, never drops:
 * - **audit rows** older than `auditDays` go to `<dataDir>/archive/audit-<first>-<last>.jsonl.gz`. Each
 *   slice removed is covered by an anchor in `audit_archives` (the last row's sequence and hash, the
 *   file and its SHA-256), so the chain left in the database verifies from the anchor on, and the file
 *   verifies up to it (`verifyAuditArchive`). The newest row always stays.
 * - **decisions that ended without being pushed** (superseded, rejected or expired proposals) and
 *   **pushed ones a newer push of the same key replaced**, both more than `decisionsDays` ago, and
 *   **every finished decision for a departure more than `departedDays` ago** go to
 *   `<dataDir>/archive/decisions-<time>.jsonl.gz`, one line per decision with its outbox items. A replaced
 *   fare leaves a row in `price_history` (migration 17: the market, flight, RBD, dates, values and push
 *   time the elasticity estimates and the overrides' impact read), which goes when its departure passes
 *   `departedDays`. The last push of each key stays (the value in force), as do overrides, decisions an
 *   override refers to and any with an item still waiting to be pushed. So the decisions kept are about
 *   one per key plus `decisionsDays` of the cycles' output, not a row per push for as long as its flight
 *   is within `departedDays`.
 * 0 days keeps everything. The cycle applies retention after its proposals; `dfae archive` runs it
 * on demand.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { ArchiveWriter, fileSha256, readArchiveLines, type ArchiveFile } from '../store/archive';
import { DEFAULT_RETENTION, MIN_DEPARTED_DAYS, type RetentionSettings } from '../domain/retention';
import { archiveAnchor, archiveLine, AUDIT_RAW_COLUMNS, GENESIS_HASH, rawRowVerifies, type AuditLog } from './audit';
import { inSlices } from './slices';
import { readSetting } from '../store/settingsTable';

export type { RetentionSettings };

export const RETENTION_SETTING_KEY = 'retention';

export function archiveDir(dataDir: string): string {
  return path.join(dataDir, 'archive');
}

export function loadRetention(db: Database): RetentionSettings {
  return { ...DEFAULT_RETENTION, ...readSetting<Partial<RetentionSettings>>(db, RETENTION_SETTING_KEY, {}) };
}

export interface AuditArchiveResult {
  file: string;
  sha256: string;
  firstSeq: number;
  throughSeq: number;
  rows: number;
  bytes: number;
}

export interface DecisionArchiveResult {
  file: string;
  sha256: string;
  decisions: number;
  outboxItems: number;
  bytes: number;
  /** replaced pushed fares kept in price_history */
  priceHistory: number;
}

export interface RetentionResult {
  audit: AuditArchiveResult | null;
  decisions: DecisionArchiveResult | null;
  /** price_history rows of departures past the departed age, deleted (their decisions are in archive files) */
  priceHistoryRemoved: number;
  /** decisions an interrupted earlier run had archived but not yet deleted from the store, deleted now */
  resumed: number;
  ms: number;
}

interface RunOptions {
  /** now (ISO): the ages are counted back from it */
  at: string;
  dir: string;
  /** awaited between pages and slices, so a long archive does not hold the thread (the host's event loop) */
  between?: () => Promise<void>;
  /** rows deleted per transaction */
  sliceRows?: number;
}

/** rows read per statement, and audit rows removed per transaction (the most decisions per one): a few tens of milliseconds each on the host's thread */
const PAGE = 5_000;
const SLICE = 10_000;

function dateBefore(at: string, days: number): string {
  return daysBefore(at, days).slice(0, 10);
}

function daysBefore(at: string, days: number): string {
  return new Date(Date.parse(at) - days * 86_400_000).toISOString();
}

function stamp(at: string): string {
  return at.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Applies the settings: archives the audit rows and the ended, replaced and departed decisions past their age, and prunes the price history of departed flights. */
export async function applyRetention(db: Database, audit: AuditLog, settings: RetentionSettings, o: RunOptions): Promise<RetentionResult> {
  const t0 = performance.now();
  const endedBefore = settings.decisionsDays > 0 ? daysBefore(o.at, settings.decisionsDays) : null;
  const departedBefore = settings.departedDays > 0 ? dateBefore(o.at, Math.max(MIN_DEPARTED_DAYS, settings.departedDays)) : null;
  // what an interrupted run archived but did not delete goes first, so it is not archived twice
  const resumed = await finishPendingDeletes(db, audit, o);
  const decisions = endedBefore || departedBefore ? await archiveDecisions(db, audit, { ...o, endedBefore, departedBefore }) : null;
  const priceHistoryRemoved = departedBefore ? await prunePriceHistory(db, departedBefore, o) : 0;
  const auditRes = settings.auditDays > 0 ? await archiveAudit(db, audit, { ...o, before: daysBefore(o.at, settings.auditDays) }) : null;
  return { audit: auditRes, decisions, resumed, priceHistoryRemoved, ms: performance.now() - t0 };
}

/** Deletes the price history of departures before `departedBefore` (a date), in slices; their decisions are whole in archive files. */
async function prunePriceHistory(db: Database, departedBefore: string, o: Pick<RunOptions, 'between' | 'sliceRows'>): Promise<number> {
  const ids = db.prepare('SELECT decision_id FROM price_history INDEXED BY price_history_departure WHERE travel_date_to < ? ORDER BY decision_id').pluck().all(departedBefore) as number[];
  if (ids.length === 0) return 0;
  const del = db.prepare('DELETE FROM price_history WHERE decision_id IN (SELECT value FROM json_each(?))');
  await inSlices(ids, (slice) => { db.transaction(() => del.run(JSON.stringify(slice)))(); }, { first: 1000, max: o.sliceRows ?? SLICE, yieldNow: o.between ?? (async () => {}) });
  db.prepare('DELETE FROM price_keys WHERE NOT EXISTS (SELECT 1 FROM price_history h WHERE h.key_id = price_keys.id)').run();
  return ids.length;
}

/**
 * Moves the audit rows written before `before` (all but the newest row at most) to an archive file,
 * checking their chain on the way: a broken chain is refused, not archived.
 */
export async function archiveAudit(db: Database, audit: AuditLog, o: RunOptions & { before: string }): Promise<AuditArchiveResult | null> {
  const between = o.between ?? (async () => {});
  const bounds = db.prepare('SELECT min(seq) AS first, max(seq) AS last FROM audit_log').get() as { first: number | null; last: number | null };
  if (bounds.first === null || bounds.last === null) return null;
  // the oldest rows up to the first one as new as `before`, and never the newest row
  const firstKept = (db.prepare('SELECT min(seq) FROM audit_log WHERE at >= ?').pluck().get(o.before) as number | null) ?? bounds.last;
  const through = firstKept - 1;
  const first = bounds.first;
  if (through < first) return null;
  let prev = GENESIS_HASH;
  if (first > 1) {
    const anchor = archiveAnchor(db, first - 1);
    if (anchor === undefined) throw new Error(`audit archive refused: rows 1..${first - 1} are missing and no archive anchor covers them (run the audit verification)`);
    prev = anchor;
  }
  const w = new ArchiveWriter(path.join(o.dir, `audit-${String(first).padStart(12, '0')}-${String(through).padStart(12, '0')}.jsonl.gz`));
  const file = w.file;
  const page = db.prepare(`SELECT ${AUDIT_RAW_COLUMNS} FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ${PAGE}`).raw();
  const sliceEnds: { seq: number; hash: string }[] = [];
  const slice = o.sliceRows ?? SLICE;
  let written: ArchiveFile;
  try {
    let expected = first;
    for (let after = first - 1; after < through;) {
      const rows = page.all(after, through) as unknown[][];
      if (rows.length === 0) break;
      for (const r of rows) {
        const seq = r[0] as number;
        if (seq !== expected) throw new Error(`audit archive refused: row ${expected} is missing before row ${seq} (run the audit verification)`);
        const line = archiveLine(prev, r);
        if (!rawRowVerifies(prev, line)) throw new Error(`audit archive refused: row ${seq} does not verify (run the audit verification)`);
        prev = line[10] as string;
        w.add(JSON.stringify(line));
        if ((seq - first + 1) % slice === 0 || seq === through) sliceEnds.push({ seq, hash: prev });
        expected = seq + 1;
      }
      after = expected - 1;
      await w.drain();
      await between();
    }
    written = await w.finish();
  } catch (e) {
    await w.abort();
    throw e;
  }
  const anchor = db.prepare('INSERT INTO audit_archives (first_seq, through_seq, through_hash, file, file_sha256, archived_at) VALUES (?, ?, ?, ?, ?, ?)');
  const del = db.prepare('DELETE FROM audit_log WHERE seq >= ? AND seq <= ?');
  let from = first;
  for (const end of sliceEnds) {
    audit.tx(() => {
      anchor.run(from, end.seq, end.hash, path.basename(file), written.sha256, o.at);
      del.run(from, end.seq);
    });
    from = end.seq + 1;
    await between();
  }
  audit.tx(() => audit.append([{
    actor: 'system:retention', entity: 'archive', entityId: path.basename(file), from: null, to: 'archived',
    reason: `audit rows ${first}..${through} written before ${o.before} moved to ${path.basename(file)}`,
    detail: { firstSeq: first, throughSeq: through, rows: written.lines, sha256: written.sha256, bytes: written.bytes },
  }], o.at));
  return { file, sha256: written.sha256, firstSeq: first, throughSeq: through, rows: written.lines, bytes: written.bytes };
}

/**
 * Moves to an archive file, with their outbox items, the decisions that ended without being pushed before
 * `endedBefore` (an instant), the pushed ones (not overrides) a newer push of the same key replaced
 * before it, and the finished ones for departures before `departedBefore` (a date). A replaced fare of
 * a departure not yet past `departedBefore` leaves its row in price_history. Call it after
 * finishPendingDeletes (applyRetention does), so that an interrupted run's rows are not archived again.
 */
export async function archiveDecisions(db: Database, audit: AuditLog, o: RunOptions & { endedBefore: string | null; departedBefore: string | null }): Promise<DecisionArchiveResult | null> {
  const between = o.between ?? (async () => {});
  const referenced = new Set(db.prepare('SELECT DISTINCT override_of FROM decisions WHERE override_of IS NOT NULL').pluck().all() as number[]);
  const notWaiting = "NOT EXISTS (SELECT 1 FROM outbox_items i WHERE i.decision_id = d.id AND i.status IN ('queued', 'batched'))";
  const ids = new Set<number>();
  if (o.endedBefore) {
    // a decision that ended or was pushed before the cut was created before it: only ids below the first
    // one created since are read (the store keeps about a month of the cycles' output past them)
    const bound = firstIdCreatedSince(db, o.endedBefore);
    for (const id of db.prepare(`SELECT d.id FROM decisions d INDEXED BY decisions_state
        WHERE d.state IN ('superseded', 'rejected', 'expired') AND d.id < @bound AND d.pushed_at IS NULL AND d.ended_at < @cut AND ${notWaiting}`)
      .pluck().all({ bound, cut: o.endedBefore }) as number[]) ids.add(id);
    // replaced: a newer decision of the key was pushed before the cut (the key's last push, the value in force, stays)
    for (const id of db.prepare(`SELECT d.id FROM decisions d INDEXED BY decisions_state
        WHERE d.state = 'pushed' AND d.id < @bound AND d.source <> 'override'
          AND EXISTS (SELECT 1 FROM decisions n INDEXED BY decisions_key WHERE n.key = d.key AND n.id > d.id AND n.id < @bound AND n.pushed_at < @cut) AND ${notWaiting}`)
      .pluck().all({ bound, cut: o.endedBefore }) as number[]) ids.add(id);
  }
  if (o.departedBefore) {
    for (const id of db.prepare(`SELECT d.id FROM decisions d INDEXED BY decisions_review
        WHERE d.travel_date < @before AND d.travel_date_to < @before AND d.state IN ('pushed', 'superseded', 'rejected', 'expired') AND ${notWaiting}`)
      .pluck().all({ before: o.departedBefore }) as number[]) ids.add(id);
  }
  // the newest decision stays: SQLite gives a new row the largest id plus one, so an id is never used twice
  // (an archived decision's audit rows and the files name it by its id)
  const newest = db.prepare('SELECT max(id) FROM decisions').pluck().get() as number | null;
  const candidates = [...ids].filter((id) => !referenced.has(id) && id !== newest).sort((a, b) => a - b);
  if (candidates.length === 0) return null;
  const w = new ArchiveWriter(path.join(o.dir, `decisions-${stamp(o.at)}.jsonl.gz`));
  const file = w.file;
  const rowsOf = db.prepare('SELECT * FROM decisions WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id');
  const itemsOf = db.prepare('SELECT * FROM outbox_items WHERE decision_id IN (SELECT value FROM json_each(?)) ORDER BY id');
  let items = 0;
  let written: ArchiveFile;
  try {
    for (let i = 0; i < candidates.length; i += PAGE) {
      const ids = JSON.stringify(candidates.slice(i, i + PAGE));
      const byDecision = new Map<number, unknown[]>();
      for (const it of itemsOf.all(ids) as { decision_id: number }[]) {
        let list = byDecision.get(it.decision_id);
        if (!list) byDecision.set(it.decision_id, (list = []));
        list.push(it);
        items++;
      }
      for (const d of rowsOf.all(ids) as { id: number }[]) w.add(JSON.stringify({ decision: d, outbox: byDecision.get(d.id) ?? [] }));
      await w.drain();
      await between();
    }
    written = await w.finish();
  } catch (e) {
    await w.abort();
    throw e;
  }
  // the record first, with the ids still to delete: if the process stops between slices, the file is on record
  // with the rows left, and the next run deletes them (finishPendingDeletes) rather than archive them again
  let archiveId = 0;
  audit.tx(() => {
    archiveId = Number(db.prepare('INSERT INTO decision_archives (ended_before, departed_before, decisions, outbox_items, file, file_sha256, archived_at, pending) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(o.endedBefore, o.departedBefore, written.lines, items, path.basename(file), written.sha256, o.at, JSON.stringify(candidates)).lastInsertRowid);
    const which = [o.endedBefore && `ended unpushed or replaced by a newer push before ${o.endedBefore}`, o.departedBefore && `for departures before ${o.departedBefore}`].filter(Boolean).join(' or ');
    audit.append([{
      actor: 'system:retention', entity: 'archive', entityId: path.basename(file), from: null, to: 'archived',
      reason: `${written.lines} decision(s) ${which} moved to ${path.basename(file)}`,
      detail: { decisions: written.lines, outboxItems: items, sha256: written.sha256, bytes: written.bytes },
    }], o.at);
  });
  const priceHistory = await deleteArchived(db, audit, archiveId, candidates, o.departedBefore, o);
  return { file, sha256: written.sha256, decisions: written.lines, outboxItems: items, bytes: written.bytes, priceHistory };
}

/**
 * Deletes archived decisions (in archive `archiveId`'s file) and their outbox items from the store, in slices,
 * then clears the archive's pending ids. A pushed fare of a departure the elasticity estimates may still read
 * (not before `departedBefore`) keeps its price-history row. Returns the price-history rows kept.
 */
async function deleteArchived(db: Database, audit: AuditLog, archiveId: number, ids: readonly number[], departedBefore: string | null, o: Pick<RunOptions, 'between' | 'sliceRows'>): Promise<number> {
  const priced = "FROM decisions d WHERE d.id IN (SELECT value FROM json_each(@ids)) AND d.kind = 'fare' AND d.pushed_at IS NOT NULL AND (@departed IS NULL OR d.travel_date_to >= @departed)";
  const keepKey = db.prepare(`INSERT OR IGNORE INTO price_keys (key) SELECT DISTINCT d.key ${priced}`);
  const keepPrice = db.prepare(`INSERT OR IGNORE INTO price_history (decision_id, key_id, origin, destination, cabin, rbd, flight_id, travel_date, travel_date_to,
      pushed_at, sequence, current_value, proposed_value)
    SELECT d.id, (SELECT k.id FROM price_keys k WHERE k.key = d.key), d.origin, d.destination, d.cabin, d.rbd, d.flight_id, d.travel_date, d.travel_date_to,
      d.pushed_at, d.sequence, d.current_value, d.proposed_value ${priced}`);
  const delItems = db.prepare('DELETE FROM outbox_items WHERE decision_id IN (SELECT value FROM json_each(?))');
  const delDecisions = db.prepare('DELETE FROM decisions WHERE id IN (SELECT value FROM json_each(?))');
  let priceHistory = 0;
  // a decision's delete touches its indexes, its outbox items and their indexes (tens of µs): slices
  // sized to the host's budget, not a fixed count
  await inSlices(ids, (slice) => {
    const json = JSON.stringify(slice);
    audit.tx(() => {
      keepKey.run({ ids: json, departed: departedBefore });
      priceHistory += keepPrice.run({ ids: json, departed: departedBefore }).changes;
      delItems.run(json);
      delDecisions.run(json);
    });
  }, { first: 200, max: o.sliceRows ?? SLICE, yieldNow: o.between ?? (async () => {}) });
  db.prepare('UPDATE decision_archives SET pending = NULL WHERE id = ?').run(archiveId);
  return priceHistory;
}

/**
 * Finishes the deletes an earlier run left when its process stopped between slices: the decisions its file
 * already holds are deleted from the store (not archived again). Returns how many were still there.
 */
export async function finishPendingDeletes(db: Database, audit: AuditLog, o: Pick<RunOptions, 'between' | 'sliceRows'> = {}): Promise<number> {
  const left = db.prepare('SELECT id, departed_before AS departedBefore, pending FROM decision_archives WHERE pending IS NOT NULL ORDER BY id').all() as { id: number; departedBefore: string | null; pending: string }[];
  let finished = 0;
  const present = db.prepare('SELECT count(*) FROM decisions WHERE id IN (SELECT value FROM json_each(?))').pluck();
  for (const a of left) {
    finished += present.get(a.pending) as number;
    await deleteArchived(db, audit, a.id, JSON.parse(a.pending) as number[], a.departedBefore, o);
  }
  return finished;
}

/**
 * The first decision id created at or after `at` (one past the last id when none was): ids grow with
 * creation time, so a binary search over the primary key finds it in a few dozen lookups (were the
 * clock ever set back, a decision created then would only be archived by a later run).
 */
export function firstIdCreatedSince(db: Database, at: string): number {
  const b = db.prepare('SELECT min(id) AS lo, max(id) AS hi FROM decisions').get() as { lo: number | null; hi: number | null };
  if (b.lo === null || b.hi === null) return 1;
  const createdAtOrAfter = db.prepare('SELECT id, created_at FROM decisions WHERE id >= ? ORDER BY id LIMIT 1');
  let lo = b.lo;
  let hi = b.hi + 1;
  // invariant: every id below lo was created before `at`; the first row at or after hi was created at or after it (or there is none)
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const r = createdAtOrAfter.get(mid) as { id: number; created_at: string };
    if (r.created_at < at) lo = r.id + 1; else hi = mid;
  }
  return lo;
}

export interface ArchiveCheck {
  ok: boolean;
  file: string;
  rows: number;
  problems: string[];
}

/**
 * Checks a decision archive file against its record in `decision_archives`: the file is there, its SHA-256 is
 * the one recorded, and it holds as many decisions (in ascending ids) and outbox items as recorded.
 */
export async function verifyDecisionArchive(db: Database, file: string): Promise<ArchiveCheck> {
  const name = path.basename(file);
  const rec = db.prepare('SELECT decisions, outbox_items, file_sha256 FROM decision_archives WHERE file = ?').get(name) as { decisions: number; outbox_items: number; file_sha256: string } | undefined;
  if (!rec) return { ok: false, file, rows: 0, problems: [`no record in decision_archives names ${name}`] };
  if (!fs.existsSync(file)) return { ok: false, file, rows: 0, problems: [`${file} is missing`] };
  const problems: string[] = [];
  if (fileSha256(file) !== rec.file_sha256) problems.push(`${name} is not the file that was archived (its SHA-256 differs from the one recorded)`);
  let rows = 0;
  let items = 0;
  let lastId = 0;
  let whole = true;
  try {
    for await (const line of readArchiveLines(file)) {
      const r = JSON.parse(line) as { decision?: { id?: unknown }; outbox?: unknown[] };
      const id = r.decision?.id;
      if (typeof id !== 'number' || !Array.isArray(r.outbox)) { problems.push(`line ${rows + 1} is not a decision with its outbox items`); whole = false; break; }
      if (id <= lastId) { problems.push(`decision ${id} on line ${rows + 1} comes after decision ${lastId}`); whole = false; break; }
      lastId = id;
      rows++;
      items += r.outbox.length;
    }
  } catch (e) {
    problems.push(`${name} cannot be read after line ${rows}: ${(e as Error).message}`);
    whole = false;
  }
  if (whole && (rows !== rec.decisions || items !== rec.outbox_items)) {
    problems.push(`${name} holds ${rows} decision(s) and ${items} outbox item(s); ${rec.decisions} and ${rec.outbox_items} were recorded`);
  }
  return { ok: problems.length === 0, file, rows, problems };
}

/**
 * Checks an audit archive file against the database: its SHA-256 is the one its anchors recorded, its
 * rows follow each other and hash as written, and its last row's hash is the anchor the chain in the
 * database continues from.
 */
export async function verifyAuditArchive(db: Database, file: string): Promise<ArchiveCheck> {
  const problems: string[] = [];
  const name = path.basename(file);
  const anchors = db.prepare('SELECT first_seq, through_seq, through_hash, file_sha256 FROM audit_archives WHERE file = ? ORDER BY through_seq')
    .all(name) as { first_seq: number; through_seq: number; through_hash: string; file_sha256: string }[];
  if (anchors.length === 0) return { ok: false, file, rows: 0, problems: [`no archive anchor names ${name}`] };
  if (!fs.existsSync(file)) return { ok: false, file, rows: 0, problems: [`${file} is missing`] };
  if (fileSha256(file) !== anchors[0]!.file_sha256) problems.push(`${name} is not the file that was archived (its SHA-256 differs from the one recorded)`);
  const first = anchors[0]!.first_seq;
  let prev = first > 1 ? archiveAnchor(db, first - 1) : GENESIS_HASH;
  if (prev === undefined) problems.push(`no anchor for row ${first - 1}, the row before the file's first`);
  const ends = new Map(anchors.map((a) => [a.through_seq, a.through_hash]));
  let expected = first;
  let rows = 0;
  let readable = true;
  try {
    for await (const line of readArchiveLines(file)) {
      const r = JSON.parse(line) as unknown[];
      const seq = r[0] as number;
      rows++;
      if (seq !== expected) { problems.push(`row ${expected} is missing before row ${seq}`); break; }
      // without an anchor before the file, its first row is checked against itself only
      if (!rawRowVerifies(prev ?? (r[9] as string), r)) { problems.push(`row ${seq} does not verify`); break; }
      prev = r[10] as string;
      const anchored = ends.get(seq);
      if (anchored !== undefined && anchored !== prev) { problems.push(`row ${seq} does not end on its anchor's hash`); break; }
      expected = seq + 1;
    }
  } catch (e) {
    readable = false;
    problems.push(`${name} cannot be read after row ${expected - 1}: ${(e as Error).message}`);
  }
  const last = anchors[anchors.length - 1]!.through_seq;
  // rows past the last anchor (a run stopped between its deletes left them in the store, and a later file
  // holds them again) are not this file's; rows missing before it are a problem
  if (readable && problems.length === 0 && expected - 1 < last) problems.push(`the file ends at row ${expected - 1}, its anchors at row ${last}`);
  return { ok: problems.length === 0, file, rows, problems };
}
