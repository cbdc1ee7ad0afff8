/**
 * Secrets port: where connectors get credentials (OAuth client secrets, API keys) without ever
 * holding them as plain strings that could reach a log, an error, a feed-run row or an export.
 *
 * A value travels as a `Secret`: every way of turning it into text (String(), template literals,
 * JSON.stringify, util.inspect / console.log, pino) prints `[redacted]`. Only `reveal()` returns the
 * value, and it is called at the last moment (building an Authorization header, a token request body).
 *
 * Implementations: the desktop host keeps ciphertext from the OS keychain (Electron safeStorage); the
 * headless host reads environment variables and an owner-only file. Both live in electron/secrets/.
 */

export const REDACTED = '[redacted]';

/** Secret names: lower-case letters, digits and underscores, starting with a letter (e.g. `pss_client_secret`). */
export const SECRET_NAME_RE = /^[a-z][a-z0-9_]{0,62}$/;

export class SecretStoreError extends Error {
  override readonly name = 'SecretStoreError';
  constructor(
    message: string,
    /** what went wrong, for callers that branch on it */
    readonly code: 'invalid-name' | 'not-set' | 'unavailable' | 'insecure' | 'read-only' | 'corrupt',
    /** the secret concerned, if any (a name is not sensitive; its value never appears in an error) */
    readonly secretName?: string,
  ) {
    super(message);
  }
}

/** Throws a SecretStoreError naming the rule when `name` is not a valid secret name. */
export function assertSecretName(name: string): void {
  if (typeof name !== 'string' || !SECRET_NAME_RE.test(name)) {
    const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 80)) : typeof name;
    throw new SecretStoreError(
      `invalid secret name ${shown}: use 1-63 lower-case letters, digits or underscores, starting with a letter (e.g. "pss_client_secret")`,
      'invalid-name',
    );
  }
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** A secret value that refuses to be printed. */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    if (typeof value !== 'string' || value.length === 0) throw new TypeError('a Secret needs a non-empty string value');
    this.#value = value;
  }

  /** The clear value: call it only where the value leaves the process for its intended recipient. */
  reveal(): string {
    return this.#value;
  }

  /** Length only, for validation messages ("client secret looks too short"). */
  get length(): number {
    return this.#value.length;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [INSPECT](): string {
    return REDACTED;
  }
}

export interface SecretStore {
  /** which backend this is, for the settings screen and diagnostics (e.g. "safeStorage (gnome_libsecret)") */
  readonly description: string;
  /** undefined when the secret is not set */
  get(name: string): Promise<Secret | undefined>;
  /** stores or replaces a secret; throws SecretStoreError('read-only') where the backend cannot write */
  set(name: string, value: Secret): Promise<void>;
  /** true when a secret was removed */
  delete(name: string): Promise<boolean>;
  /** the names of the secrets that are set, sorted; never their values */
  listNames(): Promise<string[]>;
}

/** Gets a secret that must exist, with a message that says where to set it. */
export async function requireSecret(store: SecretStore, name: string): Promise<Secret> {
  assertSecretName(name);
  const value = await store.get(name);
  if (value === undefined) {
    throw new SecretStoreError(
      `secret "${name}" is not set in ${store.description}: enter it in the workbench's connection settings, ` +
        `or in headless mode set the environment variable ${secretEnvName(name)} or add it to the secrets file`,
      'not-set',
      name,
    );
  }
  return value;
}

/** The environment variable that carries a secret in headless mode: `pss_client_secret` → `DFAE_SECRET_PSS_CLIENT_SECRET`. */
export function secretEnvName(name: string): string {
  assertSecretName(name);
  return `DFAE_SECRET_${name.toUpperCase()}`;
}
