/**
 * First-run setup on a workbench nobody uses yet: its own `npm run web` on a live configuration (feeds
 * that are not synced in this test, so no sandbox starts) and a fresh data folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { spawn, type ChildProcess } from 'node:child_process';
import { test } from '@playwright/test';
import { ARTIFACTS, ROOT } from '../support/run';
import { firstRunSetup } from '../journeys/firstRun';

test.use({ storageState: { cookies: [], origins: [] } });

let child: ChildProcess | null = null;
let dataDir = '';

test.afterAll(async () => {
  if (child?.pid) { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ } }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test('the first person creates the administrator, who adds an analyst; the analyst logs in', async ({ page }) => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-e2e-first-run-'));
  const config = path.join(dataDir, 'live.json');
  // a live configuration: one PSS feed (on a port nothing listens on; this test never syncs it)
  fs.writeFileSync(config, JSON.stringify({ airline: { code: 'DF' }, feeds: { pss: { baseUrl: 'http://127.0.0.1:9/api', auth: { tokenUrl: 'http://127.0.0.1:9/token', clientId: 'dfae', clientSecret: { secret: 'pss_client_secret' } } } } }));
  child = spawn(process.execPath, [path.join(ROOT, 'electron', 'web', 'launch.mjs'), '--data-dir', dataDir, '--config', config, '--no-initial-sync'], {
    cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, DFAE_SECRET_PSS_CLIENT_SECRET: 'not-a-real-secret' },
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the first-run web host printed no URL within 120 s')), 120_000);
    readline.createInterface({ input: child!.stdout! }).on('line', (line) => {
      const m = /^\s+(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(line);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
    child!.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the first-run web host exited with ${code}`)); });
  });
  const dir = path.join(ARTIFACTS, 'web');
  fs.mkdirSync(dir, { recursive: true });
  await firstRunSetup(page, url, async (name) => { await page.screenshot({ path: path.join(dir, `${name}.png`) }); });
});
