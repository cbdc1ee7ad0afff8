/**
 * Starts the sandbox in its own child process (`node --import tsx connectors/sandbox/cli.ts`), waits for
 * its ready line (one JSON object with the endpoints and credentials) and returns it with a `close()` that
 * stops the process (SIGTERM, then SIGKILL after a grace period). Used by the web host, the headless CLI
 * and the benchmarks, so the sandbox's work never competes with the workbench's event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { SANDBOX_NODE_FLAGS, sandboxEnv } from './node-flags';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import readline from 'node:readline';
import type { SandboxEndpoints } from './sandbox';

export interface SandboxProcessOptions {
  seed?: number;
  /** the simulated "today" (YYYY-MM-DD) the market is played up to before it serves */
  today?: string;
  /** first port (the servers use port … port+4); default: free ports */
  port?: number;
  /** root of the drop folders; default: a temporary folder */
  dropDir?: string;
  /** keep the built market there and restore it on the next start with the same options (seconds instead of minutes) */
  cacheDir?: string;
  /** days of flown history before today (default 400) */
  historyDays?: number;
  /** 'sandbox' (default) or '3mkt' */
  scenario?: 'sandbox' | '3mkt';
  /** demand multiplier (default 1) */
  demand?: number;
  /** how long to wait for the ready line (default 120 s: building the market's history takes a while) */
  readyTimeoutMs?: number;
  /** the CLI to run (default: cli.ts beside this module) */
  cliPath?: string;
  /** extra environment for the child */
  env?: Record<string, string>;
  /** receives the child's stderr lines (default: kept for error messages only) */
  onStderr?: (line: string) => void;
}

export interface SandboxProcess {
  endpoints: SandboxEndpoints;
  pid: number;
  /** stops the sandbox; resolves when the process has exited */
  close(): Promise<void>;
}

/** The tsx loader's URL, resolved from this package's node_modules. */
export function tsxLoaderUrl(): string {
  const require = createRequire(import.meta.url);
  return pathToFileURL(require.resolve('tsx')).href;
}

export async function startSandboxProcess(opts: SandboxProcessOptions = {}): Promise<SandboxProcess> {
  const cli = opts.cliPath ?? fileURLToPath(new URL('./cli.ts', import.meta.url));
  const args = [...SANDBOX_NODE_FLAGS, '--import', tsxLoaderUrl(), cli];
  if (opts.seed !== undefined) args.push('--seed', String(opts.seed));
  if (opts.today !== undefined) args.push('--today', opts.today);
  if (opts.port !== undefined) args.push('--port', String(opts.port));
  if (opts.dropDir !== undefined) args.push('--drop-dir', opts.dropDir);
  if (opts.cacheDir !== undefined) args.push('--cache-dir', opts.cacheDir);
  if (opts.historyDays !== undefined) args.push('--history-days', String(opts.historyDays));
  if (opts.scenario !== undefined) args.push('--scenario', opts.scenario);
  if (opts.demand !== undefined) args.push('--demand', String(opts.demand));
  // its standard input stays open while this process lives: if this process ends without closing it (killed, or
  // a parent's signal relay giving up on it), the pipe closes and the sandbox stops rather than serve on, orphaned
  args.push('--exit-with-parent');
  const child = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: sandboxEnv({ ...process.env, ...(opts.env ?? {}) }),
  });
  const stderr: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (line) => {
    stderr.push(line);
    if (stderr.length > 50) stderr.shift();
    opts.onStderr?.(line);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const timeoutMs = opts.readyTimeoutMs ?? 120_000;
  let endpoints: SandboxEndpoints;
  try {
    endpoints = await new Promise<SandboxEndpoints>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sandbox process did not become ready within ${timeoutMs} ms${tail(stderr)}`)), timeoutMs);
      const lines = readline.createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        let msg: { ready?: boolean; endpoints?: SandboxEndpoints; error?: string };
        try { msg = JSON.parse(line) as typeof msg; } catch { return; }
        if (msg.ready && msg.endpoints) {
          clearTimeout(timer);
          resolve(msg.endpoints);
        } else if (msg.error) {
          clearTimeout(timer);
          reject(new Error(`sandbox process failed: ${msg.error}`));
        }
      });
      child.once('error', (e) => { clearTimeout(timer); reject(new Error(`sandbox process could not start: ${e.message}`)); });
      void exited.then((code) => { clearTimeout(timer); reject(new Error(`sandbox process exited with code ${code} before it was ready${tail(stderr)}`)); });
    });
  } catch (e) {
    await stop(child, exited);
    throw e;
  }
  let closing: Promise<void> | null = null;
  return {
    endpoints,
    pid: child.pid!,
    close: () => (closing ??= stop(child, exited)),
  };
}

function tail(lines: string[]): string {
  return lines.length ? `; its last output: ${lines.slice(-8).join(' | ')}` : '';
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killer);
}
