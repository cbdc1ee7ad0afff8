/**
 * The kill-test child: a decision workload pushing to an HTTP PSS, resumable after a SIGKILL at any
 * point. It runs pricing cycles 1..N: each cycle writes and publishes recommendations (a newer value for
 * a rotating subset of keys, so newer decisions supersede older ones, sometimes while those are in a
 * push batch), approves them in small transactions, and pushes; odd cycles leave the outbox partly
 * drained so the next cycle overlaps it. It kills itself at the planned point:
 *   before-send  the n-th push of this process, after its batch was committed, before it is sent;
 *   after-ack    the n-th push, after the PSS answered, before the answer is committed;
 *   after-commit the n-th answered batch, after its commit;
 *   approve      after the n-th approval transaction.
 * Usage: node --import tsx child.ts '{"dataDir": "...", "pssUrl": "...", "cycles": 3, "kill": {"point": "after-ack", "at": 2}}'
 */
import { openStore } from '../../../store/db';
import { systemClock } from '../../../domain/time';
import type { PssPort } from '../../../ports/pss';
import { createWorkflow } from '../../index';
import { fareRec, seed, FIRST_DAY, LADDER } from '../fixtures';
import { httpPssPort } from '../pssDouble';
import { addDays } from '../../../domain/time';
import type { RecommendationInput } from '../../types';

export type KillPoint = 'before-send' | 'after-ack' | 'after-commit' | 'approve';
export interface ChildArgs {
  dataDir: string;
  pssUrl: string;
  cycles: number;
  /** keys per cycle: departures × Y-cabin RBDs of DF400 */
  departures?: number;
  batchSize?: number;
  kill?: { point: KillPoint; at: number } | null;
}

const die = () => { process.kill(process.pid, 'SIGKILL'); };

/** The recommendations of cycle c: every key of the first cycle, then a rotating half with new values. */
export function cycleRecommendations(c: number, departures: number): RecommendationInput[] {
  const out: RecommendationInput[] = [];
  const ys = LADDER.filter((r) => r.cabin === 'Y');
  for (let d = 0; d < departures; d++) {
    for (const [k, r] of ys.entries()) {
      if (c > 1 && (d + k + c) % 2 === 0) continue;
      const pct = ((d * 7 + k * 3 + c * 5) % 17) - 8; // −8 … +8 %
      out.push({ ...fareRec(400, addDays(FIRST_DAY, d), r.rbd, Math.round(r.fare * (1 + pct / 100))), recommendationId: `c${c}-${d}-${r.rbd}`, guardrails: null });
    }
  }
  return out;
}

export async function runChild(a: ChildArgs): Promise<void> {
  const departures = a.departures ?? 6;
  const store = openStore({ dataDir: a.dataDir, clock: systemClock });
  if ((store.db.prepare('SELECT count(*) FROM flights').pluck().get() as number) === 0) seed(store, departures);
  const inner = httpPssPort(a.pssUrl);
  let sends = 0;
  let answers = 0;
  let approvals = 0;
  const wrap = (fn: PssPort['pushFares']): PssPort['pushFares'] => async (batch, signal) => {
    sends++;
    if (a.kill?.point === 'before-send' && sends === a.kill.at) die();
    const r = await fn(batch, signal);
    if (a.kill?.point === 'after-ack' && sends === a.kill.at) die();
    return r;
  };
  const pss: PssPort = { pushFares: wrap(inner.pushFares), pushInventoryControls: inner.pushInventoryControls };
  const wf = createWorkflow({
    db: store.db, clock: systemClock, dbFile: store.file, pss, batchSize: a.batchSize ?? 5, maxAttempts: 50, backoffBaseMs: 1, backoffMaxMs: 5,
    onPushAnswered: () => { answers++; if (a.kill?.point === 'after-commit' && answers === a.kill.at) die(); },
  });
  const drain = async (maxBatches?: number) => {
    for (;;) {
      const r = await wf.worker.drain({ maxBatches });
      if (maxBatches !== undefined || (r.queue.queued === 0 && r.queue.pendingBatches === 0)) return;
      if (r.retrying) await new Promise((res) => setTimeout(res, 10));
    }
  };
  const last = (store.db.prepare("SELECT max(CAST(substr(cycle_id, 2) AS INTEGER)) FROM decisions").pluck().get() as number | null) ?? 1;
  for (let c = Math.max(1, last); c <= a.cycles; c++) {
    const cycle = `c${c}`;
    if (!store.db.prepare('SELECT 1 FROM decisions WHERE cycle_id = ? LIMIT 1').get(cycle)) wf.decisions.ingest(cycle, cycleRecommendations(c, departures));
    for (;;) {
      const ids = store.db.prepare("SELECT id FROM decisions WHERE cycle_id = ? AND state = 'proposed' ORDER BY id LIMIT 4").pluck().all(cycle) as number[];
      if (ids.length === 0) break;
      wf.decisions.approve('rita', { ids }, `kill test ${cycle}`);
      approvals++;
      if (a.kill?.point === 'approve' && approvals === a.kill.at) die();
    }
    await drain(c % 2 === 1 && c < a.cycles ? 2 : undefined);
  }
  await drain();
  store.close();
}

if (process.argv[1] && /child\.ts$/.test(process.argv[1])) {
  runChild(JSON.parse(process.argv[2] ?? '{}') as ChildArgs).then(
    () => { process.stdout.write('done\n'); process.exit(0); },
    (e) => { process.stderr.write(`${(e as Error).stack ?? e}\n`); process.exit(2); },
  );
}
