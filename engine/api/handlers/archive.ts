import type { Handlers } from '../dispatch';
import { archiveContract } from '../contract/archive';
import type { Store } from '../../store/db';
import { archiveDir } from '../../workflow/retention';
import { searchArchivedAudit, searchArchivedDecisions } from '../../workflow/archiveSearch';

export function archiveHandlers(deps: { store: Store }): Handlers<typeof archiveContract> {
  const { store } = deps;
  const dir = () => archiveDir(store.dataDir);
  return {
    'archive.decisions': ({ limit, fromFile, skip, budgetMs, ...q }, ctx) => searchArchivedDecisions(store.db, dir(), q, { limit, fromFile, skip, budgetMs, signal: ctx.signal }),
    'archive.audit': ({ limit, fromFile, skip, budgetMs, ...q }, ctx) => searchArchivedAudit(store.db, dir(), q, { limit, fromFile, skip, budgetMs, signal: ctx.signal }),
  };
}
