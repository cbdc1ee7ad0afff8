/**
 * The driver every journey uses, so the same journeys run in Chromium against the web bridge and in the
 * Electron app: the page, the API as the page calls it, log in, go to a screen, screenshots, and (on the
 * web host) the sandbox itself — its control API (clock, faults, counters) and its PSS, read with the
 * per-launch OAuth2 credentials, to compare what the workbench shows with what the sandbox serves.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import type { ApiInput, ApiOutput, MethodName } from '../../engine/api/contract';
import type { SandboxEndpoints } from '../../connectors/sandbox/sandbox';
import { apiCall } from './api';
import { ARTIFACTS } from './run';

export type { ScreenId } from '../../app/state/ui';
import type { ScreenId } from '../../app/state/ui';

export class SandboxDriver {
  private token: { value: string; until: number } | null = null;
  constructor(readonly endpoints: SandboxEndpoints) {}

  /** The control API (bearer control token): clock, faults, counters. */
  async control<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', route: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.endpoints.control.baseUrl}${route}`, {
      method, headers: { authorization: `Bearer ${this.endpoints.control.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`sandbox control ${method} ${route}: ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  /** Every page of a sandbox PSS list endpoint, as the PSS serves it. */
  async pssList<T>(route: string, query: Record<string, string> = {}): Promise<T[]> {
    const out: T[] = [];
    let pageToken: string | null = null;
    do {
      const q = new URLSearchParams({ ...query, limit: '1000', ...(pageToken ? { pageToken } : {}) });
      const res = await fetch(`${this.endpoints.systems.pss.baseUrl}${route}?${q}`, { headers: { authorization: `Bearer ${await this.pssToken()}` } });
      if (!res.ok) throw new Error(`sandbox PSS GET ${route}: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { data: T[]; nextPageToken: string | null };
      out.push(...body.data);
      pageToken = body.nextPageToken;
    } while (pageToken);
    return out;
  }

  private async pssToken(): Promise<string> {
    if (this.token && this.token.until > Date.now()) return this.token.value;
    const s = this.endpoints.systems.pss;
    const res = await fetch(s.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${s.clientId}:${s.clientSecret}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    if (!res.ok) throw new Error(`sandbox PSS token: ${res.status} ${await res.text()}`);
    const t = (await res.json()) as { access_token: string; expires_in: number };
    this.token = { value: t.access_token, until: Date.now() + (t.expires_in - 30) * 1000 };
    return t.access_token;
  }
}

export interface Workbench {
  page: Page;
  kind: 'web' | 'electron';
  /** the sandbox behind the workbench, when the suite can reach it (the web host prints it) */
  sandbox: SandboxDriver | null;
  /** the demo profiles' password */
  password: string;
  api<K extends MethodName>(method: K, input: ApiInput<K>): Promise<ApiOutput<K>>;
  /** signs this session in as a profile (through the API) and reloads the app */
  loginAs(login: string): Promise<void>;
  /** opens a screen from the navigation */
  goto(screen: ScreenId): Promise<void>;
  /** saves a screenshot under e2e/artifacts/<kind>/<name>.png */
  shot(name: string): Promise<void>;
}

/**
 * Collects what ag-grid says in the page's console as errors or warnings. ag-grid names what it lacks or
 * rejects (a module not registered, a deprecated or unknown option) there and goes on without it: a
 * journey that passes with one is still a defect, so the suites expect this list to stay empty.
 */
export function watchGridConsole(page: Page): string[] {
  const messages: string[] = [];
  page.on('console', (m) => { if ((m.type() === 'error' || m.type() === 'warning') && /AG Grid/i.test(m.text())) messages.push(m.text()); });
  return messages;
}

export async function waitReady(page: Page): Promise<void> {
  await expect(page.locator('#root')).toHaveAttribute('data-app-state', 'ready');
}

export function workbench(page: Page, o: { kind: 'web' | 'electron'; sandbox: SandboxEndpoints | null; password: string; reload: () => Promise<void> }): Workbench {
  const dir = path.join(ARTIFACTS, o.kind);
  fs.mkdirSync(dir, { recursive: true });
  const wb: Workbench = {
    page, kind: o.kind, password: o.password,
    sandbox: o.sandbox ? new SandboxDriver(o.sandbox) : null,
    api: (method, input) => apiCall(page, method, input),
    async loginAs(login) {
      const status = await apiCall(page, 'auth.status', {});
      if (status.user?.login !== login) {
        if (status.user) await apiCall(page, 'auth.logout', {});
        await apiCall(page, 'auth.login', { login, password: o.password });
      }
      await o.reload();
      await waitReady(page);
      await expect(page.getByTestId('session-user')).toBeVisible();
    },
    async goto(screen) {
      await page.getByTestId(`nav-${screen}`).click();
      await expect(page.getByTestId(`screen-${screen}`)).toBeVisible();
    },
    async shot(name) {
      await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: false });
    },
  };
  return wb;
}
