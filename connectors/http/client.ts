/**
 * The HTTP client every adapter uses: undici underneath, and the whole resilience toolkit on each call.
 *
 * - Timeouts: `connectTimeoutMs` on connecting (TLS handshake included) and `requestTimeoutMs` on the
 *   whole request, body included (an AbortSignal per attempt).
 * - Retries: exponential backoff with full jitter, or the server's Retry-After (seconds or HTTP-date).
 *   Idempotent methods are retried; POST/PATCH only with an idempotency key (sent as `Idempotency-Key`)
 *   or when the caller asserts the call is side-effect free (`retrySafe`, e.g. an OAuth2 token request).
 *   A failure to connect is retried for every method: nothing was sent.
 * - A circuit breaker per connector: each attempt is one outcome; an open breaker fails the call at once.
 * - Auth: a bearer token from a TokenProvider; a 401 invalidates it, fetches a new one and retries once.
 * - TLS: TLS 1.2 or newer, certificates verified, optional CA bundle (tls.ts). Plain HTTP only to loopback.
 * - Secrets: errors and events are built from redacted text; no header or body is ever put in them.
 */
import { Agent, request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { systemClock, type Clock } from '../../engine/domain/time';
import { retryPolicy, parseRetryAfter, type RetryPolicy } from '../resilience/backoff';
import { retry, RetryGaveUp, type RetryVerdict } from '../resilience/retry';
import { realSleep, type Random, type Sleep } from '../resilience/random';
import { BreakerOpenError, CircuitBreaker, type BreakerOutcome, type CircuitBreakerOptions } from '../resilience/breaker';
import { HttpCallError, type HttpFailureKind } from './errors';
import { Redactor } from './redact';
import { describeTlsError, opensslReason, tlsConnectOptions, type TlsPolicyOptions } from './tls';

/** Supplies bearer tokens; `invalidate` drops a token the server refused (401). */
export interface TokenProvider {
  token(signal?: AbortSignal): Promise<string>;
  invalidate(token: string): void;
}

export type HttpMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];

export interface HttpRequest {
  method: HttpMethod;
  /** a path below the base URL ("/v1/bookings"), or an absolute URL */
  path: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** a JSON body (sent as application/json) */
  json?: unknown;
  /** a form body (sent as application/x-www-form-urlencoded) */
  form?: Record<string, string>;
  /** makes a POST/PATCH retryable; sent as the `Idempotency-Key` header */
  idempotencyKey?: string;
  /** the caller asserts the call has no side effects, so it may be retried whatever its method */
  retrySafe?: boolean;
  /** statuses besides 2xx that are answers rather than failures (e.g. 404 for "no such flight") */
  okStatuses?: readonly number[];
  /** overrides the client's whole-request timeout for this call */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** false: send without the bearer token (default true when the client has a TokenProvider) */
  auth?: boolean;
}

export interface HttpResponse {
  status: number;
  /** lower-case names; repeated headers joined with ", " */
  headers: Readonly<Record<string, string>>;
  body: Buffer;
  /** attempts the call took (1 = no retry) */
  attempts: number;
  /** latency of the successful attempt, ms */
  latencyMs: number;
}

export interface HttpJsonResponse<T> extends Omit<HttpResponse, 'body'> {
  data: T;
}

export type HttpEvent =
  | { type: 'attempt'; connector: string; method: string; url: string; attempt: number; status: number | null; latencyMs: number; ok: boolean; failure?: string }
  | { type: 'retry'; connector: string; method: string; url: string; attempt: number; delayMs: number; reason: string }
  | { type: 'token_renewed'; connector: string; method: string; url: string };

export interface HttpClientOptions {
  /** the connector's name: in errors, events and the breaker */
  name: string;
  /** e.g. "https://pss.example.com/api"; request paths are appended to it */
  baseUrl: string;
  tls?: TlsPolicyOptions;
  /** default 5 000 ms */
  connectTimeoutMs?: number;
  /** the whole request, body included; default 30 000 ms */
  requestTimeoutMs?: number;
  /** default 64 MiB */
  maxResponseBytes?: number;
  retry?: Partial<RetryPolicy>;
  /** a breaker instance, options for a new one, or null for none; default: a new breaker named `name` */
  breaker?: CircuitBreaker | Omit<CircuitBreakerOptions, 'name' | 'clock'> | null;
  auth?: TokenProvider;
  redactor?: Redactor;
  /** headers sent with every request (e.g. an API-key header: add its value to the redactor too) */
  headers?: Record<string, string>;
  /** allow http:// to a non-loopback host (never needed outside tests of this rule); default false */
  allowPlainHttp?: boolean;
  /** connections per origin, default 8 */
  connections?: number;
  clock?: Clock;
  sleep?: Sleep;
  random?: Random;
}

const USER_AGENT = 'DFAE-Workbench (+connectors)';

export class HttpClient {
  readonly name: string;
  readonly baseUrl: URL;
  readonly breaker: CircuitBreaker | null;
  readonly redactor: Redactor;
  private readonly dispatcher: Dispatcher;
  private readonly policy: RetryPolicy;
  private readonly requestTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly auth?: TokenProvider;
  private readonly defaultHeaders: Record<string, string>;
  private readonly allowPlainHttp: boolean;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly random: Random;
  private readonly listeners = new Set<(e: HttpEvent) => void>();

  constructor(opts: HttpClientOptions) {
    this.name = opts.name;
    this.redactor = opts.redactor ?? new Redactor();
    this.allowPlainHttp = opts.allowPlainHttp ?? false;
    this.baseUrl = this.checkUrl(opts.baseUrl, 'baseUrl');
    this.policy = retryPolicy(opts.retry);
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 5_000;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.maxResponseBytes = opts.maxResponseBytes ?? 64 * 1024 * 1024;
    this.auth = opts.auth;
    this.defaultHeaders = { 'user-agent': USER_AGENT, ...lowerKeys(opts.headers ?? {}) };
    this.clock = opts.clock ?? systemClock;
    this.sleep = opts.sleep ?? realSleep;
    this.random = opts.random ?? Math.random;
    this.breaker = opts.breaker === null ? null
      : opts.breaker instanceof CircuitBreaker ? opts.breaker
        : new CircuitBreaker({ ...(opts.breaker ?? {}), name: opts.name, clock: this.clock });
    this.dispatcher = new Agent({
      connect: { timeout: this.connectTimeoutMs, ...tlsConnectOptions(opts.tls) },
      // backstops; the per-attempt AbortSignal enforces the whole-request deadline
      headersTimeout: this.requestTimeoutMs,
      bodyTimeout: this.requestTimeoutMs,
      connections: opts.connections ?? 8,
    });
  }

  /** Sends a request; resolves with the raw body, or throws HttpCallError. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const { raw, attempts } = await this.send(req, () => undefined);
    return { ...raw, attempts };
  }

  /**
   * Sends a request and parses the body as JSON (checked against `schema` when given). Malformed JSON is
   * retried like a transient fault (for retryable calls); a schema mismatch is not.
   */
  async json<T = unknown>(req: HttpRequest, schema?: z.ZodType<T>): Promise<HttpJsonResponse<T>> {
    const withAccept = { ...req, headers: { accept: 'application/json', ...(req.headers ?? {}) } };
    const { raw, value, attempts } = await this.send(withAccept, (r) => parseJsonBody(r, schema, this.redactor));
    const { body: _body, ...rest } = raw;
    return { ...rest, data: value as T, attempts };
  }

  /** Subscribes to attempt, retry and token-renewal events; returns the unsubscribe function. */
  onEvent(listener: (e: HttpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /** Closes pooled connections. */
  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private emit(e: HttpEvent): void {
    for (const l of [...this.listeners]) {
      try { l(e); } catch { /* a listener's failure never fails a call */ }
    }
  }

  private checkUrl(text: string, field: string): URL {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new Error(`${this.name}: ${field} "${this.redactor.redact(text)}" is not an absolute URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${this.name}: ${field} must be http(s), got ${url.protocol}`);
    if (url.username || url.password) throw new Error(`${this.name}: ${field} must not carry credentials; configure them as secrets`);
    if (url.protocol === 'http:' && !this.allowPlainHttp && !isLoopback(url.hostname)) {
      throw new Error(`${this.name}: ${field} ${url.origin} uses plain HTTP to a remote host; DFAE requires https (TLS 1.2+) outside this machine`);
    }
    return url;
  }

  private resolve(req: HttpRequest): URL {
    let url: URL;
    if (/^https?:\/\//i.test(req.path)) url = this.checkUrl(req.path, 'request URL');
    else {
      url = new URL(this.baseUrl.href);
      const base = url.pathname.replace(/\/+$/, '');
      url.pathname = `${base}${req.path.startsWith('/') ? '' : '/'}${req.path}`;
    }
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) for (const x of v) url.searchParams.append(k, String(x));
      else url.searchParams.set(k, String(v));
    }
    return url;
  }

  private async send<T>(req: HttpRequest, parse: (raw: RawResponse) => T): Promise<{ raw: Omit<HttpResponse, 'attempts'>; value: T; attempts: number }> {
    const method = req.method;
    const url = this.resolve(req);
    const shownUrl = this.redactor.redact(`${url.origin}${url.pathname}`);
    const retryAllowed = IDEMPOTENT_METHODS.has(method) || req.idempotencyKey !== undefined || req.retrySafe === true;
    const call: CallState = { req, url, shownUrl, renewed: false };
    let attempts = 0;
    try {
      const out = await retry(async (attempt) => {
        attempts = attempt;
        return this.attempt(call, attempt, parse);
      }, {
        policy: this.policy,
        random: this.random,
        sleep: this.sleep,
        signal: req.signal,
        // once the breaker has opened, waiting to retry only meets its refusal
        classify: (e) => (this.breaker?.state() === 'open' ? { retry: false } : classify(e, retryAllowed)),
        onRetry: (info) => this.emit({ type: 'retry', connector: this.name, method, url: shownUrl, attempt: info.attempt, delayMs: info.delayMs, reason: info.reason }),
      });
      return { ...out, attempts };
    } catch (e) {
      if (e instanceof RetryGaveUp) throw this.finalError(e, call, retryAllowed);
      throw e;
    }
  }

  private async attempt<T>(call: CallState, attempt: number, parse: (raw: RawResponse) => T): Promise<{ raw: Omit<HttpResponse, 'attempts'>; value: T }> {
    const permit = this.breaker?.acquire();
    const t0 = performance.now();
    let status: number | null = null;
    try {
      const useAuth = this.auth !== undefined && call.req.auth !== false;
      let token = useAuth ? await this.token(call.req.signal) : undefined;
      let raw = await this.exchange(call, token);
      if (raw.status === 401 && useAuth && token !== undefined && !call.renewed) {
        call.renewed = true;
        this.auth!.invalidate(token);
        this.emit({ type: 'token_renewed', connector: this.name, method: call.req.method, url: call.shownUrl });
        token = await this.token(call.req.signal);
        raw = await this.exchange(call, token);
      }
      status = raw.status;
      const ok = (raw.status >= 200 && raw.status < 300) || (call.req.okStatuses ?? []).includes(raw.status);
      if (!ok) throw this.statusFailure(raw, useAuth && call.renewed);
      const value = parse(raw);
      const latencyMs = performance.now() - t0;
      permit?.release('success');
      this.emit({ type: 'attempt', connector: this.name, method: call.req.method, url: call.shownUrl, attempt, status, latencyMs, ok: true });
      return { raw: { ...raw, latencyMs }, value };
    } catch (e) {
      const f = this.toFailure(e);
      permit?.release(f.breaker, f.summary);
      this.emit({ type: 'attempt', connector: this.name, method: call.req.method, url: call.shownUrl, attempt, status: f.status ?? status, latencyMs: performance.now() - t0, ok: false, failure: f.summary });
      throw f;
    }
  }

  private async token(signal?: AbortSignal): Promise<string> {
    try {
      const t = await this.auth!.token(signal);
      this.redactor.add(t);
      return t;
    } catch (e) {
      if (e instanceof HttpCallError) {
        const availability = e.kind === 'connect' || e.kind === 'timeout' || e.kind === 'network' || (e.kind === 'status' && (e.status ?? 0) >= 500);
        throw new AttemptFailure({
          kind: 'auth', summary: `could not obtain an access token (${e.code})`, hint: e.hint,
          transient: false, breaker: availability ? 'failure' : 'neutral', detail: this.redactor.redactError(e),
        });
      }
      throw e;
    }
  }

  /** One request/response exchange under the whole-request deadline. */
  private async exchange(call: CallState, token: string | undefined): Promise<RawResponse> {
    const { req, url } = call;
    const timeoutMs = req.timeoutMs ?? this.requestTimeoutMs;
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
    const headers: Record<string, string> = { ...this.defaultHeaders, ...lowerKeys(req.headers ?? {}) };
    let body: string | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] ??= 'application/json';
    } else if (req.form !== undefined) {
      body = new URLSearchParams(req.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    if (req.idempotencyKey !== undefined) headers['idempotency-key'] = req.idempotencyKey;
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    try {
      const res = await request(url, { method: req.method, headers, body, signal, dispatcher: this.dispatcher });
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > this.maxResponseBytes) {
        discard(res.body);
        throw new AttemptFailure({ kind: 'payload', summary: `response of ${declared} bytes exceeds the ${this.maxResponseBytes}-byte limit`, hint: 'ask for smaller pages (a lower page size)', transient: false, breaker: 'neutral', status: res.statusCode });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > this.maxResponseBytes) {
          discard(res.body);
          throw new AttemptFailure({ kind: 'payload', summary: `response exceeds the ${this.maxResponseBytes}-byte limit`, hint: 'ask for smaller pages (a lower page size)', transient: false, breaker: 'neutral', status: res.statusCode });
        }
        chunks.push(chunk as Buffer);
      }
      return { status: res.statusCode, headers: flattenHeaders(res.headers), body: Buffer.concat(chunks) };
    } catch (e) {
      if (e instanceof AttemptFailure) throw e;
      if (req.signal?.aborted) throw new AttemptFailure({ kind: 'aborted', summary: 'cancelled by the caller', hint: 'none: the run was cancelled', transient: false, breaker: 'neutral' });
      if (deadline.aborted) {
        throw new AttemptFailure({
          kind: 'timeout', summary: `no complete answer within ${timeoutMs} ms`, transient: true, breaker: 'failure',
          hint: 'the system is slow or hung; if it is only slow, raise requestTimeoutMs',
        });
      }
      throw e;
    }
  }

  private statusFailure(raw: RawResponse, afterRenewal: boolean): AttemptFailure {
    const s = raw.status;
    const snippet = this.redactor.redact(raw.body.toString('utf8', 0, Math.min(raw.body.length, 300))).replace(/\s+/g, ' ').trim();
    const said = snippet ? `: ${snippet}` : '';
    if (s === 401 || s === 403) {
      return new AttemptFailure({
        kind: s === 401 ? 'auth' : 'status', status: s, transient: false, breaker: 'neutral',
        summary: `server answered ${s}${afterRenewal ? ' again after renewing the access token' : ''}${said}`,
        hint: s === 401 ? 'check the client id and secret and the token endpoint' : 'the credentials lack a permission (scope) this call needs',
      });
    }
    if (s === 429 || s === 408 || s === 425) {
      return new AttemptFailure({
        kind: 'status', status: s, transient: true, breaker: s === 408 ? 'failure' : 'neutral',
        retryAfterMs: parseRetryAfter(raw.headers['retry-after'], this.clock.now()),
        summary: `server answered ${s}${s === 429 ? ' (too many requests)' : ''}${said}`,
        hint: 'the system is throttling or busy; sync less often or lower the page rate',
      });
    }
    if (s >= 500) {
      const transient = s !== 501 && s !== 505;
      return new AttemptFailure({
        kind: 'status', status: s, transient, breaker: transient ? 'failure' : 'neutral',
        retryAfterMs: parseRetryAfter(raw.headers['retry-after'], this.clock.now()),
        summary: `server answered ${s}${said}`,
        hint: transient ? 'the external system is failing: check its status; the breaker opens if it keeps failing' : 'the endpoint does not support this request: check the base URL and API version',
      });
    }
    return new AttemptFailure({
      kind: 'status', status: s, transient: false, breaker: 'neutral',
      summary: `server answered ${s}${said}`,
      hint: s === 404 ? 'check the base URL and the API version' : 'the request was refused: check the connector configuration and the interface specification',
    });
  }

  private toFailure(e: unknown): AttemptFailure {
    if (e instanceof AttemptFailure) return e;
    if (e instanceof BreakerOpenError) {
      return new AttemptFailure({ kind: 'breaker_open', summary: this.redactor.redact(e.message), hint: `wait until ${e.retryAt} or reset the breaker`, transient: false, breaker: 'neutral' });
    }
    const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
    const code = err?.code ?? err?.cause?.code;
    if (err?.name === 'AbortError' || code === 'ABORT_ERR') {
      return new AttemptFailure({ kind: 'aborted', summary: 'cancelled by the caller', hint: 'none: the run was cancelled', transient: false, breaker: 'neutral' });
    }
    const message = this.redactor.redact(err instanceof Error ? `${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}` : String(e));
    const detail = this.redactor.redactError(e);
    const tlsProblem = describeTlsError(code, message);
    if (tlsProblem) return new AttemptFailure({ kind: 'tls', summary: `TLS ${tlsProblem.kind} failure: ${opensslReason(message)}`, hint: tlsProblem.hint, transient: false, breaker: 'failure', detail, beforeSend: true });
    if (code === 'UND_ERR_CONNECT_TIMEOUT') {
      return new AttemptFailure({ kind: 'connect', summary: `no connection within ${this.connectTimeoutMs} ms`, hint: 'check that the system is up and reachable (host, port, firewall)', transient: true, breaker: 'failure', detail, beforeSend: true });
    }
    if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new AttemptFailure({ kind: 'connect', summary: `cannot connect (${code})`, hint: 'check the base URL and that the system is up and reachable', transient: true, breaker: 'failure', detail, beforeSend: true });
    }
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return new AttemptFailure({ kind: 'timeout', summary: `timed out waiting for the ${code === 'UND_ERR_HEADERS_TIMEOUT' ? 'response headers' : 'response body'}`, hint: 'the system is slow or hung', transient: true, breaker: 'failure', detail });
    }
    if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED' || code === 'ETIMEDOUT' || /other side closed|terminated|aborted/i.test(message)) {
      return new AttemptFailure({ kind: 'network', summary: `connection broke (${code ?? 'closed'}): ${message}`, hint: 'a network or server fault: if it persists, check the system\'s health and the network path', transient: true, breaker: 'failure', detail });
    }
    return new AttemptFailure({ kind: 'network', summary: `request failed (${code ?? 'unknown'}): ${message}`, hint: 'see the detail; check the connector configuration', transient: false, breaker: 'failure', detail });
  }

  private finalError(gaveUp: RetryGaveUp, call: CallState, retryAllowed: boolean): HttpCallError {
    const f = gaveUp.lastError instanceof AttemptFailure ? gaveUp.lastError
      : gaveUp.why === 'aborted' ? new AttemptFailure({ kind: 'aborted', summary: 'cancelled by the caller', hint: 'none: the run was cancelled', transient: false, breaker: 'neutral' })
        : this.toFailure(gaveUp.lastError);
    let summary = f.summary;
    if (gaveUp.why === 'retry_after_too_long') summary += ` (the server asked to retry after ${Math.round((gaveUp.retryAfterMs ?? 0) / 1000)} s, longer than the ${Math.round(this.policy.maxRetryAfterMs / 1000)} s allowed)`;
    else if (gaveUp.why === 'not_retryable' && f.transient && !retryAllowed) summary += ` (not retried: ${call.req.method} without an idempotency key may not be repeated)`;
    else if (gaveUp.why === 'aborted' && f.kind !== 'aborted') summary = `cancelled by the caller after: ${summary}`;
    const breaker = this.breaker?.snapshot();
    if (breaker?.state === 'open' && f.kind !== 'breaker_open') summary += `; the circuit breaker is now open, calls are refused until ${breaker.retryAt}`;
    return new HttpCallError({
      kind: gaveUp.why === 'aborted' ? 'aborted' : f.kind,
      connector: this.name,
      method: call.req.method,
      url: call.shownUrl,
      status: f.status,
      attempts: Math.max(1, gaveUp.attempts),
      retryable: f.transient || f.kind === 'breaker_open',
      summary,
      hint: f.hint,
      retryAfterMs: f.retryAfterMs,
      detail: f.detail,
    });
  }
}

interface CallState {
  req: HttpRequest;
  url: URL;
  shownUrl: string;
  /** the token was renewed once after a 401 in this call */
  renewed: boolean;
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

interface AttemptFailureInit {
  kind: HttpFailureKind;
  summary: string;
  hint: string;
  /** a fault that may pass: worth retrying when the call is retryable */
  transient: boolean;
  breaker: BreakerOutcome;
  status?: number;
  retryAfterMs?: number;
  /** the failure happened before the request was sent: retryable for any method */
  beforeSend?: boolean;
  detail?: unknown;
}

/** One attempt's failure, classified (internal: callers see HttpCallError). */
class AttemptFailure extends Error {
  readonly kind: HttpFailureKind;
  readonly summary: string;
  readonly hint: string;
  readonly transient: boolean;
  readonly breaker: BreakerOutcome;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly beforeSend: boolean;
  readonly detail?: unknown;
  constructor(init: AttemptFailureInit) {
    super(init.summary);
    this.name = 'AttemptFailure';
    this.kind = init.kind;
    this.summary = init.summary;
    this.hint = init.hint;
    this.transient = init.transient;
    this.breaker = init.breaker;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.beforeSend = init.beforeSend ?? false;
    this.detail = init.detail;
  }
}

function classify(e: unknown, retryAllowed: boolean): RetryVerdict {
  if (!(e instanceof AttemptFailure) || !e.transient) return { retry: false };
  if (!retryAllowed && !e.beforeSend) return { retry: false };
  return { retry: true, reason: e.summary, retryAfterMs: e.retryAfterMs };
}

function parseJsonBody<T>(raw: RawResponse, schema: z.ZodType<T> | undefined, redactor: Redactor): T {
  let data: unknown;
  try {
    data = JSON.parse(raw.body.toString('utf8'));
  } catch (e) {
    throw new AttemptFailure({
      kind: 'payload', status: raw.status, transient: true, breaker: 'failure',
      summary: `malformed JSON in a ${raw.status} response of ${raw.body.length} bytes (${redactor.redact((e as Error).message)})`,
      hint: 'the system sent a broken or truncated body: if it persists, report it to the system\'s operator',
    });
  }
  if (!schema) return data as T;
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new AttemptFailure({
    kind: 'payload', status: raw.status, transient: false, breaker: 'neutral',
    summary: `response does not match the interface specification: ${redactor.redact(issues)}`,
    hint: 'the system does not follow the interface specification; check the API version',
  });
}

/** Drops a response body we will not read, without an unhandled error event. */
function discard(body: NodeJS.ReadableStream & { destroy(): void }): void {
  body.on('error', () => {});
  body.destroy();
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

/** 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
