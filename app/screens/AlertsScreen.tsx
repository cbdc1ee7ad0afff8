/** Alerts: open, acknowledged, resolved; acknowledge one or many with a note; check now. Live from push events. */
import { useState } from 'react';
import type { AlertRow } from '../../engine/api/contract';
import { useApi, useApiMutation } from '../api/hooks';
import { Empty, ErrorNote, QueryState } from '../components/States';
import { formatCount, formatInstant, viewerZone } from '../components/format';
import { DEFAULT_REVIEW_FILTER, useUi } from '../state/ui';

type Status = 'active' | 'open' | 'acknowledged' | 'resolved' | 'all';

export function AlertsScreen() {
  const [status, setStatus] = useState<Status>('active');
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [note, setNote] = useState('');
  const q = useApi('monitoring.alerts', { status, limit: 500 });
  const ack = useApiMutation('monitoring.acknowledgeAlerts');
  const check = useApiMutation('monitoring.checkAlerts');
  const toggle = (id: number) => setSelected((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; });
  const acknowledge = (ids: number[]) => ack.mutate({ ids, ...(note.trim() ? { note: note.trim() } : {}) }, { onSuccess: () => { setSelected(new Set()); setNote(''); } });
  return (
    <div className="screen" data-testid="alerts-screen">
      <div className="screen-head">
        <h1>Alerts</h1>
        <span className="muted" data-testid="alerts-open">{q.data ? `${formatCount(q.data.open)} open` : ''}</span>
        <span className="spacer" />
        <button type="button" disabled={check.isPending} onClick={() => check.mutate({})} data-testid="alerts-check">Check now</button>
      </div>
      {check.data && <p className="muted small" role="status">Checked: {check.data.raised} raised, {check.data.resolved} resolved.</p>}
      <div className="filter-bar">
        <label>Show{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value as Status)} data-testid="alerts-status">
            <option value="active">Open and acknowledged</option><option value="open">Open</option><option value="acknowledged">Acknowledged</option><option value="resolved">Resolved</option><option value="all">All</option>
          </select>
        </label>
        <input placeholder="Note (optional)" value={note} onChange={(e) => setNote(e.target.value)} aria-label="Acknowledgement note" />
        <button type="button" disabled={selected.size === 0 || ack.isPending} onClick={() => acknowledge([...selected])} data-testid="alerts-ack-selected">Acknowledge selected ({selected.size})</button>
      </div>
      {ack.error && <ErrorNote error={ack.error} />}
      {check.error && <ErrorNote error={check.error} />}
      <QueryState q={q} what="alerts">
        {(d) => {
          if (d.rows.length === 0) return <Empty title="No alerts">Feeds, pushes, competitor moves and forecasts are within their thresholds.</Empty>;
          // what an alert is about beyond its market (a feed, a flight); the column only when some alert has one
          const about = (a: AlertRow) => (a.subject && a.subject !== `${a.origin}-${a.destination}` ? a.subject : '');
          const withAbout = d.rows.some((a: AlertRow) => about(a) !== '');
          return (
          <div className="table-wrap fill">
            <table className="table" data-testid="alerts-table">
              <thead><tr><th /><th>Severity</th><th>Kind</th><th>Market</th>{withAbout && <th>About</th>}<th>Message</th><th>Raised</th><th className="num">Seen</th><th>Status</th><th /></tr></thead>
              <tbody>{d.rows.map((a: AlertRow) => (
                <tr key={a.id} className={`alert-${a.severity}`} data-testid={`alert-${a.id}`}>
                  <td><input type="checkbox" aria-label={`Select alert ${a.id}`} disabled={a.status !== 'open'} checked={selected.has(a.id)} onChange={() => toggle(a.id)} /></td>
                  <td><span className={`pill severity-${a.severity}`}>{a.severity}</span></td><td className="nowrap">{a.kind.replace(/_/g, ' ')}</td>
                  <td className="nowrap"><MarketCell alert={a} /></td>{withAbout && <td className="mono">{about(a)}</td>}<td>{a.message}</td>
                  <td>{formatInstant(a.raisedAt, viewerZone())}</td><td className="num">{a.occurrences}</td>
                  <td>{a.status}{a.acknowledgedBy ? ` by ${a.acknowledgedBy}` : ''}</td>
                  <td>{a.status === 'open' && <button type="button" className="small-button" onClick={() => acknowledge([a.id])} data-testid={`alert-ack-${a.id}`}>Acknowledge</button>}</td>
                </tr>
              ))}</tbody>
            </table>
          </div>
          );
        }}
      </QueryState>
    </div>
  );
}

/** An alert's market, with a way to act on it: its proposals in Review, or its competitor and demand charts. */
function MarketCell({ alert: a }: { alert: AlertRow }) {
  const setScreen = useUi((s) => s.setScreen);
  const setReviewFilter = useUi((s) => s.setReviewFilter);
  const setReviewMode = useUi((s) => s.setReviewMode);
  const setAnalytics = useUi((s) => s.setAnalytics);
  if (!a.origin || !a.destination) return <>network</>;
  const m = { origin: a.origin, destination: a.destination };
  return (
    <>
      {a.origin}-{a.destination}
      <div className="small">
        <button type="button" className="link" data-testid={`alert-review-${a.id}`} title={`The proposals waiting for ${a.origin}-${a.destination}`}
          onClick={() => { setReviewFilter({ ...DEFAULT_REVIEW_FILTER, ...m }); setReviewMode('grid'); setScreen('review'); }}>review</button>
        {' · '}
        <button type="button" className="link" data-testid={`alert-charts-${a.id}`} title={`${a.origin}-${a.destination} against competitors, demand against forecast`}
          onClick={() => { setAnalytics(m); setScreen('analytics'); }}>charts</button>
      </div>
    </>
  );
}
