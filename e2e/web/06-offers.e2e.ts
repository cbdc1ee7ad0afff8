/** Bundles and offers as the analyst sees them. */
import { test } from '../support/web';
import { bundlesAndOffers } from '../journeys/offers';
import { SANDBOX_TODAY } from '../support/run';

test('branded fares of a market and offers for a request, with their prices', async ({ wb }) => {
  test.setTimeout(180_000);
  await bundlesAndOffers(wb, SANDBOX_TODAY);
});
