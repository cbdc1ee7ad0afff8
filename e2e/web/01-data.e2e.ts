/** The start-up sync as the workbench shows it, checked against the seeded sandbox (issue 2), and competitor comparison. */
import { test } from '../support/web';
import { feedPanelShowsSync } from '../journeys/feeds';
import { faresGridMatchesSandbox } from '../journeys/fares';
import { adjustDemand, compareAgainstCompetitors } from '../journeys/analytics';
import { SANDBOX_TODAY } from '../support/run';

test('the feed panel shows the successful start-up sync of every feed', async ({ wb }) => {
  await feedPanelShowsSync(wb);
});

test('fares grid cells equal what the sandbox PSS serves for a chosen flight', async ({ wb }) => {
  await faresGridMatchesSandbox(wb);
});

test('an analyst compares own fares against competitors and exports the chart', async ({ wb }) => {
  await compareAgainstCompetitors(wb, SANDBOX_TODAY);
});

test('an analyst sets a demand influence on a market, changes it, finds it in the audit log and deletes it', async ({ wb }) => {
  await adjustDemand(wb, SANDBOX_TODAY);
});
