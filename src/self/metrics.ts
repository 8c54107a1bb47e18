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
  /** Counter series seen going backwards (switch reboot, re-installed rule): SeriesMemory.resets. */
  counterResets: number;
  /** The same per sink name: one `ofstats.sink.dropped` point tagged `sink`. */
  sinksDropped?: Readonly<Record<string, number>>;
}

type Counter = Exclude<keyof SelfSnapshot, 'sinksDropped'>;

const SELF_METRICS: readonly (readonly [string, Counter])[] = [
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
  ['counter.resets', 'counterResets'],
];

export function selfPoints(s: SelfSnapshot, opts: MetricsOptions, timestamp: number): Point[] {
  const pts: Point[] = SELF_METRICS.map(([suffix, key]) => ({
    metric: metricName(opts, `ofstats.${suffix}`),
    tags: {},
    value: BigInt(Math.round(s[key])),
    timestamp,
  }));
  for (const [sink, n] of Object.entries(s.sinksDropped ?? {})) {
    pts.push({ metric: metricName(opts, 'ofstats.sink.dropped'), tags: { sink }, value: BigInt(Math.round(n)), timestamp });
  }
  return pts;
}
