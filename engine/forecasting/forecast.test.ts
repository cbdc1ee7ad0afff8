import { describe, expect, it } from 'vitest';
import { dateFromDayNumber, dayNumber } from '../domain/time';
import { normaliseDcps } from './dcp';
import { estimateFactors, factorFor, monthIndex, weekdayIndex } from './factors';
import { forecastKey, prepareKey } from './forecast';
import { syntheticKey } from './synthetic';

const DCPS = normaliseDcps([63, 56, 49, 42, 35, 31, 28, 24, 21, 17, 14, 10, 7, 5, 3, 1]);
const SHAPE = [3, 1.5, 1.5, 1.5, 1.5, 1, 1, 1.2, 1.4, 1.6, 2, 2.5, 2.6, 2.8, 3, 3, 1];
const TOTAL = SHAPE.reduce((a, b) => a + b, 0);
const DAYS = Array.from({ length: 300 }, (_, i) => dayNumber('2024-01-01') + i);

describe('calendar arithmetic', () => {
  it('computes weekday and month from day numbers like Date does', () => {
    for (let day = -800; day < 30000; day += 37) {
      const iso = dateFromDayNumber(day);
      expect(monthIndex(day)).toBe(Number(iso.slice(5, 7)) - 1);
      expect(weekdayIndex(day)).toBe((new Date(`${iso}T00:00:00Z`).getUTCDay() + 6) % 7);
    }
  });
});

describe('factors', () => {
  it('recovers a weekend uplift and an event, and uses a configured event factor as given', () => {
    const fair = { name: 'Fair', from: '2024-03-10', to: '2024-03-16' };
    const totals = DAYS.map((d) => {
      const weekend = weekdayIndex(d) >= 5 ? 1.5 : 1;
      const inFair = d >= dayNumber(fair.from) && d <= dayNumber(fair.to) ? 2 : 1;
      return 100 * weekend * inFair;
    });
    const events = [fair, { name: 'Set', from: '2024-05-01', to: '2024-05-02', factor: 0.7 }];
    const f = estimateFactors(DAYS, totals, events, 0);
    expect(f.dow[5]! / f.dow[0]!).toBeCloseTo(1.5, 10);
    expect(f.events[0]!.factor).toBeCloseTo(2, 10);
    // shrinkage pulls thinly observed factors toward 1
    const shrunk = estimateFactors(DAYS, totals, events);
    expect(shrunk.events[0]!.factor).toBeGreaterThan(1);
    expect(shrunk.events[0]!.factor).toBeLessThan(f.events[0]!.factor);
    expect(f.events[1]).toMatchObject({ factor: 0.7, configured: true });
    expect(factorFor(f, dayNumber('2024-03-16')) / factorFor(f, dayNumber('2024-03-23'))).toBeCloseTo(f.events[0]!.factor, 10);
  });
});

describe('factors on thin demand', () => {
  it('are not estimated over a baseline near zero, and stay within bounds', () => {
    // a class that sells almost never: near-zero totals (as EM leaves them), one booking on the event day
    const totals = DAYS.map((d) => (d === dayNumber('2024-03-16') ? 1 : 1e-7));
    const fair = { name: 'Fair', from: '2024-03-16', to: '2024-03-16' };
    const f = estimateFactors(DAYS, totals, [fair]);
    expect(f.events[0]!.factor).toBe(1);
    expect(f.dow).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(factorFor(f, dayNumber('2024-03-16'))).toBe(1);
    // a real baseline with an extreme event day: the factor is capped
    const busy = DAYS.map((d) => (d === dayNumber('2024-03-16') ? 10_000 : 10));
    expect(estimateFactors(DAYS, busy, [fair], 0).events[0]!.factor).toBe(5);
  });
  it('keep a day\'s combined factor within bounds however many events overlap it', () => {
    // one event listed once per country it touches: thirteen copies of 0.37 would make 2.5e-6
    const slow = Array.from({ length: 13 }, () => ({ name: 'August business slowdown', from: '2024-08-01', to: '2024-08-25', factor: 0.37 }));
    const f = estimateFactors(DAYS, DAYS.map(() => 10), slow);
    expect(factorFor(f, dayNumber('2024-08-05'))).toBeCloseTo(0.2, 10);
    expect(factorFor(f, dayNumber('2024-07-29'))).toBeCloseTo(f.dow[0]! * f.month[6]!, 10);
  });
  it('apply an analyst\'s configured factor in full on a day whose estimated factors reach a bound', () => {
    // the fair day sells a thousandfold: its estimate is capped at 5; a strike that day still halves it
    const busy = DAYS.map((d) => (d === dayNumber('2024-03-16') ? 10_000 : 10));
    const fair = { name: 'Fair', from: '2024-03-16', to: '2024-03-16' };
    const strike = { name: 'Strike', from: '2024-03-16', to: '2024-03-16', factor: 0.5 };
    const f = estimateFactors(DAYS, busy, [fair, strike], 0);
    expect(f.events.map((e) => [e.factor, e.configured])).toEqual([[5, false], [0.5, true]]);
    expect(factorFor(f, dayNumber('2024-03-16'))).toBeCloseTo(2.5, 10);
    expect(factorFor(estimateFactors(DAYS, busy, [fair], 0), dayNumber('2024-03-16'))).toBeCloseTo(5, 10);
  });
});

describe('forecast of one key', () => {
  it('gives mean and sd of the demand to come, close to the truth', () => {
    const { history } = syntheticKey({ seed: 1, days: DAYS, shape: SHAPE });
    const prep = prepareKey(history, { factors: false });
    const f = forecastKey(prep, 'additive', DAYS[299]! + 30, 0, 0);
    expect(f.mean).toBeCloseTo(TOTAL, 0);
    expect(f.sd).toBeGreaterThan(Math.sqrt(TOTAL) * 0.8); // Poisson spread
    expect(f.sd).toBeLessThan(Math.sqrt(TOTAL) * 1.2);
    const later = forecastKey(prep, 'additive', DAYS[299]! + 30, 10, 20);
    expect(later.mean).toBeCloseTo(SHAPE.slice(10).reduce((a, b) => a + b, 0), 0);
  });

  it('unconstrains censored history: EM forecasts near the truth, the censored average does not', () => {
    const { history } = syntheticKey({ seed: 2, days: DAYS, shape: SHAPE.map((s) => s * 4), closeProb: 0.3 });
    const em = forecastKey(prepareKey(history, { factors: false, unconstrain: 'em' }), 'additive', 20000, 0, 0);
    const pd = forecastKey(prepareKey(history, { factors: false, unconstrain: 'projection' }), 'additive', 20000, 0, 0);
    const none = forecastKey(prepareKey(history, { factors: false, unconstrain: 'none' }), 'additive', 20000, 0, 0);
    const truth = TOTAL * 4;
    expect(none.mean).toBeLessThan(truth * 0.9);
    expect(Math.abs(em.mean - truth)).toBeLessThan(truth * 0.05);
    expect(Math.abs(pd.mean - truth)).toBeLessThan(Math.abs(none.mean - truth));
  });

  it('applies the departure factor to pickup and not to the multiplicative ratio', () => {
    const { history } = syntheticKey({ seed: 3, days: DAYS, shape: SHAPE, level: (d) => (weekdayIndex(d) === 4 ? 2 : 1) });
    const prep = prepareKey(history);
    const friday = DAYS.find((d) => weekdayIndex(d) === 4)! + 350;
    const monday = DAYS.find((d) => weekdayIndex(d) === 0)! + 350;
    const fri = forecastKey(prep, 'additive', friday, 0, 0);
    const mon = forecastKey(prep, 'additive', monday, 0, 0);
    expect(fri.mean / mon.mean).toBeCloseTo(2, 0);
    expect(fri.factor).toBeGreaterThan(mon.factor);
    const m1 = forecastKey(prep, 'multiplicative', friday, 8, 10);
    const m2 = forecastKey(prep, 'multiplicative', monday, 8, 10);
    expect(m1.mean).toBeCloseTo(m2.mean, 10);
  });

  it('applies an analyst\'s configured factor (a demand influence) whatever the method', () => {
    const { history } = syntheticKey({ seed: 3, days: DAYS, shape: SHAPE });
    const day = DAYS[299]! + 30;
    const iso = dateFromDayNumber(day);
    const plain = prepareKey(history);
    const strike = prepareKey(history, { events: [{ name: 'Strike', from: iso, to: iso, factor: 0.5 }] });
    for (const [method, onHand, fallback] of [['additive', 0, null], ['exp-smoothing', 0, null], ['multiplicative', 10, null], ['additive', 0, 'feed down']] as const) {
      const a = forecastKey(plain, method, day, 8, onHand, undefined, fallback);
      const b = forecastKey(strike, method, day, 8, onHand, undefined, fallback);
      expect(b.method, method).toBe(a.method);
      expect(b.mean / a.mean, `${method} ${fallback}`).toBeCloseTo(0.5, 10);
      expect(b.sd / a.sd, `${method} ${fallback}`).toBeCloseTo(0.5, 10);
    }
    // the day after is left alone
    expect(forecastKey(strike, 'multiplicative', day + 1, 8, 10).mean).toBeCloseTo(forecastKey(plain, 'multiplicative', day + 1, 8, 10).mean, 10);
  });

  it('falls back to additive without bookings on hand, and says so', () => {
    const prep = prepareKey(syntheticKey({ seed: 4, days: DAYS, shape: SHAPE }).history, { factors: false });
    expect(forecastKey(prep, 'multiplicative', 20000, 5, 0).method).toBe('additive');
    expect(forecastKey(prep, 'multiplicative', 20000, 5, 12).method).toBe('multiplicative');
  });

  it('forecasts cancellations and no-shows separately (gross and net)', () => {
    const { history } = syntheticKey({ seed: 5, days: DAYS, shape: SHAPE.map((s) => s * 3), cancelRate: 0.1, noShowRate: 0.05 });
    const prep = prepareKey(history, { factors: false });
    expect(prep.cancelRate[0]).toBeCloseTo(0.1, 1);
    expect(prep.noShowRate).toBeCloseTo(0.05, 1);
    const f = forecastKey(prep, 'additive', 20000, 0, 0);
    expect(f.netFinal).toBeCloseTo(f.mean - f.cancellations, 10);
    expect(f.cancellations / f.mean).toBeCloseTo(0.1, 1);
    expect(f.showRate).toBeCloseTo(0.9 * 0.95, 1);
    expect(f.noShows).toBeCloseTo(f.netFinal * prep.noShowRate, 10);
  });

  it('uses flagged same-weekday historical averages when the demand feed is stale', () => {
    const { history } = syntheticKey({ seed: 6, days: DAYS, shape: SHAPE, level: (d) => (weekdayIndex(d) === 6 ? 3 : 1) });
    const prep = prepareKey(history);
    const sunday = DAYS.find((d) => weekdayIndex(d) === 6)! + 350;
    const f = forecastKey(prep, 'exp-smoothing', sunday, 0, 0, undefined, 'demand feed stale since 2024-10-01T06:00:00Z');
    expect(f.method).toBe('historical-average');
    expect(f.fallback).toMatch(/stale/);
    expect(f.mean).toBeCloseTo(TOTAL * 3, -1);
    expect(DCPS).toHaveLength(17);
  });
});
