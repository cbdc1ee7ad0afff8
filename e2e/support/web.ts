/** The Chromium suite's fixture: a page on the global web host, signed-in state shared through the storage state. */
import { test as base, expect } from '@playwright/test';
import { readHostInfo } from './run';
import { waitReady, watchGridConsole, workbench, type Workbench } from './workbench';

export const test = base.extend<{ wb: Workbench }>({
  wb: async ({ page }, use) => {
    const gridMessages = watchGridConsole(page);
    const host = readHostInfo();
    await page.goto(`${host.origin}/`);
    await waitReady(page);
    await use(workbench(page, { kind: 'web', sandbox: host.sandbox, password: host.password, reload: async () => { await page.reload(); } }));
    expect(gridMessages, 'ag-grid errors and warnings in the console').toEqual([]);
  },
});

export { expect };
