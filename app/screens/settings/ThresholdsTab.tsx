/** Alert thresholds: stale feeds, competitor undercut, large moves, forecast error, free disk space. */
import { useState } from 'react';
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
  const q = useApi('monitoring.thresholds', {});
  return <QueryState q={q} what="alert thresholds">{(data) => <ThresholdsForm data={data} />}</QueryState>;
}

/**
 * The form starts from the thresholds as loaded (not from an effect after the first paint: a field
 * typed into before the effect ran lost the others, which were then sent as null).
 */
function ThresholdsForm({ data }: { data: AlertThresholds }) {
  const session = useSession();
  const blocked = needsRole(session, 'decide');
  const save = useApiMutation('monitoring.setThresholds');
  const [f, setF] = useState<Record<string, string>>(() => Object.fromEntries(FIELDS.map((x) => [x.key, String(data[x.key])])));
  return (
    <form className="form-grid" data-testid="thresholds-tab" onSubmit={(e) => {
      e.preventDefault();
      save.mutate(Object.fromEntries(FIELDS.map((x) => [x.key, Number(f[x.key])])) as Partial<AlertThresholds>);
    }}>
      {FIELDS.map((x) => <label key={x.key}>{x.label}<input className="narrow" inputMode="decimal" value={f[x.key] ?? ''} onChange={(e) => { const v = e.target.value; setF((p) => ({ ...p, [x.key]: v })); }} /></label>)}
      {save.error && <ErrorNote error={save.error} />}
      {save.isSuccess && <p className="ok-text" role="status">Saved.</p>}
      <div className="row-actions"><button type="submit" className="primary" disabled={Boolean(blocked) || save.isPending} title={blocked}>Save thresholds</button></div>
    </form>
  );
}
