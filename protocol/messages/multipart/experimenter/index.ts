import type { StructCodec } from '../body.js';

/**
 * ofp_experimenter_multipart_header (§7.3.5.17) and whatever follows it, kept opaque: the
 * codec does not interpret any vendor's multipart (ONF flow monitor, Big Switch stats...).
 * Requests and replies share the shape.
 */
export interface ExperimenterMultipart {
  experimenter: number;
  exp_type: number;
  data: Buffer;
}

export const EXPERIMENTER_HEADER_LEN = 8;

export const experimenterMultipart: StructCodec<ExperimenterMultipart> = {
  decode(r) {
    return {
      experimenter: r.u32('experimenter'),
      exp_type: r.u32('exp_type'),
      data: r.bytes(r.remaining, 'experimenter data'),
    };
  },
  encode(w, v) {
    w.u32(v.experimenter).u32(v.exp_type).bytes(v.data);
  },
};
