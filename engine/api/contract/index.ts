/**
 * The whole API contract. Each domain keeps its methods in its own file; this map joins them.
 * The renderer imports only types from here (and from engine/domain).
 */
import { flightsContract } from './flights';
import { faresContract } from './fares';
import { feedsContract } from './feeds';
import { systemContract } from './system';
import { authContract } from './auth';
import { decisionsContract } from './decisions';
import { monitoringContract } from './monitoring';
import { settingsContract } from './settings';
import { analyticsContract } from './analytics';
import { offersContract } from './offers';
import { cycleContract } from './cycle';
import { simulationsContract } from './simulations';
import { archiveContract } from './archive';
import { influencesContract } from './influences';
import type { InputOf, OutputOf } from './define';

export const contract = {
  ...systemContract,
  ...flightsContract,
  ...faresContract,
  ...feedsContract,
  ...authContract,
  ...decisionsContract,
  ...monitoringContract,
  ...settingsContract,
  ...analyticsContract,
  ...offersContract,
  ...cycleContract,
  ...simulationsContract,
  ...archiveContract,
  ...influencesContract,
};

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type ApiInput<K extends MethodName> = InputOf<Contract[K]>;
export type ApiOutput<K extends MethodName> = OutputOf<Contract[K]>;

export * from './define';
export * from './screens';
export type * from './flights';
export type * from './fares';
export type * from './feeds';
export type * from './system';
export type * from './events';
export type * from './auth';
export type * from './decisions';
export type * from './monitoring';
export type * from './settings';
export type * from './analytics';
export type * from './offers';
export type * from './cycle';
export type * from './simulations';
export type * from './archive';
export * from './influences';
