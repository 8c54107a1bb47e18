import { family, type MessageBase } from '../../family.js';
import { OFPMP, OFPMP_NAMES, OFPMPF_REPLY_MORE, type MultipartTypeName } from '../../constants.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';
import type { BodyCodec } from './body.js';
import { OfEncodeError } from '../../errors.js';
import { MULTIPART, type Bodies, type Direction } from './registry.js';

type Envelope<T extends 'MULTIPART_REQUEST' | 'MULTIPART_REPLY', K, B> = MessageBase<T> & {
  multipart_type: K;
  /** OFPMPF_REQ_MORE / OFPMPF_REPLY_MORE (bit 0) and whatever else the peer set. */
  flags: number;
  body: B;
};

/** A multipart type this codec does not know: its number and the body as it came. */
export type UnknownMultipart<T extends 'MULTIPART_REQUEST' | 'MULTIPART_REPLY'> = Envelope<T, number, [{ data: Buffer }]>;

type Variants<T extends 'MULTIPART_REQUEST' | 'MULTIPART_REPLY', D extends Direction> = {
  [K in MultipartTypeName]: Envelope<T, K, Bodies<D>[K]>;
}[MultipartTypeName];

/** `msg.multipart_type === 'FLOW'` narrows `body` to `FlowStatsRequest` / `FlowStats[]`. */
export type MultipartRequest = Variants<'MULTIPART_REQUEST', 'request'> | UnknownMultipart<'MULTIPART_REQUEST'>;
export type MultipartReply = Variants<'MULTIPART_REPLY', 'reply'> | UnknownMultipart<'MULTIPART_REPLY'>;
export type Messages = MultipartRequest | MultipartReply;

/** The body list of one known multipart type and direction, e.g. `MultipartBody<'reply', 'FLOW'>`. */
export type MultipartBody<D extends Direction, K extends MultipartTypeName> = Bodies<D>[K];

/** Whether more parts of this request or reply follow (REQ_MORE / REPLY_MORE). */
export function isMore(msg: Pick<Messages, 'flags'>): boolean {
  return (msg.flags & OFPMPF_REPLY_MORE) !== 0;
}

type AnyEnvelope = { multipart_type: string | number; flags: number; body: readonly unknown[] };

function codecFor(d: Direction, name: string): BodyCodec<readonly unknown[]> | undefined {
  const entry = (MULTIPART as Record<string, Record<Direction, BodyCodec<readonly unknown[]>>>)[name];
  return entry?.[d];
}

function decodeBody(d: Direction) {
  return (r: Reader): AnyEnvelope => {
    const code = r.u16('multipart type');
    const flags = r.u16('multipart flags');
    r.skip(4, 'multipart header padding');
    const name = OFPMP_NAMES.get(code);
    if (name === undefined) return { multipart_type: code, flags, body: [{ data: r.bytes(r.remaining) }] };
    return { multipart_type: name, flags, body: codecFor(d, name)!.decode(r) };
  };
}

function encodeBody(d: Direction) {
  return (w: Writer, m: AnyEnvelope): void => {
    if (typeof m.multipart_type === 'number') {
      w.u16(m.multipart_type).u16(m.flags).zeros(4);
      w.bytes((m.body[0] as { data: Buffer }).data);
      return;
    }
    const codec = codecFor(d, m.multipart_type);
    if (!codec) throw new OfEncodeError(`unknown multipart type ${m.multipart_type}`);
    w.u16(OFPMP[m.multipart_type as MultipartTypeName]).u16(m.flags).zeros(4);
    codec.encode(w, m.body);
  };
}

export const families = [
  family<MultipartRequest>({
    code: 18,
    name: 'MULTIPART_REQUEST',
    decode: decodeBody('request') as never,
    encode: encodeBody('request') as never,
  }),
  family<MultipartReply>({
    code: 19,
    name: 'MULTIPART_REPLY',
    decode: decodeBody('reply') as never,
    encode: encodeBody('reply') as never,
  }),
] as const;

export { MULTIPART } from './registry.js';
export type { DescStats } from './desc/reply.js';
export type { FlowStatsRequest } from './flow/request.js';
export type { FlowStats } from './flow/reply.js';
export type { AggregateStats } from './aggregate/reply.js';
export type { TableStats } from './table/reply.js';
export type { PortStatsRequest } from './port-stats/request.js';
export type { PortStats } from './port-stats/reply.js';
export type { QueueStatsRequest } from './queue/request.js';
export type { QueueStats } from './queue/reply.js';
export type { GroupStatsRequest } from './group/request.js';
export type { GroupStats, BucketCounter } from './group/reply.js';
export type { GroupDesc } from './group-desc/reply.js';
export type { GroupFeatures } from './group-features/reply.js';
export type { MeterMultipartRequest } from './meter/request.js';
export type { MeterStats, MeterBandStats } from './meter/reply.js';
export type { MeterConfig } from './meter-config/reply.js';
export type { MeterFeatures } from './meter-features/reply.js';
export type { TableFeatures } from './table-features/table-features.js';
export type { ExperimenterMultipart } from './experimenter/index.js';
