import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../backend';
import { fixedClock } from '../domain/time';
import { inProcessClient, type Caller } from '../api/dispatch';
import type { Contract } from '../api/contract/index';
import { flightFare, seed, FIRST_DAY } from './__tests__/fixtures';
import { applyRetention, archiveDir } from './retention';
import { searchArchivedAudit, searchArchivedDecisions } from './archiveSearch';
import { failure } from '../api/__tests__/calls';

let dir: string;
let backend: Backend;
const NOW = '2026-11-25T08:00:00Z';
const clock = fixedClock(NOW);
const rita: Caller = { user: 'rita', role: 'revenue_manager' };
const ann: Caller = { user: 'ann', role: 'analyst' };
const as = (c: Caller) => inProcessClient<Contract>(backend.dispatcher, c);
const later = (days: number) => new Date(Date.parse(NOW) + days * 86_400_000).toISOString();

/** A manual proposal for DF400 (FRA-JFK) or DF100 (FRA-CDG), rejected with `why`. */
async function rejected(num: 400 | 100, date: string, rbd: string, amountMinor: number, why: string): Promise<number> {
  const d = await as(rita)('decisions.propose', { kind: 'fare', fare: flightFare(num, date, rbd, amountMinor), reason: `try ${rbd} at ${amountMinor}`, confirmOutsideGuardrails: true });
  await as(rita)('decisions.reject', { ids: [d.id], reason: why });
  return d.id;
}

/** A proposal left as it is (the newest decision stays in the store: retention.ts). */
async function kept(rbd: string): Promise<void> {
  await as(rita)('decisions.propose', { kind: 'fare', fare: flightFare(400, '2026-12-09', rbd, 90_000), reason: 'left open', confirmOutsideGuardrails: true });
}

/** Retention as the cycle runs it, `days` after now, with 30 days for decisions and audit rows. */
async function retain(days: number): Promise<void> {
  const r = await applyRetention(backend.store.db, backend.decisions.workflow.audit, { auditDays: 30, decisionsDays: 30, departedDays: 0 }, { at: later(days), dir: archiveDir(dir) });
  expect(r.decisions?.decisions ?? 0).toBeGreaterThan(0);
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-archive-search-'));
  backend = createBackend({
    dataDir: dir, clock, connectors: [], mode: 'sandbox', host: 'test', version: '0.0.0-test',
    decisions: { autoPush: false, scrypt: { N: 2 ** 10, r: 8, p: 1 }, expiryIntervalMs: 0 },
  });
  seed(backend.store, 3);
});
afterEach(async () => {
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the archive, searched', () => {
  it('finds archived decisions newest first across files, with every filter, their outbox items and who decided', async () => {
    const a = await rejected(400, FIRST_DAY, 'Q', 41_000, 'too low against the rival');
    const b = await rejected(100, FIRST_DAY, 'M', 56_000, 'Paris "holds" \\ for now');
    await kept('Y');
    await retain(40); // the first file: a, b (retention keeps the newest decision)
    const c = await rejected(400, '2026-12-03', 'B', 71_000, 'wait for the pickup');
    await kept('C');
    await retain(80); // the second file: c
    const db = backend.store.db;
    const adir = archiveDir(dir);
    expect(db.prepare('SELECT count(*) FROM decisions WHERE id IN (?, ?, ?)').pluck().get(a, b, c)).toBe(0);

    const all = await searchArchivedDecisions(db, adir, {}, { limit: 10 });
    expect(all.rows.map((r) => r.id)).toEqual([c, b, a]);
    expect(all.progress).toMatchObject({ filesRead: 2, filesTotal: 2, missing: [], nextFile: null, stoppedBy: 'done' });
    const rc = all.rows[0]!;
    expect(rc).toMatchObject({
      id: c, kind: 'fare', state: 'rejected', source: 'manual', origin: 'FRA', destination: 'JFK', rbd: 'B', proposedValue: 71_000,
      createdBy: 'rita', decidedBy: 'rita', decisionNote: 'wait for the pickup', sold: null, authorised: null, outbox: [],
    });
    expect(rc.payload).toMatchObject({ kind: 'fare', fare: { rbd: 'B', amountMinor: 71_000 } });
    expect(rc.file).toMatch(/^decisions-.*\.jsonl\.gz$/);
    expect(all.rows[2]!.file).not.toBe(rc.file);

    const ids = async (q: Parameters<typeof searchArchivedDecisions>[2]) => (await searchArchivedDecisions(db, adir, q, { limit: 10 })).rows.map((r) => r.id);
    expect(await ids({ id: a })).toEqual([a]);
    expect(await ids({ destination: 'CDG' })).toEqual([b]);
    expect(await ids({ origin: 'FRA', destination: 'JFK' })).toEqual([c, a]);
    expect(await ids({ text: 'PICKUP' })).toEqual([c]);
    expect(await ids({ text: 'rival' })).toEqual([a]);
    // quotes and backslashes, escaped in the file's JSON
    expect(await ids({ text: 'paris "HOLDS" \\' })).toEqual([b]);
    expect(await ids({ travelFrom: '2026-12-02' })).toEqual([c]);
    expect(await ids({ travelTo: FIRST_DAY })).toEqual([b, a]);
    expect(await ids({ state: 'superseded' })).toEqual([]);
    // a text that only a parsed field could match is not matched by the line's other text
    expect(await ids({ text: 'DF400' })).toEqual([c, a]);

    // the limit, then on from where it stopped
    const first = await searchArchivedDecisions(db, adir, {}, { limit: 2 });
    expect(first.rows.map((r) => r.id)).toEqual([c, b]);
    expect(first.progress).toMatchObject({ filesRead: 2, nextFile: 1, nextSkip: 1, stoppedBy: 'limit' });
    const next = await searchArchivedDecisions(db, adir, {}, { limit: 10, fromFile: first.progress.nextFile!, skip: first.progress.nextSkip });
    expect(next.rows.map((r) => r.id)).toEqual([a]);
    expect(next.progress).toMatchObject({ nextFile: null, stoppedBy: 'done' });
    const one = await searchArchivedDecisions(db, adir, {}, { limit: 1 });
    expect(one.progress).toMatchObject({ filesRead: 1, nextFile: 1, nextSkip: 0, stoppedBy: 'limit' });

    // a file gone from the folder is named, and the others still read
    fs.rmSync(path.join(adir, rc.file));
    const without = await searchArchivedDecisions(db, adir, {}, { limit: 10 });
    expect(without.rows.map((r) => r.id)).toEqual([b, a]);
    expect(without.progress.missing).toEqual([rc.file]);

    // a damaged file is named with where it broke; what it held before, and the other files, still count
    const other = all.rows[2]!.file;
    const good = fs.readFileSync(path.join(adir, other));
    fs.writeFileSync(path.join(adir, other), Buffer.concat([good, zlib.gzipSync('{"decision": not json\n')]));
    const damaged = await searchArchivedDecisions(db, adir, {}, { limit: 10 });
    expect(damaged.rows.map((r) => r.id)).toEqual([b, a]);
    expect(damaged.progress.unreadable).toEqual([expect.stringMatching(new RegExp(`^${other.replace(/\./g, '\\.')}: line 3 is not what an archive line holds \\(.*JSON`))]);
    fs.writeFileSync(path.join(adir, other), good.subarray(0, good.length - 9)); // cut short
    expect((await searchArchivedDecisions(db, adir, {}, { limit: 10 })).progress.unreadable).toEqual([expect.stringMatching(/cannot be read after line \d+: unexpected end of file/)]);
    fs.writeFileSync(path.join(adir, other), good);

    // a cancelled search stops
    const ac = new AbortController();
    ac.abort();
    expect((await searchArchivedDecisions(db, adir, {}, { limit: 10, signal: ac.signal })).progress.stoppedBy).toBe('cancelled');
  });

  it('finds archived audit rows by entity, id, actor and text, and answers through the API for any role', async () => {
    const a = await rejected(400, FIRST_DAY, 'Q', 41_000, 'too low against the rival');
    await kept('Y');
    await retain(40);
    const db = backend.store.db;
    const rows = (await searchArchivedAudit(db, archiveDir(dir), { entity: 'decision', entityId: String(a) }, { limit: 10 })).rows;
    expect(rows.map((r) => [r.from, r.to, r.actor])).toEqual([['proposed', 'rejected', 'rita'], [null, 'proposed', 'rita']]);
    expect(rows[0]).toMatchObject({ entity: 'decision', entityId: String(a), reason: 'rejected by rita: too low against the rival', file: expect.stringMatching(/^audit-.*\.jsonl\.gz$/) });
    expect(rows[0]!.seq).toBeGreaterThan(rows[1]!.seq);
    expect((await searchArchivedAudit(db, archiveDir(dir), { text: 'RIVAL' }, { limit: 10 })).rows.map((r) => r.entityId)).toEqual([String(a)]);
    expect((await searchArchivedAudit(db, archiveDir(dir), { actor: 'nobody' }, { limit: 10 })).rows).toEqual([]);

    const viaApi = await as(ann)('archive.decisions', { text: 'rival' });
    expect(viaApi.rows.map((r) => [r.id, r.decidedBy, r.decisionNote])).toEqual([[a, 'rita', 'too low against the rival']]);
    expect(viaApi.progress.stoppedBy).toBe('done');
    const audit = await as(ann)('archive.audit', { entity: 'decision', entityId: String(a), limit: 1 });
    expect(audit.rows.map((r) => r.to)).toEqual(['rejected']);
    expect(audit.progress.stoppedBy).toBe('limit');
    expect((await failure(as(ann)('archive.decisions', { travelFrom: '2026-12-05', travelTo: '2026-12-01' }))).field).toBe('travelFrom');
    expect((await failure(as(ann)('archive.decisions', { origin: 'fra' }))).field).toBe('origin');
  });

  it('answers an empty archive with nothing read', async () => {
    const r = await as(ann)('archive.decisions', {});
    expect(r).toEqual({ rows: [], progress: expect.objectContaining({ filesRead: 0, filesTotal: 0, nextFile: null, stoppedBy: 'done' }) });
  });
});
