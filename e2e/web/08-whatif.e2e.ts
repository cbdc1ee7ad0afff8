/** What-if before approving: Simulate a pending proposal from the review grid; the screen shows the API's numbers. */
import { test } from '../support/web';
import { simulateBeforeApproving } from '../journeys/whatif';
import { SANDBOX_TODAY } from '../support/run';

test('a revenue manager simulates a pending proposal before approving it; the numbers are the API\'s', async ({ wb }) => {
  test.setTimeout(600_000);
  await simulateBeforeApproving(wb, SANDBOX_TODAY);
});
