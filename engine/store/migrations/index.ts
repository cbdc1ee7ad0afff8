/**
 * The numbered migrations, in order. Each is applied once, in its own transaction, and recorded with
 * the SHA-256 of its SQL: never edit a migration that has shipped; add the next number instead.
 */
import { sql as m0001 } from './0001_foundation';
import { sql as m0002 } from './0002_engines';
import { sql as m0003 } from './0003_feeds';
import { sql as m0004 } from './0004_offers';
import { sql as m0005 } from './0005_decisions';
import { sql as m0006 } from './0006_cycle_runs';
import { sql as m0008 } from './0008_simulations';
import { sql as m0009 } from './0009_review_indexes';
import { sql as m0010 } from './0010_decision_upkeep_indexes';
import { sql as m0011 } from './0011_large_move_per_market';
import { sql as m0012 } from './0012_pricing_contexts_rowid';
import { sql as m0013 } from './0013_denied_boarding';
import { sql as m0014 } from './0014_fares_in_force_index';
import { sql as m0015 } from './0015_cabin_recommendations';
import { sql as m0016 } from './0016_retention';
import { sql as m0017 } from './0017_price_history';
import { sql as m0018 } from './0018_audit_without_prev_hash';
import { sql as m0019 } from './0019_decision_archive_pending';
import { sql as m0020 } from './0020_review_ladder_order';
import { sql as m0021 } from './0021_demand_influences';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'foundation', sql: m0001 },
  { version: 2, name: 'engines', sql: m0002 },
  { version: 3, name: 'feeds', sql: m0003 },
  { version: 4, name: 'offers', sql: m0004 },
  { version: 5, name: 'decisions', sql: m0005 },
  { version: 6, name: 'cycle_runs', sql: m0006 },
  // version 7 was never released (a compact engines layout that was not finished): versions need not be contiguous
  { version: 8, name: 'simulations', sql: m0008 },
  { version: 9, name: 'review_indexes', sql: m0009 },
  { version: 10, name: 'decision_upkeep_indexes', sql: m0010 },
  { version: 11, name: 'large_move_per_market', sql: m0011 },
  { version: 12, name: 'pricing_contexts_rowid', sql: m0012 },
  { version: 13, name: 'denied_boarding', sql: m0013 },
  { version: 14, name: 'fares_in_force_index', sql: m0014 },
  { version: 15, name: 'cabin_recommendations', sql: m0015 },
  { version: 16, name: 'retention', sql: m0016 },
  { version: 17, name: 'price_history', sql: m0017 },
  { version: 18, name: 'audit_without_prev_hash', sql: m0018 },
  { version: 19, name: 'decision_archive_pending', sql: m0019 },
  { version: 20, name: 'review_ladder_order', sql: m0020 },
  { version: 21, name: 'demand_influences', sql: m0021 },
];
