/**
 * Guards for the local web bridge (electron/web/): it listens on 127.0.0.1 only and must not be
 * reachable through DNS rebinding (foreign Host), from other sites or other localhost ports (Origin,
 * Sec-Fetch-Site), with oversized bodies, or without the per-launch session (cookie or bearer token).
 * Pure functions of header values, plus a size-limited body reader.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type GuardResult = { ok: true } | { ok: false; status: 400 | 401 | 403 | 413 | 415; reason: string };

const OK: GuardResult = { ok: true };
const fail = (status: 400 | 401 | 403 | 413 | 415, reason: string): GuardResult => ({ ok: false, status, reason });

function assertPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`bridge guard: invalid port ${port}`);
}

/** The origins a page of the bridge can have. */
export function bridgeOrigins(port: number): string[] {
  assertPort(port);
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/** Host must be exactly 127.0.0.1:<port> or localhost:<port>: anything else is DNS rebinding or a misdirected request. */
export function checkHost(host: string | undefined, port: number): GuardResult {
  assertPort(port);
  if (!host) return fail(400, 'missing Host header');
  const h = host.toLowerCase();
  if (h === `127.0.0.1:${port}` || h === `localhost:${port}`) return OK;
  return fail(403, `Host ${JSON.stringify(host.slice(0, 100))} is not this workbench (expected 127.0.0.1:${port} or localhost:${port})`);
}

/** Origin, when sent, must be the bridge's own origin ("null" and other ports are refused). */
export function checkOrigin(origin: string | undefined, port: number): GuardResult {
  if (origin === undefined) return OK;
  if (bridgeOrigins(port).includes(origin.toLowerCase())) return OK;
  return fail(403, `cross-origin request from ${JSON.stringify(origin.slice(0, 100))} refused`);
}

/**
 * Sec-Fetch-Site (sent by browsers): same-origin, or none (the user opened the printed URL). "same-site"
 * is refused too: another port on localhost is the same site but not us. Absent for non-browser clients.
 */
export function checkFetchSite(secFetchSite: string | undefined): GuardResult {
  if (secFetchSite === undefined || secFetchSite === 'same-origin' || secFetchSite === 'none') return OK;
  return fail(403, `request initiated by a ${secFetchSite} page refused`);
}

/** Declared body size against the limit (the body reader enforces it again for chunked bodies). */
export function checkContentLength(contentLength: string | undefined, maxBytes: number): GuardResult {
  if (contentLength === undefined) return OK;
  if (!/^\d{1,15}$/.test(contentLength)) return fail(400, 'invalid Content-Length');
  if (Number(contentLength) > maxBytes) return fail(413, `request body of ${contentLength} bytes exceeds the limit of ${maxBytes}`);
  return OK;
}

/** API calls carry JSON: this also forces a CORS preflight on any cross-origin attempt. */
export function checkJsonContentType(contentType: string | undefined): GuardResult {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json' ? OK : fail(415, 'Content-Type must be application/json');
}

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  readonly status = 413;
  constructor(readonly limit: number) {
    super(`request body exceeds the limit of ${limit} bytes`);
  }
}

/**
 * Reads a request body, failing as soon as it passes `maxBytes` (without reading the rest). On failure,
 * answer 413 with `Connection: close` so the server drops the remaining upload.
 */
export async function readBodyLimited(body: AsyncIterable<Uint8Array | string>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const it = body[Symbol.asyncIterator]();
  for (;;) {
    const { value, done } = await it.next();
    if (done) break;
    const chunk = typeof value === 'string' ? Buffer.from(value) : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    total += chunk.length;
    if (total > maxBytes) throw new BodyTooLargeError(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/** Compares two secrets in time independent of where they differ (and of their lengths). */
export function safeEqual(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

/** A per-launch session token: 256 random bits, base64url. */
export function newSessionToken(random: (n: number) => Uint8Array = randomBytes): string {
  return Buffer.from(random(32)).toString('base64url');
}

/** The session cookie's name; the port is part of it so two workbenches on one machine do not clash. */
export function sessionCookieName(port: number): string {
  assertPort(port);
  return `dfae_session_${port}`;
}

/**
 * Set-Cookie value for the session: HttpOnly (scripts cannot read it), SameSite=Strict (no cross-site
 * sends), Path=/, no Expires (it ends with the browser session; the token ends with the launch).
 * Not Secure: the bridge speaks plain http on 127.0.0.1.
 */
export function sessionCookie(name: string, token: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(name) || !/^[A-Za-z0-9_-]+$/.test(token)) throw new Error('sessionCookie: name and token must be base64url characters');
  return `${name}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

/** The value of one cookie in a Cookie header (first occurrence), or undefined. */
export function readCookie(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface BridgeAuthInput {
  cookieHeader?: string;
  authorization?: string;
}

export interface SessionCheck {
  cookieName: string;
  /**
   * Whether a credential (the cookie value, or a bearer token) is valid: `acceptsToken(token)` when the
   * cookie carries the launch token itself, or a lookup of issued session ids.
   */
  accepts(credential: string): boolean;
}

/** A credential check against one launch token, in constant time. */
export function acceptsToken(token: string): (credential: string) => boolean {
  return (credential) => safeEqual(credential, token);
}

/** The session cookie or an `Authorization: Bearer <credential>` header must carry a valid credential. */
export function checkSessionAuth(input: BridgeAuthInput, session: SessionCheck): GuardResult {
  const cookie = readCookie(input.cookieHeader, session.cookieName);
  if (cookie !== undefined && session.accepts(cookie)) return OK;
  const m = /^Bearer ([A-Za-z0-9_-]+)$/.exec(input.authorization ?? '');
  if (m && session.accepts(m[1]!)) return OK;
  return fail(401, 'not signed in: open the URL printed at start (it carries the session token)');
}

export interface BridgeRequestInfo {
  method: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface BridgePolicy {
  port: number;
  maxBodyBytes: number;
  /** defaults to sessionCookieName(port) */
  cookieName?: string;
  /** the credential check (acceptsToken(token), or a session-id lookup) */
  accepts(credential: string): boolean;
}

function header(h: BridgeRequestInfo['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Every check for an API or event-stream request, in order: Host, Origin, Sec-Fetch-Site, body size and
 * JSON content type (for requests with a body), then the session. Node lower-cases header names.
 */
export function checkBridgeRequest(req: BridgeRequestInfo, policy: BridgePolicy): GuardResult {
  const h = req.headers;
  for (const r of [checkHost(header(h, 'host'), policy.port), checkOrigin(header(h, 'origin'), policy.port), checkFetchSite(header(h, 'sec-fetch-site'))]) {
    if (!r.ok) return r;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const size = checkContentLength(header(h, 'content-length'), policy.maxBodyBytes);
    if (!size.ok) return size;
    const type = checkJsonContentType(header(h, 'content-type'));
    if (!type.ok) return type;
  }
  return checkSessionAuth(
    { cookieHeader: header(h, 'cookie'), authorization: header(h, 'authorization') },
    { cookieName: policy.cookieName ?? sessionCookieName(policy.port), accepts: (c) => policy.accepts(c) },
  );
}

/**
 * The one-time exchange of the printed URL's `?token=` for the cookie: Host/Origin/Sec-Fetch-Site are
 * checked as for any request. On success, set `setCookie` (carrying `cookieValue`, by default the token
 * itself; a bridge that issues session ids passes one) and redirect (303) to `location`, which drops the
 * token from the address bar and history.
 */
export function checkTokenExchange(
  req: BridgeRequestInfo & { url: string },
  policy: { port: number; token: string; cookieName?: string; cookieValue?: () => string },
): ({ ok: true; setCookie: string; location: string }) | Extract<GuardResult, { ok: false }> {
  const h = req.headers;
  for (const r of [checkHost(header(h, 'host'), policy.port), checkOrigin(header(h, 'origin'), policy.port), checkFetchSite(header(h, 'sec-fetch-site'))]) {
    if (!r.ok) return r;
  }
  let url: URL;
  try {
    url = new URL(req.url, `http://127.0.0.1:${policy.port}`);
  } catch {
    return { ok: false, status: 400, reason: 'malformed URL' };
  }
  const token = url.searchParams.get('token');
  if (req.method !== 'GET' || token === null || !safeEqual(token, policy.token)) {
    return { ok: false, status: 401, reason: 'invalid or expired session link: use the URL printed when the workbench started' };
  }
  url.searchParams.delete('token');
  // Never '//host/…': that would be a redirect to another site.
  const location = `/${url.pathname.replace(/^\/+/, '')}${url.search}`;
  const value = policy.cookieValue ? policy.cookieValue() : policy.token;
  return { ok: true, setCookie: sessionCookie(policy.cookieName ?? sessionCookieName(policy.port), value), location };
}
