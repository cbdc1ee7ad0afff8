import { describe, expect, it } from 'vitest';
import { busiestMarket, pickerGroups } from './marketPicks';

const m = (origin: string, destination: string, departures: number) => ({ origin, destination, currency: 'EUR', cabins: ['Y'], departures });

describe('analyst chart market picks', () => {
  it('opens on the market with the most nonstop departures, not the first connecting one', () => {
    const markets = [m('AMS', 'ARN', 0), m('AMS', 'FRA', 1_100), m('FRA', 'ARN', 2_200), m('FRA', 'CPH', 2_200)];
    expect(busiestMarket(markets)).toMatchObject({ origin: 'FRA', destination: 'ARN' });
    expect(busiestMarket([m('AMS', 'ARN', 0), m('CDG', 'JFK', 0)])).toMatchObject({ origin: 'AMS', destination: 'ARN' });
    expect(busiestMarket([])).toBeUndefined();
  });

  it('lists nonstop markets first, then connecting ones, each group only when it has markets', () => {
    const groups = pickerGroups([m('AMS', 'ARN', 0), m('AMS', 'FRA', 5), m('CDG', 'JFK', 0)]);
    expect(groups.map((g) => [g.label, g.markets.map((x) => `${x.origin}-${x.destination}`)])).toEqual([
      ['Our nonstop flights', ['AMS-FRA']],
      ['Connecting or partner-operated (fares only)', ['AMS-ARN', 'CDG-JFK']],
    ]);
    expect(pickerGroups([m('AMS', 'FRA', 5)]).map((g) => g.label)).toEqual(['Our nonstop flights']);
  });
});
