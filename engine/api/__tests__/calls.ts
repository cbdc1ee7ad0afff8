/** Test helpers for calls through the API. */
import { ApiError } from '../errors';

/** The ApiError a call fails with (any other error is rethrown; a call that succeeds fails the test). */
export async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}
