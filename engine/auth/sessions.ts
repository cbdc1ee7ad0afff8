/**
 * Who is logged in on which transport session. A session's caller is set at login and cleared at
 * logout; when an admin changes a user's role or disables them, every open session of that user is
 * updated at once, so a demoted user cannot keep approving on an old login.
 */
import type { Caller } from '../api/dispatch';
import type { UserRow } from '../api/contract/auth';

export interface SessionHandle {
  id: string;
  setCaller(caller: Caller | null): void;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, { login: string; handle: SessionHandle }>();

  bind(handle: SessionHandle, user: UserRow): Caller {
    const caller: Caller = { user: user.login, role: user.role };
    handle.setCaller(caller);
    this.sessions.set(handle.id, { login: user.login, handle });
    return caller;
  }

  unbind(handle: SessionHandle): void {
    handle.setCaller(null);
    this.sessions.delete(handle.id);
  }

  /** Applies a profile change to the user's open sessions; returns how many were updated. */
  refresh(user: UserRow): number {
    let n = 0;
    for (const [id, s] of this.sessions) {
      if (s.login !== user.login) continue;
      n++;
      if (user.disabled) {
        s.handle.setCaller(null);
        this.sessions.delete(id);
      } else {
        s.handle.setCaller({ user: user.login, role: user.role });
      }
    }
    return n;
  }

  get size(): number { return this.sessions.size; }
}
