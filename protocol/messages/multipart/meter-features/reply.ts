import type { StructCodec } from '../body.js';

/** ofp_meter_features (§7.3.5.14), 16 bytes. */
export interface MeterFeatures {
  max_meter: number;
  band_types: number;
  capabilities: number;
  max_bands: number;
  max_color: number;
}

export const METER_FEATURES_LEN = 16;

export const meterFeatures: StructCodec<MeterFeatures> = {
  decode(r) {
    const v = {
      max_meter: r.u32('max_meter'),
      band_types: r.u32('band_types'),
      capabilities: r.u32('capabilities'),
      max_bands: r.u8('max_bands'),
      max_color: r.u8('max_color'),
    };
    r.skip(2);
    return v;
  },
  encode(w, v) {
    w.u32(v.max_meter).u32(v.band_types).u32(v.capabilities).u8(v.max_bands).u8(v.max_color).zeros(2);
  },
};
