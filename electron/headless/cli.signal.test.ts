import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CycleReport } from '../../engine/api/contract/cycle';
import { AS_OF, decisionStates, prepareDataDir, startCliSandbox, type CliSandbox, type LogLine } from './testSupport';

let t: CliSandbox;
beforeAll(async () => { t = await startCliSandbox(); }, 60_000);
afterAll(async () => { await t?.close(); });

const pushedSome = (l: LogLine) => l.msg === 'push progress' && (l.accepted as number) > 0;

describe('SIGTERM while pushing', () => {
  it('finishes (or abandons) the batch in flight and exits 143; a rerun pushes the rest exactly once, counted at the sandbox PSS', async () => {
    const dataDir = t.tmp();
    await prepareDataDir(dataDir);
    const base = await t.pushes();
    const common = ['--config', t.configFile, '--data-dir', dataDir, '--now', AS_OF, '--json', '--push-batch-size', '150'];
    // each PSS batch takes a while, so a signal finds one in flight
    const slow = [{ endpoint: 'POST /v1/fares/batches', latencyMs: 1_200 }, { endpoint: 'POST /v1/inventory-controls/batches', latencyMs: 1_200 }];
    await t.sb.faults('pss', slow);

    // 1. a full run, stopped after its first batch: the batch in flight is finished within the grace period
    const run = t.spawnCli(['run', '--once', ...common, '--workers', '1', '--horizon-days', '30', '--no-network', '--push-grace', '30']);
    await run.waitForLog(pushedSome);
    run.child.kill('SIGTERM');
    const r1 = await run.done;
    expect(r1.code, r1.stderr.slice(-2000)).toBe(143);
    const rep1 = (JSON.parse(r1.stdout) as { report: CycleReport }).report;
    expect(rep1).toMatchObject({ status: 'cancelled', outcome: 'cancelled', error: 'stopped by SIGTERM', push: { cancelled: true, rejected: 0, queue: { pendingBatches: 0 } } });
    expect(rep1.stepReports.at(-1)).toMatchObject({ step: 'push', status: 'cancelled' });
    const approved = rep1.autoApproval!.approved;
    expect(rep1.push!.accepted).toBeGreaterThan(0);
    expect(rep1.push!.queue.queued).toBe(approved - rep1.push!.accepted); // the rest waits in the outbox
    expect(r1.logs.some((l) => l.msg === 'signal received: stopping the run in progress cleanly' && l.signal === 'SIGTERM')).toBe(true);
    expect((await t.pushes()).accepted - base.accepted).toBe(rep1.push!.accepted);

    // 2. a push stopped with no grace: the batch in flight is abandoned and stays pending under its idempotency key
    const push = t.spawnCli(['push', ...common, '--push-grace', '0']);
    await push.waitForLog(pushedSome);
    push.child.kill('SIGTERM');
    const r2 = await push.done;
    expect(r2.code, r2.stderr.slice(-2000)).toBe(143);
    const rep2 = (JSON.parse(r2.stdout) as { report: CycleReport }).report;
    expect(rep2).toMatchObject({ trigger: 'headless:push', status: 'cancelled', push: { cancelled: true, queue: { pendingBatches: 1 } } });
    await t.sb.clearFaults();

    // 3. the rerun pushes the rest, the abandoned batch again under its own key
    const r3 = await t.runCli(['push', ...common]);
    expect(r3.code, r3.stderr.slice(-2000)).toBe(0);
    const rep3 = (JSON.parse(r3.stdout) as { report: CycleReport }).report;
    expect(rep3.push).toMatchObject({ rejected: 0, failed: 0, queue: { queued: 0, pendingBatches: 0, failedBatches: 0 } });

    // every approved decision is pushed, and the PSS applied each exactly once
    const states = await decisionStates(dataDir);
    expect(states.pushed).toBe(approved);
    expect(states.queued ?? 0).toBe(0);
    expect(states.failed ?? 0).toBe(0);
    const pss = await t.pushes();
    expect(pss.accepted - base.accepted).toBe(approved);
    expect(pss.rejected - base.rejected).toBe(0); // no stale (repeated) sequence reached it
    // what the three runs stored as accepted adds up, the abandoned batch counted once (applied on its replay, or replayed from the PSS's memory)
    expect(rep1.push!.accepted + rep2.push!.accepted + rep3.push!.accepted).toBe(approved);
    expect(pss.replayed - base.replayed).toBeLessThanOrEqual(1);
  }, 120_000);
});
