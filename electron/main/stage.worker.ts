/**
 * The cycle's stage worker thread in the desktop app's bundle (stage.worker.cjs beside main.cjs, where
 * engine/cycle/stageWorker.ts finds it): the curves, network and audit stages, the backups' checks and
 * the checkpoint thread, engine/cycle/worker.ts as it is.
 */
import '../../engine/cycle/worker';
