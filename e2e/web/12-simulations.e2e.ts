/** A revenue simulation started and followed on the Simulations screen. */
import { test } from '../support/web';
import { revenueSimulationFromTheScreen } from '../journeys/simulations';

test('an analyst runs a revenue simulation from the screen and reads the stored run', async ({ wb }) => {
  test.setTimeout(240_000);
  await revenueSimulationFromTheScreen(wb);
});
