/** ofstats' own work as `ofstats.*` points: one fixed-size snapshot, whatever the switch count. */
import { metricName, type MetricsOptions, type Point } from '../metrics/types.js';

export interface SelfSnapshot {
  switchesConnected: number;
  pollsOk: number;
  pollsFailed: number;
  pollsSkipped: number;
  pollsSlowed: number;
  pollsUnsupported: number;
  pollDurationMsSum: number;
  pollDurationMsMax: number;
  decodeErrors: number;
  requestsInFlight: number;
  requestsWaiting: number;
  /** Points sinks could not take (stdout gone or blocked). */
  pointsDropped: number;
}

const SELF_METRICS: readonly (readonly [string, keyof SelfSnapshot])[] = [
  ['switches.connected', 'switchesConnected'],
  ['polls.ok', 'pollsOk'],
  ['polls.failed', 'pollsFailed'],
  ['polls.skipped', 'pollsSkipped'],
  ['polls.slowed', 'pollsSlowed'],
  ['polls.unsupported', 'pollsUnsupported'],
  // Sum over the successful polls (polls.ok is the count): mean = sum / count between two reads.
  ['poll.duration-ms.sum', 'pollDurationMsSum'],
  ['poll.duration-ms.max', 'pollDurationMsMax'],
  ['decode.errors', 'decodeErrors'],
  ['requests.in-flight', 'requestsInFlight'],
  ['requests.waiting', 'requestsWaiting'],
  ['points.dropped', 'pointsDropped'],
];

export function selfPoints(s: SelfSnapshot, opts: MetricsOptions, timestamp: number): Point[] {
  return SELF_METRICS.map(([suffix, key]) => ({
    metric: metricName(opts, `ofstats.${suffix}`),
    tags: {},
    value: BigInt(Math.round(s[key])),
    timestamp,
  }));
}
