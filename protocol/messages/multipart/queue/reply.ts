import type { StructCodec } from '../body.js';

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

export const queueStats: StructCodec<QueueStats> = {
  decode(r) {
    return {
      port_no: r.u32('port_no'),
      queue_id: r.u32('queue_id'),
      tx_bytes: r.u64('tx_bytes'),
      tx_packets: r.u64('tx_packets'),
      tx_errors: r.u64('tx_errors'),
      duration_sec: r.u32('duration_sec'),
      duration_nsec: r.u32('duration_nsec'),
    };
  },
  encode(w, v) {
    w.u32(v.port_no).u32(v.queue_id).u64(v.tx_bytes).u64(v.tx_packets).u64(v.tx_errors)
      .u32(v.duration_sec).u32(v.duration_nsec);
  },
};
