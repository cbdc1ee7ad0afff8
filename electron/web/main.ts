/**
 * `npm run web`: the same workbench served to a browser on 127.0.0.1. Prints the URL with its one-time
 * token. By default it runs on the built-in sandbox (started in its own process) and syncs all feeds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import readline from 'node:readline';
import { Command } from 'commander';
import { resolveDataDir } from '../../engine/store/db';
import { startSandboxProcess } from '../../connectors/sandbox/process';
import { headlessSecretStoreFromEnv } from '../secrets/index';
import { startHost, resolveConfig, packageVersion, type Host } from '../backend/host';
import { startWebBridge, type WebBridge } from './bridge';
import { ConfigError } from '../backend/config';
import type { UserService } from '../../engine/auth/users';
import type { Role } from '../../engine/api/contract/define';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '..', '..');

export interface WebHostOptions {
  dataDir?: string;
  configFile?: string;
  port?: number;
  /** skip the sync of all feeds at start */
  noInitialSync?: boolean;
  staticDir?: string;
  log?: (line: string) => void;
  /**
   * On the sandbox, when no user exists yet: create demo profiles (an administrator, a revenue manager
   * and an analyst) with this password (default: DFAE_DEMO_PASSWORD, else a random one). false: never
   * (the first browser then runs the first-run setup).
   */
  demoUsers?: { password?: string } | false;
}

export interface DemoUser { login: string; displayName: string; role: Role }
export const DEMO_USERS: readonly DemoUser[] = [
  { login: 'admin', displayName: 'Ada Admin', role: 'admin' },
  { login: 'manager', displayName: 'Rita Revenue', role: 'revenue_manager' },
  { login: 'analyst', displayName: 'Andy Analyst', role: 'analyst' },
];

export interface WebHost {
  host: Host;
  bridge: WebBridge;
  /** the demo profiles created at this start, with their password (null: none were created) */
  demo: { users: readonly DemoUser[]; password: string } | null;
  close(): Promise<void>;
}

/** Creates the demo profiles when no user exists (the first through first-run setup); null when users exist. */
export async function ensureDemoUsers(users: UserService, password: string): Promise<readonly DemoUser[] | null> {
  if (!users.setupRequired()) return null;
  const [first, ...rest] = DEMO_USERS;
  await users.setup({ login: first!.login, displayName: first!.displayName, password });
  for (const u of rest) await users.create('system:web-demo', { ...u, password });
  return DEMO_USERS;
}

export async function startWebHost(o: WebHostOptions): Promise<WebHost> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const dataDir = resolveDataDir(o.dataDir);
  const { config, source } = resolveConfig(dataDir, o.configFile);
  log(`data folder ${dataDir}; configuration: ${source}`);
  const host = await startHost({
    dataDir, config, host: 'web', version: packageVersion(ROOT),
    secrets: headlessSecretStoreFromEnv(process.env, dataDir),
    startSandbox: async (s) => {
      log('starting the sandbox (the first start builds a year of market history, a few minutes; later starts restore it)…');
      // the built market is kept (as the desktop app does) in <data folder>/sandbox-cache, or DFAE_SANDBOX_CACHE_DIR,
      // and restored at the next start with the same options: seconds instead of minutes
      const cacheDir = process.env.DFAE_SANDBOX_CACHE_DIR || path.join(dataDir, 'sandbox-cache');
      const p = await startSandboxProcess({ seed: s.seed, today: s.today, port: s.port || undefined, historyDays: s.historyDays, dropDir: path.join(dataDir, 'sandbox-drops'), cacheDir });
      log(`sandbox ready: simulated now ${p.endpoints.now}, PSS ${p.endpoints.systems.pss.baseUrl}`);
      return p;
    },
    log: (level, message, fields) => { if (level !== 'debug') log(JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...fields })); },
  });
  let bridge: WebBridge;
  try {
    bridge = await startWebBridge({
      dispatcher: host.backend.dispatcher, events: host.backend.events,
      staticDir: o.staticDir ?? path.join(ROOT, 'app', 'dist'), port: o.port ?? 0,
      // nobody is signed in until they log in (or, with no user yet, run the first-run setup)
      initialCaller: null, log,
    });
  } catch (e) {
    await host.close();
    throw e;
  }
  let demo: WebHost['demo'] = null;
  if (host.mode === 'sandbox' && o.demoUsers !== false) {
    const password = o.demoUsers?.password ?? process.env.DFAE_DEMO_PASSWORD ?? randomBytes(9).toString('base64url');
    const created = await ensureDemoUsers(host.backend.decisions.users, password);
    if (created) demo = { users: created, password };
  }
  if (!o.noInitialSync) {
    host.backend.feeds.sync(undefined, 'startup', true).catch((e: Error) => log(`initial sync failed: ${e.message}`));
  }
  return { host, bridge, demo, close: async () => { await bridge.close(); await host.close(); } };
}

async function main(): Promise<void> {
  const program = new Command('npm run web --')
    .description('Serve DFAE Workbench to a browser on 127.0.0.1 (the built-in sandbox unless a configuration says otherwise).')
    .option('--data-dir <dir>', 'data folder (default: DFAE_DATA_DIR or the user data folder)')
    .option('--config <file>', 'configuration file (default: <data-dir>/config.json, else the sandbox)')
    .option('--port <port>', 'port on 127.0.0.1 (0: any free port)', (v) => Number.parseInt(v, 10), 0)
    .option('--no-initial-sync', 'do not sync the feeds at start')
    .option('--no-demo-users', 'on the sandbox, do not create demo profiles: the first browser runs the first-run setup')
    .option('--sandbox-endpoints-file <file>', 'write the sandbox endpoints and their per-launch credentials to this file (owner-only), for tests that talk to the sandbox directly')
    .parse(process.argv);
  const o = program.opts<{ dataDir?: string; config?: string; port: number; initialSync: boolean; demoUsers: boolean; sandboxEndpointsFile?: string }>();
  let web: WebHost;
  try {
    web = await startWebHost({ dataDir: o.dataDir, configFile: o.config, port: o.port, noInitialSync: !o.initialSync, demoUsers: o.demoUsers ? {} : false });
  } catch (e) {
    process.stderr.write(`npm run web: ${e instanceof ConfigError ? e.message : (e as Error).stack ?? e}\n`);
    process.exit(e instanceof ConfigError ? 2 : 1);
  }
  process.stdout.write(`DFAE Workbench is running${web.host.mode === 'sandbox' ? ' on the built-in sandbox' : ''}. Open:\n  ${web.bridge.url}\n`);
  if (web.host.sandbox) {
    const sb = web.host.sandbox.endpoints;
    // the control token drives the sandbox's clock and faults (tests, demos); it is per launch and local
    process.stdout.write(`sandbox endpoints: ${JSON.stringify({ pss: sb.systems.pss.baseUrl, control: sb.control.baseUrl, controlToken: sb.control.token })}\n`);
    if (o.sandboxEndpointsFile) fs.writeFileSync(o.sandboxEndpointsFile, `${JSON.stringify(sb, null, 2)}\n`, { mode: 0o600 });
  }
  if (web.demo) {
    const fromEnv = process.env.DFAE_DEMO_PASSWORD !== undefined;
    process.stdout.write(`demo profiles: ${web.demo.users.map((u) => `${u.login} (${u.role.replace('_', ' ')})`).join(', ')}; password: ${fromEnv ? 'DFAE_DEMO_PASSWORD' : web.demo.password}\n`);
  } else if (web.host.backend.decisions.users.setupRequired()) {
    process.stdout.write('no user yet: the first person to open the URL creates the administrator (first-run setup)\n');
  }
  // each link works once (it is exchanged for a session cookie): Enter prints another, for a second browser
  if (process.stdin.isTTY) {
    process.stdout.write('press Enter for another one-time link (another browser or a private window)\n');
    readline.createInterface({ input: process.stdin }).on('line', () => process.stdout.write(`  ${web.bridge.newLoginUrl()}\n`));
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: stopping…\n`);
    void web.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
