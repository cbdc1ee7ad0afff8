import type { ApiErrorBody, ApiErrorCode } from './contract/define';

/** An error a handler means to report to the caller: it carries a code, a message and the field at fault. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly field?: string;
  readonly issues?: { field: string; message: string }[];
  constructor(code: ApiErrorCode, message: string, opts: { field?: string; issues?: { field: string; message: string }[]; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'ApiError';
    this.code = code;
    this.field = opts.field;
    this.issues = opts.issues;
  }
  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}), ...(this.issues ? { issues: this.issues } : {}) };
  }
}

export const notFound = (what: string, field?: string) => new ApiError('not_found', `${what} was not found`, { field });
export const conflict = (message: string, field?: string) => new ApiError('conflict', message, { field });
