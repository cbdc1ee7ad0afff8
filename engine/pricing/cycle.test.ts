import { describe, expect, it } from 'vitest';
import { runPricingCycle, type CycleInput } from './cycle';
import { fareStepLabel } from '../workflow/fromPricing';
import { syntheticNetwork } from './synthetic';
import type { AuthorisationRecommendation, BidPriceRecommendation, FareRecommendation } from './types';

const DCPS = [63, 56, 49, 42, 35, 31, 28, 24, 21, 17, 14, 10, 7, 5, 3, 1];
const net = syntheticNetwork({ seed: 42, flights: 3, daysAhead: 20, historyDays: 70, today: '2025-06-02', dcps: DCPS, currentCurves: true });

function input(over: Partial<CycleInput> = {}): CycleInput {
  return {
    cycleId: 'c1', now: net.now,
    settings: { ownCarrier: 'XX', dcps: DCPS, defaults: { competitor: { kind: 'undercut', reference: 'min', pct: 3 }, guardrails: { Y: { floorMinor: 5000, ceilingMinor: 90000 } } } },
    flights: net.flights, rbds: net.rbds, fares: net.fares, inventory: net.inventory, curves: net.curves,
    competitorFares: net.competitorFares, exchangeRates: net.exchangeRates,
    elasticities: [],
    ...over,
  };
}

const fares = (out: ReturnType<typeof runPricingCycle>) => out.recommendations.filter((r): r is FareRecommendation => r.kind === 'fare');
const auths = (out: ReturnType<typeof runPricingCycle>) => out.recommendations.filter((r): r is AuthorisationRecommendation => r.kind === 'authorisation');
const bids = (out: ReturnType<typeof runPricingCycle>) => out.recommendations.filter((r): r is BidPriceRecommendation => r.kind === 'bid_price');

describe('pricing cycle', () => {
  const out = runPricingCycle(input());

  it('recommends a fare and an authorisation per departure × RBD and a bid price per departure × cabin', () => {
    expect(out.stats.departures).toBe(60);
    expect(out.stats.cabins).toBe(120);
    expect(fares(out)).toHaveLength(360);
    expect(auths(out)).toHaveLength(360);
    expect(bids(out)).toHaveLength(120);
    expect(out.forecasts).toHaveLength(360);
    expect(out.contexts).toHaveLength(120);
    expect(out.warnings.filter((w) => w.code !== 'unidentified_demand')).toEqual([]);
  });

  it("leaves our codeshares on a partner's flights to the operating carrier: no fare, control or bid price, counted apart", () => {
    expect(out.stats.partnerOperated).toBe(0);
    // one flight number's departures become our codeshares on a partner's flight (and one is operated by us under our own code)
    const number = net.flights[0]!.flightNumber;
    const ours = net.flights.find((f) => f.flightNumber === number && Date.parse(f.departureUtc) > Date.parse(net.now))!;
    const flights = net.flights.map((f) => (f.flightNumber !== number ? f : f.id === ours.id ? { ...f, operatingCarrier: 'XX' } : { ...f, operatingCarrier: 'PA', operatingFlightNumber: 5000 + number }));
    const shared = flights.filter((f) => f.operatingCarrier === 'PA');
    const upcoming = shared.filter((f) => Date.parse(f.departureUtc) > Date.parse(net.now)).length;
    expect(upcoming).toBeGreaterThan(0);
    const r = runPricingCycle(input({ flights }));
    expect(r.stats.partnerOperated).toBe(upcoming);
    expect(r.stats.departures).toBe(out.stats.departures - upcoming);
    const ids = new Set(shared.map((f) => f.id));
    expect(r.recommendations.filter((x) => ids.has(x.flightId))).toEqual([]);
    expect(r.recommendations.some((x) => x.flightId === ours.id)).toBe(true);
  });

  it('explains every fare exactly and keeps every ladder monotone within its guardrails', () => {
    const byCabin = new Map<string, FareRecommendation[]>();
    for (const f of fares(out)) {
      expect(f.explanation.components.reduce((a, c) => a + c.amountMinor, 0)).toBe(f.recommendedMinor);
      expect(f.currency).toBe('EUR');
      if (f.cabin === 'Y') { expect(f.recommendedMinor).toBeGreaterThanOrEqual(5000); expect(f.recommendedMinor).toBeLessThanOrEqual(90000); }
      expect(Math.abs(f.recommendedMinor - f.currentMinor)).toBeLessThanOrEqual(Math.ceil(f.currentMinor * 0.2 / 100) * 100 + 100);
      const k = `${f.flightId}/${f.cabin}`;
      (byCabin.get(k) ?? byCabin.set(k, []).get(k)!).push(f);
    }
    for (const list of byCabin.values()) for (let j = 1; j < list.length; j++) expect(list[j]!.recommendedMinor).toBeLessThanOrEqual(list[j - 1]!.recommendedMinor);
  });

  it('prices a departure whose fares in force are out of order, valuing a class at most at the class above, says so, and recommends the order back', () => {
    const flight = net.flights.find((f) => f.departureUtc > net.now)!;
    const marketFare = (rbd: string) => net.fares.find((f) => f.origin === flight.origin && f.destination === flight.destination && f.rbd === rbd)!;
    // M's new fare pushed, K's not yet: K dearer than M on this departure
    const m = marketFare('M');
    const inverted = [{ ...m, flightId: flight.id, amountMinor: m.amountMinor - 3000 }, { ...marketFare('K'), flightId: flight.id, amountMinor: m.amountMinor + 2000 }];
    const o = runPricingCycle(input({ fares: [...net.fares, ...inverted] }));
    expect(o.warnings.filter((w) => w.code === 'ladder_inverted')).toEqual([{ code: 'ladder_inverted', where: `${flight.id}/Y/K`, message: expect.stringContaining(`valuing K at ${m.amountMinor - 3000}`) }]);
    const ladder = fares(o).filter((f) => f.flightId === flight.id && f.cabin === 'Y');
    expect(ladder.map((f) => f.rbd).slice(0, 3)).toEqual(['Y', 'M', 'K']);
    for (let j = 1; j < ladder.length; j++) expect(ladder[j]!.recommendedMinor).toBeLessThanOrEqual(ladder[j - 1]!.recommendedMinor);
    const k = auths(o).find((a) => a.flightId === flight.id && a.rbd === 'K')!;
    expect(k.explanation.fareUsed).toBe(m.amountMinor - 3000);
  });

  it('nests authorisation levels under an authorised capacity at or above physical', () => {
    const byCabin = new Map<string, AuthorisationRecommendation[]>();
    for (const a of auths(out)) { const k = `${a.flightId}/${a.cabin}`; (byCabin.get(k) ?? byCabin.set(k, []).get(k)!).push(a); }
    for (const list of byCabin.values()) {
      const au = list[0]!.explanation.authorisedCapacity;
      const ctx = out.contexts.find((c) => c.flightId === list[0]!.flightId && c.cabin === list[0]!.cabin)!;
      expect(au).toBeGreaterThanOrEqual(list[0]!.explanation.physicalCapacity);
      // the top class may sell every authorised seat (never fewer than already sold)
      expect(list[0]!.recommended).toBe(Math.max(au, ctx.sold));
      for (let j = 1; j < list.length; j++) expect(list[j]!.recommended).toBeLessThanOrEqual(list[j - 1]!.recommended);
    }
    expect([...byCabin.values()].some((l) => l[0]!.explanation.authorisedCapacity > l[0]!.explanation.physicalCapacity)).toBe(true);
  });

  it('forecasts mean and sd per remaining DCP and uses competitor fares converted at the dated rate', () => {
    const f = out.forecasts[0]!;
    expect(f.periodMean.length).toBe(17 - f.fromPeriod);
    expect(f.dcps.length).toBe(17 - f.fromPeriod);
    expect(f.periodMean.reduce((a, x) => a + x, 0)).toBeCloseTo(f.mean, 1);
    expect(f.sd).toBeGreaterThan(0);
    const ctx = out.contexts.find((c) => c.cabin === 'Y' && c.competitor.minMinor !== null)!;
    expect(ctx.competitor.rates.USD).toEqual({ rate: 1 / 1.08, date: '2025-05-30' });
  });

  it('applies a calendar event to the markets whose airports it touches, and to no other', () => {
    const day = net.flights.map((f) => f.localDate).filter((d) => d > net.now.slice(0, 10)).sort()[5]!;
    const f0 = net.flights.find((f) => f.localDate === day)!;
    const event = (airports?: string[]) => ({ name: 'Fair', from: day, to: day, factor: 3, ...(airports ? { airports } : {}) });
    const means = (o: ReturnType<typeof runPricingCycle>) => new Map(o.forecasts.filter((x) => x.flightId.includes(day)).map((x) => [`${x.flightId}|${x.rbd}`, x.mean]));
    const none = means(runPricingCycle(input()));
    const here = means(runPricingCycle(input({ events: [event([f0.origin])] })));
    const elsewhere = means(runPricingCycle(input({ events: [event(['ZZZ'])] })));
    const everywhere = means(runPricingCycle(input({ events: [event()] })));
    expect(elsewhere).toEqual(none);
    let touched = 0;
    let untouched = 0;
    for (const [k, m] of none) {
      const f = net.flights.find((x) => k.startsWith(`${x.id}|`))!;
      const inMarket = f.origin === f0.origin || f.destination === f0.origin;
      expect(here.get(k)!, k).toBeCloseTo(inMarket ? m * 3 : m, 3);
      expect(everywhere.get(k)!, k).toBeCloseTo(m * 3, 3);
      if (inMarket && m > 0) touched++;
      if (!inMarket && m > 0) untouched++;
    }
    expect(touched).toBeGreaterThan(0);
    expect(untouched).toBeGreaterThan(0);
  });

  it('applies a demand influence bound to an origin and destination to that direction\'s legs only', () => {
    const day = net.flights.map((f) => f.localDate).filter((d) => d > net.now.slice(0, 10)).sort()[5]!;
    const f0 = net.flights.find((f) => f.localDate === day)!;
    const means = (o: ReturnType<typeof runPricingCycle>) => new Map(o.forecasts.filter((x) => x.flightId.includes(day)).map((x) => [`${x.flightId}|${x.rbd}`, x.mean]));
    const none = means(runPricingCycle(input()));
    const strikeOut = runPricingCycle(input({ events: [{ name: 'Strike', from: day, to: day, factor: 0.5, origin: f0.origin, destination: f0.destination }] }));
    const cut = means(strikeOut);
    // the cycle counts the departures it forecast under the influence
    expect(strikeOut.stats.influenced).toBe(net.flights.filter((f) => f.localDate === day && f.origin === f0.origin && f.destination === f0.destination).length);
    expect(runPricingCycle(input()).stats.influenced).toBe(0);
    // each fare's explanation names it in its forecast step, as the decision's label keeps it
    const fareOf = fares(strikeOut).find((r) => r.flightId === f0.id)!;
    const step = fareOf.explanation.components.find((c) => c.code === 'forecast')!;
    expect(step.detail.influence).toBe('Strike −50 %');
    expect(fareStepLabel('forecast', step.detail)).toMatch(/, influence Strike −50 %\)$/);
    expect(fares(runPricingCycle(input())).find((r) => r.flightId === f0.id)!.explanation.components.find((c) => c.code === 'forecast')!.detail).not.toHaveProperty('influence');
    const fromOnly = means(runPricingCycle(input({ events: [{ name: 'Hub works', from: day, to: day, factor: 0.5, origin: f0.origin }] })));
    let hit = 0;
    let other = 0;
    for (const [k, m] of none) {
      const f = net.flights.find((x) => k.startsWith(`${x.id}|`))!;
      const same = f.origin === f0.origin && f.destination === f0.destination;
      expect(cut.get(k)!, k).toBeCloseTo(same ? m * 0.5 : m, 3);
      expect(fromOnly.get(k)!, k).toBeCloseTo(f.origin === f0.origin ? m * 0.5 : m, 3);
      if (same && m > 0) hit++;
      if (!same && m > 0) other++;
    }
    expect(hit).toBeGreaterThan(0);
    expect(other).toBeGreaterThan(0);
    // every cabin's demand to come, whatever the demand model and the forecast method (multiplicative pickup too)
    for (const [demandModel, forecastMethod] of [['independent', 'multiplicative'], ['hybrid', 'additive'], ['hybrid', 'multiplicative'], ['q', 'exp-smoothing']] as const) {
      const at = (events: CycleInput['events']) => new Map(runPricingCycle(input({ events, settings: { ...input().settings, defaults: { ...input().settings.defaults, demandModel, forecastMethod } } }))
        .contexts.filter((c) => c.flightId.includes(day)).map((c) => [`${c.flightId}|${c.cabin}`, c.demandToCome]));
      const base = at([]);
      const halved = at([{ name: 'Strike', from: day, to: day, factor: 0.5, origin: f0.origin, destination: f0.destination }]);
      let cabins = 0;
      for (const [k, d] of base) {
        const f = net.flights.find((x) => k.startsWith(`${x.id}|`))!;
        const same = f.origin === f0.origin && f.destination === f0.destination;
        expect(halved.get(k)!, `${demandModel} ${forecastMethod} ${k}`).toBeCloseTo(same ? d * 0.5 : d, 3);
        if (same && d > 0) cabins++;
      }
      expect(cabins, `${demandModel} ${forecastMethod}`).toBeGreaterThan(0);
    }
    // bound to a cabin: that cabin's demand only
    const cabin = f0.cabins[0]!.cabin;
    expect(f0.cabins.length).toBeGreaterThan(1);
    const byCabin = (o: ReturnType<typeof runPricingCycle>) => new Map(o.contexts.filter((c) => c.flightId === f0.id).map((c) => [c.cabin, c.demandToCome]));
    const plain = byCabin(runPricingCycle(input()));
    const oneCabin = byCabin(runPricingCycle(input({ events: [{ name: 'Fair', from: day, to: day, factor: 2, origin: f0.origin, destination: f0.destination, cabin }] })));
    expect(plain.get(cabin)).toBeGreaterThan(0);
    for (const [c, d] of plain) expect(oneCabin.get(c)!, c).toBeCloseTo(c === cabin ? d * 2 : d, 3);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(runPricingCycle(input()).recommendations)).toBe(JSON.stringify(out.recommendations));
  });

  it('falls back to flagged historical averages when the demand feed is stale', () => {
    const stale = runPricingCycle(input({ demandFeed: { state: 'ok', lastSuccessAt: '2025-05-28T00:00:00Z' } }));
    expect(stale.warnings.some((w) => w.code === 'demand_feed_stale' && /stale/.test(w.message))).toBe(true);
    expect(stale.forecasts.every((f) => f.method === 'historical-average' && f.fallback !== null)).toBe(true);
    expect(auths(stale)[0]!.explanation.fallback).toMatch(/stale/);
  });

  it('runs hybrid forecasting with MR-transformed controls', () => {
    const h = runPricingCycle(input({ settings: { ...input().settings, defaults: { ...input().settings.defaults, demandModel: 'hybrid', frat5: 2.5 } } }));
    const a = auths(h);
    expect(a.every((x) => x.explanation.method === 'emsrb-mr')).toBe(true);
    expect(h.forecasts[0]!.method).toMatch(/^hybrid:/);
  });

  it('computes DP bid prices with the exact DP and EMSR-b revenues and their gap', () => {
    const d = runPricingCycle(input({ flightIds: net.flights.filter((f) => f.localDate === '2025-06-10').map((f) => f.id), settings: { ...input().settings, defaults: { ...input().settings.defaults, bidPrice: 'dp' } } }));
    const b = bids(d);
    expect(b.length).toBe(6);
    for (const x of b) {
      expect(x.explanation.method).toBe('dp');
      expect(x.explanation.dpRevenueMinor!).toBeGreaterThanOrEqual(x.explanation.emsrbRevenueMinor!);
      expect(x.explanation.gapPct!).toBeGreaterThanOrEqual(0);
    }
  });
});
