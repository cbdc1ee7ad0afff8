/**
 * Retention: how long audit rows, decisions that ended unpushed or were replaced by a newer push, and the decisions of departed flights
 * stay in the store before the cycle moves them to archive files in the data folder (archive/, gzip JSON
 * lines, verifiable with `dfae archive --verify`). 0 keeps everything.
 */
import { useState } from 'react';
import type { RetentionSettings } from '../../../engine/domain/retention';
import { useApi, useApiMutation } from '../../api/hooks';
import { useSession, needsRole } from '../../api/session';
import { ErrorNote, QueryState } from '../../components/States';

const FIELDS: { key: keyof RetentionSettings; label: string }[] = [
  { key: 'auditDays', label: 'Audit rows stay in the store for (days)' },
  { key: 'decisionsDays', label: 'Decisions that ended unpushed, or were replaced by a newer push, stay for (days)' },
  { key: 'departedDays', label: 'Decisions of a flight stay after its departure for (days, at least 180)' },
];

export function RetentionTab() {
  const q = useApi('settings.retention', {});
  return <QueryState q={q} what="retention settings">{(data) => <RetentionForm data={data} />}</QueryState>;
}

/** Starts from the settings as loaded, so nothing typed is overwritten by a late effect. */
function RetentionForm({ data }: { data: RetentionSettings }) {
  const session = useSession();
  const blocked = needsRole(session, 'admin');
  const save = useApiMutation('settings.saveRetention');
  const [f, setF] = useState<Record<string, string>>(() => ({ ...Object.fromEntries(FIELDS.map((x) => [x.key, String(data[x.key])])), reason: '' }));
  const set = (k: string, v: string) => setF((p) => ({ ...p, [k]: v }));
  return (
    <form className="form-grid" data-testid="retention-tab" onSubmit={(e) => {
      e.preventDefault();
      save.mutate({ auditDays: Number(f.auditDays), decisionsDays: Number(f.decisionsDays), departedDays: Number(f.departedDays), ...(f.reason!.trim() ? { reason: f.reason } : {}) });
    }}>
      <p className="muted">
        After each cycle's proposals, older rows move out of the store into archive files in the data folder
        (nothing is deleted: each file's checksum is recorded, and <code>dfae archive --verify</code> checks them). 0 keeps everything.
      </p>
      {FIELDS.map((x) => <label key={x.key}>{x.label}<input className="narrow" inputMode="numeric" value={f[x.key]} onChange={(e) => set(x.key, e.target.value)} /></label>)}
      <label>Reason (for the audit trail)<input value={f.reason} onChange={(e) => set('reason', e.target.value)} /></label>
      {save.error && <ErrorNote error={save.error} />}
      {save.isSuccess && <p className="ok-text" role="status">Saved.</p>}
      <div className="row-actions"><button type="submit" className="primary" disabled={Boolean(blocked) || save.isPending} title={blocked}>Save retention</button></div>
    </form>
  );
}
