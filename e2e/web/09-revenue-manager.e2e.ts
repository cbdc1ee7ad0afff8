/**
 * Issue 6, end to end: a revenue manager's day on the sandbox. Last in the run: it moves the sandbox's
 * clock and the PSS files new fares, which the earlier journeys' comparisons do not expect.
 */
import { test } from '../support/web';
import { revenueManagerDay } from '../journeys/decisions';
import { SANDBOX_TODAY } from '../support/run';

test('a revenue manager logs in, filters a market, overrides a fare, approves; the PSS acknowledges; bookings follow', async ({ wb }) => {
  test.setTimeout(900_000);
  await revenueManagerDay(wb, SANDBOX_TODAY);
});
