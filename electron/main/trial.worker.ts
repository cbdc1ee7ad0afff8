/**
 * The revenue simulation's worker thread in the desktop app's bundle (trial.worker.cjs beside main.cjs, where
 * engine/whatif/trial-pool.ts finds it): engine/whatif/trial-worker.ts as it is. The Simulations screen starts
 * its runs there (engine/whatif/jobs.ts).
 */
import '../../engine/whatif/trial-worker';
