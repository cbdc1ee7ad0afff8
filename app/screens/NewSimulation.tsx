/**
 * Starts a revenue simulation from the workbench (`simulations.start`, as `npm run simulate` runs it) and
 * follows it: each trial as it completes, cancel, and the stored run when it ends.
 */
import { useState } from 'react';
import type { ApiInput, SimulationJob } from '../../engine/api/contract';
import { DEFAULT_SEED, DEMAND_LEVELS, SCENARIO_DEFAULTS, STRATEGIES, type DemandLevel, type ScenarioName, type StrategyName } from '../../engine/api/contract/simulations';
import { call } from '../api/client';
import { useApi, useApiEvents } from '../api/hooks';
import { ErrorNote } from '../components/States';
import { Progress } from '../components/Progress';
import { formatSignedPct } from '../components/format';

interface Form { scenario: ScenarioName; strategy: StrategyName; vs: StrategyName; demand: DemandLevel; trials: string; seed: string; samples: string; burnIn: string }

const whole = (s: string, min: number) => (/^\d+$/.test(s.trim()) && Number(s) >= min ? Number(s) : null);

/** The form's request, or what is wrong with it. */
export function simulationRequest(f: Form): { ok: true; input: ApiInput<'simulations.start'> } | { ok: false; message: string } {
  if (f.strategy === f.vs) return { ok: false, message: 'Choose two different strategies.' };
  const input: ApiInput<'simulations.start'> = { scenario: f.scenario, strategy: f.strategy, vs: f.vs, demand: f.demand };
  const fields: [k: 'trials' | 'seed' | 'samples' | 'burnIn', label: string, min: number][] = [['trials', 'Trials', 1], ['seed', 'Seed', 0], ['samples', 'Measured days', 1], ['burnIn', 'Burn-in days', 0]];
  for (const [k, label, min] of fields) {
    if (f[k].trim() === '') continue; // the scenario's default
    const n = whole(f[k], min);
    if (n === null) return { ok: false, message: `${label} must be a whole number of at least ${min}.` };
    input[k] = n;
  }
  return { ok: true, input };
}

export function NewSimulation({ onStored }: { onStored: (runId: number) => void }) {
  const [f, setF] = useState<Form>({ scenario: '3mkt', strategy: 'dynamic', vs: 'E', demand: 'medium', trials: '', seed: '', samples: '', burnIn: '' });
  const [error, setError] = useState<Error | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const q = useApi('simulations.job', {});
  const [live, setLive] = useState<SimulationJob | null>(null);
  useApiEvents((m) => {
    if (m.name !== 'simulation.progress') return;
    setLive(m.payload);
    if (m.payload.state === 'done' && m.payload.runId !== null) onStored(m.payload.runId);
    if (m.payload.state !== 'running') setCancelling(false);
  });
  const job = live && (!q.data?.job || live.id >= q.data.job.id) ? live : q.data?.job ?? null;
  const running = job?.state === 'running';
  const d = SCENARIO_DEFAULTS[f.scenario];
  const req = simulationRequest(f);
  const set = (k: keyof Form) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const start = async () => {
    if (!req.ok) return;
    setError(null);
    try {
      setLive(await call('simulations.start', req.input));
    } catch (e) {
      setError(e as Error);
    }
  };
  const cancel = async () => {
    setCancelling(true);
    try { await call('simulations.cancel', {}); } catch (e) { setError(e as Error); setCancelling(false); }
  };
  return (
    <section className="card" aria-label="New simulation" data-testid="new-simulation">
      <header><h2>New simulation</h2><span className="muted small">strategy A against B for our carrier, on the same random draws, paired across trials</span></header>
      <form className="filter-bar" onSubmit={(e) => { e.preventDefault(); void start(); }}>
        <label>Scenario <select value={f.scenario} onChange={set('scenario')} data-testid="sim-scenario"><option value="3mkt">3MKT</option><option value="sandbox">sandbox network</option></select></label>
        <label>Strategy <select value={f.strategy} onChange={set('strategy')} data-testid="sim-strategy">{STRATEGIES.map((s) => <option key={s} value={s}>{s}</option>)}</select></label>
        <label>against <select value={f.vs} onChange={set('vs')} data-testid="sim-vs">{STRATEGIES.map((s) => <option key={s} value={s}>{s}</option>)}</select></label>
        <label>Demand <select value={f.demand} onChange={set('demand')} data-testid="sim-demand">{DEMAND_LEVELS.map((s) => <option key={s} value={s}>{s}</option>)}</select></label>
        <label>Trials <input className="narrow" inputMode="numeric" placeholder={String(d.trials)} value={f.trials} onChange={set('trials')} data-testid="sim-trials" /></label>
        <label>Seed <input className="narrow" inputMode="numeric" placeholder={String(DEFAULT_SEED)} value={f.seed} onChange={set('seed')} data-testid="sim-seed" /></label>
        <label>Measured days <input className="narrow" inputMode="numeric" placeholder={String(d.samples)} value={f.samples} onChange={set('samples')} data-testid="sim-samples" /></label>
        <label>Burn-in days <input className="narrow" inputMode="numeric" placeholder={String(d.burnIn)} value={f.burnIn} onChange={set('burnIn')} data-testid="sim-burn-in" /></label>
        <button type="submit" className="primary" disabled={!req.ok || running} title={!req.ok ? req.message : running ? 'a simulation is running' : undefined} data-testid="sim-start">Run simulation</button>
      </form>
      {!req.ok && <p className="error-text small" data-testid="sim-invalid">{req.message}</p>}
      {error && <ErrorNote error={error} />}
      {job && running && (
        <Progress testId="sim-progress" label={`Simulation ${job.id} (${job.options.strategy} against ${job.options.vs}, ${job.options.scenario}): ${job.done} of ${job.options.trials} trials${job.last ? ` · ${job.last}` : ''}`}
          value={job.done} max={job.options.trials} onCancel={() => void cancel()} cancelling={cancelling} />
      )}
      {job && !running && (
        <p className={job.state === 'done' ? 'ok-text small' : 'error-text small'} role="status" data-testid="sim-status">
          Simulation {job.id} {job.state === 'done' ? `done: run ${job.runId} stored, uplift ${job.upliftPct === null ? 'n/a' : formatSignedPct(job.upliftPct, 2)}` : `${job.state}: ${job.error ?? ''}`}
        </p>
      )}
    </section>
  );
}
