/**
 * The review grid's columns: flights × RBDs with current value, recommendation, proposed value (the
 * inline override editor), change %, competitor minimum and position, forecast, sold / authorised,
 * load factor, status. Every value getter and class rule is a function (the CSP forbids eval, so no
 * string expressions). Each column also says how it is written to CSV.
 */
import type { ColDef, ValueFormatterParams, CellClassParams } from 'ag-grid-community';
import type { DecisionRow } from '../../../engine/api/contract';
import { toMajor } from '../../../engine/domain/money';
import type { CsvCell } from '../../components/csv';
import { formatCount, formatShare, formatSignedPct, formatValue, formatNumber, formatInstant, viewerZone } from '../../components/format';
import { SORTABLE } from './filter';

export interface ReviewColumn {
  id: string;
  label: string;
  /** shown unless the person hides it */
  visible: boolean;
  def: ColDef<DecisionRow>;
  csv: (r: DecisionRow) => CsvCell;
}

/** A value in its unit for CSV: money in major units (the currency has its own column), seats as is. */
const csvValue = (v: number | null, currency: string | null): CsvCell => (v === null ? null : currency ? toMajor(v, currency) : v);

const value = (get: (r: DecisionRow) => number | null) => ({
  valueGetter: (p: { data?: DecisionRow }) => (p.data ? get(p.data) : null),
  valueFormatter: (p: ValueFormatterParams<DecisionRow, number | null>) => (p.data ? formatValue(p.value, p.data.currency) : ''),
  type: 'rightAligned',
});

/** The editable states of a decision (the API accepts overrides of these). */
export const OVERRIDABLE = new Set(['recommended', 'proposed', 'approved', 'queued', 'failed', 'pushed']);

export const KIND_LABEL: Record<DecisionRow['kind'], string> = { fare: 'Fare', authorisation: 'Auth. level', bid_price: 'Bid price' };

export function flightLabel(r: Pick<DecisionRow, 'flightId' | 'carrier'>): string {
  // flight ids are "<carrier><number>/<local date>/<origin>"
  return r.flightId ? r.flightId.split('/')[0]! : `${r.carrier} (all flights)`;
}

const sortable = (id: string): Partial<ColDef<DecisionRow>> => {
  const s = SORTABLE[id];
  return s ? { sortable: true, sortingOrder: [s.direction, null] } : { sortable: false };
};

/**
 * Columns of short values (codes, amounts, percentages, counts) are drawn without the cell's overflow
 * clip (ag-grid's own `ag-allow-overflow` class) and are not narrowed below their width, where those
 * values fit: a clip is a paint property of its own in Chrome, and hundreds of them (one per cell) cost
 * about a tenth of a scroll frame's main-thread CPU (layerize and paint) over 100,000 rows.
 * Columns of free text (reason, reference, date ranges…) keep the clip and its ellipsis.
 */
const CLIPPED = new Set(['travelDate', 'overrideReason', 'decidedBy', 'pssReference', 'createdAt']);

function unclipped(def: ColDef<DecisionRow>): ColDef<DecisionRow> {
  const c = def.cellClass;
  const asList = (v: string | string[] | null | undefined) => (Array.isArray(v) ? v : v ? [v] : []);
  return {
    ...def,
    minWidth: def.width,
    cellClass: typeof c === 'function' ? (p) => [...asList(c(p)), 'ag-allow-overflow'] : [...asList(c), 'ag-allow-overflow'],
  };
}

function col(id: string, label: string, def: ColDef<DecisionRow>, csv: (r: DecisionRow) => CsvCell, visible = true): ReviewColumn {
  const full: ColDef<DecisionRow> = { colId: id, headerName: label, ...sortable(id), ...def };
  return { id, label, visible, def: CLIPPED.has(id) ? full : unclipped(full), csv };
}

export const REVIEW_COLUMNS: readonly ReviewColumn[] = [
  col('id', 'Id', { field: 'id', width: 80 }, (r) => r.id, false),
  col('kind', 'Kind', { width: 100, valueGetter: (p) => (p.data ? KIND_LABEL[p.data.kind] : '') }, (r) => r.kind, false),
  col('market', 'Market', { width: 100, valueGetter: (p) => (p.data ? `${p.data.origin}-${p.data.destination}` : '') }, (r) => `${r.origin}-${r.destination}`),
  col('flight', 'Flight', { width: 90, valueGetter: (p) => (p.data ? flightLabel(p.data) : '') }, (r) => flightLabel(r)),
  col('travelDate', 'Local date', { width: 115, valueGetter: (p) => (p.data ? (p.data.travelDate === p.data.travelDateTo ? p.data.travelDate : `${p.data.travelDate} – ${p.data.travelDateTo}`) : '') }, (r) => r.travelDate),
  col('cabin', 'Cabin', { field: 'cabin', width: 70 }, (r) => r.cabin),
  col('rbd', 'RBD', { field: 'rbd', width: 65 }, (r) => r.rbd),
  col('currentValue', 'Current', { width: 120, ...value((r) => r.currentValue) }, (r) => csvValue(r.currentValue, r.currency)),
  col('recommendedValue', 'Recommended', { width: 125, ...value((r) => r.recommendedValue) }, (r) => csvValue(r.recommendedValue, r.currency)),
  col('proposedValue', 'Proposed', {
    width: 125, ...value((r) => r.proposedValue), editable: (p) => Boolean(p.data && OVERRIDABLE.has(p.data.state)),
    headerTooltip: 'Enter or O to override (a reason is required)', cellClass: 'cell-editable',
  }, (r) => csvValue(r.proposedValue, r.currency)),
  col('currency', 'Currency', { field: 'currency', width: 90 }, (r) => r.currency, false),
  col('changePct', 'Change', {
    width: 95, type: 'rightAligned', valueGetter: (p) => p.data?.changePct ?? null,
    valueFormatter: (p: ValueFormatterParams<DecisionRow, number | null>) => formatSignedPct(p.value),
    cellClassRules: { 'move-up': (p: CellClassParams<DecisionRow>) => (p.value as number | null ?? 0) > 0, 'move-down': (p: CellClassParams<DecisionRow>) => (p.value as number | null ?? 0) < 0 },
  }, (r) => r.changePct),
  col('competitorMin', 'Competitor min', {
    width: 135, ...value((r) => r.competitorMinMinor), tooltip: (p) => (p.data?.competitorCarrier ? `lowest: ${p.data.competitorCarrier}` : undefined),
  }, (r) => csvValue(r.competitorMinMinor, r.currency)),
  col('competitorCarrier', 'Lowest rival', { field: 'competitorCarrier', width: 95 }, (r) => r.competitorCarrier, false),
  col('position', 'Position', {
    width: 100, type: 'rightAligned', valueGetter: (p) => p.data?.competitorDiffPct ?? null,
    valueFormatter: (p: ValueFormatterParams<DecisionRow, number | null>) => formatSignedPct(p.value),
    headerTooltip: 'Proposed against the competitor minimum',
  }, (r) => r.competitorDiffPct),
  col('forecast', 'Forecast', { width: 95, type: 'rightAligned', valueGetter: (p) => p.data?.forecastDemand ?? null, valueFormatter: (p) => formatNumber(p.value as number | null) }, (r) => r.forecastDemand),
  col('soldAuth', 'Sold / auth', { width: 105, type: 'rightAligned', valueGetter: (p) => (p.data && p.data.sold !== null ? `${formatCount(p.data.sold)} / ${formatCount(p.data.authorised)}` : '—') }, (r) => (r.sold === null ? null : `${r.sold}/${r.authorised ?? ''}`)),
  col('loadFactor', 'Load factor', { width: 105, type: 'rightAligned', valueGetter: (p) => p.data?.loadFactor ?? null, valueFormatter: (p) => formatShare(p.value as number | null) }, (r) => r.loadFactor),
  col('state', 'Status', {
    width: 105, valueGetter: (p) => p.data?.state ?? '',
    cellClass: (p: CellClassParams<DecisionRow>) => (p.data ? `status-cell status-${p.data.state}` : ''),
  }, (r) => r.state),
  col('guardrails', 'Guardrails', {
    width: 110, valueGetter: (p) => (p.data ? (p.data.outsideGuardrails ? (p.data.guardrailConfirmedBy ? 'outside ✓' : 'outside') : 'inside') : ''),
    cellClassRules: { 'guardrail-outside': (p: CellClassParams<DecisionRow>) => Boolean(p.data?.outsideGuardrails) },
    tooltip: (p) => (p.data?.guardrailConfirmedBy ? `confirmed by ${p.data.guardrailConfirmedBy}` : undefined),
  }, (r) => (r.outsideGuardrails ? 'outside' : 'inside')),
  col('source', 'Source', { field: 'source', width: 90 }, (r) => r.source),
  col('overrideReason', 'Reason', { width: 180, valueGetter: (p) => p.data?.overrideReason ?? p.data?.decisionNote ?? '', tooltip: (p) => p.data?.overrideReason ?? undefined }, (r) => r.overrideReason ?? r.decisionNote),
  col('decidedBy', 'Decided by', { field: 'decidedBy', width: 110 }, (r) => r.decidedBy, false),
  col('pssReference', 'PSS reference', { field: 'pssReference', width: 150 }, (r) => r.pssReference, false),
  col('createdAt', 'Created', { width: 160, valueGetter: (p) => p.data?.createdAt ?? '', valueFormatter: (p) => formatInstant(p.value as string, viewerZone()) }, (r) => r.createdAt, false),
];

export const COLUMN_BY_ID = new Map(REVIEW_COLUMNS.map((c) => [c.id, c]));
