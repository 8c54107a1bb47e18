import type { StructCodec } from '../body.js';
import { readCString, writeCString } from '../../../wire/text.js';

/** ofp_desc (§7.3.5.1): five fixed-width strings, 1056 bytes. */
export interface DescStats {
  mfr_desc: string;
  hw_desc: string;
  sw_desc: string;
  serial_num: string;
  dp_desc: string;
}

export const DESC_LEN = 1056;
const DESC_STR_LEN = 256;
const SERIAL_NUM_LEN = 32;

export const descStats: StructCodec<DescStats> = {
  decode(r) {
    return {
      mfr_desc: readCString(r, DESC_STR_LEN, 'mfr_desc'),
      hw_desc: readCString(r, DESC_STR_LEN, 'hw_desc'),
      sw_desc: readCString(r, DESC_STR_LEN, 'sw_desc'),
      serial_num: readCString(r, SERIAL_NUM_LEN, 'serial_num'),
      dp_desc: readCString(r, DESC_STR_LEN, 'dp_desc'),
    };
  },
  encode(w, v) {
    writeCString(w, v.mfr_desc, DESC_STR_LEN);
    writeCString(w, v.hw_desc, DESC_STR_LEN);
    writeCString(w, v.sw_desc, DESC_STR_LEN);
    writeCString(w, v.serial_num, SERIAL_NUM_LEN);
    writeCString(w, v.dp_desc, DESC_STR_LEN);
  },
};
