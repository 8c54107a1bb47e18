import type { StructCodec } from '../body.js';
import { layoutStruct } from '../../fixed-layout.js';

/** ofp_port_stats (§7.3.5.5), 112 bytes. */
export interface PortStats {
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
  duration_sec: number;
  duration_nsec: number;
}

export const PORT_STATS_LEN = 112;

export const portStats: StructCodec<PortStats> = layoutStruct<PortStats>([
  ['port_no', 'u32'], 4,
  ['rx_packets', 'u64'], ['tx_packets', 'u64'], ['rx_bytes', 'u64'], ['tx_bytes', 'u64'],
  ['rx_dropped', 'u64'], ['tx_dropped', 'u64'], ['rx_errors', 'u64'], ['tx_errors', 'u64'],
  ['rx_frame_err', 'u64'], ['rx_over_err', 'u64'], ['rx_crc_err', 'u64'], ['collisions', 'u64'],
  ['duration_sec', 'u32'], ['duration_nsec', 'u32'],
]);
