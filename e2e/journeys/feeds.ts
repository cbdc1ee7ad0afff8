/**
 * Feed journeys: the feed panel shows the start-up sync; a feed degrades and goes down under a sandbox
 * fault and recovers when it clears; quarantined records are browsable with their reasons; the data
 * folder's disk short of space raises an alert.
 */
import { expect } from '@playwright/test';
import type { FeedStatus } from '../../engine/api/contract';
import type { Workbench } from '../support/workbench';
import { mergedDuplicates } from '../../app/screens/feedRun';

const LABEL: Record<FeedStatus['state'], string> = { ok: 'OK', degraded: 'Degraded', down: 'Down', fallback: 'Fallback', never: 'Not synced yet' };
const count = (n: number) => n.toLocaleString('en-GB');

/** Issue 2: the feed panel shows the successful sync of each feed, with the numbers of its last run. */
export async function feedPanelShowsSync(wb: Workbench): Promise<void> {
  await wb.loginAs('analyst');
  await wb.goto('feeds');
  const status = await wb.api('feeds.status', {});
  expect(status.map((f) => f.feed).sort()).toEqual(['competitor', 'pros', 'pss', 'schedule']);
  for (const f of status) {
    const card = wb.page.getByTestId(`feed-card-${f.feed}`);
    expect(['ok', 'degraded'], `${f.feed} synced at start`).toContain(f.state);
    expect(f.lastRun!.recordsIn, `${f.feed} brought records`).toBeGreaterThan(0);
    await expect(card.getByTestId('feed-state')).toHaveText(LABEL[f.state]);
    await expect(card.getByTestId('feed-records-in')).toHaveText(count(f.lastRun!.recordsIn));
    await expect(card.getByTestId('feed-records-written')).toHaveText(count(f.lastRun!.recordsWritten));
    // nothing lost: every record in is written, quarantined, or merged into another as its duplicate (shown)
    const merged = mergedDuplicates(f.lastRun);
    expect(f.lastRun!.recordsIn, `${f.feed}: records in against written + quarantined + merged`).toBe(f.lastRun!.recordsWritten + f.lastRun!.recordsQuarantined + merged);
    if (merged > 0) await expect(card.getByTestId('feed-records-merged')).toHaveText(` + ${count(merged)} duplicate(s) merged`);
    await expect(card.getByTestId('feed-last-status')).toContainText(f.lastRun!.status);
    await expect(card.getByTestId('feed-breaker')).toHaveText('closed');
  }
  // the PSS brought what the sandbox holds: every flight of the sandbox's first day is in the store
  if (wb.sandbox) {
    const day = wb.sandbox.endpoints.now.slice(0, 10);
    const served = await wb.sandbox.pssList<{ flightId: string }>('/v1/flights', { fromDate: day, toDate: day });
    const stored = await wb.api('flights.list', { dateFrom: day, dateTo: day, limit: 10_000 });
    expect(stored.total).toBe(served.length);
  }
  await expect(wb.page.getByTestId('feed-runs')).toContainText('startup');
  await wb.shot('feeds-after-startup-sync');
}

async function syncAndSettle(wb: Workbench, feed: FeedStatus['feed']): Promise<FeedStatus> {
  const before = (await wb.api('feeds.status', {})).find((f) => f.feed === feed)!.lastRun?.id ?? 0;
  const card = wb.page.getByTestId(`feed-card-${feed}`);
  await expect(card.getByTestId('feed-sync')).toBeEnabled({ timeout: 60_000 });
  await card.getByTestId('feed-sync').click();
  let settled: FeedStatus | undefined;
  await expect.poll(async () => {
    settled = (await wb.api('feeds.status', {})).find((f) => f.feed === feed)!;
    return !settled.running && (settled.lastRun?.id ?? 0) > before && settled.lastRun!.status !== 'running';
  }, { timeout: 120_000, intervals: [500] }).toBe(true);
  return settled!;
}

/** Issue 8: a feed degrades (retries), then goes down, under sandbox faults; it recovers when they clear. */
export async function feedDegradesAndRecovers(wb: Workbench): Promise<void> {
  const sb = wb.sandbox;
  if (!sb) throw new Error('this journey drives the sandbox control API');
  await wb.loginAs('manager');
  await wb.goto('feeds');
  // the network-planning feed (schedules, codeshares): its sync takes seconds
  const card = wb.page.getByTestId('feed-card-schedule');
  try {
    // one 503 on the SSIM schedule: the run succeeds with a retry, so the feed is degraded
    await sb.control('PUT', '/control/faults/planning', { rules: [{ endpoint: 'GET /v1/schedules/ssim', errorRate: 1, errorStatus: 503, retryAfterS: 0, count: 1 }] });
    const degraded = await syncAndSettle(wb, 'schedule');
    expect(degraded.state).toBe('degraded');
    expect(degraded.lastRun!.retries).toBeGreaterThanOrEqual(1);
    await expect(card.getByTestId('feed-state')).toHaveText('Degraded');
    await expect(card.getByTestId('feed-retries')).toHaveText(count(degraded.lastRun!.retries));
    // why it retried: the endpoint and the answer, on the figure
    await expect(card.getByTestId('feed-retries')).toHaveAttribute('title', /^attempt 1 of http:\/\/127\.0\.0\.1:\d+\/v1\/schedules\/ssim: .*503/);
    await wb.shot('feed-degraded');

    // every request fails: the first failed run keeps the previous data (degraded, as DESIGN.md says),
    // the next failed run — or the breaker opening — takes the feed down
    await sb.control('PUT', '/control/faults/planning', { rules: [{ endpoint: '*', errorRate: 1, errorStatus: 503, retryAfterS: 0 }] });
    const firstFailure = await syncAndSettle(wb, 'schedule');
    expect(firstFailure.lastRun!.status).toBe('failed');
    expect(firstFailure.lastRun!.error).toMatch(/503/);
    if (firstFailure.state === 'degraded') {
      await expect(card.getByTestId('feed-reason')).toHaveText(firstFailure.reason);
      expect(firstFailure.reason).toMatch(/^Last run failed/);
    }
    const down = firstFailure.state === 'down' ? firstFailure : await syncAndSettle(wb, 'schedule');
    expect(down.state).toBe('down');
    await expect(card.getByTestId('feed-state')).toHaveText('Down');
    await expect(card.getByTestId('feed-reason')).toHaveText(down.reason);
    await expect(card.getByTestId('feed-error')).toHaveText(down.lastRun!.error!);
    const injected = await sb.control<{ systems: { planning: { faultsInjected: { error: number } } } }>('GET', '/control/status');
    expect(injected.systems.planning.faultsInjected.error).toBeGreaterThanOrEqual(2);
    await wb.shot('feed-down');
  } finally {
    await sb.control('DELETE', '/control/faults');
  }
  // faults cleared: once the breaker lets a call through, the next sync brings the feed back to OK
  await expect.poll(async () => (await syncAndSettle(wb, 'schedule')).state, { timeout: 150_000, intervals: [1_000] }).toBe('ok');
  await expect(card.getByTestId('feed-state')).toHaveText('OK');
  await expect(card.getByTestId('feed-error')).toHaveCount(0);
  await expect(card.getByTestId('feed-breaker')).toHaveText('closed');
  await wb.shot('feed-recovered');
}

/** A piece of the raw payload the detail shows: its first key when it is a JSON object, else its start. */
function payloadSample(payload: string): string {
  try {
    const v = JSON.parse(payload) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return `"${Object.keys(v)[0]}"`;
  } catch { /* not JSON */ }
  return payload.slice(0, 20);
}

/** Issue 8: records that fail validation are kept with the field and the reason, and can be read. */
export async function browseQuarantine(wb: Workbench): Promise<void> {
  const sb = wb.sandbox;
  if (!sb) throw new Error('this journey drives the sandbox control API');
  await wb.loginAs('analyst');
  await wb.goto('feeds');
  let run: FeedStatus['lastRun'];
  try {
    // the network-planning feed's lists come back with a share of corrupted records
    await sb.control('PUT', '/control/faults/planning', { rules: [{ endpoint: '*', badRecordRate: 0.05, count: 3 }] });
    run = (await syncAndSettle(wb, 'schedule')).lastRun;
  } finally {
    await sb.control('DELETE', '/control/faults');
  }
  expect(run!.recordsQuarantined).toBeGreaterThan(0);
  const card = wb.page.getByTestId('feed-card-schedule');
  await expect(card.getByTestId('feed-records-quarantined')).toContainText(count(run!.recordsQuarantined));
  await card.getByTestId('feed-show-quarantine').click();
  const browser = wb.page.getByTestId('quarantine-browser');
  await expect(browser.getByTestId('quarantine-count')).toHaveText(`${count(run!.recordsQuarantined)} quarantined record${run!.recordsQuarantined === 1 ? '' : 's'}`);
  const api = await wb.api('feeds.quarantine', { runId: run!.id, limit: 100 });
  expect(api.total).toBe(run!.recordsQuarantined);
  const first = api.rows[0]!;
  expect(first.reason.length).toBeGreaterThan(0);
  const row = browser.locator(`[role="row"][row-id="${first.id}"]`);
  await expect(row.locator('[col-id="reason"]')).toHaveText(first.reason);
  await row.click();
  const detail = wb.page.getByTestId('quarantine-detail');
  await expect(detail.getByTestId('quarantine-reason')).toHaveText(first.reason);
  await expect(detail.getByTestId('quarantine-payload')).toContainText(payloadSample(first.payload));
  await wb.shot('quarantine-browser');
}

/**
 * The data folder's disk short of space: a threshold above any disk's free space, set in Settings →
 * Alert thresholds, raises a disk_low alert at the next check; set back, the check resolves it.
 */
export async function diskShortOfSpace(wb: Workbench): Promise<void> {
  await wb.loginAs('manager');
  const setThreshold = async (gb: string) => {
    await wb.goto('settings');
    await wb.page.getByTestId('settings-tab-thresholds').click();
    const form = wb.page.getByTestId('thresholds-tab');
    await form.getByLabel("The data folder's disk is short of space below (GB free)").fill(gb);
    await form.getByRole('button', { name: 'Save thresholds' }).click();
    await expect(form.getByRole('status')).toHaveText('Saved.');
  };
  await setThreshold('1000000');
  expect((await wb.api('monitoring.thresholds', {})).diskFreeMinGb).toBe(1_000_000);
  await wb.goto('alerts');
  await wb.page.getByTestId('alerts-check').click();
  const row = wb.page.getByTestId('alerts-table').locator('tr', { hasText: 'disk low' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(/The disk of the data folder .+ has [\d.]+ GB free of [\d.]+ GB \(threshold 1000000 GB\)/);
  await expect(row.locator('.pill')).toHaveText('critical');
  await wb.shot('disk-low');
  await setThreshold('10');
  await wb.goto('alerts');
  await wb.page.getByTestId('alerts-check').click();
  await expect(wb.page.getByRole('status')).toContainText(/resolved/);
  await expect(wb.page.getByTestId('alerts-table').locator('tr', { hasText: 'disk low' })).toHaveCount(0);
  const resolved = await wb.api('monitoring.alerts', { status: 'resolved', kind: 'disk_low' });
  expect(resolved.rows[0]).toMatchObject({ kind: 'disk_low', status: 'resolved' });
}
