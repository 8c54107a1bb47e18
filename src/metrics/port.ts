/** PORT_STATS → `switch.*` port metrics (tags switchid, port). */
import { bits, field, type CounterSpec } from './counters.js';
import type { Family, Mapping } from './engine.js';
import type { PortStats } from '../../protocol/messages/multipart/port-stats/reply.js';

/** The parts of ofp_port_stats (the codec's PortStats) the metrics read. */
export type PortStatsEntry = Omit<PortStats, 'duration_sec' | 'duration_nsec'>;

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
