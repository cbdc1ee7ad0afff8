/**
 * Offers assembled per second for random shopping requests: over the offer engine's synthetic hub network
 * and over the sandbox network of the market simulator (its scenario turned into dated legs, fares and
 * inventory). Brands are priced first by the bundling engine from a synthetic booking history (estimation
 * and one exact branch-and-bound per market), then served to the assembler, as the composition root does.
 */
import { performance } from 'node:perf_hooks';
import type { BenchContext } from '../types';
import { currencyExponent } from '../../../engine/domain/money';
import { rate } from '../types';
import { fixedClock, addDays, isoWeekday, localToUtc } from '../../../engine/domain/time';
import type { Airport, Fare, FlightLeg, InventoryRecord, RbdDefinition } from '../../../engine/domain/types';
import { flightId } from '../../../engine/domain/types';
import { buildBrandProblem, defaultCatalogue, DEFAULT_DYNAMIC_RULES, estimateAncillaries, marketHaul, type AncillaryEstimates } from '../../../engine/bundling';
import { syntheticHistory, type TruthItem } from '../../../engine/bundling/synthetic-history';
import { mulberry32 } from '../../../engine/domain/random';
import { ancillaryPricerFromCatalogue, brandSourceFromOptimiser, createOfferContext, farePricerFromFares, shopOffers, syntheticHubNetwork, type BrandSource, type CurrencyConverter, type TaxRule } from '../../../engine/offers';
import { generateSandboxScenario } from '../../../engine/simulation';

const NOW = '2026-02-20T10:00:00.000Z';
const START = '2026-03-01';

interface NetworkData {
  airports: Airport[]; legs: FlightLeg[]; inventory: InventoryRecord[]; ladder: RbdDefinition[]; fares: Fare[]; taxes: TaxRule[];
  connectionPoints: string[]; ownCarrier: string; days: number; convert?: CurrencyConverter;
}

const TRUTH: TruthItem[] = [
  { code: 'BAG1', basePriceMinor: 3000, wtp: { business: { meanMinor: 3800, scaleMinor: 900 }, leisure: { meanMinor: 2600, scaleMinor: 700 } } },
  { code: 'SEAT_STD', basePriceMinor: 800, wtp: { business: { meanMinor: 1100, scaleMinor: 400 }, leisure: { meanMinor: 500, scaleMinor: 300 } } },
  { code: 'SEAT_XL', basePriceMinor: 2200, wtp: { business: { meanMinor: 2600, scaleMinor: 700 }, leisure: { meanMinor: 1200, scaleMinor: 500 } } },
  { code: 'FLEX_CHG', basePriceMinor: 3500, wtp: { business: { meanMinor: 4500, scaleMinor: 1500 }, leisure: { meanMinor: 1200, scaleMinor: 800 } } },
  { code: 'FLEX_REF', basePriceMinor: 6000, wtp: { business: { meanMinor: 7000, scaleMinor: 2500 }, leisure: { meanMinor: 1500, scaleMinor: 1200 } } },
  { code: 'PRIO', basePriceMinor: 900, wtp: { business: { meanMinor: 1200, scaleMinor: 400 }, leisure: { meanMinor: 400, scaleMinor: 300 } } },
  { code: 'MEAL', basePriceMinor: 900, wtp: { business: { meanMinor: 1000, scaleMinor: 400 }, leisure: { meanMinor: 600, scaleMinor: 300 } } },
];

/** The sandbox scenario as the offer engine's inputs: our flights and codeshares dated, fares, a seeded inventory. */
function sandboxData(days: number): NetworkData {
  const s = generateSandboxScenario({ seed: 1, calendarFromYear: 2026, calendarToYear: 2027 });
  const own = s.carriers.find((c) => c.role === 'own')!.code;
  const tz = new Map(s.airports.map((a) => [a.code, a.timeZone]));
  const rnd = mulberry32(5);
  const ladderSpec = s.ladders.find((l) => l.carrier === own)!;
  const ladder: RbdDefinition[] = [];
  for (const cabin of s.cabins) ladderSpec.rbds.filter((r) => r.cabin === cabin).forEach((r, rank) => ladder.push({ carrier: own, rbd: r.rbd, cabin, rank }));
  const legs: FlightLeg[] = [];
  const inventory: InventoryRecord[] = [];
  for (let d = 0; d < days; d++) {
    const date = addDays(START, d);
    for (const p of s.schedule) {
      const marketed = p.carrier === own ? { carrier: own, flightNumber: p.flightNumber } : p.codeshares?.find((c) => c.carrier === own);
      if (!marketed || !p.daysOfWeek.includes(String(isoWeekday(date)))) continue;
      const leg: FlightLeg = {
        id: flightId(own, marketed.flightNumber, date, p.origin), carrier: own, flightNumber: marketed.flightNumber, origin: p.origin, destination: p.destination, localDate: date,
        departureUtc: localToUtc(date, p.departureLocal, tz.get(p.origin)!), arrivalUtc: localToUtc(addDays(date, p.arrivalDayOffset), p.arrivalLocal, tz.get(p.destination)!),
        ...(p.carrier !== own ? { operatingCarrier: p.carrier, operatingFlightNumber: p.flightNumber } : {}),
        aircraft: p.aircraft, cabins: Object.entries(p.capacity).map(([cabin, capacity]) => ({ cabin, capacity })),
      };
      legs.push(leg);
      const bid = Math.round(rnd() * 8000);
      for (const cabin of s.cabins) {
        const cap = p.capacity[cabin] ?? 0;
        const cls = ladder.filter((r) => r.cabin === cabin);
        cls.forEach((c, i) => inventory.push({ flightId: leg.id, rbd: c.rbd, cabin, sold: Math.floor(rnd() * cap * 0.08), authorised: Math.round(cap * (1 - i / (cls.length + 2))), status: 'open', bidPriceMinor: bid, currency: 'EUR' }));
      }
    }
  }
  const fares: Fare[] = s.fares.filter((f) => f.carrier === own).map((f) => ({
    carrier: f.carrier, origin: f.origin, destination: f.destination, rbd: f.rbd, cabin: ladder.find((r) => r.rbd === f.rbd)!.cabin,
    fareBasis: f.fareBasis ?? `${f.rbd}${f.pointOfSale}`, pointOfSale: f.pointOfSale, currency: f.currency, amountMinor: f.amountMinor, validFrom: START, validTo: addDays(START, days + 2),
  }));
  const hub = s.carriers.find((c) => c.role === 'own')!.hub!;
  // the scenario's opening exchange rates (units per base currency) stand in for the dated feed
  const perBase = (c: string) => (c === s.baseCurrency ? 1 : s.fx.initial[c]);
  const convert: CurrencyConverter = (amountMinor, from, to) => {
    const a = perBase(from); const b = perBase(to);
    if (a === undefined || b === undefined) throw new Error(`no exchange rate for ${from} or ${to} in the sandbox scenario`);
    return (amountMinor / 10 ** currencyExponent(from) / a) * b * 10 ** currencyExponent(to);
  };
  const taxes = syntheticHubNetwork({ seed: 1, spokes: 1, rotationsPerDay: 1, startDate: START, days: 1 }).taxes;
  return { airports: s.airports, legs, inventory, ladder, fares, taxes, connectionPoints: [hub, 'ARN'], ownCarrier: own, days, convert };
}

function syntheticData(days: number): NetworkData {
  const n = syntheticHubNetwork({ seed: 2, spokes: 23, rotationsPerDay: 4, startDate: START, days, codeshareEvery: 5 });
  return { ...n, connectionPoints: [n.hub], ownCarrier: n.ownCarrier, days };
}

async function runOne(ctx: BenchContext, label: string, data: NetworkData, estimates: AncillaryEstimates, requests: number): Promise<void> {
  const catalogue = defaultCatalogue();
  const airports = new Map(data.airports.map((a) => [a.code, a]));
  let brandMarkets = 0;
  const brands: BrandSource = brandSourceFromOptimiser((q) => {
    if (q.currency !== 'EUR') return undefined; // the synthetic history is in EUR: Light only elsewhere
    brandMarkets++;
    return buildBrandProblem({ estimates, catalogue, currency: q.currency, fareMinor: q.fareMinor, market: { origin: q.origin, destination: q.destination, cabin: q.cabin, haul: marketHaul(airports, q.origin, q.destination).band, segmentsPerJourney: q.segmentsPerJourney } }).input;
  });
  let t0 = performance.now();
  let ids = 0;
  const offerCtx = createOfferContext({
    ownerCode: data.ownCarrier, airports: data.airports, legs: data.legs, inventory: data.inventory, ladder: data.ladder,
    priceJourney: farePricerFromFares(data.fares), brands, ancillaries: ancillaryPricerFromCatalogue(catalogue, data.airports, { dynamic: DEFAULT_DYNAMIC_RULES }),
    taxes: data.taxes, convert: data.convert, clock: fixedClock(NOW), newId: () => `O${++ids}`, settings: { connectionPoints: data.connectionPoints },
  });
  const indexMs = performance.now() - t0;

  // random requests over the markets with fares, each sold at one of the market's points of sale
  const rnd = mulberry32(11);
  const markets = new Map<string, Set<string>>();
  for (const f of data.fares) (markets.get(`${f.origin}-${f.destination}`) ?? markets.set(`${f.origin}-${f.destination}`, new Set()).get(`${f.origin}-${f.destination}`)!).add(f.pointOfSale);
  const keys = [...markets.keys()].sort();
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const reqs = Array.from({ length: requests }, () => {
    const [origin, destination] = pick(keys).split('-') as [string, string];
    const ADT = 1 + Math.floor(rnd() * 3);
    // inside the schedule generated, round trips included
    const dep = Math.floor(rnd() * (data.days - 4));
    return {
      origin, destination, departureDate: addDays(START, dep), ...(rnd() < 0.3 ? { returnDate: addDays(START, dep + 1 + Math.floor(rnd() * 3)) } : {}),
      passengers: { ADT, CHD: rnd() < 0.2 ? 1 : 0, INF: rnd() < 0.1 ? 1 : 0 }, pointOfSale: pick([...markets.get(`${origin}-${destination}`)!].sort()),
      ancillaries: rnd() < 0.3 ? ['BAG1'] : [],
    };
  });

  // brand pricing per market happens once (cached); do it before timing the assembler
  t0 = performance.now();
  for (const r of reqs) shopOffers(r, offerCtx);
  const warmMs = performance.now() - t0;

  const lat: number[] = [];
  let offers = 0; let empty = 0;
  t0 = performance.now();
  for (const r of reqs) {
    const s = performance.now();
    const n = shopOffers(r, offerCtx).offers.length;
    lat.push(performance.now() - s);
    offers += n;
    if (n === 0) empty++;
  }
  const ms = performance.now() - t0;
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!.toFixed(2);
  ctx.print(`${label}: ${data.legs.length.toLocaleString('en-US')} legs, ${keys.length} markets with fares; indexes built in ${indexMs.toFixed(0)} ms; first pass ${warmMs.toFixed(0)} ms including the brand pricing of ${brandMarkets} markets (exact branch and bound at 4 rule levels each)`);
  ctx.print(`${label}: offers.assembled  ${rate(offers, ms)} offers/s  (${rate(requests, ms)} requests/s, ${(offers / requests).toFixed(1)} offers/request, ${empty} requests without offers; p50 ${q(0.5)} ms, p95 ${q(0.95)} ms)`);
}

export default async function offersBench(ctx: BenchContext): Promise<void> {
  const days = ctx.quick ? 10 : 30;
  const requests = ctx.quick ? 150 : 2000;
  let t0 = performance.now();
  const h = syntheticHistory({ seed: 7, days: ctx.quick ? 30 : 120, bookingsPerFlight: 40, businessShare: 0.3, items: TRUTH, priceMultipliers: [0.8, 0.9, 1, 1.1, 1.2] });
  const genMs = performance.now() - t0;
  t0 = performance.now();
  const estimates = estimateAncillaries({ bookings: h.bookings, legs: h.legs, airports: h.airports, ladder: h.ladder });
  const estMs = performance.now() - t0;
  ctx.print(`bundling.estimation  ${rate(h.bookings.length, estMs)} bookings/s (${h.bookings.length.toLocaleString('en-US')} bookings in ${estMs.toFixed(0)} ms; history generated in ${genMs.toFixed(0)} ms)`);
  await runOne(ctx, 'synthetic hub network', syntheticData(days), estimates, requests);
  await runOne(ctx, 'sandbox network', sandboxData(days), estimates, requests);
}
