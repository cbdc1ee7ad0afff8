import type { Handlers } from '../dispatch';
import { systemContract, type SystemInfo } from '../contract/system';
import type { Store } from '../../store/db';

export function systemHandlers(deps: { store: Store; version: string; mode: SystemInfo['mode']; host: SystemInfo['host'] }): Handlers<typeof systemContract> {
  return {
    'system.info': () => ({
      version: deps.version,
      dataDir: deps.store.dataDir,
      mode: deps.mode,
      host: deps.host,
      now: deps.store.now(),
      schemaVersion: (deps.store.db.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null) ?? 0,
    }),
  };
}
