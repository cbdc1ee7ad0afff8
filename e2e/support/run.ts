/**
 * What the global setup hands the tests: the running web host (origin, data folder, process id), the
 * sandbox endpoints with their per-launch credentials and control token, the demo password, and the
 * browser session (a storage state holding the session cookie the launch token was exchanged for).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SandboxEndpoints } from '../../connectors/sandbox/sandbox';

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(E2E_DIR, '..');
export const ARTIFACTS = path.join(E2E_DIR, 'artifacts');
export const RUN_DIR = path.join(ARTIFACTS, 'run');
export const HOST_FILE = path.join(RUN_DIR, 'host.json');
export const STATE_FILE = path.join(RUN_DIR, 'state.json');

/**
 * The simulated "today" of the e2e sandbox: the UTC day the run started (DFAE_E2E_TODAY, set here in the
 * runner before the workers start, so a run over midnight keeps one day; set it to replay a day). Not a
 * fixed date: the workbench runs on the real clock, and a sandbox day left behind ages past the feeds'
 * staleness limits (the demand feed turns to fallback 36 h after its newest figure). Same seed, same day:
 * the same values on every run of that day.
 */
export const SANDBOX_TODAY = (process.env.DFAE_E2E_TODAY ??= new Date().toISOString().slice(0, 10));
if (!/^\d{4}-\d{2}-\d{2}$/.test(SANDBOX_TODAY)) throw new Error(`DFAE_E2E_TODAY must be a date like 2026-11-25, not "${SANDBOX_TODAY}"`);
export const SANDBOX_SEED = 42;

export interface HostInfo {
  origin: string;
  dataDir: string;
  /** the `npm run web` process (its process group is ended by the teardown); null when reused */
  pid: number | null;
  reused: boolean;
  password: string;
  sandbox: SandboxEndpoints;
  logFile: string;
  readyAt: string;
}

export function readHostInfo(): HostInfo {
  if (!fs.existsSync(HOST_FILE)) throw new Error(`${HOST_FILE} is missing: the e2e global setup did not run (run the suite with npm run e2e)`);
  return JSON.parse(fs.readFileSync(HOST_FILE, 'utf8')) as HostInfo;
}
