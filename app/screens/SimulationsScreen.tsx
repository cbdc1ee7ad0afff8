/**
 * Revenue simulations (issue 10): the experiments `npm run simulate` stored — two RM strategies for
 * our carrier on the same random draws — with the uplift and its interval; for the selected run,
 * revenue and load factor by strategy per carrier and in total, our booking curve and fare mix. A new one
 * is started here (NewSimulation: in the host's worker threads, with its progress) or by the command.
 */
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SimulationRunDetail } from '../../engine/api/contract';
import { useApi } from '../api/hooks';
import { useUi } from '../state/ui';
import { palette, type Palette } from '../components/palette';
import { ChartFrame } from '../components/ChartFrame';
import { Empty, QueryState } from '../components/States';
import { formatCount, formatInstant, formatMs, formatNumber, viewerZone } from '../components/format';
import { bookingCurves, fareMixRows, strategyBars, upliftText } from './SimulationsView';
import { NewSimulation } from './NewSimulation';

export function SimulationsScreen() {
  const [scenario, setScenario] = useState<'' | '3mkt' | 'sandbox'>('');
  const [picked, setPicked] = useState<number | null>(null);
  const runs = useApi('simulations.list', scenario ? { scenario } : {});
  const selected = picked ?? runs.data?.runs[0]?.id ?? null;
  return (
    <div className="screen" data-testid="simulations-screen">
      <div className="screen-head"><h1>Revenue simulations</h1></div>
      <NewSimulation onStored={(id) => { setScenario(''); setPicked(id); }} />
      <section className="card" aria-label="Simulation runs">
        <header>
          <h2>Runs</h2>
          <label>Scenario{' '}
            <select value={scenario} onChange={(e) => { setScenario(e.target.value as typeof scenario); setPicked(null); }} data-testid="simulations-scenario">
              <option value="">All</option><option value="3mkt">3MKT</option><option value="sandbox">sandbox</option>
            </select>
          </label>
        </header>
        <QueryState q={runs} what="simulation runs">
          {(d) => d.runs.length === 0 ? (
            <Empty title="No simulation yet">Run one above, or with <span className="mono">npm run simulate -- --scenario 3mkt --trials 10 --strategy dynamic --vs E</span>; either is stored in this data folder.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table compact" data-testid="simulations-table">
                <thead><tr><th className="num">Run</th><th>When</th><th>Scenario</th><th>Demand</th><th>Strategy</th><th>Against</th><th>Note</th><th className="num">Trials</th><th>Uplift</th><th>Took</th></tr></thead>
                <tbody>{d.runs.map((r) => (
                  <tr key={r.id} className={selected === r.id ? 'current-row' : ''} data-testid={`simulation-run-${r.id}`}>
                    <td className="num"><button type="button" className="link" onClick={() => setPicked(r.id)}>{r.id}</button></td>
                    <td>{formatInstant(r.createdAt, viewerZone())}</td><td>{r.scenario}</td><td>{r.demand}</td><td>{r.strategy}</td><td>{r.vs}</td><td className="small">{r.label}</td>
                    <td className="num">{formatCount(r.trials)}</td>
                    <td>{upliftText(r)}{r.upliftLow !== null && r.upliftLow > 0 ? <span className="badge state-ok">above zero</span> : r.upliftHigh !== null && r.upliftHigh < 0 ? <span className="badge state-down">below zero</span> : null}</td>
                    <td>{formatMs(r.elapsedMs)}</td>
                  </tr>
                ))}</tbody>
              </table>
            </div>
          )}
        </QueryState>
      </section>
      {selected !== null && <RunDetail id={selected} />}
    </div>
  );
}

function RunDetail({ id }: { id: number }) {
  const p = palette(useUi((s) => s.theme));
  const q = useApi('simulations.get', { id });
  return (
    <QueryState q={q} what={`simulation run ${id}`}>
      {(run) => (
        <>
          <section className="card" aria-label="Run summary" data-testid="simulation-summary">
            <header><h2>Run {run.id}: {run.strategy} against {run.vs}</h2></header>
            <p>
              {run.scenario === '3mkt' ? '3MKT' : 'sandbox'}, {run.demand} demand (×{formatNumber(run.demandMultiplier, 2)}), {run.trials} trials from seed {run.options.seed},{' '}
              {run.options.samples} measured departure days after {run.options.burnIn} burn-in days{run.options.assumptions?.frat5Scale !== undefined ? `, dynamic's Frat5 assumption ×${run.options.assumptions.frat5Scale}` : ''}.
              Uplift of {run.strategy} over {run.vs} on {run.ownCarrier}'s revenue: <strong>{upliftText(run)}</strong>.
            </p>
          </section>
          <div className="chart-grid">
            <StrategyChart run={run} p={p} kind="revenue" />
            <StrategyChart run={run} p={p} kind="loadFactor" />
            <CurveChart run={run} p={p} />
            <MixChart run={run} p={p} />
          </div>
        </>
      )}
    </QueryState>
  );
}

const axis = (p: Palette) => ({ tick: { fill: p.muted, fontSize: 11 }, stroke: p.grid });

function StrategyChart({ run, p, kind }: { run: SimulationRunDetail; p: Palette; kind: 'revenue' | 'loadFactor' }) {
  const data = strategyBars(run)[kind];
  const revenue = kind === 'revenue';
  const fmt = (v: unknown) => (revenue ? `${Number(v).toLocaleString('en-GB')} ${run.currency}` : `${Number(v).toFixed(1)} %`);
  return (
    <ChartFrame title={revenue ? 'Revenue by strategy' : 'Load factor by strategy'} subtitle={`per carrier and in total, mean per trial${revenue ? `, ${run.currency}` : ''}`}
      legend={[{ label: run.strategy, color: p.own }, { label: run.vs, color: p.lastYear }]} fileName={`simulation-${run.id}-${kind}`} testId={`chart-simulation-${kind}`}>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
          <CartesianGrid stroke={p.grid} />
          <XAxis dataKey="carrier" {...axis(p)} />
          <YAxis {...axis(p)} width={revenue ? 80 : 45} domain={revenue ? [0, 'auto'] : [0, 100]} unit={revenue ? undefined : '%'} tickFormatter={(v: number) => v.toLocaleString('en-GB')} />
          <Tooltip formatter={fmt} />
          <Legend />
          <Bar dataKey="a" name={run.strategy} fill={p.own} isAnimationActive={false} />
          <Bar dataKey="b" name={run.vs} fill={p.lastYear} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

function CurveChart({ run, p }: { run: SimulationRunDetail; p: Palette }) {
  const data = bookingCurves(run);
  return (
    <ChartFrame title="Booking curve" subtitle={`${run.ownCarrier}: cumulative bookings per departure by days before departure`}
      legend={[{ label: run.strategy, color: p.own }, { label: run.vs, color: p.lastYear }]} fileName={`simulation-${run.id}-booking-curve`} testId="chart-simulation-curve">
      {data.length === 0 ? <Empty>No booking curve in this run.</Empty> : (
        <ResponsiveContainer width="100%" height={260}>
          <LineChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
            <CartesianGrid stroke={p.grid} />
            <XAxis dataKey="dcp" reversed {...axis(p)} label={{ value: 'days before departure', position: 'insideBottom', offset: -4, fill: p.muted, fontSize: 11 }} />
            <YAxis {...axis(p)} width={45} />
            <Tooltip formatter={(v) => Number(v).toFixed(1)} labelFormatter={(d) => `DCP ${String(d)}`} />
            <Legend />
            <Line dataKey="a" name={run.strategy} stroke={p.own} strokeWidth={2} dot={false} isAnimationActive={false} />
            <Line dataKey="b" name={run.vs} stroke={p.lastYear} strokeWidth={2} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
}

function MixChart({ run, p }: { run: SimulationRunDetail; p: Palette }) {
  const data = fareMixRows(run);
  return (
    <ChartFrame title="Fare mix" subtitle={`${run.ownCarrier}: share of seats sold by class, highest first`}
      legend={[{ label: run.strategy, color: p.own }, { label: run.vs, color: p.lastYear }]} fileName={`simulation-${run.id}-fare-mix`} testId="chart-simulation-mix">
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
          <CartesianGrid stroke={p.grid} />
          <XAxis dataKey="rbd" {...axis(p)} />
          <YAxis {...axis(p)} width={45} unit="%" />
          <Tooltip formatter={(v) => `${Number(v).toFixed(1)} %`} />
          <Legend />
          <Bar dataKey="a" name={run.strategy} fill={p.own} isAnimationActive={false} />
          <Bar dataKey="b" name={run.vs} fill={p.lastYear} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
