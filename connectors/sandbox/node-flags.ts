/**
 * V8 flags for the sandbox's process (connectors/sandbox/process.ts spawns it with them; the desktop app
 * passes them to its utility process). A booking-events page of 10,000 events is built as objects and
 * serialised to about 8 MB of JSON, all of it garbage a moment later: with V8's default young
 * generation the collector copied and promoted it, and took half of the sandbox's CPU time while
 * serving a history. Semi-spaces of 64 MB: serving 414,464 events (the ingest benchmark's sync) took
 * 1.47-1.49 s of the sandbox's CPU instead of 2.0-2.3 s, on the same two cores the workbench syncs on.
 */
export const SANDBOX_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/**
 * glibc's malloc tunable that asks the kernel for transparent huge pages (2 MB) on large allocations, where its
 * THP mode is `madvise` (Debian's default). The simulator's columns (the leg store, the booking log) are typed
 * arrays that grow by copying into fresh memory: on this project's VMs a first touch of a 4 KB page costs about
 * 10 µs, so faulting in 100 MB took 265 ms, and 25–160 ms in 2 MB pages. The sandbox's 200-day bench run went
 * from 4,367–4,540 to 5,277–5,349 leg departures/s with the choice worker. Other C libraries and kernels
 * ignore it.
 */
export const SANDBOX_MALLOC_TUNABLE = 'glibc.malloc.hugetlb=1';

/**
 * The environment for the sandbox's process: `env` with SANDBOX_MALLOC_TUNABLE added to GLIBC_TUNABLES (colon
 * separated); `env` itself where it already sets glibc.malloc.hugetlb (a user's choice stands). glibc reads it
 * only when a process starts, hence for a child.
 */
export function sandboxEnv<E extends Record<string, string | undefined>>(env: E): E {
  const tunables = env.GLIBC_TUNABLES;
  if (tunables?.split(':').some((t) => t.startsWith('glibc.malloc.hugetlb='))) return env;
  return { ...env, GLIBC_TUNABLES: tunables ? `${tunables}:${SANDBOX_MALLOC_TUNABLE}` : SANDBOX_MALLOC_TUNABLE };
}
