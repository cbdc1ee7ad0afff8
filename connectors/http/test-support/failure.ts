/** Test support: the HttpCallError a call ends with (fails the test when it succeeds or throws something else). */
import { expect } from 'vitest';
import { HttpCallError } from '../errors';

export async function failure(p: Promise<unknown>): Promise<HttpCallError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(HttpCallError);
  return e as HttpCallError;
}
