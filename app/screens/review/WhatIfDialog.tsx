/**
 * Simulate before approving: the selected decisions (overrides included) replayed over the rest of the
 * booking horizon of their flights, many draws, with the proposed values and with the current ones
 * (decisions.whatIf). Shows expected revenue and load factor for both with their spread, and the paired
 * revenue difference with its 95 % interval, per flight and in total. Nothing is pushed or changed.
 */
import { useState } from 'react';
import type { DecisionWhatIfResult, WhatIfOutcomeSummary, RevenueDifference } from '../../../engine/api/contract';
import { call } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/States';
import { formatCount } from '../../components/format';
import { whatIfFlightTestId, whatIfMoney, whatIfPct, whatIfSigned } from './whatIfFormat';


function verdict(d: RevenueDifference): string {
  if (d.meanLow95 > 0) return 'proposed earns more';
  if (d.meanHigh95 < 0) return 'proposed earns less';
  return 'no difference the draws can tell';
}

function OutcomeRow({ label, o, testId }: { label: string; o: WhatIfOutcomeSummary; testId: string }) {
  return (
    <tr data-testid={testId}>
      <th scope="row">{label}</th>
      <td className="num" data-testid={`${testId}-revenue`}>{whatIfMoney(o.revenue.mean)}</td>
      <td className="num">± {whatIfMoney(o.revenue.sd)}</td>
      <td className="num" data-testid={`${testId}-revenue-range`}>{whatIfMoney(o.revenue.p5)} – {whatIfMoney(o.revenue.p95)}</td>
      <td className="num" data-testid={`${testId}-lf`}>{whatIfPct(o.loadFactor.mean)}</td>
      <td className="num">{whatIfPct(o.loadFactor.p5)} – {whatIfPct(o.loadFactor.p95)}</td>
      <td className="num">{o.seatsSold.toFixed(1)}</td>
      <td className="num">{o.averageFareToCome === null ? '–' : whatIfMoney(o.averageFareToCome)}</td>
    </tr>
  );
}

function OutcomeTable({ current, proposed, diff, currency, testId }: { current: WhatIfOutcomeSummary; proposed: WhatIfOutcomeSummary; diff: RevenueDifference; currency: string; testId: string }) {
  return (
    <>
      <div className="table-wrap"><table className="table compact" data-testid={testId}>
        <thead>
          <tr><th /><th className="num">Revenue ({currency})</th><th className="num">sd</th><th className="num">p5 – p95</th><th className="num">Load factor</th><th className="num">p5 – p95</th><th className="num">Seats</th><th className="num">Avg fare to come</th></tr>
        </thead>
        <tbody>
          <OutcomeRow label="Current" o={current} testId={`${testId}-current`} />
          <OutcomeRow label="Proposed" o={proposed} testId={`${testId}-proposed`} />
        </tbody>
      </table></div>
      <p data-testid={`${testId}-difference`}>
        Difference <strong data-testid={`${testId}-diff`}>{whatIfSigned(diff.mean)} {currency}</strong> per departure,
        95 % interval <span data-testid={`${testId}-diff-interval`}>{whatIfSigned(diff.meanLow95)} to {whatIfSigned(diff.meanHigh95)}</span>: {verdict(diff)}.
      </p>
    </>
  );
}

export function WhatIfDialog({ ids, onClose }: { ids: number[]; onClose: () => void }) {
  const [draws, setDraws] = useState('1000');
  const [seed, setSeed] = useState('1');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [result, setResult] = useState<DecisionWhatIfResult | null>(null);
  const drawsN = Number(draws);
  const seedN = Number(seed);
  const valid = Number.isInteger(drawsN) && drawsN >= 1 && drawsN <= 100_000 && Number.isInteger(seedN) && seedN >= 0;
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await call('decisions.whatIf', { ids, draws: drawsN, seed: seedN }));
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Simulate before approving" onClose={onClose} testId="whatif-dialog" footer={
      <>
        <button type="button" onClick={onClose}>Close</button>
        <button type="button" className="primary" disabled={busy || !valid} onClick={() => void run()} data-testid="whatif-run">{busy ? 'Simulating…' : 'Simulate'}</button>
      </>
    }>
      <p>{formatCount(ids.length)} selected decision{ids.length === 1 ? '' : 's'}: the rest of the booking horizon of their flights is played many times with the proposed values and with the current ones, from our forecasts, fares and inventory. Nothing is pushed.</p>
      <div className="form-row">
        <label>Draws <input className="narrow" inputMode="numeric" value={draws} onChange={(e) => setDraws(e.target.value)} data-testid="whatif-draws" /></label>
        <label>Seed <input className="narrow" inputMode="numeric" value={seed} onChange={(e) => setSeed(e.target.value)} data-testid="whatif-seed" /></label>
      </div>
      {error && <ErrorNote error={error} />}
      {result && (
        <div className="whatif-result" data-testid="whatif-result">
          <p className="muted small">As of {result.asOf}; {formatCount(result.draws)} draws, seed {result.seed}; {(result.elapsedMs / 1000).toFixed(1)} s.</p>
          {result.flights.map((f) => (
            <section key={f.flightId} data-testid="whatif-flight" data-flight-id={f.flightId}>
              <h3>{f.flightId} · {f.origin}-{f.destination} · capacity {f.capacity}, sold now {f.soldNow}</h3>
              <ul className="small">{f.changes.map((c) => <li key={c}>{c}</li>)}</ul>
              <OutcomeTable current={f.current} proposed={f.proposed} diff={f.revenueDifference} currency={f.currency} testId={whatIfFlightTestId(f.flightId)} />
            </section>
          ))}
          {result.total && result.flights.length > 1 && (
            <section data-testid="whatif-total">
              <h3>All {result.flights.length} flights</h3>
              <OutcomeTable current={result.total.current} proposed={result.total.proposed} diff={result.total.revenueDifference} currency={result.total.currency} testId="whatif-total" />
            </section>
          )}
          {result.notes.map((n) => <p key={n} className="muted small">Note: {n}</p>)}
          <details className="small">
            <summary>What the simulation assumes</summary>
            <ul>{result.assumptions.map((a) => <li key={a}>{a}</li>)}</ul>
            {result.flights.map((f) => f.cabins.map((c) => (
              <p key={`${f.flightId}-${c.cabin}`}>{f.flightId} cabin {c.cabin}: Frat5 {c.frat5} ({c.frat5Source}); demand to come {c.rbds.map((r) => `${r.rbd} ${r.demandToCome.toFixed(1)}`).join(', ')}; forecast {c.forecastMethod} of cycle {c.forecastCycleId}.</p>
            )))}
          </details>
        </div>
      )}
    </Dialog>
  );
}
