/** The archive (last: it moves the store's ended decisions and old audit rows out, as retention does). */
import { test } from '../support/web';
import { archivedDecisionFound } from '../journeys/archive';
import { readHostInfo } from '../support/run';

test('a rejected proposal, archived by retention, is found on the Archive screen with who rejected it and why', async ({ wb }) => {
  await archivedDecisionFound(wb, readHostInfo().dataDir);
});
