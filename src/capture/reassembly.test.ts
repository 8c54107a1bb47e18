/**
 * Edge cases real captures rarely show: sequence numbers wrapping past 2^32, a length below 8
 * mid-stream, a gap inside a message. Inputs are built from the OpenFlow header layout
 * (version, type, length, xid: spec §7.1).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OfStream } from './of-stream.js';
import { TcpDirection } from './tcp-direction.js';

const hdr = (type: number, len: number, xid: number) => {
  const b = Buffer.alloc(len);
  b[0] = 4;
  b[1] = type;
  b.writeUInt16BE(len, 2);
  b.writeUInt32BE(xid, 4);
  return b;
};

function collect() {
  const events: string[] = [];
  const of = new OfStream(
    {
      message: (b, f) => events.push(`msg xid=${b.readUInt32BE(4)} frame=${f}`),
      badLength: (b, f) => events.push(`bad len=${b.readUInt16BE(2)} frame=${f}`),
      truncated: (b, f, c) => events.push(`cut ${b.length} frame=${f} ${c}`),
      skipped: (n, f) => events.push(`skip ${n} frame=${f}`),
    },
    false,
    true,
  );
  const tcp = new TcpDirection({ data: (b, f) => of.push(b, f), gap: (n, f) => { events.push(`gap ${n} frame=${f}`); of.gap(); }, restart: () => of.end() });
  return { events, of, tcp };
}

test('sequence numbers wrapping past 2^32, segments out of order and repeated', () => {
  const { events, tcp, of } = collect();
  const a = hdr(2, 16, 1);
  const b = hdr(3, 24, 2);
  const stream = Buffer.concat([a, b]);
  const isn = 0xffffffff - 10; // the data crosses 2^32 after 10 bytes
  tcp.segment(isn, 0x02, Buffer.alloc(0), 0, 1); // SYN
  const s = (from: number, to: number, frame: number) => tcp.segment((isn + 1 + from) >>> 0, 0x10, stream.subarray(from, to), to - from, frame);
  s(20, 40, 2); // ahead of a hole
  s(0, 12, 3);
  s(0, 12, 4); // retransmission
  s(8, 24, 5); // overlaps both sides of the hole
  tcp.finish();
  of.end();
  assert.deepEqual(events, ['msg xid=1 frame=3', 'msg xid=2 frame=5']);
});

test('a length below 8 in sync: reported, then the next OpenFlow header is found again', () => {
  const { events, of } = collect();
  const bad = Buffer.from('0402000300000009', 'hex');
  of.push(hdr(2, 8, 1), 6); // a segment of its own: in sync from here
  of.push(Buffer.concat([bad, hdr(2, 8, 3), hdr(3, 8, 4)]), 7);
  of.end();
  assert.deepEqual(events, ['msg xid=1 frame=6', 'bad len=3 frame=7', 'skip 7 frame=7', 'msg xid=3 frame=7', 'msg xid=4 frame=7']);
});

test('a gap inside a message drops that message and resyncs at the next segment', () => {
  const { events, tcp, of } = collect();
  const big = hdr(19, 100, 1);
  tcp.segment(1000, 0x02, Buffer.alloc(0), 0, 1);
  tcp.segment(1001, 0x10, Buffer.concat([hdr(2, 8, 0), big.subarray(0, 40)]), 48, 2);
  tcp.segment(1109, 0x10, hdr(21, 8, 2), 8, 4); // bytes 40..100 of the big one never captured
  tcp.peerAcked(1117); // the receiver had them: the capture lost them
  tcp.finish();
  of.end();
  assert.deepEqual(events, ['msg xid=0 frame=2', 'gap 60 frame=4', 'cut 40 frame=2 gap', 'msg xid=2 frame=4']);
});
