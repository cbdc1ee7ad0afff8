/** Quarantined records with their reasons: filter by feed and run, page, and read the raw payload. */
import { useMemo, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef } from 'ag-grid-community';
import type { FeedStatus, QuarantineRow } from '../../engine/api/contract';
import type { FeedName } from '../../engine/domain/types';
import { useApi } from '../api/hooks';
import { useUi } from '../state/ui';
import { formatCount, formatInstant, viewerZone } from '../components/format';
import { Empty, ErrorNote, Loading } from '../components/States';
import { gridTheme, cspNonce } from '../components/gridTheme';

const PAGE = 100;

const columns: ColDef<QuarantineRow>[] = [
  { field: 'id', headerName: 'Id', width: 80 },
  { field: 'feed', headerName: 'Feed', width: 100 },
  { field: 'feedRunId', headerName: 'Run', width: 80 },
  { field: 'source', headerName: 'Source', width: 160 },
  { field: 'location', headerName: 'Where', width: 200 },
  { field: 'field', headerName: 'Field', width: 140 },
  { field: 'reason', headerName: 'Reason', flex: 1, minWidth: 240, tooltip: true },
  { field: 'createdAt', headerName: 'When', width: 190, valueFormatter: (p) => formatInstant(p.value as string, viewerZone()) },
];

function prettyPayload(payload: string): string {
  try { return JSON.stringify(JSON.parse(payload), null, 2); } catch { return payload; }
}

export function QuarantineBrowser({ feeds, initial }: { feeds: FeedStatus[]; initial: { feed?: FeedName; runId?: number } }) {
  const theme = useUi((s) => s.theme);
  const [feed, setFeed] = useState<FeedName | undefined>(initial.feed);
  const [runId, setRunId] = useState<number | undefined>(initial.runId);
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<QuarantineRow | null>(null);
  const q = useApi('feeds.quarantine', { feed, runId, limit: PAGE, offset }, { placeholderData: (prev) => prev });
  const defaultColDef = useMemo<ColDef>(() => ({ sortable: true, resizable: true, filter: true }), []);
  return (
    <div className="split" data-testid="quarantine-browser">
      <div className="split-main">
        <div className="filter-bar">
          <label>Feed{' '}
            <select value={feed ?? ''} data-testid="quarantine-feed" onChange={(e) => { setFeed((e.target.value || undefined) as FeedName | undefined); setOffset(0); setRunId(undefined); }}>
              <option value="">All feeds</option>
              {feeds.map((f) => <option key={f.feed} value={f.feed}>{f.label}</option>)}
            </select>
          </label>
          {runId && <span className="chip">Run {runId} <button type="button" aria-label="All runs" onClick={() => { setRunId(undefined); setOffset(0); }}>×</button></span>}
          <span className="muted" data-testid="quarantine-count">{q.data ? `${formatCount(q.data.total)} quarantined record${q.data.total === 1 ? '' : 's'}` : ''}</span>
          {q.data && q.data.total > PAGE && (
            <span className="pager">
              <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Previous</button>
              <span className="small">{offset + 1}–{Math.min(offset + PAGE, q.data.total)}</span>
              <button type="button" disabled={offset + PAGE >= q.data.total} onClick={() => setOffset(offset + PAGE)}>Next</button>
            </span>
          )}
        </div>
        {q.error && <ErrorNote error={q.error} onRetry={() => void q.refetch()} />}
        {q.isPending ? <Loading what="quarantined records" /> : q.data && q.data.total === 0 ? (
          <Empty title="Nothing quarantined">Every record of {feed ? `the ${feed} feed` : 'the feeds'}{runId ? ` in run ${runId}` : ''} passed validation.</Empty>
        ) : (
          <div className="grid-host grid-short" data-testid="quarantine-grid">
            <AgGridReact<QuarantineRow> theme={gridTheme(theme)} styleNonce={cspNonce()} rowData={q.data?.rows} columnDefs={columns} defaultColDef={defaultColDef}
              getRowId={(p) => String(p.data.id)} rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
              onSelectionChanged={(e) => setSelected(e.api.getSelectedRows()[0] ?? null)} animateRows={false} tooltipShowDelay={300} />
          </div>
        )}
      </div>
      {selected && (
        <aside className="card split-side" data-testid="quarantine-detail" aria-label="Quarantined record">
          <header><h2>Record {selected.id}</h2><button type="button" className="small-button" onClick={() => setSelected(null)}>Close</button></header>
          <dl className="facts">
            <dt>Feed</dt><dd>{selected.feed} (run {selected.feedRunId ?? '—'})</dd>
            <dt>Where</dt><dd className="mono">{selected.source} · {selected.location}</dd>
            <dt>Field</dt><dd className="mono">{selected.field ?? '—'}</dd>
            <dt>Reason</dt><dd data-testid="quarantine-reason">{selected.reason}</dd>
          </dl>
          <h3>Raw payload, as received</h3>
          <pre className="payload" data-testid="quarantine-payload">{prettyPayload(selected.payload)}</pre>
        </aside>
      )}
    </div>
  );
}
