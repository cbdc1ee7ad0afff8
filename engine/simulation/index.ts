/**
 * The market simulator (engine/simulation): a seeded, deterministic PODS-style airline market.
 * Only the sandbox (connectors/sandbox), the what-if API (engine/whatif), tests and benchmarks import it.
 * See README.md in this folder for the model and the API.
 */
export * from './scenario';
export { SimClock, DAY_MS, parseInstant } from './clock';
export { compileNetwork, type Network, type CompiledCarrier } from './network';
export { loadThreeMkt, THREE_MKT_FILE, type ThreeMktOptions } from './threemkt';
export { generateSandboxScenario, SANDBOX_DCPS, OWN_CARRIER, HUB, type SandboxNetworkOptions } from './sandbox-network';
export { buildCalendar, easterSunday } from './calendar';
export { SANDBOX_RANGES, THREE_MKT_RANGES } from './behaviour';
