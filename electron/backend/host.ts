/**
 * What every host (desktop, web bridge, headless CLI) does to start: pick the configuration (a file,
 * or the built-in sandbox by default), start the sandbox when configured, build the connectors, open the
 * backend. The only host-specific part is how the sandbox process is started.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createBackend, type Backend, type BackendOptions } from '../../engine/backend';
import type { SecretStore } from '../../engine/ports/secrets';
import type { Clock } from '../../engine/domain/time';
import type { SandboxEndpoints } from '../../connectors/sandbox/sandbox';
import { buildConnectors, type BuiltConnectors } from './connectors';
import { configFromSandbox, loadConfig, parseConfig, type DfaeConfig } from './config';

export const CONFIG_FILE_NAME = 'config.json';

/** The configuration a new user gets: our carrier on the built-in sandbox. */
export const DEFAULT_CONFIG: DfaeConfig = parseConfig({ airline: { code: 'DF' }, sandbox: { seed: 42 } }, 'the default configuration');

/** --config, else <dataDir>/config.json when present, else the sandbox default. */
export function resolveConfig(dataDir: string, configFile?: string): { config: DfaeConfig; source: string } {
  if (configFile) return { config: loadConfig(configFile), source: path.resolve(configFile) };
  const inData = path.join(dataDir, CONFIG_FILE_NAME);
  if (fs.existsSync(inData)) return { config: loadConfig(inData), source: inData };
  return { config: DEFAULT_CONFIG, source: 'built-in default (sandbox)' };
}

export interface RunningSandbox { endpoints: SandboxEndpoints; close(): Promise<void> }

export interface HostOptions extends Omit<BackendOptions, 'connectors' | 'mode'> {
  config: DfaeConfig;
  /** the host's secret store (desktop: OS keychain; headless: environment and an owner-only file) */
  secrets: SecretStore;
  /** starts the sandbox for a sandbox configuration (a child process, or Electron's utility process) */
  startSandbox(sandbox: NonNullable<DfaeConfig['sandbox']>): Promise<RunningSandbox>;
  clock?: Clock;
}

export interface Host {
  backend: Backend;
  built: BuiltConnectors;
  sandbox: RunningSandbox | null;
  mode: 'sandbox' | 'live';
  close(): Promise<void>;
}

export async function startHost(opts: HostOptions): Promise<Host> {
  let sandbox: RunningSandbox | null = null;
  let config = opts.config;
  let secrets = opts.secrets;
  if (config.sandbox) {
    sandbox = await opts.startSandbox(config.sandbox);
    ({ config, secrets } = configFromSandbox(sandbox.endpoints));
  }
  let built: BuiltConnectors | undefined;
  try {
    built = await buildConnectors(config, { secrets, clock: opts.clock });
    const backend = createBackend({
      ...opts, connectors: built.connectors, mode: sandbox ? 'sandbox' : 'live',
      decisions: { ...opts.decisions, pss: built.pss },
    });
    const b = built;
    return {
      backend, built: b, sandbox, mode: sandbox ? 'sandbox' : 'live',
      async close() {
        await backend.close();
        await b.close();
        await sandbox?.close();
      },
    };
  } catch (e) {
    await built?.close();
    await sandbox?.close();
    throw e;
  }
}

/** The version in package.json (hosts run from the project or its packaged copy). */
export function packageVersion(from: string): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const p = path.join(dir, 'package.json');
    if (fs.existsSync(p)) {
      const v = (JSON.parse(fs.readFileSync(p, 'utf8')) as { version?: string; name?: string });
      if (v.name === 'dfae-workbench' && v.version) return v.version;
    }
    dir = path.dirname(dir);
  }
  return '0.0.0';
}
