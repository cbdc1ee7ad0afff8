/** Sandbox faults as the feeds monitor shows them. */
import { test } from '../support/web';
import { browseQuarantine, diskShortOfSpace, feedDegradesAndRecovers } from '../journeys/feeds';

test('a feed degrades and goes down under a sandbox fault, and recovers', async ({ wb }) => {
  test.setTimeout(300_000);
  await feedDegradesAndRecovers(wb);
});

test('quarantined records are browsable with their reasons', async ({ wb }) => {
  await browseQuarantine(wb);
});

test('the data folder\'s disk short of space raises an alert, and space back resolves it', async ({ wb }) => {
  await diskShortOfSpace(wb);
});
