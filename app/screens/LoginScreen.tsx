/** Login, and first-run setup (the first administrator) when no user exists yet. */
import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { call, ApiClientError } from '../api/client';
import { sessionChanged } from '../api/hooks';
import { ErrorNote } from '../components/States';

function useSignIn() {
  const qc = useQueryClient();
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await sessionChanged(qc);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

export function LoginScreen({ mode }: { mode: 'sandbox' | 'live' | undefined }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, run } = useSignIn();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(() => call('auth.login', { login: login.trim(), password }));
  };
  return (
    <div className="login-page" data-testid="login-screen">
      <form className="card login-card" onSubmit={submit} aria-label="Log in">
        <h1>DFAE Workbench</h1>
        <p className="muted">Log in with your workbench profile.{mode === 'sandbox' ? ' On the sandbox, the demo profiles were printed when the workbench started.' : ''}</p>
        <label>Login<input autoFocus autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} data-testid="login-name" required /></label>
        <label>Password<input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="login-password" required /></label>
        {error && <ErrorNote error={error instanceof ApiClientError && error.code === 'unauthenticated' ? new Error(error.message) : error} />}
        <button type="submit" className="primary" disabled={busy || !login || !password} data-testid="login-submit">{busy ? 'Logging in…' : 'Log in'}</button>
      </form>
    </div>
  );
}

export function SetupScreen() {
  const [f, setF] = useState({ login: '', displayName: '', password: '', confirm: '' });
  const { error, busy, run } = useSignIn();
  const mismatch = f.confirm !== '' && f.confirm !== f.password;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (mismatch) return;
    void run(() => call('auth.setup', { login: f.login.trim(), displayName: f.displayName.trim(), password: f.password }));
  };
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  return (
    <div className="login-page" data-testid="setup-screen">
      <form className="card login-card" onSubmit={submit} aria-label="First-run setup">
        <h1>Welcome to DFAE Workbench</h1>
        <p className="muted">No one uses this workbench yet. Create the first administrator; they then add revenue managers and analysts under Settings → Users.</p>
        <label>Login<input autoFocus autoComplete="username" value={f.login} onChange={set('login')} data-testid="setup-login" required /></label>
        <label>Display name<input value={f.displayName} onChange={set('displayName')} data-testid="setup-name" required /></label>
        <label>Password <span className="muted small">(8 characters or more)</span><input type="password" autoComplete="new-password" value={f.password} onChange={set('password')} data-testid="setup-password" required minLength={8} /></label>
        <label>Repeat the password<input type="password" autoComplete="new-password" value={f.confirm} onChange={set('confirm')} data-testid="setup-confirm" required aria-invalid={mismatch} /></label>
        {mismatch && <p className="error-text small">The two passwords differ.</p>}
        {error && <ErrorNote error={error} />}
        <button type="submit" className="primary" disabled={busy || mismatch || !f.login || !f.password || !f.displayName} data-testid="setup-submit">{busy ? 'Creating…' : 'Create administrator and log in'}</button>
      </form>
    </div>
  );
}
