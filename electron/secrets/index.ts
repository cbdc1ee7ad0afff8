/**
 * Secret stores for the two hosts. The composition root picks one:
 * - desktop: `createSafeStorageSecretStore({ safeStorage, file: desktopSecretsFile(dataDir) })` after app "ready";
 * - headless: `headlessSecretStoreFromEnv(process.env, dataDir)`.
 */
import path from 'node:path';
import type { SecretStore } from '../../engine/ports/secrets';
import { createHeadlessSecretStore } from './headlessStore';

export { createSafeStorageSecretStore, BASIC_TEXT_REFUSAL, type SafeStorageLike, type SafeStorageSecretStoreOptions } from './safeStorageStore';
export { createHeadlessSecretStore, type HeadlessSecretStoreOptions } from './headlessStore';
export { readOwnerOnlyFile, writeFileAtomic } from './files';

/** The desktop store's ciphertext file in the data folder. */
export function desktopSecretsFile(dataDir: string): string {
  return path.join(dataDir, 'secrets.safestorage.json');
}

/** The headless store's default secrets file in the data folder (used when it exists). */
export function headlessSecretsFile(dataDir: string): string {
  return path.join(dataDir, 'secrets.json');
}

/**
 * The headless store as configured by the environment: `DFAE_SECRET_<NAME>` variables, plus the file named
 * by `DFAE_SECRETS_FILE` (which must then exist) or else `<dataDir>/secrets.json` if present.
 */
export function headlessSecretStoreFromEnv(env: Readonly<Record<string, string | undefined>>, dataDir: string, platform: NodeJS.Platform = process.platform): SecretStore {
  const explicit = env.DFAE_SECRETS_FILE;
  return createHeadlessSecretStore({
    env,
    file: explicit ? path.resolve(explicit) : headlessSecretsFile(dataDir),
    fileRequired: Boolean(explicit),
    platform,
  });
}
