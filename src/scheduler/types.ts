/**
 * What the scheduler hands to the metrics layer, and the knobs it is built with.
 * Nothing here knows about bytes on the wire: entries are the codec's decoded bodies, or for
 * FLOW polls the lean scan's columns of numbers.
 */
import type { StatRequestType } from '../connection/types.js';
import type { FlowStatsColumns } from '../../protocol/fast/flow-stats-columns.js';

/** The stat types ofstats polls on a schedule (a subset of what the connection may request). */
export const STAT_TYPES = [
  'FLOW', 'TABLE', 'PORT_STATS', 'METER', 'GROUP', 'METER_CONFIG', 'GROUP_DESC', 'PORT_DESC', 'DESC',
] as const satisfies readonly StatRequestType[];
export type StatType = (typeof STAT_TYPES)[number];

/** One finished poll: everything the metrics layer needs to turn it into points. */
export interface PollBatch<E = unknown> {
  switchId: string;
  dpid: bigint;
  statType: StatType;
  /** ms since the epoch when the last reply part arrived. */
  arrivedAt: number;
  /** The decoded body entries of every reply part, in order; empty when they are in `flows`. */
  entries: E[];
  /**
   * FLOW polls read with the lean scan (protocol/fast/flow-stats-scan.ts): the entries as
   * columns (table, priority, cookie, packet and byte counters as uint32 halves, in_port and
   * first output port, 0 for none); then `entries` is empty. Absent for every other poll, and
   * for FLOW entries that come from the full decoder (offline pipeline, replays of captures).
   */
  flows?: FlowStatsColumns;
  /** Port number → name, as the switch described its ports when the poll finished. */
  ports: ReadonlyMap<number, string>;
}

/** Per-switch schedule: interval (ms) per stat type; absent types are not polled. */
export type IntervalsMs = Partial<Record<StatType, number>>;

/** Default intervals (ms): port counters move fastest and are cheapest to collect. */
export const DEFAULT_INTERVALS_MS: Readonly<Record<StatType, number>> = {
  FLOW: 30_000,
  TABLE: 30_000,
  PORT_STATS: 10_000,
  METER: 30_000,
  GROUP: 30_000,
  METER_CONFIG: 30_000,
  GROUP_DESC: 30_000,
  PORT_DESC: 30_000,
  DESC: 30_000,
};
