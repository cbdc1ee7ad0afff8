/**
 * Issue 7, visible in the workbench: the branded fares of a market with their prices and expected
 * revenue, and the offer simulator (a request → offers with breakdown, stored, re-validated).
 */
import { expect } from '@playwright/test';
import { formatMoney } from '../../engine/domain/money';
import type { Workbench } from '../support/workbench';
import { addDays } from './decisions';

export async function bundlesAndOffers(wb: Workbench, today: string): Promise<void> {
  await wb.loginAs('analyst');
  const markets = await wb.api('fares.markets', {});
  let chosen: { key: string; origin: string; destination: string } | null = null;
  let brands: Awaited<ReturnType<typeof wb.api<'bundles.brands'>>>['rows'][number] | null = null;
  for (const m of markets.filter((x) => x.flights > 0)) {
    const r = await wb.api('bundles.brands', { origin: m.origin, destination: m.destination, cabin: 'Y', limit: 1 });
    if (r.rows[0] && !r.rows[0].error && r.rows[0].brands.length >= 2) { chosen = { key: `${m.origin}-${m.destination}`, ...m }; brands = r.rows[0]; break; }
  }
  expect(chosen, 'a market with branded fares').not.toBeNull();
  await wb.goto('offers');
  await wb.page.getByTestId('bundles-market').selectOption(chosen!.key);
  const table = wb.page.getByTestId('brands-table');
  await expect(table.locator('tbody tr')).toHaveCount(brands!.brands.length);
  for (const [i, b] of brands!.brands.entries()) {
    const cells = table.locator('tbody tr').nth(i).locator('td');
    await expect(cells.nth(0).getByTestId('brand-name')).toHaveText(b.name);
    for (const a of b.includes) await expect(cells.nth(0)).toContainText(brands!.alaCarte.find((x) => x.code === a)?.name ?? a); // what it includes, by name
    await expect(cells.nth(1)).toHaveText(formatMoney({ amountMinor: b.priceMinor, currency: b.currency }));
  }
  await expect(wb.page.getByTestId('brands-revenue')).toHaveText(formatMoney({ amountMinor: Math.round(brands!.expected.revenuePerPax), currency: brands!.currency }));
  await wb.shot('bundles');

  await wb.page.getByTestId('offers-tab-simulator').click();
  const date = addDays(today, 14);
  await wb.page.getByTestId('shop-market').selectOption(chosen!.key);
  await wb.page.getByTestId('shop-date').fill(date);
  await wb.page.getByTestId('shop-submit').click();
  const offers = wb.page.getByTestId('offer');
  await expect(offers.first()).toBeVisible({ timeout: 60_000 });
  const stored = (await wb.api('offers.list', { origin: chosen!.origin, destination: chosen!.destination, departureDate: date, limit: 200 })).rows;
  const shown = await offers.count();
  expect(stored.length).toBeGreaterThanOrEqual(shown);
  const firstTotal = await offers.first().getByTestId('offer-total').textContent();
  expect(stored.map((o) => formatMoney({ amountMinor: o.totalMinor, currency: o.currency }))).toContain(firstTotal);
  // by itinerary, the cheapest first: the first offer shown is the cheapest of the request
  const cheapest = stored.reduce((a, o) => (o.totalMinor < a.totalMinor ? o : a));
  expect(firstTotal).toBe(formatMoney({ amountMinor: cheapest.totalMinor, currency: cheapest.currency }));
  await expect(wb.page.getByTestId('itinerary').first().getByTestId('offer')).not.toHaveCount(0);
  // a bundle's inclusions by the catalogue's names, as in the branded fares above
  const bundled = stored.find((o) => o.brand !== 'LIGHT');
  if (bundled) {
    const full = await wb.api('offers.get', { offerId: bundled.id });
    const card = wb.page.getByLabel(`Offer ${full.offer.brand.name}`).first();
    for (const c of full.offer.brand.includes) await expect(card).toContainText(brands!.alaCarte.find((x) => x.code === c)?.name ?? `(no name for ${c})`);
  }
  await offers.first().getByRole('button', { name: 'Re-validate' }).click();
  await expect(offers.first().getByRole('status')).toContainText('valid');
  await wb.shot('offers');
}
