/** Hostile input in the UI (issue 11): quarantined markup is shown as text, never rendered as HTML. */
import { test } from '../support/web';
import { hostileQuarantineIsText } from '../journeys/hostileInput';

test('markup in quarantined records is shown as text and never runs', async ({ wb }) => {
  await hostileQuarantineIsText(wb);
});
