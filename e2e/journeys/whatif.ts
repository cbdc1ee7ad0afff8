/**
 * What-if before approving (issue 10): a revenue manager selects a pending proposal in the review grid,
 * runs Simulate, and reads current vs proposed expected revenue and load factor with their intervals;
 * the numbers on the screen are the decisions.whatIf API's for the same decisions, draws and seed.
 */
import { expect } from '@playwright/test';
import type { DecisionRow } from '../../engine/api/contract';
import type { Workbench } from '../support/workbench';
import { whatIfFlightTestId, whatIfMoney, whatIfPct, whatIfSigned } from '../../app/screens/review/whatIfFormat';
import { addDays, filterReview, selectWithSpace } from './decisions';
import { smallMarket } from './cycle';

/** A proposed engine fare for a departure some days out (its cycle forecast the flight); prices the smallest market when none waits. */
async function pendingProposal(wb: Workbench, today: string): Promise<DecisionRow> {
  const find = async () => (await wb.api('decisions.list', { filter: { states: ['proposed'], kinds: ['fare'], source: 'engine', dateFrom: addDays(today, 3) }, sort: 'travel', limit: 500 })).rows
    .find((r) => r.flightId !== null && r.cycleId !== null);
  const found = await find();
  if (found) return found;
  const m = await smallMarket(wb);
  await wb.api('cycle.run', { steps: { sync: false, price: true, autoApprove: false, push: false }, markets: [m.key], wait: true });
  const priced = await find();
  if (!priced) throw new Error(`the cycle of ${m.key} proposed no fare for a departure after ${addDays(today, 3)}`);
  return priced;
}

export async function simulateBeforeApproving(wb: Workbench, today: string): Promise<void> {
  await wb.loginAs('manager');
  const dec = await pendingProposal(wb, today);
  const p = wb.page;
  await wb.goto('review');
  await filterReview(wb, { market: `${dec.origin}-${dec.destination}`, date: dec.travelDate });
  await selectWithSpace(wb, dec.id);
  await p.getByTestId('review-simulate').click();
  const dialog = p.getByTestId('whatif-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('whatif-draws').fill('300');
  await dialog.getByTestId('whatif-seed').fill('5');
  await dialog.getByTestId('whatif-run').click();
  await expect(dialog.getByTestId('whatif-result')).toBeVisible({ timeout: 60_000 });

  // the same what-if through the API: same decisions, draws and seed, so the same numbers
  const api = await wb.api('decisions.whatIf', { ids: [dec.id], draws: 300, seed: 5 });
  const f = api.flights[0]!;
  expect(f.flightId).toBe(dec.flightId);
  expect(f.decisionIds).toEqual([dec.id]);
  const t = whatIfFlightTestId(f.flightId);
  await expect(dialog.getByTestId(`${t}-current-revenue`)).toHaveText(whatIfMoney(f.current.revenue.mean));
  await expect(dialog.getByTestId(`${t}-proposed-revenue`)).toHaveText(whatIfMoney(f.proposed.revenue.mean));
  await expect(dialog.getByTestId(`${t}-current-revenue-range`)).toHaveText(`${whatIfMoney(f.current.revenue.p5)} – ${whatIfMoney(f.current.revenue.p95)}`);
  await expect(dialog.getByTestId(`${t}-proposed-revenue-range`)).toHaveText(`${whatIfMoney(f.proposed.revenue.p5)} – ${whatIfMoney(f.proposed.revenue.p95)}`);
  await expect(dialog.getByTestId(`${t}-current-lf`)).toHaveText(whatIfPct(f.current.loadFactor.mean));
  await expect(dialog.getByTestId(`${t}-proposed-lf`)).toHaveText(whatIfPct(f.proposed.loadFactor.mean));
  await expect(dialog.getByTestId(`${t}-diff`)).toHaveText(`${whatIfSigned(f.revenueDifference.mean)} ${f.currency}`);
  await expect(dialog.getByTestId(`${t}-diff-interval`)).toHaveText(`${whatIfSigned(f.revenueDifference.meanLow95)} to ${whatIfSigned(f.revenueDifference.meanHigh95)}`);
  await expect(dialog).toContainText(f.changes[0]!);
  await wb.shot('whatif');

  // nothing was pushed or changed: the decision is still proposed
  expect((await wb.api('decisions.get', { id: dec.id })).state).toBe('proposed');
  await dialog.getByRole('button', { name: 'Close' }).first().click();
  await expect(dialog).toBeHidden();
}
