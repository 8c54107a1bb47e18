import type { ByteSource } from './byte-source.js';
import { readPackets } from './capture-file.js';
import { LINK_TYPES, ipOf } from './link.js';
import { OfStream } from './of-stream.js';
import { TCP_ACK, tcpOf } from './tcp-segment.js';
import { TcpDirection } from './tcp-direction.js';

/** Where a piece of OpenFlow came from in a capture. */
export interface StreamPlace {
  frame: number;
  src: string;
  dst: string;
}

/** Everything decoding a capture reports, in capture order. */
export interface CaptureSink {
  message(bytes: Buffer, at: StreamPlace): void;
  badLength(header: Buffer, at: StreamPlace): void;
  /** Not errors in the messages: notes about the capture itself (gaps, cut-off messages, link types). */
  notice(text: string): void;
}

interface Direction {
  tcp: TcpDirection;
  of: OfStream;
}

/**
 * Reads a pcap/pcapng capture and hands every OpenFlow message of every TCP stream (any
 * port) to the sink, as soon as the capture completes it. Throws CaptureError for a file that
 * cannot be read as a capture.
 */
export function decodeCapture(src: ByteSource, head: Buffer, sink: CaptureSink): void {
  const dirs = new Map<string, Direction>();
  const warnedLinks = new Set<number>();

  const direction = (s: string, d: string): Direction => {
    const key = `${s}>${d}`;
    let dir = dirs.get(key);
    if (dir) return dir;
    const place = (frame: number): StreamPlace => ({ frame, src: s, dst: d });
    const name = `${s} -> ${d}`;
    const of = new OfStream(
      {
        message: (bytes, frame) => sink.message(bytes, place(frame)),
        badLength: (bytes, frame) => sink.badLength(bytes, place(frame)),
        truncated: (bytes, frame, cause) =>
          sink.notice(
            `${name}: message from frame ${frame} cut off by ${cause === 'gap' ? 'a gap in the capture' : 'the end of the stream'} ` +
              `(${bytes.length} of ${bytes.length >= 4 ? bytes.readUInt16BE(2) : '?'} bytes), dropped`,
          ),
        skipped: (count, frame) => sink.notice(`${name}: skipped ${count} bytes from frame ${frame} looking for the next OpenFlow header`),
      },
      false,
      true,
    );
    const tcp = new TcpDirection({
      data: (bytes, frame) => of.push(bytes, frame),
      gap: (missing, frame) => {
        sink.notice(`${name}: ${missing} bytes missing from the capture before frame ${frame}`);
        of.gap();
      },
      restart: () => of.end(),
    });
    dir = { tcp, of };
    dirs.set(key, dir);
    return dir;
  };

  for (const pkt of readPackets(src, head)) {
    const ip = ipOf(pkt.linkType, pkt.data);
    if (!ip) {
      if (!LINK_TYPES.has(pkt.linkType) && !warnedLinks.has(pkt.linkType)) {
        warnedLinks.add(pkt.linkType);
        sink.notice(`link type ${pkt.linkType} is not supported; its packets are skipped (first: frame ${pkt.frame})`);
      }
      continue;
    }
    const seg = tcpOf(ip);
    if (!seg) continue;
    // The ACK speaks of bytes sent before this segment: apply it first to keep output in capture order.
    if (seg.flags & TCP_ACK) dirs.get(`${seg.dst}>${seg.src}`)?.tcp.peerAcked(seg.ack);
    direction(seg.src, seg.dst).tcp.segment(seg.seq, seg.flags, seg.payload, seg.payloadLen, pkt.frame);
  }
  for (const dir of dirs.values()) {
    dir.tcp.finish();
    dir.of.end();
  }
}
