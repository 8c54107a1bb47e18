import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

/** ofp_queue_properties. */
export const OFPQT = {
  MIN_RATE: 1,
  MAX_RATE: 2,
  EXPERIMENTER: 0xffff,
} as const;

/** Rates are in 1/10 of a percent; above 1000 means the limit is disabled. */
export interface QueuePropRate {
  type: 'MIN_RATE' | 'MAX_RATE';
  rate: number;
}
export interface QueuePropExperimenter {
  type: 'EXPERIMENTER';
  experimenter: number;
  data: Buffer;
}
/** A property this codec does not know: its payload after the 8-byte property header. */
export interface QueuePropUnknown {
  type: number;
  data: Buffer;
}
export type QueueProperty = QueuePropRate | QueuePropExperimenter | QueuePropUnknown;

/** ofp_packet_queue (OpenFlow 1.3.5 §7.3.6): queue_id, port, properties. */
export interface PacketQueue {
  queue_id: number;
  port: number;
  properties: QueueProperty[];
}

const PACKET_QUEUE_LEN = 16;
const PROP_HEADER_LEN = 8;

interface PropCodec<P extends QueueProperty> {
  /** `r` spans the property body after its 8-byte header. */
  decode(r: Reader): Omit<P, 'type'>;
  encode(w: Writer, p: P): void;
}

const rate: PropCodec<QueuePropRate> = {
  decode(r) {
    if (r.remaining !== 8) r.fail(`rate queue property body is ${r.remaining} bytes, expected 8`);
    const v = r.u16('rate');
    r.skip(6);
    return { rate: v };
  },
  encode(w, p) {
    w.u16(p.rate).zeros(6);
  },
};

const experimenter: PropCodec<QueuePropExperimenter> = {
  decode(r) {
    const id = r.u32('experimenter');
    r.skip(4);
    return { experimenter: id, data: r.bytes(r.remaining) };
  },
  encode(w, p) {
    w.u32(p.experimenter).zeros(4).bytes(p.data);
  },
};

/** One table for both directions: wire code ↔ name ↔ body codec. */
const PROPS = {
  MIN_RATE: { code: OFPQT.MIN_RATE, codec: rate },
  MAX_RATE: { code: OFPQT.MAX_RATE, codec: rate },
  EXPERIMENTER: { code: OFPQT.EXPERIMENTER, codec: experimenter },
} as const;
type PropName = keyof typeof PROPS;
const PROP_BY_CODE = new Map<number, PropName>(
  (Object.keys(PROPS) as PropName[]).map((n) => [PROPS[n].code, n]),
);

function decodeProperty(r: Reader): QueueProperty {
  r.need(PROP_HEADER_LEN, 'queue property header');
  const code = r.peekU16(0);
  const len = r.peekU16(2);
  if (len < PROP_HEADER_LEN) r.fail(`queue property length ${len} is below its ${PROP_HEADER_LEN}-byte header`);
  const p = r.sub(len, 'queue property');
  p.skip(PROP_HEADER_LEN);
  const name = PROP_BY_CODE.get(code);
  if (name === undefined) return { type: code, data: p.bytes(p.remaining) };
  return { type: name, ...(PROPS[name].codec as PropCodec<QueueProperty>).decode(p) } as QueueProperty;
}

function encodeProperty(w: Writer, p: QueueProperty): void {
  const start = w.pos;
  const name = typeof p.type === 'string' ? p.type : undefined;
  w.u16(name ? PROPS[name].code : (p.type as number)).u16(0).zeros(4);
  if (name) (PROPS[name].codec as PropCodec<QueueProperty>).encode(w, p);
  else w.bytes((p as QueuePropUnknown).data);
  w.patchU16(start + 2, w.pos - start);
}

/**
 * A list of ofp_packet_queue filling `r` to its end. Lengths are taken as declared: queues
 * and properties are not padded to 8 bytes (Ryu's samples carry 17-byte properties).
 */
export function decodePacketQueues(r: Reader): PacketQueue[] {
  const out: PacketQueue[] = [];
  while (r.remaining > 0) {
    r.need(PACKET_QUEUE_LEN, 'ofp_packet_queue');
    const len = r.peekU16(8);
    if (len < PACKET_QUEUE_LEN) r.fail(`queue length ${len} is below its ${PACKET_QUEUE_LEN}-byte header`);
    const q = r.sub(len, 'ofp_packet_queue');
    const queue_id = q.u32('queue_id');
    const port = q.u32('port');
    q.skip(8, 'len and padding');
    const properties: QueueProperty[] = [];
    while (q.remaining > 0) properties.push(decodeProperty(q));
    out.push({ queue_id, port, properties });
  }
  return out;
}

export function encodePacketQueues(w: Writer, queues: PacketQueue[]): void {
  for (const q of queues) {
    const start = w.pos;
    w.u32(q.queue_id).u32(q.port).u16(0).zeros(6);
    for (const p of q.properties) encodeProperty(w, p);
    w.patchU16(start + 8, w.pos - start);
  }
}
