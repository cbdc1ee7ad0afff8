import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/db';
import { fixedClock } from '../domain/time';
import { AuditLog, rowHash, GENESIS_HASH } from './audit';
import { auditHeadPath, readAuditHead } from './auditHead';

let dir: string;
let store: Store;
let audit: AuditLog;
const clock = fixedClock('2026-11-25T08:00:00Z');

function write(n: number, entity = 'decision' as const): void {
  for (let i = 0; i < n; i++) {
    audit.tx(() => audit.append([{ actor: 'alice', entity, entityId: i + 1, from: 'proposed', to: 'approved', reason: `row ${i}`, detail: { i } }]));
  }
}

/** Tampering needs the guards out of the way, as an attacker with the file would do. */
function unguard(): void {
  store.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
}
function reguard(): void {
  store.db.exec(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'x'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'x'); END;`);
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-audit-'));
  store = openStore({ dataDir: dir, clock });
  audit = new AuditLog(store.db, clock, auditHeadPath(store.file));
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('audit trail', () => {
  it('chains each row to the previous one and writes the head file beside the database after each commit', () => {
    write(3);
    const rows = store.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as { seq: number; prev_hash: string; hash: string }[];
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    expect(rows[2]!.prev_hash).toBe(rows[1]!.hash);
    const head = readAuditHead(path.join(dir, 'dfae.sqlite.audit-head.json'));
    expect(head).toEqual({ status: 'ok', head: { seq: 3, hash: rows[2]!.hash, at: '2026-11-25T08:00:00.000Z' } });
    expect(audit.verify()).toMatchObject({ ok: true, rows: 3, problems: [] });
  });

  it('refuses UPDATE and DELETE on the audit table, and appends outside a transaction', () => {
    write(2);
    expect(() => store.db.prepare("UPDATE audit_log SET reason = 'edited' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(/append-only/);
    expect(() => audit.append([{ actor: 'x', entity: 'user', entityId: 'x', from: null, to: 'active', reason: 'r' }])).toThrow(/inside a transaction/);
  });

  it('rolls the chain back with the change it records', () => {
    write(1);
    expect(() => audit.tx(() => {
      audit.append([{ actor: 'bob', entity: 'decision', entityId: 9, from: 'proposed', to: 'approved', reason: 'x' }]);
      throw new Error('the change failed');
    })).toThrow('the change failed');
    expect(audit.head()!.seq).toBe(1);
    expect(audit.verify().ok).toBe(true);
  });

  it('detects an edited row in the middle', () => {
    write(5);
    unguard();
    store.db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3").run();
    const v = audit.verify();
    expect(v.ok).toBe(false);
    expect(v.problems).toContainEqual(expect.objectContaining({ kind: 'row_edited', seq: 3 }));
  });

  it('detects a deleted row in the middle', () => {
    write(5);
    unguard();
    store.db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    const v = audit.verify();
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['sequence_gap', 'chain_broken']));
  });

  it('detects the last rows deleted, through the head file', () => {
    write(5);
    unguard();
    store.db.prepare('DELETE FROM audit_log WHERE seq >= 4').run();
    reguard();
    const v = audit.verify();
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([expect.objectContaining({ kind: 'tail_missing', seq: 3, message: expect.stringMatching(/last 2 audit row\(s\) were deleted/) })]);
    // the evidence is kept: the head file is not rewritten by a failed verification
    expect(readAuditHead(auditHeadPath(store.file))).toMatchObject({ status: 'ok', head: { seq: 5 } });
  });

  it('detects a rewritten chain (row edited and every later hash recomputed)', () => {
    write(4);
    unguard();
    const rows = store.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Record<string, string | number>[];
    let prev = GENESIS_HASH;
    for (const r of rows) {
      const reason = r.seq === 2 ? 'approved, honestly' : (r.reason as string);
      const h = rowHash(prev, { seq: r.seq as number, at: r.at as string, actor: r.actor as string, entity: r.entity as string, entityId: r.entity_id as string, from: r.from_state as string, to: r.to_state as string, reason, detail: r.detail as string });
      store.db.prepare('UPDATE audit_log SET reason = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(reason, prev, h, r.seq);
      prev = h;
    }
    reguard();
    const v = audit.verify();
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([expect.objectContaining({ kind: 'head_mismatch', seq: 4 })]);
  });

  it('detects a dropped append-only guard', () => {
    write(1);
    store.db.exec('DROP TRIGGER audit_log_no_delete');
    expect(audit.verify()).toMatchObject({ ok: false, problems: [expect.objectContaining({ kind: 'append_guard_missing' })] });
  });

  it('notes a missing head file or one behind the database (a stop between commit and head write) without calling it tampering', () => {
    write(3);
    fs.rmSync(auditHeadPath(store.file));
    let v = audit.verify();
    expect(v).toMatchObject({ ok: true, problems: [expect.objectContaining({ kind: 'head_file_missing' })] });
    expect(readAuditHead(auditHeadPath(store.file))).toMatchObject({ status: 'ok', head: { seq: 3 } });
    // a commit whose head write never happened
    const noHead = new AuditLog(store.db, clock, null);
    noHead.tx(() => noHead.append([{ actor: 'a', entity: 'user', entityId: 'a', from: null, to: 'active', reason: 'r' }]));
    v = audit.verify();
    expect(v).toMatchObject({ ok: true, problems: [expect.objectContaining({ kind: 'head_behind', seq: 3 })] });
    expect(audit.verify().problems).toEqual([]);
  });

  it('writes the head file once at the end of bulk work that defers it, and a stop in between leaves it behind, not tampered', async () => {
    write(2);
    const headSeq = () => { const r = readAuditHead(auditHeadPath(store.file)); return r.status === 'ok' ? r.head.seq : null; };
    expect(headSeq()).toBe(2);
    let inside: (number | null)[] = [];
    await audit.deferHeadWrites(async () => {
      write(3);
      await Promise.resolve();
      write(2);
      inside = [headSeq(), audit.head()!.seq];
    }, Infinity);
    expect(inside).toEqual([2, 7]);
    expect(headSeq()).toBe(7);
    await audit.deferHeadWrites(async () => {
      write(1);
      // as a process stopped here would leave it: the chain verifies, the head file is behind (a note)
      const v = new AuditLog(store.db, clock, auditHeadPath(store.file)).verify();
      expect(v.ok).toBe(true);
      expect(v.problems.map((p) => p.kind)).toEqual(['head_behind']);
    }, Infinity);
    // outside bulk work, every commit writes it again
    write(1);
    expect(headSeq()).toBe(9);
  });

  it('reports an unreadable head file', () => {
    write(1);
    fs.writeFileSync(auditHeadPath(store.file), '{"version":1,"seq":"one"}');
    expect(audit.verify()).toMatchObject({ ok: false, problems: [expect.objectContaining({ kind: 'head_file_unreadable' })] });
  });
});
