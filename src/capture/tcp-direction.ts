import { TCP_SYN } from './tcp-segment.js';

/** What one direction of a TCP connection hands on: in-order bytes and the holes it gave up on. */
export interface ByteSink {
  data(bytes: Buffer, frame: number): void;
  /** `missing` bytes will never come; `frame` holds the first byte after the hole. */
  gap(missing: number, frame: number): void;
  /** A new connection (SYN) reuses this address pair: whatever was pending belongs to the old one. */
  restart(frame: number): void;
}

interface Held {
  seq: number;
  data: Buffer;
  frame: number;
  /** Bytes the frame lost to the snap length after `data`. */
  cut: number;
}

/** Out-of-order bytes held waiting for a hole to fill, before the hole is declared lost. */
const MAX_HELD_BYTES = 8 << 20;

/** Signed distance a - b in 32-bit sequence space (RFC 1982 style, valid within 2 GiB). */
const seqDiff = (a: number, b: number): number => (a - b) | 0;

/**
 * Reassembles one direction of a TCP connection by sequence number: retransmitted and
 * overlapping bytes are delivered once, out-of-order segments wait for the hole before them.
 * A hole is given up (reported as a gap) when the receiver's ACK shows it had those bytes
 * (the capture missed them), when too much data waits behind it, or at the end of the file.
 */
export class TcpDirection {
  private next: number | undefined;
  private held: Held[] = [];
  private heldBytes = 0;
  /** Highest sequence number the other side acknowledged beyond `next` while nothing was held. */
  private ackedAhead: number | undefined;
  /** Sequence number of this connection's SYN: a repeated SYN is a duplicate, another one a new connection. */
  private syn: number | undefined;

  constructor(private readonly sink: ByteSink) {}

  segment(seq: number, flags: number, payload: Buffer, payloadLen: number, frame: number): void {
    if (flags & TCP_SYN) {
      if (seq !== this.syn) {
        if (this.next !== undefined) {
          this.finish();
          this.sink.restart(frame);
          this.ackedAhead = undefined;
        }
        this.syn = seq;
        this.next = (seq + 1) >>> 0;
      }
      seq = (seq + 1) >>> 0; // a SYN's payload (TCP Fast Open) starts after the SYN's own sequence number
    }
    if (payloadLen === 0) return;
    // A capture starting mid-connection anchors the stream at the first data it sees.
    if (this.next === undefined) this.next = seq;
    const seg: Held = { seq, data: payload, frame, cut: payloadLen - payload.length };
    const d = seqDiff(seq, this.next);
    if (d > 0) {
      if (this.ackedAhead !== undefined && seqDiff(this.ackedAhead, seq) >= 0) {
        // The receiver acknowledged bytes up to here: what lies before was lost by the capture.
        this.sink.gap(d, frame);
        this.next = seq;
        this.ackedAhead = undefined;
        this.deliver(seg);
        this.drain();
        return;
      }
      this.hold({ ...seg, data: Buffer.from(payload) });
      if (this.heldBytes > MAX_HELD_BYTES) this.skipHole();
      return;
    }
    this.deliver(seg);
    this.drain();
  }

  /** The other direction acknowledged `ack`: bytes before it reached the receiver. */
  peerAcked(ack: number): void {
    if (this.next === undefined || seqDiff(ack, this.next) <= 0) return;
    if (this.held.length === 0) {
      this.ackedAhead = ack;
      return;
    }
    while (this.held.length > 0 && seqDiff(ack, this.next) > 0) this.skipHole();
    if (this.held.length === 0 && seqDiff(ack, this.next!) > 0) this.ackedAhead = ack;
  }

  /** End of the capture: every hole left is a gap. */
  finish(): void {
    while (this.held.length > 0) this.skipHole();
  }

  private hold(seg: Held): void {
    this.held.push(seg);
    this.heldBytes += seg.data.length;
    const next = this.next!;
    this.held.sort((a, b) => seqDiff(a.seq, next) - seqDiff(b.seq, next));
  }

  /** Deliver a segment starting at or before `next`, trimming what was delivered already. */
  private deliver(seg: Held): void {
    const next = this.next!;
    const d = seqDiff(seg.seq, next);
    const wireLen = seg.data.length + seg.cut;
    if (d + wireLen <= 0) return; // a pure retransmission
    const skip = -d;
    if (skip < seg.data.length) this.sink.data(seg.data.subarray(skip), seg.frame);
    this.next = (seg.seq + wireLen) >>> 0;
    const lost = Math.min(seg.cut, wireLen - skip);
    if (lost > 0) this.sink.gap(lost, seg.frame);
    if (this.ackedAhead !== undefined && seqDiff(this.ackedAhead, this.next) <= 0) this.ackedAhead = undefined;
  }

  private drain(): void {
    while (this.held.length > 0 && seqDiff(this.held[0]!.seq, this.next!) <= 0) {
      const seg = this.held.shift()!;
      this.heldBytes -= seg.data.length;
      this.deliver(seg);
    }
  }

  /** Give up the hole before the first held segment. */
  private skipHole(): void {
    const first = this.held[0]!;
    this.sink.gap(seqDiff(first.seq, this.next!), first.frame);
    this.next = first.seq;
    this.drain();
  }
}
