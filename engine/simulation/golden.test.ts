/** The golden runs (golden-runs.ts) give their pinned hashes. */
import { describe, expect, it } from 'vitest';
import { GOLDEN_3MKT, GOLDEN_SANDBOX, goldenSandboxRun, goldenThreeMktRun } from './golden-runs';

describe('golden seeded runs (a speed change leaves them byte-identical)', () => {
  it('sandbox: events, inventory, closures, O&D, leg performance, shopping, results and a what-if', () => {
    expect(goldenSandboxRun()).toEqual(GOLDEN_SANDBOX);
  });

  it('3MKT: every carrier\'s bookings, inventory and results', () => {
    expect(goldenThreeMktRun()).toEqual(GOLDEN_3MKT);
  });

  it('3MKT with the leg store\'s room outgrown twice as it plays (74 → 148 → 296 dates): the same market', () => {
    expect(goldenThreeMktRun(undefined, undefined, 71)).toEqual(GOLDEN_3MKT);
  });
});
