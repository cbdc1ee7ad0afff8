import type { Handlers, CallContext } from '../dispatch';
import { authContract, type SessionUser, type UserRow } from '../contract/auth';
import { ApiError } from '../errors';
import { AuthError, type UserService } from '../../auth/users';
import type { SessionRegistry } from '../../auth/sessions';

const CODE: Record<AuthError['code'], ApiError['code']> = {
  invalid_credentials: 'unauthenticated', locked: 'unauthenticated', setup_done: 'conflict', not_found: 'not_found',
  conflict: 'conflict', invalid: 'validation', last_admin: 'conflict',
};

/** Runs `fn`, turning an AuthError into the API error with its field. */
async function mapped<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AuthError) throw new ApiError(CODE[e.code], e.message, { field: e.field });
    throw e;
  }
}

const sessionUser = (u: UserRow): SessionUser => ({ login: u.login, displayName: u.displayName, role: u.role });

function sessionOf(ctx: CallContext) {
  if (!ctx.session) {
    throw new ApiError('unavailable', `the ${ctx.transport} transport has no session to log in to: in-process callers act as the host's configured caller`);
  }
  return ctx.session;
}

export function authHandlers(deps: { users: UserService; sessions: SessionRegistry }): Handlers<typeof authContract> {
  const { users, sessions } = deps;
  return {
    'auth.status'(_input, ctx) {
      const profile = ctx.caller.role ? users.get(ctx.caller.user) : null;
      return { setupRequired: users.setupRequired(), user: profile && !profile.disabled ? sessionUser(profile) : null, caller: ctx.caller };
    },
    async 'auth.setup'(input, ctx) {
      const u = await mapped(() => users.setup(input));
      if (ctx.session) sessions.bind(ctx.session, u);
      return sessionUser(u);
    },
    async 'auth.login'(input, ctx) {
      const session = sessionOf(ctx);
      const u = await mapped(() => users.authenticate(input.login, input.password));
      sessions.bind(session, u);
      return sessionUser(u);
    },
    'auth.logout'(_input, ctx) {
      if (!ctx.session) return { loggedOut: false };
      sessions.unbind(ctx.session);
      return { loggedOut: true };
    },
    async 'auth.changePassword'(input, ctx) {
      if (!users.get(ctx.caller.user)) throw new ApiError('forbidden', `"${ctx.caller.user}" is a system caller, not a user profile; it has no password to change`);
      await mapped(async () => {
        try {
          await users.authenticate(ctx.caller.user, input.currentPassword);
        } catch (e) {
          if (e instanceof AuthError && e.code === 'invalid_credentials') throw new AuthError('invalid', 'the current password is wrong', 'currentPassword');
          throw e;
        }
        await users.setPassword(ctx.caller.user, ctx.caller.user, input.newPassword, 'newPassword');
      });
      return { changed: true as const };
    },
    'users.list': () => users.list(),
    async 'users.create'(input, ctx) {
      return await mapped(() => users.create(ctx.caller.user, input));
    },
    async 'users.update'(input, ctx) {
      const { login, ...change } = input;
      const u = await mapped(() => users.update(ctx.caller.user, login, change));
      sessions.refresh(u);
      return u;
    },
    async 'users.resetPassword'(input, ctx) {
      await mapped(() => users.setPassword(ctx.caller.user, input.login, input.password));
      return { reset: true as const };
    },
  };
}
