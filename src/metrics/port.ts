/** PORT_STATS → `switch.*` port metrics (tags switchid, port). */
import { bits, field, type CounterSpec } from './counters.js';
import type { Family, Mapping } from './engine.js';

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

interface PortCtx { switchId: string; port: number }

const PORT_FAMILIES: readonly Family<PortCtx>[] = [
  { base: 'switch', when: () => true, tags: (x) => ({ switchid: x.switchId, port: String(x.port) }) },
];

export const PORT_MAPPING: Mapping<PortStatsEntry, undefined, undefined, PortCtx> = {
  counters: PORT_COUNTERS,
  families: PORT_FAMILIES,
  key: (e) => e.port_no,
  context: (switchId, key) => ({ switchId, port: key as number }),
};
