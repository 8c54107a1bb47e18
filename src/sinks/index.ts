export type { Sink } from './types.js';
export { StreamSink, type LineFormat } from './stream.js';
export { FanoutSink } from './fanout.js';
export { toLine, toJsonLine, escapeMeasurement, escapeTag } from './line-protocol.js';
