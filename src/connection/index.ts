export { OfSwitchManager, createSwitchManager } from './manager.js';
export { DEFAULTS as CONNECTION_DEFAULTS, type SwitchManagerOptions } from './options.js';
export { RequestError } from './failure.js';
export { ReadOnlyViolation, checkOutbound } from './guard.js';
export type { RoleMode } from './switch-connection.js';
export type * from './types.js';
