import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../engine/backend';
import { fixedClock } from '../../engine/domain/time';
import { startTestSandbox, type TestSandbox } from '../../connectors/sandbox/test-support/fixture';
import { ConfigError, configFromSandbox, loadConfig, memorySecretStore, parseConfig } from './config';
import { buildConnectors } from './connectors';

const pss = {
  baseUrl: 'https://pss.example.com/api',
  auth: { tokenUrl: 'https://pss.example.com/oauth2/token', clientId: 'dfae', clientSecret: { secret: 'pss_client_secret' } },
};

function problems(value: unknown): { key: string; problem: string }[] {
  try {
    parseConfig(value);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues;
  }
  throw new Error('the configuration was accepted');
}

describe('configuration file', () => {
  it('accepts a feed with its defaults filled in', () => {
    const c = parseConfig({ airline: { code: 'DF' }, feeds: { pss } });
    expect(c.feeds.pss).toMatchObject({ timeouts: { connectMs: 5_000, requestMs: 30_000 }, auth: { clientAuth: 'basic' } });
  });

  it('names the key and the problem of each mistake', () => {
    expect(problems({ airline: { code: 'DF' }, feeds: { pss: { ...pss, baseUrl: 'pss.example.com' } } })).toEqual([
      { key: 'feeds.pss.baseUrl', problem: expect.stringMatching(/must be an absolute URL/) },
    ]);
    expect(problems({ airline: { code: 'DF' }, feeds: { pss: { ...pss, baseUrl: 'http://pss.example.com' } } })[0]).toEqual(
      { key: 'feeds.pss.baseUrl', problem: expect.stringMatching(/plain http is allowed only to this machine/) });
    expect(problems({ airline: { code: 'DF' }, feeds: { pss: { ...pss, timeouts: { connectMs: -1 } } } })[0]!.key).toBe('feeds.pss.timeouts.connectMs');
    expect(problems({ airline: { code: 'DF' }, feeds: { pss: { ...pss, colour: 'blue' } } })[0]).toMatchObject({ key: 'feeds.pss', problem: expect.stringMatching(/colour/) });
    expect(problems({ airline: { code: 'D' }, feeds: { pss } })[0]!.key).toBe('airline.code');
    expect(problems({ airline: { code: 'DF' } })).toEqual([{ key: 'feeds', problem: expect.stringMatching(/at least one feed, or "sandbox"/) }]);
    expect(problems({ airline: { code: 'DF' }, sandbox: {}, feeds: { pss } })[0]).toMatchObject({ key: 'sandbox', problem: expect.stringMatching(/either "sandbox" or "feeds"/) });
  });

  it('refuses a secret written into the file, and names where it belongs', () => {
    const p = problems({ airline: { code: 'DF' }, feeds: { pss: { ...pss, auth: { ...pss.auth, clientSecret: 's3cr3t-value' } } } });
    expect(p).toEqual([{ key: 'feeds.pss.auth.clientSecret', problem: expect.stringMatching(/never read from the configuration file.*\{"secret": "<name>"\}/) }]);
    expect(JSON.stringify(p)).not.toContain('s3cr3t-value');
  });

  it('reports an unreadable or malformed file with its path', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-config-'));
    try {
      expect(() => loadConfig(path.join(dir, 'none.json'))).toThrow(/none\.json cannot be read \(ENOENT\)/);
      fs.writeFileSync(path.join(dir, 'bad.json'), '{ "airline": ');
      expect(() => loadConfig(path.join(dir, 'bad.json'))).toThrow(/bad\.json is not valid JSON/);
      fs.writeFileSync(path.join(dir, 'ok.json'), JSON.stringify({ airline: { code: 'DF' }, sandbox: { seed: 3 } }));
      expect(loadConfig(path.join(dir, 'ok.json')).sandbox).toEqual({ seed: 3, port: 0 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('connectors built from the configuration', () => {
  let sb: TestSandbox;
  beforeAll(async () => { sb = await startTestSandbox({ historyDays: 7 }); });
  afterAll(async () => { await sb.close(); });

  it('sync all four feeds of the sandbox, with the secrets taken from the secret store', async () => {
    const { config, secrets } = configFromSandbox(sb.sandbox.endpoints);
    expect(JSON.stringify(config)).not.toContain(sb.sandbox.endpoints.systems.pss.clientSecret);
    const built = await buildConnectors(config, { secrets });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-built-'));
    const backend = createBackend({ dataDir: dir, clock: fixedClock('2026-03-01T06:00:00Z'), connectors: built.connectors, mode: 'sandbox', host: 'test', version: 't' });
    try {
      expect(built.connectors.map((c) => c.feed)).toEqual(['schedule', 'pss', 'pros', 'competitor']);
      // the schedule first; then the PSS, demand and competitor feeds side by side
      const seen: string[] = [];
      const stop = backend.events.subscribe((m) => { if (m.name === 'feed.run') seen.push(`${m.payload.feed}:${m.payload.status}`); });
      const runs = await backend.feeds.sync(undefined, 'test', true);
      stop();
      expect(runs.map((r) => `${r.feed}:${r.status}`)).toEqual(['schedule:ok', 'pss:ok', 'pros:ok', 'competitor:ok']);
      expect(seen.slice(0, 2)).toEqual(['schedule:running', 'schedule:ok']);
      expect(seen.indexOf('competitor:running')).toBeLessThan(seen.indexOf('pss:ok'));
      expect(backend.feeds.status().map((s) => s.state)).toEqual(['ok', 'ok', 'ok', 'ok']);
      expect(built.pss).not.toBeNull();
      expect(built.demand && built.competitor && built.schedule).toBeTruthy();
    } finally {
      await backend.close();
      await built.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says which secret is missing and where to set it', async () => {
    const config = parseConfig({ airline: { code: 'DF' }, feeds: { pss } });
    await expect(buildConnectors(config, { secrets: memorySecretStore('an empty store') }))
      .rejects.toThrow(/feeds\.pss\.auth\.clientSecret: secret "pss_client_secret" is not set in an empty store.*DFAE_SECRET_PSS_CLIENT_SECRET/);
  });
});
