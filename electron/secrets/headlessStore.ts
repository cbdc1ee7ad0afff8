/**
 * Headless secrets: environment variables `DFAE_SECRET_<NAME>` first, then a JSON file
 * `{ "<name>": "<value>", ... }` readable only by its owner. Environment variables win, so a scheduler
 * can override a file entry for one run. Writes (set/delete) go to the file.
 */
import { z } from 'zod';
import {
  Secret,
  SecretStoreError,
  SECRET_NAME_RE,
  assertSecretName,
  secretEnvName,
  type SecretStore,
} from '../../engine/ports/secrets';
import { describeIssues, parseJsonWithoutEcho, readOwnerOnlyFile, serialQueue, sortedRecord, writeFileAtomic } from './files';

const ENV_PREFIX = 'DFAE_SECRET_';

export interface HeadlessSecretStoreOptions {
  /** the process environment (injected; tests pass their own) */
  env: Readonly<Record<string, string | undefined>>;
  /** the secrets file; omit for environment variables only */
  file?: string;
  /** when true a missing file is an error (it was configured explicitly, e.g. by DFAE_SECRETS_FILE) */
  fileRequired?: boolean;
  platform?: NodeJS.Platform;
}

const fileSchema = z.record(z.string().regex(SECRET_NAME_RE, 'secret names are lower-case letters, digits and underscores'), z.string().min(1, 'empty value'));

export function createHeadlessSecretStore(opts: HeadlessSecretStoreOptions): SecretStore {
  const { env, file } = opts;
  const description = file ? `environment variables ${ENV_PREFIX}* and secrets file ${file}` : `environment variables ${ENV_PREFIX}*`;

  const fromEnv = (name: string): string | undefined => {
    const v = env[secretEnvName(name)];
    return v === undefined || v === '' ? undefined : v;
  };

  const readFileSecrets = (): Record<string, string> => {
    if (!file) return {};
    const text = readOwnerOnlyFile(file, { platform: opts.platform });
    if (text === undefined) {
      if (opts.fileRequired) throw new SecretStoreError(`secrets file ${file} does not exist: create it (mode 600) or unset DFAE_SECRETS_FILE`, 'unavailable');
      return {};
    }
    const parsed = fileSchema.safeParse(parseJsonWithoutEcho(text, file));
    if (!parsed.success) {
      throw new SecretStoreError(`secrets file ${file} is malformed (${describeIssues(parsed.error.issues)}); expected a JSON object of secret name to non-empty string`, 'corrupt');
    }
    return parsed.data;
  };

  const requireWritableFile = (name: string, action: string): string => {
    if (fromEnv(name) !== undefined) {
      throw new SecretStoreError(`cannot ${action} secret "${name}": it comes from the environment variable ${secretEnvName(name)}, which overrides the secrets file; change it there`, 'read-only', name);
    }
    if (!file) {
      throw new SecretStoreError(`cannot ${action} secret "${name}": no secrets file is configured (set DFAE_SECRETS_FILE), and environment variables are read-only`, 'read-only', name);
    }
    return file;
  };

  // Serialise file updates so two concurrent set() calls cannot lose one another's write.
  const serial = serialQueue();

  return {
    description,
    async get(name) {
      assertSecretName(name);
      const value = fromEnv(name) ?? readFileSecrets()[name];
      return value === undefined ? undefined : new Secret(value);
    },
    set(name, value) {
      assertSecretName(name);
      return serial(() => {
        const target = requireWritableFile(name, 'set');
        const all = readFileSecrets();
        all[name] = value.reveal();
        writeFileAtomic(target, `${JSON.stringify(sortedRecord(all), null, 2)}\n`);
      });
    },
    delete(name) {
      assertSecretName(name);
      return serial(() => {
        const target = requireWritableFile(name, 'delete');
        const all = readFileSecrets();
        if (!(name in all)) return false;
        delete all[name];
        writeFileAtomic(target, `${JSON.stringify(sortedRecord(all), null, 2)}\n`);
        return true;
      });
    },
    async listNames() {
      const names = new Set(Object.keys(readFileSecrets()));
      for (const [key, value] of Object.entries(env)) {
        if (!key.startsWith(ENV_PREFIX) || !value) continue;
        const name = key.slice(ENV_PREFIX.length).toLowerCase();
        if (SECRET_NAME_RE.test(name) && secretEnvName(name) === key) names.add(name);
      }
      return [...names].sort();
    },
  };
}
