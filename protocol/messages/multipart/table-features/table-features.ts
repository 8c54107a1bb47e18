import type { StructCodec } from '../body.js';
import { readCString, writeCString } from '../../../wire/text.js';
import {
  decodeTableFeatureProps,
  encodeTableFeatureProps,
  type TableFeatureProp,
} from '../../../structs/table-feature-props.js';

/**
 * ofp_table_features (§7.3.5.5.1): 64 fixed bytes, then properties. Requests (to set or just
 * to list) and replies carry the same structure.
 */
export interface TableFeatures {
  table_id: number;
  name: string;
  metadata_match: bigint;
  metadata_write: bigint;
  config: number;
  max_entries: number;
  properties: TableFeatureProp[];
}

export const TABLE_FEATURES_FIXED_LEN = 64;
const OFP_MAX_TABLE_NAME_LEN = 32;

export const tableFeatures: StructCodec<TableFeatures> = {
  decode(r) {
    r.skip(2, 'length');
    const table_id = r.u8('table_id');
    r.skip(5);
    return {
      table_id,
      name: readCString(r, OFP_MAX_TABLE_NAME_LEN, 'name'),
      metadata_match: r.u64('metadata_match'),
      metadata_write: r.u64('metadata_write'),
      config: r.u32('config'),
      max_entries: r.u32('max_entries'),
      properties: decodeTableFeatureProps(r),
    };
  },
  encode(w, v) {
    w.u16(0).u8(v.table_id).zeros(5);
    writeCString(w, v.name, OFP_MAX_TABLE_NAME_LEN);
    w.u64(v.metadata_match).u64(v.metadata_write).u32(v.config).u32(v.max_entries);
    encodeTableFeatureProps(w, v.properties);
  },
};
