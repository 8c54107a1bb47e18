import { OFP_VERSION, OFPT } from '../../constants.js';
import { family, type Family, type MessageBase } from '../../family.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';

/** ECHO_REQUEST / ECHO_REPLY: arbitrary data, which a reply returns unchanged. */
export interface EchoRequestMessage extends MessageBase<'ECHO_REQUEST'> {
  data: Buffer;
}
export interface EchoReplyMessage extends MessageBase<'ECHO_REPLY'> {
  data: Buffer;
}
export type Messages = EchoRequestMessage | EchoReplyMessage;

const decode = (r: Reader) => ({ data: r.bytes(r.remaining) });
const encode = (w: Writer, m: { data: Buffer }) => void w.bytes(m.data);

export const families = [
  family<EchoRequestMessage>({ code: OFPT.ECHO_REQUEST, name: 'ECHO_REQUEST', decode, encode }),
  family<EchoReplyMessage>({ code: OFPT.ECHO_REPLY, name: 'ECHO_REPLY', decode, encode }),
] as unknown as readonly Family<MessageBase>[];

export function echoRequest(xid: number, data: Buffer = Buffer.alloc(0)): EchoRequestMessage {
  return { version: OFP_VERSION, type: 'ECHO_REQUEST', xid, data };
}

/** The answer the spec requires: same xid, same data. */
export function echoReply(request: Pick<EchoRequestMessage, 'xid' | 'data'> & { version?: number }): EchoReplyMessage {
  return { version: request.version ?? OFP_VERSION, type: 'ECHO_REPLY', xid: request.xid, data: request.data };
}
