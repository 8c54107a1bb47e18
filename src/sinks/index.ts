export type { Sink } from './types.js';
export { StreamSink, type LineFormat } from './stream.js';
export { FanoutSink } from './fanout.js';
export { writePoints } from './write-points.js';
export { LineWriter, chunkBytes, type LineChunk } from './line-writer.js';
export { toLine, toJsonLine, escapeMeasurement, escapeTag } from './line-protocol.js';
