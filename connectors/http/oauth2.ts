/**
 * OAuth2 client-credentials grant (RFC 6749 §4.4): a form-encoded `grant_type=client_credentials` POST to
 * the token endpoint, the client authenticated by HTTP Basic (`client_secret_basic`, the default) or in
 * the form (`client_secret_post`). The bearer token is cached and renewed before it expires; concurrent
 * callers share one token request; `invalidate` (after a 401) forces the next call to fetch a new one.
 * When an early renewal fails, the current token serves until it actually expires.
 *
 * The client secret and every token obtained are registered with the redactor, so neither appears in
 * an error, an event or a log line.
 */
import { z } from 'zod';
import { systemClock, type Clock } from '../../engine/domain/time';
import { HttpClient, type HttpClientOptions, type TokenProvider } from './client';
import { HttpCallError } from './errors';
import { formEncode, Redactor } from './redact';
import type { Secret } from '../../engine/ports/secrets';

export interface ClientCredentialsOptions {
  /** absolute URL of the token endpoint */
  tokenUrl: string;
  clientId: string;
  /** a Secret from the secret store (revealed only to build the token request), or the plain value */
  clientSecret: Secret | string;
  scope?: string;
  /** some providers require an audience or resource parameter */
  extraParams?: Record<string, string>;
  /** 'basic' (default): HTTP Basic with form-encoded id and secret; 'body': client_id and client_secret in the form */
  clientAuth?: 'basic' | 'body';
  /** renew this long before expiry (default 60 s; never more than half the token's lifetime) */
  renewBeforeMs?: number;
  /** lifetime assumed when the endpoint omits expires_in (default 300 s) */
  defaultExpiresInS?: number;
  /** the HTTP settings of the token endpoint (TLS policy, timeouts, retry, clock, sleep, random) */
  http?: Omit<HttpClientOptions, 'name' | 'baseUrl' | 'auth' | 'redactor' | 'breaker'>;
  /** the connector's redactor: the secret and the tokens are added to it */
  redactor?: Redactor;
  /** the connector's name, for errors */
  name?: string;
  clock?: Clock;
}

const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', { message: 'token_type must be "Bearer"' }),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
  scope: z.string().optional(),
});

interface CachedToken {
  value: string;
  /** epoch ms when it should be renewed */
  renewAtMs: number;
  expiresAtMs: number;
}

export class ClientCredentialsTokenProvider implements TokenProvider {
  private readonly http: HttpClient;
  private readonly opts: ClientCredentialsOptions;
  private readonly clock: Clock;
  private readonly redactor: Redactor;
  private cached: CachedToken | null = null;
  private inFlight: Promise<CachedToken> | null = null;
  private fetched = 0;

  constructor(opts: ClientCredentialsOptions) {
    if (!opts.clientId) throw new Error('OAuth2 client credentials: clientId is empty');
    if (secretValue(opts.clientSecret) === '') throw new Error('OAuth2 client credentials: clientSecret is empty');
    this.opts = opts;
    this.clock = opts.clock ?? opts.http?.clock ?? systemClock;
    this.redactor = opts.redactor ?? new Redactor();
    this.redactor.addBasicCredentials(opts.clientId, secretValue(opts.clientSecret));
    this.http = new HttpClient({
      ...(opts.http ?? {}),
      clock: this.clock,
      name: `${opts.name ?? 'oauth2'} token endpoint`,
      baseUrl: opts.tokenUrl,
      redactor: this.redactor,
      // the connector's own breaker counts token failures; this client has none
      breaker: null,
    });
  }

  /** Tokens fetched from the endpoint so far (for monitoring and tests). */
  get tokensFetched(): number {
    return this.fetched;
  }

  async token(signal?: AbortSignal): Promise<string> {
    const now = this.clock.now().getTime();
    if (this.cached && now < this.cached.renewAtMs) return this.cached.value;
    // one request serves every waiter, so no single caller's signal may cancel it; each waiter can stop waiting
    if (!this.inFlight) {
      this.inFlight = this.fetchToken().finally(() => { this.inFlight = null; });
    }
    try {
      const t = await untilAborted(this.inFlight, signal);
      this.cached = t;
      return t.value;
    } catch (e) {
      // renewal failed early: a token that has not expired yet still serves
      if (this.cached && this.clock.now().getTime() < this.cached.expiresAtMs && !signal?.aborted) return this.cached.value;
      throw e;
    }
  }

  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = null;
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  private async fetchToken(): Promise<CachedToken> {
    const form: Record<string, string> = { grant_type: 'client_credentials', ...(this.opts.extraParams ?? {}) };
    if (this.opts.scope) form.scope = this.opts.scope;
    const headers: Record<string, string> = {};
    const secret = secretValue(this.opts.clientSecret);
    if ((this.opts.clientAuth ?? 'basic') === 'basic') {
      const basic = Buffer.from(`${formEncode(this.opts.clientId)}:${formEncode(secret)}`).toString('base64');
      headers.authorization = `Basic ${basic}`;
    } else {
      form.client_id = this.opts.clientId;
      form.client_secret = secret;
    }
    let res;
    try {
      res = await this.http.json({ method: 'POST', path: this.opts.tokenUrl, form, headers, retrySafe: true }, TokenResponse);
    } catch (e) {
      if (e instanceof HttpCallError && (e.kind === 'status' || e.kind === 'auth') && (e.status === 400 || e.status === 401)) {
        throw new HttpCallError({
          kind: 'auth', connector: e.connector, method: e.method, url: e.url, status: e.status, attempts: e.attempts, retryable: false,
          summary: `the token endpoint refused the client credentials (${e.status})`,
          hint: 'check the client id, the client secret, the scope and the client authentication method (basic or body)',
          detail: e.detail,
        });
      }
      throw e;
    }
    const { access_token, expires_in } = res.data;
    this.redactor.add(access_token);
    this.fetched++;
    const now = this.clock.now().getTime();
    const lifetimeMs = (expires_in ?? this.opts.defaultExpiresInS ?? 300) * 1000;
    const renewBefore = Math.min(this.opts.renewBeforeMs ?? 60_000, lifetimeMs / 2);
    return { value: access_token, expiresAtMs: now + lifetimeMs, renewAtMs: now + lifetimeMs - renewBefore };
  }
}

/** The promise's outcome, or the signal's abort reason if it aborts first. */
function untilAborted<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}

function secretValue(s: Secret | string): string {
  return typeof s === 'string' ? s : s.reveal();
}
