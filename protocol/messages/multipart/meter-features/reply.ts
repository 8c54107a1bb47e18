import type { StructCodec } from '../body.js';
import { layoutStruct } from '../../fixed-layout.js';

/** ofp_meter_features (§7.3.5.14), 16 bytes. */
export interface MeterFeatures {
  max_meter: number;
  band_types: number;
  capabilities: number;
  max_bands: number;
  max_color: number;
}

export const METER_FEATURES_LEN = 16;

export const meterFeatures: StructCodec<MeterFeatures> = layoutStruct<MeterFeatures>([
  ['max_meter', 'u32'], ['band_types', 'u32'], ['capabilities', 'u32'], ['max_bands', 'u8'], ['max_color', 'u8'], 2,
]);
