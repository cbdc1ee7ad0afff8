/**
 * The sandbox's OAuth2 authorisation server (RFC 6749 §4.4, client credentials): one per system. It
 * accepts the client authenticated by HTTP Basic or in the form body, issues opaque bearer tokens with
 * `expires_in`, and checks them on every API call. Token lifetimes run on the wall clock (the client's
 * clock), not the simulated one.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../../engine/domain/time';
import { HttpError } from './errors';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export type TokenCheck = { ok: true; clientId: string } | { ok: false; reason: 'missing' | 'unknown' | 'expired' };

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Decodes an application/x-www-form-urlencoded value as RFC 6749 §2.3.1 requires for Basic credentials. */
function formDecode(v: string): string {
  return decodeURIComponent(v.replace(/\+/g, ' '));
}

export class TokenAuthority {
  private readonly tokens = new Map<string, { clientId: string; expiresAtMs: number }>();
  issued = 0;
  rejected = 0;

  constructor(
    readonly client: ClientCredentials,
    private readonly clock: Clock,
    /** token lifetime in seconds */
    public expiresInS = 3600,
    readonly scope = 'read write',
  ) {}

  /** Handles a token request body and Authorization header; returns the token response or throws HttpError. */
  issue(form: URLSearchParams, authorization: string | undefined): { access_token: string; token_type: 'Bearer'; expires_in: number; scope: string } {
    let id: string | undefined;
    let secret: string | undefined;
    if (authorization?.startsWith('Basic ')) {
      const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw this.invalidClient('malformed Basic credentials');
      id = formDecode(decoded.slice(0, colon));
      secret = formDecode(decoded.slice(colon + 1));
    } else {
      id = form.get('client_id') ?? undefined;
      secret = form.get('client_secret') ?? undefined;
    }
    const grant = form.get('grant_type');
    if (!grant) throw new HttpError(400, 'invalid_request', 'grant_type is required', { oauth: true });
    if (grant !== 'client_credentials') throw new HttpError(400, 'unsupported_grant_type', `grant_type "${grant}" is not supported; use client_credentials`, { oauth: true });
    if (id === undefined || secret === undefined) throw this.invalidClient('client authentication is required (HTTP Basic or client_id/client_secret in the form)');
    if (!same(id, this.client.clientId) || !same(secret, this.client.clientSecret)) throw this.invalidClient('unknown client or wrong secret');
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { clientId: id, expiresAtMs: this.clock.now().getTime() + this.expiresInS * 1000 });
    this.issued++;
    return { access_token: token, token_type: 'Bearer', expires_in: this.expiresInS, scope: this.scope };
  }

  /** Checks the Authorization header of an API call. */
  check(authorization: string | undefined): TokenCheck {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return { ok: false, reason: 'missing' };
    const t = this.tokens.get(m[1]!);
    if (!t) return { ok: false, reason: 'unknown' };
    if (this.clock.now().getTime() >= t.expiresAtMs) {
      this.tokens.delete(m[1]!);
      return { ok: false, reason: 'expired' };
    }
    return { ok: true, clientId: t.clientId };
  }

  /** Expires the presented token now (the "expired token" fault). */
  expire(authorization: string | undefined): void {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (m) this.tokens.delete(m[1]!);
  }

  /** The 401 an API call without a valid token gets. */
  refusal(check: Exclude<TokenCheck, { ok: true }>): HttpError {
    this.rejected++;
    const description = check.reason === 'missing' ? 'a bearer access token is required' : check.reason === 'expired' ? 'the access token expired' : 'the access token is not valid';
    return new HttpError(401, check.reason === 'missing' ? 'unauthorized' : 'invalid_token', description, {
      headers: { 'www-authenticate': check.reason === 'missing' ? 'Bearer realm="sandbox"' : `Bearer realm="sandbox", error="invalid_token", error_description="${description}"` },
    });
  }

  private invalidClient(why: string): HttpError {
    this.rejected++;
    return new HttpError(401, 'invalid_client', why, { oauth: true, headers: { 'www-authenticate': 'Basic realm="sandbox"' } });
  }
}
