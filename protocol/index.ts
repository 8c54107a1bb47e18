export * from './constants.js';
export * from './errors.js';
export * from './header.js';
export * from './framer.js';
export * from './codec.js';
export { Reader } from './wire/reader.js';
export { Writer } from './wire/writer.js';
export { toJson } from "./json.js";
export * from "./raw.js";
