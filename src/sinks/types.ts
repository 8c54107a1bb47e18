import type { Point } from '../metrics/types.js';

/**
 * Where points go. write() must not block the poller: a sink buffers and sends in the
 * background; flush() resolves once everything written so far has left; close() flushes and
 * releases the sink. InfluxDB, Prometheus, ... sinks implement the same three calls.
 */
export interface Sink {
  readonly name: string;
  write(points: readonly Point[]): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export type { Point };
