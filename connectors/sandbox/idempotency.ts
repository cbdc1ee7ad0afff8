/**
 * Idempotent writes: the first answer to an idempotency key is kept with a hash of the request body. A
 * replay with the same body gets the first answer back and changes nothing; the same key with another
 * body is refused (422), since it means the client reused a key for a different batch.
 */
import { createHash } from 'node:crypto';
import { HttpError } from './http/errors';
import type { RequestContext } from './http/server';

export interface Remembered<T> {
  bodyHash: string;
  receivedAt: string;
  status: number;
  answer: T;
}

export class IdempotencyStore<T> {
  private readonly seen = new Map<string, Remembered<T>>();

  constructor(private readonly what: string) {}

  /** The request's key (header `Idempotency-Key`), or a 400 when it is missing or unusable. */
  static keyOf(ctx: RequestContext): string {
    const key = ctx.headers['idempotency-key'];
    const k = Array.isArray(key) ? key[0] : key;
    if (!k) throw new HttpError(400, 'idempotency_key_required', 'the Idempotency-Key header is required on this endpoint', { field: 'Idempotency-Key' });
    if (k.length < 8 || k.length > 200) throw new HttpError(400, 'invalid_request', 'Idempotency-Key must have 8 to 200 characters', { field: 'Idempotency-Key' });
    return k;
  }

  /**
   * Answers a request: a remembered answer for a known key (same body), a 422 for a known key with another
   * body, or `apply()`'s answer, remembered. Returns whether it was a replay.
   */
  handle(key: string, body: Buffer, receivedAt: string, apply: () => { status: number; answer: T }): { replayed: boolean; remembered: Remembered<T> } | { conflict: true } {
    const bodyHash = createHash('sha256').update(body).digest('hex');
    const prior = this.seen.get(key);
    if (prior) {
      if (prior.bodyHash !== bodyHash) return { conflict: true };
      return { replayed: true, remembered: prior };
    }
    const { status, answer } = apply();
    const remembered = { bodyHash, receivedAt, status, answer };
    this.seen.set(key, remembered);
    return { replayed: false, remembered };
  }

  conflictError(key: string): HttpError {
    return new HttpError(422, 'idempotency_key_reused', `Idempotency-Key "${key.slice(0, 40)}" was already used for a different ${this.what}; use a new key for a new ${this.what}`, { field: 'Idempotency-Key' });
  }

  get size(): number {
    return this.seen.size;
  }
}
