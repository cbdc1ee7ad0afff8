/**
 * Retention: how long audit rows, decisions that ended unpushed and the decisions of departed flights
 * stay in the store before the cycle moves them to archive files in the data folder (archive/, gzip JSON lines, verifiable with
 * `dfae archive --verify`). 0 keeps everything.
 */
import { useEffect, useState } from 'react';
import { useApi, useApiMutation } from '../../api/hooks';
import { useSession, needsRole } from '../../api/session';
import { ErrorNote, QueryState } from '../../components/States';

export function RetentionTab() {
  const session = useSession();
  const blocked = needsRole(session, 'admin');
  const q = useApi('settings.retention', {});
  const save = useApiMutation('settings.saveRetention');
  const [f, setF] = useState({ auditDays: '', decisionsDays: '', departedDays: '', reason: '' });
  useEffect(() => { if (q.data) setF({ auditDays: String(q.data.auditDays), decisionsDays: String(q.data.decisionsDays), departedDays: String(q.data.departedDays), reason: '' }); }, [q.data]);
  return (
    <QueryState q={q} what="retention settings">
      {() => (
        <form className="form-grid" data-testid="retention-tab" onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ auditDays: Number(f.auditDays), decisionsDays: Number(f.decisionsDays), departedDays: Number(f.departedDays), ...(f.reason.trim() ? { reason: f.reason } : {}) });
        }}>
          <p className="muted">
            After each cycle's proposals, older rows move out of the store into archive files in the data folder
            (nothing is deleted: each file's checksum is recorded, and <code>dfae archive --verify</code> checks them). 0 keeps everything.
          </p>
          <label>Audit rows stay in the store for (days)<input className="narrow" inputMode="numeric" value={f.auditDays} onChange={(e) => setF({ ...f, auditDays: e.target.value })} /></label>
          <label>Decisions that ended without being pushed stay for (days)<input className="narrow" inputMode="numeric" value={f.decisionsDays} onChange={(e) => setF({ ...f, decisionsDays: e.target.value })} /></label>
          <label>Decisions of a flight stay after its departure for (days, at least 180)<input className="narrow" inputMode="numeric" value={f.departedDays} onChange={(e) => setF({ ...f, departedDays: e.target.value })} /></label>
          <label>Reason (for the audit trail)<input value={f.reason} onChange={(e) => setF({ ...f, reason: e.target.value })} /></label>
          {save.error && <ErrorNote error={save.error} />}
          {save.isSuccess && <p className="ok-text" role="status">Saved.</p>}
          <div className="row-actions"><button type="submit" className="primary" disabled={Boolean(blocked) || save.isPending} title={blocked}>Save retention</button></div>
        </form>
      )}
    </QueryState>
  );
}
