/** One cycle run's report: each step, what was synced, priced, proposed, auto-approved (and why the rest waits), pushed. */
import type { CycleReport } from '../../../engine/api/contract';
import { useApi } from '../../api/hooks';
import { QueryState } from '../../components/States';
import { formatCount, formatInstant, formatMs, formatValue, formatSignedPct, viewerZone } from '../../components/format';

export function CycleReportView({ runId }: { runId: number }) {
  const q = useApi('cycle.get', { runId });
  return <QueryState q={q} what={`cycle ${runId}`}>{(r) => <Report r={r} />}</QueryState>;
}

function Report({ r }: { r: CycleReport }) {
  return (
    <div className="card" data-testid="cycle-report">
      <h3>Cycle {r.runId} · {r.host} · {r.trigger} by {r.startedBy} on {r.hostname} · {r.status}{r.outcome ? ` (${r.outcome.replace('_', ' ')})` : ''}{r.dryRun ? ' · dry run' : ''}</h3>
      <p className="muted small">Priced as of {formatInstant(r.asOf, viewerZone())}; markets {r.markets.length ? r.markets.join(', ') : 'all'}; {formatMs(r.durationMs)}</p>
      {r.error && <p className="error-text">{r.error}</p>}
      <table className="table compact" data-testid="cycle-steps">
        <thead><tr><th>Step</th><th>Status</th><th>Started</th><th className="num">Took</th><th>What happened</th></tr></thead>
        <tbody>{r.stepReports.map((s) => (
          <tr key={s.step}><td>{s.step}</td><td><span className={`pill ${s.status === 'ok' ? 'state-ok' : s.status === 'skipped' ? 'state-never' : s.status === 'warning' ? 'state-degraded' : 'state-down'}`}>{s.status}</span></td>
            <td>{formatInstant(s.startedAt, viewerZone())}</td><td className="num">{formatMs(s.durationMs)}</td><td>{s.summary}</td></tr>
        ))}</tbody>
      </table>
      <div className="detail-grid">
        {r.sync && (
          <section aria-label="Synced">
            <h3>Synced{r.sync.fallbackUsed ? ' (fallback data used)' : ''}</h3>
            <table className="table compact"><tbody>{r.sync.feeds.map((f) => (
              <tr key={f.feed}><td>{f.feed}</td><td>{f.status}</td><td className="num">{formatCount(f.recordsIn)} in</td><td className="num">{formatCount(f.recordsQuarantined)} quarantined</td>
                <td className="small">{f.fallback ? `fallback ${f.fallback.source}, ${f.fallback.ageHours.toFixed(1)} h old` : f.error ?? ''}</td></tr>
            ))}</tbody></table>
          </section>
        )}
        {r.pricing && (
          <section aria-label="Priced">
            <h3>Priced (pricing cycle <span className="mono">{r.pricing.cycleId}</span>)</h3>
            <p>{formatCount(r.pricing.departures)} departures, {formatCount(r.pricing.cabins)} cabins, {formatCount(r.pricing.rbds)} classes on {r.pricing.workers} worker(s): {formatCount(r.pricing.recommendations.fare)} fares, {formatCount(r.pricing.recommendations.authorisation)} authorisation levels, {formatCount(r.pricing.recommendations.bid_price)} bid prices.</p>
            {r.proposals && <p data-testid="cycle-proposals">{formatCount(r.proposals.published)} proposed ({r.proposals.standing ? `${formatCount(r.proposals.standing)} already proposed by an earlier cycle and kept, ` : ''}{formatCount(r.proposals.unchanged)} unchanged left out, {formatCount(r.proposals.superseded)} older superseded, {formatCount(r.proposals.held)} held).</p>}
          </section>
        )}
        {r.autoApproval && (
          <section aria-label="Auto-approval">
            <h3>Auto-approval{r.autoApproval.dryRun ? ' (dry run)' : ''}</h3>
            <p>{formatCount(r.autoApproval.approved)} of {formatCount(r.autoApproval.considered)} approved by the rules{r.autoApproval.rules.length ? `: ${r.autoApproval.rules.map((x) => `${x.name} (±${x.maxChangePct} %) ${x.approved}`).join(', ')}` : ''}.</p>
            {Object.keys(r.autoApproval.waiting).length > 0 && <p>Waiting for a person: {Object.entries(r.autoApproval.waiting).map(([k, v]) => `${formatCount(v)} ${k}`).join(', ')}.</p>}
          </section>
        )}
        {r.push && (
          <section aria-label="Pushed">
            <h3>Pushed</h3>
            <p>{formatCount(r.push.accepted)} accepted, {formatCount(r.push.rejected)} rejected in {r.push.batches} batch(es){r.push.retrying ? `, ${r.push.retrying} retrying` : ''}{r.push.failed ? `, ${r.push.failed} failed` : ''}{r.push.deadlineReached ? ' (deadline reached: the rest stays in the outbox)' : ''}.</p>
          </section>
        )}
      </div>
      {r.wouldPush && (
        <section aria-label="Would push">
          <h3>A real run would push {formatCount(r.wouldPush.total)} decisions</h3>
          <table className="table compact" data-testid="cycle-would-push">
            <thead><tr><th>Market</th><th>Flight</th><th>Date</th><th>Class</th><th className="num">Current</th><th className="num">Proposed</th><th className="num">Change</th><th>Why</th></tr></thead>
            <tbody>{r.wouldPush.items.map((i) => (
              <tr key={i.decisionId}><td>{i.origin}-{i.destination}</td><td>{i.flightId.split('/')[0]}</td><td>{i.travelDate}</td><td>{i.cabin}/{i.rbd}</td>
                <td className="num">{formatValue(i.currentValue, i.currency)}</td><td className="num">{formatValue(i.proposedValue, i.currency)}</td><td className="num">{formatSignedPct(i.changePct)}</td><td className="small">{i.why}</td></tr>
            ))}</tbody>
          </table>
          {r.wouldPush.truncated && <p className="muted small">The first {r.wouldPush.items.length} of {formatCount(r.wouldPush.total)}.</p>}
        </section>
      )}
      {r.warnings.length > 0 && (
        <details><summary>{r.warnings.length} warning(s)</summary><ul className="small">{r.warnings.slice(0, 50).map((w, i) => <li key={i}>{w.step} · {w.code}: {w.message}</li>)}</ul></details>
      )}
    </div>
  );
}
