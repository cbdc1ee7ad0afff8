/**
 * Journeys through the pricing cycle: run it from the workbench (progress, report), read a
 * recommendation's explanation and check its numbers against the API, and change a guardrail in the
 * settings and see the next cycle respect it.
 */
import { expect } from '@playwright/test';
import type { CycleRunRow, DecisionDetail, DecisionRow } from '../../engine/api/contract';
import { formatMoney } from '../../engine/domain/money';
import { addDays } from '../../engine/domain/time';
import type { Workbench } from '../support/workbench';
import { describeStep } from '../../app/charts/explainStep';
import { compactColumns, filterReview, gridRow } from './decisions';

const money = (minor: number, currency: string) => formatMoney({ amountMinor: minor, currency });

/** A market with own departures and fares, the smallest the sandbox has (its cycle is quick). */
export async function smallMarket(wb: Workbench, skip: string[] = []): Promise<{ origin: string; destination: string; key: string }> {
  const markets = (await wb.api('fares.markets', {})).filter((m) => !skip.includes(`${m.origin}-${m.destination}`)).sort((a, b) => a.flights - b.flights || a.origin.localeCompare(b.origin));
  const m = markets.find((x) => x.flights > 0);
  if (!m) throw new Error('the sandbox has no market with flights');
  return { origin: m.origin, destination: m.destination, key: `${m.origin}-${m.destination}` };
}

/** Runs the pricing part of the cycle for one market from the Runs screen; waits for its report. */
export async function runPricingCycle(wb: Workbench, market: string): Promise<CycleRunRow> {
  await wb.goto('runs');
  const before = (await wb.api('cycle.runs', { limit: 1 })).rows[0]?.id ?? 0;
  await wb.page.getByTestId('cycle-open').click();
  const dialog = wb.page.getByTestId('cycle-dialog');
  await dialog.getByTestId('cycle-step-sync').uncheck();
  await dialog.getByTestId('cycle-step-autoApprove').uncheck();
  await dialog.getByTestId('cycle-step-push').uncheck();
  await dialog.getByTestId('cycle-markets').fill(market);
  await dialog.getByTestId('cycle-start').click();
  await expect(dialog).toBeHidden();
  let run: CycleRunRow | undefined;
  await expect.poll(async () => {
    run = (await wb.api('cycle.runs', { limit: 5 })).rows.find((r) => r.id > before);
    return run && run.status !== 'running' ? run.status : 'running';
  }, { timeout: 600_000, intervals: [1_000] }).toMatch(/^(ok|warning)$/);
  await expect(wb.page.getByTestId('cycle-progress')).toHaveCount(0);
  await wb.page.getByTestId(`cycle-run-${run!.id}`).getByRole('button', { name: String(run!.id) }).click();
  const report = wb.page.getByTestId('cycle-report');
  await expect(report.getByTestId('cycle-steps')).toContainText('price');
  expect(run!.priced).toBeGreaterThan(0);
  expect(run!.markets).toEqual([market]);
  return run!;
}

/**
 * The engine's fare proposals of a market waiting after a cycle, as the API lists them: the cycle's own, and those of
 * earlier cycles that it recommends again and keeps (a cycle does not copy a proposal that already says the same).
 */
async function pendingFares(wb: Workbench, origin: string, destination: string): Promise<DecisionRow[]> {
  return (await wb.api('decisions.list', { filter: { origin, destination, source: 'engine', kinds: ['fare'], states: ['proposed'] }, sort: 'change', limit: 5_000 })).rows;
}

/** The engine's waiting authorisation proposals of a market whose authorised capacity is above the cabin's seats (their explanations say so). */
async function overbookedCabins(wb: Workbench, origin: string, destination: string): Promise<number> {
  const rows = (await wb.api('decisions.list', { filter: { origin, destination, source: 'engine', kinds: ['authorisation'], states: ['proposed'] }, sort: 'change', limit: 60 })).rows;
  expect(rows.length, 'the cycle proposed authorisation levels for the market').toBeGreaterThan(0);
  const details = await Promise.all(rows.map((r) => wb.api('decisions.get', { id: r.id })));
  return details.filter((d) => d.explanation.some((s) => s.key === 'authorised_capacity' && s.label.includes('+ overbooking'))).length;
}

/**
 * Issue 8: read an explanation in the detail and check its numbers against the API. The market is under a
 * demand influence (a fair, +20 %) while the cycle runs: the forecast step and the detail name it.
 */
export async function readAnExplanation(wb: Workbench): Promise<void> {
  await wb.loginAs('manager');
  const m = await smallMarket(wb);
  const today = (await wb.api('system.info', {})).now.slice(0, 10);
  const fair = await wb.api('influences.save', { name: 'Fair', origin: m.origin, destination: m.destination, from: today, to: addDays(today, 300), factor: 1.2 });
  try {
    await explainUnderInfluence(wb, m);
  } finally {
    await wb.api('influences.delete', { id: fair.id });
  }
}

async function explainUnderInfluence(wb: Workbench, m: { origin: string; destination: string; key: string }): Promise<void> {
  await runPricingCycle(wb, m.key);
  const fares = await pendingFares(wb, m.origin, m.destination);
  expect(fares.length, 'the cycle proposed fares for the market').toBeGreaterThan(0);
  // the proposal that moves most, with its explanation
  const d: DecisionDetail = await wb.api('decisions.get', { id: fares[0]!.id });
  expect(d.explanation.length).toBeGreaterThanOrEqual(2);
  expect(d.explanation.reduce((a, s) => a + s.amount, 0)).toBe(d.proposedValue);

  await wb.goto('review');
  await filterReview(wb, { market: m.key, date: d.travelDate });
  await compactColumns(wb);
  await gridRow(wb, d.id).locator('[col-id="rbd"]').click();
  await wb.page.keyboard.press('d');
  await expect(wb.page.getByTestId('detail-title')).toContainText(`${m.key}`);
  await expect(wb.page.getByTestId('detail-proposed')).toContainText(money(d.proposedValue, d.currency!));
  await expect(wb.page.getByTestId('detail-current')).toHaveText(money(d.currentValue!, d.currency!));
  const table = wb.page.getByTestId('explanation-table');
  let sum = 0;
  for (const step of d.explanation) {
    sum += step.amount;
    const cells = table.getByTestId(`explanation-step-${step.key}`).locator('td');
    await expect(cells.nth(0)).toHaveText(describeStep(step, d.currency).text);
    await expect(cells.nth(0)).not.toContainText('Minor'); // amounts in words and money, not the engine's minor units
    await expect(cells.nth(1)).toHaveText(money(step.amount, d.currency!));
    await expect(cells.nth(2)).toHaveText(money(sum, d.currency!));
  }
  await expect(table.getByTestId('explanation-step-base').locator('td').nth(0)).toContainText(`Fare filed now in class ${d.rbd}`);
  await expect(table.getByTestId('explanation-step-forecast').locator('td').nth(0)).toContainText('under the demand influence Fair +20 %');
  await expect(wb.page.getByTestId('detail-influences')).toHaveText(/^Fair \+20 % \(set \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\)$/);
  await expect(table.getByTestId('explanation-total')).toHaveText(money(d.proposedValue, d.currency!));
  await expect(wb.page.getByTestId('explanation-residual')).toHaveCount(0);
  // the waterfall draws one bar per step and the total
  await expect(wb.page.getByTestId('explanation').locator('.waterfall-steps .recharts-bar-rectangle')).toHaveCount(d.explanation.filter((s) => s.amount !== 0).length + 1);
  await expect(wb.page.getByTestId('detail-history')).toContainText('proposed');
  // the flight's booking curve for the decision's cabin, as the API gives it (the cycle built its curves): booked so far, unconstrained, forecast, last year
  const curve = await wb.api('flights.bookingCurve', { id: d.flightId!, cabin: d.cabin });
  expect(curve.points.some((x) => x.actual !== null)).toBe(true);
  expect(curve.cycleId).not.toBeNull();
  const chart = wb.page.getByTestId('flight-booking-curve');
  if (d.cabin !== 'Y') await chart.getByTestId(`curve-cabin-${d.cabin}`).click();
  await expect(chart).toContainText(`cabin ${d.cabin}, cumulative net bookings by days before departure; ${curve.capacity} seats`);
  await expect(chart).toContainText(`forecast of cycle ${curve.cycleId}`);
  await expect(chart.locator('.recharts-line')).toHaveCount(4);
  await wb.shot('explanation-detail');
}

/** Issue 8: change a guardrail in the settings and see the next cycle respect it. */
export async function guardrailRespected(wb: Workbench): Promise<void> {
  await wb.loginAs('manager');
  const m = await smallMarket(wb);
  await runPricingCycle(wb, m.key);
  const before = await pendingFares(wb, m.origin, m.destination);
  const biggest = Math.max(...before.map((r) => Math.abs(r.changePct ?? 0)));
  expect(biggest, 'the first cycle moves some fare by more than 1 %').toBeGreaterThan(1);
  expect(await overbookedCabins(wb, m.origin, m.destination), 'the first cycle overbooks some cabin (no-shows forecast)').toBeGreaterThan(0);

  // at most ±1 % a cycle on this market, set in the settings screen
  await wb.goto('settings');
  await wb.page.getByTestId('settings-tab-pricing').click();
  await wb.page.getByTestId('pricing-add-market').selectOption(m.key);
  await wb.page.getByTestId('pricing-add').click();
  const editor = wb.page.getByTestId('pricing-editor');
  await editor.getByTestId('pricing-max-change').fill('1');
  // and no filing for moves under 0.5 %
  await editor.getByTestId('pricing-min-change').fill('0.5');
  await editor.getByTestId('pricing-overbooking-max').fill('0');
  await editor.getByTestId('pricing-reason').fill('hold the market steady during the fare war');
  await editor.getByTestId('pricing-save').click();
  await expect(wb.page.getByTestId(`pricing-row-${m.key}`).getByTestId('pricing-change')).toHaveText('±1 %; files moves of 0.5 % or more');
  await expect(wb.page.getByTestId(`pricing-row-${m.key}`).getByTestId('pricing-overbooking')).toHaveText('none');
  const audit = await wb.api('audit.search', { text: `pricing settings of ${m.key}`, limit: 1 });
  expect(audit[0]).toMatchObject({ actor: 'manager', entityId: `pricing:${m.key}` });

  await runPricingCycle(wb, m.key);
  const after = await pendingFares(wb, m.origin, m.destination);
  expect(after.length).toBeGreaterThan(0);
  for (const r of after) {
    const d = await wb.api('decisions.get', { id: r.id });
    const keys = d.explanation.map((s) => s.key);
    // within ±1 % (price points round to the market's step), unless a harder guardrail won: the ladder, floor or ceiling
    const tolerance = (100 * 100) / (r.currentValue ?? 1);
    if (!keys.some((k) => /monotone_ladder|floor|ceiling/.test(k))) expect(Math.abs(r.changePct ?? 0), `${r.key}`).toBeLessThanOrEqual(1 + tolerance);
    expect(Math.abs(r.changePct ?? 0), `${r.key} moves at least the smallest change to file`).toBeGreaterThanOrEqual(0.5 - 1e-9);
  }
  // and no overbooking on it any more: every authorised capacity is the cabin's seats
  expect(await overbookedCabins(wb, m.origin, m.destination)).toBe(0);
  const clamped = await Promise.all(after.slice(0, 20).map((r) => wb.api('decisions.get', { id: r.id })));
  expect(clamped.some((d) => d.explanation.some((s) => /max_change/.test(s.key))), 'the max-change guardrail shows in the explanations').toBe(true);
  await wb.goto('review');
  await filterReview(wb, { market: m.key, date: after[0]!.travelDate });
  await wb.shot('guardrail-respected');
}
