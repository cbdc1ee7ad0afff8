/**
 * Keeping secrets out of logs, errors and feed-run records.
 *
 * A Redactor knows the connector's secrets (client secret, tokens, API keys) and replaces each, and the
 * encodings in which it travels (URL/form encoding, JSON escaping, base64 of HTTP Basic credentials), with
 * "[redacted]". It also blanks credentials it recognises by shape: `Bearer …` / `Basic …` values,
 * `access_token`, `client_secret`, `password`, `api_key`… fields, whatever their value.
 */
import type { FeedLogger } from '../../engine/ports/feed-sync';
import { REDACTED, Secret } from '../../engine/ports/secrets';

/** The product's one redaction marker (the same a Secret prints). */
export { REDACTED };

/** Shortest secret the redactor accepts: shorter strings would blank ordinary text. */
export const MIN_SECRET_LENGTH = 4;

const SECRET_KEY_RE = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key|apikey|password|passwd|secret|client[-_]?secret|access[-_]?token|refresh[-_]?token|id[-_]?token|token)$/i;

const SHAPES: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/g, `$1 ${REDACTED}`],
  [/("(?:access_token|refresh_token|id_token|client_secret|password|api_key|apikey)"\s*:\s*")(?:[^"\\]|\\.)*"/gi, `$1${REDACTED}"`],
  [/\b((?:access_token|refresh_token|id_token|client_secret|password|api_key|apikey)=)[^&\s"']+/gi, `$1${REDACTED}`],
];

export class Redactor {
  private readonly needles = new Set<string>();

  constructor(secrets: Iterable<string | Secret | undefined> = []) {
    for (const s of secrets) this.add(s);
  }

  /** Adds a secret (ignored when empty or shorter than MIN_SECRET_LENGTH). */
  add(secret: string | Secret | undefined): void {
    const value = secret instanceof Secret ? secret.reveal() : secret;
    if (!value || value.length < MIN_SECRET_LENGTH) return;
    for (const form of encodings(value)) if (form.length >= MIN_SECRET_LENGTH) this.needles.add(form);
  }

  /** Adds the HTTP Basic form of a client id and secret, as it appears in an Authorization header. */
  addBasicCredentials(user: string, password: string): void {
    this.add(password);
    this.add(Buffer.from(`${user}:${password}`).toString('base64'));
    this.add(Buffer.from(`${formEncode(user)}:${formEncode(password)}`).toString('base64'));
  }

  /** The text with every known secret and credential-shaped value replaced. */
  redact(text: string): string {
    let out = text;
    // longest first, so a secret containing another is replaced whole
    for (const n of [...this.needles].sort((a, b) => b.length - a.length)) out = out.split(n).join(REDACTED);
    for (const [re, rep] of SHAPES) out = out.replace(re, rep);
    return out;
  }

  /** A deep copy with strings redacted and the values of secret-named keys blanked. */
  redactValue(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth > 20) return '[too deep]';
    if (value instanceof Error) return this.redactError(value);
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY_RE.test(k) ? REDACTED : this.redactValue(v, depth + 1);
    return out;
  }

  /** An error as a plain, safe object: name, code and redacted message, with its causes. */
  redactError(error: unknown, depth = 0): { name: string; message: string; code?: string; cause?: unknown } {
    if (!(error instanceof Error)) return { name: 'Error', message: this.redact(String(error)) };
    const code = (error as { code?: unknown }).code;
    const out: { name: string; message: string; code?: string; cause?: unknown } = { name: error.name, message: this.redact(error.message) };
    if (typeof code === 'string') out.code = code;
    if (error.cause !== undefined && depth < 5) out.cause = this.redactError(error.cause, depth + 1);
    return out;
  }
}

/** A logger that redacts every message and field before passing it on. */
export function redactingLogger(inner: FeedLogger, redactor: Redactor): FeedLogger {
  const wrap = (fn: FeedLogger['info']): FeedLogger['info'] => (message, fields) =>
    fn(redactor.redact(message), fields === undefined ? undefined : (redactor.redactValue(fields) as Record<string, unknown>));
  return {
    debug: wrap(inner.debug.bind(inner)),
    info: wrap(inner.info.bind(inner)),
    warn: wrap(inner.warn.bind(inner)),
    error: wrap(inner.error.bind(inner)),
  };
}

/** application/x-www-form-urlencoded encoding of one value (RFC 6749 §2.3.1 uses it for Basic credentials). */
export function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function encodings(secret: string): string[] {
  return [secret, encodeURIComponent(secret), formEncode(secret), JSON.stringify(secret).slice(1, -1)];
}
