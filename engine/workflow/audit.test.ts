import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/db';
import { fixedClock } from '../domain/time';
import { AuditLog, rowHash, GENESIS_HASH } from './audit';
import { MIGRATIONS } from '../store/migrations/index';
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
    const rows = store.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as ({ seq: number; hash: string } & Parameters<typeof rowHash>[1] & { entity_id: string; from_state: string | null; to_state: string })[];
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    // each row's hash covers the hash of the row before (the first: the genesis hash); no row stores it again
    const fields = (r: (typeof rows)[number]) => ({ ...r, entityId: r.entity_id, from: r.from_state, to: r.to_state });
    expect(rows[0]!.hash).toBe(rowHash(GENESIS_HASH, fields(rows[0]!)));
    expect(rows[1]!.hash).toBe(rowHash(rows[0]!.hash, fields(rows[1]!)));
    expect(rows[2]!.hash).toBe(rowHash(rows[1]!.hash, fields(rows[2]!)));
    expect(Object.keys(rows[0]!)).not.toContain('prev_hash');
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

  it('detects a row edited with its own hash recomputed, at the row after it', () => {
    write(4);
    unguard();
    const r = store.db.prepare('SELECT * FROM audit_log WHERE seq = 2').get() as Record<string, string | number>;
    const prev = store.db.prepare('SELECT hash FROM audit_log WHERE seq = 1').pluck().get() as string;
    const h = rowHash(prev, { seq: 2, at: r.at as string, actor: 'mallory', entity: r.entity as string, entityId: r.entity_id as string, from: r.from_state as string, to: r.to_state as string, reason: r.reason as string, detail: r.detail as string });
    store.db.prepare("UPDATE audit_log SET actor = 'mallory', hash = ? WHERE seq = 2").run(h);
    reguard();
    const v = audit.verify();
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([expect.objectContaining({ kind: 'row_edited', seq: 3, message: expect.stringMatching(/row 3 .* does not match its hash: it was edited after it was written, or the row before it was rewritten/) })]);
  });

  it('keeps a chain written with the previous hash in each row (before migration 18): it verifies and goes on after it', () => {
    store.close();
    const old = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-audit-v17-'));
    try {
      const v17 = openStore({ dataDir: old, clock, migrations: MIGRATIONS.filter((m) => m.version <= 17) });
      let prev = GENESIS_HASH;
      for (let seq = 1; seq <= 3; seq++) {
        const r = { seq, at: '2026-11-24T08:00:00.000Z', actor: 'alice', entity: 'decision', entityId: String(seq), from: 'proposed', to: 'approved', reason: `old row ${seq}`, detail: '{}' };
        const hash = rowHash(prev, r);
        v17.db.prepare('INSERT INTO audit_log (seq, at, actor, entity, entity_id, from_state, to_state, reason, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(seq, r.at, r.actor, r.entity, r.entityId, r.from, r.to, r.reason, r.detail, prev, hash);
        prev = hash;
      }
      v17.close();
      store = openStore({ dataDir: old, clock });
      expect(store.migrated).toContain(18);
      audit = new AuditLog(store.db, clock, null);
      write(2);
      expect(audit.verify()).toMatchObject({ ok: true, rows: 5, problems: [] });
      expect(audit.search({ limit: 5 }).map((r) => r.reason)).toEqual(['row 1', 'row 0', 'old row 3', 'old row 2', 'old row 1']);
    } finally {
      store.close();
      fs.rmSync(old, { recursive: true, force: true });
      store = openStore({ dataDir: dir, clock });
    }
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
      store.db.prepare('UPDATE audit_log SET reason = ?, hash = ? WHERE seq = ?').run(reason, h, r.seq);
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
