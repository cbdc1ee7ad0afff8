import { describe, expect, it } from 'vitest';
import type { CellClassParams } from 'ag-grid-community';
import type { DecisionRow } from '../../../engine/api/contract';
import { COLUMN_BY_ID, REVIEW_COLUMNS } from './columns';

const classesOf = (id: string, data: Partial<DecisionRow> = {}): string[] => {
  const c = COLUMN_BY_ID.get(id)!.def.cellClass;
  const v = typeof c === 'function' ? c({ data } as CellClassParams<DecisionRow>) : c;
  return Array.isArray(v) ? v : v ? [v] : [];
};

describe('review columns: the overflow clip', () => {
  it('free-text columns keep the clip (and its ellipsis); they may be narrowed', () => {
    for (const id of ['travelDate', 'overrideReason', 'pssReference', 'decidedBy', 'createdAt']) {
      expect(classesOf(id)).not.toContain('ag-allow-overflow');
      expect(COLUMN_BY_ID.get(id)!.def.minWidth).toBeUndefined();
    }
  });

  it('short-value columns are drawn unclipped, never narrower than their width, and keep their own classes', () => {
    const short = REVIEW_COLUMNS.filter((c) => !['travelDate', 'overrideReason', 'pssReference', 'decidedBy', 'createdAt'].includes(c.id));
    expect(short.map((c) => c.id)).toContain('proposedValue');
    for (const c of short) {
      expect(c.def.minWidth).toBe(c.def.width);
      expect(classesOf(c.id, { state: 'proposed' })).toContain('ag-allow-overflow');
    }
    expect(classesOf('proposedValue')).toEqual(['cell-editable', 'ag-allow-overflow']);
    expect(classesOf('state', { state: 'approved' })).toEqual(['status-cell status-approved', 'ag-allow-overflow']);
  });
});
