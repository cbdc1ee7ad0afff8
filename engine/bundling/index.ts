/** The ancillary bundling engine: catalogue, estimation, brand choice and pricing, dynamic prices. */
export * from './catalogue';
export * from './haul';
export * from './segments';
export * from './estimation';
export * from './choice';
export * from './branded-fares';
export * from './brand-problem';
export * from './dynamic-prices';
export * from './explanation';
