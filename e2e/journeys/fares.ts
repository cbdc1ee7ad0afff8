/**
 * Issue 2: the fares grid shows, cell for cell, what the seeded sandbox PSS serves for a chosen flight —
 * the fare with its currency (a fare for that departure first, else the market fare valid that day, for
 * the point of sale of the origin's country), sold / authorised, the flight and its local date.
 */
import { expect } from '@playwright/test';
import type { Workbench } from '../support/workbench';
import { apiCall } from '../support/api';

interface WireFlight { flightId: string; carrier: string; flightNumber: number; origin: string; destination: string; departureDate: string; cabins: { cabin: string; capacity: number }[] }
interface WireInventory { flightId: string; rbd: string; cabin: string; sold: number; authorised: number; status: string }
interface WireFare { carrier: string; origin: string; destination: string; rbd: string; pointOfSale: string; amount: string; currency: string; validFrom: string; validTo: string; flightId: string | null }
interface WireAirport { code: string; country?: string }

/** "1,234.50 EUR" from the wire amount "1234.50", keeping its decimals. */
function money(amount: string, currency: string): string {
  const decimals = amount.split('.')[1]?.length ?? 0;
  return `${Number(amount).toLocaleString('en-GB', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })} ${currency}`;
}

export async function faresGridMatchesSandbox(wb: Workbench): Promise<void> {
  const sb = wb.sandbox;
  if (!sb) throw new Error('this journey reads the sandbox PSS');
  const day = new Date(Date.parse(`${sb.endpoints.now.slice(0, 10)}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
  const flights = (await sb.pssList<WireFlight>('/v1/flights', { fromDate: day, toDate: day }))
    .filter((f) => f.carrier === sb.endpoints.ownCarrier)
    .sort((a, b) => a.origin.localeCompare(b.origin) || a.destination.localeCompare(b.destination) || a.flightNumber - b.flightNumber);
  const flight = flights[0];
  expect(flight, `the sandbox flies on ${day}`).toBeTruthy();
  const inventory = (await sb.pssList<WireInventory>('/v1/inventory', { fromDate: day, toDate: day })).filter((i) => i.flightId === flight!.flightId);
  const fares = await sb.pssList<WireFare>('/v1/fares');
  const country = (await sb.pssList<WireAirport>('/v1/airports')).find((a) => a.code === flight!.origin)?.country;
  const fareOf = (rbd: string): WireFare | undefined => {
    const valid = fares.filter((x) => x.carrier === flight!.carrier && x.origin === flight!.origin && x.destination === flight!.destination && x.rbd === rbd
      && x.validFrom <= day && x.validTo >= day && (x.flightId === null || x.flightId === flight!.flightId));
    const own = valid.filter((x) => x.flightId === flight!.flightId);
    const pool = own.length ? own : valid;
    const pos = pool.filter((x) => x.pointOfSale === country);
    const pick = pos.length ? pos : pool;
    return pick.length === 1 ? pick[0] : undefined; // several equally good candidates: not a cell we can pin down
  };
  const checked = inventory.map((i) => ({ i, fare: fareOf(i.rbd) })).filter((x) => x.fare).slice(0, 4);
  expect(checked.length, 'RBDs with one fare to compare').toBeGreaterThanOrEqual(3);

  await wb.loginAs('analyst');
  await wb.goto('fares');
  // a first visit shows departures from today on
  const today = (await apiCall(wb.page, 'system.info', {})).now.slice(0, 10);
  await expect(wb.page.getByTestId('fares-date-from')).toHaveValue(today);
  await wb.page.getByTestId('fares-market').selectOption(`${flight!.origin}-${flight!.destination}`);
  await wb.page.getByTestId('fares-date-from').fill(day);
  await wb.page.getByTestId('fares-date-to').fill(day);
  const grid = wb.page.getByTestId('fares-grid');
  for (const { i, fare } of checked) {
    const row = grid.locator(`[role="row"][row-id="${flight!.flightId}|${i.rbd}"]`);
    await expect(row.locator('[col-id="flight"]')).toHaveText(`${flight!.carrier}${flight!.flightNumber}`);
    await expect(row.locator('[col-id="localDate"]')).toHaveText(day);
    await expect(row.locator('[col-id="rbd"]')).toHaveText(i.rbd);
    await expect(row.locator('[col-id="fare"]')).toHaveText(money(fare!.amount, fare!.currency));
    await expect(row.locator('[col-id="soldAuth"]')).toHaveText(`${i.sold.toLocaleString('en-GB')} / ${i.authorised.toLocaleString('en-GB')}`);
    await expect(row.locator('[col-id="status"]')).toHaveText(i.status);
  }
  await wb.shot('fares-grid-vs-sandbox');
}
