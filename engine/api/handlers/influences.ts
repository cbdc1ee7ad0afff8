import type { Handlers } from '../dispatch';
import type { influencesContract } from '../contract/influences';
import type { DemandInfluences } from '../../pricing/influences';
import { mapped } from './decisions';

export function influencesHandlers(deps: { influences: DemandInfluences; now: () => string }): Handlers<typeof influencesContract> {
  const { influences } = deps;
  return {
    'influences.list': (input) => ({ rows: influences.list({ ...input, today: deps.now().slice(0, 10) }) }),
    'influences.save': ({ dryRun, ...input }, ctx) => mapped(() => influences.save(ctx.caller.user, input, { dryRun })),
    'influences.delete': (input, ctx) => mapped(() => { influences.delete(ctx.caller.user, input.id); return { deleted: true as const }; }),
  };
}
