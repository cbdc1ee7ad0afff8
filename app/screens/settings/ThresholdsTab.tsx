/** Alert thresholds: stale feeds, competitor undercut, large moves, forecast error, free disk space. */
import { useEffect, useState } from 'react';
import type { AlertThresholds } from '../../../engine/api/contract';
import { useApi, useApiMutation } from '../../api/hooks';
import { useSession, needsRole } from '../../api/session';
import { ErrorNote, QueryState } from '../../components/States';

const FIELDS: { key: keyof AlertThresholds; label: string }[] = [
  { key: 'feedStaleMinutes', label: 'A feed is stale after (minutes without success)' },
  { key: 'competitorUndercutPct', label: 'Competitor undercut beyond (%)' },
  { key: 'largeMovePct', label: 'A proposed fare move is large beyond (%)' },
  { key: 'forecastWapePct', label: 'Forecast error (WAPE) beyond (%)' },
  { key: 'diskFreeMinGb', label: 'The data folder\'s disk is short of space below (GB free)' },
];

export function ThresholdsTab() {
  const session = useSession();
  const blocked = needsRole(session, 'decide');
  const q = useApi('monitoring.thresholds', {});
  const save = useApiMutation('monitoring.setThresholds');
  const [f, setF] = useState<Record<string, string>>({});
  useEffect(() => { if (q.data) setF(Object.fromEntries(FIELDS.map((x) => [x.key, String(q.data[x.key])]))); }, [q.data]);
  return (
    <QueryState q={q} what="alert thresholds">
      {() => (
        <form className="form-grid" data-testid="thresholds-tab" onSubmit={(e) => {
          e.preventDefault();
          save.mutate(Object.fromEntries(FIELDS.map((x) => [x.key, Number(f[x.key])])) as Partial<AlertThresholds>);
        }}>
          {FIELDS.map((x) => <label key={x.key}>{x.label}<input className="narrow" inputMode="decimal" value={f[x.key] ?? ''} onChange={(e) => setF({ ...f, [x.key]: e.target.value })} /></label>)}
          {save.error && <ErrorNote error={save.error} />}
          {save.isSuccess && <p className="ok-text" role="status">Saved.</p>}
          <div className="row-actions"><button type="submit" className="primary" disabled={Boolean(blocked) || save.isPending} title={blocked}>Save thresholds</button></div>
        </form>
      )}
    </QueryState>
  );
}
