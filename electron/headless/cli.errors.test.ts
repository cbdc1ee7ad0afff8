import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CycleReport } from '../../engine/api/contract/cycle';
import { AS_OF, captureIO, prepareDataDir, startCliSandbox, type CliSandbox } from './testSupport';
import { main } from './cli';

let t: CliSandbox;
beforeAll(async () => { t = await startCliSandbox(); }, 60_000);
afterAll(async () => { await t?.close(); });

describe('dfae exit codes for bad configuration and failing feeds', () => {
  it('exits 2 on a bad configuration file, naming the key and the problem', async () => {
    const file = t.writeConfig((c) => { ((c.feeds as Record<string, { auth: Record<string, unknown> }>).pss.auth).tokenUrl = 'pss.example.com/token'; });
    const r = await t.runCli(['run', '--once', '--config', file, '--data-dir', t.tmp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('feeds.pss.auth.tokenUrl: must be an absolute URL');
    expect(r.logs.find((l) => l.level === 'error')).toMatchObject({ code: 2, issues: [{ key: 'feeds.pss.auth.tokenUrl' }] });
    expect(r.stdout).toBe('');
  }, 60_000);

  it('exits 2 when a referenced secret is missing, naming the key and the variable to set', async () => {
    const r = await t.runCli(['sync', '--config', t.configFile, '--data-dir', t.tmp()], { env: { DFAE_SECRET_SANDBOX_PROS_CLIENT_SECRET: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/feeds\.pros\.auth\.clientSecret: secret "sandbox_pros_client_secret" is not set: export DFAE_SECRET_SANDBOX_PROS_CLIENT_SECRET=/);
  }, 60_000);

  it('exits 2 on bad options: a cron expression, a time zone, a market, a missing mode, an instant', async () => {
    const dir = t.tmp();
    const cases: [string[], RegExp][] = [
      [['run', '--schedule', '0 25 * * *'], /"0 25 \* \* \*" is not a usable cron expression/],
      [['run', '--schedule', '0 5 * * *', '--tz', 'Europe/Atlantis'], /"Europe\/Atlantis" is not an IANA time zone/],
      [['run', '--once', '--markets', 'LHR-JFK,LONDON'], /"LONDON" is not a market/],
      [['run'], /choose one of --once, --schedule "<cron>" or --saved-schedules/],
      [['run', '--once', '--now', 'yesterday'], /--now must be a UTC instant/],
      [['run', '--once', '--workers', 'many'], /--workers must be a whole number/],
      [['push', '--bogus'], /unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const io = captureIO(t.env);
      const code = await main([...args, '--config', t.configFile, '--data-dir', dir], io);
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(io.text('stderr')).toMatch(message);
      expect(io.text('stdout')).toBe('');
    }
  });

  it('exits 4 when a feed is unreachable: the run goes on with what the store holds and says which feed failed', async () => {
    const dataDir = t.tmp();
    await prepareDataDir(dataDir);
    const file = t.writeConfig((c) => {
      const f = (c.feeds as Record<string, Record<string, unknown>>).competitor!;
      f.baseUrl = 'http://127.0.0.1:9/api'; // the discard port: nothing listens
      f.auth = { ...(f.auth as object), tokenUrl: 'http://127.0.0.1:9/oauth2/token' };
      f.retry = { maxAttempts: 1 };
      f.timeouts = { connectMs: 500, requestMs: 2_000 };
    });
    const r = await t.runCli(['run', '--once', '--config', file, '--data-dir', dataDir, '--now', AS_OF, '--json', '--workers', '1', '--horizon-days', '30', '--no-network']);
    expect(r.code, r.stderr.slice(-2000)).toBe(4);
    const { report } = JSON.parse(r.stdout) as { report: CycleReport };
    expect(report).toMatchObject({ status: 'warning', outcome: 'feed_fallback', sync: { fallbackUsed: true } });
    const competitor = report.sync!.feeds.find((f) => f.feed === 'competitor')!;
    expect(['failed', 'fallback']).toContain(competitor.status);
    expect(report.sync!.feeds.filter((f) => f.feed !== 'competitor').every((f) => f.status === 'ok')).toBe(true);
    expect(report.warnings.find((w) => w.step === 'sync')?.message).toMatch(/^competitor: /);
    // the rest of the cycle ran
    expect(report.pricing!.departures).toBeGreaterThan(0);
    expect(report.push!.accepted).toBe(report.autoApproval!.approved);
  }, 90_000);
});
