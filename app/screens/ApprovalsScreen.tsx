/**
 * Approvals and pushes: the outbox queue and "push now" with progress and cancel; push batches with
 * the PSS answer for each item; failed decisions with re-queue; what the PSS acknowledged lately.
 */
import { useState } from 'react';
import type { DecisionRow, EventMessage, PushBatchRow } from '../../engine/api/contract';
import { call } from '../api/client';
import { useApi, useApiEvents, useApiMutation } from '../api/hooks';
import { useSession, needsRole } from '../api/session';
import { useUi } from '../state/ui';
import { Empty, ErrorNote, QueryState } from '../components/States';
import { Progress } from '../components/Progress';
import { formatCount, formatInstant, formatValue, viewerZone } from '../components/format';
import { KIND_LABEL, flightLabel } from './review/columns';
import { describeBulk } from './review/BulkDialog';

const BATCH_CLASS: Record<PushBatchRow['status'], string> = { pending: 'state-never', answered: 'state-ok', failed: 'state-down' };

function DecisionTable({ rows, testId, selectable, selected, onToggle }: {
  rows: DecisionRow[]; testId: string; selectable?: boolean; selected?: Set<number>; onToggle?: (id: number) => void;
}) {
  const openDetail = useUi((s) => s.openDetail);
  return (
    <div className="table-wrap">
      <table className="table compact" data-testid={testId}>
        <thead><tr>{selectable && <th />}<th>Id</th><th>Kind</th><th>Market</th><th>Flight</th><th>Date</th><th>RBD</th><th className="num">Value</th><th>Status</th><th>Decided by</th><th>PSS reference / failure</th></tr></thead>
        <tbody>{rows.map((r) => (
          <tr key={r.id} data-testid={`${testId}-row-${r.id}`}>
            {selectable && <td><input type="checkbox" aria-label={`Select decision ${r.id}`} checked={selected?.has(r.id) ?? false} onChange={() => onToggle?.(r.id)} /></td>}
            <td><button type="button" className="link" onClick={() => openDetail({ decisionId: r.id, flightId: r.flightId ?? undefined })}>{r.id}</button></td>
            <td>{KIND_LABEL[r.kind]}</td><td>{r.origin}-{r.destination}</td><td>{flightLabel(r)}</td><td>{r.travelDate}</td><td>{r.cabin}/{r.rbd}</td>
            <td className="num">{formatValue(r.proposedValue, r.currency)}</td>
            <td><span className={`pill status-${r.state}`}>{r.state}</span></td><td>{r.decidedBy ?? '—'}</td>
            <td className={r.failureReason ? 'error-text' : 'mono'} data-testid="pss-answer">{r.pssReference ?? (r.failureReason ? `${r.failureCode}: ${r.failureReason}` : '')}</td>
          </tr>
        ))}</tbody>
      </table>
    </div>
  );
}

function BatchItems({ id }: { id: number }) {
  const q = useApi('decisions.batch', { id });
  return (
    <QueryState q={q} what={`batch ${id}`}>
      {(b) => (
        <div className="card" data-testid="batch-items">
          <h3>Batch {b.batch.id} · {b.batch.channel} · idempotency key <span className="mono">{b.batch.idempotencyKey}</span></h3>
          <p className="muted small">{b.batch.status}{b.batch.replayed ? ' (the PSS had applied it before: replayed answer)' : ''}{b.batch.lastError ? ` · last error: ${b.batch.lastError}` : ''}</p>
          <table className="table compact">
            <thead><tr><th>Item</th><th>Decision</th><th>Key</th><th className="num">Sequence</th><th>Answer</th><th>Reference / reason</th><th>Answered</th></tr></thead>
            <tbody>{b.items.map((i) => (
              <tr key={i.id}><td>{i.id}</td><td>{i.decisionId}</td><td className="mono">{i.key}</td><td className="num">{i.sequence}</td>
                <td><span className={`pill push-${i.status}`}>{i.status}</span></td><td className={i.reason ? 'error-text' : 'mono'}>{i.reference ?? (i.reason ? `${i.code}: ${i.reason}` : '')}</td>
                <td>{formatInstant(i.answeredAt, viewerZone())}</td></tr>
            ))}</tbody>
          </table>
        </div>
      )}
    </QueryState>
  );
}

export function ApprovalsScreen() {
  const session = useSession();
  const blocked = needsRole(session, 'decide');
  const push = useUi((s) => s.push);
  const setPush = useUi((s) => s.setPush);
  const batches = useApi('decisions.batches', { limit: 50 }, { refetchInterval: 15_000 });
  const waiting = useApi('decisions.list', { filter: { states: ['approved', 'queued'] }, sort: 'created', limit: 200 });
  const failed = useApi('decisions.list', { filter: { states: ['failed'] }, sort: 'created', limit: 500 });
  const pushed = useApi('decisions.list', { filter: { states: ['pushed'] }, sort: 'created', limit: 50 });
  const pushNow = useApiMutation('decisions.pushNow');
  const requeue = useApiMutation('decisions.requeue');
  const [cancelling, setCancelling] = useState(false);
  const [batch, setBatch] = useState<number | null>(null);
  const [selectedFailed, setSelectedFailed] = useState<Set<number>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  useApiEvents((m: EventMessage) => {
    if (m.name === 'push.progress') setPush(['done', 'cancelled'].includes(m.payload.phase) ? null : m.payload);
  });
  const q = batches.data?.queue;
  const cancel = async () => {
    setCancelling(true);
    try { await call('decisions.cancelPush', {}); } finally { setCancelling(false); }
  };
  const toggle = (id: number) => setSelectedFailed((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; });
  return (
    <div className="screen" data-testid="approvals-screen">
      <div className="screen-head"><h1>Approvals and pushes</h1></div>
      {notice && <div className="notice" role="status" data-testid="approvals-notice">{notice}</div>}
      <section className="card" aria-label="Outbox">
        <header>
          <h2>Outbox</h2>
          <button type="button" className="primary" disabled={Boolean(blocked) || pushNow.isPending || Boolean(push) || q?.draining} title={blocked}
            onClick={() => pushNow.mutate({ wait: false })} data-testid="push-now">{q?.draining || push ? 'Pushing…' : 'Push now'}</button>
        </header>
        {q ? (
          <dl className="facts wide" data-testid="queue-status">
            <dt>Queued items</dt><dd data-testid="queue-queued">{formatCount(q.queued)}</dd>
            <dt>Batches waiting for an answer</dt><dd>{formatCount(q.pendingBatches)}</dd>
            <dt>Batches failed (outcome unknown)</dt><dd className={q.failedBatches ? 'error-text' : ''}>{formatCount(q.failedBatches)}</dd>
            <dt>Held behind a failed batch</dt><dd>{formatCount(q.blocked)}</dd>
            <dt>Next attempt</dt><dd>{formatInstant(q.nextAttemptAt, viewerZone())}</dd>
          </dl>
        ) : batches.error ? <ErrorNote error={batches.error} /> : null}
        {push && (
          <Progress testId="push-progress" label={`${push.phase}${push.batchId ? ` batch ${push.batchId}` : ''}: ${formatCount(push.accepted)} accepted, ${formatCount(push.rejected)} rejected, ${formatCount(push.queue.queued)} still queued${push.error ? ` — ${push.error}` : ''}`}
            value={push.accepted + push.rejected} max={push.accepted + push.rejected + push.queue.queued || null} onCancel={() => void cancel()} cancelling={cancelling} />
        )}
        {pushNow.error && <ErrorNote error={pushNow.error} compact />}
      </section>
      <section className="card" aria-label="Waiting to be pushed">
        <h2>Approved, waiting to be pushed</h2>
        <QueryState q={waiting} what="approved decisions">
          {(d) => d.rows.length === 0 ? <p className="muted">Nothing waiting: approved decisions are pushed as they come.</p> : <DecisionTable rows={d.rows} testId="waiting" />}
        </QueryState>
      </section>
      <section className="card" aria-label="Failed pushes">
        <header>
          <h2>Failed pushes</h2>
          <span className="row-actions">
            <button type="button" disabled={Boolean(blocked) || selectedFailed.size === 0 || requeue.isPending} title={blocked}
              onClick={() => requeue.mutate({ ids: [...selectedFailed] }, { onSuccess: (r) => { setSelectedFailed(new Set()); setNotice(describeBulk('Re-queued', r)); } })} data-testid="requeue-selected">Re-queue selected</button>
            <button type="button" disabled={Boolean(blocked) || !failed.data?.total || requeue.isPending} title={blocked}
              onClick={() => requeue.mutate({ allFailed: true }, { onSuccess: (r) => setNotice(describeBulk('Re-queued', r)) })} data-testid="requeue-all">Re-queue all failed</button>
          </span>
        </header>
        {requeue.error && <ErrorNote error={requeue.error} compact />}
        <QueryState q={failed} what="failed decisions">
          {(d) => d.rows.length === 0 ? <p className="muted" data-testid="no-failed">No failed pushes.</p> : <DecisionTable rows={d.rows} testId="failed" selectable selected={selectedFailed} onToggle={toggle} />}
        </QueryState>
      </section>
      <section className="card" aria-label="Push batches">
        <h2>Push batches</h2>
        <QueryState q={batches} what="push batches">
          {(d) => d.rows.length === 0 ? <Empty>No batch sent yet.</Empty> : (
            <div className="table-wrap">
              <table className="table compact" data-testid="batches">
                <thead><tr><th>Batch</th><th>Channel</th><th>Status</th><th className="num">Items</th><th className="num">Accepted</th><th className="num">Rejected</th><th className="num">Attempts</th><th>Created</th><th>Answered</th><th>Last error</th></tr></thead>
                <tbody>{d.rows.map((b) => (
                  <tr key={b.id} className={batch === b.id ? 'current-row' : ''}>
                    <td><button type="button" className="link" onClick={() => setBatch(batch === b.id ? null : b.id)} data-testid={`batch-${b.id}`}>{b.id}</button></td>
                    <td>{b.channel}</td><td><span className={`pill ${BATCH_CLASS[b.status]}`}>{b.status}</span></td>
                    <td className="num">{b.items}</td><td className="num">{b.accepted}</td><td className="num">{b.rejected}</td><td className="num">{b.attempts}</td>
                    <td>{formatInstant(b.createdAt, viewerZone())}</td><td>{formatInstant(b.answeredAt, viewerZone())}</td><td className="error-text small">{b.lastError ?? ''}</td>
                  </tr>
                ))}</tbody>
              </table>
            </div>
          )}
        </QueryState>
        {batch !== null && <BatchItems id={batch} />}
      </section>
      <section className="card" aria-label="Acknowledged by the PSS">
        <h2>Acknowledged by the PSS (latest)</h2>
        <QueryState q={pushed} what="pushed decisions">
          {(d) => d.rows.length === 0 ? <p className="muted">Nothing pushed yet.</p> : <DecisionTable rows={d.rows} testId="pushed" />}
        </QueryState>
      </section>
    </div>
  );
}
