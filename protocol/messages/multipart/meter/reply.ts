import type { StructCodec } from '../body.js';
import { fixedList } from '../body.js';

/** ofp_meter_band_stats, 16 bytes. */
export interface MeterBandStats {
  packet_band_count: bigint;
  byte_band_count: bigint;
}

/** ofp_meter_stats (§7.3.5.12): 40 fixed bytes (its length sits at offset 4), then band stats. */
export interface MeterStats {
  meter_id: number;
  flow_count: number;
  packet_in_count: bigint;
  byte_in_count: bigint;
  duration_sec: number;
  duration_nsec: number;
  band_stats: MeterBandStats[];
}

export const METER_STATS_FIXED_LEN = 40;
export const METER_STATS_LEN_AT = 4;

const bandStats = fixedList<MeterBandStats>(
  {
    decode: (r) => ({ packet_band_count: r.u64('packet_band_count'), byte_band_count: r.u64('byte_band_count') }),
    encode: (w, v) => void w.u64(v.packet_band_count).u64(v.byte_band_count),
  },
  'meter band stats',
  16,
);

export const meterStats: StructCodec<MeterStats> = {
  decode(r) {
    const meter_id = r.u32('meter_id');
    r.skip(8, 'len and padding');
    return {
      meter_id,
      flow_count: r.u32('flow_count'),
      packet_in_count: r.u64('packet_in_count'),
      byte_in_count: r.u64('byte_in_count'),
      duration_sec: r.u32('duration_sec'),
      duration_nsec: r.u32('duration_nsec'),
      band_stats: bandStats.decode(r),
    };
  },
  encode(w, v) {
    w.u32(v.meter_id).u16(0).zeros(6).u32(v.flow_count).u64(v.packet_in_count).u64(v.byte_in_count)
      .u32(v.duration_sec).u32(v.duration_nsec);
    bandStats.encode(w, v.band_stats);
  },
};
