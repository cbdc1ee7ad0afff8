import { describe, expect, it } from 'vitest';
import { influenceChange, influenceFactor, influenceScope, influencesCovering } from './influences';

describe('demand influence wording', () => {
  it('writes the factor as a change and reads a change back as the factor', () => {
    expect(influenceChange(0.8)).toBe('−20 %');
    expect(influenceChange(1.15)).toBe('+15 %');
    expect(influenceChange(1)).toBe('+0 %');
    expect(influenceChange(0.333)).toBe('−66.7 %');
    expect(influenceFactor('-20')).toBe(0.8);
    expect(influenceFactor('−20 %')).toBe(0.8);
    expect(influenceFactor('+15')).toBe(1.15);
    expect(influenceFactor('2.5')).toBe(1.025);
    for (const bad of ['', 'ten', '1e3', '--5', '5 5']) expect(influenceFactor(bad), bad).toBeNull();
  });
  it('picks those covering a date', () => {
    const rows = [{ from: '2026-12-01', to: '2026-12-03' }, { from: '2026-12-03', to: '2026-12-03' }, { from: '2026-12-04', to: '2026-12-09' }];
    expect(influencesCovering(rows, '2026-12-03')).toEqual(rows.slice(0, 2));
    expect(influencesCovering(rows, '2026-11-30')).toEqual([]);
  });
  it('names its scope', () => {
    expect(influenceScope({ origin: 'FRA', destination: 'CDG' })).toBe('FRA-CDG');
    expect(influenceScope({ origin: 'FRA', destination: null })).toBe('FRA-any');
    expect(influenceScope({ origin: null, destination: 'CDG' })).toBe('any-CDG');
    expect(influenceScope({ origin: null, destination: null })).toBe('the network');
  });
});
