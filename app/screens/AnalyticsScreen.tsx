/**
 * Analyst charts: KPIs for the market and dates picked; own fares against competitors over departure
 * dates (minimum, quartile band, each competitor); load factor and revenue trends; price elasticity
 * with its uncertainty; demand by DCP against forecast with accuracy. Every chart exports as PNG. Below them, the
 * market's demand influences (the analyst's factors on its forecast over dates).
 */
import { useEffect } from 'react';
import {
  Area, Bar, CartesianGrid, Cell, ComposedChart, ErrorBar, Legend, Line, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis, ReferenceLine,
} from 'recharts';
import { currencyExponent } from '../../engine/domain/money';
import { addDays } from '../../engine/domain/time';
import { useApi } from '../api/hooks';
import { useUi } from '../state/ui';
import { palette } from '../components/palette';
import { ChartFrame } from '../components/ChartFrame';
import { Empty, QueryState } from '../components/States';
import { formatCount, formatMoney, formatNumber, formatShare, formatSignedPct } from '../components/format';
import { DemandByDcp } from './DemandByDcp';
import { DemandInfluences } from './DemandInfluences';
import { busiestMarket } from './marketPicks';
import { MarketSelect } from '../components/MarketSelect';

export function AnalyticsScreen() {
  const picks = useUi((s) => s.analytics);
  const setPicks = useUi((s) => s.setAnalytics);
  const info = useApi('system.info', {});
  const pricing = useApi('settings.pricing', {}, { staleTime: 300_000 });
  const markets = pricing.data?.knownMarkets ?? [];
  const today = (info.data?.now ?? new Date().toISOString()).slice(0, 10);
  // first visit: the market with the most of our nonstop departures (a connecting or partner-operated market
  // has no legs of ours to chart) and a window around today
  useEffect(() => {
    const first = busiestMarket(markets);
    if (!picks.origin && first) setPicks({ origin: first.origin, destination: first.destination });
    if (!picks.dateFrom && info.data) setPicks({ dateFrom: addDays(today, -28), dateTo: addDays(today, 56) });
  }, [markets, picks.origin, picks.dateFrom, info.data, today, setPicks]);
  const market = picks.origin && picks.destination ? `${picks.origin}-${picks.destination}` : '';
  const cabins = markets.find((m) => `${m.origin}-${m.destination}` === market)?.cabins ?? ['Y'];
  const ready = Boolean(picks.origin && picks.destination && picks.dateFrom && picks.dateTo && picks.dateFrom <= picks.dateTo);
  return (
    <div className="screen" data-testid="analytics-screen">
      <div className="screen-head"><h1>Analyst charts</h1></div>
      <form className="filter-bar" aria-label="Chart picks" onSubmit={(e) => e.preventDefault()}>
        <label>Market{' '}
          <MarketSelect markets={markets} value={market} onChange={setPicks} testId="analytics-market" />
        </label>
        <label>Cabin{' '}
          <select value={picks.cabin} onChange={(e) => setPicks({ cabin: e.target.value })} data-testid="analytics-cabin">
            {[...new Set([picks.cabin, ...cabins])].map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
        <label>From <input type="date" value={picks.dateFrom ?? ''} onChange={(e) => setPicks({ dateFrom: e.target.value || undefined })} data-testid="analytics-from" /></label>
        <label>To <input type="date" value={picks.dateTo ?? ''} onChange={(e) => setPicks({ dateTo: e.target.value || undefined })} data-testid="analytics-to" /></label>
        <label>Trend by{' '}
          <select value={picks.granularity} onChange={(e) => setPicks({ granularity: e.target.value as 'day' | 'week' | 'month' })}>
            <option value="day">day</option><option value="week">week</option><option value="month">month</option>
          </select>
        </label>
      </form>
      {!ready ? <Empty title="Pick a market and dates">Markets appear once the PSS feed has synced fares.</Empty> : (
        <>
          <Kpis origin={picks.origin!} destination={picks.destination!} from={picks.dateFrom!} to={picks.dateTo!} />
          <div className="chart-grid">
            <CompetitorChart origin={picks.origin!} destination={picks.destination!} cabin={picks.cabin} from={picks.dateFrom!} to={picks.dateTo!} />
            <TrendChart origin={picks.origin!} destination={picks.destination!} from={picks.dateFrom!} to={picks.dateTo!} granularity={picks.granularity} />
            <ElasticityChart origin={picks.origin!} destination={picks.destination!} cabin={picks.cabin} />
            <DemandByDcp origin={picks.origin!} destination={picks.destination!} cabin={picks.cabin} from={picks.dateFrom!} to={picks.dateTo!} />
          </div>
          <DemandInfluences origin={picks.origin!} destination={picks.destination!} cabins={cabins} from={picks.dateFrom! < today ? today : picks.dateFrom!} to={picks.dateTo!} />
        </>
      )}
    </div>
  );
}

function Kpis({ origin, destination, from, to }: { origin: string; destination: string; from: string; to: string }) {
  const q = useApi('monitoring.kpis', { origin, destination, dateFrom: from, dateTo: to });
  return (
    <QueryState q={q} what="KPIs">
      {(d) => {
        const k = d.rows.find((r) => r.scope === 'market') ?? d.rows.at(-1);
        if (!k) return <Empty>No departures in these dates.</Empty>;
        // a range reaching past today mixes flown departures with bookings on the books so far: the flown part apart
        const toFly = k.departures - k.flown.departures;
        const split = k.flown.departures > 0 && toFly > 0;
        const sub: Record<string, string> = split ? {
          Revenue: `flown ${formatMoney(k.flown.revenueMinor, k.currency)}`, Passengers: `flown ${formatCount(k.flown.passengers)}`,
          'Load factor': `flown ${formatShare(k.flown.loadFactor)} · on the books ${formatShare((k.passengers - k.flown.passengers) / Math.max(1, k.seats - k.flown.seats))}`,
        } : {};
        const tiles: [string, string][] = [
          ['Revenue', formatMoney(k.revenueMinor, k.currency)], ['Passengers', formatCount(k.passengers)], ['Load factor', formatShare(k.loadFactor)],
          ['Average fare', formatMoney(k.averageFareMinor, k.currency)], ['Denied boardings', formatCount(k.deniedBoardings)],
          ['Yield', k.yieldMinorPerKm === null ? '—' : `${formatNumber(k.yieldMinorPerKm / 10 ** currencyExponent(k.currency), 3)} ${k.currency}/RPK`],
          ['RASK', k.raskMinorPerKm === null ? '—' : `${formatNumber(k.raskMinorPerKm / 10 ** currencyExponent(k.currency), 3)} ${k.currency}/ASK`],
          ['Forecast WAPE', k.forecast?.wape === null || !k.forecast ? '—' : `${formatNumber(k.forecast.wape)} %`],
          ['Forecast bias', k.forecast ? formatSignedPct(k.forecast.bias) : '—'],
        ];
        return (
          <div className="kpi-row" data-testid="kpis">
            {tiles.map(([label, v]) => (
              <div key={label} className="kpi"><span className="muted small">{label}</span><strong data-testid={`kpi-${label.toLowerCase().replace(/ /g, '-')}`}>{v}</strong>
                {sub[label] && <span className="muted small" data-testid={`kpi-${label.toLowerCase().replace(/ /g, '-')}-flown`}>{sub[label]}</span>}</div>
            ))}
            <div className="kpi"><span className="muted small">Departures</span><strong data-testid="kpi-departures">{formatCount(k.departures)}</strong>
              {toFly > 0 && <span className="muted small" data-testid="kpi-departures-flown">{formatCount(k.flown.departures)} flown, {formatCount(toFly)} to fly</span>}</div>
          </div>
        );
      }}
    </QueryState>
  );
}

function CompetitorChart({ origin, destination, cabin, from, to }: { origin: string; destination: string; cabin: string; from: string; to: string }) {
  const p = palette(useUi((s) => s.theme));
  const q = useApi('analytics.competitorFares', { origin, destination, cabin, dateFrom: from, dateTo: to });
  const s = q.data;
  const scale = s ? 10 ** currencyExponent(s.currency) : 100;
  const major = (v: number | null) => (v === null ? null : v / scale);
  const data = (s?.points ?? []).map((x) => ({
    date: x.date, own: major(x.ownMinor), min: major(x.minMinor), q1: major(x.q1Minor),
    band: x.q1Minor !== null && x.q3Minor !== null ? (x.q3Minor - x.q1Minor) / scale : null,
    ...Object.fromEntries(Object.entries(x.byCarrier).map(([c, v]) => [`c_${c}`, v / scale])),
  }));
  const carriers = s?.carriers ?? [];
  const legend = [{ label: 'Own lowest open fare', color: p.own }, { label: 'Competitor minimum', color: p.min }, { label: 'Competitor quartile band', color: p.band },
    ...carriers.map((c, i) => ({ label: c, color: p.series[i % p.series.length]! }))];
  return (
    <ChartFrame title="Own fares against competitors" subtitle={s ? `${origin}-${destination} cabin ${cabin}, by departure date, in ${s.currency}${s.unconverted ? ` (${s.unconverted} observations without an exchange rate left out)` : ''}` : undefined}
      legend={legend} fileName={`competitors-${origin}-${destination}`} testId="chart-competitors">
      <QueryState q={q} what="competitor fares">
        {() => data.length === 0 ? <Empty>No fares or competitor observations for these dates.</Empty> : (
          <ResponsiveContainer width="100%" height={300}>
            <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
              <CartesianGrid stroke={p.grid} />
              <XAxis dataKey="date" tick={{ fill: p.muted, fontSize: 11 }} stroke={p.grid} minTickGap={24} />
              <YAxis tick={{ fill: p.muted, fontSize: 11 }} stroke={p.grid} width={60} />
              <Tooltip formatter={(v) => (typeof v === 'number' ? `${v.toFixed(2)} ${s!.currency}` : String(v))} />
              <Legend />
              <Area dataKey="q1" stackId="band" stroke="none" fill="transparent" legendType="none" isAnimationActive={false} name="q1" />
              <Area dataKey="band" stackId="band" stroke="none" fill={p.band} fillOpacity={0.8} isAnimationActive={false} name="Quartile band" />
              {carriers.map((c, i) => <Line key={c} dataKey={`c_${c}`} name={c} stroke={p.series[i % p.series.length]} dot={false} strokeWidth={1} isAnimationActive={false} connectNulls />)}
              <Line dataKey="min" name="Competitor minimum" stroke={p.min} strokeDasharray="5 3" dot={false} strokeWidth={1.5} isAnimationActive={false} connectNulls />
              <Line dataKey="own" name="Own lowest open fare" stroke={p.own} dot={false} strokeWidth={2.5} isAnimationActive={false} connectNulls />
            </ComposedChart>
          </ResponsiveContainer>
        )}
      </QueryState>
      {s && s.points.length > 0 && <CompetitorTable series={s} />}
    </ChartFrame>
  );
}

/** The numbers under the chart (first days), so they can be read and checked. */
function CompetitorTable({ series }: { series: NonNullable<ReturnType<typeof useApi<'analytics.competitorFares'>>['data']> }) {
  const rows = series.points.filter((x) => x.ownMinor !== null || x.minMinor !== null).slice(0, 7);
  return (
    <details className="numbers">
      <summary>Numbers (first {rows.length} days)</summary>
      <table className="table compact" data-testid="competitor-table">
        <thead><tr><th>Date</th><th className="num">Own</th><th className="num">Min</th><th className="num">Q1</th><th className="num">Q3</th>{series.carriers.map((c) => <th key={c} className="num">{c}</th>)}</tr></thead>
        <tbody>{rows.map((x) => (
          <tr key={x.date} data-testid={`competitor-row-${x.date}`}>
            <td>{x.date}</td><td className="num">{formatMoney(x.ownMinor, series.currency)}</td><td className="num">{formatMoney(x.minMinor, series.currency)}</td>
            <td className="num">{formatMoney(x.q1Minor, series.currency)}</td><td className="num">{formatMoney(x.q3Minor, series.currency)}</td>
            {series.carriers.map((c) => <td key={c} className="num">{formatMoney(x.byCarrier[c] ?? null, series.currency)}</td>)}
          </tr>
        ))}</tbody>
      </table>
    </details>
  );
}

function TrendChart({ origin, destination, from, to, granularity }: { origin: string; destination: string; from: string; to: string; granularity: 'day' | 'week' | 'month' }) {
  const p = palette(useUi((s) => s.theme));
  const q = useApi('analytics.trends', { origin, destination, dateFrom: from, dateTo: to, granularity });
  const t = q.data;
  const scale = t ? 10 ** currencyExponent(t.currency) : 100;
  const data = (t?.points ?? []).map((x) => ({ period: x.period, revenue: x.revenueMinor / scale, lf: x.loadFactor === null ? null : x.loadFactor * 100, pax: x.passengers, toFly: x.flownDepartures < x.departures }));
  // the first period with departures still to fly: from there on, bookings on the books so far (lighter bars)
  const firstToFly = data.find((x) => x.toFly)?.period;
  return (
    <ChartFrame title="Load factor and revenue" subtitle={t ? `${origin}-${destination} by ${granularity} of departure, revenue in ${t.currency}${firstToFly ? `; from ${firstToFly} (lighter) on the books so far, not flown` : ''}` : undefined}
      legend={[{ label: `Revenue${t ? ` (${t.currency})` : ''}`, color: p.bar }, { label: 'Load factor (%)', color: p.line }]} fileName={`trends-${origin}-${destination}`} testId="chart-trends">
      <QueryState q={q} what="trends">
        {() => data.length === 0 ? <Empty>No departures in these dates.</Empty> : (
          <ResponsiveContainer width="100%" height={300}>
            <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
              <CartesianGrid stroke={p.grid} />
              <XAxis dataKey="period" tick={{ fill: p.muted, fontSize: 11 }} stroke={p.grid} minTickGap={20} />
              <YAxis yAxisId="rev" tick={{ fill: p.muted, fontSize: 11 }} stroke={p.grid} width={70} />
              <YAxis yAxisId="lf" orientation="right" domain={[0, 100]} unit="%" tick={{ fill: p.muted, fontSize: 11 }} stroke={p.grid} width={50} />
              <Tooltip formatter={(v, name) => (name === 'Load factor' ? `${Number(v).toFixed(1)} %` : `${Number(v).toLocaleString('en-GB')} ${t!.currency}`)} />
              <Legend />
              <Bar yAxisId="rev" dataKey="revenue" name="Revenue" fill={p.bar} isAnimationActive={false}>
                {data.map((x) => <Cell key={x.period} fill={p.bar} fillOpacity={x.toFly ? 0.4 : 1} />)}
              </Bar>
              {firstToFly && <ReferenceLine yAxisId="rev" x={firstToFly} stroke={p.muted} strokeDasharray="4 3" label={{ value: 'to fly →', position: 'insideTopLeft', fill: p.muted, fontSize: 11 }} />}
              <Line yAxisId="lf" dataKey="lf" name="Load factor" stroke={p.line} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
            </ComposedChart>
          </ResponsiveContainer>
        )}
      </QueryState>
    </ChartFrame>
  );
}

function ElasticityChart({ origin, destination, cabin }: { origin: string; destination: string; cabin: string }) {
  const p = palette(useUi((s) => s.theme));
  const history = useApi('monitoring.elasticities', { origin, destination, cabin, history: true });
  const latest = useApi('monitoring.elasticities', { origin, destination, cabin });
  const rows = history.data ?? [];
  const data = rows.map((r, i) => ({ i: i + 1, at: r.estimatedAt?.slice(0, 10) ?? 'prior', e: r.elasticity, ci: 1.96 * r.standardError, lo: r.elasticity - 1.96 * r.standardError, width: 3.92 * r.standardError, obs: r.observations }));
  const now = latest.data?.[0];
  return (
    <ChartFrame title="Price elasticity" subtitle={`${origin}-${destination} cabin ${cabin}: each re-estimate with its 95 % interval${now ? `; now ${formatNumber(now.elasticity, 2)} ± ${formatNumber(1.96 * now.standardError, 2)} (${now.source}, prior ${formatNumber(now.priorElasticity, 2)})` : ''}`}
      legend={[{ label: 'Estimate', color: p.own }, { label: '95 % interval', color: p.band }, { label: 'Prior', color: p.muted }]} fileName={`elasticity-${origin}-${destination}-${cabin}`} testId="chart-elasticity">
      <QueryState q={history} what="elasticities">
        {() => data.length === 0 ? (
          now ? <p data-testid="elasticity-prior">No re-estimate yet: the pricing uses {now.source === 'default' ? 'the default' : `the ${now.source}`} elasticity {formatNumber(now.elasticity, 2)} ± {formatNumber(1.96 * now.standardError, 2)} (95 %). Re-estimates follow pushed price changes.</p>
            : <Empty>No elasticity for this market and cabin yet.</Empty>
        ) : (
          <ResponsiveContainer width="100%" height={300}>
            <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
              <CartesianGrid stroke={p.grid} />
              <XAxis dataKey="at" tick={{ fill: p.muted, fontSize: 11 }} stroke={p.grid} />
              <YAxis tick={{ fill: p.muted, fontSize: 11 }} stroke={p.grid} width={50} domain={['auto', 'auto']} />
              <Tooltip formatter={(v, name) => (name === 'Estimate' ? Number(v).toFixed(2) : String(v))} />
              {now && <ReferenceLine y={now.priorElasticity} stroke={p.muted} strokeDasharray="4 4" label={{ value: 'prior', fill: p.muted, fontSize: 11 }} />}
              <Area dataKey="lo" stackId="ci" stroke="none" fill="transparent" isAnimationActive={false} legendType="none" />
              <Area dataKey="width" stackId="ci" stroke="none" fill={p.band} isAnimationActive={false} name="95 % interval" />
              <Line dataKey="e" name="Estimate" stroke={p.own} strokeWidth={2} isAnimationActive={false} />
              <Scatter dataKey="e" fill={p.own} isAnimationActive={false} legendType="none">
                <ErrorBar dataKey="ci" width={6} stroke={p.own} direction="y" />
              </Scatter>
            </ComposedChart>
          </ResponsiveContainer>
        )}
      </QueryState>
    </ChartFrame>
  );
}
