/**
 * Settings journeys: retention, which only an administrator changes; the change is in the audit log,
 * and the Audit screen says how many rows the chain's archives hold.
 */
import { expect } from '@playwright/test';
import type { Workbench } from '../support/workbench';

async function openRetention(wb: Workbench) {
  await wb.goto('settings');
  await wb.page.getByTestId('settings-tab-retention').click();
  return wb.page.getByTestId('retention-tab');
}

export async function retentionSettings(wb: Workbench): Promise<void> {
  // a revenue manager reads them and cannot change them
  await wb.loginAs('manager');
  const before = await wb.api('settings.retention', {});
  let form = await openRetention(wb);
  await expect(form.getByLabel('Audit rows stay in the store for (days)')).toHaveValue(String(before.auditDays));
  await expect(form.getByLabel('Decisions that ended unpushed, or were replaced by a newer push, stay for (days)')).toHaveValue(String(before.decisionsDays));
  const save = form.getByRole('button', { name: 'Save retention' });
  await expect(save).toBeDisabled();
  await expect(save).toHaveAttribute('title', /Only an administrator may do this/);
  // an administrator does, with a reason; a bad age is named
  await wb.loginAs('admin');
  form = await openRetention(wb);
  await form.getByLabel('Audit rows stay in the store for (days)').fill('-5');
  await form.getByRole('button', { name: 'Save retention' }).click();
  await expect(form.getByRole('alert')).toContainText(/auditDays/);
  await form.getByLabel('Audit rows stay in the store for (days)').fill('400');
  await form.getByLabel('Decisions that ended unpushed, or were replaced by a newer push, stay for (days)').fill('45');
  await form.getByLabel('Decisions of a flight stay after its departure for (days, at least 180)').fill('500');
  await form.getByLabel('Reason (for the audit trail)').fill('e2e: a year and a month of audit');
  await form.getByRole('button', { name: 'Save retention' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');
  expect(await wb.api('settings.retention', {})).toEqual({ auditDays: 400, decisionsDays: 45, departedDays: 500 });
  await wb.shot('settings-retention');
  // the Audit screen finds the change
  await wb.goto('audit');
  await wb.page.getByTestId('audit-entity').selectOption('rule');
  await wb.page.getByTestId('audit-text').fill('retention');
  await wb.page.getByTestId('audit-search').click();
  await expect(wb.page.getByTestId('audit-table').locator('tbody tr').first()).toContainText("retention: audit rows 400 days, ended or replaced decisions 45 days, departed flights' decisions 500 days: e2e: a year and a month of audit");
  await expect(wb.page.getByTestId('audit-chain')).toContainText(/chain verified/);
  // as it was
  await wb.api('settings.saveRetention', { ...before, reason: 'e2e: back as it was' });
}
