/**
 * Desktop secrets: values encrypted by the OS keychain through Electron's `safeStorage` (Keychain on
 * macOS, DPAPI on Windows, Secret Service / KWallet on Linux); only the ciphertext is written, to a
 * JSON file in the data folder. Linux's `basic_text` fallback (a hard-coded key, i.e. clear text in all
 * but name) is refused.
 *
 * `safeStorage` is passed in structurally (this module never imports electron): pass Electron's object
 * as is. When the asynchronous API exists (Electron >= 39: isAsyncEncryptionAvailable,
 * encryptStringAsync, decryptStringAsync) it is used, and a ciphertext the OS asks to re-encrypt
 * (key rotation) is rewritten; otherwise the synchronous API is used.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { Secret, SecretStoreError, SECRET_NAME_RE, assertSecretName, type SecretStore } from '../../engine/ports/secrets';
import { describeIssues, parseJsonWithoutEcho, serialQueue, sortedRecord, writeFileAtomic } from './files';

/** The part of Electron's `safeStorage` this store uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron; called only when platform is linux */
  getSelectedStorageBackend?(): string;
  isAsyncEncryptionAvailable?(): Promise<boolean>;
  encryptStringAsync?(plainText: string): Promise<Buffer>;
  decryptStringAsync?(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
}

export interface SafeStorageSecretStoreOptions {
  safeStorage: SafeStorageLike;
  /** where the ciphertexts live, e.g. <dataDir>/secrets.safestorage.json */
  file: string;
  platform?: NodeJS.Platform;
}

const FORMAT = 'dfae-secrets/safeStorage';
const fileSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  /** base64 ciphertext per secret name */
  secrets: z.record(z.string().regex(SECRET_NAME_RE), z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'not base64 ciphertext')),
});
type CipherFile = z.infer<typeof fileSchema>;

export const BASIC_TEXT_REFUSAL =
  'refusing to store secrets: Electron safeStorage found no OS keychain on this Linux desktop and fell back to its ' +
  '"basic_text" backend, which encrypts with a fixed, publicly known key. Install and unlock a Secret Service keyring ' +
  '(gnome-keyring, KeePassXC) or KWallet, or start the workbench with --password-store=gnome-libsecret ' +
  '(or kwallet5 / kwallet6); alternatively run headless with DFAE_SECRET_* environment variables or an owner-only secrets file.';

interface Cipher {
  encrypt(plain: string): Promise<Buffer>;
  decrypt(data: Buffer): Promise<{ value: string; reencrypt: boolean }>;
}

export function createSafeStorageSecretStore(opts: SafeStorageSecretStoreOptions): SecretStore {
  const { safeStorage: ss, file } = opts;
  const platform = opts.platform ?? process.platform;
  const useAsync = typeof ss.isAsyncEncryptionAvailable === 'function' && typeof ss.encryptStringAsync === 'function' && typeof ss.decryptStringAsync === 'function';

  const backend = (): string | undefined => (platform === 'linux' && typeof ss.getSelectedStorageBackend === 'function' ? ss.getSelectedStorageBackend() : undefined);

  /** Checks the keychain each time (it may be locked or not ready yet) and returns the cipher to use. */
  const cipher = async (): Promise<Cipher> => {
    const b = backend();
    if (b === 'basic_text') throw new SecretStoreError(BASIC_TEXT_REFUSAL, 'insecure');
    if (b === 'unknown') throw new SecretStoreError('safeStorage was used before the Electron app was ready; open the secret store after app "ready"', 'unavailable');
    const available = useAsync ? await ss.isAsyncEncryptionAvailable!() : ss.isEncryptionAvailable();
    if (!available) {
      throw new SecretStoreError(
        `the OS keychain is not available to encrypt secrets (safeStorage${b ? ` backend ${b}` : ''} reports encryption unavailable); unlock or install the keychain and try again`,
        'unavailable',
      );
    }
    if (useAsync) {
      return {
        encrypt: (p) => ss.encryptStringAsync!(p),
        decrypt: async (d) => {
          const r = await ss.decryptStringAsync!(d);
          return { value: r.result, reencrypt: r.shouldReEncrypt };
        },
      };
    }
    return {
      encrypt: async (p) => ss.encryptString(p),
      decrypt: async (d) => ({ value: ss.decryptString(d), reencrypt: false }),
    };
  };

  const load = (): CipherFile => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { format: FORMAT, version: 1, secrets: {} };
      throw new SecretStoreError(`cannot read secrets file ${file}: ${(err as Error).message}`, 'unavailable');
    }
    const parsed = fileSchema.safeParse(parseJsonWithoutEcho(text, file));
    if (!parsed.success) {
      throw new SecretStoreError(`secrets file ${file} is malformed (${describeIssues(parsed.error.issues)}); move it aside and enter the secrets again`, 'corrupt');
    }
    return parsed.data;
  };

  const save = (data: CipherFile): void => {
    writeFileAtomic(file, `${JSON.stringify({ ...data, secrets: sortedRecord(data.secrets) }, null, 2)}\n`);
  };

  const serial = serialQueue();

  return {
    get description() {
      const b = backend();
      return `the OS keychain (Electron safeStorage${b && b !== 'unknown' ? `, ${b}` : ''})`;
    },
    get(name) {
      assertSecretName(name);
      return serial(async () => {
        const data = load();
        const b64 = data.secrets[name];
        if (b64 === undefined) return undefined;
        const c = await cipher();
        let out: { value: string; reencrypt: boolean };
        try {
          out = await c.decrypt(Buffer.from(b64, 'base64'));
        } catch {
          throw new SecretStoreError(
            `secret "${name}" cannot be decrypted by this user's OS keychain (it was stored under another user, machine or keychain); enter it again`,
            'corrupt',
            name,
          );
        }
        if (out.reencrypt) {
          data.secrets[name] = (await c.encrypt(out.value)).toString('base64');
          save(data);
        }
        return new Secret(out.value);
      });
    },
    set(name, value) {
      assertSecretName(name);
      return serial(async () => {
        const c = await cipher();
        const data = load();
        data.secrets[name] = (await c.encrypt(value.reveal())).toString('base64');
        save(data);
      });
    },
    delete(name) {
      assertSecretName(name);
      return serial(async () => {
        const data = load();
        if (!(name in data.secrets)) return false;
        delete data.secrets[name];
        save(data);
        return true;
      });
    },
    listNames() {
      return serial(async () => Object.keys(load().secrets).sort());
    },
  };
}
