import type { StructCodec } from '../body.js';

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

export const portStats: StructCodec<PortStats> = {
  decode(r) {
    const port_no = r.u32('port_no');
    r.skip(4);
    return {
      port_no,
      rx_packets: r.u64(),
      tx_packets: r.u64(),
      rx_bytes: r.u64(),
      tx_bytes: r.u64(),
      rx_dropped: r.u64(),
      tx_dropped: r.u64(),
      rx_errors: r.u64(),
      tx_errors: r.u64(),
      rx_frame_err: r.u64(),
      rx_over_err: r.u64(),
      rx_crc_err: r.u64(),
      collisions: r.u64(),
      duration_sec: r.u32(),
      duration_nsec: r.u32(),
    };
  },
  encode(w, v) {
    w.u32(v.port_no).zeros(4)
      .u64(v.rx_packets).u64(v.tx_packets).u64(v.rx_bytes).u64(v.tx_bytes)
      .u64(v.rx_dropped).u64(v.tx_dropped).u64(v.rx_errors).u64(v.tx_errors)
      .u64(v.rx_frame_err).u64(v.rx_over_err).u64(v.rx_crc_err).u64(v.collisions)
      .u32(v.duration_sec).u32(v.duration_nsec);
  },
};
