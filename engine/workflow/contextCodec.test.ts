import { describe, expect, it } from 'vitest';
import { decodeContext, encodeContext } from './contextCodec';
import type { DecisionContext } from './types';

// as fromPricing.ts writes it
const engine: DecisionContext = {
  competitor: { minMinor: 40139, currency: 'EUR', carrier: 'UX', observedAt: '' },
  forecastDemand: 167.2872,
  loadFactor: 0.3237704918032787,
  elasticity: { value: -1.213, standardError: 0.2, source: 'pricing-tools' },
  competitorStrategy: 'match the competitor quartile band',
};

const roundTrip = (c: DecisionContext) => JSON.stringify(decodeContext(encodeContext(c)));

describe('decision context storage', () => {
  it('stores an engine proposal\'s context by position and its recurring texts as phrases, in under a third of its JSON, and gives back the same JSON', () => {
    const text = encodeContext(engine);
    expect(JSON.parse(text)).toEqual([[40139, 'EUR', 'UX', ''], 167.2872, 0.3237704918032787, [-1.213, 0.2, [5]], [2]]);
    expect(text.length).toBeLessThan(0.34 * JSON.stringify(engine).length);
    expect(roundTrip(engine)).toBe(JSON.stringify(engine));
    const bare: DecisionContext = { competitor: null, forecastDemand: null, loadFactor: null, elasticity: null, competitorStrategy: 'hold' };
    expect(JSON.parse(encodeContext(bare))).toEqual([null, null, null, null, 'hold']);
    expect(roundTrip(bare)).toBe(JSON.stringify(bare));
    expect(roundTrip({ ...engine, elasticity: { value: -1, standardError: null, source: 'default' } })).toBe(JSON.stringify({ ...engine, elasticity: { value: -1, standardError: null, source: 'default' } }));
  });

  it('stores any other context as its JSON, as before, and reads the rows written before', () => {
    const others: DecisionContext[] = [
      {}, // a cabin without a pricing context
      { competitor: null, loadFactor: 0.5 }, // a manual proposal's
      { loadFactor: 0.5, competitor: null, forecastDemand: 1, elasticity: null, competitorStrategy: 'x' }, // other order
      { ...engine, extra: 1 },
      { ...engine, competitor: { ...engine.competitor!, note: 'x' } as never },
      { ...engine, forecastDemand: undefined }, // a key JSON leaves out
      { ...engine, elasticity: { source: 'x', value: 1, standardError: 0 } },
      { ...engine, competitorStrategy: [2] }, // not a text: it would read back as a phrase
      { ...engine, competitorStrategy: null },
    ];
    for (const c of others) {
      expect(encodeContext(c)).toBe(JSON.stringify(c));
      expect(roundTrip(c)).toBe(JSON.stringify(c));
    }
    expect(decodeContext(JSON.stringify(engine))).toEqual(engine);
    expect(() => decodeContext('[1,2,3]')).toThrow(/decision context: stored with 3 positions/);
    expect(() => decodeContext('[null,null,null,null,[999]]')).toThrow(/decision context: phrase \[999\] is not one this build knows/);
  });
});
