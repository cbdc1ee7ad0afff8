/** The OAuth2 token endpoint handler every sandbox system mounts at POST /oauth2/token. */
import type { TokenAuthority } from './http/auth';
import { HttpError } from './http/errors';
import type { Handler } from './http/server';

export function tokenRoute(auth: TokenAuthority): Handler {
  return (ctx) => {
    const type = String(ctx.headers['content-type'] ?? '');
    if (!type.startsWith('application/x-www-form-urlencoded')) {
      throw new HttpError(400, 'invalid_request', 'the token request must be application/x-www-form-urlencoded', { oauth: true });
    }
    return { kind: 'json', body: auth.issue(new URLSearchParams(ctx.body.toString('utf8')), ctx.headers.authorization) };
  };
}
