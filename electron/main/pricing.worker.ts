/**
 * The pricing pool's worker thread in the desktop app's bundle (pricing.worker.cjs beside main.cjs, where
 * engine/pricing/pool.ts finds it): engine/pricing/worker.ts as it is.
 */
import '../../engine/pricing/worker';
