import { describe, expect, it } from 'vitest';
import { describeStrategy, fromForm } from './PricingTab';

const base = { pricingMode: '' as const, kind: '' as const, reference: 'min' as const, byPct: true, amount: '', maxChangePct: '', step: '', ending: '', guardrails: {}, reason: '' };
const market = { origin: 'FRA', destination: 'JFK', currency: 'EUR' };

describe('pricing settings form', () => {
  it('turns the form into the API input with money in minor units of the market currency', () => {
    const r = fromForm({ ...base, kind: 'undercut', reference: 'quartile-band', amount: '3', maxChangePct: '10', step: '100', ending: '99', guardrails: { Y: { floor: '300', ceiling: '1,200.00' }, J: { floor: '', ceiling: '' } }, reason: 'season' }, market);
    expect(r).toEqual({ ok: true, input: {
      origin: 'FRA', destination: 'JFK', currency: 'EUR', pricingMode: null, competitor: { kind: 'undercut', reference: 'quartile-band', pct: 3 }, maxChangePct: 10,
      pricePoints: { step: 100, ending: 99 }, guardrails: { Y: { floorMinor: 30_000, ceilingMinor: 120_000 } }, reason: 'season',
    } });
    expect(fromForm({ ...base, kind: 'premium', byPct: false, amount: '15.50' }, market)).toMatchObject({ ok: true, input: { competitor: { kind: 'premium', reference: 'min', amountMinor: 1_550 } } });
  });

  it('names what is wrong', () => {
    expect(fromForm({ ...base, guardrails: { Y: { floor: 'abc', ceiling: '' } } }, market)).toMatchObject({ ok: false, error: expect.stringMatching(/^Cabin Y floor/) });
    expect(fromForm({ ...base, kind: 'undercut', amount: '' }, market)).toMatchObject({ ok: false });
    expect(fromForm({ ...base, guardrails: { Y: { floor: '10', ceiling: '' } } }, { origin: null, destination: null, currency: null })).toMatchObject({ ok: false, error: 'Floors and ceilings are set per market.' });
    expect(fromForm({ ...base, step: '1.5' }, market)).toMatchObject({ ok: false });
  });

  it('says a strategy in words', () => {
    expect(describeStrategy({ kind: 'undercut', reference: 'min', amountMinor: 500 }, 'EUR')).toBe('undercut the competitor minimum by 5.00 EUR');
    expect(describeStrategy({ kind: 'match', reference: 'quartile-band' }, null)).toBe('match the competitor quartile band');
    expect(describeStrategy(null, null)).toBe('inherit');
  });
});
