/** The Chromium suite's fixture: a page on the global web host, signed-in state shared through the storage state. */
import { test as base, expect } from '@playwright/test';
import { readHostInfo } from './run';
import { waitReady, workbench, type Workbench } from './workbench';

export const test = base.extend<{ wb: Workbench }>({
  wb: async ({ page }, use) => {
    // ag-grid names what it lacks or rejects (a module not registered, a deprecated or unknown option)
    // in the console and goes on without it: a journey that passes with one is still a defect
    const gridMessages: string[] = [];
    page.on('console', (m) => { if ((m.type() === 'error' || m.type() === 'warning') && /AG Grid/i.test(m.text())) gridMessages.push(m.text()); });
    const host = readHostInfo();
    await page.goto(`${host.origin}/`);
    await waitReady(page);
    await use(workbench(page, { kind: 'web', sandbox: host.sandbox, password: host.password, reload: async () => { await page.reload(); } }));
    expect(gridMessages, 'ag-grid errors and warnings in the console').toEqual([]);
  },
});

export { expect };
