/**
 * The cycle (sync → forecast, optimise and price → auto-approve → push) started from the workbench:
 * a dialog to choose its steps, markets and dry run; its progress wherever you are, with cancel.
 */
import { useState } from 'react';
import type { CycleProgressEvent, CycleRunRow } from '../../../engine/api/contract';
import { call } from '../../api/client';
import { useSession, needsRole } from '../../api/session';
import { useUi } from '../../state/ui';
import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/States';
import { Progress } from '../../components/Progress';

const STEP_LABEL: Record<CycleProgressEvent['step'], string> = {
  sync: 'syncing feeds', curves: 'booking curves', price: 'forecasting and pricing', network: 'network bid prices',
  proposals: 'proposals', approve: 'auto-approval', push: 'pushing to the PSS',
};

export function cycleProgressLabel(p: CycleProgressEvent): string {
  return `Cycle ${p.runId}: ${STEP_LABEL[p.step]}${p.total ? ` ${p.done ?? 0}/${p.total}` : ''} — ${p.message}`;
}

/** The running cycle's progress with its cancel button (nothing when none runs). */
export function CycleProgressBar() {
  const p = useUi((s) => s.cycle);
  const [cancelling, setCancelling] = useState(false);
  if (!p) return null;
  const cancel = async () => {
    setCancelling(true);
    try { await call('cycle.cancel', { runId: p.runId }); } finally { setCancelling(false); }
  };
  return <Progress testId="cycle-progress" label={cycleProgressLabel(p)} value={p.done ?? 0} max={p.total} onCancel={() => void cancel()} cancelling={cancelling} />;
}

export function RunCycleButton({ markets = [], label = 'Run cycle…' }: { markets?: string[]; label?: string }) {
  const session = useSession();
  const blocked = needsRole(session, 'decide');
  const running = useUi((s) => s.cycle);
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" disabled={Boolean(blocked) || Boolean(running)} title={blocked ?? (running ? 'A cycle is running' : undefined)} onClick={() => setOpen(true)} data-testid="cycle-open">{label}</button>
      {open && <RunCycleDialog markets={markets} onClose={() => setOpen(false)} />}
    </>
  );
}

export function RunCycleDialog({ markets, onClose }: { markets: string[]; onClose: () => void }) {
  const setCycle = useUi((s) => s.setCycle);
  const [steps, setSteps] = useState({ sync: true, price: true, autoApprove: true, push: true });
  const [scope, setScope] = useState(markets.join(' '));
  const [dryRun, setDryRun] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await call('cycle.run', { steps, markets: scope.split(/[\s,]+/).filter(Boolean).map((m) => m.toUpperCase()), dryRun, wait: false });
      setCycle({ runId: r.run.id, step: 'sync', message: 'started', done: null, total: null });
      onClose();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const labels: Record<keyof typeof steps, string> = { sync: 'Sync every feed first', price: 'Forecast, optimise and price', autoApprove: 'Auto-approve within the rules', push: 'Push approved decisions to the PSS' };
  return (
    <Dialog title="Run the cycle" onClose={onClose} testId="cycle-dialog" footer={
      <>
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="button" className="primary" disabled={busy || !(steps.sync || steps.price || steps.autoApprove || steps.push)} onClick={() => void start()} data-testid="cycle-start">{busy ? 'Starting…' : 'Start'}</button>
      </>
    }>
      {(Object.keys(labels) as (keyof typeof steps)[]).map((k) => (
        <label key={k} className="check"><input type="checkbox" checked={steps[k]} onChange={(e) => setSteps({ ...steps, [k]: e.target.checked })} data-testid={`cycle-step-${k}`} /> {labels[k]}</label>
      ))}
      <label>Markets (empty: all)<input value={scope} onChange={(e) => setScope(e.target.value)} placeholder="LHR-JFK FRA-CDG" data-testid="cycle-markets" /></label>
      <label className="check"><input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} data-testid="cycle-dry-run" /> Dry run: report what would be pushed, push nothing</label>
      <p className="muted small">Progress shows at the top of every screen; you can cancel it there. The report is in the run history.</p>
      {error && <ErrorNote error={error} />}
    </Dialog>
  );
}

export function outcomeClass(r: Pick<CycleRunRow, 'status'>): string {
  return r.status === 'ok' ? 'state-ok' : r.status === 'warning' ? 'state-degraded' : r.status === 'running' ? 'state-never' : 'state-down';
}
