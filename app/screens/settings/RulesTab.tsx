/** Auto-approval rules for headless runs: change within ±x %, inside guardrails, no open alert on the market. */
import { useState } from 'react';
import type { AutoApprovalRule, DecisionKind } from '../../../engine/api/contract';
import { useApi, useApiMutation } from '../../api/hooks';
import { useSession, needsRole } from '../../api/session';
import { ErrorNote, QueryState } from '../../components/States';
import { KIND_LABEL } from '../review/columns';

const KINDS: DecisionKind[] = ['fare', 'authorisation', 'bid_price'];
const blank = { name: '', enabled: true, kinds: KINDS, origin: '', destination: '', maxChangePct: '5' };

export function RulesTab() {
  const session = useSession();
  const blocked = needsRole(session, 'decide');
  const q = useApi('decisions.rules', {});
  const save = useApiMutation('decisions.saveRule');
  const del = useApiMutation('decisions.deleteRule');
  const dry = useApiMutation('decisions.autoApprove');
  const [edit, setEdit] = useState<{ id?: number } & typeof blank | null>(null);
  const start = (r?: AutoApprovalRule) => setEdit(r ? { id: r.id, name: r.name, enabled: r.enabled, kinds: r.kinds, origin: r.origin ?? '', destination: r.destination ?? '', maxChangePct: String(r.maxChangePct) } : { ...blank });
  return (
    <QueryState q={q} what="auto-approval rules">
      {(rules) => (
        <div className="settings-section" data-testid="rules-tab">
          <p className="muted">Headless runs approve on their own only what a rule allows; everything else waits for a person. Approvals are recorded as system:auto-approval with the rule.</p>
          <table className="table compact" data-testid="rules-table">
            <thead><tr><th>Rule</th><th>On</th><th>Kinds</th><th>Market</th><th className="num">Max change</th><th>By</th><th /></tr></thead>
            <tbody>{rules.length === 0 ? <tr><td colSpan={7} className="muted">No rule: nothing is approved automatically.</td></tr> : rules.map((r) => (
              <tr key={r.id}><td>{r.name}</td><td>{r.enabled ? 'yes' : 'no'}</td><td>{r.kinds.map((k) => KIND_LABEL[k]).join(', ')}</td><td>{r.origin ? `${r.origin}-${r.destination ?? '*'}` : 'all'}</td><td className="num">±{r.maxChangePct} %</td><td>{r.createdBy}</td>
                <td className="row-actions"><button type="button" className="small-button" disabled={Boolean(blocked)} title={blocked} onClick={() => start(r)}>Edit</button>
                  <button type="button" className="small-button" disabled={Boolean(blocked)} title={blocked} onClick={() => del.mutate({ id: r.id })}>Delete</button></td></tr>
            ))}</tbody>
          </table>
          <div className="row-actions">
            <button type="button" disabled={Boolean(blocked)} title={blocked} onClick={() => start()} data-testid="rule-new">New rule</button>
            <button type="button" disabled={Boolean(blocked) || dry.isPending} title={blocked} onClick={() => dry.mutate({ dryRun: true })} data-testid="rule-dry-run">What would they approve now?</button>
          </div>
          {dry.data && (
            <p role="status" data-testid="rule-dry-result">Of {dry.data.considered} proposed decisions, the rules would approve {dry.data.approved}. Waiting for a person: {Object.entries(dry.data.waiting).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}.</p>
          )}
          {[save.error, del.error, dry.error].map((e, i) => e && <ErrorNote key={i} error={e} />)}
          {edit && (
            <form className="form-grid" aria-label="Auto-approval rule" onSubmit={(e) => {
              e.preventDefault();
              save.mutate({ ...(edit.id ? { id: edit.id } : {}), name: edit.name.trim(), enabled: edit.enabled, kinds: edit.kinds, origin: edit.origin || null, destination: edit.destination || null, maxChangePct: Number(edit.maxChangePct) }, { onSuccess: () => setEdit(null) });
            }}>
              <label>Name<input value={edit.name} onChange={(e) => setEdit({ ...edit, name: e.target.value })} required data-testid="rule-name" /></label>
              <label><input type="checkbox" checked={edit.enabled} onChange={(e) => setEdit({ ...edit, enabled: e.target.checked })} /> enabled</label>
              <fieldset><legend>Kinds</legend>{KINDS.map((k) => (
                <label key={k}><input type="checkbox" checked={edit.kinds.includes(k)} onChange={(e) => setEdit({ ...edit, kinds: e.target.checked ? [...edit.kinds, k] : edit.kinds.filter((x) => x !== k) })} /> {KIND_LABEL[k]}</label>
              ))}</fieldset>
              <label>Origin (empty: all)<input className="narrow" maxLength={3} value={edit.origin} onChange={(e) => setEdit({ ...edit, origin: e.target.value.toUpperCase() })} /></label>
              <label>Destination<input className="narrow" maxLength={3} value={edit.destination} onChange={(e) => setEdit({ ...edit, destination: e.target.value.toUpperCase() })} /></label>
              <label>Max change ± (%)<input className="narrow" value={edit.maxChangePct} onChange={(e) => setEdit({ ...edit, maxChangePct: e.target.value })} data-testid="rule-max-change" /></label>
              <div className="row-actions"><button type="button" onClick={() => setEdit(null)}>Cancel</button><button type="submit" className="primary" disabled={save.isPending || edit.kinds.length === 0} data-testid="rule-save">Save rule</button></div>
            </form>
          )}
        </div>
      )}
    </QueryState>
  );
}
