/** Settings an administrator keeps: retention. */
import { test } from '../support/web';
import { retentionSettings } from '../journeys/settings';

test('an administrator sets retention; a revenue manager cannot; the audit log has the change', async ({ wb }) => {
  await retentionSettings(wb);
});
