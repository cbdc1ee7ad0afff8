/**
 * A departure's booking curve for one cabin (flights.bookingCurve): net bookings by DCP so far, unconstrained
 * (demand turned away while classes were closed added back), the latest cycle's forecast to departure and the
 * same flight last year, against the seats and the authorised capacity.
 */
import { useState } from 'react';
import { CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useApi } from '../api/hooks';
import { useUi } from '../state/ui';
import { palette } from '../components/palette';
import { ChartFrame } from '../components/ChartFrame';
import { Empty, QueryState } from '../components/States';
import { formatNumber } from '../components/format';

export function FlightBookingCurve({ flightId, cabins }: { flightId: string; cabins: readonly string[] }) {
  const p = palette(useUi((s) => s.theme));
  const [picked, setCabin] = useState<string | null>(null);
  const cabin = picked && cabins.includes(picked) ? picked : cabins.includes('Y') ? 'Y' : cabins[0] ?? 'Y';
  const q = useApi('flights.bookingCurve', { id: flightId, cabin });
  const c = q.data;
  const data = (c?.points ?? []).map((x) => ({ dcp: String(x.dcp), actual: x.actual, unconstrained: x.unconstrained, forecast: x.forecast, lastYear: x.lastYear }));
  const subtitle = c ? `cabin ${cabin}, cumulative net bookings by days before departure; ${c.capacity} seats${c.authorised !== null && c.authorised !== c.capacity ? `, ${c.authorised} authorised` : ''}`
    + `${c.cycleId ? `; forecast of cycle ${c.cycleId} (${c.forecastMethod})` : '; no forecast yet'}${c.lastYear ? `; last year ${c.lastYear.localDate}` : '; no departure a year before in the store'}` : undefined;
  return (
    <ChartFrame title="Booking curve" subtitle={subtitle} testId="flight-booking-curve" fileName={`booking-curve-${flightId.replace(/\//g, '-')}-${cabin}`}
      legend={[{ label: 'Booked', color: p.actual }, { label: 'Unconstrained', color: p.unconstrained }, { label: 'Forecast', color: p.forecast }, { label: 'Last year', color: p.lastYear }]}>
      {cabins.length > 1 && (
        <div className="segmented" role="tablist" aria-label="Cabin">
          {cabins.map((x) => <button key={x} type="button" role="tab" aria-selected={x === cabin} className={x === cabin ? 'active' : ''} onClick={() => setCabin(x)} data-testid={`curve-cabin-${x}`}>{x}</button>)}
        </div>
      )}
      <QueryState q={q} what="the booking curve">
        {() => data.length === 0 ? <Empty>No booking curve for this departure yet: the pricing cycle builds it from the PSS bookings (its curves step).</Empty> : (
          <ResponsiveContainer width="100%" height={300}>
            <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 16, left: 8 }}>
              <CartesianGrid stroke={p.grid} />
              <XAxis dataKey="dcp" tick={{ fill: p.muted, fontSize: 11 }} stroke={p.grid} label={{ value: 'days before departure (DCP)', position: 'insideBottom', offset: -8, fill: p.muted, fontSize: 11 }} />
              <YAxis tick={{ fill: p.muted, fontSize: 11 }} stroke={p.grid} width={50} allowDecimals={false} domain={[0, (max: number) => Math.ceil(Math.max(max, c!.authorised ?? c!.capacity))]} />
              <Tooltip formatter={(v) => (typeof v === 'number' ? formatNumber(v, 1) : String(v))} labelFormatter={(l) => `${l} days before departure`} />
              <ReferenceLine y={c!.capacity} stroke={p.muted} strokeDasharray="4 3" label={{ value: 'seats', position: 'insideTopRight', fill: p.muted, fontSize: 11 }} />
              <Line dataKey="lastYear" name="Last year" stroke={p.lastYear} dot={false} isAnimationActive={false} connectNulls />
              <Line dataKey="unconstrained" name="Unconstrained" stroke={p.unconstrained} strokeDasharray="5 3" dot={false} isAnimationActive={false} />
              <Line dataKey="forecast" name="Forecast" stroke={p.forecast} strokeDasharray="2 3" dot isAnimationActive={false} connectNulls />
              <Line dataKey="actual" name="Booked" stroke={p.actual} strokeWidth={2} dot isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        )}
      </QueryState>
    </ChartFrame>
  );
}
