import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Secret, SecretStoreError } from '../../engine/ports/secrets';
import { createHeadlessSecretStore } from './headlessStore';
import { headlessSecretStoreFromEnv } from './index';

const VALUE = 'client-secret-4b8e1d';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-secrets-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

function writeSecretsFile(content: string, mode: number): string {
  const file = path.join(dir, 'secrets.json');
  fs.writeFileSync(file, content);
  fs.chmodSync(file, mode);
  return file;
}

async function failure(p: Promise<unknown>): Promise<SecretStoreError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(SecretStoreError);
  return err as SecretStoreError;
}

describe('headless secret store', () => {
  it('reads DFAE_SECRET_<NAME> environment variables', async () => {
    const store = createHeadlessSecretStore({ env: { DFAE_SECRET_PSS_CLIENT_SECRET: VALUE, DFAE_SECRET_EMPTY: '' } });
    expect((await store.get('pss_client_secret'))?.reveal()).toBe(VALUE);
    expect(await store.get('empty')).toBeUndefined();
    expect(await store.get('other')).toBeUndefined();
  });

  it('reads an owner-only file, with environment variables taking precedence', async () => {
    const file = writeSecretsFile(JSON.stringify({ pss_client_secret: 'from-file', pros_api_key: 'pros-from-file' }), 0o600);
    const store = createHeadlessSecretStore({ env: { DFAE_SECRET_PSS_CLIENT_SECRET: VALUE }, file });
    expect((await store.get('pss_client_secret'))?.reveal()).toBe(VALUE);
    expect((await store.get('pros_api_key'))?.reveal()).toBe('pros-from-file');
  });

  it.each([0o644, 0o640, 0o604, 0o660, 0o606])('refuses a file with mode %o, naming the file and the chmod 600 fix', async (mode) => {
    const file = writeSecretsFile(JSON.stringify({ pros_api_key: VALUE }), mode);
    const store = createHeadlessSecretStore({ env: {}, file, platform: 'linux' });
    const err = await failure(store.get('pros_api_key'));
    expect(err.code).toBe('insecure');
    expect(err.message).toContain(file);
    expect(err.message).toContain(`chmod 600 ${file}`);
    expect(err.message).toContain(mode.toString(8));
    expect(err.message).not.toContain(VALUE);
  });

  it('quotes a path with spaces in the chmod advice', async () => {
    const sub = path.join(dir, 'my secrets');
    fs.mkdirSync(sub);
    const file = path.join(sub, 'secrets.json');
    fs.writeFileSync(file, '{}', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const err = await failure(createHeadlessSecretStore({ env: {}, file, platform: 'linux' }).listNames());
    expect(err.message).toContain(`chmod 600 '${file}'`);
  });

  it('skips the POSIX mode check on Windows, where modes mean nothing', async () => {
    const file = writeSecretsFile(JSON.stringify({ pros_api_key: VALUE }), 0o644);
    const store = createHeadlessSecretStore({ env: {}, file, platform: 'win32' });
    expect((await store.get('pros_api_key'))?.reveal()).toBe(VALUE);
  });

  it('reports invalid JSON without echoing the file content', async () => {
    const file = writeSecretsFile(`{"pros_api_key": "${VALUE}",}`, 0o600);
    const err = await failure(createHeadlessSecretStore({ env: {}, file }).get('pros_api_key'));
    expect(err.code).toBe('corrupt');
    expect(err.message).toContain(file);
    expect(err.message).not.toContain(VALUE);
  });

  it('names the bad key of a malformed file but never its value', async () => {
    const file = writeSecretsFile(JSON.stringify({ pros_api_key: 12345, 'Bad-Name': VALUE, empty_one: '' }), 0o600);
    const err = await failure(createHeadlessSecretStore({ env: {}, file }).get('pros_api_key'));
    expect(err.code).toBe('corrupt');
    expect(err.message).toContain('pros_api_key');
    expect(err.message).toContain('empty_one');
    expect(err.message).toContain('Bad-Name');
    expect(err.message).not.toContain(VALUE);
    expect(err.message).not.toContain('12345');
  });

  it('sets and deletes secrets in the file, created with mode 600 and no temporary files left', async () => {
    const file = path.join(dir, 'nested', 'secrets.json');
    const store = createHeadlessSecretStore({ env: {}, file });
    await store.set('pss_client_secret', new Secret(VALUE));
    await store.set('pros_api_key', new Secret('second'));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ pros_api_key: 'second', pss_client_secret: VALUE });
    expect(await store.delete('pss_client_secret')).toBe(true);
    expect(await store.delete('pss_client_secret')).toBe(false);
    expect(await store.listNames()).toEqual(['pros_api_key']);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['secrets.json']);
  });

  it('does not lose concurrent writes', async () => {
    const file = path.join(dir, 'secrets.json');
    const store = createHeadlessSecretStore({ env: {}, file });
    const names = Array.from({ length: 25 }, (_, i) => `key_${i}`);
    await Promise.all(names.map((n) => store.set(n, new Secret(`v-${n}`))));
    expect(await store.listNames()).toEqual([...names].sort());
    expect((await store.get('key_17'))?.reveal()).toBe('v-key_17');
  });

  it('refuses to write a secret that an environment variable overrides, or with no file configured', async () => {
    const file = path.join(dir, 'secrets.json');
    const shadowed = await failure(createHeadlessSecretStore({ env: { DFAE_SECRET_PROS_API_KEY: VALUE }, file }).set('pros_api_key', new Secret('x')));
    expect(shadowed.code).toBe('read-only');
    expect(shadowed.message).toContain('DFAE_SECRET_PROS_API_KEY');
    const noFile = await failure(createHeadlessSecretStore({ env: {} }).set('pros_api_key', new Secret('x')));
    expect(noFile.code).toBe('read-only');
    expect(noFile.message).toContain('DFAE_SECRETS_FILE');
    expect(fs.existsSync(file)).toBe(false);
  });

  it('lists names from the file and well-formed environment variables, never values', async () => {
    const file = writeSecretsFile(JSON.stringify({ from_file: 'a' }), 0o600);
    const store = createHeadlessSecretStore({ env: { DFAE_SECRET_FROM_ENV: VALUE, DFAE_SECRET_lower: 'x', DFAE_SECRET_: 'x', OTHER: 'y' }, file });
    expect(await store.listNames()).toEqual(['from_env', 'from_file']);
  });

  it('validates names before touching anything', async () => {
    const err = await failure(createHeadlessSecretStore({ env: {} }).get('../../etc/passwd'));
    expect(err.code).toBe('invalid-name');
  });
});

describe('headlessSecretStoreFromEnv', () => {
  it('uses <dataDir>/secrets.json when present and tolerates its absence', async () => {
    const store = headlessSecretStoreFromEnv({}, dir, 'linux');
    expect(await store.listNames()).toEqual([]);
    writeSecretsFile(JSON.stringify({ pros_api_key: VALUE }), 0o600);
    expect((await store.get('pros_api_key'))?.reveal()).toBe(VALUE);
  });

  it('requires the file named by DFAE_SECRETS_FILE to exist', async () => {
    const missing = path.join(dir, 'nope.json');
    const err = await failure(headlessSecretStoreFromEnv({ DFAE_SECRETS_FILE: missing }, dir, 'linux').get('pros_api_key'));
    expect(err.message).toContain(missing);
    expect(err.message).toContain('does not exist');
  });
});
