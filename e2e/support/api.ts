/**
 * The workbench API as the page calls it: same-origin POST /api/<method> with the session cookie (web),
 * or the preload's invoke (desktop). Typed by the contract; an error envelope throws with its code.
 */
import type { Page } from '@playwright/test';
import type { ApiInput, ApiOutput, Envelope, MethodName } from '../../engine/api/contract';

export class E2eApiError extends Error {
  constructor(readonly method: string, readonly code: string, message: string, readonly field?: string) {
    super(`${method}: ${code}: ${message}`);
  }
}

export async function apiCall<K extends MethodName>(page: Page, method: K, input: ApiInput<K>): Promise<ApiOutput<K>> {
  const env = await page.evaluate(async ([m, i]) => {
    const bridge = (window as unknown as { dfae?: { invoke(m: string, i: unknown): Promise<unknown> } }).dfae;
    if (bridge) return bridge.invoke(m, i);
    const r = await fetch(`/api/${m}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(i), credentials: 'same-origin' });
    return r.json();
  }, [method, input] as const) as Envelope<ApiOutput<K>>;
  if (!env.ok) throw new E2eApiError(method, env.error.code, env.error.message, env.error.field);
  return env.result;
}
