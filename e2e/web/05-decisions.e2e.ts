/** The review grid: filter, override inline with a reason, approve and reject; CSV export. */
import { test } from '../support/web';
import { filterOverrideApprove } from '../journeys/decisions';
import { SANDBOX_TODAY } from '../support/run';

test('filter, override with a reason, reject one and approve all matching; export the view', async ({ wb }) => {
  test.setTimeout(180_000);
  await filterOverrideApprove(wb, SANDBOX_TODAY);
});
