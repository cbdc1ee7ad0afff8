/**
 * Gives a simulator a choice worker (engine/simulation/choice-link.ts): a second thread that draws each
 * request's passenger, makes its choice and lists the options it would take over it ahead of the main
 * thread, which books the first of them still open. The market is byte for byte what one thread plays;
 * only faster. The main thread never
 * waits for the worker (except in `strict` mode, for tests), so a worker that is slow, not yet started or
 * failed only costs its speed-up.
 */
import { MessageChannel } from 'node:worker_threads';
import { CTL_LEAD, type ChoiceBuffers, type ChoiceStats } from '../../engine/simulation/choice-link';
import type { MarketSimulator } from '../../engine/simulation/simulator';
import { startSourceWorker } from '../source-worker';

export interface ChoiceWorker {
  /** taken, not ready, stale: how the main thread fared with the worker's answers so far */
  stats(): ChoiceStats | null;
  /** detaches and stops the worker (the market plays on alone) */
  close(): Promise<void>;
}

export interface ChoiceWorkerOptions {
  /** wait for every answer (tests: each request then goes through the main thread's checks) */
  strict?: boolean;
  /** how many requests the worker may run ahead (default CHOICE_LEAD; tests set a whole day so that answers go stale) */
  lead?: number;
  /** told when the worker fails (the market then plays on alone); default: a line on stderr */
  onError?: (e: Error) => void;
}

export function startChoiceWorker(sim: MarketSimulator, o: ChoiceWorkerOptions = {}): ChoiceWorker {
  const link = sim.shareWithChoiceWorker();
  link.strict = o.strict ?? false;
  if (o.lead !== undefined) link.ctl[CTL_LEAD] = o.lead;
  const { port1, port2 } = new MessageChannel();
  link.send = (b: ChoiceBuffers) => port1.postMessage(b);
  let closed = false;
  const worker = startSourceWorker(import.meta.url, 'choice.worker', {
    workerData: { spec: sim.spec, options: sim.replicaOptions(), buffers: link.buffers(), port: port2 },
    transferList: [port2],
  });
  worker.unref();
  port1.unref();
  /** detaches the worker once (the market plays on alone); false when already detached */
  const detach = (): boolean => {
    if (closed) return false;
    closed = true;
    sim.dropChoiceWorker();
    port1.close();
    return true;
  };
  const fail = (e: Error) => {
    if (!detach()) return;
    (o.onError ?? ((x: Error) => process.stderr.write(`simulator: the choice worker stopped (${x.message}); the market plays on one thread\n`)))(e);
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`it exited with code ${code}`)));
  return {
    stats: () => sim.choiceStats(),
    close: async () => {
      if (detach()) await worker.terminate();
    },
  };
}
