import type { Handlers } from '../dispatch';
import { feedsContract } from '../contract/feeds';
import type { FeedService } from '../../etl/feedService';
import { ApiError, notFound } from '../errors';

export function feedsHandlers(deps: { feeds: FeedService }): Handlers<typeof feedsContract> {
  const { feeds } = deps;
  return {
    'feeds.status': () => feeds.status(),
    async 'feeds.sync'(input, ctx) {
      try {
        return { runs: await feeds.sync(input.feeds, ctx.caller.user === 'anonymous' ? 'manual' : `manual:${ctx.caller.user}`, input.wait) };
      } catch (e) {
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
