/**
 * An error answer of a sandbox endpoint. API errors are `{"error": {"code", "message", "field"?}}`;
 * OAuth2 token endpoint errors use RFC 6749 §5.2's `{"error", "error_description"}`.
 */
export class HttpError extends Error {
  readonly headers: Record<string, string>;
  readonly oauth: boolean;
  readonly field?: string;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    opts: { headers?: Record<string, string>; oauth?: boolean; field?: string } = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.headers = opts.headers ?? {};
    this.oauth = opts.oauth ?? false;
    this.field = opts.field;
  }

  body(): unknown {
    if (this.oauth) return { error: this.code, error_description: this.message };
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}

/** A 400 naming the query or body field at fault. */
export function badRequest(field: string, message: string): HttpError {
  return new HttpError(400, 'invalid_request', `${field}: ${message}`, { field });
}
