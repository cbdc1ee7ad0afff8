/**
 * Today: where a revenue manager's day starts. What needs attention first (feeds, the last cycle, pushes,
 * alerts) and what waits for a decision, market by market, each a click from the screen that acts on it.
 */
import { influenceChange, influenceScope, type AlertRow, type CycleRunRow, type DemandInfluence, type FeedStatus } from '../../engine/api/contract';
import { useApi } from '../api/hooks';
import { useUi, DEFAULT_REVIEW_FILTER, type ScreenId } from '../state/ui';
import { Empty, ErrorNote, Loading } from '../components/States';
import { formatAge, formatCount, formatInstant, formatMs, formatSignedPct, viewerZone } from '../components/format';
import { attentionOf, waitingByMarket, type WaitingMarket } from './today';
import { outcomeClass } from './cycle/CycleControls';

export function TodayScreen() {
  const setScreen = useUi((s) => s.setScreen);
  const info = useApi('system.info', {});
  const feeds = useApi('feeds.status', {}, { refetchInterval: 30_000 });
  const runs = useApi('cycle.runs', { limit: 1 });
  const outbox = useApi('decisions.batches', { limit: 1 }, { refetchInterval: 15_000 });
  const failed = useApi('decisions.list', { filter: { states: ['failed'] }, limit: 1 });
  const alerts = useApi('monitoring.alerts', { status: 'open', limit: 500 }, { refetchInterval: 60_000 });
  const fares = useApi('analytics.reviewSummary', { filter: { states: ['proposed'], kinds: ['fare'] }, groupBy: 'market', limit: 2_000 });
  const controls = useApi('analytics.reviewSummary', { filter: { states: ['proposed'], kinds: ['authorisation', 'bid_price'] }, groupBy: 'market', limit: 2_000 });
  const markets = fares.data && controls.data ? waitingByMarket(fares.data.rows, controls.data.rows, alerts.data?.rows ?? []) : null;
  const waitingError = fares.error ?? controls.error;
  const lastRun = runs.data ? (runs.data.running ?? runs.data.rows[0] ?? null) : undefined;
  const attention = attentionOf({ now: info.data?.now ?? null, feeds: feeds.data ?? null, lastRun, failedPushes: failed.data?.total ?? null });
  return (
    <div className="screen" data-testid="today-screen">
      <div className="screen-head">
        <h1>Today</h1>
        {info.data && <span className="muted">{formatInstant(info.data.now, viewerZone())} · {info.data.mode === 'sandbox' ? 'on the sandbox' : 'live'}</span>}
      </div>
      {attention.length > 0 && (
        <ul className="notice today-attention" role="status" data-testid="today-attention">
          {attention.map((a) => <li key={a.text}>{a.text} <button type="button" className="link" onClick={() => setScreen(a.screen)}>{a.action}</button></li>)}
        </ul>
      )}
      <div className="card-grid">
        <FeedsCard feeds={feeds.data} error={feeds.error} go={setScreen} />
        <CycleCard run={lastRun} error={runs.error} go={setScreen} />
        <section className="card" aria-label="Pushes" data-testid="today-pushes">
          <header><h2>Pushes to the PSS</h2><button type="button" className="link" onClick={() => setScreen('approvals')}>approvals</button></header>
          {outbox.data ? (
            <dl className="facts">
              <dt>Queued</dt><dd>{formatCount(outbox.data.queue.queued)}</dd>
              <dt>Waiting for an answer</dt><dd>{formatCount(outbox.data.queue.pendingBatches)} batch(es)</dd>
              <dt>Failed</dt><dd className={failed.data?.total ? 'error-text' : ''} data-testid="today-failed">{failed.data ? formatCount(failed.data.total) : '…'}</dd>
            </dl>
          ) : outbox.error ? <ErrorNote error={outbox.error} compact /> : <Loading what="the outbox" />}
        </section>
        <section className="card" aria-label="Alerts" data-testid="today-alerts">
          <header><h2>Alerts</h2><button type="button" className="link" onClick={() => setScreen('alerts')}>alerts</button></header>
          {alerts.data ? <AlertKinds rows={alerts.data.rows} open={alerts.data.open} /> : alerts.error ? <ErrorNote error={alerts.error} compact /> : <Loading what="alerts" />}
        </section>
        <InfluencesCard />
      </div>
      <section className="card" aria-label="Waiting for a decision" data-testid="today-waiting">
        <header>
          <h2>Waiting for a decision</h2>
          {markets && <span className="muted" data-testid="today-waiting-total">{formatCount(markets.total)} proposal(s) in {formatCount(markets.rows.length)} market(s){markets.outside ? `, ${formatCount(markets.outside)} outside the guardrails` : ''}</span>}
        </header>
        {waitingError ? <ErrorNote error={waitingError} /> : !markets ? <Loading what="the proposals waiting" />
          : markets.rows.length === 0 ? <Empty title="Nothing waits">No proposal waits for a decision: run a cycle from Run history, or wait for the next scheduled one.</Empty>
            : <WaitingTable rows={markets.rows} />}
      </section>
    </div>
  );
}

function FeedsCard({ feeds, error, go }: { feeds: FeedStatus[] | undefined; error: Error | null; go: (s: ScreenId) => void }) {
  return (
    <section className="card" aria-label="Feeds" data-testid="today-feeds">
      <header><h2>Feeds</h2><button type="button" className="link" onClick={() => go('feeds')}>feeds</button></header>
      {feeds ? (
        <dl className="facts">
          {feeds.map((f) => (
            <FeedLine key={f.feed} f={f} />
          ))}
        </dl>
      ) : error ? <ErrorNote error={error} compact /> : <Loading what="the feeds" />}
    </section>
  );
}

function FeedLine({ f }: { f: FeedStatus }) {
  return (
    <>
      <dt>{f.label.replace(/ \(.*\)$/, '')}</dt>
      <dd data-testid={`today-feed-${f.feed}`}><span className={`pill state-${f.state}`}>{f.state}</span> {f.running ? 'syncing now' : formatAge(f.lastSuccessAgeSeconds)}</dd>
    </>
  );
}

function CycleCard({ run, error, go }: { run: CycleRunRow | null | undefined; error: Error | null; go: (s: ScreenId) => void }) {
  return (
    <section className="card" aria-label="Last cycle" data-testid="today-cycle">
      <header><h2>Last cycle</h2><button type="button" className="link" onClick={() => go('runs')}>run history</button></header>
      {run === undefined ? (error ? <ErrorNote error={error} compact /> : <Loading what="the last cycle" />)
        : run === null ? <p className="muted">No cycle has run yet. Start one from Run history (Run cycle…).</p>
          : (
            <dl className="facts">
              <dt>Run {run.id}</dt><dd><span className={`pill ${outcomeClass(run)}`}>{run.status}</span> {run.host}, {run.trigger} by {run.startedBy}</dd>
              <dt>Started</dt><dd>{formatInstant(run.startedAt, viewerZone())}{run.durationMs !== null ? ` · took ${formatMs(run.durationMs)}` : ''}</dd>
              <dt>Proposed</dt><dd>{formatCount(run.proposed)}{run.kept ? ` · ${formatCount(run.kept)} earlier proposals kept` : ''}</dd>
              <dt>Auto-approved</dt><dd>{formatCount(run.autoApproved)}</dd>
              <dt>Pushed</dt><dd>{formatCount(run.pushed)}{run.pushFailed ? <span className="error-text"> · {formatCount(run.pushFailed)} failed</span> : ''}</dd>
              {run.error && <><dt>Error</dt><dd className="error-text">{run.error}</dd></>}
            </dl>
          )}
    </section>
  );
}

function AlertKinds({ rows, open }: { rows: AlertRow[]; open: number }) {
  if (open === 0) return <p className="muted">No open alert.</p>;
  const byKind = new Map<string, number>();
  for (const a of rows) byKind.set(a.kind, (byKind.get(a.kind) ?? 0) + 1);
  return (
    <dl className="facts">
      <dt>Open</dt><dd data-testid="today-alerts-open">{formatCount(open)}</dd>
      {[...byKind].sort((a, b) => b[1] - a[1]).map(([k, n]) => <FactLine key={k} term={k.replace(/_/g, ' ')} value={formatCount(n)} />)}
    </dl>
  );
}

function FactLine({ term, value }: { term: string; value: string }) {
  return <><dt>{term}</dt><dd>{value}</dd></>;
}

/** The markets with proposals waiting, most first: how many, over which dates, the moves, and a way to act on each. */
function WaitingTable({ rows }: { rows: WaitingMarket[] }) {
  const setScreen = useUi((s) => s.setScreen);
  const setReviewFilter = useUi((s) => s.setReviewFilter);
  const setReviewMode = useUi((s) => s.setReviewMode);
  const setAnalytics = useUi((s) => s.setAnalytics);
  const review = (r: WaitingMarket) => { setReviewFilter({ ...DEFAULT_REVIEW_FILTER, kinds: [], origin: r.origin, destination: r.destination }); setReviewMode('grid'); setScreen('review'); };
  return (
    <div className="table-wrap">
      <table className="table" data-testid="today-markets">
        <thead><tr><th>Market</th><th className="num">Fares</th><th className="num">Inventory controls</th><th className="num">Flights</th><th>Departures</th><th className="num">Fare moves</th><th className="num">Outside guardrails</th><th className="num">Open alerts</th><th /></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-testid={`today-market-${r.key}`}>
              <td>{r.key}</td>
              <td className="num">{formatCount(r.decisions)}</td>
              <td className="num">{formatCount(r.controls)}</td>
              <td className="num">{formatCount(r.flights)}</td>
              <td className="nowrap">{r.firstDate === r.lastDate ? r.firstDate : `${r.firstDate} – ${r.lastDate}`}</td>
              <td className="num nowrap">{r.minChangePct === null ? '—' : `${formatSignedPct(r.minChangePct)} … ${formatSignedPct(r.maxChangePct)}`}</td>
              <td className={`num${r.outsideGuardrails ? ' error-text' : ''}`}>{formatCount(r.outsideGuardrails)}</td>
              <td className="num">{r.openAlerts ? formatCount(r.openAlerts) : ''}</td>
              <td className="nowrap">
                <button type="button" className="link" onClick={() => review(r)} data-testid={`today-review-${r.key}`}>review</button>
                {' · '}
                <button type="button" className="link" onClick={() => { setAnalytics({ origin: r.origin, destination: r.destination }); setScreen('analytics'); }}>charts</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The analysts' demand influences not yet over: what the forecasts carry beyond the history. */
function InfluencesCard() {
  const q = useApi('influences.list', {});
  const setScreen = useUi((s) => s.setScreen);
  const setAnalytics = useUi((s) => s.setAnalytics);
  const open = (i: DemandInfluence) => {
    if (i.origin && i.destination) setAnalytics({ origin: i.origin, destination: i.destination });
    setScreen('analytics');
  };
  const SHOWN = 4;
  return (
    <section className="card" aria-label="Demand influences" data-testid="today-influences">
      <header><h2>Demand influences</h2><button type="button" className="link" onClick={() => setScreen('analytics')}>charts</button></header>
      {q.data ? (q.data.rows.length === 0 ? <span className="muted">None: the forecasts rest on the history.</span> : (
        <ul className="plain">
          {q.data.rows.slice(0, SHOWN).map((i) => (
            <li key={i.id}><button type="button" className="link" onClick={() => open(i)}>{i.name}</button> {influenceScope(i)} {influenceChange(i.factor)} · {i.from === i.to ? i.from : `${i.from} – ${i.to}`}</li>
          ))}
          {q.data.rows.length > SHOWN && <li className="muted">and {formatCount(q.data.rows.length - SHOWN)} more</li>}
        </ul>
      )) : q.error ? <ErrorNote error={q.error} compact /> : <Loading what="demand influences" />}
    </section>
  );
}
