// The Astro API emulator: a real HTTP server answering like the Astro API v1 from an in-memory state.
export { startEmulator } from './server.ts';
export type { Emulator, EmulatorOptions, RequestLogEntry } from './server.ts';
export type { Fault, FaultMatch } from './faults.ts';
export type { EmulatorState, NormalizedState, StateDeployment, StateRole, StateToken, StateWorkspace } from './state.ts';
export { EmulatorStateError } from './state.ts';
export { loadState } from './load-state.ts';
export { VALIDATION_RULES } from './validate-roles.ts';
export type { ValidationRule } from './validate-roles.ts';
export { DOCUMENTED_RATE_LIMITS } from './rate-limit.ts';
export type { RateLimits } from './rate-limit.ts';
