/**
 * Run history: cycles from every host (desktop, web, headless) with their reports, and feed syncs
 * (started by people, at start, by a cycle — the trigger says which), newest first.
 */
import { useState } from 'react';
import type { FeedRunRow } from '../../engine/api/contract';
import { useApi } from '../api/hooks';
import { Empty, QueryState } from '../components/States';
import { formatCount, formatInstant, formatMs, viewerZone } from '../components/format';
import { RunCycleButton, outcomeClass } from './cycle/CycleControls';
import { CycleReportView } from './cycle/CycleReportView';
import { WrittenCell } from './feedRun';

const RUN_CLASS: Record<FeedRunRow['status'], string> = { running: 'state-never', ok: 'state-ok', degraded: 'state-degraded', failed: 'state-down', fallback: 'state-fallback', cancelled: 'state-never' };

function durationOf(a: string, b: string | null): string {
  return b ? formatMs(Date.parse(b) - Date.parse(a)) : 'running';
}

export function RunsScreen() {
  const [trigger, setTrigger] = useState('');
  const [host, setHost] = useState<'' | 'desktop' | 'web' | 'headless'>('');
  const [open, setOpen] = useState<number | null>(null);
  const feeds = useApi('feeds.runs', { limit: 500 });
  const cycles = useApi('cycle.runs', { limit: 100, ...(host ? { host } : {}) });
  const triggers = [...new Set((feeds.data ?? []).map((r) => r.trigger))].sort();
  return (
    <div className="screen" data-testid="runs-screen">
      <div className="screen-head"><h1>Run history</h1><span className="spacer" /><RunCycleButton /></div>
      <section className="card" aria-label="Cycle runs">
        <header>
          <h2>Cycles (desktop, web and headless)</h2>
          <label>Host{' '}
            <select value={host} onChange={(e) => setHost(e.target.value as typeof host)} data-testid="runs-host">
              <option value="">All</option><option value="desktop">desktop</option><option value="web">web</option><option value="headless">headless</option>
            </select>
          </label>
        </header>
        <QueryState q={cycles} what="cycle runs">
          {(d) => d.rows.length === 0 ? <p className="muted">No cycle has run yet. Run one here, or on a schedule with <span className="mono">dfae run</span>.</p> : (
            <div className="table-wrap">
              <table className="table compact" data-testid="cycles-table">
                <thead><tr><th className="num">Run</th><th>Host</th><th>Trigger</th><th>By</th><th>Started</th><th>Took</th><th>Status</th><th className="num">Synced</th><th className="num">Priced</th><th className="num">Proposed</th><th className="num" title="proposals of earlier cycles the run recommended again and kept">Kept</th><th className="num">Auto-approved</th><th className="num">Waiting</th><th className="num">Pushed</th><th className="num">Push failed</th><th>Error</th></tr></thead>
                <tbody>{d.rows.map((c) => (
                  <tr key={c.id} className={open === c.id ? 'current-row' : ''} data-testid={`cycle-run-${c.id}`}>
                    <td className="num"><button type="button" className="link" onClick={() => setOpen(open === c.id ? null : c.id)}>{c.id}</button></td>
                    <td>{c.host}</td><td>{c.trigger}{c.dryRun ? ' (dry run)' : ''}</td><td>{c.startedBy}</td><td>{formatInstant(c.startedAt, viewerZone())}</td><td>{durationOf(c.startedAt, c.finishedAt)}</td>
                    <td><span className={`pill ${outcomeClass(c)}`}>{c.status}{c.outcome && c.outcome !== 'success' ? ` · ${c.outcome.replace('_', ' ')}` : ''}</span></td>
                    <td className="num">{formatCount(c.synced)}</td><td className="num">{formatCount(c.priced)}</td><td className="num">{formatCount(c.proposed)}</td><td className="num">{c.kept ? formatCount(c.kept) : ''}</td><td className="num">{formatCount(c.autoApproved)}</td>
                    <td className="num">{formatCount(c.waiting)}</td><td className="num">{formatCount(c.pushed)}</td><td className="num">{formatCount(c.pushFailed)}</td><td className="error-text small">{c.error ?? ''}</td>
                  </tr>
                ))}</tbody>
              </table>
            </div>
          )}
        </QueryState>
        {open !== null && <CycleReportView runId={open} />}
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
                      <td className="num">{formatCount(r.recordsIn)}</td><WrittenCell run={r} /><td className="num">{formatCount(r.recordsQuarantined)}</td><td className="num">{formatCount(r.retries)}</td>
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
