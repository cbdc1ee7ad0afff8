import { describe, expect, it } from 'vitest';
import { apiSort, describeFilter, toApiFilter, STATES } from './filter';

describe('review filter', () => {
  it('maps the filter bar to the API filter, leaving out what is unset', () => {
    expect(toApiFilter({ states: ['proposed'], kinds: ['fare'] })).toEqual({ states: ['proposed'], kinds: ['fare'] });
    expect(toApiFilter({ origin: 'FRA', destination: 'JFK', dateFrom: '2026-12-01', cabin: 'Y', states: [], kinds: [], minAbsChangePct: 0, outsideGuardrails: true }))
      .toEqual({ origin: 'FRA', destination: 'JFK', dateFrom: '2026-12-01', cabin: 'Y', outsideGuardrails: true });
    expect(toApiFilter({ states: [], kinds: [], minAbsChangePct: 7.5 })).toEqual({ minAbsChangePct: 7.5 });
  });

  it('sorts by the first column the API can sort by', () => {
    expect(apiSort([])).toBe('travel');
    expect(apiSort([{ colId: 'market', sort: 'asc' }, { colId: 'changePct', sort: 'desc' }])).toBe('change');
    expect(apiSort([{ colId: 'createdAt', sort: 'desc' }])).toBe('created');
  });

  it('describes a filter in one line and lists every state in lifecycle order', () => {
    expect(describeFilter({ origin: 'FRA', destination: 'JFK', states: ['proposed'], kinds: [], minAbsChangePct: 10 })).toBe('FRA-JFK · proposed · |change| ≥ 10 %');
    expect(describeFilter({ states: [], kinds: [] })).toBe('everything');
    expect(STATES).toEqual(['recommended', 'proposed', 'approved', 'queued', 'pushed', 'failed', 'rejected', 'superseded', 'expired']);
  });
});
