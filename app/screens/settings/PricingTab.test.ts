import { describe, expect, it } from 'vitest';
import { describeOverbooking, describeStrategy, fromForm } from './PricingTab';

const base = { pricingMode: '' as const, kind: '' as const, reference: 'min' as const, byPct: true, amount: '', maxChangePct: '', minChangePct: '', step: '', ending: '', guardrails: {}, overbookingMaxPct: '', deniedBoardingCost: '', reason: '' };
const market = { origin: 'FRA', destination: 'JFK', currency: 'EUR' };

describe('pricing settings form', () => {
  it('turns the form into the API input with money in minor units of the market currency', () => {
    const r = fromForm({ ...base, kind: 'undercut', reference: 'quartile-band', amount: '3', maxChangePct: '10', step: '100', ending: '99', guardrails: { Y: { floor: '300', ceiling: '1,200.00' }, J: { floor: '', ceiling: '' } }, reason: 'season' }, market);
    expect(r).toEqual({ ok: true, input: {
      origin: 'FRA', destination: 'JFK', currency: 'EUR', pricingMode: null, competitor: { kind: 'undercut', reference: 'quartile-band', pct: 3 }, maxChangePct: 10, minChangePct: null,
      pricePoints: { step: 100, ending: 99 }, guardrails: { Y: { floorMinor: 30_000, ceilingMinor: 120_000 } }, overbookingMaxPct: null, deniedBoardingCostMinor: null, reason: 'season',
    } });
    // overbooking: a market's cost in its currency, the defaults' in minor units
    expect(fromForm({ ...base, overbookingMaxPct: '8', deniedBoardingCost: '350' }, market)).toMatchObject({ ok: true, input: { overbookingMaxPct: 8, deniedBoardingCostMinor: 35_000 } });
    expect(fromForm({ ...base, overbookingMaxPct: '0', deniedBoardingCost: '60000' }, { origin: null, destination: null, currency: null })).toMatchObject({ ok: true, input: { overbookingMaxPct: 0, deniedBoardingCostMinor: 60_000 } });
    expect(fromForm({ ...base, kind: 'premium', byPct: false, amount: '15.50' }, market)).toMatchObject({ ok: true, input: { competitor: { kind: 'premium', reference: 'min', amountMinor: 1_550 } } });
  });

  it('names what is wrong', () => {
    expect(fromForm({ ...base, guardrails: { Y: { floor: 'abc', ceiling: '' } } }, market)).toMatchObject({ ok: false, error: expect.stringMatching(/^Cabin Y floor/) });
    expect(fromForm({ ...base, kind: 'undercut', amount: '' }, market)).toMatchObject({ ok: false });
    expect(fromForm({ ...base, guardrails: { Y: { floor: '10', ceiling: '' } } }, { origin: null, destination: null, currency: null })).toMatchObject({ ok: false, error: 'Floors and ceilings are set per market.' });
    expect(fromForm({ ...base, step: '1.5' }, market)).toMatchObject({ ok: false });
    expect(fromForm({ ...base, overbookingMaxPct: '60' }, market)).toMatchObject({ ok: false, error: 'Overbooking is a percentage of the seats from 0 (none) to 50.' });
    expect(fromForm({ ...base, minChangePct: '1.5' }, market)).toMatchObject({ ok: true, input: { minChangePct: 1.5 } });
    expect(fromForm({ ...base, minChangePct: '25' }, market)).toMatchObject({ ok: false, error: 'The smallest change to file is a percentage from 0 (every change) to 20.' });
    expect(fromForm({ ...base, minChangePct: '5', maxChangePct: '3' }, market)).toMatchObject({ ok: false, error: 'The smallest change to file is above the maximum change per cycle.' });
    expect(fromForm({ ...base, deniedBoardingCost: 'lots' }, market)).toMatchObject({ ok: false, error: expect.stringMatching(/^Denied-boarding cost/) });
    expect(fromForm({ ...base, deniedBoardingCost: '400.5' }, { origin: null, destination: null, currency: null })).toMatchObject({ ok: false, error: expect.stringMatching(/whole number of minor units/) });
  });

  it('says a strategy in words', () => {
    expect(describeStrategy({ kind: 'undercut', reference: 'min', amountMinor: 500 }, 'EUR')).toBe('undercut the competitor minimum by 5.00 EUR');
    expect(describeStrategy({ kind: 'match', reference: 'quartile-band' }, null)).toBe('match the competitor quartile band');
    expect(describeStrategy(null, null)).toBe('inherit');
    expect(describeOverbooking({ overbookingMaxPct: 8, deniedBoardingCostMinor: 35_000, currency: 'EUR' })).toBe('up to 8 %, denied boarding 350.00 EUR');
    expect(describeOverbooking({ overbookingMaxPct: 0, deniedBoardingCostMinor: 35_000, currency: 'EUR' })).toBe('none');
    expect(describeOverbooking({ overbookingMaxPct: null, deniedBoardingCostMinor: null, currency: null })).toBe('inherit');
  });
});
