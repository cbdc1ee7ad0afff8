/**
 * Read models of the stored revenue simulations (simulation_runs / simulation_trials, written by
 * `npm run simulate` and the workbench's simulations through engine/whatif/simulation-runs), and the
 * simulation the workbench runs (engine/whatif/jobs).
 */
import type { Database } from 'better-sqlite3';
import type { Handlers } from '../dispatch';
import { conflict, notFound } from '../errors';
import { DEFAULT_SEED, SCENARIO_DEFAULTS } from '../contract/simulations';
import { SimulationBusyError, type SimulationJobs } from '../../whatif/jobs';
import { simulationsContract, type SimulationRunDetail, type SimulationRunSummary } from '../contract/simulations';

interface RunRow {
  id: number; scenario: '3mkt' | 'sandbox'; strategy: string; vs: string; demand: 'low' | 'medium' | 'high'; label: string; trials: number;
  uplift_pct: number | null; uplift_low: number | null; uplift_high: number | null; elapsed_ms: number; created_at: string;
}

const COLUMNS = 'id, scenario, strategy, vs, demand, label, trials, uplift_pct, uplift_low, uplift_high, elapsed_ms, created_at';

function summaryOf(r: RunRow): SimulationRunSummary {
  return {
    id: r.id, scenario: r.scenario, strategy: r.strategy, vs: r.vs, demand: r.demand, label: r.label, trials: r.trials,
    upliftPct: r.uplift_pct, upliftLow: r.uplift_low, upliftHigh: r.uplift_high, elapsedMs: r.elapsed_ms, createdAt: r.created_at,
  };
}

/** Our carrier's revenue in one stored run outcome (JSON of a trial's A or B). */
function ownRevenue(json: string, own: string): number | null {
  const o = JSON.parse(json) as { carriers?: { carrier: string; revenue: number }[] };
  return o.carriers?.find((c) => c.carrier === own)?.revenue ?? null;
}

export function simulationsHandlers(deps: { db: Database; jobs: SimulationJobs }): Handlers<typeof simulationsContract> {
  const { db, jobs } = deps;
  return {
    'simulations.start'(input, ctx) {
      const d = SCENARIO_DEFAULTS[input.scenario];
      try {
        return jobs.start({
          scenario: input.scenario, strategy: input.strategy, vs: input.vs, demand: input.demand,
          trials: input.trials ?? d.trials, samples: input.samples ?? d.samples, burnIn: input.burnIn ?? d.burnIn, seed: input.seed ?? DEFAULT_SEED,
        }, ctx.caller.user);
      } catch (e) {
        if (e instanceof SimulationBusyError) throw conflict(e.message);
        throw e;
      }
    },
    'simulations.job'() {
      return { job: jobs.current() };
    },
    async 'simulations.cancel'(_input, ctx) {
      return { cancelled: await jobs.cancel(ctx.caller.user) };
    },
    'simulations.list'(input) {
      const rows = db.prepare(`SELECT ${COLUMNS} FROM simulation_runs WHERE (@scenario IS NULL OR scenario = @scenario) ORDER BY created_at DESC, id DESC LIMIT @limit`)
        .all({ scenario: input.scenario ?? null, limit: input.limit }) as RunRow[];
      return { runs: rows.map(summaryOf) };
    },
    'simulations.get'(input) {
      const row = db.prepare(`SELECT ${COLUMNS}, options, summary FROM simulation_runs WHERE id = ?`).get(input.id) as (RunRow & { options: string; summary: string }) | undefined;
      if (!row) throw notFound(`simulation run ${input.id}`, 'id');
      const s = JSON.parse(row.summary) as Pick<SimulationRunDetail, 'ownCarrier' | 'currency' | 'demandMultiplier' | 'a' | 'b' | 'uplift'>;
      const trials = db.prepare('SELECT trial, seed, uplift_pct, a, b FROM simulation_trials WHERE run_id = ? ORDER BY trial').all(input.id) as { trial: number; seed: number; uplift_pct: number | null; a: string; b: string }[];
      return {
        ...summaryOf(row),
        options: JSON.parse(row.options) as SimulationRunDetail['options'],
        ownCarrier: s.ownCarrier, currency: s.currency, demandMultiplier: s.demandMultiplier, a: s.a, b: s.b, uplift: s.uplift,
        perTrial: trials.map((t) => ({ trial: t.trial, seed: t.seed, upliftPct: t.uplift_pct, revenueA: ownRevenue(t.a, s.ownCarrier), revenueB: ownRevenue(t.b, s.ownCarrier) })),
      };
    },
  };
}
