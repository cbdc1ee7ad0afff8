/** The signed-in user's own password. */
import { useState } from 'react';
import { useApiMutation } from '../api/hooks';
import { Dialog } from '../components/Dialog';
import { ErrorNote } from '../components/States';

export function AccountDialog({ onClose }: { onClose: () => void }) {
  const change = useApiMutation('auth.changePassword');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const mismatch = repeat !== '' && repeat !== next;
  return (
    <Dialog title="Change your password" onClose={onClose} testId="account-dialog" footer={
      <>
        <button type="button" onClick={onClose}>Close</button>
        <button type="button" className="primary" disabled={!current || next.length < 8 || mismatch || change.isPending}
          onClick={() => change.mutate({ currentPassword: current, newPassword: next }, { onSuccess: () => { setCurrent(''); setNext(''); setRepeat(''); } })}>
          Change password
        </button>
      </>
    }>
      <div className="form-grid">
        <label>Current password<input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} /></label>
        <label>New password <span className="muted small">(8 characters or more)</span><input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} /></label>
        <label>Repeat the new password<input type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} aria-invalid={mismatch} /></label>
      </div>
      {mismatch && <p className="error-text small">The two passwords differ.</p>}
      {change.error && <ErrorNote error={change.error} />}
      {change.isSuccess && <p className="ok-text" role="status">Your password was changed.</p>}
    </Dialog>
  );
}
