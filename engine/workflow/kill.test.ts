import { describe, expect, it } from 'vitest';
import { runKillLoop } from './__tests__/killtest/harness';

describe('kill -9 while pushing', () => {
  it('loses nothing approved and applies nothing twice at the PSS, killed between acknowledgement and commit and elsewhere', async () => {
    const report = await runKillLoop({
      cycles: 3, departures: 5, batchSize: 4,
      plans: [
        { point: 'after-ack', at: 1 },
        { point: 'before-send', at: 2 },
        { point: 'after-ack', at: 2 },
        { point: 'approve', at: 2 },
        { point: 'after-commit', at: 1 },
        { point: 'after-ack', at: 3 },
      ],
    });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ recordsLost: 0, wrongAtPss: 0, duplicateApplications: 0, outOfOrder: 0, integrity: 'ok', auditOk: true });
    // the kills happened, and replays of acknowledged batches were answered from the PSS's first answer
    expect(report.killed).toBeGreaterThanOrEqual(5);
    expect(report.replays).toBeGreaterThanOrEqual(2);
    expect(report.applied).toBeGreaterThan(20);
  }, 120_000);
});
