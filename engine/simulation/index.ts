/**
 * The market simulator (engine/simulation): a seeded, deterministic PODS-style airline market.
 * Only the sandbox (connectors/sandbox), the what-if API (engine/whatif), tests and benchmarks import it.
 * See README.md in this folder for the model and the API.
 */
export { SimulatedMarket, createSandboxMarket, createThreeMktMarket, type SandboxMarketOptions, type ThreeMktMarketOptions } from './market';
export { MarketSimulator, type SimulatorOptions, type RecordMode, type FareAction } from './simulator';
export { fcfs, type CarrierController, type CarrierView, type ControllerDecisions, type DcpBatch, type FareDecision, type LegControlDecision, type RbdInfo } from './controller';
export { systemE, type SystemEOptions } from './system-e';
export type { FarePushItem, ControlPushItem, PushItemResult, PushRejectCode, OrderRequest, OrderResult, OrderRejectCode } from './pss';
export type * from './records';
export type { BookingEventType } from './booking-log';
export { whatIf, distribution, type WhatIfRequest, type WhatIfResult, type WhatIfControlSet, type WhatIfOutcome, type Distribution } from './whatif';
export { trueDemand, priceResponse, type TrueDemand, type TrueDemandSegment, type PriceResponse, type MarketOutcome } from './truth';
export { carrierResults, fareMix, bookingCurve, type CarrierResult } from './results';
export * from './scenario';
export { SimClock, DAY_MS, parseInstant } from './clock';
export { compileNetwork, type Network, type CompiledCarrier } from './network';
export { loadThreeMkt, THREE_MKT_FILE, type ThreeMktOptions } from './threemkt';
export { generateSandboxScenario, SANDBOX_DCPS, OWN_CARRIER, HUB, type SandboxNetworkOptions } from './sandbox-network';
export { generateFareActions } from './fare-actions';
export { buildCalendar, easterSunday } from './calendar';
export { SANDBOX_RANGES, THREE_MKT_RANGES } from './behaviour';
export { recordLocator, locatorIndex } from './columns';
export { snapshotSimulator, restoreSimulator, type SimulatorSnapshot, type SnapshotableController } from './snapshot';
