import type { StructCodec } from '../body.js';
import { decodePort, encodePort, type Port } from '../../../structs/port.js';

/** PORT_DESC replies are back-to-back ofp_port structures (§7.2.1), 64 bytes each. */
export const OFP_PORT_LEN = 64;

export const portDesc: StructCodec<Port> = { decode: decodePort, encode: encodePort };
export type { Port };
