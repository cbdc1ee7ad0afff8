/** The explanation waterfall chart (recharts stacked bars with an invisible base). */
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { currencyExponent } from '../../engine/domain/money';
import { useUi } from '../state/ui';
import { palette } from '../components/palette';
import { formatValue } from '../components/format';
import { axisLabel, waterfallBars, type WaterfallStep } from './waterfall';
import { describeStep } from './explainStep';

export function Waterfall({ steps, currency, totalLabel }: { steps: readonly WaterfallStep[]; currency: string | null; totalLabel: string }) {
  const p = palette(useUi((s) => s.theme));
  const scale = currency ? 10 ** currencyExponent(currency) : 1;
  const bars = waterfallBars(steps, totalLabel, scale);
  const fmt = (v: number) => formatValue(Math.round(v * scale), currency);
  return (
    <ResponsiveContainer width="100%" height={300}>
      <BarChart data={bars} margin={{ top: 12, right: 16, bottom: 76, left: 48 }}>
        <CartesianGrid stroke={p.grid} vertical={false} />
        <XAxis dataKey="label" interval={0} angle={-35} textAnchor="end" tick={{ fill: p.muted, fontSize: 11 }} stroke={p.grid} tickFormatter={axisLabel} />
        <YAxis tick={{ fill: p.muted, fontSize: 11 }} stroke={p.grid} tickFormatter={(v: number) => v.toLocaleString('en-GB')} width={70} />
        <Tooltip formatter={(_v, _n, item) => [fmt((item.payload as { amount: number }).amount), 'amount']} labelStyle={{ color: '#1b1f24' }}
          labelFormatter={(_l, items) => { const k = (items[0]?.payload as { key?: string } | undefined)?.key; const st = steps.find((x) => x.key === k); return st ? describeStep(st, currency).text : totalLabel; }} />
        <ReferenceLine y={0} stroke={p.muted} />
        <Bar dataKey="base" stackId="w" fill="transparent" isAnimationActive={false} />
        <Bar dataKey="size" stackId="w" isAnimationActive={false} className="waterfall-steps">
          {bars.map((b) => <Cell key={b.key} fill={b.kind === 'total' ? p.total : b.kind === 'up' ? p.positive : p.negative} />)}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}
