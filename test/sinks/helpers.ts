import type { Point } from '../../src/metrics/types.js';
import type { InfluxSinkOptions, SinkLogger } from '../../src/sinks/influx.js';

export interface LogLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  obj: Record<string, unknown>;
  msg: string;
}

export function captureLog(): { log: SinkLogger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (obj: object, msg: string) => { lines.push({ level, obj: obj as Record<string, unknown>, msg }); };
  return { log: { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') }, lines };
}

/** Fast settings for tests: short intervals and backoff, small enough timeouts. */
export function sinkOptions(url: string, database: string, over: Partial<InfluxSinkOptions> = {}): InfluxSinkOptions {
  return {
    url, database, precision: 'ms', createDatabase: false, batchSize: 100, flushIntervalMs: 100, bufferSize: 10_000,
    backoffMinMs: 50, backoffMaxMs: 400, requestTimeoutMs: 2_000, closeTimeoutMs: 5_000, ...over,
  };
}

export const T0 = 1_700_000_000_123;

export function pt(metric: string, value: bigint, timestamp: number, tags: Record<string, string> = {}): Point {
  return { metric, tags, value, timestamp };
}
