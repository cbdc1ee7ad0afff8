import { describe, expect, it } from 'vitest';
import { accuracyAgainstTruth } from './__tests__/truthAccuracy';

describe('forecast accuracy against the simulator truth', () => {
  it('the chosen method beats "same as last year" on WAPE', () => {
    const r = accuracyAgainstTruth({ markets: 3, holdoutDays: 14 });
    expect(r.cells).toBe(3 * 14 * 3);
    expect(Object.keys(r.chosenByMarket)).toHaveLength(3);
    expect(r.chosenWape).toBeLessThan(r.naiveWape);
  });
});
