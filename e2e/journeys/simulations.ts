/**
 * Issue 10 from the workbench: an analyst starts a revenue simulation on the Simulations screen, follows its
 * trials, and reads the stored run, whose figures are the API's.
 */
import { expect } from '@playwright/test';
import type { Workbench } from '../support/workbench';
import { formatSignedPct } from '../../app/components/format';

export async function revenueSimulationFromTheScreen(wb: Workbench): Promise<void> {
  await wb.loginAs('analyst');
  await wb.goto('simulations');
  const form = wb.page.getByTestId('new-simulation');
  await form.getByTestId('sim-strategy').selectOption('E');
  await form.getByTestId('sim-vs').selectOption('E');
  await expect(form.getByTestId('sim-invalid')).toHaveText('Choose two different strategies.');
  await expect(form.getByTestId('sim-start')).toBeDisabled();
  await form.getByTestId('sim-vs').selectOption('fcfs');
  // a small one: 3MKT, two trials of 5 measured days after 10 burn-in days
  await form.getByTestId('sim-trials').fill('2');
  await form.getByTestId('sim-samples').fill('5');
  await form.getByTestId('sim-burn-in').fill('10');
  await form.getByTestId('sim-start').click();
  const status = form.getByTestId('sim-status');
  await expect(status).toContainText('done', { timeout: 120_000 });
  const { job } = await wb.api('simulations.job', {});
  expect(job).toMatchObject({ state: 'done', done: 2, startedBy: 'analyst', options: { scenario: '3mkt', strategy: 'E', vs: 'fcfs', trials: 2, samples: 5, burnIn: 10 } });
  const run = await wb.api('simulations.get', { id: job!.runId! });
  expect(run).toMatchObject({ strategy: 'E', vs: 'fcfs', trials: 2, label: 'started in the workbench by analyst' });
  await expect(status).toHaveText(`Simulation ${job!.id} done: run ${run.id} stored, uplift ${formatSignedPct(run.uplift.mean, 2)}`);
  // the stored run is listed and opened
  await expect(wb.page.getByTestId(`simulation-run-${run.id}`)).toBeVisible();
  await expect(wb.page.getByTestId('simulation-summary')).toContainText(`Run ${run.id}: E against fcfs`);
  await wb.shot('simulation-started');
}
