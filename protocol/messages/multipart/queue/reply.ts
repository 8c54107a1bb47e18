import type { StructCodec } from '../body.js';
import { layoutStruct } from '../../fixed-layout.js';

/** ofp_queue_stats (§7.3.5.6), 40 bytes. */
export interface QueueStats {
  port_no: number;
  queue_id: number;
  tx_bytes: bigint;
  tx_packets: bigint;
  tx_errors: bigint;
  duration_sec: number;
  duration_nsec: number;
}

export const QUEUE_STATS_LEN = 40;

export const queueStats: StructCodec<QueueStats> = layoutStruct<QueueStats>([
  ['port_no', 'u32'], ['queue_id', 'u32'], ['tx_bytes', 'u64'], ['tx_packets', 'u64'], ['tx_errors', 'u64'],
  ['duration_sec', 'u32'], ['duration_nsec', 'u32'],
]);
