/** Users and roles (administrators): create, change role, disable, reset a password. */
import { useState } from 'react';
import type { Role } from '../../../engine/api/contract';
import { useApi, useApiMutation } from '../../api/hooks';
import { useSession } from '../../api/session';
import { Empty, ErrorNote, QueryState } from '../../components/States';
import { formatInstant, viewerZone } from '../../components/format';

const ROLE_LABEL: Record<Role, string> = { analyst: 'Analyst', revenue_manager: 'Revenue manager', admin: 'Administrator' };

export function UsersTab() {
  const session = useSession();
  const q = useApi('users.list', {}, { enabled: session.isAdmin });
  const create = useApiMutation('users.create');
  const update = useApiMutation('users.update');
  const reset = useApiMutation('users.resetPassword');
  const [n, setN] = useState({ login: '', displayName: '', password: '', role: 'analyst' as Role });
  const [pw, setPw] = useState<{ login: string; password: string } | null>(null);
  if (!session.isAdmin) return <Empty title="Administrators only">Only an administrator manages users and roles. You are {ROLE_LABEL[session.role ?? 'analyst']}.</Empty>;
  return (
    <QueryState q={q} what="users">
      {(users) => (
        <div className="settings-section" data-testid="users-tab">
          <table className="table compact" data-testid="users-table">
            <thead><tr><th>Login</th><th>Name</th><th>Role</th><th>State</th><th>Last login</th><th /></tr></thead>
            <tbody>{users.map((u) => (
              <tr key={u.login}>
                <td className="mono">{u.login}</td><td>{u.displayName}</td>
                <td><select value={u.role} aria-label={`Role of ${u.login}`} onChange={(e) => update.mutate({ login: u.login, role: e.target.value as Role })}>
                  {(Object.keys(ROLE_LABEL) as Role[]).map((r) => <option key={r} value={r}>{ROLE_LABEL[r]}</option>)}
                </select></td>
                <td>{u.disabled ? 'disabled' : u.lockedUntil ? `locked until ${formatInstant(u.lockedUntil, viewerZone())}` : 'active'}</td>
                <td>{formatInstant(u.lastLoginAt, viewerZone())}</td>
                <td className="row-actions">
                  <button type="button" className="small-button" onClick={() => update.mutate({ login: u.login, disabled: !u.disabled })}>{u.disabled ? 'Enable' : 'Disable'}</button>
                  <button type="button" className="small-button" onClick={() => setPw({ login: u.login, password: '' })}>Reset password</button>
                </td>
              </tr>
            ))}</tbody>
          </table>
          {[update.error, reset.error].map((e, i) => e && <ErrorNote key={i} error={e} />)}
          {pw && (
            <form className="form-row" onSubmit={(e) => { e.preventDefault(); reset.mutate(pw, { onSuccess: () => setPw(null) }); }}>
              <span>New password for <strong>{pw.login}</strong></span>
              <input type="password" autoComplete="new-password" value={pw.password} onChange={(e) => setPw({ ...pw, password: e.target.value })} minLength={8} required aria-label="New password" />
              <button type="submit" disabled={pw.password.length < 8 || reset.isPending}>Set</button><button type="button" onClick={() => setPw(null)}>Cancel</button>
            </form>
          )}
          <form className="form-grid" aria-label="New user" onSubmit={(e) => { e.preventDefault(); create.mutate(n, { onSuccess: () => setN({ login: '', displayName: '', password: '', role: 'analyst' }) }); }}>
            <h3>Add a user</h3>
            <label>Login<input value={n.login} onChange={(e) => setN({ ...n, login: e.target.value })} required data-testid="user-login" /></label>
            <label>Name<input value={n.displayName} onChange={(e) => setN({ ...n, displayName: e.target.value })} required data-testid="user-name" /></label>
            <label>Initial password<input type="password" autoComplete="new-password" value={n.password} onChange={(e) => setN({ ...n, password: e.target.value })} minLength={8} required data-testid="user-password" /></label>
            <label>Role<select value={n.role} onChange={(e) => setN({ ...n, role: e.target.value as Role })} data-testid="user-role">{(Object.keys(ROLE_LABEL) as Role[]).map((r) => <option key={r} value={r}>{ROLE_LABEL[r]}</option>)}</select></label>
            {create.error && <ErrorNote error={create.error} />}
            <div className="row-actions"><button type="submit" className="primary" disabled={create.isPending}>Add user</button></div>
          </form>
        </div>
      )}
    </QueryState>
  );
}
