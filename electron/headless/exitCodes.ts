/**
 * The `dfae` command's exit codes (documented in the README and `dfae --help`):
 *   0  success
 *   1  other failure (a step failed, an unexpected error)
 *   2  configuration error (the configuration file, a command-line option, a missing secret: the message names the key)
 *   3  lock held: another cycle runs on this data folder (the desktop app, or another dfae)
 *   4  feed failure with fallback used: a feed failed or served fallback data and the run went on with what the store holds
 *   5  push failures: the PSS rejected decisions, or batches stay undelivered in the outbox
 *   130, 143  stopped by SIGINT / SIGTERM during a run (128 + the signal's number); a schedule stopped between runs exits 0
 * When a run has both push failures and a feed fallback, 5 wins.
 */
import type { CycleOutcome } from '../../engine/api/contract/cycle';

export const EXIT = {
  success: 0,
  other: 1,
  config: 2,
  lockHeld: 3,
  feedFallback: 4,
  pushFailures: 5,
} as const;

export const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

export const EXIT_CODES_HELP = `Exit codes:
  0    success
  1    other failure (a step failed, an unexpected error)
  2    configuration error (the message names the key)
  3    lock held: another cycle runs on this data folder
  4    a feed failed or served fallback data; the run used what the store holds
  5    push failures: the PSS rejected decisions, or batches stay in the outbox
  130  stopped by SIGINT during a run; 143 by SIGTERM (a schedule stopped between runs exits 0)`;

/** The exit code of a finished run (a cancelled run's code is the signal's, decided by the caller). */
export function exitCodeOf(outcome: CycleOutcome | null): number {
  switch (outcome) {
    case 'success': return EXIT.success;
    case 'feed_fallback': return EXIT.feedFallback;
    case 'push_failures': return EXIT.pushFailures;
    default: return EXIT.other;
  }
}
