/**
 * When each packet of a pcap/pcapng file was captured, keyed by the file position where its
 * record ends: that is where a ByteSource given to readPackets (and so decodeCapture) stands
 * while the packet is being processed, so a message completed by a packet is dated by
 * `timeAt(source.position)` inside the capture sink's callback.
 */
import type { ByteSource } from './byte-source.js';
import { readPackets, sniffFormat } from './capture-file.js';
import { CaptureError } from './errors.js';

export interface FrameTimes {
  /** ms since the epoch (floored, as Date.now() is) of the packet whose record ends at `position`; undefined if none does or it has no time. */
  timeAt(position: number): number | undefined;
  /** Packets with no timestamp of their own (pcapng simple packet blocks). */
  readonly untimed: number;
}

/**
 * Reads every packet record of the file; the source is consumed. Throws CaptureError for a
 * file that is not a capture; a damaged one keeps the times read before the damage (the
 * second, decoding pass reports the damage itself).
 */
export function readFrameTimes(src: ByteSource): FrameTimes {
  const times = new Map<number, number>();
  let untimed = 0;
  const head = src.take(4);
  if (sniffFormat(head) === undefined) throw new CaptureError('not a pcap or pcapng file');
  try {
    for (const p of readPackets(src, head)) {
      if (p.timeMs === undefined) untimed++;
      else times.set(src.position, p.timeMs);
    }
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
  }
  return { timeAt: (p) => times.get(p), untimed };
}
