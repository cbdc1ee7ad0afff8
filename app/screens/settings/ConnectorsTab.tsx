/** Connector endpoints and credentials: entered once, kept in the secret store, never shown back. */
import { useState } from 'react';
import type { ConnectorSetting } from '../../../engine/api/contract';
import type { FeedName } from '../../../engine/domain/types';
import { useApi, useApiMutation } from '../../api/hooks';
import { useSession, needsRole } from '../../api/session';
import { ErrorNote, QueryState } from '../../components/States';

function ConnectorForm({ c, onDone }: { c: ConnectorSetting; onDone: () => void }) {
  const save = useApiMutation('settings.saveConnector');
  const [f, setF] = useState({ baseUrl: c.saved?.baseUrl ?? '', tokenUrl: c.saved?.tokenUrl ?? '', clientId: c.saved?.clientId ?? '', scope: c.saved?.scope ?? '', clientSecret: '', dropFolder: c.saved?.dropFolder ?? '' });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const drop = c.feed === 'pros' || c.feed === 'schedule';
  return (
    <form className="form-grid" aria-label={`${c.label} connection`} onSubmit={(e) => {
      e.preventDefault();
      save.mutate({
        feed: c.feed as FeedName, baseUrl: f.baseUrl.trim(), tokenUrl: f.tokenUrl.trim(), clientId: f.clientId.trim(),
        ...(f.scope.trim() ? { scope: f.scope.trim() } : {}), ...(f.clientSecret ? { clientSecret: f.clientSecret } : {}), ...(drop && f.dropFolder.trim() ? { dropFolder: f.dropFolder.trim() } : {}),
      }, { onSuccess: () => { setF({ ...f, clientSecret: '' }); onDone(); } });
    }}>
      <label>API base URL<input value={f.baseUrl} onChange={set('baseUrl')} placeholder="https://pss.example.com/api" required data-testid={`conn-${c.feed}-base`} /></label>
      <label>OAuth2 token URL<input value={f.tokenUrl} onChange={set('tokenUrl')} placeholder="https://pss.example.com/oauth2/token" required /></label>
      <label>Client id<input value={f.clientId} onChange={set('clientId')} required autoComplete="off" /></label>
      <label>Scope (optional)<input value={f.scope} onChange={set('scope')} /></label>
      <label>Client secret {c.saved?.secretStored ? <span className="muted small">(stored; leave empty to keep it)</span> : <span className="muted small">(required)</span>}
        <input type="password" value={f.clientSecret} onChange={set('clientSecret')} autoComplete="new-password" data-testid={`conn-${c.feed}-secret`} />
      </label>
      {drop && <label>Drop folder (optional)<input value={f.dropFolder} onChange={set('dropFolder')} placeholder="/srv/dfae/drop" /></label>}
      {save.error && <ErrorNote error={save.error} />}
      <div className="row-actions"><button type="button" onClick={onDone}>Cancel</button><button type="submit" className="primary" disabled={save.isPending} data-testid={`conn-${c.feed}-save`}>Save</button></div>
    </form>
  );
}

export function ConnectorsTab() {
  const session = useSession();
  const blocked = needsRole(session, 'admin');
  const q = useApi('settings.connectors', {});
  const useSandbox = useApiMutation('settings.useSandbox');
  const remove = useApiMutation('settings.removeConnector');
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <QueryState q={q} what="connector settings">
      {(s) => (
        <div className="settings-section" data-testid="connectors-tab">
          <p>
            Running now: <strong data-testid="conn-mode">{s.mode === 'sandbox' ? 'the built-in sandbox' : 'live feeds'}</strong>. The configuration file <span className="mono">{s.configFile}</span> selects <strong>{s.configSelects}</strong> at the next start.
            Credentials are kept in {s.secretStore} and are never shown again.
          </p>
          {s.configProblem && <p className="error-text">{s.configProblem}</p>}
          {s.secretsReadOnly && <p className="error-text">This host has no secret store: credentials cannot be saved here.</p>}
          <div className="card-grid">
            {s.feeds.map((c) => (
              <section key={c.feed} className="card" aria-label={c.label} data-testid={`conn-${c.feed}`}>
                <header><h2>{c.label}</h2></header>
                <dl className="facts">
                  <dt>Running</dt><dd className="mono">{c.runningEndpoint}</dd>
                  <dt>Configured</dt><dd className="mono">{c.saved ? c.saved.baseUrl : 'not in the file'}</dd>
                  {c.saved && <><dt>Client</dt><dd className="mono">{c.saved.clientId}</dd><dt>Secret</dt><dd data-testid={`conn-${c.feed}-secret-state`}>{c.saved.secretStored ? 'stored' : 'missing'}</dd></>}
                </dl>
                {editing === c.feed ? <ConnectorForm c={c} onDone={() => setEditing(null)} /> : (
                  <div className="row-actions">
                    <button type="button" disabled={Boolean(blocked)} title={blocked} onClick={() => setEditing(c.feed)} data-testid={`conn-${c.feed}-edit`}>{c.saved ? 'Change' : 'Configure'}</button>
                    {c.saved && <button type="button" className="danger" disabled={Boolean(blocked) || remove.isPending} title={blocked} onClick={() => remove.mutate({ feed: c.feed })}>Remove</button>}
                  </div>
                )}
              </section>
            ))}
          </div>
          {remove.error && <ErrorNote error={remove.error} />}
          <div className="row-actions">
            <button type="button" disabled={Boolean(blocked) || useSandbox.isPending || s.configSelects === 'sandbox'} title={blocked} onClick={() => useSandbox.mutate({})}>Use the built-in sandbox at the next start</button>
          </div>
          {useSandbox.error && <ErrorNote error={useSandbox.error} />}
        </div>
      )}
    </QueryState>
  );
}
