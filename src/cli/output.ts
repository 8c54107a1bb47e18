import { writeSync } from 'node:fs';

/** Thrown when the reader of stdout went away (`ofstats decode big.pcap | head`). */
export class OutputClosed extends Error {
  override readonly name = 'OutputClosed';
}

const FLUSH_AT = 64 * 1024;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Line output to a file descriptor, buffered into large writes. Writes are synchronous
 * (fs.writeSync) so a long decode loop learns at once that a pipe was closed (EPIPE) instead
 * of queueing gigabytes behind an error it would only see after the loop.
 */
export class LineWriter {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly fd: number) {}

  line(text: string): void {
    this.parts.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.size === 0) return;
    const data = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.size = 0;
    let off = 0;
    while (off < data.length) {
      try {
        off += writeSync(this.fd, data, off, data.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          // A non-blocking pipe that is full: wait briefly for the reader.
          Atomics.wait(sleeper, 0, 0, 5);
          continue;
        }
        if (code === 'EPIPE') throw new OutputClosed('output closed');
        throw e;
      }
    }
  }
}
