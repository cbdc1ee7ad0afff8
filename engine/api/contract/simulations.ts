/**
 * Revenue simulations (issue 10): the experiments `npm run simulate` ran and stored — two RM
 * strategies for our carrier on the same random draws, paired across trials — for the workbench's
 * Simulations screen. Read-only: runs are made by the command, not through the API.
 */
import { z } from 'zod';
import { method } from './define';

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
};
