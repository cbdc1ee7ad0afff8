/**
 * Test support for the `dfae` command (only tests import this): a small sandbox in the test process
 * (3MKT, three weeks of history) with a configuration file that points the four feeds at it and the
 * client secrets as DFAE_SECRET_<NAME> variables, the CLI run as a child process exactly as a scheduler
 * runs it, its JSON log lines parsed, and the sandbox PSS's push counters.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { startTestSandbox, type TestSandbox } from '../../connectors/sandbox/test-support/fixture';
import { configFromSandbox, type DfaeConfig } from '../backend/config';
import { createBackend } from '../../engine/backend';
import { secretEnvName } from '../../engine/ports/secrets';
import type { CliIO } from './context';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DFAE = path.join(ROOT, 'electron', 'headless', 'dfae.mjs');
/** the test sandbox's simulated today, 06:00 UTC */
export const AS_OF = '2026-03-01T06:00:00Z';

export interface LogLine { level: string; time: string; msg: string; [k: string]: unknown }

export interface CliResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; logs: LogLine[] }

export interface CliChild {
  child: ChildProcess;
  logs: LogLine[];
  /** resolves with the first log line matching, rejects if the process ends first */
  waitForLog(match: (l: LogLine) => boolean): Promise<LogLine>;
  done: Promise<CliResult>;
}

export interface CliSandbox {
  sb: TestSandbox;
  config: DfaeConfig;
  configFile: string;
  env: Record<string, string>;
  tmp(prefix?: string): string;
  /** a configuration file derived from the sandbox's (tests break one key) */
  writeConfig(change: (c: Record<string, unknown>) => void, name?: string): string;
  spawnCli(args: readonly string[], o?: { env?: Record<string, string>; timeoutMs?: number }): CliChild;
  runCli(args: readonly string[], o?: { env?: Record<string, string>; timeoutMs?: number }): Promise<CliResult>;
  /** items the sandbox PSS applied and rejected, and batches it answered again from memory */
  pushes(): Promise<{ accepted: number; rejected: number; replayed: number; batches: number }>;
  close(): Promise<void>;
}

export async function startCliSandbox(): Promise<CliSandbox> {
  const sb = await startTestSandbox({ historyDays: 21 });
  const dirs: string[] = [];
  const tmp = (prefix = 'dfae-cli-') => { const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix)); dirs.push(d); return d; };
  const { config, secrets } = configFromSandbox(sb.sandbox.endpoints);
  const env: Record<string, string> = {};
  for (const name of await secrets.listNames()) env[secretEnvName(name)] = (await secrets.get(name))!.reveal();
  const confDir = tmp('dfae-cli-conf-');
  const writeConfig = (change: (c: Record<string, unknown>) => void, name = `config-${dirs.length}.json`) => {
    const c = JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
    change(c);
    const file = path.join(confDir, name);
    fs.writeFileSync(file, JSON.stringify(c, null, 2));
    return file;
  };
  const configFile = writeConfig(() => {}, 'config.json');
  const children = new Set<ChildProcess>();

  const spawnCli = (args: readonly string[], o: { env?: Record<string, string>; timeoutMs?: number } = {}): CliChild => {
    const childEnv: Record<string, string | undefined> = { ...process.env, ...env, ...o.env };
    delete childEnv.DFAE_DATA_DIR;
    const child = spawn(process.execPath, [DFAE, ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    const logs: LogLine[] = [];
    const waiters: { match: (l: LogLine) => boolean; resolve: (l: LogLine) => void; reject: (e: Error) => void }[] = [];
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
    readline.createInterface({ input: child.stderr! }).on('line', (line) => {
      stderr += `${line}\n`;
      if (!line.startsWith('{')) return;
      let l: LogLine;
      try { l = JSON.parse(line) as LogLine; } catch { return; }
      logs.push(l);
      for (const w of [...waiters]) if (w.match(l)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(l); }
    });
    const timeoutMs = o.timeoutMs ?? 120_000;
    const done = new Promise<CliResult>((resolve, reject) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`dfae ${args.join(' ')} did not finish within ${timeoutMs} ms; stderr: ${stderr.slice(-3000)}`)); }, timeoutMs);
      child.on('error', (e) => { clearTimeout(timer); reject(e); });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        children.delete(child);
        for (const w of waiters.splice(0)) w.reject(new Error(`dfae ${args.join(' ')} ended (code ${code}) before the awaited log line; stderr: ${stderr.slice(-3000)}`));
        resolve({ code, signal, stdout, stderr, logs });
      });
    });
    const waitForLog = (match: (l: LogLine) => boolean) => {
      const seen = logs.find(match);
      if (seen) return Promise.resolve(seen);
      if (child.exitCode !== null) return Promise.reject(new Error('the process has ended'));
      return new Promise<LogLine>((resolve, reject) => waiters.push({ match, resolve, reject }));
    };
    return { child, logs, waitForLog, done };
  };

  return {
    sb, config, configFile, env, tmp, writeConfig, spawnCli,
    runCli: (args, o) => spawnCli(args, o).done,
    pushes: async () => {
      const p = (await sb.status()).pushes;
      return {
        accepted: p.fares.itemsAccepted + p.controls.itemsAccepted, rejected: p.fares.itemsRejected + p.controls.itemsRejected,
        replayed: p.fares.replayed + p.controls.replayed, batches: p.fares.batches + p.controls.batches,
      };
    },
    close: async () => {
      for (const c of children) c.kill('SIGKILL');
      await sb.close();
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}

/**
 * What a revenue manager sets up before headless runs: an auto-approval rule (changes within ±maxChangePct,
 * every market) and alert thresholds loose enough that the 3MKT market's large moves and competitor
 * undercuts do not hold every proposal back.
 */
export async function prepareDataDir(dataDir: string, o: { maxChangePct?: number } = {}): Promise<void> {
  const backend = createBackend({ dataDir, connectors: [], mode: 'live', host: 'test', version: 'test' });
  try {
    backend.decisions.monitoring.alerts.setThresholds('rita', { competitorUndercutPct: 100, largeMovePct: 1000 });
    backend.decisions.workflow.autoApproval.save('rita', { name: 'small moves', enabled: true, kinds: ['fare', 'authorisation', 'bid_price'], origin: null, destination: null, maxChangePct: o.maxChangePct ?? 10 });
  } finally {
    await backend.close();
  }
}

/** The decisions of a data folder by state. */
export async function decisionStates(dataDir: string): Promise<Record<string, number>> {
  const backend = createBackend({ dataDir, connectors: [], mode: 'live', host: 'test', version: 'test' });
  try {
    const rows = backend.store.db.prepare('SELECT state, count(*) AS n FROM decisions GROUP BY state').all() as { state: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  } finally {
    await backend.close();
  }
}

/** IO for running the command line in this process (cli.ts main), its output captured. */
export function captureIO(env: Record<string, string>): CliIO & { text(which: 'stdout' | 'stderr'): string } {
  const chunks = { stdout: [] as string[], stderr: [] as string[] };
  const stream = (which: 'stdout' | 'stderr') => { const s = new PassThrough(); s.on('data', (d: Buffer) => chunks[which].push(d.toString())); return s; };
  return { stdout: stream('stdout'), stderr: stream('stderr'), env, onSignal: () => () => {}, text: (which) => chunks[which].join('') };
}
