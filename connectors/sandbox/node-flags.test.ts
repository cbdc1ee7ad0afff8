import { describe, expect, it } from 'vitest';
import { SANDBOX_MALLOC_TUNABLE, sandboxEnv } from './node-flags';

describe('sandboxEnv', () => {
  it('adds the huge-page tunable, after any tunables already set', () => {
    expect(sandboxEnv({ PATH: '/bin' })).toEqual({ PATH: '/bin', GLIBC_TUNABLES: SANDBOX_MALLOC_TUNABLE });
    expect(sandboxEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }).GLIBC_TUNABLES).toBe(`glibc.malloc.arena_max=2:${SANDBOX_MALLOC_TUNABLE}`);
  });

  it('leaves a user\'s own hugetlb setting, and the environment object, alone', () => {
    const env = { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' };
    expect(sandboxEnv(env)).toBe(env);
    const plain = { HOME: '/root' };
    sandboxEnv(plain);
    expect(plain).toEqual({ HOME: '/root' });
  });
});
