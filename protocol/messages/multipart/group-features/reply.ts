import type { StructCodec } from '../body.js';
import type { Reader } from '../../../wire/reader.js';

/** ofp_group_features (§7.3.5.11), 40 bytes; the arrays are indexed by group type. */
export interface GroupFeatures {
  types: number;
  capabilities: number;
  max_groups: [number, number, number, number];
  actions: [number, number, number, number];
}

export const GROUP_FEATURES_LEN = 40;

function quad(r: Reader, what: string): [number, number, number, number] {
  return [r.u32(what), r.u32(what), r.u32(what), r.u32(what)];
}

export const groupFeatures: StructCodec<GroupFeatures> = {
  decode(r) {
    return {
      types: r.u32('types'),
      capabilities: r.u32('capabilities'),
      max_groups: quad(r, 'max_groups'),
      actions: quad(r, 'actions'),
    };
  },
  encode(w, v) {
    w.u32(v.types).u32(v.capabilities);
    // Exactly four each whatever the caller built, so the structure keeps its 40 bytes.
    for (let i = 0; i < 4; i++) w.u32(v.max_groups[i] ?? 0);
    for (let i = 0; i < 4; i++) w.u32(v.actions[i] ?? 0);
  },
};
