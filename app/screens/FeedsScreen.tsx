import { useCallback } from 'react';
import type { FeedStatus, EventMessage } from '../../engine/api/contract';
import { useApi, useApiMutation, useApiEvents } from '../api/hooks';
import { useUi } from '../state/ui';
import { formatAge, formatCount, formatMs } from '../components/format';
import { ErrorNote, Loading } from '../components/States';

const STATE_LABEL: Record<FeedStatus['state'], string> = { ok: 'OK', degraded: 'Degraded', down: 'Down', fallback: 'Fallback', never: 'Not synced yet' };

function FeedCard({ feed }: { feed: FeedStatus }) {
  const sync = useApiMutation('feeds.sync');
  const progress = useUi((s) => s.progress[feed.feed]);
  const run = feed.lastRun;
  return (
    <section className={`card feed-card state-${feed.state}`} data-testid={`feed-card-${feed.feed}`} aria-label={`${feed.label} feed`}>
      <header>
        <h2>{feed.label}</h2>
        <span className={`badge state-${feed.state}`} data-testid="feed-state">{STATE_LABEL[feed.state]}</span>
      </header>
      <p className="muted" data-testid="feed-reason">{feed.reason}</p>
      <dl className="facts">
        <dt>Breaker</dt><dd data-testid="feed-breaker">{feed.breaker.replace('_', '-')}</dd>
        <dt>Last success</dt><dd data-testid="feed-last-success">{feed.lastSuccessAt ? formatAge(feed.lastSuccessAgeSeconds) : 'never'}</dd>
        <dt>Records in</dt><dd data-testid="feed-records-in">{formatCount(run?.recordsIn)}</dd>
        <dt>Written</dt><dd data-testid="feed-records-written">{formatCount(run?.recordsWritten)}</dd>
        <dt>Quarantined</dt><dd data-testid="feed-records-quarantined">{formatCount(run?.recordsQuarantined)}</dd>
        <dt>Latency</dt><dd>{formatMs(run?.latencyMs)}</dd>
        <dt>Retries</dt><dd>{formatCount(run?.retries)}</dd>
        <dt>Duration</dt><dd>{formatMs(run?.durationMs)}</dd>
        <dt>Endpoint</dt><dd className="mono">{feed.endpoint}</dd>
      </dl>
      {run?.error && <p className="error-text" data-testid="feed-error">{run.error}</p>}
      {progress && (
        <div className="progress" role="progressbar" aria-valuenow={progress.recordsIn} aria-valuemax={progress.total ?? undefined}>
          {progress.phase}: {formatCount(progress.recordsIn)}{progress.total ? ` / ${formatCount(progress.total)}` : ''} records
        </div>
      )}
      <button type="button" disabled={feed.running || sync.isPending} onClick={() => sync.mutate({ feeds: [feed.feed], wait: false })} data-testid="feed-sync">
        {feed.running || sync.isPending ? 'Syncing…' : 'Sync now'}
      </button>
      {sync.error && <ErrorNote error={sync.error} />}
    </section>
  );
}

export function FeedsScreen() {
  const status = useApi('feeds.status', {}, { refetchInterval: 30_000 });
  const setProgress = useUi((s) => s.setProgress);
  const onEvent = useCallback((m: EventMessage) => {
    if (m.name === 'feed.progress') setProgress(m.payload);
    if (m.name === 'feed.run' && m.payload.status !== 'running') setProgress({ feed: m.payload.feed, clear: true });
  }, [setProgress]);
  useApiEvents(onEvent);
  if (status.isPending) return <Loading what="feed status" />;
  if (status.error) return <ErrorNote error={status.error} />;
  return (
    <div className="screen" data-testid="feeds-screen">
      <h1>Feeds</h1>
      <div className="card-grid">{status.data.map((f) => <FeedCard key={f.feed} feed={f} />)}</div>
    </div>
  );
}
