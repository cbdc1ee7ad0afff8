/**
 * The safeStorage store against a small test double of Electron's `safeStorage` API (Electron's object,
 * not ours; no binary here). The double encrypts for real (AES-256-GCM under a per-"keychain" key), so
 * a ciphertext from another keychain fails to decrypt, as it would across users or machines.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Secret, SecretStoreError } from '../../engine/ports/secrets';
import { BASIC_TEXT_REFUSAL, createSafeStorageSecretStore, type SafeStorageLike } from './safeStorageStore';

const VALUE = 'oauth-client-secret-91c2';

interface DoubleOptions {
  backend?: string;
  available?: boolean;
  /** expose the asynchronous API (Electron >= 39) */
  async?: boolean;
  /** calling getSelectedStorageBackend throws, as on a platform without it */
  noBackendQuery?: boolean;
}

/** A keychain: key versions; encryption uses the newest, decryption reports when an older one was used. */
function keychain() {
  const keys = [randomBytes(32)];
  return {
    rotate: () => { keys.push(randomBytes(32)); },
    encrypt(plain: string): Buffer {
      const v = keys.length - 1;
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', keys[v]!, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([Buffer.from([v]), iv, c.getAuthTag(), body]);
    },
    decrypt(data: Buffer): { result: string; shouldReEncrypt: boolean } {
      const v = data[0]!;
      const key = keys[v];
      if (!key) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      const d = createDecipheriv('aes-256-gcm', key, data.subarray(1, 13));
      d.setAuthTag(data.subarray(13, 29));
      const result = Buffer.concat([d.update(data.subarray(29)), d.final()]).toString('utf8');
      return { result, shouldReEncrypt: v < keys.length - 1 };
    },
  };
}

function safeStorageDouble(kc: ReturnType<typeof keychain>, o: DoubleOptions = {}): SafeStorageLike & { calls: string[] } {
  const calls: string[] = [];
  const available = o.available ?? true;
  const base: SafeStorageLike & { calls: string[] } = {
    calls,
    isEncryptionAvailable: () => { calls.push('isEncryptionAvailable'); return available; },
    encryptString: (p) => { calls.push('encryptString'); return kc.encrypt(p); },
    decryptString: (b) => { calls.push('decryptString'); return kc.decrypt(b).result; },
    getSelectedStorageBackend: () => {
      if (o.noBackendQuery) throw new Error('getSelectedStorageBackend is Linux only');
      return o.backend ?? 'gnome_libsecret';
    },
  };
  if (o.async) {
    base.isAsyncEncryptionAvailable = async () => { calls.push('isAsyncEncryptionAvailable'); return available; };
    base.encryptStringAsync = async (p) => { calls.push('encryptStringAsync'); return kc.encrypt(p); };
    base.decryptStringAsync = async (b) => { calls.push('decryptStringAsync'); return kc.decrypt(b); };
  }
  return base;
}

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-safestorage-'));
  file = path.join(dir, 'secrets.safestorage.json');
});
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

async function failure(p: Promise<unknown>): Promise<SecretStoreError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(SecretStoreError);
  return err as SecretStoreError;
}

describe.each([
  { api: 'synchronous', async: false, encrypt: 'encryptString', decrypt: 'decryptString' },
  { api: 'asynchronous', async: true, encrypt: 'encryptStringAsync', decrypt: 'decryptStringAsync' },
])('safeStorage secret store ($api API)', ({ async, encrypt, decrypt }) => {
  it('round-trips secrets and writes only ciphertext, owner-only', async () => {
    const ss = safeStorageDouble(keychain(), { async });
    const store = createSafeStorageSecretStore({ safeStorage: ss, file, platform: 'linux' });
    await store.set('pss_client_secret', new Secret(VALUE));
    expect((await store.get('pss_client_secret'))?.reveal()).toBe(VALUE);
    expect(ss.calls).toContain(encrypt);
    expect(ss.calls).toContain(decrypt);
    const raw = fs.readFileSync(file);
    expect(raw.includes(VALUE)).toBe(false);
    expect(raw.includes(Buffer.from(VALUE).toString('base64').slice(0, 12))).toBe(false);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(raw.toString('utf8'))).toMatchObject({ format: 'dfae-secrets/safeStorage', version: 1 });
    expect(store.description).toBe('the OS keychain (Electron safeStorage, gnome_libsecret)');
  });

  it('refuses the Linux basic_text backend for every operation, with the fix in the message', async () => {
    const ss = safeStorageDouble(keychain(), { async, backend: 'basic_text' });
    const store = createSafeStorageSecretStore({ safeStorage: ss, file, platform: 'linux' });
    const err = await failure(store.set('pss_client_secret', new Secret(VALUE)));
    expect(err.code).toBe('insecure');
    expect(err.message).toBe(BASIC_TEXT_REFUSAL);
    expect(err.message).toMatch(/--password-store=gnome-libsecret/);
    expect(ss.calls).not.toContain(encrypt);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('refuses when encryption is unavailable (keychain locked or missing)', async () => {
    const store = createSafeStorageSecretStore({ safeStorage: safeStorageDouble(keychain(), { async, available: false }), file, platform: 'darwin' });
    const err = await failure(store.set('pss_client_secret', new Secret(VALUE)));
    expect(err.code).toBe('unavailable');
    expect(err.message).toMatch(/OS keychain is not available/);
  });
});

describe('safeStorage secret store', () => {
  it('does not ask for the storage backend outside Linux', async () => {
    const store = createSafeStorageSecretStore({ safeStorage: safeStorageDouble(keychain(), { noBackendQuery: true }), file, platform: 'win32' });
    await store.set('pros_api_key', new Secret(VALUE));
    expect((await store.get('pros_api_key'))?.reveal()).toBe(VALUE);
    expect(store.description).toBe('the OS keychain (Electron safeStorage)');
  });

  it('says when it is used before the app is ready (backend "unknown")', async () => {
    const store = createSafeStorageSecretStore({ safeStorage: safeStorageDouble(keychain(), { backend: 'unknown' }), file, platform: 'linux' });
    const err = await failure(store.set('pros_api_key', new Secret(VALUE)));
    expect(err.message).toMatch(/before the Electron app was ready/);
  });

  it('reports a ciphertext from another keychain by name, without its content', async () => {
    await createSafeStorageSecretStore({ safeStorage: safeStorageDouble(keychain()), file, platform: 'linux' }).set('pss_client_secret', new Secret(VALUE));
    const other = createSafeStorageSecretStore({ safeStorage: safeStorageDouble(keychain()), file, platform: 'linux' });
    const err = await failure(other.get('pss_client_secret'));
    expect(err.code).toBe('corrupt');
    expect(err.secretName).toBe('pss_client_secret');
    expect(err.message).toMatch(/enter it again/);
  });

  it('re-encrypts a secret when the OS rotated its key', async () => {
    const kc = keychain();
    const store = createSafeStorageSecretStore({ safeStorage: safeStorageDouble(kc, { async: true }), file, platform: 'linux' });
    await store.set('pss_client_secret', new Secret(VALUE));
    const before = JSON.parse(fs.readFileSync(file, 'utf8')).secrets.pss_client_secret as string;
    kc.rotate();
    expect((await store.get('pss_client_secret'))?.reveal()).toBe(VALUE);
    const after = JSON.parse(fs.readFileSync(file, 'utf8')).secrets.pss_client_secret as string;
    expect(after).not.toBe(before);
    expect(Buffer.from(after, 'base64')[0]).toBe(1);
    expect((await store.get('pss_client_secret'))?.reveal()).toBe(VALUE);
  });

  it('deletes and lists names; an absent secret is undefined', async () => {
    const store = createSafeStorageSecretStore({ safeStorage: safeStorageDouble(keychain()), file, platform: 'linux' });
    expect(await store.listNames()).toEqual([]);
    expect(await store.get('pros_api_key')).toBeUndefined();
    await store.set('pss_client_secret', new Secret(VALUE));
    await store.set('pros_api_key', new Secret('k'));
    expect(await store.listNames()).toEqual(['pros_api_key', 'pss_client_secret']);
    expect(await store.delete('pros_api_key')).toBe(true);
    expect(await store.delete('pros_api_key')).toBe(false);
    expect(await store.listNames()).toEqual(['pss_client_secret']);
  });

  it('keeps every one of many concurrent writes', async () => {
    const store = createSafeStorageSecretStore({ safeStorage: safeStorageDouble(keychain(), { async: true }), file, platform: 'linux' });
    const names = Array.from({ length: 20 }, (_, i) => `k_${i}`);
    await Promise.all(names.map((n) => store.set(n, new Secret(`v${n}`))));
    expect(await store.listNames()).toEqual([...names].sort());
  });

  it('refuses a file that holds clear text or is not its format', async () => {
    fs.writeFileSync(file, JSON.stringify({ format: 'dfae-secrets/safeStorage', version: 1, secrets: { pss_client_secret: `plain ${VALUE}` } }));
    const err = await failure(createSafeStorageSecretStore({ safeStorage: safeStorageDouble(keychain()), file, platform: 'linux' }).get('pss_client_secret'));
    expect(err.code).toBe('corrupt');
    expect(err.message).toContain('secrets.pss_client_secret');
    expect(err.message).not.toContain(VALUE);
  });
});
