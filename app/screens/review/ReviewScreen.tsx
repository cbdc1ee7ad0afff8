/**
 * The review grid: flights × RBDs with their proposals, loaded page by page from the API (ag-grid's
 * Community infinite row model: a usable grid over 100,000 rows), filtered by the filter bar, sorted
 * by what the API sorts; inline override, multi-select bulk approve / reject (or every decision
 * matching the filter), colours for status and guardrail breaches, keyboard actions, our column
 * chooser, saved views, CSV export of the whole view, and the market summary with its drill-down.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ColDef, GridApi, IDatasource, CellKeyDownEvent, GridReadyEvent, RowClassRules, ColumnState, GetRowIdParams } from 'ag-grid-community';
import type { DecisionRow, EventMessage, ReviewSummaryRow } from '../../../engine/api/contract';
import { call } from '../../api/client';
import { useApi, useApiEvents } from '../../api/hooks';
import { useSession, needsRole } from '../../api/session';
import { useUi, DEFAULT_REVIEW_FILTER, type ColumnLayout, type ReviewFilter, type SavedView } from '../../state/ui';
import { gridTheme, cspNonce } from '../../components/gridTheme';
import { DomGrid } from '../../components/DomGrid';
import { ErrorNote } from '../../components/States';
import { Progress } from '../../components/Progress';
import { formatCount, formatValue } from '../../components/format';
import { toCsv } from '../../components/csv';
import { downloadText, fileStamp } from '../../components/download';
import { REVIEW_COLUMNS, COLUMN_BY_ID } from './columns';
import { OverrideCellEditorComp, type OverrideEditorParams, type OverrideInput } from './OverrideEditor';
import { toApiFilter, apiSort, describeFilter, STATES, type ReviewSort } from './filter';
import { PageSource } from './pageSource';
import { ColumnChooser } from './ColumnChooser';
import { SavedViews } from './SavedViews';
import { MarketSummary } from './MarketSummary';
import { BulkDialog, selectionSize, type BulkSelection } from './BulkDialog';
import { RunCycleButton } from '../cycle/CycleControls';
import { WhatIfDialog } from './WhatIfDialog';
import { selectColumnDef } from './selectColumn';

const BLOCK = 200;
const EXPORT_PAGE = 5_000;

// grid options as constants: a new object at each render is a changed option to ag-grid, which then
// rebuilds its selection column and redraws the rows (a filter change renders this screen several times)
// the checkboxes are our own column (selectColumn.ts: one plain input per row instead of ag-grid's
// component). Not pinned: a pinned column is a sticky part in every row, which Chrome composites as
// layers of their own (82 layers instead of 12 in the grid); scrolling 100,000 rows spent a fifth to a
// quarter more main-thread CPU per frame (style, pre-paint) and 2.5 times the compositor's
const ROW_SELECTION = { mode: 'multiRow', checkboxes: false, headerCheckbox: false, enableClickSelection: false } as const;
const rowId = (p: GetRowIdParams<DecisionRow>) => String(p.data.id);

const rowClassRules: RowClassRules<DecisionRow> = {
  'row-outside': (p) => Boolean(p.data?.outsideGuardrails),
  'row-override': (p) => p.data?.source === 'override',
};

function layoutOf(state: ColumnState[]): ColumnLayout[] {
  return state.map((s) => ({ colId: s.colId, hide: s.hide ?? null, width: s.width, sort: s.sort ?? null, sortIndex: s.sortIndex ?? null, pinned: s.pinned ?? null }));
}

export function ReviewScreen() {
  const session = useSession();
  const theme = useUi((s) => s.theme);
  const filterUi = useUi((s) => s.reviewFilter);
  const setFilterUi = useUi((s) => s.setReviewFilter);
  const mode = useUi((s) => s.reviewMode);
  const setMode = useUi((s) => s.setReviewMode);
  const storedColumns = useUi((s) => s.reviewColumns);
  const setStoredColumns = useUi((s) => s.setReviewColumns);
  const openDetail = useUi((s) => s.openDetail);
  const info = useApi('system.info', {});
  const apiFilter = useMemo(() => toApiFilter(filterUi), [filterUi]);

  const [api, setApi] = useState<GridApi<DecisionRow> | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [loadError, setLoadError] = useState<Error | null>(null);
  const [selected, setSelected] = useState<DecisionRow[]>([]);
  const [allMatching, setAllMatching] = useState(false);
  const [dialog, setDialog] = useState<'approve' | 'reject' | 'simulate' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [popover, setPopover] = useState<'columns' | 'views' | null>(null);
  const [exporting, setExporting] = useState<{ done: number; total: number; abort: AbortController } | null>(null);
  const [exportError, setExportError] = useState<Error | null>(null);

  // pages of the filtered list, one fetched ahead (pageSource.ts): the grid draws a new block's rows
  // with their data the first time instead of as "loading" rows drawn again a few frames later
  const pages = useMemo(() => new PageSource<DecisionRow, ReviewSort>((offset, limit, sort) => call('decisions.list', { filter: apiFilter, sort, limit, offset })), [apiFilter]);
  const datasource = useMemo<IDatasource>(() => ({
    getRows: (p) => {
      pages.get(p.startRow, p.endRow - p.startRow, apiSort(p.sortModel),
        (r) => { setTotal(r.total); setLoadError(null); p.successCallback(r.rows, r.total); },
        (e) => { setLoadError(e); p.failCallback(); });
    },
  }), [pages]);

  // a new filter is a new selection
  useEffect(() => { setSelected([]); setAllMatching(false); setTotal(null); }, [apiFilter]);

  // others' decisions (approvals, pushes, new cycles) refresh the loaded pages, unless someone is editing
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refresh = useCallback(() => {
    if (!api || api.isDestroyed()) return;
    if (api.getEditingCells().length > 0) { refreshTimer.current = setTimeout(refresh, 1_000); return; }
    pages.clear();
    api.refreshInfiniteCache();
  }, [api, pages]);
  useApiEvents((m: EventMessage) => {
    if (m.name !== 'decisions.changed' || refreshTimer.current) return;
    refreshTimer.current = setTimeout(() => { refreshTimer.current = null; refresh(); }, 400);
  });
  useEffect(() => () => { if (refreshTimer.current) clearTimeout(refreshTimer.current); }, []);

  const nowRef = useRef<string | undefined>(undefined);
  nowRef.current = info.data?.now;
  // the editor's callback stays the same function (a new one would be new column definitions to the grid)
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  const onOverride = useCallback(async (input: OverrideInput) => {
    const row = await call('decisions.override', input);
    setNotice(`Override saved: decision ${row.id} proposes ${formatValue(row.proposedValue, row.currency)} (${row.state}).`);
    refreshRef.current();
  }, []);

  const columnDefs = useMemo<ColDef<DecisionRow>[]>(() => [selectColumnDef<DecisionRow>(), ...REVIEW_COLUMNS.map((c) => {
    const def: ColDef<DecisionRow> = { ...c.def, hide: !c.visible };
    if (c.id === 'proposedValue') {
      def.cellEditor = OverrideCellEditorComp;
      def.cellEditorPopup = true;
      def.cellEditorPopupPosition = 'under';
      def.cellEditorParams = { onSubmit: onOverride, today: () => (nowRef.current ?? new Date().toISOString()).slice(0, 10) } satisfies OverrideEditorParams;
      // Enter and Tab belong to the editor's form while it is open
      def.suppressKeyboardEvent = (p) => p.editing && (p.event.key === 'Enter' || p.event.key === 'Tab');
    }
    return def;
  })], [onOverride]);
  const defaultColDef = useMemo<ColDef>(() => ({ resizable: true, sortable: false, suppressHeaderMenuButton: true }), []);

  const saveLayout = useCallback(() => { if (api && !api.isDestroyed()) setStoredColumns(layoutOf(api.getColumnState())); }, [api, setStoredColumns]);
  const onGridReady = (e: GridReadyEvent<DecisionRow>) => {
    if (storedColumns) e.api.applyColumnState({ state: storedColumns.filter((c) => COLUMN_BY_ID.has(c.colId)), applyOrder: true });
    setApi(e.api);
  };

  const selection: BulkSelection | null = allMatching && total
    ? { filter: apiFilter, count: total, description: describeFilter(filterUi) }
    : selected.length ? { ids: selected.map((r) => r.id) } : null;
  const decideBlocked = needsRole(session, 'decide');

  const onCellKeyDown = (e: CellKeyDownEvent<DecisionRow>) => {
    const ev = e.event as KeyboardEvent | null;
    if (!ev || ev.ctrlKey || ev.metaKey || ev.altKey || e.api.getEditingCells().length > 0) return;
    const key = ev.key.toLowerCase();
    if (key === 'o' && e.rowIndex !== null) { ev.preventDefault(); e.api.startEditingCell({ rowIndex: e.rowIndex, colKey: 'proposedValue' }); }
    else if (key === 'd' && e.data) { ev.preventDefault(); openDetail({ decisionId: e.data.id, flightId: e.data.flightId ?? undefined }); }
    // the grid's own selection, not this render's: Space then A/R at once can reach a handler from
    // before the selection's re-render (the grid takes new callbacks after React commits)
    else if ((key === 'a' || key === 'r') && e.api.getSelectedNodes().length > 0 && !decideBlocked) { ev.preventDefault(); setDialog(key === 'a' ? 'approve' : 'reject'); }
  };

  const exportCsv = async () => {
    if (!api) return;
    const abort = new AbortController();
    const cols = api.getAllDisplayedColumns().map((c) => COLUMN_BY_ID.get(c.getColId())).filter((c): c is NonNullable<typeof c> => Boolean(c));
    const withCurrency = cols.some((c) => c.id === 'currency') ? cols : [...cols, COLUMN_BY_ID.get('currency')!];
    setExportError(null);
    const rows: DecisionRow[] = [];
    let expected = total ?? 0;
    setExporting({ done: 0, total: expected, abort });
    try {
      const sort = apiSort(api.getColumnState().filter((s) => s.sort).map((s) => ({ colId: s.colId, sort: s.sort! })));
      for (let offset = 0; offset === 0 || offset < expected; offset += EXPORT_PAGE) {
        const page = await call('decisions.list', { filter: apiFilter, sort, limit: EXPORT_PAGE, offset }, abort.signal);
        expected = page.total;
        rows.push(...page.rows);
        setExporting({ done: rows.length, total: expected, abort });
        if (page.rows.length === 0) break;
      }
      downloadText(`review-${fileStamp()}.csv`, toCsv(withCurrency.map((c) => c.label), rows.map((r) => withCurrency.map((c) => c.csv(r)))));
      setNotice(`Exported ${formatCount(rows.length)} rows (${describeFilter(filterUi)}).`);
    } catch (e) {
      if ((e as { code?: string }).code !== 'cancelled') setExportError(e as Error);
    } finally {
      setExporting(null);
    }
  };

  const applyView = (v: SavedView) => {
    setFilterUi(v.filter);
    setMode(v.mode);
    if (api && v.columns.length) api.applyColumnState({ state: v.columns, applyOrder: true });
    setNotice(`View "${v.name}" applied.`);
  };

  const openFlight = (row: ReviewSummaryRow) => {
    setFilterUi({ ...filterUi, origin: row.origin, destination: row.destination, flightId: row.flightId ?? undefined, dateFrom: row.travelDate ?? undefined, dateTo: row.travelDate ?? undefined });
    setMode('grid');
  };

  return (
    <div className="screen screen-fill" data-testid="review-screen">
      <div className="screen-head">
        <h1>Review</h1>
        <div className="segmented" role="tablist" aria-label="Review mode">
          <button type="button" role="tab" aria-selected={mode === 'grid'} className={mode === 'grid' ? 'active' : ''} onClick={() => setMode('grid')} data-testid="review-mode-grid">Grid</button>
          <button type="button" role="tab" aria-selected={mode === 'summary'} className={mode === 'summary' ? 'active' : ''} onClick={() => setMode('summary')} data-testid="review-mode-summary">Market summary</button>
        </div>
        <span className="muted" data-testid="review-count">{total === null ? '' : `${formatCount(total)} decision${total === 1 ? '' : 's'}`}</span>
        <span className="spacer" />
        <RunCycleButton markets={filterUi.origin && filterUi.destination ? [`${filterUi.origin}-${filterUi.destination}`] : []} label={filterUi.origin ? `Price ${filterUi.origin}-${filterUi.destination ?? ''}…` : 'Run cycle…'} />
        <div className="popover-anchor">
          <button type="button" onClick={() => setPopover(popover === 'views' ? null : 'views')} data-testid="review-views">Views</button>
          {popover === 'views' && <SavedViews onClose={() => setPopover(null)} onApply={applyView}
            current={() => ({ filter: filterUi, mode, columns: api ? layoutOf(api.getColumnState()) : [] })} />}
        </div>
        {mode === 'grid' && (
          <div className="popover-anchor">
            <button type="button" disabled={!api} onClick={() => setPopover(popover === 'columns' ? null : 'columns')} data-testid="review-columns">Columns</button>
            {popover === 'columns' && api && <ColumnChooser api={api} onClose={() => setPopover(null)} />}
          </div>
        )}
        {mode === 'grid' && <button type="button" disabled={!api || !total || Boolean(exporting)} onClick={() => void exportCsv()} data-testid="review-export">Export CSV</button>}
      </div>
      <FilterBar filter={filterUi} onChange={setFilterUi} />
      {exporting && <Progress label={`Exporting ${formatCount(exporting.done)} of ${formatCount(exporting.total)} rows`} value={exporting.done} max={exporting.total || null} onCancel={() => exporting.abort.abort()} testId="export-progress" />}
      {exportError && <ErrorNote error={exportError} />}
      {notice && <div className="notice" role="status"><span data-testid="review-notice">{notice}</span><button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setNotice(null)}>×</button></div>}
      {mode === 'summary' ? <MarketSummary filter={apiFilter} onOpenFlight={openFlight} key={JSON.stringify(apiFilter)} /> : (
        <>
          <div className="selection-bar" data-testid="selection-bar">
            {selection ? <span data-testid="selection-count">{formatCount(selectionSize(selection))} selected{allMatching ? ' (every decision matching the filter)' : ''}</span> : <span className="muted">Select rows (Space or the boxes) to approve or reject them together.</span>}
            {!allMatching && total !== null && total > 0 && selected.length > 0 && selected.length < total && (
              <button type="button" className="link" onClick={() => setAllMatching(true)} data-testid="select-all-matching">Select all {formatCount(total)} matching</button>
            )}
            {selection && <button type="button" className="link" onClick={() => { api?.deselectAll(); setAllMatching(false); }}>Clear selection</button>}
            <span className="spacer" />
            <button type="button" disabled={allMatching || selected.length === 0 || selected.length > 200} title="Simulate the selected decisions (up to 200) before approving them"
              onClick={() => setDialog('simulate')} data-testid="review-simulate">Simulate…</button>
            <button type="button" className="primary" disabled={!selection || Boolean(decideBlocked)} title={decideBlocked} onClick={() => setDialog('approve')} data-testid="bulk-approve">Approve</button>
            <button type="button" className="danger" disabled={!selection || Boolean(decideBlocked)} title={decideBlocked} onClick={() => setDialog('reject')} data-testid="bulk-reject">Reject</button>
          </div>
          {loadError && <ErrorNote error={loadError} onRetry={refresh} />}
          {total === 0 && !loadError && (
            <div className="state-empty" role="status" data-testid="review-empty">
              <strong>No decisions match this filter.</strong> {filterUi.states.length === 1 && filterUi.states[0] === 'proposed' ? 'Nothing is waiting for review: a pricing cycle proposes new values, or widen the status filter.' : 'Widen the filter.'}
            </div>
          )}
          <div className="grid-host" data-testid="review-grid">
            {/* drawn by ag-grid's own renderer, not React (DomGrid: a third less script a scroll frame) */}
            <DomGrid<DecisionRow>
              theme={gridTheme(theme)}
              styleNonce={cspNonce()}
              rowModelType="infinite"
              datasource={datasource}
              cacheBlockSize={BLOCK}
              maxBlocksInCache={50}
              columnDefs={columnDefs}
              defaultColDef={defaultColDef}
              getRowId={rowId}
              rowSelection={ROW_SELECTION}
              rowClassRules={rowClassRules}
              onGridReady={onGridReady}
              onSelectionChanged={(e) => { setSelected(e.api.getSelectedRows()); if (e.source !== 'api') setAllMatching(false); }}
              onCellKeyDown={onCellKeyDown}
              onCellDoubleClicked={(e) => { if (e.colDef.colId !== 'proposedValue' && e.data) openDetail({ decisionId: e.data.id, flightId: e.data.flightId ?? undefined }); }}
              onColumnMoved={(e) => { if (e.finished) saveLayout(); }}
              onColumnResized={(e) => { if (e.finished) saveLayout(); }}
              onColumnVisible={saveLayout}
              onSortChanged={saveLayout}
              // tooltips as the browser's title attribute: ag-grid's own tooltips put a tooltip manager with
              // five listeners on every cell, a fifth of a scroll frame's script
              enableBrowserTooltips
              stopEditingWhenCellsLoseFocus={false}
              suppressNoRowsOverlay
              animateRows={false}
              // rows placed by "top", not a transform each: 0.4-0.75 ms less main-thread time per 100-px
              // scroll frame in three alternating pairs of runs
              suppressRowTransform
              // 4 rows drawn beyond each edge instead of 10: 12 fewer rows in the page, whose paint layers
              // every scroll frame walks (paint, layerize: about 0.6 ms less per frame, four paired runs);
              // rows entering the view are still drawn before the frame is painted
              rowBuffer={4}
            />
          </div>
          <p className="key-hints muted small" aria-label="Keyboard">Keys: ↑ ↓ ← → move · Space select · Enter or O override · D detail · A approve selection · R reject selection · double-click opens the detail</p>
        </>
      )}
      {dialog === 'simulate' && <WhatIfDialog ids={selected.map((r) => r.id)} onClose={() => setDialog(null)} />}
      {dialog && dialog !== 'simulate' && selection && (
        <BulkDialog action={dialog} selection={selection} onClose={() => setDialog(null)}
          onDone={(msg) => { setDialog(null); setNotice(msg); api?.deselectAll(); setAllMatching(false); refresh(); }} />
      )}
    </div>
  );
}

function FilterBar({ filter, onChange }: { filter: ReviewFilter; onChange: (f: ReviewFilter) => void }) {
  const pricing = useApi('settings.pricing', {}, { staleTime: 300_000 });
  const markets = pricing.data?.knownMarkets ?? [];
  const cabins = [...new Set(markets.flatMap((m) => m.cabins))].sort();
  const [change, setChange] = useState(filter.minAbsChangePct === undefined ? '' : String(filter.minAbsChangePct));
  useEffect(() => setChange(filter.minAbsChangePct === undefined ? '' : String(filter.minAbsChangePct)), [filter.minAbsChangePct]);
  const applyChange = () => {
    const v = change.trim() === '' ? undefined : Number(change);
    if (v === undefined || (Number.isFinite(v) && v >= 0)) onChange({ ...filter, minAbsChangePct: v });
  };
  const set = (p: Partial<ReviewFilter>) => onChange({ ...filter, ...p });
  const market = filter.origin && filter.destination ? `${filter.origin}-${filter.destination}` : '';
  return (
    <form className="filter-bar" aria-label="Review filters" onSubmit={(e) => { e.preventDefault(); applyChange(); }}>
      <label>Market{' '}
        <select value={market} data-testid="filter-market" onChange={(e) => { const [o, d] = e.target.value.split('-'); set({ origin: o || undefined, destination: d || undefined, flightId: undefined }); }}>
          <option value="">All markets</option>
          {market && !markets.some((m) => `${m.origin}-${m.destination}` === market) && <option value={market}>{market}</option>}
          {markets.map((m) => <option key={`${m.origin}-${m.destination}`} value={`${m.origin}-${m.destination}`}>{m.origin}-{m.destination}</option>)}
        </select>
      </label>
      {filter.flightId && <span className="chip" data-testid="filter-flight">Flight {filter.flightId} <button type="button" aria-label="All flights" onClick={() => set({ flightId: undefined })}>×</button></span>}
      <label>From <input type="date" value={filter.dateFrom ?? ''} onChange={(e) => set({ dateFrom: e.target.value || undefined })} data-testid="filter-date-from" /></label>
      <label>To <input type="date" value={filter.dateTo ?? ''} onChange={(e) => set({ dateTo: e.target.value || undefined })} data-testid="filter-date-to" /></label>
      <label>Cabin{' '}
        <select value={filter.cabin ?? ''} onChange={(e) => set({ cabin: e.target.value || undefined })} data-testid="filter-cabin">
          <option value="">All</option>
          {cabins.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
      </label>
      <details className="multi-select" data-testid="filter-status">
        <summary>Status: {filter.states.length ? filter.states.join(', ') : 'all'}</summary>
        <div className="popover">
          {STATES.map((s) => (
            <label key={s}><input type="checkbox" checked={filter.states.includes(s)} data-testid={`filter-status-${s}`}
              onChange={(e) => set({ states: e.target.checked ? [...filter.states, s] : filter.states.filter((x) => x !== s) })} /> {s}</label>
          ))}
        </div>
      </details>
      <label>Kind{' '}
        <select value={filter.kinds.length === 1 ? filter.kinds[0] : ''} data-testid="filter-kind" onChange={(e) => set({ kinds: e.target.value ? [e.target.value as ReviewFilter['kinds'][number]] : [] })}>
          <option value="">All</option><option value="fare">Fares</option><option value="authorisation">Authorisation levels</option><option value="bid_price">Bid prices</option>
        </select>
      </label>
      <label>|Change| ≥ <input className="narrow" inputMode="decimal" value={change} onChange={(e) => setChange(e.target.value)} onBlur={applyChange} placeholder="0" aria-label="Minimum change in percent" data-testid="filter-change" /> %</label>
      <label>Guardrails{' '}
        <select value={filter.outsideGuardrails === undefined ? '' : filter.outsideGuardrails ? 'outside' : 'inside'} data-testid="filter-guardrails"
          onChange={(e) => set({ outsideGuardrails: e.target.value === '' ? undefined : e.target.value === 'outside' })}>
          <option value="">Any</option><option value="outside">Outside</option><option value="inside">Inside</option>
        </select>
      </label>
      <button type="button" className="link" onClick={() => onChange(DEFAULT_REVIEW_FILTER)} data-testid="filter-reset">Reset</button>
      <button type="submit" hidden>Apply</button>
    </form>
  );
}

