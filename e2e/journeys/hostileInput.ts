/**
 * Issue 11, bad input in the UI: a PROS demand file dropped into the sandbox's drop folder carries markup
 * in two rows (an `<img onerror>` and a `<script>`); the sync quarantines those rows with the field at
 * fault and lands the valid ones. The quarantine browser shows the hostile values as text: no element is
 * created from them and their code never runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';
import type { FeedStatus } from '../../engine/api/contract';
import type { Workbench } from '../support/workbench';

const csvField = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

async function syncPros(wb: Workbench): Promise<FeedStatus> {
  const before = (await wb.api('feeds.status', {})).find((f) => f.feed === 'pros')!.lastRun?.id ?? 0;
  const card = wb.page.getByTestId('feed-card-pros');
  await expect(card.getByTestId('feed-sync')).toBeEnabled({ timeout: 60_000 });
  await card.getByTestId('feed-sync').click();
  let settled: FeedStatus | undefined;
  await expect.poll(async () => {
    settled = (await wb.api('feeds.status', {})).find((f) => f.feed === 'pros')!;
    return !settled.running && (settled.lastRun?.id ?? 0) > before && settled.lastRun!.status !== 'running';
  }, { timeout: 120_000, intervals: [500] }).toBe(true);
  return settled!;
}

export async function hostileQuarantineIsText(wb: Workbench): Promise<void> {
  const sb = wb.sandbox;
  if (!sb) throw new Error('this journey drops a file into the sandbox PROS drop folder');
  await wb.loginAs('analyst');
  await wb.goto('feeds');
  const marker = `hostile-${Date.now()}`;
  const img = `<img src=x onerror="window.__dfaeHostile='${marker}'">`;
  const script = `<script>window.__dfaeHostile='${marker}'</script>`;
  const now = sb.endpoints.now;
  const carrier = sb.endpoints.ownCarrier;
  const row = (cabin: string, origin: string, day: number) => [carrier, origin, 'ZZB', `2031-01-${String(day).padStart(2, '0')}`, cabin, '7', 'current', '3', '', now].map(csvField).join(',');
  const lines = [
    'carrier,origin,destination,departure_date,cabin,dcp,kind,bookings,unconstrained_demand,as_of',
    row('Y', 'ZZA', 1), row('Y', 'ZZA', 2), row('Y', 'ZZA', 3), row('Y', 'ZZA', 4),
    row(img, 'ZZA', 5),
    row('Y', script, 6),
  ];
  const stamp = now.slice(0, 19).replace(/[-:]/g, '');
  const dir = sb.endpoints.dropFolders.pros;
  const name = `demand_${stamp}Z_hostile${Date.now() % 100000}.csv`;
  fs.writeFileSync(path.join(dir, `.${name}.part`), `${lines.join('\n')}\n`);
  fs.renameSync(path.join(dir, `.${name}.part`), path.join(dir, name));

  const run = (await syncPros(wb)).lastRun!;
  expect(run.recordsQuarantined).toBeGreaterThanOrEqual(2);
  const q = await wb.api('feeds.quarantine', { runId: run.id, limit: 100 });
  const hostile = q.rows.filter((r) => r.payload.includes(marker));
  expect(hostile.map((r) => r.field).sort()).toEqual(['cabin', 'origin']);

  const card = wb.page.getByTestId('feed-card-pros');
  await card.getByTestId('feed-show-quarantine').click();
  const browser = wb.page.getByTestId('quarantine-browser');
  for (const r of hostile) {
    const gridRow = browser.locator(`[role="row"][row-id="${r.id}"]`);
    await gridRow.scrollIntoViewIfNeeded();
    await gridRow.click();
    const detail = wb.page.getByTestId('quarantine-detail');
    // the markup is there as text …
    await expect(detail.getByTestId('quarantine-payload')).toContainText(r.field === 'cabin' ? '<img src=x onerror=' : '<script>window.__dfaeHostile');
  }
  // … and nothing was made of it
  expect(await wb.page.locator('img[src="x"]').count()).toBe(0);
  expect(await wb.page.locator('script', { hasText: marker }).count()).toBe(0);
  expect(await wb.page.evaluate(() => (window as unknown as { __dfaeHostile?: string }).__dfaeHostile)).toBeUndefined();
  await wb.shot('quarantine-hostile-text');
}
