/**
 * Flight / market detail: the decision with its explanation as a waterfall (and the numbers beside
 * it), its context (competitor, forecast, load factor, elasticity), its audit history and PSS
 * answers; the flight's classes (fare, sold / authorised, status) and its other decisions; override,
 * approve or reject from here.
 */
import { useState, type ReactElement } from 'react';
import type { DecisionDetail, FareRow } from '../../engine/api/contract';
import { call } from '../api/client';
import { useApi, useApiMutation } from '../api/hooks';
import { useSession, needsRole } from '../api/session';
import { useUi } from '../state/ui';
import { Empty, ErrorNote, Loading, QueryState } from '../components/States';
import { formatCount, formatInstant, formatMoney, formatShare, formatSignedPct, formatValue, formatNumber, viewerZone } from '../components/format';
import { Waterfall } from '../charts/Waterfall';
import { residual } from '../charts/waterfall';
import { describeStep } from '../charts/explainStep';
import { ChartFrame } from '../components/ChartFrame';
import { OverrideForm } from './review/OverrideEditor';
import { KIND_LABEL, OVERRIDABLE, flightLabel } from './review/columns';
import { describeBulk } from './review/BulkDialog';
import { FlightBookingCurve } from './FlightBookingCurve';
import { DepartureInfluences } from './DemandInfluences';

export function DetailScreen() {
  const detail = useUi((s) => s.detail);
  if (!detail.decisionId && !detail.flightId) {
    return (
      <div className="screen" data-testid="detail-screen">
        <h1>Flight / market detail</h1>
        <FlightPicker />
        <Empty title="Nothing open yet">Open a decision from the review grid (double-click a row, or D), or pick a flight above.</Empty>
      </div>
    );
  }
  return (
    <div className="screen" data-testid="detail-screen">
      <FlightPicker />
      {detail.decisionId ? <DecisionPanel id={detail.decisionId} /> : null}
      {detail.flightId ? <FlightPanel flightId={detail.flightId} currentDecision={detail.decisionId} /> : null}
    </div>
  );
}

function FlightPicker() {
  const openDetail = useUi((s) => s.openDetail);
  const markets = useApi('fares.markets', {});
  const info = useApi('system.info', {});
  // the flight open (its market and date, so its neighbours are a click away), else today until another date is picked
  const openId = useUi((s) => s.detail.flightId);
  const open = useApi('flights.get', { id: openId ?? '' }, { enabled: Boolean(openId) });
  const [pickedMarket, setMarket] = useState('');
  const [picked, setDate] = useState('');
  const market = pickedMarket || (openId && open.data ? `${open.data.origin}-${open.data.destination}` : '');
  const date = picked || (openId && open.data ? open.data.localDate : (info.data?.now ?? '').slice(0, 10));
  const [o, d] = market.split('-');
  const flights = useApi('flights.list', { origin: o, destination: d, dateFrom: date, dateTo: date, limit: 50 }, { enabled: Boolean(o && d && date) });
  return (
    <form className="filter-bar" aria-label="Pick a flight" onSubmit={(e) => e.preventDefault()}>
      <label>Market{' '}
        <select value={market} onChange={(e) => setMarket(e.target.value)} data-testid="detail-pick-market">
          <option value="">Choose…</option>
          {market && !markets.data?.some((m) => `${m.origin}-${m.destination}` === market) && <option value={market}>{market}</option>}
          {markets.data?.map((m) => <option key={`${m.origin}-${m.destination}`} value={`${m.origin}-${m.destination}`}>{m.origin}-{m.destination}</option>)}
        </select>
      </label>
      <label>Date <input type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="detail-pick-date" /></label>
      {flights.data && (flights.data.rows.length === 0 ? <span className="muted">No flight that day.</span> : flights.data.rows.map((f) => (
        <button type="button" key={f.id} className={f.id === openId ? 'small-button active' : 'small-button'} aria-pressed={f.id === openId} onClick={() => openDetail({ flightId: f.id })} data-testid={`detail-pick-${f.carrier}${f.flightNumber}`}>
          {f.carrier}{f.flightNumber} {f.departureLocalTime}
        </button>
      )))}
    </form>
  );
}

function DecisionPanel({ id }: { id: number }) {
  const q = useApi('decisions.get', { id });
  const info = useApi('system.info', {});
  const session = useSession();
  const openDetail = useUi((s) => s.openDetail);
  const [overriding, setOverriding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const approve = useApiMutation('decisions.approve');
  const reject = useApiMutation('decisions.reject');
  const [rejectReason, setRejectReason] = useState('');
  const decideBlocked = needsRole(session, 'decide');
  return (
    <QueryState q={q} what={`decision ${id}`}>
      {(d) => (
        <>
          <div className="screen-head">
            <h1 data-testid="detail-title">{KIND_LABEL[d.kind]} {d.origin}-{d.destination} · {flightLabel(d)} · {d.travelDate} · {d.cabin}/{d.rbd}</h1>
            <span className={`pill status-${d.state}`} data-testid="detail-state">{d.state}</span>
            <span className="muted small">decision {d.id} · {d.source}</span>
          </div>
          {notice && <div className="notice" role="status" data-testid="detail-notice">{notice}</div>}
          <div className="detail-grid">
            <section className="card" aria-label="Values">
              <h2>Values</h2>
              <dl className="facts">
                <dt>Current</dt><dd data-testid="detail-current">{formatValue(d.currentValue, d.currency)}</dd>
                <dt>Recommended</dt><dd data-testid="detail-recommended">{formatValue(d.recommendedValue, d.currency)}</dd>
                <dt>Proposed</dt><dd data-testid="detail-proposed"><strong>{formatValue(d.proposedValue, d.currency)}</strong> ({formatSignedPct(d.changePct)})</dd>
                <dt>Guardrails</dt>
                <dd data-testid="detail-guardrails" className={d.outsideGuardrails ? 'guardrail-outside' : ''}>
                  {d.guardrails ? [d.guardrails.floor !== null ? `floor ${formatValue(d.guardrails.floor, d.currency)}` : null, d.guardrails.ceiling !== null ? `ceiling ${formatValue(d.guardrails.ceiling, d.currency)}` : null, d.guardrails.maxChangePct !== null ? `±${d.guardrails.maxChangePct} %` : null].filter(Boolean).join(' · ') || 'none' : 'none'}
                  {d.outsideGuardrails ? ` — outside${d.guardrailConfirmedBy ? `, confirmed by ${d.guardrailConfirmedBy}` : ''}` : ''}
                </dd>
                <dt>Competitor min</dt><dd data-testid="detail-competitor">{d.competitorMinMinor !== null ? `${formatMoney(d.competitorMinMinor, d.currency)} (${d.competitorCarrier ?? '?'}) · position ${formatSignedPct(d.competitorDiffPct)}` : '—'}</dd>
                <dt>Forecast demand</dt><dd data-testid="detail-forecast">{formatNumber(d.forecastDemand)}</dd>
                <DepartureInfluences origin={d.origin} destination={d.destination} cabin={d.cabin} date={d.travelDate} />
                <dt>Sold / authorised</dt><dd>{formatCount(d.sold)} / {formatCount(d.authorised)}</dd>
                <dt>Load factor</dt><dd data-testid="detail-load-factor">{formatShare(d.loadFactor)}</dd>
                {d.context.elasticity && <><dt>Elasticity</dt><dd>{formatNumber(d.context.elasticity.value, 2)}{d.context.elasticity.standardError !== null ? ` ± ${formatNumber(d.context.elasticity.standardError, 2)}` : ''} ({d.context.elasticity.source})</dd></>}
                {d.influenceNowPct !== null && <><dt>Override influence now</dt><dd>{formatSignedPct(d.influenceNowPct)}</dd></>}
                {d.overrideReason && <><dt>Override reason</dt><dd>{d.overrideReason} ({d.overrideMode}{d.expiresAt ? `, until ${formatInstant(d.expiresAt)}` : ''})</dd></>}
                {d.pssReference && <><dt>PSS reference</dt><dd className="mono" data-testid="detail-pss-ref">{d.pssReference}</dd></>}
                {d.failureReason && <><dt>Failure</dt><dd className="error-text">{d.failureCode}: {d.failureReason}</dd></>}
                {d.overrideOf && <><dt>Overrides</dt><dd><button type="button" className="link" onClick={() => openDetail({ decisionId: d.overrideOf!, flightId: d.flightId ?? undefined })}>decision {d.overrideOf}</button></dd></>}
                {d.supersededBy && <><dt>Superseded by</dt><dd><button type="button" className="link" onClick={() => openDetail({ decisionId: d.supersededBy!, flightId: d.flightId ?? undefined })}>decision {d.supersededBy}</button></dd></>}
              </dl>
              <div className="row-actions">
                {OVERRIDABLE.has(d.state) && <button type="button" onClick={() => setOverriding(!overriding)} data-testid="detail-override">Override…</button>}
                {d.state === 'proposed' && (
                  <>
                    <button type="button" className="primary" disabled={Boolean(decideBlocked) || approve.isPending} title={decideBlocked}
                      onClick={() => approve.mutate({ ids: [d.id] }, { onSuccess: (r) => setNotice(describeBulk('Approved', r)) })} data-testid="detail-approve">Approve</button>
                    <input placeholder="Reason to reject" value={rejectReason} onChange={(e) => setRejectReason(e.target.value)} aria-label="Reason to reject" disabled={Boolean(decideBlocked)} />
                    <button type="button" className="danger" disabled={Boolean(decideBlocked) || rejectReason.trim().length < 3 || reject.isPending} title={decideBlocked}
                      onClick={() => reject.mutate({ ids: [d.id], reason: rejectReason.trim() }, { onSuccess: (r) => setNotice(describeBulk('Rejected', r)) })}>Reject</button>
                  </>
                )}
              </div>
              {approve.error && <ErrorNote error={approve.error} compact />}
              {reject.error && <ErrorNote error={reject.error} compact />}
              {overriding && (
                <OverrideForm target={d} today={(info.data?.now ?? new Date().toISOString()).slice(0, 10)} onCancel={() => setOverriding(false)}
                  onSubmit={async (input) => {
                    const row = await call('decisions.override', input);
                    setOverriding(false);
                    openDetail({ decisionId: row.id, flightId: row.flightId ?? undefined });
                  }} />
              )}
            </section>
            <Explanation d={d} />
          </div>
          <History d={d} />
        </>
      )}
    </QueryState>
  );
}

function Explanation({ d }: { d: DecisionDetail }) {
  const steps = d.explanation;
  const rest = residual(steps, d.proposedValue);
  return (
    <ChartFrame title="Why this value" subtitle={`${steps.length} steps from the base value to the proposal, ${d.currency ?? 'seats'}`} fileName={`explanation-${d.id}`} testId="explanation">
      {steps.length === 0 ? <Empty>This decision carries no explanation (a manual proposal).</Empty> : (
        <>
          <Waterfall steps={steps} currency={d.currency} totalLabel="Proposed" />
          <table className="table compact" data-testid="explanation-table">
            <thead><tr><th>Step</th><th className="num">Amount</th><th className="num">Running total</th></tr></thead>
            <tbody>
              {steps.reduce<{ rows: ReactElement[]; sum: number }>((acc, s) => {
                const sum = acc.sum + s.amount;
                acc.rows.push(<tr key={s.key} data-testid={`explanation-step-${s.key}`}><td>{describeStep(s, d.currency).text}</td><td className="num">{d.currency ? formatMoney(s.amount, d.currency) : formatCount(s.amount)}</td><td className="num">{formatValue(sum, d.currency)}</td></tr>);
                return { rows: acc.rows, sum };
              }, { rows: [], sum: 0 }).rows}
              <tr className="total-row"><td>Proposed</td><td /><td className="num" data-testid="explanation-total">{formatValue(d.proposedValue, d.currency)}</td></tr>
            </tbody>
          </table>
          {rest !== 0 && <p className="error-text small" data-testid="explanation-residual">The steps sum to {formatValue(d.proposedValue - rest, d.currency)}, not the proposed value: {formatValue(rest, d.currency)} is unexplained.</p>}
        </>
      )}
    </ChartFrame>
  );
}

function History({ d }: { d: DecisionDetail }) {
  const openDetail = useUi((s) => s.openDetail);
  const openArchive = useUi((s) => s.openArchive);
  return (
    <div className="detail-grid">
      <section className="card" aria-label="Pushed values">
        <h2>Pushed for this {d.kind === 'fare' ? 'fare' : d.kind === 'authorisation' ? 'class' : 'cabin'}</h2>
        {d.pushedValues.length === 0 ? <p className="muted">Nothing pushed for it yet.</p> : (
          <table className="table compact" data-testid="detail-pushed-values">
            <thead><tr><th>Pushed</th><th className="num">From</th><th className="num">To</th><th>Decision</th></tr></thead>
            <tbody>{d.pushedValues.map((v) => (
              <tr key={v.decisionId}>
                <td>{formatInstant(v.pushedAt, viewerZone())}</td>
                <td className="num">{formatValue(v.fromValue, d.currency)}</td>
                <td className="num">{formatValue(v.toValue, d.currency)}</td>
                <td>{v.archived ? <button type="button" className="link muted" title="moved to an archive file by retention; its values stay in the price history: open it on the Archive screen" onClick={() => openArchive(v.decisionId)}>{v.decisionId} (archived)</button>
                  : v.decisionId === d.id ? <strong>{v.decisionId} (this one)</strong>
                  : <button type="button" className="link" onClick={() => openDetail({ decisionId: v.decisionId, flightId: d.flightId ?? undefined })}>{v.decisionId}</button>}</td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </section>
      <section className="card" aria-label="Audit history">
        <h2>Audit history</h2>
        <table className="table compact" data-testid="detail-history">
          <thead><tr><th>When</th><th>Who</th><th>From</th><th>To</th><th>Why</th></tr></thead>
          <tbody>{d.history.map((h) => <tr key={h.seq}><td>{formatInstant(h.at, viewerZone())}</td><td>{h.actor}</td><td>{h.from ?? '—'}</td><td>{h.to}</td><td>{h.reason}</td></tr>)}</tbody>
        </table>
      </section>
      <section className="card" aria-label="PSS answers">
        <h2>PSS pushes</h2>
        {d.pushes.length === 0 ? <p className="muted">Not sent to the PSS yet.</p> : (
          <table className="table compact" data-testid="detail-pushes">
            <thead><tr><th>Batch</th><th>Sequence</th><th>Status</th><th>Answered</th><th>Reference / reason</th></tr></thead>
            <tbody>{d.pushes.map((p) => <tr key={p.id}><td>{p.batchId ?? '—'}</td><td>{p.sequence}</td><td><span className={`pill push-${p.status}`}>{p.status}</span></td><td>{formatInstant(p.answeredAt, viewerZone())}</td><td className="mono">{p.reference ?? (p.reason ? `${p.code}: ${p.reason}` : '')}</td></tr>)}</tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function FlightPanel({ flightId, currentDecision }: { flightId: string; currentDecision?: number }) {
  const flight = useApi('flights.get', { id: flightId });
  const fares = useApi('fares.list', { flightId, limit: 200 });
  const decisions = useApi('decisions.list', { filter: { flightId, states: ['proposed', 'approved', 'queued', 'pushed', 'failed'] }, limit: 500 });
  const openDetail = useUi((s) => s.openDetail);
  if (flight.isPending) return <Loading what="the flight" />;
  if (flight.error) return <ErrorNote error={flight.error} />;
  const f = flight.data;
  return (
    <>
      <div className="screen-head">
        <h2 data-testid="flight-title">{f.carrier}{f.flightNumber} {f.origin}-{f.destination} · {f.localDate} · dep {f.departureLocalTime} {f.originTimeZone}</h2>
        {f.operatingCarrier && f.operatingCarrier !== f.carrier && <span className="muted">operated by {f.operatingCarrier}</span>}
        <span className="muted small" data-testid="flight-cabins">{f.cabins.map((c) => `${c.cabin}: ${c.sold}/${c.capacity} sold (${formatShare(c.capacity ? c.sold / c.capacity : null)})${c.bidPriceMinor !== null && c.currency ? `, bid price ${formatMoney(c.bidPriceMinor, c.currency)}` : ''}`).join(' · ')}</span>
      </div>
      <FlightBookingCurve flightId={flightId} cabins={f.cabins.map((c) => c.cabin)} />
      <div className="detail-grid">
        <section className="card" aria-label="Classes">
          <h2>Classes</h2>
          <QueryState q={fares} what="the classes">
            {(r) => {
              // each cabin's top authorisation: what a class's authorisation protects for the classes above is the difference
              const top = new Map<string, number>();
              for (const y of r.rows) if (y.authorised !== null) top.set(y.cabin, Math.max(top.get(y.cabin) ?? 0, y.authorised));
              return (
              <table className="table compact" data-testid="flight-classes">
                <thead><tr><th>Cabin</th><th>RBD</th><th className="num">Fare</th><th className="num">Sold</th><th className="num">Authorised</th>
                  <th className="num" title="seats the nested authorisations keep for the classes above: the cabin's top authorisation less this class's">Protected above</th><th>Status</th></tr></thead>
                <tbody>{r.rows.map((x: FareRow) => (
                  <tr key={x.rbd} data-testid={`class-${x.rbd}`}>
                    <td>{x.cabin}</td><td>{x.rbd}</td><td className="num" data-testid="class-fare">{formatMoney(x.amountMinor, x.currency)}</td>
                    <td className="num" data-testid="class-sold">{formatCount(x.sold)}</td><td className="num" data-testid="class-authorised">{formatCount(x.authorised)}</td>
                    <td className="num" data-testid="class-protected">{x.authorised === null ? '—' : formatCount(top.get(x.cabin)! - x.authorised)}</td><td>{x.status ?? '—'}</td>
                  </tr>
                ))}</tbody>
              </table>
              );
            }}
          </QueryState>
        </section>
        <section className="card" aria-label="Decisions of this flight">
          <h2>Decisions of this flight</h2>
          <QueryState q={decisions} what="the flight's decisions">
            {(r) => r.rows.length === 0 ? <p className="muted">No open decisions for this flight.</p> : (
              <table className="table compact" data-testid="flight-decisions">
                <thead><tr><th>Kind</th><th>RBD</th><th className="num">Current</th><th className="num">Proposed</th><th>Status</th></tr></thead>
                <tbody>{r.rows.map((x) => (
                  <tr key={x.id} className={x.id === currentDecision ? 'current-row' : ''} data-testid={`flight-decision-${x.id}`}>
                    <td>{KIND_LABEL[x.kind]}</td><td>{x.cabin}/{x.rbd}</td><td className="num">{formatValue(x.currentValue, x.currency)}</td>
                    <td className="num"><button type="button" className="link" onClick={() => openDetail({ decisionId: x.id, flightId })}>{formatValue(x.proposedValue, x.currency)}</button></td>
                    <td><span className={`pill status-${x.state}`}>{x.state}</span></td>
                  </tr>
                ))}</tbody>
              </table>
            )}
          </QueryState>
        </section>
      </div>
    </>
  );
}
