/**
 * Forecast accuracy against the market simulator's true demand, for the accuracy test and the engines
 * benchmark (a test helper: only tests and benchmarks import engine/simulation; the engines never do).
 *
 * For the busiest markets of the seeded sandbox network, the demand observed for each departure date
 * is drawn (Poisson) around the simulator's realised demand per DCP period; the forecaster sees only
 * those observations, chooses its method by backtest on the history, and forecasts the held-out
 * departures from several DCPs with only what was known then. Its WAPE against the simulator's true
 * (realised) demand to come is compared with the naive forecast "same as last year" (the demand
 * observed for the departure 364 days earlier over the same periods).
 */
import { addDays, dayNumber } from '../../domain/time';
import { generateSandboxScenario, MarketSimulator, SANDBOX_DCPS, trueDemand } from '../../simulation';
import { AccuracyAccumulator, backtestKey } from '../backtest';
import { normaliseDcps } from '../dcp';
import { emptyKeyForecast, forecastKey, prepareKey, FORECAST_METHODS, type ForecastMethod } from '../forecast';
import { HistoryBuilder } from '../history';
import { seededRng } from '../rng';

export interface TruthAccuracyOptions {
  seed?: number;
  /** markets (the busiest by true demand) */
  markets?: number;
  /** held-out departure days at the end */
  holdoutDays?: number;
}

export interface TruthAccuracy {
  markets: string[];
  chosenByMarket: Record<string, ForecastMethod>;
  /** forecasts scored (departure × forecast point) */
  cells: number;
  chosenWape: number;
  naiveWape: number;
}

const FIRST = '2024-01-01';

export function accuracyAgainstTruth(o: TruthAccuracyOptions = {}): TruthAccuracy {
  const SEED = o.seed ?? 5;
  const holdoutDays = o.holdoutDays ?? 14;
  const DAYS = 380 + holdoutDays;
  const HOLDOUT_FROM = addDays(FIRST, 380);
  const spec = generateSandboxScenario({ seed: SEED, dcps: SANDBOX_DCPS, saleOpensDays: 150, calendarFromYear: 2023, calendarToYear: 2026 });
  const sim = new MarketSimulator(spec, { seed: SEED, startDate: FIRST, record: 'none', shopping: false });
  const dcps = normaliseDcps(sim.net.dcps);
  const P = dcps.length;
  const markets = spec.markets.map((d) => `${d.origin}-${d.destination}`);
  // the busiest markets by true demand on the first day
  const busiest = markets.map((m) => {
    const [origin, destination] = m.split('-') as [string, string];
    return { origin, destination, total: trueDemand(sim, { origin, destination, date: FIRST }).segments.reduce((a, s) => a + s.expectedTotal, 0) };
  }).sort((a, b) => b.total - a.total).slice(0, o.markets ?? 3);
  const rng = seededRng(SEED);
  const holdoutDay = dayNumber(HOLDOUT_FROM);
  const points = [3, 7, 11].filter((k) => k < P);
  const chosenByMarket: Record<string, ForecastMethod> = {};
  let absChosen = 0; let absNaive = 0; let truthSum = 0; let cells = 0;
  for (const m of busiest) {
    const days: number[] = [];
    const observed: number[][] = [];
    const truth: number[][] = [];
    for (let i = 0; i < DAYS; i++) {
      const date = addDays(FIRST, i);
      const t = trueDemand(sim, { origin: m.origin, destination: m.destination, date });
      const realised = Array.from({ length: P }, (_, k) => t.segments.reduce((a, s) => a + (s.realised[k] ?? 0), 0));
      days.push(dayNumber(date));
      truth.push(realised);
      observed.push(realised.map((x) => rng.poisson(x)));
    }
    // choose the method by backtest on the history before the hold-out
    const hb = new HistoryBuilder(P);
    days.forEach((d, i) => { if (d < holdoutDay) hb.add(d, observed[i]!); });
    const acc = new AccuracyAccumulator(dcps);
    backtestKey(hb.build(), { dcps, holdout: 10, points, naive: false }, acc);
    const chosen = acc.best(FORECAST_METHODS)!;
    chosenByMarket[`${m.origin}-${m.destination}`] = chosen;
    // forecast each held-out departure from each point with what was known then
    const out = emptyKeyForecast();
    const byDay = new Map(days.map((d, i) => [d, i]));
    for (let i = 0; i < DAYS; i++) {
      if (days[i]! < holdoutDay) continue;
      const lastYear = byDay.get(days[i]! - 364);
      if (lastYear === undefined) continue;
      for (const k of points) {
        const asOf = days[i]! - dcps[k - 1]!;
        const known = new HistoryBuilder(P);
        days.forEach((d, e) => {
          if (e === i) return;
          known.add(d, observed[e]!.map((x, p) => (d - dcps[p]! <= asOf ? x : NaN)));
        });
        const onHand = observed[i]!.slice(0, k).reduce((a, b) => a + b, 0);
        forecastKey(prepareKey(known.build()), chosen, days[i]!, k, onHand, out);
        const target = truth[i]!.slice(k).reduce((a, b) => a + b, 0);
        const naive = observed[lastYear]!.slice(k).reduce((a, b) => a + b, 0);
        absChosen += Math.abs(out.mean - target);
        absNaive += Math.abs(naive - target);
        truthSum += target;
        cells++;
      }
    }
  }
  return { markets: busiest.map((m) => `${m.origin}-${m.destination}`), chosenByMarket, cells, chosenWape: absChosen / truthSum, naiveWape: absNaive / truthSum };
}

