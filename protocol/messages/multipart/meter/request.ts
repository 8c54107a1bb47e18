import type { StructCodec } from '../body.js';

/** ofp_meter_multipart_request (§7.3.5.12), 8 bytes; METER_CONFIG requests use it too. */
export interface MeterMultipartRequest {
  meter_id: number;
}

export const METER_REQUEST_LEN = 8;

export const meterRequest: StructCodec<MeterMultipartRequest> = {
  decode(r) {
    const meter_id = r.u32('meter_id');
    r.skip(4);
    return { meter_id };
  },
  encode(w, v) {
    w.u32(v.meter_id).zeros(4);
  },
};
