/**
 * Ports: the interfaces the engine uses and connectors implement. Nothing here knows which PSS, demand
 * system, pricing tool or network-planning system sits behind them; the composition root wires them.
 */
export type * from './feed-sync';
export type * from './records';
export type * from './answer';
export type * from './pss';
export type * from './demand';
export type * from './competitor';
export type * from './schedule';
export * from './secrets';
