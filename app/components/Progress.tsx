/** Progress of long work (sync, push, export) with its cancel button. */
export function Progress({ label, value, max, onCancel, cancelling, testId }: {
  label: string; value: number; max: number | null; onCancel?: () => void; cancelling?: boolean; testId?: string;
}) {
  return (
    <div className="progress-row" data-testid={testId}>
      <progress value={max ? Math.min(value, max) : undefined} max={max ?? undefined} aria-label={label} />
      <span className="small">{label}</span>
      {onCancel && <button type="button" className="small-button" onClick={onCancel} disabled={cancelling}>{cancelling ? 'Cancelling…' : 'Cancel'}</button>}
    </div>
  );
}
