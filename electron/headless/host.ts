/**
 * The headless host: plain Node, no window, no Electron. Picks the configuration (--config, else
 * <data-dir>/config.json, else the built-in sandbox), checks that every referenced secret is available
 * (DFAE_SECRET_<NAME> or the owner-only secrets file) before connecting anything, starts the sandbox in
 * its own process when configured, and opens the backend with the cycle under the cycle's control
 * (no background pushing: a run pushes, a dry run never does).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { resolveDataDir } from '../../engine/store/db';
import type { Clock } from '../../engine/domain/time';
import type { CycleServiceOptions } from '../../engine/cycle/service';
import { secretEnvName } from '../../engine/ports/secrets';
import { startSandboxProcess } from '../../connectors/sandbox/process';
import { headlessSecretStoreFromEnv } from '../secrets/index';
import { ConfigError, type DfaeConfig } from '../backend/config';
import { startHost, resolveConfig, packageVersion, type Host } from '../backend/host';
import { backendLog } from './logger';

/** A clock that runs at real speed from a chosen instant (default: now), and can be re-aligned. */
export function movableClock(startIso?: string): Clock & { align(iso: string): void } {
  let base = startIso ? Date.parse(startIso) : Date.now();
  let t0 = Date.now();
  return {
    now: () => new Date(base + (Date.now() - t0)),
    align(iso: string) { base = Date.parse(iso); t0 = Date.now(); },
  };
}

/** Every secret the configuration references must be there: else a ConfigError naming the key and where to set it. */
export async function checkSecrets(config: DfaeConfig, secrets: { get(name: string): Promise<unknown>; description: string }): Promise<void> {
  const issues: { key: string; problem: string }[] = [];
  for (const [feed, f] of Object.entries(config.feeds)) {
    if (!f) continue;
    const name = f.auth.clientSecret.secret;
    let value: unknown;
    try {
      value = await secrets.get(name);
    } catch (e) {
      issues.push({ key: `feeds.${feed}.auth.clientSecret`, problem: `secret "${name}" cannot be read: ${(e as Error).message}` });
      continue;
    }
    if (value === undefined) issues.push({ key: `feeds.${feed}.auth.clientSecret`, problem: `secret "${name}" is not set: export ${secretEnvName(name)}=… or add it to the secrets file (${secrets.description})` });
  }
  if (issues.length) throw new ConfigError(`the configuration references secrets that are missing:\n${issues.map((i) => `  ${i.key}: ${i.problem}`).join('\n')}`, issues);
}

export interface HeadlessHostOptions {
  dataDir?: string;
  configFile?: string;
  /** the instant the run prices as of (ISO-8601); default: now, or the sandbox's simulated today when the configuration fixes it */
  now?: string;
  logger: Logger;
  cycle?: CycleServiceOptions;
  pushBatchSize?: number;
  env?: Readonly<Record<string, string | undefined>>;
}

export interface HeadlessHost {
  host: Host;
  dataDir: string;
  configSource: string;
  clock: Clock;
  close(): Promise<void>;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function startHeadlessHost(o: HeadlessHostOptions): Promise<HeadlessHost> {
  const env = o.env ?? process.env;
  const dataDir = resolveDataDir(o.dataDir, env as NodeJS.ProcessEnv);
  const { config, source } = resolveConfig(dataDir, o.configFile);
  const secrets = headlessSecretStoreFromEnv(env, dataDir);
  await checkSecrets(config, secrets);
  const clock = movableClock(o.now);
  o.logger.info({ dataDir, config: source, mode: config.sandbox ? 'sandbox' : 'live', asOf: o.now ?? null }, 'headless host starting');
  const host = await startHost({
    dataDir, config, secrets, clock, host: 'headless', version: packageVersion(ROOT),
    log: backendLog(o.logger),
    decisions: { autoPush: false, ...(o.pushBatchSize ? { push: { batchSize: o.pushBatchSize } } : {}) },
    cycle: o.cycle,
    startSandbox: async (s) => {
      o.logger.info({ seed: s.seed, today: s.today ?? null, historyDays: s.historyDays ?? 400 }, 'starting the sandbox (its market simulator builds the history first)');
      const p = await startSandboxProcess({
        seed: s.seed, today: s.today, port: s.port || undefined, historyDays: s.historyDays, dropDir: path.join(dataDir, 'sandbox-drops'),
        readyTimeoutMs: 600_000, onStderr: (line) => o.logger.debug({ sandbox: true }, line),
      });
      if (s.today && !o.now) clock.align(p.endpoints.now);
      o.logger.info({ now: p.endpoints.now, pss: p.endpoints.systems.pss.baseUrl }, 'sandbox ready');
      return p;
    },
  });
  return { host, dataDir, configSource: source, clock, close: () => host.close() };
}
