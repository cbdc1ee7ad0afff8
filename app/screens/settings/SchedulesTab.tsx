/** Schedules for headless runs: cron expression in a time zone, steps, markets; next start times shown. */
import { useState } from 'react';
import type { HeadlessSchedule } from '../../../engine/api/contract';
import { useApi, useApiMutation } from '../../api/hooks';
import { useSession, needsRole } from '../../api/session';
import { ErrorNote, QueryState } from '../../components/States';
import { formatInstant, viewerZone } from '../../components/format';

type Steps = HeadlessSchedule['steps'];
const STEP_LABEL: Record<keyof Steps, string> = { sync: 'sync feeds', price: 'forecast and price', autoApprove: 'auto-approve', push: 'push' };

export function SchedulesTab() {
  const session = useSession();
  const blocked = needsRole(session, 'decide');
  const q = useApi('settings.schedules', {});
  const save = useApiMutation('settings.saveSchedule');
  const del = useApiMutation('settings.deleteSchedule');
  const [edit, setEdit] = useState<{ id?: number; name: string; cron: string; timeZone: string; enabled: boolean; steps: Steps; markets: string; dryRun: boolean } | null>(null);
  const start = (s?: HeadlessSchedule) => setEdit(s
    ? { id: s.id, name: s.name, cron: s.cron, timeZone: s.timeZone, enabled: s.enabled, steps: s.steps, markets: s.markets.join(' '), dryRun: s.dryRun }
    : { name: '', cron: '0 5 * * *', timeZone: viewerZone(), enabled: true, steps: { sync: true, price: true, autoApprove: true, push: true }, markets: '', dryRun: false });
  return (
    <QueryState q={q} what="schedules">
      {(rows) => (
        <div className="settings-section" data-testid="schedules-tab">
          <p className="muted">A headless machine runs <span className="mono">dfae run</span> on these schedules (one cycle at a time per data folder). Its runs appear in the run history.</p>
          <table className="table compact" data-testid="schedules-table">
            <thead><tr><th>Name</th><th>Cron</th><th>Time zone</th><th>Steps</th><th>Markets</th><th>Next runs</th><th /></tr></thead>
            <tbody>{rows.length === 0 ? <tr><td colSpan={7} className="muted">No schedule yet.</td></tr> : rows.map((s) => (
              <tr key={s.id} className={s.enabled ? '' : 'muted'}>
                <td>{s.name}{s.dryRun ? ' (dry run)' : ''}{s.enabled ? '' : ' — off'}</td><td className="mono">{s.cron}</td><td>{s.timeZone}</td>
                <td>{(Object.keys(STEP_LABEL) as (keyof Steps)[]).filter((k) => s.steps[k]).map((k) => STEP_LABEL[k]).join(' → ')}</td>
                <td>{s.markets.length ? s.markets.join(', ') : 'all'}</td>
                <td className="small" data-testid={`schedule-next-${s.id}`}>{s.nextRuns.map((r) => formatInstant(r, s.timeZone)).join(' · ') || '—'}</td>
                <td className="row-actions"><button type="button" className="small-button" disabled={Boolean(blocked)} title={blocked} onClick={() => start(s)}>Edit</button>
                  <button type="button" className="small-button" disabled={Boolean(blocked)} title={blocked} onClick={() => del.mutate({ id: s.id })}>Delete</button></td>
              </tr>
            ))}</tbody>
          </table>
          <button type="button" disabled={Boolean(blocked)} title={blocked} onClick={() => start()} data-testid="schedule-new">New schedule</button>
          {del.error && <ErrorNote error={del.error} />}
          {edit && (
            <form className="form-grid" aria-label="Schedule" onSubmit={(e) => {
              e.preventDefault();
              save.mutate({ ...(edit.id ? { id: edit.id } : {}), name: edit.name.trim(), cron: edit.cron.trim(), timeZone: edit.timeZone.trim(), enabled: edit.enabled, steps: edit.steps,
                markets: edit.markets.split(/[\s,]+/).filter(Boolean).map((m) => m.toUpperCase()), dryRun: edit.dryRun }, { onSuccess: () => setEdit(null) });
            }}>
              <label>Name<input value={edit.name} onChange={(e) => setEdit({ ...edit, name: e.target.value })} required data-testid="schedule-name" /></label>
              <label>Cron expression<input className="mono" value={edit.cron} onChange={(e) => setEdit({ ...edit, cron: e.target.value })} data-testid="schedule-cron" /></label>
              <label>Time zone<input value={edit.timeZone} onChange={(e) => setEdit({ ...edit, timeZone: e.target.value })} data-testid="schedule-tz" /></label>
              <fieldset><legend>Steps</legend>{(Object.keys(STEP_LABEL) as (keyof Steps)[]).map((k) => (
                <label key={k}><input type="checkbox" checked={edit.steps[k]} onChange={(e) => setEdit({ ...edit, steps: { ...edit.steps, [k]: e.target.checked } })} /> {STEP_LABEL[k]}</label>
              ))}</fieldset>
              <label>Markets (empty: all)<input value={edit.markets} onChange={(e) => setEdit({ ...edit, markets: e.target.value })} placeholder="LHR-JFK FRA-CDG" /></label>
              <label><input type="checkbox" checked={edit.dryRun} onChange={(e) => setEdit({ ...edit, dryRun: e.target.checked })} /> dry run (push nothing)</label>
              <label><input type="checkbox" checked={edit.enabled} onChange={(e) => setEdit({ ...edit, enabled: e.target.checked })} /> enabled</label>
              {save.error && <ErrorNote error={save.error} />}
              <div className="row-actions"><button type="button" onClick={() => setEdit(null)}>Cancel</button><button type="submit" className="primary" disabled={save.isPending} data-testid="schedule-save">Save schedule</button></div>
            </form>
          )}
        </div>
      )}
    </QueryState>
  );
}
