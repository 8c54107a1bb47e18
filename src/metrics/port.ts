/** PORT_STATS → `switch.*` port metrics (tags switchid, port). */
import { bits, field, pointsOf, type CounterSpec } from './counters.js';
import { metricName, type MetricsOptions, type Point } from './types.js';
import type { PollBatch } from '../scheduler/types.js';

/** ofp_port_stats, as the codec decodes it. */
export interface PortStatsEntry {
  port_no: number;
  rx_packets: bigint;
  tx_packets: bigint;
  rx_bytes: bigint;
  tx_bytes: bigint;
  rx_dropped: bigint;
  tx_dropped: bigint;
  rx_errors: bigint;
  tx_errors: bigint;
  rx_frame_err: bigint;
  rx_over_err: bigint;
  rx_crc_err: bigint;
  collisions: bigint;
}

export const PORT_COUNTERS: readonly CounterSpec<PortStatsEntry>[] = [
  ['rx-packets', field('rx_packets')],
  ['tx-packets', field('tx_packets')],
  ['rx-bytes', field('rx_bytes')],
  ['tx-bytes', field('tx_bytes')],
  ['rx-bits', bits('rx_bytes')],
  ['tx-bits', bits('tx_bytes')],
  ['rx-dropped', field('rx_dropped')],
  ['tx-dropped', field('tx_dropped')],
  ['rx-errors', field('rx_errors')],
  ['tx-errors', field('tx_errors')],
  ['rx-frame-error', field('rx_frame_err')],
  ['rx-over-error', field('rx_over_err')],
  ['rx-crc-error', field('rx_crc_err')],
  ['collisions', field('collisions')],
];

export function portPoints(batch: PollBatch<PortStatsEntry>, opts: MetricsOptions, out: Point[]): void {
  const name = (s: string) => metricName(opts, `switch.${s}`);
  for (const e of batch.entries) {
    const tags = { switchid: batch.switchId, port: String(e.port_no) };
    pointsOf(e, PORT_COUNTERS, name, tags, batch.arrivedAt, out);
  }
}
