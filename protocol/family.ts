import type { Header } from './header.js';
import type { Reader } from './wire/reader.js';
import type { Writer } from './wire/writer.js';
import type { MsgTypeName } from './constants.js';

/** Fields every decoded message carries, from ofp_header (length is implied by the bytes). */
export interface MessageBase<T extends MsgTypeName = MsgTypeName> {
  version: number;
  type: T;
  xid: number;
}

export type BodyOf<M> = Omit<M, 'version' | 'type' | 'xid'>;

/**
 * One message type's codec: how to read its body and, only for messages a read-only
 * controller or a switch may send, how to write it. State-changing types leave `encode`
 * out, and that absence is the codec's half of the read-only guarantee.
 */
export interface Family<M extends MessageBase = MessageBase> {
  readonly code: number;
  readonly name: M['type'];
  /** `r` spans exactly the body (after the 8-byte header); offsets are from the message start. */
  decode(r: Reader, h: Header): BodyOf<M>;
  /** Writes the body only; the codec writes the header and patches the length. */
  readonly encode?: (w: Writer, m: M) => void;
}

export function family<M extends MessageBase>(f: Family<M>): Family<M> {
  return f;
}
