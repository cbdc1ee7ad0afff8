/** The pricing cycle from the workbench: explanations checked against the API, and a guardrail the next cycle respects. */
import { test } from '../support/web';
import { guardrailRespected, readAnExplanation } from '../journeys/cycle';

test('a recommendation explains itself: the detail shows its steps and they add up to the proposal', async ({ wb }) => {
  test.setTimeout(600_000);
  await readAnExplanation(wb);
});

test('a guardrail changed in the settings is respected by the next cycle', async ({ wb }) => {
  test.setTimeout(900_000);
  await guardrailRespected(wb);
});
