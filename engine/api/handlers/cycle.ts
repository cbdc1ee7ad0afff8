import type { Handlers } from '../dispatch';
import { cycleContract } from '../contract/cycle';
import { ApiError, notFound } from '../errors';
import { CycleBusyError, type CycleService } from '../../cycle/service';
import { CycleLockHeldError } from '../../cycle/lock';
import { MarketsError } from '../../cycle/markets';

export function cycleHandlers(deps: { cycle: CycleService }): Handlers<typeof cycleContract> {
  const { cycle } = deps;
  return {
    async 'cycle.run'(input, ctx) {
      let handle;
      try {
        handle = cycle.start({ steps: input.steps, markets: input.markets, dryRun: input.dryRun, trigger: 'manual', startedBy: ctx.caller.user });
      } catch (e) {
        if (e instanceof CycleBusyError || e instanceof CycleLockHeldError) throw new ApiError('conflict', e.message);
        if (e instanceof MarketsError) throw new ApiError('validation', e.message, { field: 'markets' });
        throw e;
      }
      if (!input.wait) return { run: cycle.runs.row(handle.runId)!, report: null };
      const { report } = await handle.done;
      return { run: cycle.runs.row(handle.runId)!, report };
    },
    'cycle.cancel'(input) {
      if (!cycle.runs.row(input.runId)) throw notFound(`Cycle run ${input.runId}`, 'runId');
      return { cancelled: cycle.cancel(input.runId, 'cancelled from the workbench') };
    },
    'cycle.runs': (input) => cycle.list(input),
    'cycle.get'(input) {
      const r = cycle.report(input.runId);
      if (!r) throw notFound(`Cycle run ${input.runId}`, 'runId');
      return r;
    },
  };
}
