import { OFPT } from '../../constants.js';
import { family, type Family, type MessageBase } from '../../family.js';
import { decodePort, encodePort, OFP_PORT_LEN, type Port } from '../../structs/port.js';

/** ofp_port_status: a port was added, removed or changed. */
export interface PortStatusMessage extends MessageBase<'PORT_STATUS'> {
  /** One of OFPPR_*. */
  reason: number;
  desc: Port;
}
export type Messages = PortStatusMessage;

/** ofp_port_reason. */
export const OFPPR = {
  ADD: 0,
  DELETE: 1,
  MODIFY: 2,
} as const;

const BODY_LEN = 8 + OFP_PORT_LEN;

const portStatus = family<PortStatusMessage>({
  code: OFPT.PORT_STATUS,
  name: 'PORT_STATUS',
  decode(r) {
    if (r.remaining !== BODY_LEN) r.fail(`PORT_STATUS body is ${r.remaining} bytes, expected ${BODY_LEN}`);
    const reason = r.u8('reason');
    r.skip(7);
    return { reason, desc: decodePort(r) };
  },
  encode(w, m) {
    w.u8(m.reason).zeros(7);
    encodePort(w, m.desc);
  },
});

export const families = [portStatus] as unknown as readonly Family<MessageBase>[];
