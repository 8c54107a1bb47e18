import { OFPT } from '../../constants.js';
import { family, type Family, type MessageBase } from '../../family.js';

/** ofp_experimenter_header: an experimenter id, its message type, and an opaque payload. */
export interface ExperimenterMessage extends MessageBase<'EXPERIMENTER'> {
  experimenter: number;
  exp_type: number;
  data: Buffer;
}
export type Messages = ExperimenterMessage;

/** Experimenter ids seen in the wild (openflow-common.h), for readers of `experimenter`. */
export const EXPERIMENTER_IDS = {
  NICIRA: 0x00002320,
  ONF: 0x4f4e4600,
  BSN: 0x005c16c7,
  HPL: 0x000004ea,
} as const;

const experimenter = family<ExperimenterMessage>({
  code: OFPT.EXPERIMENTER,
  name: 'EXPERIMENTER',
  decode(r) {
    const id = r.u32('experimenter');
    const exp_type = r.u32('exp_type');
    return { experimenter: id, exp_type, data: r.bytes(r.remaining) };
  },
  encode(w, m) {
    w.u32(m.experimenter).u32(m.exp_type).bytes(m.data);
  },
});

export const families = [experimenter] as unknown as readonly Family<MessageBase>[];
