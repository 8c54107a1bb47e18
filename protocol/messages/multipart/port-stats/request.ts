import type { StructCodec } from '../body.js';

/** ofp_port_stats_request (§7.3.5.5), 8 bytes; port_no OFPP_ANY asks for all ports. */
export interface PortStatsRequest {
  port_no: number;
}

export const PORT_STATS_REQUEST_LEN = 8;

export const portStatsRequest: StructCodec<PortStatsRequest> = {
  decode(r) {
    const port_no = r.u32('port_no');
    r.skip(4);
    return { port_no };
  },
  encode(w, v) {
    w.u32(v.port_no).zeros(4);
  },
};
