/**
 * The short kill -9 test (`npm run soak -- --only kill --kills 8`): the cycle in a child process against
 * the sandbox, SIGKILLed at 8 seeded points (timed ones and named ones, between the PSS's acknowledgement
 * and the store's commit among them), restarted each time. Every kill survived (integrity check, audit
 * chain), the store equal to the sandbox's logs (no gap, no duplicate), every approved decision applied at
 * the PSS exactly once, the sandbox's credentials in no output. The full run (200 kills) is `npm run soak`.
 */
import { describe, expect, it } from 'vitest';
import { runSoakJson } from './soakRun';

describe('kill -9 during sync, pricing and push (short)', () => {
  it('survives 8 seeded kills with nothing lost, nothing applied twice and no secret in any output', async () => {
    const r = await runSoakJson(['--only', 'kill', '--kills', '8', '--seed', '20261125'], 280_000);
    expect(r.kill?.problems).toEqual([]);
    expect(r.kill!.killed).toBe(8);
    expect(r.kill!.survived).toBe(8);
    // the phases were all hit, the PSS acknowledgement before the store's commit among the points
    const points = Object.entries(r.kill!.byPoint).filter(([, v]) => v.killed > 0).map(([k]) => k.split(':')[0]);
    expect(new Set(points)).toEqual(new Set(['sync', 'price', 'push']));
    expect(r.kill!.byPoint['push:push-after-ack']?.killed).toBeGreaterThan(0);
    expect(r.kill!.cursorChecks.failed).toBe(0);
    expect(r.figures.recordsLost).toBe(0);
    expect(r.figures.duplicateApplications).toBe(0);
    expect(r.figures.secretsFound).toBe(0);
    expect(r.kill!.secrets.outputs).toBeGreaterThan(20);
    expect(r.ok).toBe(true);
  }, 300_000);
});
