/**
 * Starts ONE web host for the whole run: `npm run web` (electron/web/launch.mjs) on the built-in sandbox
 * with a fixed seed and "today", demo profiles with a known password, and the sandbox endpoints written
 * to a file. Exchanges the printed one-time URL for the session cookie (saved as the tests' storage
 * state), then waits until the start-up sync of every feed has finished, so tests see the seeded data.
 *
 * DFAE_E2E_REUSE=<host.json of a run still going> skips the start (for working on one test).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { spawn } from 'node:child_process';
import { chromium, type FullConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';
import { ARTIFACTS, HOST_FILE, ROOT, RUN_DIR, SANDBOX_SEED, SANDBOX_TODAY, STATE_FILE, type HostInfo } from './run';
import { apiCall } from './api';
import { electronBinary } from './electron';

const START_TIMEOUT_MS = 15 * 60_000;
const SYNC_TIMEOUT_MS = 30 * 60_000;
export const E2E_PASSWORD = 'e2e-demo-password';

function log(line: string): void {
  process.stdout.write(`[e2e setup] ${line}\n`);
}

/** Starts npm run web in its own process group; resolves with the printed URL once it is ready. */
async function startHost(dataDir: string, logFile: string): Promise<{ url: string; pid: number }> {
  const config = path.join(dataDir, 'e2e-config.json');
  fs.writeFileSync(config, JSON.stringify({ airline: { code: 'DF' }, sandbox: { seed: SANDBOX_SEED, today: SANDBOX_TODAY, historyDays: 30 } }));
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [path.join(ROOT, 'electron', 'web', 'launch.mjs'), '--data-dir', dataDir, '--config', config, '--sandbox-endpoints-file', path.join(dataDir, 'sandbox.json')], {
    cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', out],
    // the sandbox market, once built, is restored from this cache on the next runs
    env: { ...process.env, DFAE_DEMO_PASSWORD: E2E_PASSWORD, DFAE_SANDBOX_CACHE_DIR: process.env.DFAE_SANDBOX_CACHE_DIR ?? path.join(ARTIFACTS, 'sandbox-cache') },
  });
  child.unref();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { stop(child.pid!); reject(new Error(`npm run web did not print its URL within ${START_TIMEOUT_MS / 60_000} min; see ${logFile}`)); }, START_TIMEOUT_MS);
    let url: string | null = null;
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      fs.appendFileSync(logFile, `${line}\n`);
      const m = /^\s+(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(line);
      if (m) url = m[1]!;
      // the demo profiles line comes last: the host is fully up
      if (url && line.startsWith('demo profiles:')) { clearTimeout(timer); resolve({ url, pid: child.pid! }); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`npm run web exited with code ${code} before it was ready; see ${logFile}`)); });
  });
}

function stop(pid: number): void {
  try { process.kill(-pid, 'SIGTERM'); } catch { /* already gone */ }
}

export default async function globalSetup(_config: FullConfig): Promise<void> {
  fs.mkdirSync(RUN_DIR, { recursive: true });
  // the list reporter shows skipped tests without their reason: say it once here
  const desktop = electronBinary();
  if ('reason' in desktop) log(`the desktop journeys (e2e/electron, project "electron") are skipped: ${desktop.reason}`);
  if (process.env.DFAE_E2E_REUSE) {
    const reused = JSON.parse(fs.readFileSync(process.env.DFAE_E2E_REUSE, 'utf8')) as HostInfo;
    if (path.resolve(process.env.DFAE_E2E_REUSE) !== HOST_FILE) fs.writeFileSync(HOST_FILE, JSON.stringify(reused, null, 2));
    log(`reusing the web host at ${reused.origin}`);
    return;
  }
  const started = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-e2e-'));
  const logFile = path.join(RUN_DIR, 'web-host.log');
  fs.writeFileSync(logFile, '');
  log(`starting npm run web on the sandbox (seed ${SANDBOX_SEED}, today ${SANDBOX_TODAY}); data ${dataDir}; log ${logFile}`);
  const { url, pid } = await startHost(dataDir, logFile);
  const origin = new URL(url).origin;
  log(`web host ready at ${origin} after ${Math.round((Date.now() - started) / 1000)} s`);
  const info: HostInfo = {
    origin, dataDir, pid, reused: false, password: E2E_PASSWORD, logFile, readyAt: new Date().toISOString(),
    sandbox: JSON.parse(fs.readFileSync(path.join(dataDir, 'sandbox.json'), 'utf8')) as HostInfo['sandbox'],
  };
  fs.writeFileSync(HOST_FILE, JSON.stringify(info, null, 2));
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('#root[data-app-state="ready"]');
    await context.storageState({ path: STATE_FILE });
    await apiCall(page, 'auth.login', { login: 'admin', password: E2E_PASSWORD });
    // the start-up sync of every feed: wait until each has run and none is running
    const deadline = Date.now() + SYNC_TIMEOUT_MS;
    let last = '';
    for (;;) {
      const feeds = await apiCall(page, 'feeds.status', {});
      const line = feeds.map((f) => `${f.feed} ${f.running ? 'running' : f.lastRun?.status ?? 'waiting'}`).join(', ');
      if (line !== last) { log(`${Math.round((Date.now() - started) / 1000)} s: ${line}`); last = line; }
      if (feeds.every((f) => !f.running && f.lastRun && f.lastRun.status !== 'running')) break;
      if (Date.now() > deadline) throw new Error(`the start-up sync did not finish within ${SYNC_TIMEOUT_MS / 60_000} min: ${line}`);
      await page.waitForTimeout(2_000);
    }
    await apiCall(page, 'auth.logout', {});
    log(`start-up sync done after ${Math.round((Date.now() - started) / 1000)} s`);
  } catch (e) {
    stop(pid);
    throw e;
  } finally {
    await browser.close();
  }
}
