/**
 * Decision journeys on the sandbox: proposals for one flight, reviewed in the grid (filter, inline
 * override with a reason, bulk approve or reject), pushed to the sandbox PSS and acknowledged there.
 */
import fs from 'node:fs';
import { expect } from '@playwright/test';
import type { DecisionRow, FareRow } from '../../engine/api/contract';
import { formatMoney } from '../../engine/domain/money';
import type { Workbench } from '../support/workbench';
import { formatCount } from '../../app/components/format';

export const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const money = (minor: number, currency: string) => formatMoney({ amountMinor: minor, currency });

export interface ProposedFlight {
  flightId: string;
  origin: string;
  destination: string;
  date: string;
  proposals: DecisionRow[];
}

/**
 * An analyst proposes new flight-specific fares for `n` open RBDs of one own departure (moved by
 * `pct` % from the fare in force): the proposals a revenue manager then reviews.
 */
export async function proposeFaresForAFlight(wb: Workbench, o: { date: string; n: number; pct: number; skipMarkets?: string[]; reason: string }): Promise<ProposedFlight> {
  await wb.loginAs('analyst');
  const flights = (await wb.api('flights.list', { dateFrom: o.date, dateTo: o.date, limit: 2_000 })).rows
    .filter((f) => !o.skipMarkets?.includes(`${f.origin}-${f.destination}`));
  for (const f of flights) {
    // a departure nobody has decided on yet, so the journey starts from the fares the PSS filed
    if ((await wb.api('decisions.list', { filter: { flightId: f.id }, limit: 1 })).total > 0) continue;
    const fares = (await wb.api('fares.list', { flightId: f.id, limit: 100 })).rows
      .filter((r): r is FareRow & { amountMinor: number; currency: string; fareBasis: string; pointOfSale: string } =>
        r.amountMinor !== null && r.currency !== null && r.fareBasis !== null && r.pointOfSale !== null && r.status === 'open' && r.cabin === 'Y');
    if (fares.length < o.n) continue;
    const proposals: DecisionRow[] = [];
    for (const r of fares.slice(0, o.n)) {
      proposals.push(await wb.api('decisions.propose', {
        kind: 'fare', reason: o.reason,
        fare: {
          carrier: r.carrier, origin: r.origin, destination: r.destination, rbd: r.rbd, cabin: r.cabin, fareBasis: r.fareBasis, pointOfSale: r.pointOfSale,
          currency: r.currency, amountMinor: Math.round((r.amountMinor * (1 + o.pct / 100)) / 100) * 100, validFrom: o.date, validTo: o.date, flightId: f.id,
        },
      }));
    }
    return { flightId: f.id, origin: f.origin, destination: f.destination, date: o.date, proposals };
  }
  throw new Error(`no own departure on ${o.date} with ${o.n} open economy classes`);
}

/** The grid row of a decision (the infinite row model keys rows by decision id). */
export function gridRow(wb: Workbench, id: number) {
  return wb.page.getByTestId('review-grid').locator(`[role="row"][row-id="${id}"]`);
}

/**
 * Selects a row with the keyboard (Space on one of its cells). The grid refreshes its rows when decisions
 * change elsewhere, which can take the focus away: retry until the row is selected.
 */
export async function selectWithSpace(wb: Workbench, id: number): Promise<void> {
  const row = gridRow(wb, id);
  await expect(async () => {
    if (!(await row.getAttribute('class'))?.includes('ag-row-selected')) {
      await row.locator('[col-id="rbd"]').click();
      await wb.page.keyboard.press('Space');
    }
    await expect(row).toHaveClass(/ag-row-selected/, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
}

/** Hides columns with our column chooser so the status, guardrail and source columns fit the window. */
export async function compactColumns(wb: Workbench): Promise<void> {
  await wb.page.getByTestId('review-columns').click();
  const chooser = wb.page.getByTestId('column-chooser');
  for (const id of ['recommendedValue', 'competitorMin', 'position', 'forecast', 'soldAuth', 'loadFactor']) await chooser.getByTestId(`column-toggle-${id}`).uncheck();
  await chooser.getByRole('button', { name: 'Close' }).click();
  await expect(wb.page.getByTestId('review-grid').locator('.ag-header-cell[col-id="state"]')).toBeVisible();
  await expect(wb.page.getByTestId('review-grid').locator('.ag-header-cell[col-id="competitorMin"]')).toHaveCount(0);
}

/** Filters the review grid to one market and date. */
export async function filterReview(wb: Workbench, f: { market: string; date: string; states?: string[] }): Promise<void> {
  const p = wb.page;
  await p.getByTestId('review-mode-grid').click();
  await p.getByTestId('filter-reset').click();
  await p.getByTestId('filter-market').selectOption(f.market);
  await p.getByTestId('filter-date-from').fill(f.date);
  await p.getByTestId('filter-date-to').fill(f.date);
}

/** Overrides a decision in the grid: Enter on its Proposed cell opens the editor; a reason is required. */
export async function overrideInGrid(wb: Workbench, row: DecisionRow, newMinor: number, reason: string): Promise<void> {
  const p = wb.page;
  const cell = gridRow(wb, row.id).locator('[col-id="proposedValue"]');
  await cell.click();
  await p.keyboard.press('Enter');
  const form = p.getByTestId('override-form');
  await expect(form).toBeVisible();
  await form.getByTestId('override-value').fill((newMinor / 100).toFixed(2));
  // without a reason the editor refuses
  await form.getByTestId('override-submit').click();
  await expect(form.getByTestId('override-error')).toContainText('Say why');
  await form.getByTestId('override-reason').fill(reason);
  await form.getByTestId('override-submit').click();
  const confirm = form.getByTestId('override-confirm-outside');
  // outside the guardrails the API asks for an explicit confirmation
  if (await confirm.isVisible({ timeout: 1_500 }).catch(() => false)) {
    await confirm.check();
    await form.getByTestId('override-submit').click();
  }
  await expect(form).toBeHidden();
  await expect(p.getByTestId('review-notice')).toContainText(`proposes ${money(newMinor, row.currency!)}`);
}

/**
 * Issue 6: a revenue manager logs in, filters a market, overrides one fare with a reason, approves a
 * selection, and sees the sandbox PSS acknowledge them (and the PSS serve the new fares); then the
 * sandbox's clock moves on and the later bookings on that flight arrive in the workbench.
 */
export async function revenueManagerDay(wb: Workbench, today: string): Promise<void> {
  const sb = wb.sandbox;
  const pf = await proposeFaresForAFlight(wb, { date: addDays(today, 12), n: 3, pct: 4, reason: 'analyst: demand above forecast' });
  const market = `${pf.origin}-${pf.destination}`;
  const pushedBefore = sb ? (await sb.control<{ pushes: { fares: { itemsAccepted: number } } }>('GET', '/control/status')).pushes.fares.itemsAccepted : 0;

  // log in through the form
  await wb.api('auth.logout', {});
  await wb.page.reload();
  await expect(wb.page.getByTestId('login-screen')).toBeVisible();
  await wb.page.getByTestId('login-name').fill('manager');
  await wb.page.getByTestId('login-password').fill(wb.password);
  await wb.page.getByTestId('login-submit').click();
  await expect(wb.page.getByTestId('session-user')).toContainText('revenue manager');

  // the day starts on Today: what waits for a decision, market by market, as the API counts it
  await expect(wb.page.getByTestId('today-screen')).toBeVisible();
  const waiting = async (kinds: ('fare' | 'authorisation' | 'bid_price')[]) => (await wb.api('analytics.reviewSummary', { filter: { states: ['proposed'], kinds }, groupBy: 'market' })).rows;
  const [fares, controls] = [await waiting(['fare']), await waiting(['authorisation', 'bid_price'])];
  const total = [...fares, ...controls].reduce((n, r) => n + r.decisions, 0);
  await expect(wb.page.getByTestId('today-waiting-total')).toContainText(`${formatCount(total)} proposal(s) in `);
  const row = wb.page.getByTestId(`today-market-${market}`);
  await expect(row.locator('td').nth(1)).toHaveText(formatCount(fares.find((r) => r.key === market)!.decisions));
  await expect(row.locator('td').nth(2)).toHaveText(formatCount(controls.find((r) => r.key === market)?.decisions ?? 0));
  await wb.shot('rm-today');
  // and "review" opens the review grid on that market
  await wb.page.getByTestId(`today-review-${market}`).click();
  await expect(wb.page.getByTestId('filter-market')).toHaveValue(market);

  await wb.goto('review');
  await filterReview(wb, { market, date: pf.date });
  await compactColumns(wb);
  await expect(wb.page.getByTestId('review-count')).toHaveText(`${pf.proposals.length} decisions`);
  for (const d of pf.proposals) {
    const row = gridRow(wb, d.id);
    await expect(row.locator('[col-id="market"]')).toHaveText(market);
    await expect(row.locator('[col-id="proposedValue"]')).toHaveText(money(d.proposedValue, d.currency!));
    await expect(row.locator('[col-id="state"]')).toHaveText('proposed');
  }
  await wb.shot('rm-filtered');

  // override the first with a reason: a new decision replaces it in the list
  const first = pf.proposals[0]!;
  const overrideMinor = Math.round((first.currentValue! * 1.02) / 100) * 100;
  await overrideInGrid(wb, first, overrideMinor, 'rival fare sale ends Friday');
  const listed = (await wb.api('decisions.list', { filter: { origin: pf.origin, destination: pf.destination, dateFrom: pf.date, dateTo: pf.date, states: ['proposed'], kinds: ['fare'] } })).rows;
  const override = listed.find((r) => r.source === 'override')!;
  expect(override).toMatchObject({ overrideOf: first.id, proposedValue: overrideMinor, overrideReason: 'rival fare sale ends Friday', createdBy: 'manager' });
  await expect(gridRow(wb, override.id).locator('[col-id="proposedValue"]')).toHaveText(money(overrideMinor, override.currency!));
  await expect(gridRow(wb, override.id).locator('[col-id="source"]')).toHaveText('override');
  await expect(gridRow(wb, first.id)).toHaveCount(0);

  // select every row: the first row's box, then Shift and the last row's box (a range); approve them
  const box = (rowIndex: number) => wb.page.getByTestId('review-grid').locator(`[role="row"][row-index="${rowIndex}"] [col-id="select"] input[type="checkbox"]`);
  await box(0).click();
  await expect(box(0)).toBeChecked();
  await box(listed.length - 1).click({ modifiers: ['Shift'] });
  await expect(wb.page.getByTestId('selection-count')).toHaveText(`${listed.length} selected`);
  for (const r of listed) await expect(gridRow(wb, r.id)).toHaveClass(/ag-row-selected/);
  await wb.page.getByTestId('bulk-approve').click();
  await wb.page.getByTestId('bulk-text').fill('reviewed with the market plan');
  await wb.page.getByTestId('bulk-confirm').click();
  await expect(wb.page.getByTestId('review-notice')).toHaveText(`Approved ${listed.length} decisions.`);
  await wb.shot('rm-approved');

  // the push worker sends them; the PSS acknowledges each with its reference
  await wb.goto('approvals');
  const ids = listed.map((r) => r.id);
  await expect.poll(async () => (await wb.api('decisions.list', { filter: { flightId: pf.flightId, states: ['pushed'] }, limit: 50 })).rows.filter((r) => ids.includes(r.id)).length,
    { timeout: 60_000, intervals: [500] }).toBe(ids.length);
  const pushed = (await wb.api('decisions.list', { filter: { flightId: pf.flightId, states: ['pushed'] }, limit: 50 })).rows.filter((r) => ids.includes(r.id));
  await wb.page.reload();
  await expect(wb.page.getByTestId('pushed')).toBeVisible();
  for (const r of pushed) {
    expect(r.pssReference).toBeTruthy();
    await expect(wb.page.getByTestId(`pushed-row-${r.id}`).getByTestId('pss-answer')).toHaveText(r.pssReference!);
  }
  await wb.shot('rm-pushed');
  if (!sb) return;
  const status = await sb.control<{ pushes: { fares: { itemsAccepted: number } } }>('GET', '/control/status');
  expect(status.pushes.fares.itemsAccepted - pushedBefore).toBeGreaterThanOrEqual(ids.length);
  // the sandbox PSS now files those fares for the flight
  const filed = (await sb.pssList<{ rbd: string; amount: string; flightId: string | null }>('/v1/fares')).filter((f) => f.flightId === pf.flightId);
  for (const r of pushed) expect(filed.find((f) => f.rbd === r.rbd)?.amount, `PSS fare for ${r.rbd}`).toBe((r.proposedValue / 100).toFixed(2));

  // the market plays on: two days of bookings, then the PSS sync brings them into the workbench
  const soldBefore = (await wb.api('flights.get', { id: pf.flightId })).cabins.reduce((a, c) => a + c.sold, 0);
  await sb.control('POST', '/control/clock/advance', { days: 2 });
  await wb.goto('feeds');
  const runBefore = (await wb.api('feeds.status', {})).find((f) => f.feed === 'pss')!.lastRun!.id;
  await wb.page.getByTestId('feed-card-pss').getByTestId('feed-sync').click();
  await expect.poll(async () => {
    const pss = (await wb.api('feeds.status', {})).find((f) => f.feed === 'pss')!;
    return !pss.running && pss.lastRun!.id > runBefore ? pss.lastRun!.status : 'running';
  }, { timeout: 600_000, intervals: [2_000] }).toMatch(/^(ok|degraded)$/);
  const day = pf.date;
  const served = (await sb.pssList<{ flightId: string; rbd: string; sold: number }>('/v1/inventory', { fromDate: day, toDate: day })).filter((i) => i.flightId === pf.flightId);
  const soldNow = served.reduce((a, i) => a + i.sold, 0);
  const stored = await wb.api('flights.get', { id: pf.flightId });
  expect(stored.cabins.reduce((a, c) => a + c.sold, 0)).toBe(soldNow);
  expect(soldNow).toBeGreaterThanOrEqual(soldBefore);
  await wb.goto('detail');
  await wb.page.getByTestId('detail-pick-market').selectOption(market);
  await wb.page.getByTestId('detail-pick-date').fill(pf.date);
  await wb.page.getByTestId(`detail-pick-${pf.flightId.split('/')[0]}`).click();
  await expect(wb.page.getByTestId('flight-title')).toContainText(pf.flightId.split('/')[0]!);
  for (const i of served) {
    await expect(wb.page.getByTestId(`class-${i.rbd}`).getByTestId('class-sold')).toHaveText(i.sold.toLocaleString('en-GB'));
  }
  // the pushed fares are the fares in force for the flight
  for (const r of pushed) await expect(wb.page.getByTestId(`class-${r.rbd}`).getByTestId('class-fare')).toHaveText(money(r.proposedValue, r.currency!));
  // the protection levels of its classes: the cabin's top authorisation less each class's
  const classes = (await wb.api('fares.list', { flightId: pf.flightId, limit: 200 })).rows.filter((x) => x.cabin === 'Y' && x.authorised !== null);
  const top = Math.max(...classes.map((x) => x.authorised!));
  for (const x of classes) await expect(wb.page.getByTestId(`class-${x.rbd}`).getByTestId('class-protected')).toHaveText((top - x.authorised!).toLocaleString('en-GB'));

  // a pushed fare's detail lists what was pushed for it, this push among them
  const one = pushed[0]!;
  await wb.page.getByTestId(`flight-decision-${one.id}`).getByRole('button').click();
  const values = wb.page.getByTestId('detail-pushed-values');
  await expect(values).toContainText(`${one.id} (this one)`);
  await expect(values.locator('tr', { hasText: `${one.id} (this one)` })).toContainText(money(one.proposedValue, one.currency!));
  // its audit trail says what the decision is about
  await wb.goto('audit');
  await wb.page.getByTestId('audit-text').fill(String(one.id));
  await wb.page.getByTestId('audit-search').click();
  await expect(wb.page.getByTestId('audit-about').first()).toHaveText(`fare ${one.flightId!.split('/')[0]} ${one.origin}-${one.destination} ${one.travelDate} ${one.cabin}/${one.rbd}`);
  await wb.shot('rm-after-two-days');
}

/**
 * Issue 8: filter (market, status, change beyond x %), override inline, approve every decision matching
 * the filter in one action, reject one with a reason, and export the view as CSV.
 */
export async function filterOverrideApprove(wb: Workbench, today: string): Promise<void> {
  const pf = await proposeFaresForAFlight(wb, { date: addDays(today, 15), n: 4, pct: 8, reason: 'analyst: sell-up observed' });
  const market = `${pf.origin}-${pf.destination}`;
  await wb.loginAs('manager');
  await wb.goto('review');
  await filterReview(wb, { market, date: pf.date });
  await wb.page.getByTestId('filter-change').fill('5');
  await wb.page.getByTestId('filter-change').press('Enter');
  await expect(wb.page.getByTestId('review-count')).toHaveText(`${pf.proposals.length} decisions`);
  // the filter and the columns, saved as a view; reset; the view brings both back
  await compactColumns(wb);
  await wb.page.getByTestId('review-views').click();
  await wb.page.getByTestId('view-name').fill('Big moves');
  await wb.page.getByTestId('view-save').click();
  await wb.page.getByTestId('review-views').click();
  await wb.page.getByTestId('filter-reset').click();
  await wb.page.getByTestId('review-columns').click();
  await wb.page.getByTestId('column-chooser').getByRole('button', { name: 'Reset' }).click();
  await wb.page.getByTestId('column-chooser').getByRole('button', { name: 'Close' }).click();
  await expect(wb.page.getByTestId('review-grid').locator('.ag-header-cell[col-id="competitorMin"]')).toBeVisible();
  await wb.page.getByTestId('review-views').click();
  await wb.page.getByTestId('view-apply-Big moves').click();
  await expect(wb.page.getByTestId('review-notice')).toHaveText('View "Big moves" applied.');
  await expect(wb.page.getByTestId('filter-market')).toHaveValue(market);
  await expect(wb.page.getByTestId('filter-change')).toHaveValue('5');
  await expect(wb.page.getByTestId('review-grid').locator('.ag-header-cell[col-id="competitorMin"]')).toHaveCount(0);
  await expect(wb.page.getByTestId('review-count')).toHaveText(`${pf.proposals.length} decisions`);
  // the change column shows each move against the fare in force
  for (const d of pf.proposals) await expect(gridRow(wb, d.id).locator('[col-id="changePct"]')).toHaveText(`+${d.changePct!.toFixed(1)} %`);

  // reject one with a reason (selected by keyboard: Space, then R)
  const rejected = pf.proposals[3]!;
  await selectWithSpace(wb, rejected.id);
  await wb.page.keyboard.press('r');
  await wb.page.getByTestId('bulk-text').fill('keep the filed fare in this class');
  await wb.page.getByTestId('bulk-confirm').click();
  await expect(wb.page.getByTestId('review-notice')).toHaveText('Rejected 1 decision.');
  await expect(wb.page.getByTestId('review-count')).toHaveText(`${pf.proposals.length - 1} decisions`);

  // override one inline (still a move beyond 5 %), then approve every decision matching the filter in one action
  const target = pf.proposals[0]!;
  await overrideInGrid(wb, target, Math.round((target.currentValue! * 1.06) / 100) * 100, 'round to the competitor step');
  await expect(wb.page.getByTestId('review-count')).toHaveText(`${pf.proposals.length - 1} decisions`);

  const [download] = await Promise.all([wb.page.waitForEvent('download'), wb.page.getByTestId('review-export').click()]);
  const csv = fs.readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
  expect(csv).toHaveLength(pf.proposals.length); // header + the rows left
  // the columns of the view, in its order, money in major units beside its currency
  expect(csv[0]).toBe('Market,Flight,Local date,Cabin,RBD,Current,Proposed,Change,Status,Guardrails,Source,Reason,Currency');
  expect(csv.slice(1).every((l) => l.startsWith(`${market},${pf.flightId.split('/')[0]},${pf.date},Y,`))).toBe(true);
  const overrideLine = csv.find((l) => l.includes(',override,'))!;
  expect(overrideLine.split(',').slice(4, 7)).toEqual([target.rbd, String(target.currentValue! / 100), String(Math.round((target.currentValue! * 1.06) / 100))]);
  expect(overrideLine.endsWith(`,round to the competitor step,${target.currency}`)).toBe(true);

  const firstRow = (await wb.api('decisions.list', { filter: { origin: pf.origin, destination: pf.destination, dateFrom: pf.date, dateTo: pf.date, states: ['proposed'], minAbsChangePct: 5 } })).rows[0]!;
  await selectWithSpace(wb, firstRow.id);
  await wb.page.getByTestId('select-all-matching').click();
  await expect(wb.page.getByTestId('selection-count')).toHaveText(`${pf.proposals.length - 1} selected (every decision matching the filter)`);
  await wb.page.getByTestId('bulk-approve').click();
  await wb.page.getByTestId('bulk-confirm').click();
  await expect(wb.page.getByTestId('review-notice')).toHaveText(`Approved ${pf.proposals.length - 1} decisions.`);
  await expect(wb.page.getByTestId('review-count')).toHaveText('0 decisions');
  const after = (await wb.api('decisions.list', { filter: { flightId: pf.flightId }, limit: 50 })).rows;
  expect(after.find((r) => r.id === rejected.id)).toMatchObject({ state: 'rejected', decidedBy: 'manager', decisionNote: 'keep the filed fare in this class' });
  expect(after.filter((r) => ['approved', 'queued', 'pushed'].includes(r.state))).toHaveLength(pf.proposals.length - 1);
  await wb.shot('review-approved-all-matching');
}
