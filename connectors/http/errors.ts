/**
 * The one error an outbound call ends with: what failed (connector, method, URL without query), how
 * (`kind`, status), after how many attempts, and what to do. Messages are redacted when built; the
 * original error is kept only as a redacted plain object (`detail`).
 */
import type { FeedError } from '../../engine/ports/feed-sync';

export type HttpFailureKind =
  /** could not connect (refused, unreachable, connect timeout) */
  | 'connect'
  /** the whole-request deadline or a headers/body timeout passed */
  | 'timeout'
  /** TLS: protocol older than 1.2 offered, untrusted certificate, handshake failure */
  | 'tls'
  /** the connection broke (reset, closed early, truncated body) */
  | 'network'
  /** the server answered with an error status */
  | 'status'
  /** the body was not what was expected (malformed JSON, schema mismatch, too large) */
  | 'payload'
  /** authentication failed (token endpoint refused, or 401 after renewing the token) */
  | 'auth'
  /** the circuit breaker refused the call */
  | 'breaker_open'
  /** the caller cancelled */
  | 'aborted'
  /** the request could not be built (bad URL, plain HTTP to a remote host) */
  | 'config';

export interface HttpCallErrorInit {
  kind: HttpFailureKind;
  connector: string;
  method: string;
  /** origin + path, never the query string */
  url: string;
  status?: number;
  attempts: number;
  retryable: boolean;
  /** what happened, already redacted */
  summary: string;
  /** what to do, already redacted */
  hint: string;
  retryAfterMs?: number;
  detail?: unknown;
}

export class HttpCallError extends Error {
  readonly kind: HttpFailureKind;
  readonly connector: string;
  readonly method: string;
  readonly url: string;
  readonly status?: number;
  readonly attempts: number;
  /** whether a later run may succeed without changing anything */
  readonly retryable: boolean;
  readonly hint: string;
  readonly retryAfterMs?: number;
  /** the underlying error(s), redacted plain objects */
  readonly detail?: unknown;

  constructor(init: HttpCallErrorInit) {
    const tries = init.attempts === 1 ? '1 attempt' : `${init.attempts} attempts`;
    super(`${init.connector}: ${init.method} ${init.url} failed after ${tries}: ${init.summary}. What to do: ${init.hint}`);
    this.name = 'HttpCallError';
    this.kind = init.kind;
    this.connector = init.connector;
    this.method = init.method;
    this.url = init.url;
    this.status = init.status;
    this.attempts = init.attempts;
    this.retryable = init.retryable;
    this.hint = init.hint;
    this.retryAfterMs = init.retryAfterMs;
    this.detail = init.detail;
  }

  /** The stable code stored with a feed run, e.g. "status_503", "timeout". */
  get code(): string {
    return this.kind === 'status' && this.status !== undefined ? `status_${this.status}` : this.kind;
  }

  /** The run-record form of this error. */
  toFeedError(): FeedError {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}
