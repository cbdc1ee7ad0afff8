import { Writable } from 'node:stream';
import util from 'node:util';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACTED, Secret, SecretStoreError, assertSecretName, requireSecret, secretEnvName, type SecretStore } from './secrets';

const VALUE = 'sk_live_7f3a9c1e2b';

describe('Secret', () => {
  const s = new Secret(VALUE);

  it('reveals its value only through reveal()', () => {
    expect(s.reveal()).toBe(VALUE);
    expect(s.length).toBe(VALUE.length);
  });

  it('prints [redacted] through every text conversion', () => {
    const outputs = [
      String(s),
      `${s}`,
      'x' + s,
      JSON.stringify({ auth: { clientSecret: s } }),
      util.inspect({ nested: [s] }, { depth: 10 }),
      util.format('%s %o %O %j', s, s, s, s),
    ];
    for (const out of outputs) {
      expect(out).not.toContain(VALUE);
      expect(out).toContain(REDACTED);
    }
    expect(Object.keys(s)).toEqual([]);
  });

  it('stays redacted in pino log lines', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    const log = pino({ level: 'info' }, sink);
    log.info({ secret: s, cfg: { token: s } }, 'token %s', s);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(VALUE);
    expect(lines[0]).toContain(REDACTED);
  });

  it('refuses an empty value', () => {
    expect(() => new Secret('')).toThrow(TypeError);
  });
});

describe('secret names', () => {
  it('accept lower-case snake names and map them to DFAE_SECRET_ variables', () => {
    expect(() => assertSecretName('pss_client_secret')).not.toThrow();
    expect(secretEnvName('pss_client_secret')).toBe('DFAE_SECRET_PSS_CLIENT_SECRET');
  });

  it.each(['', 'PSS', '1abc', 'a-b', 'a.b', 'a b', 'x'.repeat(64), '../etc'])('reject %j with a message naming the rule', (name) => {
    expect(() => assertSecretName(name)).toThrow(/invalid secret name .*lower-case letters, digits or underscores/);
  });
});

describe('requireSecret', () => {
  const store: SecretStore = {
    description: 'a test store',
    get: async (n) => (n === 'present' ? new Secret(VALUE) : undefined),
    set: async () => undefined,
    delete: async () => false,
    listNames: async () => ['present'],
  };

  it('returns a set secret', async () => {
    expect((await requireSecret(store, 'present')).reveal()).toBe(VALUE);
  });

  it('says where to set a missing secret', async () => {
    const err = await requireSecret(store, 'pros_api_key').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretStoreError);
    expect((err as SecretStoreError).code).toBe('not-set');
    expect((err as Error).message).toContain('DFAE_SECRET_PROS_API_KEY');
    expect((err as Error).message).toContain('a test store');
  });
});
