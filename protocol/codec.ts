import { OfDecodeError, OfEncodeError } from './errors.js';
import { OFP_HEADER_LEN, OFP_VERSION, OFPT_NAMES, STATE_CHANGING_TYPES, type MsgTypeName } from './constants.js';
import { readHeader, type Header } from './header.js';
import type { Family, MessageBase } from './family.js';
import { Reader } from './wire/reader.js';
import { Writer } from './wire/writer.js';
import * as hello from './messages/hello/index.js';
import * as error from './messages/error/index.js';
import * as echo from './messages/echo/index.js';
import * as experimenter from './messages/experimenter/index.js';
import * as features from './messages/features/index.js';
import * as config from './messages/config/index.js';
import * as packetIn from './messages/packet-in/index.js';
import * as flowRemoved from './messages/flow-removed/index.js';
import * as portStatus from './messages/port-status/index.js';
import * as packetOut from './messages/packet-out/index.js';
import * as flowMod from './messages/flow-mod/index.js';
import * as groupMod from './messages/group-mod/index.js';
import * as portMod from './messages/port-mod/index.js';
import * as tableMod from './messages/table-mod/index.js';
import * as multipart from './messages/multipart/index.js';
import * as barrier from './messages/barrier/index.js';
import * as queueConfig from './messages/queue-config/index.js';
import * as role from './messages/role/index.js';
import * as async from './messages/async/index.js';
import * as meterMod from './messages/meter-mod/index.js';

/** Every message the codec can decode, discriminated by `type`. */
export type OfMessage =
  | hello.Messages
  | error.Messages
  | echo.Messages
  | experimenter.Messages
  | features.Messages
  | config.Messages
  | packetIn.Messages
  | flowRemoved.Messages
  | portStatus.Messages
  | packetOut.Messages
  | flowMod.Messages
  | groupMod.Messages
  | portMod.Messages
  | tableMod.Messages
  | multipart.Messages
  | barrier.Messages
  | queueConfig.Messages
  | role.Messages
  | async.Messages
  | meterMod.Messages;

type StateChanging = (typeof STATE_CHANGING_TYPES)[number];
/** What the codec can encode: every message except the state-changing ones. */
export type EncodableMessage = Exclude<OfMessage, { type: StateChanging }>;

const ALL_FAMILIES: readonly Family<MessageBase>[] = [
  hello, error, echo, experimenter, features, config, packetIn, flowRemoved, portStatus,
  packetOut, flowMod, groupMod, portMod, tableMod, multipart, barrier, queueConfig, role,
  async, meterMod,
].flatMap((m) => m.families as readonly Family<MessageBase>[]);

const byCode = new Map<number, Family<MessageBase>>();
const byName = new Map<string, Family<MessageBase>>();
for (const f of ALL_FAMILIES) {
  byCode.set(f.code, f);
  byName.set(f.name, f);
}

/** Whether the codec can build this message type (false for state-changing types, by design). */
export function canEncode(type: MsgTypeName): boolean {
  return byName.get(type)?.encode !== undefined;
}

/**
 * Decode one whole message that starts at `start` in `buf` (a framer's output, or a file).
 * Throws OfDecodeError, carrying type, xid and offset, for anything malformed.
 */
export function decodeMessage(buf: Buffer, start = 0): OfMessage {
  const h = readHeader(buf, start);
  const typeName: string | number = OFPT_NAMES.get(h.type) ?? h.type;
  if (h.length < OFP_HEADER_LEN) {
    throw new OfDecodeError(2, `message length ${h.length} is below the 8-byte header`, typeName, h.xid);
  }
  if (h.length > buf.length - start) {
    throw new OfDecodeError(2, `message length ${h.length} exceeds the ${buf.length - start} bytes available`, typeName, h.xid);
  }
  // Version negotiation needs a HELLO of any version to be readable; nothing else is.
  if (h.version !== OFP_VERSION && h.type !== 0) {
    throw new OfDecodeError(0, `unsupported OpenFlow version 0x${h.version.toString(16).padStart(2, '0')}`, typeName, h.xid);
  }
  const fam = byCode.get(h.type);
  if (!fam) throw new OfDecodeError(1, `unknown message type ${h.type}`, typeName, h.xid);
  const r = new Reader(buf, start + OFP_HEADER_LEN, start + h.length, start);
  try {
    const body = fam.decode(r, h);
    return { version: h.version, type: fam.name, xid: h.xid, ...body } as OfMessage;
  } catch (e) {
    throw asDecodeError(e, r).withMessage(fam.name, h.xid);
  }
}

/** Anything else thrown while decoding is a codec bug; still report it as bad input with an offset. */
function asDecodeError(e: unknown, r: Reader): OfDecodeError {
  if (e instanceof OfDecodeError) return e;
  const reason = e instanceof Error ? e.message : String(e);
  return new OfDecodeError(r.offset, `malformed: ${reason}`, undefined, undefined, { cause: e });
}

/** Encode a message; throws OfEncodeError for a type the codec deliberately cannot build. */
export function encodeMessage(msg: EncodableMessage): Buffer {
  const m = msg as MessageBase;
  const fam = byName.get(m.type);
  if (!fam || !fam.encode) {
    throw new OfEncodeError(`the codec has no encoder for ${String(m.type)}: ofstats never sends state-changing messages`);
  }
  const w = new Writer(64);
  w.u8(m.version ?? OFP_VERSION).u8(fam.code).u16(0).u32(m.xid >>> 0);
  fam.encode(w, m);
  if (w.pos > 0xffff) throw new OfEncodeError(`${m.type} body too large for one message (${w.pos} bytes)`);
  w.patchU16(2, w.pos);
  return w.finish();
}

export type { Header };

/** Which message types the codec knows, and which of them it can build. */
export function codecCapabilities(): { name: string; code: number; encodes: boolean }[] {
  return ALL_FAMILIES.map((f) => ({ name: f.name, code: f.code, encodes: f.encode !== undefined }));
}
