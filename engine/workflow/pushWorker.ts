/**
 * The push worker drains the outbox through the injected PssPort: the oldest due batch first, each
 * answer stored in one transaction. A transport failure puts the batch back with a backoff (the
 * adapter behind the port does its own retries and circuit breaking; the worker only re-queues);
 * when its attempts are spent the batch is failed, visible and re-queueable. A drain can be cancelled
 * between batches and reports progress as events.
 */
import type { Clock } from '../domain/time';
import type { PssPort, PushBatch, PushBatchResult } from '../ports/pss';
import type { Fare } from '../domain/types';
import type { InventoryControl } from '../ports/pss';
import type { DrainResult, PushProgressEvent, QueueStatus } from '../api/contract/decisions';
import type { Outbox } from './outbox';
import type { PushBatchDbRow } from './repository';
import { decodePushPayload } from './payloadCodec';

export interface PushWorkerOptions {
  outbox: Outbox;
  pss: PssPort | null;
  clock: Clock;
  /** attempts per batch before it is failed (default 30: about an hour of retries at the 5-minute cap) */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** uniform [0, 1) for the backoff jitter (seeded in tests) */
  random?: () => number;
  onProgress?: (e: PushProgressEvent) => void;
  /** a monotonic clock in ms, for the age of a reused queue count (default performance.now; tests inject one) */
  monotonicMs?: () => number;
  /** after each answered batch: the decisions that became pushed or failed */
  onAnswered?: (batch: PushBatchDbRow, pushedIds: number[], failedIds: number[]) => void;
  onBatchFailed?: (batch: PushBatchDbRow, error: string, failedIds: number[]) => void;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => void;
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base·2^(attempt−1))], at least 10 % of it. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(cap * (0.1 + 0.9 * random()));
}

function errorText(e: unknown): string {
  const m = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  return m.slice(0, 500);
}

export class PushWorker {
  private running: Promise<DrainResult> | null = null;
  private controller: AbortController | null = null;
  private timer: NodeJS.Timeout | null = null;
  private loop = false;
  private readonly maxAttempts: number;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;
  private readonly monotonicMs: () => number;

  constructor(private readonly opts: PushWorkerOptions) {
    this.maxAttempts = opts.maxAttempts ?? 30;
    this.baseMs = opts.backoffBaseMs ?? 1_000;
    this.maxMs = opts.backoffMaxMs ?? 5 * 60_000;
    this.random = opts.random ?? Math.random;
    this.monotonicMs = opts.monotonicMs ?? (() => performance.now());
  }

  get configured(): boolean { return this.opts.pss !== null; }
  get draining(): boolean { return this.running !== null; }

  queue(): QueueStatus {
    return { ...this.opts.outbox.status(), draining: this.draining };
  }

  /** Drains what is due; joins a drain already running. */
  drain(opts: { signal?: AbortSignal; maxBatches?: number } = {}): Promise<DrainResult> {
    if (this.running) return this.running;
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    this.controller = controller;
    this.running = this.run(controller.signal, opts.maxBatches ?? Infinity).finally(() => {
      opts.signal?.removeEventListener('abort', onAbort);
      this.running = null;
      this.controller = null;
      if (this.loop) this.schedule();
    });
    return this.running;
  }

  /** Stops a running drain after the batch in flight (its answer is still stored if it arrives). */
  cancel(): boolean {
    if (!this.controller) return false;
    this.controller.abort();
    return true;
  }

  /** Background draining: whenever kicked, and when the next retry falls due. */
  start(): void {
    if (!this.configured) return;
    this.loop = true;
    this.schedule(0);
  }

  /** Something was queued: drain soon. */
  kick(): void {
    if (this.loop && !this.running) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.loop = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.cancel();
    await this.running?.catch(() => undefined);
  }

  private schedule(delayMs?: number): void {
    if (!this.loop) return;
    if (this.timer) clearTimeout(this.timer);
    let delay = delayMs;
    if (delay === undefined) {
      const s = this.opts.outbox.status();
      if (s.pendingBatches > 0 && s.nextAttemptAt) delay = Math.max(0, Date.parse(s.nextAttemptAt) - this.opts.clock.now().getTime());
      else if (s.queued - s.blocked > 0) delay = 0;
      else return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.drain().catch((e) => this.opts.log?.('error', 'push drain failed', { error: errorText(e) }));
    }, Math.min(delay, 2 ** 31 - 1));
    this.timer.unref?.();
  }

  /**
   * A progress event with the queue's state. Counting the queue walks its items (a cycle queues
   * hundreds of thousands): 'sending' and 'answered' events reuse a count up to a second old, across
   * drains too (the cycle drains one batch at a time); the other phases count afresh.
   */
  private emit(e: Omit<PushProgressEvent, 'queue'>, fresh?: QueueStatus, reused = false): void {
    if (!this.opts.onProgress) return;
    const t = this.monotonicMs();
    if (fresh && reused) { this.opts.onProgress({ ...e, queue: fresh }); return; }
    if (fresh) this.lastQueue = { at: t, queue: fresh };
    else if (!this.lastQueue || (e.phase !== 'sending' && e.phase !== 'answered') || t - this.lastQueue.at > 1_000) this.lastQueue = { at: t, queue: this.queue() };
    this.opts.onProgress({ ...e, queue: this.lastQueue.queue });
  }

  private lastQueue: { at: number; queue: QueueStatus } | null = null;

  private async run(signal: AbortSignal, maxBatches: number): Promise<DrainResult> {
    const { outbox, clock } = this.opts;
    const pss = this.opts.pss;
    const result: Omit<DrainResult, 'queue'> = { batches: 0, accepted: 0, rejected: 0, retrying: 0, failed: 0, replayed: 0, cancelled: false };
    if (!pss) throw new Error('no PSS is configured for pushes: set the PSS endpoint in the settings (or the sandbox) and push again');
    const base = { batchesDone: 0, accepted: 0, rejected: 0 };
    while (result.batches + result.retrying + result.failed < maxBatches) {
      if (signal.aborted) { result.cancelled = true; break; }
      const now = clock.now().toISOString();
      const next = outbox.nextBatch(now);
      if (next.kind !== 'batch') break;
      const { batch, items } = next;
      const attempt = batch.attempts + 1;
      this.emit({ phase: 'sending', batchId: batch.id, channel: batch.channel, items: items.length, attempt, ...base, error: null });
      let answer: PushBatchResult;
      try {
        const request = {
          idempotencyKey: batch.idempotency_key,
          items: items.map((i) => ({ itemId: String(i.id), key: i.key, sequence: i.sequence, payload: decodePushPayload(i.payload) })),
        };
        answer = batch.channel === 'fares'
          ? await pss.pushFares(request as PushBatch<Fare>, signal)
          : await pss.pushInventoryControls(request as PushBatch<InventoryControl>, signal);
        if (answer.idempotencyKey !== batch.idempotency_key) {
          throw new Error(`the PSS answered for idempotency key "${String(answer.idempotencyKey).slice(0, 80)}", not "${batch.idempotency_key}"`);
        }
      } catch (e) {
        if (signal.aborted) { result.cancelled = true; break; }
        const error = errorText(e);
        const at = clock.now();
        if (attempt >= this.maxAttempts) {
          const failedIds = outbox.failBatch(batch.id, `${error} (after ${attempt} attempts)`, at.toISOString());
          result.failed++;
          this.opts.log?.('warn', 'push batch failed: retries spent', { batchId: batch.id, attempts: attempt, error });
          this.opts.onBatchFailed?.(outbox.batch(batch.id)!, error, failedIds);
          this.emit({ phase: 'failed', batchId: batch.id, channel: batch.channel, items: items.length, attempt, ...base, error });
          continue;
        }
        const wait = backoffMs(attempt, this.baseMs, this.maxMs, this.random);
        outbox.retryLater(batch.id, error, at.toISOString(), new Date(at.getTime() + wait).toISOString());
        result.retrying++;
        this.opts.log?.('info', 'push attempt failed; retrying later', { batchId: batch.id, attempt, waitMs: wait, error });
        this.emit({ phase: 'retrying', batchId: batch.id, channel: batch.channel, items: items.length, attempt, ...base, error });
        break;
      }
      const s = outbox.applyAnswer(batch.id, answer, clock.now().toISOString());
      result.batches++;
      result.accepted += s.accepted;
      result.rejected += s.rejected;
      if (answer.replayed) result.replayed++;
      base.batchesDone++;
      base.accepted += s.accepted;
      base.rejected += s.rejected;
      if (s.problems.length) this.opts.log?.('warn', 'push answer incomplete', { batchId: batch.id, problems: s.problems });
      this.opts.onAnswered?.(outbox.batch(batch.id)!, s.pushedIds, s.failedIds);
      this.emit({ phase: 'answered', batchId: batch.id, channel: batch.channel, items: items.length, attempt, ...base, error: null });
    }
    // a drain limited in batches (the cycle's, one batch at a time, which reads the queue itself when it
    // stops) answers with a count up to a second old: counting at the end of every one walked the queue
    // about 4,000 times for a day's 200,000 fare changes on the sandbox network, 12 s of a 66 s push step
    const recent = maxBatches !== Infinity && this.lastQueue && this.monotonicMs() - this.lastQueue.at <= 1_000 ? this.lastQueue.queue : null;
    const done: DrainResult = { ...result, queue: recent ?? this.queue() };
    // a reused count keeps its age, so the next drains count afresh once it is a second old
    this.emit({ phase: result.cancelled ? 'cancelled' : 'done', batchId: null, channel: null, items: 0, attempt: 0, ...base, error: null }, done.queue, recent !== null);
    return done;
  }
}
