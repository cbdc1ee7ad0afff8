/**
 * Revenue simulations started from the workbench (the API's `simulations.start`), as `npm run simulate`
 * runs them: the runs of the experiment in worker threads (trial-pool.ts, so the host keeps serving), each
 * trial reported as it completes, the result stored in this data folder (simulation-runs.ts) where the
 * Simulations screen lists it. One simulation at a time per host; cancelling stops its workers and stores
 * nothing.
 */
import type { Database } from 'better-sqlite3';
import os from 'node:os';
import { runExperiment, type ExperimentOptions, type RunOne } from './experiment';
import { saveSimulationRun } from './simulation-runs';
import { createTrialPool, type TrialPool } from './trial-pool';
import type { SimulationJob } from '../api/contract/simulations';

export type { SimulationJob };

export interface SimulationJobsOptions {
  db: Database;
  now: () => string;
  /** each change of the job (started, a trial done, ended) */
  onChange?: (job: SimulationJob) => void;
  /** worker threads for the runs (default: the cores less one for the host, at least one) */
  threads?: number;
  /** plays one run (tests); default: the trial pool's workers */
  pool?: (size: number) => TrialPool;
}

export class SimulationBusyError extends Error {}

export class SimulationJobs {
  private job: SimulationJob | null = null;
  private pool: TrialPool | null = null;
  private running: Promise<void> | null = null;
  private nextId = 1;

  constructor(private readonly o: SimulationJobsOptions) {}

  /** The running simulation, else the last one this host ran (null: none since it started). */
  current(): SimulationJob | null {
    return this.job ? { ...this.job } : null;
  }

  /** Starts a simulation; throws SimulationBusyError while one runs. The options are checked before anything starts. */
  start(options: ExperimentOptions, startedBy: string): SimulationJob {
    if (this.job?.state === 'running') {
      throw new SimulationBusyError(`a simulation is running (started by ${this.job.startedBy} at ${this.job.startedAt}, ${this.job.done} of ${this.job.options.trials} trials done): wait for it or cancel it`);
    }
    const size = Math.max(1, Math.min(this.o.threads ?? os.availableParallelism() - 1, options.trials * 2));
    const pool = (this.o.pool ?? createTrialPool)(size);
    const job: SimulationJob = {
      id: this.nextId++, options: { ...options }, startedBy, startedAt: this.o.now(), state: 'running', done: 0, last: null, runId: null, upliftPct: null, error: null, endedAt: null,
    };
    this.job = job;
    this.pool = pool;
    this.changed();
    const run: RunOne = pool.run;
    this.running = runExperiment(options, (t, done) => {
      if (this.job !== job || job.state !== 'running') return;
      job.done = done;
      job.last = `trial ${done}/${options.trials} (seed ${t.seed}): uplift ${Number.isFinite(t.upliftPct) ? `${t.upliftPct >= 0 ? '+' : ''}${t.upliftPct.toFixed(2)} %` : 'n/a'}`;
      this.changed();
    }, run, pool.size).then((result) => {
      if (job.state !== 'running') return; // cancelled meanwhile
      job.runId = saveSimulationRun(this.o.db, result, this.o.now(), `started in the workbench by ${startedBy}`);
      job.upliftPct = Number.isFinite(result.summary.uplift.mean) ? result.summary.uplift.mean : null;
      job.state = 'done';
    }, (e: unknown) => {
      if (job.state !== 'running') return;
      job.state = 'failed';
      job.error = e instanceof Error ? e.message : String(e);
    }).finally(async () => {
      job.endedAt ??= this.o.now();
      if (this.pool === pool) this.pool = null;
      await pool.close().catch(() => {});
      this.changed();
    });
    return { ...job };
  }

  /** Cancels the running simulation (its workers stop; nothing is stored); false when none runs. */
  async cancel(by: string): Promise<boolean> {
    const job = this.job;
    if (!job || job.state !== 'running') return false;
    job.state = 'cancelled';
    job.error = `cancelled by ${by}`;
    job.endedAt = this.o.now();
    await this.pool?.close().catch(() => {});
    await this.running?.catch(() => {});
    return true;
  }

  /** Until the running simulation has ended (tests, shutdown). */
  async settled(): Promise<void> {
    await this.running?.catch(() => {});
  }

  async close(): Promise<void> {
    await this.cancel('the host closing');
  }

  private changed(): void {
    if (this.job) this.o.onChange?.({ ...this.job });
  }
}
