/**
 * How a request is recognised again in replay: the key of a request is its type and, where the
 * body selects what is answered (multipart bodies, QUEUE_GET_CONFIG's port), the body's bytes.
 * Two requests with the same key got, and get, the same answer.
 */
import { OFPG_ALL, OFPG_ANY, OFPM_ALL, OFPMP, OFPMP_NAMES, OFPP, OFPQ_ALL, OFPT, OFPTT_ALL } from '../../protocol/constants.js';
import { encodeMessage, type EncodableMessage } from '../../protocol/codec.js';
import { bodyOf, isMultipart, messageTypeOf, multipartBodyOf, multipartTypeOf } from '../../protocol/raw.js';

/** Request types whose body chooses the answer (besides multipart). */
const BODY_KEYED: ReadonlySet<number> = new Set([OFPT.QUEUE_GET_CONFIG_REQUEST]);

/** Request type → the reply type a switch answers it with (the ones replay can serve from a recording). */
export const RECORDED_REPLY: ReadonlyMap<number, number> = new Map([
  [OFPT.MULTIPART_REQUEST, OFPT.MULTIPART_REPLY],
  [OFPT.GET_CONFIG_REQUEST, OFPT.GET_CONFIG_REPLY],
  [OFPT.QUEUE_GET_CONFIG_REQUEST, OFPT.QUEUE_GET_CONFIG_REPLY],
  [OFPT.GET_ASYNC_REQUEST, OFPT.GET_ASYNC_REPLY],
  [OFPT.FEATURES_REQUEST, OFPT.FEATURES_REPLY],
  [OFPT.ROLE_REQUEST, OFPT.ROLE_REPLY],
  [OFPT.BARRIER_REQUEST, OFPT.BARRIER_REPLY],
]);
const REQUEST_OF_REPLY = new Map([...RECORDED_REPLY].map(([q, r]) => [r, q]));

/** Messages only a switch sends: they tell which side of a captured session is the switch. */
export const SWITCH_ONLY: ReadonlySet<number> = new Set([
  OFPT.FEATURES_REPLY, OFPT.MULTIPART_REPLY, OFPT.GET_CONFIG_REPLY, OFPT.ROLE_REPLY, OFPT.BARRIER_REPLY,
  OFPT.QUEUE_GET_CONFIG_REPLY, OFPT.GET_ASYNC_REPLY, OFPT.PACKET_IN, OFPT.FLOW_REMOVED, OFPT.PORT_STATUS,
]);
/** Messages only a controller sends. */
export const CONTROLLER_ONLY: ReadonlySet<number> = new Set([
  OFPT.FEATURES_REQUEST, OFPT.MULTIPART_REQUEST, OFPT.GET_CONFIG_REQUEST, OFPT.ROLE_REQUEST,
  OFPT.BARRIER_REQUEST, OFPT.QUEUE_GET_CONFIG_REQUEST, OFPT.GET_ASYNC_REQUEST, OFPT.SET_CONFIG, OFPT.FLOW_MOD,
  OFPT.GROUP_MOD, OFPT.PORT_MOD, OFPT.TABLE_MOD, OFPT.METER_MOD, OFPT.PACKET_OUT, OFPT.SET_ASYNC,
]);

export function multipartName(code: number): string {
  return OFPMP_NAMES.get(code) ?? String(code);
}

/** The key of a request message (whole message bytes), or undefined for a type replay never looks up. */
export function requestKey(msg: Buffer): string | undefined {
  const type = messageTypeOf(msg);
  if (!RECORDED_REPLY.has(type)) return undefined;
  if (type === OFPT.MULTIPART_REQUEST) {
    if (!isMultipart(msg)) return undefined;
    return multipartKey(multipartTypeOf(msg), multipartBodyOf(msg));
  }
  return BODY_KEYED.has(type) ? `${type}:${bodyOf(msg).toString('hex')}` : String(type);
}

export function multipartKey(mpType: number, body: Buffer): string {
  return `mp${mpType}:${body.toString('hex')}`;
}

/** Whether a key names a multipart request, and which type. */
export function keyMultipartType(key: string): number | undefined {
  const m = /^mp(\d+):/.exec(key);
  return m ? Number(m[1]) : undefined;
}

const ALL_FLOWS = {
  table_id: OFPTT_ALL, out_port: OFPP.ANY, out_group: OFPG_ANY, cookie: 0n, cookie_mask: 0n,
  match: { type: 1, oxm_fields: [] },
};

/** The "everything" request body of each multipart type: what a reply with no request in the capture answered. */
const WILDCARD: Record<string, unknown[]> = {
  FLOW: [ALL_FLOWS],
  AGGREGATE: [ALL_FLOWS],
  PORT_STATS: [{ port_no: OFPP.ANY }],
  QUEUE: [{ port_no: OFPP.ANY, queue_id: OFPQ_ALL }],
  GROUP: [{ group_id: OFPG_ALL }],
  METER: [{ meter_id: OFPM_ALL }],
  METER_CONFIG: [{ meter_id: OFPM_ALL }],
};

const wildcardCache = new Map<number, string>();

/** Key of the "everything" request of a multipart type. */
export function wildcardKey(mpType: number): string {
  let k = wildcardCache.get(mpType);
  if (k !== undefined) return k;
  const name = OFPMP_NAMES.get(mpType);
  const body = name === undefined ? [] : (WILDCARD[name] ?? []);
  if (name === undefined || name === 'TABLE_FEATURES' || name === 'EXPERIMENTER') {
    k = multipartKey(mpType, Buffer.alloc(0));
  } else {
    const msg = encodeMessage({ version: 4, type: 'MULTIPART_REQUEST', xid: 0, multipart_type: name, flags: 0, body } as unknown as EncodableMessage);
    k = multipartKey(mpType, multipartBodyOf(msg));
  }
  wildcardCache.set(mpType, k);
  return k;
}

/** Key for a reply whose request the capture does not hold (a gap, or a file of replies only). */
export function keyWithoutRequest(reply: Buffer): string | undefined {
  const type = messageTypeOf(reply);
  if (type === OFPT.MULTIPART_REPLY) return isMultipart(reply) ? wildcardKey(multipartTypeOf(reply)) : undefined;
  const req = REQUEST_OF_REPLY.get(type);
  if (req === undefined || BODY_KEYED.has(req)) return undefined;
  return String(req);
}

export { OFPMP };
