/**
 * The revenue simulation (issue 10): two RM strategies for our carrier on the same random draws, the
 * other carriers keeping their scenario's system (PODS system E), trial after trial.
 *
 * A trial is one seed: the market is played from its first day with strategy A and again with
 * strategy B. Demand never depends on prices or controls and every passenger draws from a stream of
 * its own, so both runs meet exactly the same passengers (paired comparison). Each run plays a
 * burn-in (so forecasts have history; the first sale horizon also opens with partial demand) and then
 * `samples` departure days, which are measured: revenue, passengers, load factor, yield and average
 * fare per carrier and in total, our fare mix and booking curve. The uplift of A over B is computed
 * per trial on our carrier's revenue and summarised by its mean and a paired Student t interval.
 */
import { DEFAULT_SEED, SCENARIO_DEFAULTS, type DemandLevel, type ScenarioName, type SimulationOutcome } from '../api/contract/simulations';
import { addDays, dateFromDayNumber, dayNumber } from '../domain/time';
import { createSandboxMarket, createThreeMktMarket, OWN_CARRIER, type CarrierResult, type SimulatedMarket } from '../simulation';
import { pairedInterval, type Interval } from './stats';
import { createStrategy, type StrategyName, type StrategyAssumptions } from './strategies';

export type { ScenarioName, DemandLevel };

/**
 * Demand levels as multipliers of the scenario's own demand: medium is the scenario as published
 * (3MKT: the file's demand_multiplier; the sandbox: legs' expected demand 1.02–1.18 × seats).
 */
export const DEMAND_MULTIPLIERS: Readonly<Record<DemandLevel, number>> = { low: 0.8, medium: 1.0, high: 1.2 };

export interface ExperimentOptions {
  scenario: ScenarioName;
  /** strategy A (measured) and B (the baseline) */
  strategy: StrategyName;
  vs: StrategyName;
  trials: number;
  demand: DemandLevel;
  /** seed of the first trial; trial i uses seed + i */
  seed: number;
  /** measured departure days per trial */
  samples: number;
  /** days played before the measured departures */
  burnIn: number;
  /** starting assumptions of the `dynamic` strategy relative to its defaults (robustness runs) */
  assumptions?: StrategyAssumptions;
  /** sandbox only: routes of the hub network (default the sandbox's 24) */
  routes?: number;
}

export const DEFAULT_EXPERIMENT: Omit<ExperimentOptions, 'strategy' | 'vs'> = { scenario: '3mkt', demand: 'medium', seed: DEFAULT_SEED, ...SCENARIO_DEFAULTS['3mkt'] };

/** Outcome of one carrier (or the total) over the measured departures: the API's SimulationOutcome. */
export type CarrierOutcome = SimulationOutcome;

export interface RunOutcome {
  strategy: StrategyName;
  carriers: CarrierOutcome[];
  total: CarrierOutcome;
  /** our carrier: seats sold by class, and mean cumulative bookings per departure at each DCP */
  fareMix: { rbd: string; cabin: string; seats: number; share: number }[];
  bookingCurve: { dcp: number; bookings: number }[];
  elapsedMs: number;
}

export interface TrialResult {
  trial: number;
  seed: number;
  a: RunOutcome;
  b: RunOutcome;
  /** 100 · (A − B) / B on our carrier's revenue */
  upliftPct: number;
}

export interface ExperimentSummary {
  ownCarrier: string;
  currency: string;
  demandMultiplier: number;
  /** means over trials of each carrier's (and the total's) outcome per strategy */
  a: { carriers: CarrierOutcome[]; total: CarrierOutcome; fareMix: RunOutcome['fareMix']; bookingCurve: RunOutcome['bookingCurve'] };
  b: { carriers: CarrierOutcome[]; total: CarrierOutcome; fareMix: RunOutcome['fareMix']; bookingCurve: RunOutcome['bookingCurve'] };
  /** uplift of A over B in percent on our carrier's revenue, paired across trials, 95 % interval */
  uplift: Interval;
}

export interface ExperimentResult {
  options: ExperimentOptions;
  trials: TrialResult[];
  summary: ExperimentSummary;
  elapsedMs: number;
}

/** Validates options and names the field at fault. */
export function checkExperimentOptions(o: ExperimentOptions): void {
  const whole = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new RangeError(`simulation: ${name} must be a whole number >= ${min}, got ${v}`);
  };
  whole('trials', o.trials, 1);
  whole('samples', o.samples, 1);
  whole('burnIn', o.burnIn, 0);
  whole('seed', o.seed, 0);
  if (!(o.demand in DEMAND_MULTIPLIERS)) throw new RangeError(`simulation: demand must be low, medium or high, got "${o.demand}"`);
  if (o.scenario !== '3mkt' && o.scenario !== 'sandbox') throw new RangeError(`simulation: scenario must be 3mkt or sandbox, got "${o.scenario}"`);
  if (o.routes !== undefined) whole('routes', o.routes, 12);
}

/** The sandbox's measured departures end the day before this fixed "today" (a Monday). */
const SANDBOX_TODAY = '2026-03-02';
const THREE_MKT_START = '2025-01-01';

interface BuiltMarket { market: SimulatedMarket; own: string; from: string; to: string }

async function buildMarket(o: ExperimentOptions, seed: number, strategy: StrategyName): Promise<BuiltMarket> {
  const demandMultiplier = DEMAND_MULTIPLIERS[o.demand];
  if (o.scenario === '3mkt') {
    const own = 'AL1';
    const controller = createStrategy(strategy, { assumptions: o.assumptions });
    const market = createThreeMktMarket({ seed, startDate: THREE_MKT_START, demandMultiplier, ownCarrier: own, controllers: { [own]: controller }, record: 'none' });
    const from = addDays(THREE_MKT_START, o.burnIn);
    const to = addDays(from, o.samples - 1);
    // play until every measured departure has flown
    market.advanceTo(`${addDays(to, 2)}T00:00:00Z`);
    return { market, own, from, to };
  }
  const own = OWN_CARRIER;
  const controller = createStrategy(strategy, { assumptions: o.assumptions });
  // the sandbox factory plays burn-in (its sale horizon plus `burnInDays`) and `historyDays` of departures before today
  const market = createSandboxMarket({ seed, today: SANDBOX_TODAY, historyDays: o.samples, burnInDays: o.burnIn, routes: o.routes, demandMultiplier, controllers: { [own]: controller }, record: 'none' });
  const to = addDays(SANDBOX_TODAY, -1);
  return { market, own, from: addDays(SANDBOX_TODAY, -o.samples), to };
}

function outcome(r: CarrierResult): CarrierOutcome {
  return { carrier: r.carrier, revenue: r.revenue, passengers: r.passengers, seats: r.seats, seatsSold: r.seatsSold, loadFactor: r.loadFactor, yield: r.yield, averageFare: r.averageFare };
}

/** The network total: sums, with load factor, yield and average fare recomputed from them. */
export function totalOutcome(rs: readonly CarrierResult[]): CarrierOutcome {
  let revenue = 0; let passengers = 0; let seats = 0; let sold = 0; let legRevenue = 0; let rpk = 0;
  for (const r of rs) {
    revenue += r.revenue; passengers += r.passengers; seats += r.seats; sold += r.seatsSold;
    legRevenue += r.yield * r.rpk; rpk += r.rpk;
  }
  return { carrier: 'total', revenue, passengers, seats, seatsSold: sold, loadFactor: seats ? sold / seats : 0, yield: rpk ? legRevenue / rpk : 0, averageFare: passengers ? revenue / passengers : 0 };
}

/** Plays one strategy for one trial (in this thread, or in a trial pool's worker). */
export type RunOne = (o: ExperimentOptions, seed: number, strategy: StrategyName) => Promise<RunOutcome & { currency: string; own: string }>;

/** Plays one strategy for one trial. */
export async function runOne(o: ExperimentOptions, seed: number, strategy: StrategyName): Promise<RunOutcome & { currency: string; own: string }> {
  const t0 = performance.now();
  const { market, own, from, to } = await buildMarket(o, seed, strategy);
  const rs = market.results({ from, to });
  return {
    strategy,
    carriers: rs.map(outcome),
    total: totalOutcome(rs),
    fareMix: market.fareMix({ carrier: own, from, to }),
    bookingCurve: market.bookingCurve({ carrier: own, from, to }),
    elapsedMs: performance.now() - t0,
    currency: market.spec.baseCurrency,
    own,
  };
}

function averageOutcomes(list: readonly CarrierOutcome[]): CarrierOutcome {
  const n = list.length;
  const avg = (f: (c: CarrierOutcome) => number) => list.reduce((a, c) => a + f(c), 0) / n;
  return {
    carrier: list[0]!.carrier, revenue: avg((c) => c.revenue), passengers: avg((c) => c.passengers), seats: avg((c) => c.seats), seatsSold: avg((c) => c.seatsSold),
    loadFactor: avg((c) => c.loadFactor), yield: avg((c) => c.yield), averageFare: avg((c) => c.averageFare),
  };
}

function averageRuns(runs: readonly RunOutcome[]): ExperimentSummary['a'] {
  const first = runs[0]!;
  const mixSeats = first.fareMix.map((_, i) => runs.reduce((a, r) => a + r.fareMix[i]!.seats, 0) / runs.length);
  const mixTotal = mixSeats.reduce((a, b) => a + b, 0);
  return {
    carriers: first.carriers.map((_, i) => averageOutcomes(runs.map((r) => r.carriers[i]!))),
    total: averageOutcomes(runs.map((r) => r.total)),
    fareMix: first.fareMix.map((m, i) => ({ rbd: m.rbd, cabin: m.cabin, seats: mixSeats[i]!, share: mixTotal ? mixSeats[i]! / mixTotal : 0 })),
    bookingCurve: first.bookingCurve.map((p, i) => ({ dcp: p.dcp, bookings: runs.reduce((a, r) => a + r.bookingCurve[i]!.bookings, 0) / runs.length })),
  };
}

/**
 * Runs the experiment. `onTrial` sees each trial as it completes, in trial order (progress); the result
 * holds every trial and the summary. `run` plays one run (default: here, one after the other); with a
 * trial pool's, `parallel` runs are played at once, and the result is the same.
 */
export async function runExperiment(o: ExperimentOptions, onTrial?: (t: TrialResult, done: number) => void, run: RunOne = runOne, parallel = 1): Promise<ExperimentResult> {
  checkExperimentOptions(o);
  const t0 = performance.now();
  const trials: TrialResult[] = [];
  let currency = '';
  let own = '';
  // the runs in order (trial i: A then B), `parallel` at a time; trials are reported in order as they complete
  const jobs = Array.from({ length: o.trials * 2 }, (_, j) => ({ seed: o.seed + (j >> 1), strategy: j % 2 === 0 ? o.strategy : o.vs }));
  const runs: Promise<Awaited<ReturnType<RunOne>>>[] = [];
  let started = 0;
  const startNext = (): void => {
    const j = started++;
    const p = run(o, jobs[j]!.seed, jobs[j]!.strategy);
    runs[j] = p;
    // when a run ends, the next one starts (errors surface where the run is awaited below)
    p.then(() => { if (started < jobs.length) startNext(); }, () => {});
  };
  for (let j = 0; j < Math.min(Math.max(1, parallel), jobs.length); j++) startNext();
  for (let i = 0; i < o.trials; i++) {
    const seed = o.seed + i;
    const a = await runs[2 * i]!;
    const b = await runs[2 * i + 1]!;
    currency = a.currency;
    own = a.own;
    const revA = a.carriers.find((c) => c.carrier === own)!.revenue;
    const revB = b.carriers.find((c) => c.carrier === own)!.revenue;
    const strip = ({ currency: _c, own: _o, ...r }: RunOutcome & { currency: string; own: string }): RunOutcome => r;
    const t: TrialResult = { trial: i, seed, a: strip(a), b: strip(b), upliftPct: revB > 0 ? (100 * (revA - revB)) / revB : NaN };
    trials.push(t);
    onTrial?.(t, i + 1);
  }
  const summary: ExperimentSummary = {
    ownCarrier: own,
    currency,
    demandMultiplier: DEMAND_MULTIPLIERS[o.demand],
    a: averageRuns(trials.map((t) => t.a)),
    b: averageRuns(trials.map((t) => t.b)),
    uplift: pairedInterval(trials.map((t) => t.upliftPct)),
  };
  return { options: o, trials, summary, elapsedMs: performance.now() - t0 };
}

/** The measured journey-date range of an experiment's options, for display. */
export function measuredRange(o: Pick<ExperimentOptions, 'scenario' | 'burnIn' | 'samples'>): { from: string; to: string } {
  if (o.scenario === '3mkt') {
    const from = addDays(THREE_MKT_START, o.burnIn);
    return { from, to: addDays(from, o.samples - 1) };
  }
  return { from: dateFromDayNumber(dayNumber(SANDBOX_TODAY) - o.samples), to: addDays(SANDBOX_TODAY, -1) };
}
