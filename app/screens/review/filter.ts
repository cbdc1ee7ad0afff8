/** The filter bar's state → the API's decision filter, and the review sorts the API offers. */
import type { ApiInput, DecisionState } from '../../../engine/api/contract';
import type { ReviewFilter } from '../../state/ui';

export type ApiDecisionFilter = NonNullable<ApiInput<'decisions.list'>['filter']>;
export type ReviewSort = NonNullable<ApiInput<'decisions.list'>['sort']>;

/** Every decision state, in lifecycle order, for the status filter (kept total by the type). */
export const STATE_ORDER = {
  recommended: 0, proposed: 1, approved: 2, queued: 3, pushed: 4, failed: 5, rejected: 6, superseded: 7, expired: 8,
} satisfies Record<DecisionState, number>;
export const STATES = (Object.keys(STATE_ORDER) as DecisionState[]).sort((a, b) => STATE_ORDER[a] - STATE_ORDER[b]);

export function toApiFilter(f: ReviewFilter): ApiDecisionFilter {
  const out: ApiDecisionFilter = {};
  if (f.origin) out.origin = f.origin;
  if (f.destination) out.destination = f.destination;
  if (f.flightId) out.flightId = f.flightId;
  if (f.dateFrom) out.dateFrom = f.dateFrom;
  if (f.dateTo) out.dateTo = f.dateTo;
  if (f.cabin) out.cabin = f.cabin;
  if (f.states.length) out.states = [...f.states];
  if (f.kinds.length) out.kinds = [...f.kinds];
  if (f.minAbsChangePct !== undefined && f.minAbsChangePct > 0) out.minAbsChangePct = f.minAbsChangePct;
  if (f.outsideGuardrails !== undefined) out.outsideGuardrails = f.outsideGuardrails;
  return out;
}

/** Columns the API can sort by, with the one direction it sorts them in. */
export const SORTABLE: Readonly<Record<string, { sort: ReviewSort; direction: 'asc' | 'desc' }>> = {
  travelDate: { sort: 'travel', direction: 'asc' },
  changePct: { sort: 'change', direction: 'desc' },
  createdAt: { sort: 'created', direction: 'desc' },
};

/** The API sort for the grid's sort model (the first sorted column the API knows; default: travel date). */
export function apiSort(sortModel: readonly { colId: string; sort: 'asc' | 'desc' }[]): ReviewSort {
  for (const s of sortModel) {
    const k = SORTABLE[s.colId];
    if (k) return k.sort;
  }
  return 'travel';
}

/** One line describing the filter, for saved views and exports. */
export function describeFilter(f: ReviewFilter): string {
  const parts: string[] = [];
  if (f.origin || f.destination) parts.push(`${f.origin ?? '*'}-${f.destination ?? '*'}`);
  if (f.flightId) parts.push(f.flightId);
  if (f.dateFrom || f.dateTo) parts.push(`${f.dateFrom ?? '…'} to ${f.dateTo ?? '…'}`);
  if (f.cabin) parts.push(`cabin ${f.cabin}`);
  if (f.states.length) parts.push(f.states.join('/'));
  if (f.kinds.length) parts.push(f.kinds.join('/'));
  if (f.minAbsChangePct) parts.push(`|change| ≥ ${f.minAbsChangePct} %`);
  if (f.outsideGuardrails !== undefined) parts.push(f.outsideGuardrails ? 'outside guardrails' : 'inside guardrails');
  return parts.join(' · ') || 'everything';
}
