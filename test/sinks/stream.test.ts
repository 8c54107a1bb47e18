/**
 * The stream sink writing bytes from batches: through a real socket (its buffers are reused
 * once the socket is done with them, so a reuse too early would show as wrong bytes at the
 * other end), and the bound on what waits while a stream does not drain.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { PointBatch } from '../../src/metrics/point-batch.js';
import { toLine } from '../../src/sinks/line-protocol.js';
import { StreamSink } from '../../src/sinks/stream.js';

const T = 1_700_000_000_123;

function poll(round: number, rules: number): PointBatch {
  const b = new PointBatch(T + round * 30_000);
  for (let r = 0; r < rules; r++) {
    const text = `,flowid=flow-${r}-é€,round=${round},switchid=SW${r.toString(16).padStart(16, '0')}`;
    b.add('flow.raw.packets', text, 0, round * 1000 + r);
    b.add('flow.raw.bytes', text, round, r);
    b.add('flow.raw.bits', text, 0x7fff_ffff, 0xffff_ffff - r);
  }
  return b;
}

function expectedText(b: PointBatch): string {
  return b.points().map((p) => toLine(p)! + '\n').join('');
}

test('stream sink over a socket: every byte of many polls arrives as toLine makes it, buffers reused meanwhile', async () => {
  const received: Buffer[] = [];
  let peer: Socket | undefined;
  const server = createServer((s) => {
    peer = s;
    // A slow reader at first: the sink's writes queue up and wait for their callbacks.
    s.pause();
    setTimeout(() => s.resume(), 100);
    s.on('data', (d: Buffer) => received.push(d));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await new Promise<void>((r) => client.once('connect', r));
  try {
    const sink = new StreamSink({ format: 'line', stream: client, chunkBytes: 16 * 1024 });
    let want = '';
    for (let round = 0; round < 30; round++) {
      const b = poll(round, 2_000);
      want += expectedText(b);
      sink.write(b);
      if (round % 3 === 0) await new Promise((r) => setImmediate(r));
    }
    await sink.close();
    const bytes = Buffer.byteLength(want);
    client.end();
    await new Promise<void>((r) => peer!.once('end', r));
    assert.equal(sink.dropped, 0);
    assert.equal(Buffer.concat(received).length, bytes);
    assert.equal(Buffer.concat(received).toString('utf8'), want);
  } finally {
    client.destroy();
    await new Promise((r) => server.close(r));
  }
});

test('stream sink: while the stream does not drain, at most maxBufferBytes wait; the rest is dropped and counted', async () => {
  const held: (() => void)[] = [];
  const stuck = new Writable({ highWaterMark: 1, write(_c, _e, cb) { held.push(cb); } });
  const sink = new StreamSink({ format: 'line', stream: stuck, chunkBytes: 1, maxBufferBytes: 1_000 });
  const b = new PointBatch(T);
  for (let i = 0; i < 100; i++) b.add('m', ',a=b', 0, i); // 'm,a=b value=Ni 1700000000123\n': 29-30 bytes
  sink.write(b); // written at once (the stream then asks to wait for 'drain')
  assert.equal(sink.dropped, 0);
  sink.write(b);
  // Lines are kept while 1,000 bytes or fewer wait: 34 lines of 29-30 bytes, the last one past it.
  assert.equal(sink.dropped, 100 - 34);
  sink.write(b);
  assert.equal(sink.dropped, 100 - 34 + 100);
  const unwritable = new PointBatch(T);
  unwritable.add('m', '', 0x8000_0000, 0);
  assert.equal(held.length, 1);
  held.shift()!();
  await new Promise((r) => setImmediate(r));
  sink.write(unwritable);
  assert.equal(sink.dropped, 100 - 34 + 100 + 1);
});
