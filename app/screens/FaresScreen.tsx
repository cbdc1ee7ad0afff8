import { useEffect, useMemo } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, ValueFormatterParams } from 'ag-grid-community';
import type { FareRow } from '../../engine/api/contract';
import { useApi } from '../api/hooks';
import { useUi } from '../state/ui';
import { formatMoney, formatCount } from '../components/format';
import { ErrorNote, Loading, Empty } from '../components/States';
import { gridTheme, cspNonce } from '../components/gridTheme';

const columns: ColDef<FareRow>[] = [
  { headerName: 'Market', valueGetter: (p) => (p.data ? `${p.data.origin}-${p.data.destination}` : ''), colId: 'market', width: 110 },
  { headerName: 'Flight', valueGetter: (p) => (p.data ? `${p.data.carrier}${p.data.flightNumber}` : ''), colId: 'flight', width: 100 },
  { headerName: 'Local date', field: 'localDate', width: 120 },
  { headerName: 'Dep (local)', valueGetter: (p) => (p.data ? `${p.data.departureLocalTime}` : ''), colId: 'dep', width: 130,
    tooltip: (p) => p.data?.originTimeZone },
  { headerName: 'Cabin', field: 'cabin', width: 95 },
  { headerName: 'RBD', field: 'rbd', width: 80 },
  { headerName: 'Fare', colId: 'fare', width: 140, type: 'rightAligned',
    valueGetter: (p) => p.data?.amountMinor ?? null,
    valueFormatter: (p: ValueFormatterParams<FareRow, number | null>) => formatMoney(p.value, p.data?.currency) },
  { headerName: 'Fare basis', field: 'fareBasis', width: 120 },
  { headerName: 'Sold / Auth', colId: 'soldAuth', width: 120, type: 'rightAligned',
    valueGetter: (p) => (p.data ? `${formatCount(p.data.sold)} / ${formatCount(p.data.authorised)}` : '') },
  { headerName: 'Status', field: 'status', width: 90 },
];

export function FaresScreen() {
  const filter = useUi((s) => s.faresFilter);
  const setFilter = useUi((s) => s.setFaresFilter);
  const theme = useUi((s) => s.theme);
  const info = useApi('system.info', {});
  const markets = useApi('fares.markets', {});
  // first visit: departures from today (the clock's: the sandbox's simulated day), not the oldest flown ones
  useEffect(() => {
    if (info.data && Object.keys(filter).length === 0) setFilter({ dateFrom: info.data.now.slice(0, 10) });
  }, [info.data, filter, setFilter]);
  const fares = useApi('fares.list', { ...filter, limit: 50_000 }, { placeholderData: (prev) => prev });
  const defaultColDef = useMemo<ColDef>(() => ({ sortable: true, filter: true, resizable: true }), []);
  return (
    <div className="screen screen-fill" data-testid="fares-screen">
      <h1>Fares</h1>
      <form className="filter-bar" onSubmit={(e) => e.preventDefault()} aria-label="Fare filters">
        <label>Market{' '}
          <select value={filter.origin && filter.destination ? `${filter.origin}-${filter.destination}` : ''} data-testid="fares-market"
            onChange={(e) => { const [o, d] = e.target.value.split('-'); setFilter({ ...filter, origin: o || undefined, destination: d || undefined }); }}>
            <option value="">All markets</option>
            {markets.data?.map((m) => <option key={`${m.origin}-${m.destination}`} value={`${m.origin}-${m.destination}`}>{m.origin}-{m.destination}</option>)}
          </select>
        </label>
        <label>From <input type="date" value={filter.dateFrom ?? ''} data-testid="fares-date-from" onChange={(e) => setFilter({ ...filter, dateFrom: e.target.value || undefined })} /></label>
        <label>To <input type="date" value={filter.dateTo ?? ''} data-testid="fares-date-to" onChange={(e) => setFilter({ ...filter, dateTo: e.target.value || undefined })} /></label>
        <span className="muted" data-testid="fares-count">{fares.data ? `${formatCount(fares.data.rows.length)} of ${formatCount(fares.data.total)} rows` : ''}</span>
      </form>
      {fares.error && <ErrorNote error={fares.error} />}
      {fares.isPending ? <Loading what="fares" /> : fares.data && fares.data.total === 0 ? (
        <Empty>No fares yet for this filter. Sync the PSS feed on the Feeds screen, or widen the filter.</Empty>
      ) : (
        <div className="grid-host" data-testid="fares-grid">
          <AgGridReact<FareRow>
            theme={gridTheme(theme)}
            styleNonce={cspNonce()}
            rowData={fares.data?.rows}
            columnDefs={columns}
            defaultColDef={defaultColDef}
            getRowId={(p) => `${p.data.flightId}|${p.data.rbd}`}
            animateRows={false}
          />
        </div>
      )}
    </div>
  );
}
