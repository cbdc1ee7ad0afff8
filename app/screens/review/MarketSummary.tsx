/**
 * The market summary: decisions under the review filter summed by market; drill down (double-click
 * or Enter) to the market's flights, and from a flight to its decisions in the review grid. Built on
 * Community features (client-side rows, row events), not Enterprise row grouping.
 */
import { useMemo, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, ValueFormatterParams } from 'ag-grid-community';
import type { ReviewSummaryRow } from '../../../engine/api/contract';
import { useApi } from '../../api/hooks';
import { useUi } from '../../state/ui';
import { formatCount, formatShare, formatSignedPct } from '../../components/format';
import { Empty, ErrorNote, Loading } from '../../components/States';
import { gridTheme, cspNonce } from '../../components/gridTheme';
import type { ApiDecisionFilter } from './filter';

const pct = (p: ValueFormatterParams<ReviewSummaryRow, number | null>) => formatSignedPct(p.value);
/** counts with thousands separators, as everywhere else */
const count = (p: ValueFormatterParams<ReviewSummaryRow, number>) => formatCount(p.value);
const state = (s: string) => (p: { data?: ReviewSummaryRow }) => p.data?.byState[s] ?? 0;

const common: ColDef<ReviewSummaryRow>[] = [
  { headerName: 'Decisions', field: 'decisions', width: 105, type: 'rightAligned', valueFormatter: count },
  { headerName: 'Proposed', colId: 'proposed', valueGetter: state('proposed'), width: 100, type: 'rightAligned', valueFormatter: count },
  { headerName: 'Approved', colId: 'approved', valueGetter: (p) => (p.data ? (p.data.byState.approved ?? 0) + (p.data.byState.queued ?? 0) : 0), width: 100, type: 'rightAligned', headerTooltip: 'approved or queued for the PSS', valueFormatter: count },
  { headerName: 'Pushed', colId: 'pushed', valueGetter: state('pushed'), width: 90, type: 'rightAligned', valueFormatter: count },
  { headerName: 'Failed', colId: 'failed', valueGetter: state('failed'), width: 85, type: 'rightAligned', cellClassRules: { 'status-failed': (p) => (p.value as number) > 0 }, valueFormatter: count },
  { headerName: 'Outside guardrails', field: 'outsideGuardrails', width: 150, type: 'rightAligned', cellClassRules: { 'guardrail-outside': (p) => (p.value as number) > 0 }, valueFormatter: count },
  { headerName: 'Overrides', field: 'overrides', width: 100, type: 'rightAligned', valueFormatter: count },
  { headerName: 'Avg change', field: 'avgChangePct', width: 110, type: 'rightAligned', valueFormatter: pct },
  { headerName: 'Min change', field: 'minChangePct', width: 110, type: 'rightAligned', valueFormatter: pct },
  { headerName: 'Max change', field: 'maxChangePct', width: 110, type: 'rightAligned', valueFormatter: pct },
  { headerName: 'Avg load factor', field: 'avgLoadFactor', width: 135, type: 'rightAligned', valueFormatter: (p) => formatShare(p.value as number | null) },
];

const marketColumns: ColDef<ReviewSummaryRow>[] = [
  { headerName: 'Market', field: 'key', width: 110, pinned: 'left' },
  { headerName: 'Flights', field: 'flights', width: 90, type: 'rightAligned', valueFormatter: count },
  { headerName: 'Dates', colId: 'dates', width: 200, valueGetter: (p) => (p.data ? `${p.data.firstDate} – ${p.data.lastDate}` : '') },
  ...common,
];

const flightColumns: ColDef<ReviewSummaryRow>[] = [
  { headerName: 'Flight', colId: 'flight', width: 110, pinned: 'left', valueGetter: (p) => (p.data?.flightId ? p.data.flightId.split('/')[0] : 'market fares') },
  { headerName: 'Local date', field: 'travelDate', width: 115 },
  ...common,
];

export function MarketSummary({ filter, onOpenFlight }: { filter: ApiDecisionFilter; onOpenFlight: (row: ReviewSummaryRow) => void }) {
  const theme = useUi((s) => s.theme);
  const [market, setMarket] = useState<{ origin: string; destination: string } | null>(
    filter.origin && filter.destination ? { origin: filter.origin, destination: filter.destination } : null,
  );
  const q = useApi('analytics.reviewSummary', market ? { filter: { ...filter, ...market }, groupBy: 'flight' } : { filter, groupBy: 'market' }, { placeholderData: (p) => p });
  const defaultColDef = useMemo<ColDef>(() => ({ sortable: true, resizable: true, filter: true }), []);
  const open = (row: ReviewSummaryRow | undefined) => {
    if (!row) return;
    if (!market) setMarket({ origin: row.origin, destination: row.destination });
    else onOpenFlight(row);
  };
  return (
    <div className="screen-fill summary" data-testid="market-summary">
      <nav className="breadcrumb" aria-label="Drill-down">
        <button type="button" className="link" onClick={() => setMarket(null)} disabled={!market} data-testid="summary-all-markets">All markets</button>
        {market && <> › <strong data-testid="summary-market">{market.origin}-{market.destination}</strong> <span className="muted small">(double-click or Enter on a flight to review its decisions)</span></>}
        {!market && <span className="muted small"> (double-click or Enter on a market to see its flights)</span>}
      </nav>
      {q.error && <ErrorNote error={q.error} onRetry={() => void q.refetch()} />}
      {q.isPending ? <Loading what="the market summary" /> : q.data && q.data.rows.length === 0 ? (
        <Empty title="No decisions match">Widen the filter (status, dates, change) to see markets here.</Empty>
      ) : (
        <div className="grid-host" data-testid={market ? 'summary-flights-grid' : 'summary-markets-grid'}>
          <AgGridReact<ReviewSummaryRow> theme={gridTheme(theme)} styleNonce={cspNonce()} rowData={q.data?.rows}
            columnDefs={market ? flightColumns : marketColumns} defaultColDef={defaultColDef} getRowId={(p) => p.data.key}
            onRowDoubleClicked={(e) => open(e.data)} animateRows={false}
            onCellKeyDown={(e) => { if ((e.event as KeyboardEvent | null)?.key === 'Enter') open(e.data); }} />
        </div>
      )}
    </div>
  );
}
