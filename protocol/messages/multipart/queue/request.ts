import type { StructCodec } from '../body.js';

/** ofp_queue_stats_request (§7.3.5.6), 8 bytes. */
export interface QueueStatsRequest {
  port_no: number;
  queue_id: number;
}

export const QUEUE_STATS_REQUEST_LEN = 8;

export const queueStatsRequest: StructCodec<QueueStatsRequest> = {
  decode(r) {
    return { port_no: r.u32('port_no'), queue_id: r.u32('queue_id') };
  },
  encode(w, v) {
    w.u32(v.port_no).u32(v.queue_id);
  },
};
