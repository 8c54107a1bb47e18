import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Framer } from './framer.js';
import { OfDecodeError } from './errors.js';

// Two real messages laid out by hand from the spec: an OF1.3 ECHO_REQUEST with 3 data bytes
// and a BARRIER_REQUEST, back to back.
const echo = Buffer.from('0402000b00000007616263', 'hex');
const barrier = Buffer.from('0414000800000009', 'hex');
const stream = Buffer.concat([echo, barrier]);

test('framer: whole messages from one chunk', () => {
  const out = new Framer().push(stream);
  assert.deepEqual(out.map((b) => b.toString('hex')), [echo.toString('hex'), barrier.toString('hex')]);
});

test('framer: every split point of the stream gives the same messages', () => {
  for (let cut = 0; cut <= stream.length; cut++) {
    for (let cut2 = cut; cut2 <= stream.length; cut2++) {
      const f = new Framer();
      const out = [
        ...f.push(stream.subarray(0, cut)),
        ...f.push(stream.subarray(cut, cut2)),
        ...f.push(stream.subarray(cut2)),
      ];
      assert.equal(out.length, 2, `cuts ${cut},${cut2}`);
      assert.ok(out[0]!.equals(echo));
      assert.ok(out[1]!.equals(barrier));
      assert.equal(f.buffered, 0);
    }
  }
});

test('framer: byte by byte', () => {
  const f = new Framer();
  const out: Buffer[] = [];
  for (const b of stream) out.push(...f.push(Buffer.from([b])));
  assert.equal(out.length, 2);
});

test('framer: a length below 8 is a typed error carrying type and xid', () => {
  const f = new Framer();
  assert.throws(
    () => f.push(Buffer.from('0400000500000042', 'hex')),
    (e: unknown) => e instanceof OfDecodeError && e.xid === 0x42 && e.msgType === 0 && /below the 8-byte header/.test(e.message),
  );
});

test('framer: a partial message is held, not emitted', () => {
  const f = new Framer();
  assert.deepEqual(f.push(echo.subarray(0, 9)), []);
  assert.equal(f.buffered, 9);
});

test('framer: messages completed before a bad header are returned, then the error', () => {
  const f = new Framer();
  const bad = Buffer.from('0400000500000042', 'hex');
  const out = f.push(Buffer.concat([echo, bad]));
  assert.equal(out.length, 1);
  assert.ok(out[0]!.equals(echo));
  assert.throws(() => f.end(), OfDecodeError);
});

test('framer: end() is quiet for a stream cut inside a message', () => {
  const f = new Framer();
  f.push(echo.subarray(0, 9));
  f.end();
  assert.equal(f.buffered, 9);
});
