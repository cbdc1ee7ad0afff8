import type { Handlers } from '../dispatch';
import { feedsContract } from '../contract/feeds';
import type { FeedService } from '../../etl/feedService';
import { ApiError, notFound } from '../errors';
import type { Database } from 'better-sqlite3';
import { openMismatches } from '../../etl/reconcile';
import { storeWriteError } from '../../store/integrity';

export function feedsHandlers(deps: { feeds: FeedService; db: Database }): Handlers<typeof feedsContract> {
  const { feeds } = deps;
  return {
    'feeds.mismatches': (input) => openMismatches(deps.db, input.limit),
    'feeds.status': () => feeds.status(),
    async 'feeds.sync'(input, ctx) {
      try {
        return { runs: await feeds.sync(input.feeds, ctx.caller.user === 'anonymous' ? 'manual' : `manual:${ctx.caller.user}`, input.wait) };
      } catch (e) {
        // a store that cannot be written is not the caller's input at fault
        const refused = storeWriteError(e, 'feeds.sync');
        if (refused) throw refused;
        throw new ApiError('validation', (e as Error).message, { field: 'feeds' });
      }
    },
    'feeds.cancel'(input) {
      if (!feeds.run(input.runId)) throw notFound(`Feed run ${input.runId}`, 'runId');
      return { cancelled: feeds.cancel(input.runId) };
    },
    'feeds.runs': (input) => feeds.runs(input.feed, input.limit),
    'feeds.quarantine': (input) => feeds.quarantine(input),
  };
}
