/** Demand by DCP against forecast, with the backtest's accuracy by DCP and by method. */
import { Bar, CartesianGrid, ComposedChart, ErrorBar, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useApi } from '../api/hooks';
import { useUi } from '../state/ui';
import { palette } from '../components/palette';
import { ChartFrame } from '../components/ChartFrame';
import { Empty, QueryState } from '../components/States';
import { formatNumber, formatSignedPct } from '../components/format';
import { influenceChange } from '../../engine/api/contract';

export function DemandByDcp({ origin, destination, cabin, from, to }: { origin: string; destination: string; cabin: string; from: string; to: string }) {
  const p = palette(useUi((s) => s.theme));
  const q = useApi('analytics.demandByDcp', { origin, destination, cabin, dateFrom: from, dateTo: to });
  const d = q.data;
  // the analyst's demand influences on these departures: the forecast to come carries them
  const influences = (useApi('influences.list', { origin, destination }).data?.rows ?? []).filter((i) => i.from <= to && i.to >= from && (i.cabin === null || i.cabin === cabin));
  const influenced = influences.length ? `; demand influences in these dates: ${influences.map((i) => `${i.name} ${influenceChange(i.factor)} (${i.from} – ${i.to})`).join(', ')}` : '';
  const data = (d?.points ?? []).map((x) => ({
    dcp: String(x.dcp), booked: x.booked, forecast: x.forecastToCome, sd: x.forecastSd === null ? null : 1.96 * x.forecastSd,
    btActual: x.backtestActual, btForecast: x.backtestForecast, wape: x.wape,
  }));
  const hasBacktest = data.some((x) => x.btActual !== null);
  return (
    <ChartFrame title="Demand by DCP against forecast" testId="chart-demand"
      subtitle={d ? `${origin}-${destination} cabin ${cabin}: ${d.departures} departures; booked so far and forecast to come (95 % interval) by the DCP ending each period${d.backtest ? `; backtest ${d.backtest.runAt.slice(0, 10)}, chosen method ${d.backtest.chosen ?? '—'}` : ''}${influenced}` : undefined}
      legend={[{ label: 'Booked', color: p.actual }, { label: 'Forecast to come', color: p.forecast }, ...(hasBacktest ? [{ label: 'Backtest actual', color: p.unconstrained }, { label: 'Backtest forecast', color: p.lastYear }] : [])]}
      fileName={`demand-dcp-${origin}-${destination}-${cabin}`}>
      <QueryState q={q} what="demand by DCP">
        {() => data.length === 0 ? <Empty>No booking curves or forecasts for these departures yet: they come with the PSS sync and the pricing cycle.</Empty> : (
          <>
            <ResponsiveContainer width="100%" height={300}>
              <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 16, left: 8 }}>
                <CartesianGrid stroke={p.grid} />
                <XAxis dataKey="dcp" tick={{ fill: p.muted, fontSize: 11 }} stroke={p.grid} label={{ value: 'days before departure (DCP)', position: 'insideBottom', offset: -8, fill: p.muted, fontSize: 11 }} />
                <YAxis tick={{ fill: p.muted, fontSize: 11 }} stroke={p.grid} width={50} />
                <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(1) : String(v))} />
                <Legend verticalAlign="top" />
                <Bar dataKey="booked" name="Booked" fill={p.actual} isAnimationActive={false} />
                <Bar dataKey="forecast" name="Forecast to come" fill={p.forecast} isAnimationActive={false}>
                  <ErrorBar dataKey="sd" width={4} stroke={p.text} direction="y" />
                </Bar>
                {hasBacktest && <Line dataKey="btActual" name="Backtest actual" stroke={p.unconstrained} dot isAnimationActive={false} connectNulls />}
                {hasBacktest && <Line dataKey="btForecast" name="Backtest forecast" stroke={p.lastYear} strokeDasharray="5 3" dot isAnimationActive={false} connectNulls />}
              </ComposedChart>
            </ResponsiveContainer>
            {d?.backtest && (
              <table className="table compact" data-testid="accuracy-by-method">
                <caption className="muted small">Forecast accuracy on held-out flown departures, by method</caption>
                <thead><tr><th>Method</th><th className="num">WAPE</th><th className="num">MAPE</th><th className="num">Bias</th><th className="num">Cells</th><th /></tr></thead>
                <tbody>{d.backtest.methods.map((m) => (
                  <tr key={m.method} className={m.chosen ? 'current-row' : ''}>
                    <td>{m.method}</td><td className="num">{formatNumber(m.wape)} %</td><td className="num">{formatNumber(m.mape)} %</td><td className="num">{formatSignedPct(m.bias)}</td><td className="num">{m.cells}</td><td>{m.chosen ? 'chosen' : ''}</td>
                  </tr>
                ))}</tbody>
              </table>
            )}
          </>
        )}
      </QueryState>
    </ChartFrame>
  );
}
