/**
 * Builds a Recording from a pcap/pcapng capture (every TCP stream, via src/capture) or from a
 * file of raw OpenFlow bytes holding a switch's messages. In a capture, the switch side of
 * each session is the one sending switch-only messages (FEATURES_REPLY, MULTIPART_REPLY...);
 * replies are tied to their requests by xid.
 */
import { OFP_VERSION, OFPT } from '../../protocol/constants.js';
import { OfDecodeError } from '../../protocol/errors.js';
import { errorNumbers } from '../../protocol/messages/error/index.js';
import {
  datapathIdOf, errorTypeCodeOf, hasMoreParts, isMultipart, messageTypeOf, multipartTypeOf, peekHeader, quotedRequestOf, withoutReplyMore,
} from '../../protocol/raw.js';
import { FileSource, type ByteSource } from '../capture/byte-source.js';
import { decodeCapture } from '../capture/capture-decoder.js';
import { sniffFormat } from '../capture/capture-file.js';
import { OfStream } from '../capture/of-stream.js';
import { CONTROLLER_ONLY, keyWithoutRequest, requestKey, SWITCH_ONLY } from './keys.js';
import { reduceAnswers, type Answer, type Observed, type Profile, type Recording } from './recording.js';

const HELLO_FAILED = errorNumbers('HELLO_FAILED', 'INCOMPATIBLE');
const ROLE_STALE = errorNumbers('ROLE_REQUEST_FAILED', 'STALE');

interface Captured {
  seq: number;
  from: string;
  bytes: Buffer;
}

interface Session {
  name: string;
  msgs: Captured[];
}

/** Per-session result before sessions are grouped into profiles. */
interface SessionRecord {
  name: string;
  dpid: bigint | undefined;
  features: Buffer | undefined;
  seen: Map<string, Observed[]>;
}


export function loadRecordingFile(path: string): Recording {
  const src = new FileSource(path);
  try {
    return loadRecording(src);
  } finally {
    src.close();
  }
}

export function loadRecording(src: ByteSource): Recording {
  const notices: string[] = [];
  const sessions = new Map<string, Session>();
  let seq = 0;
  const head = src.take(4);
  if (sniffFormat(head) !== undefined) {
    decodeCapture(src, head, {
      message(bytes, at) {
        const name = [at.src, at.dst].sort().join(' <-> ');
        let s = sessions.get(name);
        if (!s) sessions.set(name, (s = { name, msgs: [] }));
        // Copied: the capture reader's buffers would otherwise stay pinned by small slices.
        s.msgs.push({ seq: seq++, from: at.src, bytes: Buffer.from(bytes) });
      },
      badLength: (_bytes, at) => notices.push(`${at.src} -> ${at.dst}: message with a length below 8 in frame ${at.frame}, stream resynchronised`),
      notice: (text) => notices.push(text),
    });
  } else {
    // Raw bytes: one stream, all of it from the switch.
    const s: Session = { name: 'raw', msgs: [] };
    sessions.set('raw', s);
    const stream = new OfStream(
      {
        message: (bytes) => s.msgs.push({ seq: seq++, from: 'switch', bytes: Buffer.from(bytes) }),
        badLength: () => notices.push('raw input: message with a length below 8: the rest of the file is skipped'),
        truncated: (bytes) => notices.push(`raw input: last message cut off (${bytes.length} bytes), dropped`),
        skipped: () => {},
      },
      true,
      false,
    );
    for (let chunk = head; chunk.length > 0; chunk = src.take(1 << 20)) stream.push(chunk, 0);
    stream.end();
  }
  const records: SessionRecord[] = [];
  for (const s of sessions.values()) {
    const sw = s.name === 'raw' ? 'switch' : switchSide(s);
    if (sw === undefined) continue;
    const rec = recordSession(s, sw, notices);
    // Echoes and hellos alone make no switch to replay.
    if (rec.features !== undefined || rec.seen.size > 0) records.push(rec);
  }
  return { profiles: groupProfiles(records), notices };
}

/** The endpoint that sends switch-only messages (and not controller-only ones), if one does. */
function switchSide(s: Session): string | undefined {
  const score = new Map<string, number>();
  for (const m of s.msgs) {
    const t = messageTypeOf(m.bytes);
    const d = SWITCH_ONLY.has(t) ? 1 : CONTROLLER_ONLY.has(t) ? -1 : 0;
    score.set(m.from, (score.get(m.from) ?? 0) + d);
  }
  const ends = [...s.name.split(' <-> ')];
  for (const e of ends) if (!score.has(e)) score.set(e, 0);
  const [a, b] = ends.map((e) => score.get(e)!);
  if (a === b) return undefined;
  return a! > b! ? ends[0] : ends[1];
}

function recordSession(s: Session, sw: string, notices: string[]): SessionRecord {
  const rec: SessionRecord = { name: s.name, dpid: undefined, features: undefined, seen: new Map() };
  const pending = new Map<number, Buffer>();
  const partial = new Map<number, { key: string; parts: Buffer[]; seq: number }>();
  const observe = (key: string | undefined, o: Observed): void => {
    if (key === undefined) return;
    let list = rec.seen.get(key);
    if (!list) rec.seen.set(key, (list = []));
    list.push(o);
  };
  for (const m of s.msgs) {
    const b = m.bytes;
    const { version, type, xid } = peekHeader(b);
    if (version !== OFP_VERSION) continue;
    if (m.from !== sw) {
      pending.set(xid, b);
      continue;
    }
    const req = pending.get(xid);
    if (type === OFPT.FEATURES_REPLY) {
      const dpid = unlessMalformed(() => datapathIdOf(b));
      if (dpid !== undefined) {
        rec.features = b;
        rec.dpid = dpid;
      }
    } else if (type === OFPT.MULTIPART_REPLY) {
      if (!isMultipart(b)) continue;
      let acc = partial.get(xid);
      if (!acc) {
        const matches = req !== undefined && messageTypeOf(req) === OFPT.MULTIPART_REQUEST && isMultipart(req) && multipartTypeOf(req) === multipartTypeOf(b);
        const key = matches ? requestKey(req) : keyWithoutRequest(b);
        if (key === undefined) continue;
        acc = { key, parts: [], seq: m.seq };
        partial.set(xid, acc);
      }
      acc.parts.push(b);
      if (!hasMoreParts(b)) {
        partial.delete(xid);
        observe(acc.key, { seq: acc.seq, kind: 'reply', parts: acc.parts, complete: true });
      }
    } else if (type === OFPT.ERROR) {
      partial.delete(xid);
      const key = errorKey(b, req);
      if (key !== undefined) observe(key, { seq: m.seq, kind: 'error', error: b });
    } else if (type === OFPT.GET_CONFIG_REPLY || type === OFPT.QUEUE_GET_CONFIG_REPLY || type === OFPT.GET_ASYNC_REPLY) {
      const key = req !== undefined && messageTypeOf(req) === type - 1 ? requestKey(req) : keyWithoutRequest(b);
      observe(key, { seq: m.seq, kind: 'reply', parts: [b], complete: true });
    }
  }
  for (const acc of partial.values()) {
    // Cut off (a gap, or the end of the capture): serve what is there, as a reply that ends.
    const parts = [...acc.parts];
    const last = withoutReplyMore(parts[parts.length - 1]!);
    parts[parts.length - 1] = last;
    notices.push(`${s.name}: multipart reply xid ${peekHeader(last).xid} cut off after ${parts.length} part(s): served as it is`);
    observe(acc.key, { seq: acc.seq, kind: 'reply', parts, complete: false });
  }
  return rec;
}

/** The key of the request an ERROR refused: from the request itself, or the copy the ERROR carries. */
function errorKey(err: Buffer, req: Buffer | undefined): string | undefined {
  const n = unlessMalformed(() => errorTypeCodeOf(err));
  if (n === undefined || n.error_type === HELLO_FAILED.error_type) return undefined;
  // A stale generation id is about that moment, not about what the switch supports.
  if (n.error_type === ROLE_STALE.error_type && n.code === ROLE_STALE.code) return undefined;
  // Without the request in the capture, the copy the ERROR quotes (enough when the request was short).
  const r = req ?? quotedRequestOf(err);
  return r === undefined ? undefined : requestKey(r);
}

/** A captured message too short for what is read from it is passed over, as the switch's peer would have. */
function unlessMalformed<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (e instanceof OfDecodeError) return undefined;
    throw e;
  }
}

/**
 * Sessions of the same datapath id make one profile. Sessions whose FEATURES_REPLY is not in
 * the capture join the only profile there is, or, with several, fill in what the others lack.
 */
function groupProfiles(records: SessionRecord[]): Profile[] {
  const known = new Map<bigint, SessionRecord[]>();
  const unknown: SessionRecord[] = [];
  for (const r of records) {
    if (r.dpid === undefined) unknown.push(r);
    else {
      const list = known.get(r.dpid) ?? [];
      list.push(r);
      known.set(r.dpid, list);
    }
  }
  if (known.size <= 1) {
    const all = records;
    if (all.length === 0) return [];
    const dpid = known.size === 1 ? [...known.keys()][0] : undefined;
    return [profileOf(dpid, all, [])];
  }
  return [...known].map(([dpid, list]) => profileOf(dpid, list, unknown));
}

function profileOf(dpid: bigint | undefined, own: SessionRecord[], fallback: SessionRecord[]): Profile {
  const answers = new Map<string, Answer>();
  const merge = (recs: SessionRecord[], onlyMissing: boolean): void => {
    const seen = new Map<string, Observed[]>();
    for (const r of recs) for (const [k, list] of r.seen) seen.set(k, [...(seen.get(k) ?? []), ...list]);
    for (const [k, list] of seen) {
      if (onlyMissing && answers.has(k)) continue;
      const a = reduceAnswers(list);
      if (a) answers.set(k, a);
    }
  };
  merge(own, false);
  merge(fallback, true);
  const features = own.map((r) => r.features).filter((f): f is Buffer => f !== undefined).pop();
  return { dpid, features, answers, sessions: own.length };
}
