import type { StructCodec } from '../body.js';
import { decodeMeterBands, encodeMeterBands, type MeterBand } from '../../../structs/meter-band.js';

/** ofp_meter_config (§7.3.5.13): 8 fixed bytes, then the bands. */
export interface MeterConfig {
  flags: number;
  meter_id: number;
  bands: MeterBand[];
}

export const METER_CONFIG_FIXED_LEN = 8;

export const meterConfig: StructCodec<MeterConfig> = {
  decode(r) {
    r.skip(2, 'length');
    const flags = r.u16('flags');
    const meter_id = r.u32('meter_id');
    return { flags, meter_id, bands: decodeMeterBands(r) };
  },
  encode(w, v) {
    w.u16(0).u16(v.flags).u32(v.meter_id);
    encodeMeterBands(w, v.bands);
  },
};
