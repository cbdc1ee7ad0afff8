/**
 * The durable outbox. Approved decisions are queued as items with their key's next sequence; items are
 * put into batches (one channel, one item per key) whose idempotency key is stored before the first
 * send, so every retry — after a transport error or a crash — repeats the same batch under the same key
 * and the PSS answers it once. Per-item answers are stored: the PSS reference, or the code and reason.
 *
 * Ordering: batches go strictly oldest first. A batch whose retries are spent has an unknown outcome, so
 * it holds its keys: newer items for those keys wait (`blocked`) until the batch is re-armed and
 * answered, and the PSS never receives an older sequence after a newer one.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { PushBatchResult } from '../ports/pss';
import type { QueueStatus } from '../api/contract/decisions';
import type { AuditLog } from './audit';
import { DecisionRepository, type DecisionDbRow, type OutboxItemDbRow, type PushBatchDbRow } from './repository';
import { pushPayloadOf } from './keys';
import { decodePayload, encodePushPayload } from './payloadCodec';
import { channelOf, type DecisionPayload, type PushChannel } from './types';

/** What the PSS receives for a decision, its Fare or InventoryControl, as the outbox stores it (payloadCodec.ts). */
function pushJson(d: DecisionDbRow): string {
  return encodePushPayload(pushPayloadOf(decodePayload(d.payload, d)));
}

/** Items whose key is held by a batch with unknown outcome. */
const HELD_KEYS = `SELECT o2.key FROM outbox_items o2 JOIN push_batches b2 ON b2.id = o2.batch_id WHERE b2.status = 'failed'`;

export type NextBatch =
  | { kind: 'batch'; batch: PushBatchDbRow; items: OutboxItemDbRow[] }
  | { kind: 'wait'; until: string; batchId: number }
  | { kind: 'idle' };

export interface AnswerSummary {
  accepted: number;
  rejected: number;
  /** decisions that became pushed or failed */
  pushedIds: number[];
  failedIds: number[];
  problems: string[];
}

export class Outbox {
  private readonly seqStmt;
  private readonly stmts = new Map<string, Statement>();
  /** A prepared statement, prepared once per SQL text. */
  private q(sql: string): Statement {
    let st = this.stmts.get(sql);
    if (!st) { st = this.db.prepare(sql); this.stmts.set(sql, st); }
    return st;
  }


  constructor(
    private readonly db: Database,
    private readonly repo: DecisionRepository,
    private readonly audit: AuditLog,
    /**
     * items per push batch. A batch's answer is stored in one transaction on the host's main thread
     * (~0.15-0.2 ms an item with its audit rows: 40-50 ms for 250 on the shared 2-core machine), so 100
     * keeps the event loop's longest wait well under 100 ms; the soak's 10,000 fare changes drain in
     * 12 s either way (the round trips this adds are a few ms each).
     */
    readonly batchSize = 100,
  ) {
    this.seqStmt = db.prepare(`INSERT INTO decision_keys (key, last_sequence) VALUES (?, 1)
      ON CONFLICT (key) DO UPDATE SET last_sequence = last_sequence + 1 RETURNING last_sequence`);
  }

  /** Moves approved decisions to queued: the key's next sequence and an outbox item each (inside a transaction). */
  enqueue(decisions: readonly DecisionDbRow[], actor: string, at: string): void {
    const insert = this.q(`INSERT INTO outbox_items (decision_id, channel, key, sequence, payload, status, enqueued_at)
      VALUES (?, ?, ?, ?, ?, 'queued', ?)`);
    for (const d of decisions) {
      const sequence = d.sequence ?? (this.seqStmt.get(d.key) as { last_sequence: number }).last_sequence;
      insert.run(d.id, channelOf(d.kind), d.key, sequence, pushJson(d), at);
      this.repo.move([{ id: d.id, state: 'approved' }], 'queued', actor, `queued for the PSS as sequence ${sequence} of its key`, at, { sequence, queued_at: at }, () => ({ sequence }));
    }
  }

  /**
   * Takes a superseded or expired decision's waiting item out of the queue. An item already in a batch
   * stays there: a batch's content never changes, so its retries stay identical.
   */
  cancelWaiting(decisionId: number, at: string): 'cancelled' | 'in_batch' | 'none' {
    const r = this.q("UPDATE outbox_items SET status = 'cancelled', answered_at = ? WHERE decision_id = ? AND status = 'queued'").run(at, decisionId);
    if (r.changes > 0) return 'cancelled';
    return this.q("SELECT 1 FROM outbox_items WHERE decision_id = ? AND status IN ('batched', 'failed')").get(decisionId) ? 'in_batch' : 'none';
  }

  status(): Omit<QueueStatus, 'draining'> {
    const c = this.q(`SELECT
        (SELECT count(*) FROM outbox_items WHERE status = 'queued') AS queued,
        -- the held keys' count only when a batch has failed: otherwise it walks every queued item for nothing
        CASE WHEN EXISTS (SELECT 1 FROM push_batches WHERE status = 'failed')
          THEN (SELECT count(*) FROM outbox_items WHERE status = 'queued' AND key IN (${HELD_KEYS})) ELSE 0 END AS blocked,
        (SELECT count(*) FROM push_batches WHERE status = 'pending') AS pending,
        (SELECT count(*) FROM push_batches WHERE status = 'failed') AS failed,
        (SELECT min(next_attempt_at) FROM push_batches WHERE status = 'pending') AS next`).get() as
      { queued: number; blocked: number; pending: number; failed: number; next: string | null };
    return { queued: c.queued, blocked: c.blocked, pendingBatches: c.pending, failedBatches: c.failed, nextAttemptAt: c.next };
  }

  /**
   * The next batch to send: the oldest pending batch when it is due (a pending batch not yet due makes
   * everyone wait: strict order), else a new batch formed from the oldest queued items.
   */
  nextBatch(now: string): NextBatch {
    const head = this.q("SELECT * FROM push_batches WHERE status = 'pending' ORDER BY id LIMIT 1").get() as PushBatchDbRow | undefined;
    if (head) {
      if (head.next_attempt_at > now) return { kind: 'wait', until: head.next_attempt_at, batchId: head.id };
      return { kind: 'batch', batch: head, items: this.items(head.id) };
    }
    return this.audit.tx(() => {
      const first = this.q(`SELECT channel FROM outbox_items WHERE status = 'queued' AND key NOT IN (${HELD_KEYS}) ORDER BY id LIMIT 1`).get() as { channel: PushChannel } | undefined;
      if (!first) return { kind: 'idle' } as const;
      const candidates = this.q(`SELECT * FROM outbox_items WHERE status = 'queued' AND channel = ? AND key NOT IN (${HELD_KEYS}) ORDER BY id LIMIT ?`)
        .all(first.channel, this.batchSize) as OutboxItemDbRow[];
      const seen = new Set<string>();
      const items = candidates.filter((i) => !seen.has(i.key) && (seen.add(i.key), true));
      const key = `dfae-${first.channel}-${randomUUID()}`;
      const batchId = Number(this.q(`INSERT INTO push_batches (channel, idempotency_key, status, items, next_attempt_at, created_at)
        VALUES (?, ?, 'pending', ?, ?, ?)`).run(first.channel, key, items.length, now, now).lastInsertRowid);
      const assign = this.q("UPDATE outbox_items SET status = 'batched', batch_id = ? WHERE id = ?");
      for (const i of items) assign.run(batchId, i.id);
      this.audit.append([{ actor: 'system:push', entity: 'batch', entityId: batchId, from: null, to: 'pending', reason: `batch of ${items.length} ${first.channel} item(s) formed`, detail: { idempotencyKey: key } }], now);
      const batch = this.q('SELECT * FROM push_batches WHERE id = ?').get(batchId) as PushBatchDbRow;
      return { kind: 'batch', batch, items: this.items(batchId) } as const;
    });
  }

  items(batchId: number): OutboxItemDbRow[] {
    return this.q('SELECT * FROM outbox_items WHERE batch_id = ? ORDER BY id').all(batchId) as OutboxItemDbRow[];
  }

  batch(batchId: number): PushBatchDbRow | undefined {
    return this.q('SELECT * FROM push_batches WHERE id = ?').get(batchId) as PushBatchDbRow | undefined;
  }

  /** Stores the PSS's per-item answers and moves the decisions still waiting on them (one transaction). */
  applyAnswer(batchId: number, result: PushBatchResult, at: string): AnswerSummary {
    return this.audit.tx(() => {
      const batch = this.batch(batchId);
      if (!batch || batch.status !== 'pending') throw new Error(`push batch ${batchId} is not pending (it is ${batch?.status ?? 'missing'})`);
      const items = this.items(batchId);
      const answers = new Map(result.items.map((a) => [a.itemId, a]));
      const summary: AnswerSummary = { accepted: 0, rejected: 0, pushedIds: [], failedIds: [], problems: [] };
      const setItem = this.q('UPDATE outbox_items SET status = ?, answered_at = ?, reference = ?, code = ?, reason = ? WHERE id = ?');
      for (const item of items) {
        const a = answers.get(String(item.id));
        const d = this.repo.get(item.decision_id)!;
        if (!a) summary.problems.push(`no answer for item ${item.id}`);
        if (a?.status === 'accepted') {
          summary.accepted++;
          setItem.run('accepted', at, a.reference, null, null, item.id);
          if (d.state === 'queued') {
            this.repo.move([d], 'pushed', 'system:push', `the PSS accepted it (reference ${a.reference})`, at,
              { pushed_at: at, pss_reference: a.reference, failure_code: null, failure_reason: null }, () => ({ batchId, reference: a.reference, sequence: item.sequence }));
            summary.pushedIds.push(d.id);
          }
        } else {
          summary.rejected++;
          const code = a?.status === 'rejected' ? a.code : 'no_answer';
          const reason = a?.status === 'rejected' ? a.reason : `the PSS answer for batch ${batch.idempotency_key} had no item ${item.id}`;
          setItem.run('rejected', at, null, code, reason, item.id);
          if (d.state === 'queued') {
            this.repo.move([d], 'failed', 'system:push', `the PSS rejected it: ${code}: ${reason}`, at,
              { failure_code: code, failure_reason: reason }, () => ({ batchId, code, sequence: item.sequence }));
            summary.failedIds.push(d.id);
          }
        }
      }
      const known = new Set(items.map((i) => String(i.id)));
      const strangers = result.items.filter((a) => !known.has(a.itemId)).length;
      if (strangers) summary.problems.push(`${strangers} answer(s) for items not in the batch were ignored`);
      this.q(`UPDATE push_batches SET status = 'answered', attempts = attempts + 1, replayed = ?, pss_received_at = ?, accepted = ?, rejected = ?,
        answered_at = ?, last_error = ? WHERE id = ?`).run(result.replayed ? 1 : 0, result.receivedAt, summary.accepted, summary.rejected, at,
        summary.problems.length ? summary.problems.join('; ') : null, batchId);
      this.audit.append([{ actor: 'system:push', entity: 'batch', entityId: batchId, from: 'pending', to: 'answered',
        reason: `the PSS answered: ${summary.accepted} accepted, ${summary.rejected} rejected${result.replayed ? ' (a replay of its first answer)' : ''}`,
        detail: { idempotencyKey: batch.idempotency_key, replayed: result.replayed } }], at);
      return summary;
    });
  }

  /** A transport failure: try again at `nextAttemptAt`. */
  retryLater(batchId: number, error: string, at: string, nextAttemptAt: string): void {
    this.audit.tx(() => {
      this.q('UPDATE push_batches SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?').run(error, nextAttemptAt, batchId);
      this.audit.append([{ actor: 'system:push', entity: 'batch', entityId: batchId, from: 'pending', to: 'pending', reason: `push attempt failed: ${error}; next attempt at ${nextAttemptAt}` }], at);
    });
  }

  /** Retries spent: the batch is failed (outcome unknown) and its waiting decisions become failed, re-queueable. */
  failBatch(batchId: number, error: string, at: string): number[] {
    return this.audit.tx(() => {
      this.q("UPDATE push_batches SET status = 'failed', attempts = attempts + 1, last_error = ?, answered_at = ? WHERE id = ?").run(error, at, batchId);
      this.q("UPDATE outbox_items SET status = 'failed' WHERE batch_id = ?").run(batchId);
      this.audit.append([{ actor: 'system:push', entity: 'batch', entityId: batchId, from: 'pending', to: 'failed', reason: `retries spent: ${error}` }], at);
      const waiting = this.q(`SELECT d.* FROM decisions d JOIN outbox_items o ON o.decision_id = d.id WHERE o.batch_id = ? AND d.state = 'queued'`).all(batchId) as DecisionDbRow[];
      this.repo.move(waiting, 'failed', 'system:push', `push failed after retries: ${error}`, at, { failure_code: 'transport', failure_reason: error }, () => ({ batchId }));
      return waiting.map((d) => d.id);
    });
  }

  /**
   * Re-queues failed decisions (inside a transaction). A decision whose batch failed in transport re-arms
   * that whole batch under its idempotency key (the PSS may have applied it: a replay tells); a decision
   * the PSS rejected gets a new item with its same sequence.
   */
  requeue(decisions: readonly DecisionDbRow[], actor: string, at: string): { requeued: number[]; batchesRearmed: number[] } {
    const batches = new Set<number>();
    const requeued: number[] = [];
    const insert = this.q(`INSERT INTO outbox_items (decision_id, channel, key, sequence, payload, status, enqueued_at) VALUES (?, ?, ?, ?, ?, 'queued', ?)`);
    for (const d of decisions) {
      const last = this.q('SELECT * FROM outbox_items WHERE decision_id = ? ORDER BY id DESC LIMIT 1').get(d.id) as OutboxItemDbRow | undefined;
      if (last?.status === 'failed' && last.batch_id !== null) {
        batches.add(last.batch_id);
        continue;
      }
      insert.run(d.id, channelOf(d.kind), d.key, d.sequence!, pushJson(d), at);
      this.repo.move([d], 'queued', actor, `re-queued for the PSS (sequence ${d.sequence})`, at, { queued_at: at, failure_code: null, failure_reason: null });
      requeued.push(d.id);
    }
    for (const b of batches) requeued.push(...this.rearm(b, actor, at));
    return { requeued, batchesRearmed: [...batches] };
  }

  /** Re-arms a failed batch: pending again, due now, its failed decisions queued again. */
  rearm(batchId: number, actor: string, at: string): number[] {
    this.q("UPDATE push_batches SET status = 'pending', attempts = 0, next_attempt_at = ?, answered_at = NULL WHERE id = ? AND status = 'failed'").run(at, batchId);
    this.q("UPDATE outbox_items SET status = 'batched' WHERE batch_id = ? AND status = 'failed'").run(batchId);
    this.audit.append([{ actor, entity: 'batch', entityId: batchId, from: 'failed', to: 'pending', reason: 're-armed: it is retried under its own idempotency key' }], at);
    const failed = this.q(`SELECT d.* FROM decisions d JOIN outbox_items o ON o.decision_id = d.id WHERE o.batch_id = ? AND d.state = 'failed'`).all(batchId) as DecisionDbRow[];
    this.repo.move(failed, 'queued', actor, `re-queued with batch ${batchId} (retried under its idempotency key)`, at, { queued_at: at, failure_code: null, failure_reason: null });
    return failed.map((d) => d.id);
  }
}
