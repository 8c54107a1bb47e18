import type { PointBatch } from '../metrics/point-batch.js';
import type { Point } from '../metrics/types.js';

/**
 * Where points go. write() must not block the poller: a sink buffers and sends in the
 * background; flush() resolves once everything written so far has left; close() flushes and
 * releases the sink. InfluxDB, Prometheus, ... sinks implement the same three calls.
 *
 * write() reads the batch synchronously and keeps no reference to it: the producer may reuse
 * it at once.
 */
export interface Sink {
  readonly name: string;
  write(batch: PointBatch): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export type { Point, PointBatch };
