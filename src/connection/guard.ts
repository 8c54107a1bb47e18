/**
 * The read-only guard: decides whether a byte string may leave for a switch. It judges the
 * bytes themselves (not the object they were built from), so nothing built by hand, forged
 * or smuggled as a second message in the same buffer gets past it. Called from exactly one
 * place, Outbound.send.
 */
import { decodeMessage, type OfMessage } from '../../protocol/codec.js';
import { OFPT_NAMES, isStateChanging, type MsgTypeName } from '../../protocol/constants.js';
import { readHeader } from '../../protocol/header.js';
import { ROLE } from './messages.js';
import { RequestError } from './failure.js';

/** A field-level check on an allowed type: a reason to refuse, or undefined. */
type Check = (m: OfMessage & Record<string, unknown>) => string | undefined;

const READ_MULTIPART = new Set([
  'DESC', 'FLOW', 'AGGREGATE', 'TABLE', 'PORT_STATS', 'QUEUE', 'GROUP', 'GROUP_DESC',
  'GROUP_FEATURES', 'METER', 'METER_CONFIG', 'METER_FEATURES', 'TABLE_FEATURES', 'PORT_DESC',
]);

const SAFE_ROLES = new Set<number>([ROLE.NOCHANGE, ROLE.EQUAL, ROLE.SLAVE]);

/**
 * The allow-list: every type a read-only controller may send, with what else must hold.
 * Anything not here is refused, whether or not it is in STATE_CHANGING_TYPES.
 */
const ALLOWED: Partial<Record<MsgTypeName, Check | null>> = {
  HELLO: null,
  ECHO_REQUEST: null,
  ECHO_REPLY: null,
  FEATURES_REQUEST: null,
  GET_CONFIG_REQUEST: null,
  BARRIER_REQUEST: null,
  GET_ASYNC_REQUEST: null,
  // Only the answer to a failed version negotiation; a controller has nothing else to report.
  ERROR: (m) => (m.error_type === 0 ? undefined : `ERROR of type ${String(m.error_type_name ?? m.error_type)} (only HELLO_FAILED may be sent)`),
  ROLE_REQUEST: (m) =>
    SAFE_ROLES.has(m.role as number) ? undefined : `ROLE_REQUEST with role ${String(m.role)} (MASTER or unknown)`,
  MULTIPART_REQUEST: (m) => {
    const t = m.multipart_type;
    if (typeof t !== 'string' || !READ_MULTIPART.has(t)) return `MULTIPART_REQUEST of type ${String(t)} (not a statistics read)`;
    if ((m.flags as number) !== 0) return `MULTIPART_REQUEST with flags ${String(m.flags)} (REQ_MORE is only used to set table features)`;
    // A TABLE_FEATURES request carrying a body reconfigures the tables (§7.3.5.18).
    if (t === 'TABLE_FEATURES' && (m.body as unknown[]).length > 0) return 'TABLE_FEATURES request with a body (it would set table features)';
    return undefined;
  },
};

export class ReadOnlyViolation extends RequestError {
  constructor(readonly reason: string) {
    super('refused', `read-only guard refused to send: ${reason}`);
  }
}

/** Throws ReadOnlyViolation unless `bytes` is exactly one message a read-only controller may send. */
export function checkOutbound(bytes: Buffer): void {
  if (bytes.length < 8) throw new ReadOnlyViolation(`${bytes.length} bytes is not an OpenFlow message`);
  const h = readHeader(bytes);
  if (h.length !== bytes.length) {
    throw new ReadOnlyViolation(`header length ${h.length} != ${bytes.length} bytes given (one message per send)`);
  }
  const name = OFPT_NAMES.get(h.type);
  if (name === undefined) throw new ReadOnlyViolation(`unknown message type ${h.type}`);
  if (isStateChanging(name)) throw new ReadOnlyViolation(`${name} changes switch state`);
  const check = ALLOWED[name];
  if (check === undefined) throw new ReadOnlyViolation(`${name} is not on the read-only allow-list`);
  let m: OfMessage;
  try {
    m = decodeMessage(bytes);
  } catch (e) {
    throw new ReadOnlyViolation(`${name} does not decode: ${(e as Error).message}`);
  }
  const why = check?.(m as OfMessage & Record<string, unknown>);
  if (why !== undefined) throw new ReadOnlyViolation(why);
}
