/**
 * The archive: what retention moved out of the store (Settings → Retention), searched in its files newest
 * first. Decisions come back with what they pushed and the PSS's answers; audit rows as the audit log shows
 * them. A search stops at 200 matches or 15 s and goes on, on request, where it stopped.
 */
import { useEffect, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { ApiInput, ApiOutput, ArchivedDecision, ArchiveSearchProgress, DecisionState } from '../../engine/api/contract';
import type { AuditEntity } from '../../engine/domain/audit';
import { toMajor } from '../../engine/domain/money';
import { call, type ApiClientError } from '../api/client';
import { Empty, ErrorNote, QueryState } from '../components/States';
import { useApi } from '../api/hooks';
import { toCsv } from '../components/csv';
import { downloadText, fileStamp } from '../components/download';
import { formatCount, formatInstant, formatMs, formatValue, viewerZone } from '../components/format';
import { useUi } from '../state/ui';

const STATES: DecisionState[] = ['superseded', 'rejected', 'expired', 'pushed', 'failed'];
const ENTITIES: { id: AuditEntity; label: string }[] = [
  { id: 'decision', label: 'Decisions' }, { id: 'batch', label: 'Push batches' }, { id: 'user', label: 'Users' },
  { id: 'rule', label: 'Rules and settings' }, { id: 'alert', label: 'Alerts' }, { id: 'archive', label: 'Archives' },
];

/** A search over one archive method that can go on where it stopped (results appended). */
function useArchiveSearch<K extends 'archive.decisions' | 'archive.audit'>(method: K) {
  const [query, setQuery] = useState<ApiInput<K> | null>(null);
  const [rows, setRows] = useState<ApiOutput<K>['rows']>([]);
  const [progress, setProgress] = useState<ArchiveSearchProgress | null>(null);
  const m = useMutation<ApiOutput<K>, ApiClientError, { input: ApiInput<K>; more: boolean }>({
    mutationFn: ({ input }) => call(method, input),
    onSuccess: (out, { more }) => {
      setRows((before) => (more ? [...before, ...out.rows] : out.rows) as ApiOutput<K>['rows']);
      setProgress(out.progress);
    },
  });
  return {
    rows, progress, pending: m.isPending, error: m.error,
    // a new search clears what the last one found, so nothing stale shows (or exports) while it runs
    search(input: ApiInput<K>) { setQuery(input); setRows([] as unknown as ApiOutput<K>['rows']); setProgress(null); m.mutate({ input, more: false }); },
    more() {
      if (!query || !progress || progress.nextFile === null) return;
      m.mutate({ input: { ...query, fromFile: progress.nextFile, skip: progress.nextSkip }, more: true });
    },
  };
}

function ProgressLine({ p, found, pending, onMore }: { p: ArchiveSearchProgress | null; found: number; pending: boolean; onMore: () => void }) {
  if (pending) return <p className="muted" data-testid="archive-progress">Searching the archive files…</p>;
  if (!p) return null;
  const why = p.stoppedBy === 'limit' ? 'stopped at the limit' : p.stoppedBy === 'time' ? 'stopped at the time budget' : p.stoppedBy === 'cancelled' ? 'cancelled' : 'every file read';
  return (
    <div className="filter-bar" data-testid="archive-progress">
      <span>{formatCount(found)} found; {formatCount(p.filesRead)} of {formatCount(p.filesTotal)} file{p.filesTotal === 1 ? '' : 's'} read this time ({formatCount(p.linesRead)} line{p.linesRead === 1 ? '' : 's'} in {formatMs(p.ms)}), {why}.</span>
      {p.missing.length > 0 && <span className="pill state-down" data-testid="archive-missing">Not in the archive folder: {p.missing.join(', ')}</span>}
      {p.unreadable.length > 0 && <span className="pill state-down" data-testid="archive-unreadable" title="what the file held before that point is searched">Damaged: {p.unreadable.join('; ')}</span>}
      {p.nextFile !== null && <button type="button" onClick={onMore} data-testid="archive-more">Search on</button>}
    </div>
  );
}

const EMPTY_FORM = { id: '', text: '', origin: '', destination: '', travelFrom: '', travelTo: '', state: '' };

/** The decisions found, as CSV (the values in major units with their currency; seats for authorisation levels). */
function decisionsCsv(rows: readonly ArchivedDecision[]): string {
  return toCsv(
    ['Id', 'State', 'Kind', 'Source', 'Carrier', 'Origin', 'Destination', 'Flight', 'Travel from', 'Travel to', 'Cabin', 'RBD', 'Currency', 'Before', 'Proposed', 'Created by', 'Created at', 'Decided by', 'Decided at', 'Note', 'Pushed at', 'PSS reference', 'Archive file'],
    rows.map((d) => [d.id, d.state, d.kind, d.source, d.carrier, d.origin, d.destination, d.flightId, d.travelDate, d.travelDateTo, d.cabin, d.rbd, d.currency,
      d.currentValue === null ? null : d.currency ? toMajor(d.currentValue, d.currency) : d.currentValue,
      d.currency ? toMajor(d.proposedValue, d.currency) : d.proposedValue,
      d.createdBy, d.createdAt, d.decidedBy, d.decidedAt, d.decisionNote, d.pushedAt, d.pssReference, d.file]),
  );
}

function DecisionsTab({ onAudit }: { onAudit: (id: number) => void }) {
  const s = useArchiveSearch('archive.decisions');
  const ask = useUi((u) => u.archiveAsk);
  const [f, setF] = useState(EMPTY_FORM);
  const [open, setOpen] = useState<number | null>(null);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  // a decision asked for from another screen (the detail's archived pushes): look it up at once
  useEffect(() => {
    if (!ask) return;
    setF({ ...EMPTY_FORM, id: String(ask.decisionId) });
    setOpen(ask.decisionId);
    s.search({ id: ask.decisionId });
  }, [ask?.n]); // on each new ask only
  const submit = () => {
    const t = (v: string) => v.trim() || undefined;
    s.search({
      id: f.id.trim() ? Number(f.id) : undefined, text: t(f.text), origin: t(f.origin.toUpperCase()), destination: t(f.destination.toUpperCase()),
      travelFrom: t(f.travelFrom), travelTo: t(f.travelTo), state: (f.state || undefined) as DecisionState | undefined,
    });
  };
  return (
    <>
      <form className="filter-bar" onSubmit={(e) => { e.preventDefault(); submit(); }} aria-label="Search the archived decisions">
        <input placeholder="Decision id" value={f.id} onChange={set('id')} inputMode="numeric" size={10} data-testid="archive-id" />
        <input placeholder="Text (flight, RBD, user, note…)" value={f.text} onChange={set('text')} data-testid="archive-text" />
        <input placeholder="From" value={f.origin} onChange={set('origin')} size={4} aria-label="Origin" data-testid="archive-origin" />
        <input placeholder="To" value={f.destination} onChange={set('destination')} size={4} aria-label="Destination" data-testid="archive-destination" />
        <label>Travel from <input type="date" value={f.travelFrom} onChange={set('travelFrom')} data-testid="archive-travel-from" /></label>
        <label>to <input type="date" value={f.travelTo} onChange={set('travelTo')} data-testid="archive-travel-to" /></label>
        <select value={f.state} onChange={set('state')} aria-label="State" data-testid="archive-state">
          <option value="">Any state</option>{STATES.map((x) => <option key={x} value={x}>{x}</option>)}
        </select>
        <button type="submit" disabled={s.pending} data-testid="archive-search">Search</button>
      </form>
      {s.error && <ErrorNote error={s.error} />}
      <ProgressLine p={s.progress} found={s.rows.length} pending={s.pending} onMore={s.more} />
      {s.rows.length > 0 && <button type="button" className="small-button" onClick={() => downloadText(`archived-decisions-${fileStamp()}.csv`, decisionsCsv(s.rows))} data-testid="archive-export">Export CSV</button>}
      {s.progress && s.rows.length === 0 && !s.pending && <Empty>No archived decision matches.</Empty>}
      {s.rows.length > 0 && (
        <div className="table-wrap">
          <table className="table compact" data-testid="archive-decisions">
            <thead><tr><th className="num">Id</th><th>State</th><th>Kind</th><th>Market</th><th>Flight / travel</th><th>RBD</th><th className="num">Value</th><th className="num">Before</th><th>Decided</th><th>Pushed</th><th>File</th></tr></thead>
            <tbody>{s.rows.flatMap((d: ArchivedDecision) => {
              const row = (
                <tr key={d.id} style={{ cursor: 'pointer' }} tabIndex={0} aria-expanded={open === d.id} onClick={() => setOpen(open === d.id ? null : d.id)}
                  onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); setOpen(open === d.id ? null : d.id); } }} data-testid={`archive-decision-${d.id}`}>
                  <td className="num">{d.id}</td><td>{d.state}</td><td>{d.kind}</td><td>{d.origin}–{d.destination}</td>
                  <td>{d.flightId ?? (d.travelDate === d.travelDateTo ? d.travelDate : `${d.travelDate} – ${d.travelDateTo}`)}</td><td>{d.rbd}</td>
                  <td className="num">{formatValue(d.proposedValue, d.currency)}</td><td className="num">{formatValue(d.currentValue, d.currency)}</td>
                  <td>{d.decidedBy ? `${d.decidedBy}, ${formatInstant(d.decidedAt, viewerZone())}` : '—'}</td>
                  <td>{d.pushedAt ? formatInstant(d.pushedAt, viewerZone()) : '—'}</td><td className="muted">{d.file}</td>
                </tr>
              );
              if (open !== d.id) return [row];
              return [row, (
                <tr key={`${d.id}-detail`} data-testid="archive-decision-detail">
                  <td colSpan={11}>
                    <dl className="facts">
                      <dt>Key</dt><dd>{d.key}</dd>
                      <dt>Source</dt><dd>{d.source}{d.overrideMode ? ` (override, ${d.overrideMode}: ${d.overrideReason ?? ''})` : ''}</dd>
                      <dt>Created</dt><dd>{d.createdBy}, {formatInstant(d.createdAt, viewerZone())}</dd>
                      <dt>Decision note</dt><dd>{d.decisionNote ?? '—'}</dd>
                      <dt>PSS</dt><dd>{d.pssReference ?? d.failureReason ?? '—'}</dd>
                      <dt>Archived</dt><dd>{formatInstant(d.archivedAt, viewerZone())} in {d.file}</dd>
                    </dl>
                    {d.outbox.length > 0 && (
                      <table className="table compact">
                        <thead><tr><th>Push item</th><th>Status</th><th>Queued</th><th>Answered</th><th>Reference / reason</th></tr></thead>
                        <tbody>{d.outbox.map((o) => <tr key={o.id}><td>{o.id} ({o.channel})</td><td>{o.status}</td><td>{formatInstant(o.enqueuedAt, viewerZone())}</td><td>{o.answeredAt ? formatInstant(o.answeredAt, viewerZone()) : '—'}</td><td>{o.reference ?? o.reason ?? '—'}</td></tr>)}</tbody>
                      </table>
                    )}
                    <button type="button" className="small-button" onClick={() => onAudit(d.id)} data-testid="archive-decision-audit">Its archived audit rows</button>
                  </td>
                </tr>
              )];
            })}</tbody>
          </table>
        </div>
      )}
    </>
  );
}

function AuditTab({ entityId }: { entityId: string }) {
  const s = useArchiveSearch('archive.audit');
  const openDetail = useUi((u) => u.openDetail);
  const openArchive = useUi((u) => u.openArchive);
  // a decision still in the store opens in its detail; one retention moved, in the decisions tab
  const openDecision = (id: number) => {
    call('decisions.get', { id }).then(() => openDetail({ decisionId: id }), () => openArchive(id));
  };
  const [f, setF] = useState({ entity: entityId ? 'decision' : '', entityId, actor: '', text: '' });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const submit = (v = f) => {
    const t = (x: string) => x.trim() || undefined;
    s.search({ entity: (v.entity || undefined) as AuditEntity | undefined, entityId: t(v.entityId), actor: t(v.actor), text: t(v.text) });
  };
  // a decision's rows asked from the decisions tab (the tab is mounted anew for each): search at once
  useEffect(() => {
    if (entityId) submit({ entity: 'decision', entityId, actor: '', text: '' });
  }, []); // once per mount
  return (
    <>
      <form className="filter-bar" onSubmit={(e) => { e.preventDefault(); submit(); }} aria-label="Search the archived audit rows">
        <select value={f.entity} onChange={set('entity')} aria-label="Entity" data-testid="archive-audit-entity">
          <option value="">Any entity</option>{ENTITIES.map((x) => <option key={x.id} value={x.id}>{x.label}</option>)}
        </select>
        <input placeholder="Entity id" value={f.entityId} onChange={set('entityId')} size={10} data-testid="archive-audit-entity-id" />
        <input placeholder="Actor" value={f.actor} onChange={set('actor')} data-testid="archive-audit-actor" />
        <input placeholder="Text in the reason" value={f.text} onChange={set('text')} data-testid="archive-audit-text" />
        <button type="submit" disabled={s.pending} data-testid="archive-audit-search">Search</button>
      </form>
      {s.error && <ErrorNote error={s.error} />}
      <ProgressLine p={s.progress} found={s.rows.length} pending={s.pending} onMore={s.more} />
      {s.rows.length > 0 && <button type="button" className="small-button" data-testid="archive-audit-export"
        onClick={() => downloadText(`archived-audit-${fileStamp()}.csv`, toCsv(['Seq', 'At', 'Actor', 'Entity', 'Entity id', 'From', 'To', 'Reason', 'Hash', 'Archive file'],
          s.rows.map((r) => [r.seq, r.at, r.actor, r.entity, r.entityId, r.from, r.to, r.reason, r.hash, r.file])))}>Export CSV</button>}
      {s.progress && s.rows.length === 0 && !s.pending && <Empty>No archived audit row matches.</Empty>}
      {s.rows.length > 0 && (
        <div className="table-wrap">
          <table className="table compact" data-testid="archive-audit">
            <thead><tr><th className="num">Seq</th><th>When</th><th>Actor</th><th>Entity</th><th>From</th><th>To</th><th>Why</th><th>File</th></tr></thead>
            <tbody>{s.rows.map((r) => (
              <tr key={r.seq}>
                <td className="num">{r.seq}</td><td>{formatInstant(r.at, viewerZone())}</td><td>{r.actor}</td>
                <td>{r.entity === 'decision' ? <button type="button" className="link" onClick={() => openDecision(Number(r.entityId))} data-testid={`archive-audit-decision-${r.entityId}`}>decision {r.entityId}</button> : `${r.entity} ${r.entityId}`}</td>
                <td>{r.from ?? '—'}</td><td>{r.to}</td><td>{r.reason}</td><td className="muted">{r.file}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** What the archive holds: its files, newest first (folded), or that retention has moved nothing yet. */
function ArchiveFiles() {
  const q = useApi('archive.files', {});
  const setScreen = useUi((s) => s.setScreen);
  return (
    <QueryState q={q} what="the archive files">
      {(d) => d.files.length === 0 ? (
        <Empty title="Nothing archived yet">Retention moves rows out of the store after each cycle, at the ages set in <button type="button" className="link" onClick={() => setScreen('settings')}>Retention settings</button>; until then every decision and audit row is in the store (Review, Audit log).</Empty>
      ) : (
        <details className="card" data-testid="archive-files">
          <summary>
            {formatCount(d.decisions)} decision{d.decisions === 1 ? '' : 's'} and {formatCount(d.auditRows)} audit row{d.auditRows === 1 ? '' : 's'} in {formatCount(d.files.length)} file{d.files.length === 1 ? '' : 's'}, the newest archived {formatInstant(d.files[0]!.archivedAt, viewerZone())}
            {d.files.some((f) => !f.present) && <span className="pill state-down"> {d.files.filter((f) => !f.present).length} not in the archive folder</span>}
          </summary>
          <div className="table-wrap">
            <table className="table compact">
              <thead><tr><th>Archived</th><th>Holds</th><th className="num">Rows</th><th>What</th><th>File</th><th className="num">Size</th></tr></thead>
              <tbody>{d.files.map((f) => (
                <tr key={`${f.kind}-${f.id}`}>
                  <td>{formatInstant(f.archivedAt, viewerZone())}</td><td>{f.kind === 'decisions' ? 'decisions' : 'audit rows'}</td><td className="num">{formatCount(f.rows)}</td>
                  <td className="small">{f.detail}</td><td className="mono small">{f.file}</td>
                  <td className="num">{f.present ? formatBytes(f.bytes ?? 0) : <span className="pill state-down">missing</span>}</td>
                </tr>
              ))}</tbody>
            </table>
          </div>
        </details>
      )}
    </QueryState>
  );
}

const formatBytes = (n: number) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

export function ArchiveScreen() {
  const [tab, setTab] = useState<'decisions' | 'audit'>('decisions');
  const ask = useUi((s) => s.archiveAsk?.n);
  useEffect(() => { if (ask !== undefined) setTab('decisions'); }, [ask]);
  const [auditOf, setAuditOf] = useState('');
  const setScreen = useUi((s) => s.setScreen);
  return (
    <div className="screen" data-testid="archive-screen">
      <div className="screen-head">
        <h1>Archive</h1>
        <span className="muted">What retention moved out of the store, searched in its files, newest first. <button type="button" className="link" onClick={() => setScreen('settings')}>Retention settings</button></span>
      </div>
      <ArchiveFiles />
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'decisions'} className={tab === 'decisions' ? 'active' : ''} onClick={() => setTab('decisions')} data-testid="archive-tab-decisions">Decisions</button>
        <button type="button" role="tab" aria-selected={tab === 'audit'} className={tab === 'audit' ? 'active' : ''} onClick={() => setTab('audit')} data-testid="archive-tab-audit">Audit rows</button>
      </div>
      <div hidden={tab !== 'decisions'}><DecisionsTab onAudit={(id) => { setAuditOf(String(id)); setTab('audit'); }} /></div>
      <div hidden={tab !== 'audit'}><AuditTab key={auditOf} entityId={auditOf} /></div>
    </div>
  );
}
