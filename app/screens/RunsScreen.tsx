/**
 * Run history: feed syncs (started by people, at start, on a schedule or by a headless run — the
 * trigger says which) and pricing cycles, newest first.
 */
import { useState } from 'react';
import type { FeedRunRow } from '../../engine/api/contract';
import { useApi } from '../api/hooks';
import { Empty, QueryState } from '../components/States';
import { formatCount, formatInstant, formatMs, viewerZone } from '../components/format';

const RUN_CLASS: Record<FeedRunRow['status'], string> = { running: 'state-never', ok: 'state-ok', degraded: 'state-degraded', failed: 'state-down', fallback: 'state-fallback', cancelled: 'state-never' };

function durationOf(a: string, b: string | null): string {
  return b ? formatMs(Date.parse(b) - Date.parse(a)) : 'running';
}

export function RunsScreen() {
  const [trigger, setTrigger] = useState('');
  const feeds = useApi('feeds.runs', { limit: 500 });
  const cycles = useApi('analytics.cycles', { limit: 100 });
  const triggers = [...new Set((feeds.data ?? []).map((r) => r.trigger))].sort();
  return (
    <div className="screen" data-testid="runs-screen">
      <div className="screen-head"><h1>Run history</h1></div>
      <section className="card" aria-label="Pricing cycles">
        <h2>Pricing cycles</h2>
        <QueryState q={cycles} what="pricing cycles">
          {(d) => d.rows.length === 0 ? <p className="muted">No pricing cycle has run yet.</p> : (
            <div className="table-wrap">
              <table className="table compact" data-testid="cycles-table">
                <thead><tr><th>Cycle</th><th>Started</th><th>Duration</th><th>Status</th><th className="num">Departures</th><th className="num">Recommendations</th><th className="num">Warnings</th><th>Error / first warnings</th></tr></thead>
                <tbody>{d.rows.map((c) => (
                  <tr key={c.id}>
                    <td className="mono">{c.id}</td><td>{formatInstant(c.startedAt, viewerZone())}</td><td>{durationOf(c.startedAt, c.finishedAt)}</td>
                    <td><span className={`pill ${c.status === 'ok' ? 'state-ok' : c.status === 'failed' ? 'state-down' : 'state-never'}`}>{c.status}</span></td>
                    <td className="num">{formatCount(c.stats.departures ?? null)}</td><td className="num">{formatCount(c.recommendations)}</td><td className="num">{formatCount(c.warnings)}</td>
                    <td className={c.error ? 'error-text small' : 'small'} title={c.firstWarnings.map((w) => `${w.code} ${w.where}: ${w.message}`).join('\n')}>
                      {c.error ?? c.firstWarnings.slice(0, 2).map((w) => `${w.code}: ${w.message}`).join('; ')}
                    </td>
                  </tr>
                ))}</tbody>
              </table>
            </div>
          )}
        </QueryState>
      </section>
      <section className="card" aria-label="Feed runs">
        <header>
          <h2>Feed runs</h2>
          <label>Trigger{' '}
            <select value={trigger} onChange={(e) => setTrigger(e.target.value)} data-testid="runs-trigger">
              <option value="">All</option>
              {triggers.map((t) => <option key={t} value={t}>{t}</option>)}
            </select>
          </label>
        </header>
        <QueryState q={feeds} what="feed runs">
          {(rows) => {
            const shown = rows.filter((r) => !trigger || r.trigger === trigger);
            return shown.length === 0 ? <Empty>No runs yet.</Empty> : (
              <div className="table-wrap">
                <table className="table compact" data-testid="runs-table">
                  <thead><tr><th className="num">Run</th><th>Feed</th><th>Trigger</th><th>Started</th><th>Duration</th><th>Status</th><th className="num">In</th><th className="num">Written</th><th className="num">Quarantined</th><th className="num">Retries</th><th>Error</th></tr></thead>
                  <tbody>{shown.map((r) => (
                    <tr key={r.id}>
                      <td className="num">{r.id}</td><td>{r.feed}</td><td>{r.trigger}</td><td>{formatInstant(r.startedAt, viewerZone())}</td><td>{formatMs(r.durationMs)}</td>
                      <td><span className={`pill ${RUN_CLASS[r.status]}`}>{r.status}</span></td>
                      <td className="num">{formatCount(r.recordsIn)}</td><td className="num">{formatCount(r.recordsWritten)}</td><td className="num">{formatCount(r.recordsQuarantined)}</td><td className="num">{formatCount(r.retries)}</td>
                      <td className="error-text small">{r.error ?? ''}</td>
                    </tr>
                  ))}</tbody>
                </table>
              </div>
            );
          }}
        </QueryState>
      </section>
    </div>
  );
}
