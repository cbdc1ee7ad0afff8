/**
 * Login and first-run setup: on a workbench with no user yet, the first person creates the
 * administrator and is signed in; the administrator adds an analyst; the analyst logs in and sees
 * that approving is a revenue manager's.
 */
import { expect, type Page } from '@playwright/test';
import { waitReady } from '../support/workbench';

export async function firstRunSetup(page: Page, url: string, shot: (name: string) => Promise<void>): Promise<void> {
  await page.goto(url);
  await waitReady(page);
  const setup = page.getByTestId('setup-screen');
  await expect(setup).toBeVisible();
  await page.getByTestId('setup-login').fill('olga');
  await page.getByTestId('setup-name').fill('Olga Owner');
  await page.getByTestId('setup-password').fill('first-admin-pass');
  await page.getByTestId('setup-confirm').fill('first-admin-typo');
  await expect(page.getByTestId('setup-submit')).toBeDisabled();
  await page.getByTestId('setup-confirm').fill('first-admin-pass');
  await shot('first-run-setup');
  await page.getByTestId('setup-submit').click();
  await expect(page.getByTestId('session-user')).toContainText('Olga Owner');
  await expect(page.getByTestId('session-user')).toContainText('admin');

  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-tab-users').click();
  const users = page.getByTestId('users-tab');
  await expect(users.getByTestId('users-table')).toContainText('olga');
  await users.getByTestId('user-login').fill('ana');
  await users.getByTestId('user-name').fill('Ana Analyst');
  await users.getByTestId('user-password').fill('analyst-pass-1');
  await users.getByTestId('user-role').selectOption('analyst');
  await users.getByRole('button', { name: 'Add user' }).click();
  await expect(users.getByTestId('users-table').locator('tr', { hasText: 'ana' }).first()).toContainText('Ana Analyst');

  await page.getByTestId('logout').click();
  await expect(page.getByTestId('login-screen')).toBeVisible();
  await page.getByTestId('login-name').fill('ana');
  await page.getByTestId('login-password').fill('wrong-password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-screen').getByTestId('state-error')).toBeVisible();
  await page.getByTestId('login-password').fill('analyst-pass-1');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('session-user')).toContainText('Ana Analyst');
  await page.getByTestId('nav-review').click();
  await expect(page.getByTestId('bulk-approve')).toBeDisabled();
  await expect(page.getByTestId('bulk-approve')).toHaveAttribute('title', 'Only a revenue manager may do this (you are analyst).');
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-tab-users').click();
  await expect(page.getByTestId('state-empty')).toContainText('Only an administrator manages users and roles');
  await shot('first-run-analyst');
}
