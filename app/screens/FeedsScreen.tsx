/**
 * Feeds monitor: a card per external system (state, breaker, last success and its age, records in and
 * quarantined, latency, retries, last error), live from push events; sync now with progress and
 * cancel; run history; quarantined records with their reasons.
 */
import { useState } from 'react';
import type { FeedStatus, EventMessage, FeedRunRow } from '../../engine/api/contract';
import type { FeedName } from '../../engine/domain/types';
import { useApi, useApiMutation, useApiEvents } from '../api/hooks';
import { call } from '../api/client';
import { useUi } from '../state/ui';
import { formatAge, formatCount, formatMs, formatInstant, viewerZone } from '../components/format';
import { Empty, ErrorNote, Loading, QueryState } from '../components/States';
import { Progress } from '../components/Progress';
import { QuarantineBrowser } from './QuarantineBrowser';
import { mergedDuplicates, WrittenCell } from './feedRun';

export const STATE_LABEL: Record<FeedStatus['state'], string> = { ok: 'OK', degraded: 'Degraded', down: 'Down', fallback: 'Fallback', never: 'Not synced yet' };
const RUN_CLASS: Record<FeedRunRow['status'], string> = { running: 'state-never', ok: 'state-ok', degraded: 'state-degraded', failed: 'state-down', fallback: 'state-fallback', cancelled: 'state-never' };

/** A run's recorded retry reasons (connectors/http/run-recorder.ts), one a line, for the Retries figure's tooltip. */
function retryReasonsText(reasons: unknown): string | undefined {
  if (!Array.isArray(reasons) || reasons.length === 0) return undefined;
  return reasons.map((r: { attempt?: number; url?: string; reason?: string }) => `attempt ${r.attempt ?? '?'} of ${r.url ?? '?'}: ${r.reason ?? '?'}`).join('\n');
}

function FeedCard({ feed, onShowQuarantine }: { feed: FeedStatus; onShowQuarantine: (feed: FeedName, runId?: number) => void }) {
  const sync = useApiMutation('feeds.sync');
  const progress = useUi((s) => s.progress[feed.feed]);
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<Error | null>(null);
  const run = feed.lastRun;
  const merged = mergedDuplicates(run);
  const runningId = progress?.runId ?? (run?.status === 'running' ? run.id : undefined);
  const busy = feed.running || sync.isPending || Boolean(progress);
  const cancel = async () => {
    if (!runningId) return;
    setCancelling(true);
    setCancelError(null);
    try { await call('feeds.cancel', { runId: runningId }); } catch (e) { setCancelError(e as Error); } finally { setCancelling(false); }
  };
  return (
    <section className={`card feed-card state-${feed.state}`} data-testid={`feed-card-${feed.feed}`} aria-label={`${feed.label} feed`}>
      <header>
        <h2>{feed.label}</h2>
        <span className={`badge state-${feed.state}`} data-testid="feed-state">{STATE_LABEL[feed.state]}</span>
      </header>
      <p className="muted" data-testid="feed-reason">{feed.reason}</p>
      <dl className="facts">
        <dt>Breaker</dt><dd data-testid="feed-breaker">{feed.breaker.replace('_', '-')}</dd>
        <dt>Last success</dt><dd data-testid="feed-last-success" title={feed.lastSuccessAt ?? undefined}>{feed.lastSuccessAt ? formatAge(feed.lastSuccessAgeSeconds) : 'never'}</dd>
        {feed.state === 'fallback' && <><dt>Data age</dt><dd>{formatAge(feed.fallbackAgeSeconds)}</dd></>}
        <dt>Last run</dt><dd data-testid="feed-last-status">{run ? <span className={`pill ${RUN_CLASS[run.status]}`}>{run.status}</span> : '—'} {run && <span className="muted small">{formatInstant(run.startedAt, viewerZone())}</span>}</dd>
        <dt>Records in</dt><dd data-testid="feed-records-in">{formatCount(run?.recordsIn)}</dd>
        <dt>Written</dt><dd><span data-testid="feed-records-written">{formatCount(run?.recordsWritten)}</span>{merged > 0 && <span className="muted small" data-testid="feed-records-merged"> + {formatCount(merged)} duplicate(s) merged</span>}</dd>
        <dt>Quarantined</dt>
        <dd data-testid="feed-records-quarantined">
          {run && run.recordsQuarantined > 0
            ? <button type="button" className="link" onClick={() => onShowQuarantine(feed.feed, run.id)} data-testid="feed-show-quarantine">{formatCount(run.recordsQuarantined)} — show</button>
            : formatCount(run?.recordsQuarantined)}
        </dd>
        <dt>Latency</dt><dd data-testid="feed-latency">{formatMs(run?.latencyMs)}</dd>
        <dt>Retries</dt><dd data-testid="feed-retries" title={retryReasonsText(run?.detail.retryReasons)}>{formatCount(run?.retries)}</dd>
        <dt>Duration</dt><dd>{formatMs(run?.durationMs)}</dd>
        <dt>Endpoint</dt><dd className="mono">{feed.endpoint}</dd>
      </dl>
      {/* a cancelled run (by a person, or its process stopped) is not the system's failure: its reason in grey */}
      {run?.error && <p className={run.status === 'cancelled' ? 'muted small' : 'error-text'} data-testid="feed-error">{run.error}</p>}
      {progress && (
        <Progress testId="feed-progress" label={`${progress.phase}: ${formatCount(progress.recordsIn)}${progress.total ? ` / ${formatCount(progress.total)}` : ''} records, ${formatCount(progress.recordsQuarantined)} quarantined`}
          value={progress.recordsIn} max={progress.total} onCancel={() => void cancel()} cancelling={cancelling} />
      )}
      {!progress && feed.running && runningId && <Progress label="Running…" value={0} max={null} onCancel={() => void cancel()} cancelling={cancelling} />}
      <div className="row-actions">
        <button type="button" disabled={busy} onClick={() => sync.mutate({ feeds: [feed.feed], wait: false })} data-testid="feed-sync">
          {busy ? 'Syncing…' : 'Sync now'}
        </button>
      </div>
      {sync.error && <ErrorNote error={sync.error} compact />}
      {cancelError && <ErrorNote error={cancelError} compact />}
    </section>
  );
}

function RunHistory({ feed }: { feed?: FeedName }) {
  const runs = useApi('feeds.runs', { feed, limit: 50 });
  return (
    <QueryState q={runs} what="run history">
      {(rows) => rows.length === 0 ? <Empty>No runs yet.</Empty> : (
        <div className="table-wrap">
          <table className="table" data-testid="feed-runs">
            <thead><tr><th>Run</th><th>Feed</th><th>Trigger</th><th>Started</th><th>Status</th><th className="num">In</th><th className="num">Written</th><th className="num">Quarantined</th><th className="num">Retries</th><th className="num">Latency</th><th className="num">Duration</th><th>Error</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>{r.id}</td><td>{r.feed}</td><td>{r.trigger}</td><td>{formatInstant(r.startedAt, viewerZone())}</td>
                  <td><span className={`pill ${RUN_CLASS[r.status]}`}>{r.status}</span></td>
                  <td className="num">{formatCount(r.recordsIn)}</td><WrittenCell run={r} />
                  <td className="num">{formatCount(r.recordsQuarantined)}</td><td className="num">{formatCount(r.retries)}</td>
                  <td className="num">{formatMs(r.latencyMs)}</td><td className="num">{formatMs(r.durationMs)}</td>
                  <td className="error-text small">{r.error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </QueryState>
  );
}

/** The planned schedule against the PSS's operated flights: differences are flagged, neither side overwritten. */
function Mismatches() {
  const q = useApi('feeds.mismatches', { limit: 1_000 });
  const openDetail = useUi((s) => s.openDetail);
  return (
    <QueryState q={q} what="schedule mismatches">
      {(rows) => rows.length === 0 ? <Empty title="No open mismatch">The planned schedule and the PSS agree on every flight.</Empty> : (
        <div className="table-wrap">
          <table className="table compact" data-testid="mismatches">
            <thead><tr><th>Flight</th><th>Kind</th><th>Detail</th><th>First seen</th><th>Last seen</th></tr></thead>
            <tbody>{rows.map((m) => (
              <tr key={`${m.flightId}|${m.kind}`}>
                <td><button type="button" className="link" onClick={() => openDetail({ flightId: m.flightId })}>{m.flightId}</button></td>
                <td>{m.kind.replace(/_/g, ' ')}</td><td>{m.detail}</td>
                <td>{formatInstant(m.firstSeenAt, viewerZone())}</td><td>{formatInstant(m.lastSeenAt, viewerZone())}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
    </QueryState>
  );
}

export function FeedsScreen() {
  const status = useApi('feeds.status', {}, { refetchInterval: 30_000 });
  const syncAll = useApiMutation('feeds.sync');
  const setProgress = useUi((s) => s.setProgress);
  const [tab, setTab] = useState<'runs' | 'quarantine' | 'mismatches'>('runs');
  const [historyFeed, setHistoryFeed] = useState<FeedName | undefined>(undefined);
  const [quarantine, setQuarantine] = useState<{ feed?: FeedName; runId?: number }>({});
  useApiEvents((m: EventMessage) => {
    if (m.name === 'feed.progress') setProgress(m.payload);
    if (m.name === 'feed.run' && m.payload.status !== 'running') setProgress({ feed: m.payload.feed, clear: true });
  });
  if (status.isPending) return <Loading what="feed status" />;
  if (status.error) return <ErrorNote error={status.error} onRetry={() => void status.refetch()} />;
  const showQuarantine = (feed: FeedName, runId?: number) => { setQuarantine({ feed, runId }); setTab('quarantine'); };
  return (
    <div className="screen" data-testid="feeds-screen">
      <div className="screen-head">
        <h1>Feeds</h1>
        <button type="button" disabled={syncAll.isPending || status.data.some((f) => f.running)} onClick={() => syncAll.mutate({ wait: false })} data-testid="feeds-sync-all">Sync all</button>
      </div>
      {syncAll.error && <ErrorNote error={syncAll.error} />}
      <div className="card-grid">{status.data.map((f) => <FeedCard key={f.feed} feed={f} onShowQuarantine={showQuarantine} />)}</div>
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'runs'} className={tab === 'runs' ? 'active' : ''} onClick={() => setTab('runs')} data-testid="tab-runs">Run history</button>
        <button type="button" role="tab" aria-selected={tab === 'quarantine'} className={tab === 'quarantine' ? 'active' : ''} onClick={() => setTab('quarantine')} data-testid="tab-quarantine">Quarantined records</button>
        <button type="button" role="tab" aria-selected={tab === 'mismatches'} className={tab === 'mismatches' ? 'active' : ''} onClick={() => setTab('mismatches')} data-testid="tab-mismatches">Schedule mismatches</button>
        {tab === 'runs' && (
          <label className="tab-filter">Feed{' '}
            <select value={historyFeed ?? ''} onChange={(e) => setHistoryFeed((e.target.value || undefined) as FeedName | undefined)}>
              <option value="">All feeds</option>
              {status.data.map((f) => <option key={f.feed} value={f.feed}>{f.label}</option>)}
            </select>
          </label>
        )}
      </div>
      {tab === 'runs' ? <RunHistory feed={historyFeed} /> : tab === 'mismatches' ? <Mismatches /> : <QuarantineBrowser feeds={status.data} initial={quarantine} key={`${quarantine.feed}-${quarantine.runId}`} />}
    </div>
  );
}
