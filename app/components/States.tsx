import type { ApiClientError } from '../api/client';

export function Loading({ what }: { what: string }) {
  return <div className="state-loading" role="status" aria-live="polite">Loading {what}…</div>;
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <div className="state-empty" role="status">{children}</div>;
}

/** An error where it happened, with what to do. */
export function ErrorNote({ error }: { error: ApiClientError | Error }) {
  const field = 'field' in error && error.field ? ` (field: ${error.field})` : '';
  return <div className="state-error" role="alert">{error.message}{field}</div>;
}
