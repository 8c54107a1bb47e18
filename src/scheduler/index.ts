export * from './types.js';
export * from './clock.js';
export * from './gate.js';
export * from './scheduler.js';
export { requestBody } from './requests.js';
