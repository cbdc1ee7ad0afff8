/**
 * Issue 8: compare against competitors — the analyst picks a market and dates; the chart draws our
 * lowest open fare against the competitor minimum and quartile band; its numbers equal the API's; the
 * chart exports as a PNG.
 */
import fs from 'node:fs';
import { expect } from '@playwright/test';
import type { CompetitorSeries } from '../../engine/api/contract';
import { formatMoney } from '../../engine/domain/money';
import type { Workbench } from '../support/workbench';
import { formatCount, formatShare } from '../../app/components/format';

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const money = (minor: number | null, currency: string) => (minor === null ? '—' : formatMoney({ amountMinor: minor, currency }));

export async function compareAgainstCompetitors(wb: Workbench, today: string): Promise<void> {
  await wb.loginAs('analyst');
  const from = addDays(today, 7);
  const to = addDays(today, 20);
  // a market where competitors file fares in these dates
  const markets = (await wb.api('settings.pricing', {})).knownMarkets;
  let chosen: { origin: string; destination: string; series: CompetitorSeries } | null = null;
  for (const m of markets) {
    const series = await wb.api('analytics.competitorFares', { origin: m.origin, destination: m.destination, cabin: 'Y', dateFrom: from, dateTo: to });
    if (series.points.some((p) => p.ownMinor !== null && p.minMinor !== null) && series.carriers.length >= 2) { chosen = { ...m, series }; break; }
  }
  expect(chosen, 'a sandbox market with competitor fares').not.toBeNull();
  const { origin, destination, series } = chosen!;
  // from an alert: a competitor undercut's "charts" opens the charts on its market
  await wb.api('monitoring.checkAlerts', {});
  const undercut = (await wb.api('monitoring.alerts', { status: 'active', limit: 500 })).rows.find((a) => a.kind === 'competitor_undercut' && a.origin);
  expect(undercut, 'the sandbox raises a competitor undercut alert').toBeDefined();
  await wb.goto('alerts');
  await wb.page.getByTestId(`alert-charts-${undercut!.id}`).click();
  await expect(wb.page.getByTestId('analytics-screen')).toBeVisible();
  await expect(wb.page.getByTestId('analytics-market')).toHaveValue(`${undercut!.origin}-${undercut!.destination}`);
  // and its "review" the review grid on the market's waiting proposals
  await wb.goto('alerts');
  await wb.page.getByTestId(`alert-review-${undercut!.id}`).click();
  await expect(wb.page.getByTestId('filter-market')).toHaveValue(`${undercut!.origin}-${undercut!.destination}`);
  await wb.goto('analytics');
  await wb.page.getByTestId('analytics-market').selectOption(`${origin}-${destination}`);
  await wb.page.getByTestId('analytics-cabin').selectOption('Y');
  await wb.page.getByTestId('analytics-from').fill(from);
  await wb.page.getByTestId('analytics-to').fill(to);
  const chart = wb.page.getByTestId('chart-competitors');
  await expect(chart.locator('svg.recharts-surface[role="application"]')).toBeVisible();
  // one line per competitor, the minimum and our fare
  await expect(chart.locator('.recharts-line')).toHaveCount(series.carriers.length + 2);
  await chart.locator('details.numbers summary').click();
  const shown = series.points.filter((x) => x.ownMinor !== null || x.minMinor !== null).slice(0, 7);
  for (const p of shown.slice(0, 3)) {
    const row = chart.getByTestId(`competitor-row-${p.date}`);
    const cells = row.locator('td');
    await expect(cells.nth(1)).toHaveText(money(p.ownMinor, series.currency));
    await expect(cells.nth(2)).toHaveText(money(p.minMinor, series.currency));
    await expect(cells.nth(3)).toHaveText(money(p.q1Minor, series.currency));
    await expect(cells.nth(4)).toHaveText(money(p.q3Minor, series.currency));
    // the minimum is the lowest competitor fare and lies under the first quartile
    const rivals = Object.values(p.byCarrier);
    if (rivals.length) expect(p.minMinor).toBe(Math.min(...rivals));
    if (p.minMinor !== null && p.q1Minor !== null) expect(p.minMinor).toBeLessThanOrEqual(p.q1Minor);
  }
  const [download] = await Promise.all([wb.page.waitForEvent('download'), chart.getByTestId('chart-competitors-png').click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^competitors-${origin}-${destination}-.*\\.png$`));
  const file = await download.path();
  const head = fs.readFileSync(file).subarray(0, 8);
  expect([...head]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(fs.statSync(file).size).toBeGreaterThan(5_000);
  // a range reaching back before today mixes flown departures with bookings on the books: the KPIs give the flown part apart
  const back = addDays(today, -14);
  await wb.page.getByTestId('analytics-from').fill(back);
  const k = (await wb.api('monitoring.kpis', { origin, destination, dateFrom: back, dateTo: to })).rows.find((r) => r.scope === 'market')!;
  expect(k.flown.departures).toBeGreaterThan(0);
  expect(k.flown.departures).toBeLessThan(k.departures);
  await expect(wb.page.getByTestId('kpi-departures')).toHaveText(formatCount(k.departures));
  await expect(wb.page.getByTestId('kpi-departures-flown')).toHaveText(`${formatCount(k.flown.departures)} flown, ${formatCount(k.departures - k.flown.departures)} to fly`);
  await expect(wb.page.getByTestId('kpi-load-factor-flown')).toContainText(`flown ${formatShare(k.flown.loadFactor)}`);
  await wb.shot('analytics-competitors');
}

/**
 * Demand influences: the analyst tells the forecast what the history cannot show. On the Analyst charts of a
 * market she adds a strike (−30 %) over three departure days, is stopped at a change beyond the forecast's
 * bounds, changes it, finds each step in the audit log, and deletes it.
 */
export async function adjustDemand(wb: Workbench, today: string): Promise<void> {
  await wb.loginAs('analyst');
  await wb.goto('analytics');
  // the market the charts open on (the busiest of ours)
  await expect(wb.page.getByTestId('analytics-market')).not.toHaveValue('');
  const market = await wb.page.getByTestId('analytics-market').inputValue();
  expect(market).toMatch(/^[A-Z]{3}-[A-Z]{3}$/);
  const [origin, destination] = market.split('-') as [string, string];
  const m = { origin, destination };
  const panel = wb.page.getByTestId('influences');
  await expect(panel.getByTestId('influences-table')).toContainText('None on this market');
  await panel.getByTestId('influence-new').click();
  // the form starts on the market and the dates picked
  await expect(panel.getByTestId('influence-origin')).toHaveValue(m.origin);
  await expect(panel.getByTestId('influence-destination')).toHaveValue(m.destination);
  const from = addDays(today, 3);
  const to = addDays(today, 5);
  await panel.getByTestId('influence-name').fill('Air traffic control strike');
  await panel.getByTestId('influence-from').fill(from);
  await panel.getByTestId('influence-to').fill(to);
  await panel.getByTestId('influence-change').fill('-95');
  await expect(panel.getByTestId('influence-change-problem')).toHaveText('The change must be between −80 % and +400 %.');
  await expect(panel.getByTestId('influence-save')).toBeDisabled();
  await panel.getByTestId('influence-change').fill('-30');
  await panel.getByTestId('influence-save').click();
  const saved = (await wb.api('influences.list', { origin: m.origin, destination: m.destination })).rows;
  expect(saved.map((i) => [i.name, i.origin, i.destination, i.from, i.to, i.factor, i.createdBy])).toEqual([['Air traffic control strike', m.origin, m.destination, from, to, 0.7, 'analyst']]);
  const row = panel.getByTestId(`influence-${saved[0]!.id}`);
  await expect(row).toContainText(`${market}`);
  await expect(row).toContainText(`${from} – ${to}`);
  await expect(row).toContainText('−30 %');
  // the demand chart of these dates says its forecast carries it
  await expect(wb.page.getByTestId('chart-demand')).toContainText(`demand influences in these dates: Air traffic control strike −30 % (${from} – ${to})`);
  // changed: a milder strike
  await row.getByRole('button', { name: 'Edit' }).click();
  await expect(panel.getByTestId('influence-change')).toHaveValue('-30');
  await panel.getByTestId('influence-change').fill('-25');
  await panel.getByTestId('influence-cabin').selectOption('Y'); // economy only
  await panel.getByTestId('influence-save').click();
  await expect(row).toContainText('−25 %');
  await expect(row).toContainText(`${market} cabin Y`);
  await wb.shot('analytics-influences');
  // Today lists it; a click opens the charts on its market
  await wb.goto('today');
  const card = wb.page.getByTestId('today-influences');
  await expect(card).toContainText(`Air traffic control strike ${market} cabin Y −25 % · ${from} – ${to}`);
  await card.getByRole('button', { name: 'Air traffic control strike' }).click();
  await expect(wb.page.getByTestId('analytics-market')).toHaveValue(market);
  // each step is in the audit log
  await wb.goto('audit');
  await wb.page.getByTestId('audit-entity').selectOption('demand_influence');
  await wb.page.getByTestId('audit-search').click();
  const audit = wb.page.getByTestId('audit-table');
  await expect(audit).toContainText(`demand influence "Air traffic control strike": ${market} cabin Y ${from} to ${to}, forecast demand −25 % (was ${market} ${from} to ${to}, −30 %)`);
  await expect(audit).toContainText(`demand influence "Air traffic control strike": ${market} ${from} to ${to}, forecast demand −30 %`);
  // deleted: the next cycle forecasts those departures without it
  await wb.goto('analytics');
  wb.page.once('dialog', (d) => void d.accept());
  await panel.getByTestId(`influence-delete-${saved[0]!.id}`).click();
  await expect(panel.getByTestId('influences-table')).toContainText('None on this market');
  expect((await wb.api('influences.list', { includePast: true })).rows).toEqual([]);
}
