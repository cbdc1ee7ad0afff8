/** Approve or reject a selection (ids, or every decision matching the filter) in one action. */
import { useState } from 'react';
import type { BulkResult } from '../../../engine/api/contract';
import { call } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/States';
import { formatCount } from '../../components/format';
import type { ApiDecisionFilter } from './filter';

export type BulkSelection = { ids: number[] } | { filter: ApiDecisionFilter; count: number; description: string };

export function selectionSize(s: BulkSelection): number {
  return 'ids' in s ? s.ids.length : s.count;
}

/** "Approved 12 decisions; 3 skipped (decision 7 is pushed; …)". */
export function describeBulk(verb: string, r: BulkResult): string {
  const head = `${verb} ${formatCount(r.changed)} decision${r.changed === 1 ? '' : 's'}`;
  if (r.skippedTotal === 0) return `${head}.`;
  const reasons = [...new Set(r.skipped.map((s) => s.reason.replace(/^decision \d+ /, '')))].slice(0, 3).join('; ');
  return `${head}; ${formatCount(r.skippedTotal)} skipped (${reasons}).`;
}

export function BulkDialog({ action, selection, onClose, onDone }: {
  action: 'approve' | 'reject';
  selection: BulkSelection;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const n = selectionSize(selection);
  const what = 'ids' in selection ? `${formatCount(n)} selected decision${n === 1 ? '' : 's'}` : `all ${formatCount(n)} decisions matching ${selection.description}`;
  const needsReason = action === 'reject' && text.trim().length < 3;
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const sel = 'ids' in selection ? { ids: selection.ids } : { filter: selection.filter };
      const r = action === 'approve'
        ? await call('decisions.approve', { ...sel, ...(text.trim() ? { note: text.trim() } : {}) })
        : await call('decisions.reject', { ...sel, reason: text.trim() });
      onDone(describeBulk(action === 'approve' ? 'Approved' : 'Rejected', r));
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={action === 'approve' ? 'Approve decisions' : 'Reject decisions'} onClose={onClose} testId={`bulk-${action}-dialog`} footer={
      <>
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="button" className={action === 'approve' ? 'primary' : 'danger'} disabled={busy || needsReason} onClick={() => void run()} data-testid="bulk-confirm">
          {busy ? 'Working…' : action === 'approve' ? `Approve ${formatCount(n)}` : `Reject ${formatCount(n)}`}
        </button>
      </>
    }>
      <p>{action === 'approve' ? 'Approve' : 'Reject'} {what}? {action === 'approve' ? 'Approved decisions are queued and pushed to the PSS.' : 'Rejected decisions are not pushed.'} Only proposed decisions move; the others are listed as skipped.</p>
      <label>{action === 'approve' ? 'Note (optional)' : 'Reason (required)'}
        <textarea rows={2} value={text} onChange={(e) => setText(e.target.value)} data-testid="bulk-text" />
      </label>
      {error && <ErrorNote error={error} />}
    </Dialog>
  );
}
