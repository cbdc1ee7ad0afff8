import { defineConfig } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumLaunchOptions } from './support/chromium';
import { STATE_FILE } from './support/run';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Browser journeys against the web bridge on the sandbox, in Debian's Chromium (Playwright cannot
 * download its own browsers here). globalSetup starts `npm run web` once; each test file uses the session
 * it opened. The `electron` project runs the same journeys in the desktop app where a binary exists.
 */
export default defineConfig({
  testDir: here,
  testMatch: /.*\.e2e\.ts$/,
  outputDir: path.join(here, 'artifacts', 'test-results'),
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  globalSetup: path.join(here, 'support', 'global-setup.ts'),
  globalTeardown: path.join(here, 'support', 'global-teardown.ts'),
  use: {
    launchOptions: chromiumLaunchOptions(),
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  projects: [
    // the session cookie the global setup exchanged the launch token for
    { name: 'chromium', testIgnore: /electron\/.*/, use: { storageState: STATE_FILE } },
    { name: 'electron', testMatch: /electron\/.*\.e2e\.ts$/ },
  ],
});
