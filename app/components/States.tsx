/** Designed loading, empty and failure states, used by every screen. */
import type { ReactNode } from 'react';
import { ApiClientError } from '../api/client';

export function Loading({ what }: { what: string }) {
  return (
    <div className="state-loading" role="status" aria-live="polite" data-testid="state-loading">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </div>
  );
}

export function Empty({ title, children, action }: { title?: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="state-empty" role="status" data-testid="state-empty">
      {title && <strong>{title}</strong>}
      <div>{children}</div>
      {action}
    </div>
  );
}

/** What a person can do about an error, by its code. */
export function remedy(error: Error): string | null {
  if (!(error instanceof ApiClientError)) return null;
  switch (error.code) {
    case 'unauthenticated': return 'Your session has ended: log in again.';
    case 'forbidden': return 'Ask an administrator for a role that allows this.';
    case 'unavailable': return 'Check that the workbench backend is running, then retry.';
    case 'validation': return error.field ? `Correct the field "${error.field}" and try again.` : 'Correct the input and try again.';
    case 'conflict': return 'Someone or something changed this meanwhile: refresh and try again.';
    default: return null;
  }
}

/** An error where it happened, with what to do and, when given, a retry. */
export function ErrorNote({ error, onRetry, compact }: { error: Error; onRetry?: () => void; compact?: boolean }) {
  const hint = remedy(error);
  return (
    <div className={`state-error${compact ? ' compact' : ''}`} role="alert" data-testid="state-error">
      <span>{error.message}</span>
      {hint && <span className="hint">{hint}</span>}
      {onRetry && <button type="button" onClick={onRetry}>Retry</button>}
    </div>
  );
}

/** A query's three states in one place: loading, error (with retry), or the content. */
export function QueryState<T>({ q, what, children }: {
  q: { isPending: boolean; error: Error | null; data: T | undefined; refetch: () => unknown };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (q.isPending) return <Loading what={what} />;
  if (q.error || q.data === undefined) return <ErrorNote error={q.error ?? new Error(`${what} could not be loaded`)} onRetry={() => void q.refetch()} />;
  return <>{children(q.data)}</>;
}
