/**
 * Revenue simulations (issue 10): the experiments `npm run simulate` ran and stored — two RM
 * strategies for our carrier on the same random draws, paired across trials — for the workbench's
 * Simulations screen, which can also start one (`simulations.start`: one at a time per host, in worker
 * threads, with its progress as `simulation.progress` events; the command's options and defaults).
 */
import { z } from 'zod';
import { method } from './define';

// The revenue simulation's choices and defaults, shared by `npm run simulate` (engine/whatif/cli.ts), the workbench's
// simulations (engine/whatif/jobs.ts, simulations.start) and the screen that starts them.
export const STRATEGIES = ['fcfs', 'E', 'dynamic'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export const SCENARIOS = ['3mkt', 'sandbox'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export const DEMAND_LEVELS = ['low', 'medium', 'high'] as const;
export type DemandLevel = (typeof DEMAND_LEVELS)[number];

/** seed of the first trial when none is given */
export const DEFAULT_SEED = 1000;

/** Trials, measured departure days and burn-in days per scenario: the hub network costs ~100× a 3MKT day, so fewer, shorter trials. */
export const SCENARIO_DEFAULTS: Readonly<Record<ScenarioName, { trials: number; samples: number; burnIn: number }>> = {
  '3mkt': { trials: 20, samples: 200, burnIn: 120 },
  sandbox: { trials: 3, samples: 60, burnIn: 35 },
};

/** A simulation started from the workbench (engine/whatif/jobs.ts). */
export interface SimulationJob {
  id: number;
  options: { scenario: ScenarioName; strategy: StrategyName; vs: StrategyName; trials: number; demand: DemandLevel; seed: number; samples: number; burnIn: number };
  startedBy: string;
  startedAt: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  /** trials completed */
  done: number;
  /** the last trial completed, in words */
  last: string | null;
  /** the stored run, once done (simulations.get) */
  runId: number | null;
  upliftPct: number | null;
  error: string | null;
  endedAt: string | null;
}

/** One carrier's (or the network total's) outcome over the measured departures, mean per trial. */
export interface SimulationOutcome {
  carrier: string;
  /** base currency of the scenario, major units */
  revenue: number;
  passengers: number;
  seats: number;
  seatsSold: number;
  loadFactor: number;
  /** revenue per revenue passenger-km of the operated legs */
  yield: number;
  averageFare: number;
}

export interface SimulationStrategySummary {
  carriers: SimulationOutcome[];
  total: SimulationOutcome;
  /** our carrier: seats sold by class */
  fareMix: { rbd: string; cabin: string; seats: number; share: number }[];
  /** our carrier: mean cumulative net bookings per departure at each DCP (days before departure) */
  bookingCurve: { dcp: number; bookings: number }[];
}

export interface SimulationInterval {
  mean: number | null;
  sd: number | null;
  n: number;
  low: number | null;
  high: number | null;
  level: number;
}

export interface SimulationRunSummary {
  id: number;
  scenario: '3mkt' | 'sandbox';
  /** strategy A (measured) and B (the baseline) */
  strategy: string;
  vs: string;
  demand: 'low' | 'medium' | 'high';
  /** e.g. "robustness: Frat5 sell-up ×0.7"; empty for a main run */
  label: string;
  trials: number;
  /** uplift of A over B on our carrier's revenue, percent, with its 95 % interval (null with one trial) */
  upliftPct: number | null;
  upliftLow: number | null;
  upliftHigh: number | null;
  elapsedMs: number;
  createdAt: string;
}

export interface SimulationRunDetail extends SimulationRunSummary {
  options: { seed: number; samples: number; burnIn: number; assumptions?: { frat5Scale?: number } } & Record<string, unknown>;
  ownCarrier: string;
  currency: string;
  demandMultiplier: number;
  a: SimulationStrategySummary;
  b: SimulationStrategySummary;
  uplift: SimulationInterval;
  perTrial: { trial: number; seed: number; upliftPct: number | null; revenueA: number | null; revenueB: number | null }[];
}

export const simulationsContract = {
  'simulations.list': method<{ runs: SimulationRunSummary[] }>()({
    description: 'Stored revenue simulations (npm run simulate), newest first: strategies, scenario, demand, trials and the uplift with its interval.',
    access: 'read',
    input: z.object({
      scenario: z.enum(['3mkt', 'sandbox']).optional(),
      limit: z.number().int().min(1).max(1_000).default(100),
    }).strict(),
  }),
  'simulations.get': method<SimulationRunDetail>()({
    description: 'One stored revenue simulation: per carrier and total for both strategies, our fare mix and booking curve, the uplift per trial and overall.',
    access: 'read',
    input: z.object({ id: z.number().int().positive() }).strict(),
  }),
  'simulations.start': method<SimulationJob>()({
    description: 'Starts a revenue simulation as `npm run simulate` runs it (strategy A against B for our carrier on the same draws; trials, measured days and burn-in default per scenario), in worker threads; it is stored when done. One at a time per host: a second is refused while one runs.',
    access: 'read',
    writes: ['simulation_runs'],
    input: z.object({
      scenario: z.enum(SCENARIOS).default('3mkt'),
      strategy: z.enum(STRATEGIES),
      vs: z.enum(STRATEGIES),
      demand: z.enum(DEMAND_LEVELS).default('medium'),
      trials: z.number().int().min(1).max(200).optional(),
      seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
      samples: z.number().int().min(1).max(2_000).optional(),
      burnIn: z.number().int().min(0).max(2_000).optional(),
    }).strict().refine((x) => x.strategy !== x.vs, { message: 'the two strategies must differ', path: ['vs'] }),
  }),
  'simulations.job': method<{ job: SimulationJob | null }>()({
    description: 'The simulation this host is running, else the last one it ran since it started (null: none).',
    access: 'read',
    input: z.object({}).strict(),
  }),
  'simulations.cancel': method<{ cancelled: boolean }>()({
    description: 'Cancels the running simulation: its workers stop and nothing is stored.',
    access: 'read',
    writes: ['simulation_runs'],
    input: z.object({}).strict(),
  }),
};
