import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/db';
import { fixedClock } from '../domain/time';
import { readArchiveLines } from '../store/archive';
import { AuditLog } from './audit';
import { auditHeadPath } from './auditHead';
import { applyRetention, archiveAudit, archiveDecisions, archiveDir, firstIdCreatedSince, verifyAuditArchive, verifyDecisionArchive } from './retention';
import { searchArchivedAudit } from './archiveSearch';

let dir: string;
let store: Store;
let audit: AuditLog;
const clock = fixedClock('2026-11-25T08:00:00Z');
const NOW = '2026-11-25T08:00:00.000Z';
const day = (n: number) => new Date(Date.parse(NOW) + n * 86_400_000).toISOString();

/** n audit rows, one a day from `fromDay` (days relative to now). */
function write(n: number, fromDay: number): void {
  for (let i = 0; i < n; i++) {
    audit.tx(() => audit.append([{ actor: 'alice', entity: 'decision', entityId: i + 1, from: 'proposed', to: 'approved', reason: `row ${i}`, detail: { i } }], day(fromDay + i)));
  }
}

async function lines(file: string): Promise<string[]> {
  const out: string[] = [];
  for await (const l of readArchiveLines(file)) out.push(l);
  return out;
}

const count = (sql: string) => store.db.prepare(sql).pluck().get() as number;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-retention-'));
  store = openStore({ dataDir: dir, clock });
  audit = new AuditLog(store.db, clock, auditHeadPath(store.file));
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('audit retention', () => {
  it('moves the rows past their age to a file, and the chain left verifies from its anchor', async () => {
    write(50, -100); // days -100 .. -51
    write(10, -10); // days -10 .. -1
    const r = await archiveAudit(store.db, audit, { at: NOW, dir: archiveDir(dir), before: day(-60), sliceRows: 7 });
    expect(r).toMatchObject({ firstSeq: 1, throughSeq: 40, rows: 40 });
    expect(count('SELECT min(seq) FROM audit_log')).toBe(41);
    // 10 older rows + 10 recent + the archive's own row
    expect(count('SELECT count(*) FROM audit_log')).toBe(21);
    expect(count('SELECT count(*) FROM audit_archives')).toBe(6); // slices of 7: 1-7 … 36-40
    const file = await lines(r!.file);
    expect(file).toHaveLength(40);
    expect(JSON.parse(file[0]!)[0]).toBe(1);
    expect(JSON.parse(file[39]!)[7]).toBe('row 39');
    const v = audit.verify();
    expect(v.problems).toEqual([]);
    expect(v).toMatchObject({ ok: true, rows: 21, archivedRows: 40 });
    expect(await verifyAuditArchive(store.db, r!.file)).toMatchObject({ ok: true, rows: 40 });
    const last = store.db.prepare("SELECT reason, detail FROM audit_log WHERE entity = 'archive'").get() as { reason: string; detail: string };
    expect(last.reason).toMatch(/audit rows 1\.\.40 .* moved to audit-000000000001-000000000040\.jsonl\.gz/);
    // the next archive continues from the anchor; new rows keep the chain
    const r2 = await archiveAudit(store.db, audit, { at: NOW, dir: archiveDir(dir), before: NOW });
    expect(r2).toMatchObject({ firstSeq: 41, throughSeq: 60 }); // row 61, the first archive's own, is from now
    write(3, 1);
    expect(audit.verify().ok).toBe(true);
    expect((await verifyAuditArchive(store.db, r2!.file)).ok).toBe(true);
    expect((await verifyAuditArchive(store.db, r!.file)).ok).toBe(true);
  });

  it('keeps the newest row even when every row is old, and does nothing when nothing is', async () => {
    write(5, -200);
    const r = await archiveAudit(store.db, audit, { at: NOW, dir: archiveDir(dir), before: day(-1) });
    expect(r).toMatchObject({ firstSeq: 1, throughSeq: 4 });
    expect(await archiveAudit(store.db, audit, { at: NOW, dir: archiveDir(dir), before: day(-300) })).toBeNull();
    expect(audit.verify().ok).toBe(true);
  });

  it('still refuses to delete a row no anchor covers, and to change or delete an anchor', async () => {
    write(20, -100);
    await archiveAudit(store.db, audit, { at: NOW, dir: archiveDir(dir), before: day(-90) });
    expect(count('SELECT min(seq) FROM audit_log')).toBe(11);
    expect(() => store.db.prepare('DELETE FROM audit_log WHERE seq = 11').run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit_archives').run()).toThrow(/append-only/);
    expect(() => store.db.prepare("UPDATE audit_archives SET through_hash = ?").run('0'.repeat(64))).toThrow(/append-only/);
    // someone with the file deletes the next rows anyway: the verification says so
    store.db.exec('DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq IN (11, 12);');
    const v = audit.verify();
    expect(v.ok).toBe(false);
    expect(v.problems).toContainEqual(expect.objectContaining({ kind: 'sequence_gap', seq: 13 }));
  });

  it('refuses to archive a broken chain, and leaves no file and every row', async () => {
    write(10, -100);
    store.db.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET reason = 'edited' WHERE seq = 4;");
    await expect(archiveAudit(store.db, audit, { at: NOW, dir: archiveDir(dir), before: day(-1) })).rejects.toThrow(/row 4 does not verify/);
    expect(count('SELECT count(*) FROM audit_log')).toBe(10);
    expect(fs.readdirSync(archiveDir(dir))).toEqual([]);
  });

  it('finds each row once in the archive search after a run stopped between its deletes archived its rows left again', async () => {
    write(10, -100);
    // stopped after the first slice of deletes (the first pause follows the read, the second that slice)
    let pauses = 0;
    await expect(archiveAudit(store.db, audit, { at: NOW, dir: archiveDir(dir), before: day(-30), sliceRows: 3, between: async () => { if (++pauses === 2) throw new Error('killed'); } })).rejects.toThrow('killed');
    expect(count('SELECT min(seq) FROM audit_log')).toBe(4);
    const again = await archiveAudit(store.db, audit, { at: NOW, dir: archiveDir(dir), before: day(-30) });
    expect(again).toMatchObject({ firstSeq: 4, throughSeq: 9 });
    expect(count('SELECT count(DISTINCT file) FROM audit_archives')).toBe(2);
    const found = (await searchArchivedAudit(store.db, archiveDir(dir), {}, { limit: 100 })).rows.map((r) => r.seq);
    expect(found).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    for (const f of store.db.prepare('SELECT DISTINCT file FROM audit_archives').pluck().all() as string[]) expect((await verifyAuditArchive(store.db, path.join(archiveDir(dir), f))).problems).toEqual([]);
  });

  it('finds an archive file that was changed afterwards', async () => {
    write(10, -100);
    const r = await archiveAudit(store.db, audit, { at: NOW, dir: archiveDir(dir), before: day(-1) });
    const rows = (await lines(r!.file)).map((l) => JSON.parse(l) as unknown[]);
    rows[3]![7] = 'rewritten';
    const { gzipSync } = await import('node:zlib');
    fs.writeFileSync(r!.file, gzipSync(`${rows.map((x) => JSON.stringify(x)).join('\n')}\n`));
    const v = await verifyAuditArchive(store.db, r!.file);
    expect(v.ok).toBe(false);
    expect(v.problems.join('; ')).toMatch(/SHA-256 differs.*row 4 does not verify/);
  });
});

let nextId = 1;
function decision(d: { state: string; endedDay?: number; pushed?: boolean; pushedDay?: number; overrideOf?: number; travelDate?: string; key?: string; kind?: string }): number {
  const id = nextId++;
  const ended = d.endedDay === undefined ? null : day(d.endedDay);
  const override = d.overrideOf !== undefined;
  store.db.prepare(`INSERT INTO decisions (id, kind, key, state, source, sequence, carrier, origin, destination, flight_id, travel_date, travel_date_to, cabin, rbd, currency,
      current_value, proposed_value, payload, created_by, created_at, updated_at, ended_at, pushed_at, override_of, override_mode, override_reason)
    VALUES (?, ?, ?, ?, ?, ?, 'DF', 'FRA', 'LHR', 'DF400/2027-01-10/FRA', ?, ?, 'Y', 'M', 'EUR', 12000, ?, '{}', 'engine', ?, ?, ?, ?, ?, ?, ?)`)
    .run(id, d.kind ?? 'fare', d.key ?? `fare:k${id}`, d.state, override ? 'override' : 'engine', d.pushed ? id : null, d.travelDate ?? '2027-01-10', d.travelDate ?? '2027-01-10',
      12000 + id, day(-200), day(-200), ended, d.pushed ? day(d.pushedDay ?? -150) : null, d.overrideOf ?? null, override ? 'replace' : null, override ? 'because' : null);
  return id;
}
function item(decisionId: number, status: string): void {
  store.db.prepare(`INSERT INTO outbox_items (decision_id, channel, key, sequence, payload, status, enqueued_at) VALUES (?, 'fares', ?, 1, '{}', ?, ?)`)
    .run(decisionId, `fare:k${decisionId}`, status, day(-150));
}

describe('decision retention', () => {
  it('moves decisions that ended unpushed past their age, with their outbox items, and keeps the rest', async () => {
    nextId = 1;
    const oldSuperseded = decision({ state: 'superseded', endedDay: -60 });
    const oldRejected = decision({ state: 'rejected', endedDay: -45 });
    const oldExpiredCancelled = decision({ state: 'expired', endedDay: -40 });
    item(oldExpiredCancelled, 'cancelled');
    const recent = decision({ state: 'superseded', endedDay: -3 });
    const pushed = decision({ state: 'pushed', pushed: true });
    const pushedThenExpired = decision({ state: 'expired', endedDay: -90, pushed: true });
    const referenced = decision({ state: 'rejected', endedDay: -90 });
    decision({ state: 'proposed', overrideOf: referenced });
    const waiting = decision({ state: 'expired', endedDay: -90 });
    item(waiting, 'batched');
    const proposed = decision({ state: 'proposed' });

    const r = await archiveDecisions(store.db, audit, { at: NOW, dir: archiveDir(dir), endedBefore: day(-30), departedBefore: null, sliceRows: 2 });
    expect(r).toMatchObject({ decisions: 3, outboxItems: 1 });
    const kept = store.db.prepare('SELECT id FROM decisions ORDER BY id').pluck().all();
    expect(kept).toEqual([recent, pushed, pushedThenExpired, referenced, referenced + 1, waiting, proposed]);
    expect(count('SELECT count(*) FROM outbox_items')).toBe(1);
    const file = (await lines(r!.file)).map((l) => JSON.parse(l) as { decision: { id: number; state: string }; outbox: { status: string }[] });
    expect(file.map((x) => [x.decision.id, x.decision.state, x.outbox.map((o) => o.status)])).toEqual([
      [oldSuperseded, 'superseded', []], [oldRejected, 'rejected', []], [oldExpiredCancelled, 'expired', ['cancelled']],
    ]);
    expect(store.db.prepare('SELECT decisions, outbox_items, file FROM decision_archives').get()).toEqual({ decisions: 3, outbox_items: 1, file: path.basename(r!.file) });
    // the file verifies against its record; a changed or missing one does not
    expect(await verifyDecisionArchive(store.db, r!.file)).toEqual({ ok: true, file: r!.file, rows: 3, problems: [] });
    const whole = fs.readFileSync(r!.file);
    fs.appendFileSync(r!.file, zlib.gzipSync('{"decision":{"id":999},"outbox":[]}\n'));
    expect((await verifyDecisionArchive(store.db, r!.file)).problems).toEqual([
      `${path.basename(r!.file)} is not the file that was archived (its SHA-256 differs from the one recorded)`,
      `${path.basename(r!.file)} holds 4 decision(s) and 1 outbox item(s); 3 and 1 were recorded`,
    ]);
    fs.rmSync(r!.file);
    expect(await verifyDecisionArchive(store.db, r!.file)).toMatchObject({ ok: false, problems: [`${r!.file} is missing`] });
    fs.writeFileSync(r!.file, whole);
    expect(count("SELECT count(*) FROM audit_log WHERE entity = 'archive' AND reason LIKE '3 decision(s)%'")).toBe(1);
    expect(store.checkIntegrity('full').ok).toBe(true);
  });

  it('finishes the deletes of a run stopped between slices instead of archiving the rows left a second time', async () => {
    nextId = 1;
    const old = Array.from({ length: 7 }, (_, i) => decision({ state: 'superseded', endedDay: -60 - i }));
    item(old[6]!, 'cancelled');
    const newest = decision({ state: 'proposed' });
    // the process stops after the first slice of deletes (slices of 2, the first pause comes after it)
    let pauses = 0;
    const stop = async () => { if (++pauses > 1) throw new Error('killed'); };
    await expect(archiveDecisions(store.db, audit, { at: NOW, dir: archiveDir(dir), endedBefore: day(-30), departedBefore: null, sliceRows: 2, between: stop })).rejects.toThrow('killed');
    const left = count('SELECT count(*) FROM decisions') - 1;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(7);
    expect(count('SELECT count(*) FROM decision_archives WHERE pending IS NOT NULL')).toBe(1);
    // the next run deletes what the first file holds, and archives nothing twice
    const r = await applyRetention(store.db, audit, { auditDays: 0, decisionsDays: 30, departedDays: 0 }, { at: NOW, dir: archiveDir(dir), sliceRows: 2 });
    expect(r).toMatchObject({ resumed: left, decisions: null });
    expect(store.db.prepare('SELECT id FROM decisions').pluck().all()).toEqual([newest]);
    expect(count('SELECT count(*) FROM outbox_items')).toBe(0);
    expect(count('SELECT count(*) FROM decision_archives')).toBe(1);
    expect(count('SELECT count(*) FROM decision_archives WHERE pending IS NOT NULL')).toBe(0);
    const file = store.db.prepare('SELECT file FROM decision_archives').pluck().get() as string;
    expect((await lines(path.join(archiveDir(dir), file))).map((l) => (JSON.parse(l) as { decision: { id: number } }).decision.id)).toEqual(old);
    // a finished run leaves nothing pending either
    expect(await applyRetention(store.db, audit, { auditDays: 0, decisionsDays: 30, departedDays: 0 }, { at: NOW, dir: archiveDir(dir) })).toMatchObject({ resumed: 0, decisions: null });
    expect(store.checkIntegrity('full').ok).toBe(true);
  });

  it('moves every finished decision of a departure past its age, pushed ones and their outbox items too', async () => {
    nextId = 1;
    const pushedLongAgo = decision({ state: 'pushed', pushed: true, travelDate: '2025-06-01' });
    item(pushedLongAgo, 'accepted');
    const supersededLongAgo = decision({ state: 'superseded', endedDay: -500, travelDate: '2025-06-01' });
    const stillProposed = decision({ state: 'proposed', travelDate: '2025-06-01' });
    const queued = decision({ state: 'queued', travelDate: '2025-06-01' });
    item(queued, 'batched');
    const base = decision({ state: 'pushed', pushed: true, travelDate: '2025-06-01' });
    const override = decision({ state: 'pushed', pushed: true, travelDate: '2025-06-01', overrideOf: base });
    const recentlyFlown = decision({ state: 'pushed', pushed: true, travelDate: '2026-06-01' });
    const r = await archiveDecisions(store.db, audit, { at: NOW, dir: archiveDir(dir), endedBefore: null, departedBefore: '2025-10-21' });
    expect(r).toMatchObject({ decisions: 3, outboxItems: 1 });
    expect(store.db.prepare('SELECT id FROM decisions ORDER BY id').pluck().all()).toEqual([stillProposed, queued, base, recentlyFlown]);
    const file = (await lines(r!.file)).map((l) => (JSON.parse(l) as { decision: { id: number } }).decision.id);
    expect(file).toEqual([pushedLongAgo, supersededLongAgo, override]);
    expect(store.db.prepare('SELECT ended_before, departed_before FROM decision_archives').get()).toEqual({ ended_before: null, departed_before: '2025-10-21' });
    expect(store.db.prepare("SELECT reason FROM audit_log WHERE entity = 'archive'").pluck().get()).toMatch(/^3 decision\(s\) for departures before 2025-10-21 moved to decisions-/);
    expect(store.checkIntegrity('full').ok).toBe(true);
  });

  it('moves pushes a newer push of the same key replaced past the age; a fare keeps its prices in price_history', async () => {
    nextId = 1;
    const p1 = decision({ state: 'pushed', pushed: true, pushedDay: -100, key: 'fare:a' });
    const p2 = decision({ state: 'pushed', pushed: true, pushedDay: -50, key: 'fare:a' });
    const p3 = decision({ state: 'pushed', pushed: true, pushedDay: -10, key: 'fare:a' });
    const a1 = decision({ kind: 'authorisation', state: 'pushed', pushed: true, pushedDay: -100, key: 'auth:b' });
    item(a1, 'accepted');
    const a2 = decision({ kind: 'authorisation', state: 'pushed', pushed: true, pushedDay: -40, key: 'auth:b' });
    const base = decision({ state: 'pushed', pushed: true, pushedDay: -95, key: 'fare:c' });
    const override = decision({ state: 'pushed', pushed: true, pushedDay: -90, key: 'fare:c', overrideOf: base });
    const c3 = decision({ state: 'pushed', pushed: true, pushedDay: -60, key: 'fare:c' });
    const waiting = decision({ state: 'pushed', pushed: true, pushedDay: -100, key: 'fare:d' });
    item(waiting, 'queued');
    const d2 = decision({ state: 'pushed', pushed: true, pushedDay: -60, key: 'fare:d' });
    const flown1 = decision({ state: 'pushed', pushed: true, pushedDay: -400, key: 'fare:e', travelDate: '2025-06-01' });
    const flown2 = decision({ state: 'pushed', pushed: true, pushedDay: -380, key: 'fare:e', travelDate: '2025-06-01' });
    const newest = decision({ state: 'proposed', key: 'fare:f' });
    // a price-history row an earlier run kept for a departure now past the departed age
    store.db.prepare("INSERT INTO price_keys (id, key) VALUES (500, 'fare:z')").run();
    store.db.prepare(`INSERT INTO price_history (decision_id, key_id, origin, destination, cabin, rbd, flight_id, travel_date, travel_date_to, pushed_at, sequence, current_value, proposed_value)
      VALUES (1000, 500, 'FRA', 'LHR', 'Y', 'M', '', '2025-05-01', '2025-05-31', ?, 1, 100, 110)`).run(day(-420));

    const r = await applyRetention(store.db, audit, { auditDays: 0, decisionsDays: 30, departedDays: 180 }, { at: NOW, dir: archiveDir(dir) });
    expect(r.decisions).toMatchObject({ decisions: 4, outboxItems: 1, priceHistory: 1 });
    expect(r.priceHistoryRemoved).toBe(1);
    expect(store.db.prepare('SELECT id FROM decisions ORDER BY id').pluck().all()).toEqual([p2, p3, a2, base, override, c3, waiting, d2, newest]);
    const file = (await lines(r.decisions!.file)).map((l) => (JSON.parse(l) as { decision: { id: number } }).decision.id);
    expect(file).toEqual([p1, a1, flown1, flown2]);
    expect(store.db.prepare('SELECT key FROM price_keys').pluck().all()).toEqual(['fare:a']);
    expect(store.db.prepare('SELECT k.key, h.* FROM price_history h JOIN price_keys k ON k.id = h.key_id').all()).toEqual([{
      key: 'fare:a', decision_id: p1, key_id: expect.any(Number), origin: 'FRA', destination: 'LHR', cabin: 'Y', rbd: 'M', flight_id: 'DF400/2027-01-10/FRA', travel_date: '2027-01-10',
      travel_date_to: '2027-01-10', pushed_at: day(-100), sequence: p1, current_value: 12000, proposed_value: 12000 + p1,
    }]);
    expect(store.db.prepare("SELECT reason FROM audit_log WHERE entity = 'archive'").pluck().get()).toMatch(/^4 decision\(s\) ended unpushed or replaced by a newer push before .* or for departures before 2026-05-29 moved to/);
    expect(store.checkIntegrity('full').ok).toBe(true);
  });

  it('keeps the newest decision, so that no id is ever used twice', async () => {
    nextId = 1;
    const old = decision({ state: 'superseded', endedDay: -60 });
    const last = decision({ state: 'rejected', endedDay: -50 });
    const r = await applyRetention(store.db, audit, { auditDays: 0, decisionsDays: 30, departedDays: 0 }, { at: NOW, dir: archiveDir(dir) });
    expect(r.decisions).toMatchObject({ decisions: 1 });
    expect(store.db.prepare('SELECT id FROM decisions').pluck().all()).toEqual([last]);
    // SQLite numbers a new row after the largest id in the table: had `last` gone too, the next decision would be `old` again
    const next = store.db.prepare(`INSERT INTO decisions (kind, key, state, source, carrier, origin, destination, travel_date, travel_date_to, cabin, rbd, proposed_value, payload, created_by, created_at, updated_at)
      VALUES ('fare', 'k', 'proposed', 'engine', 'DF', 'FRA', 'LHR', '2027-01-10', '2027-01-10', 'Y', 'M', 1, '{}', 'engine', ?, ?)`).run(NOW, NOW).lastInsertRowid;
    expect(Number(next)).toBe(last + 1);
    expect(old).toBeLessThan(last);
  });

  it('finds the first decision created since an instant by the ids alone, gaps included', () => {
    expect(firstIdCreatedSince(store.db, day(0))).toBe(1);
    const at = [-50, -40, -40, -30, -20, -10];
    at.forEach((d, i) => store.db.prepare(`INSERT INTO decisions (id, kind, key, state, source, carrier, origin, destination, travel_date, travel_date_to, cabin, rbd,
        proposed_value, payload, created_by, created_at, updated_at) VALUES (?, 'fare', 'k', 'proposed', 'engine', 'DF', 'FRA', 'LHR', '2027-01-10', '2027-01-10', 'Y', 'M', 1, '{}', 'engine', ?, ?)`)
      .run(10 + i * 3, day(d), day(d)));
    // ids 10 13 16 19 22 25: the bound splits them exactly (any id in a gap before the first one created since will do)
    const split = (d: number) => {
      const bound = firstIdCreatedSince(store.db, day(d));
      const ids = store.db.prepare('SELECT id, created_at < ? AS before FROM decisions ORDER BY id').all(day(d)) as { id: number; before: number }[];
      expect(ids.every((r) => (r.id < bound) === (r.before === 1)), `at day ${d}, bound ${bound}`).toBe(true);
      return ids.filter((r) => r.before === 1).length;
    };
    expect([-60, -45, -40, -35, -10, -5].map(split)).toEqual([0, 1, 1, 3, 5, 6]);
  });

  it('keeps everything at 0 days, and applies the ages from the settings', async () => {
    nextId = 1;
    decision({ state: 'superseded', endedDay: -60 });
    decision({ state: 'pushed', pushed: true, travelDate: '2025-01-01' });
    decision({ state: 'proposed' });
    write(5, -100);
    expect(await applyRetention(store.db, audit, { auditDays: 0, decisionsDays: 0, departedDays: 0 }, { at: NOW, dir: archiveDir(dir) })).toMatchObject({ audit: null, decisions: null });
    expect(count('SELECT count(*) FROM decisions')).toBe(3);
    // a departure age below the elasticity estimates' look-back counts as the look-back (180 days)
    const r = await applyRetention(store.db, audit, { auditDays: 30, decisionsDays: 30, departedDays: 10 }, { at: NOW, dir: archiveDir(dir) });
    expect(r.decisions).toMatchObject({ decisions: 2 });
    expect(store.db.prepare('SELECT departed_before FROM decision_archives').pluck().get()).toBe('2026-05-29');
    // the five old rows and the decision archive's own row (written now) minus the newest row kept
    expect(r.audit).toMatchObject({ firstSeq: 1, throughSeq: 5 });
    expect(count('SELECT count(*) FROM decisions')).toBe(1);
    expect(audit.verify().ok).toBe(true);
  });
});
