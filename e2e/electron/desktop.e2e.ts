/**
 * The same journeys in the desktop app, driven with Playwright's `_electron`: the app starts on the
 * built-in sandbox (its own utility process) with a fresh data folder; the first person creates the
 * administrator, who adds the demo profiles; then the journeys run through the preload's IPC.
 *
 * It needs an Electron binary (node_modules/electron/path.txt naming an existing file) and Node >=
 * 22.12 for the desktop build tools, as `npm start` does. Where either is missing every test is
 * skipped with the reason. Journeys that compare against the sandbox or inject its faults also need
 * the sandbox's endpoints, which the desktop host writes with `--sandbox-endpoints-file` when it
 * supports it; otherwise those are skipped with that reason.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import type { SandboxEndpoints } from '../../connectors/sandbox/sandbox';
import { ROOT, SANDBOX_SEED, SANDBOX_TODAY } from '../support/run';
import { electronBinary } from '../support/electron';
import { waitReady, watchGridConsole, workbench, type Workbench } from '../support/workbench';
import { apiCall } from '../support/api';
import { browseQuarantine, diskShortOfSpace, feedDegradesAndRecovers, feedPanelShowsSync } from '../journeys/feeds';
import { retentionSettings } from '../journeys/settings';
import { faresGridMatchesSandbox } from '../journeys/fares';
import { compareAgainstCompetitors } from '../journeys/analytics';
import { filterOverrideApprove, revenueManagerDay } from '../journeys/decisions';
import { guardrailRespected, readAnExplanation } from '../journeys/cycle';
import { revenueSimulationFromTheScreen } from '../journeys/simulations';

const PASSWORD = 'e2e-desktop-password';

const found = electronBinary();

test.describe('desktop app (Electron)', () => {
  test.skip('reason' in found, 'reason' in found ? found.reason : '');
  test.describe.configure({ mode: 'serial', timeout: 900_000 });

  let app: ElectronApplication;
  let page: Page;
  let wb: Workbench;
  let dataDir = '';
  let sandbox: SandboxEndpoints | null = null;
  let gridMessages: string[] = [];

  test.beforeAll(async () => {
    test.setTimeout(1_800_000);
    const { bundleElectron } = await import('../../electron/build/bundle.mjs');
    const { ensureElectronNativeBinding } = await import('../../electron/build/electronNative.mjs');
    await bundleElectron({ logLevel: 'warning' });
    const binding = await ensureElectronNativeBinding({ log: () => {} });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-e2e-desktop-'));
    const config = path.join(dataDir, 'e2e-config.json');
    fs.writeFileSync(config, JSON.stringify({ airline: { code: 'DF' }, sandbox: { seed: SANDBOX_SEED, today: SANDBOX_TODAY, historyDays: 30 } }));
    const endpointsFile = path.join(dataDir, 'sandbox.json');
    app = await _electron.launch({
      executablePath: (found as { bin: string }).bin,
      args: [path.join(ROOT, 'electron', 'dist', 'main.cjs'), '--data-dir', dataDir, '--config', config, '--sandbox-endpoints-file', endpointsFile],
      env: { ...process.env, DFAE_SQLITE_BINDING: binding } as Record<string, string>,
      timeout: 600_000,
    });
    page = await app.firstWindow();
    gridMessages = watchGridConsole(page);
    await waitReady(page);
    // first run: the administrator, then the demo profiles the journeys use
    await page.getByTestId('setup-login').fill('admin');
    await page.getByTestId('setup-name').fill('Ada Admin');
    await page.getByTestId('setup-password').fill(PASSWORD);
    await page.getByTestId('setup-confirm').fill(PASSWORD);
    await page.getByTestId('setup-submit').click();
    await expect(page.getByTestId('session-user')).toContainText('Ada Admin');
    await apiCall(page, 'users.create', { login: 'manager', displayName: 'Rita Revenue', password: PASSWORD, role: 'revenue_manager' });
    await apiCall(page, 'users.create', { login: 'analyst', displayName: 'Andy Analyst', password: PASSWORD, role: 'analyst' });
    sandbox = fs.existsSync(endpointsFile) ? JSON.parse(fs.readFileSync(endpointsFile, 'utf8')) as SandboxEndpoints : null;
    wb = workbench(page, { kind: 'electron', sandbox, password: PASSWORD, reload: async () => { await page.reload(); } });
    // the start-up sync of every feed
    await expect.poll(async () => (await apiCall(page, 'feeds.status', {})).every((f) => !f.running && f.lastRun && f.lastRun.status !== 'running'),
      { timeout: 1_800_000, intervals: [2_000] }).toBe(true);
  });

  test.afterEach(() => {
    expect(gridMessages.splice(0), 'ag-grid errors and warnings in the console').toEqual([]);
  });

  test.afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const needsSandbox = () => test.skip(!sandbox, 'the desktop host did not write the sandbox endpoints (--sandbox-endpoints-file), so this journey cannot read or fault the sandbox from outside the app; it runs where the app starts on its built-in sandbox (the default of `npm start`)');

  test('the feed panel shows the successful start-up sync of every feed', async () => { await feedPanelShowsSync(wb); });
  test('fares grid cells equal what the sandbox PSS serves for a chosen flight', async () => { needsSandbox(); await faresGridMatchesSandbox(wb); });
  test('an analyst compares own fares against competitors and exports the chart', async () => { await compareAgainstCompetitors(wb, SANDBOX_TODAY); });
  test('a feed degrades and goes down under a sandbox fault, and recovers', async () => { needsSandbox(); await feedDegradesAndRecovers(wb); });
  test('quarantined records are browsable with their reasons', async () => { needsSandbox(); await browseQuarantine(wb); });
  test('the data folder\'s disk short of space raises an alert, and space back resolves it', async () => { await diskShortOfSpace(wb); });
  test('an administrator sets retention; a revenue manager cannot; the audit log has the change', async () => { await retentionSettings(wb); });
  test('filter, override with a reason, reject one and approve all matching; export the view', async () => { await filterOverrideApprove(wb, SANDBOX_TODAY); });
  test('a recommendation explains itself: the detail shows its steps and they add up to the proposal', async () => { await readAnExplanation(wb); });
  test('a guardrail changed in the settings is respected by the next cycle', async () => { await guardrailRespected(wb); });
  test('a revenue manager logs in, filters a market, overrides a fare, approves; the PSS acknowledges', async () => { await revenueManagerDay(wb, SANDBOX_TODAY); });
  test('an analyst runs a revenue simulation from the screen and reads the stored run', async () => { await revenueSimulationFromTheScreen(wb); });
});
