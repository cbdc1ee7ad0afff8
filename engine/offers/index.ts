/** The offer assembler: shopping requests → priced, time-limited offers; re-validation; NDC JSON; the offer store. */
export * from './request';
export * from './types';
export * from './schedule';
export * from './inventory';
export * from './taxes';
export * from './sources';
export * from './assembler';
export * from './context';
export * from './revalidate';
export * from './ndc';
export * from './store';
export * from './synthetic-network';
