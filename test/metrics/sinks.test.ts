import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeMeasurement, escapeTag, toJsonLine, toLine } from '../../src/sinks/line-protocol.js';
import { StreamSink } from '../../src/sinks/stream.js';
import { FanoutSink } from '../../src/sinks/fanout.js';
import { writePoints } from '../../src/sinks/write-points.js';
import type { Point } from '../../src/metrics/types.js';

const P = (over: Partial<Point> = {}): Point => ({
  metric: 'switch.rx-bytes', tags: { switchid: 'SW0000000000000001', port: '1' }, value: 42n, timestamp: 1_700_000_000_123, ...over,
});

// Escaping rules of InfluxDB's line protocol reference: measurement escapes comma and space;
// tag keys and values escape comma, equals sign and space; integer fields end in `i`.
test('line protocol: one line, sorted tags, integer field, ms timestamp', () => {
  assert.equal(toLine(P()), 'switch.rx-bytes,port=1,switchid=SW0000000000000001 value=42i 1700000000123');
});

test('line protocol escaping', () => {
  assert.equal(escapeMeasurement('a b,c=d'), 'a\\ b\\,c=d');
  assert.equal(escapeTag('a b,c=d'), 'a\\ b\\,c\\=d');
  assert.equal(
    toLine(P({ metric: 'my metric,x', tags: { 'k ey': 'v=1,2 3' } })),
    'my\\ metric\\,x,k\\ ey=v\\=1\\,2\\ 3 value=42i 1700000000123',
  );
  // A newline would end the line: it cannot be carried, so it becomes a (escaped) space.
  assert.equal(toLine(P({ tags: { name: 'a\nb' } })), 'switch.rx-bytes,name=a\\ b value=42i 1700000000123');
});

test('line protocol: empty tag values are left out; values beyond int64 are not written', () => {
  assert.equal(toLine(P({ tags: { a: '', b: 'x' } })), 'switch.rx-bytes,b=x value=42i 1700000000123');
  assert.equal(toLine(P({ value: (1n << 63n) - 1n })), 'switch.rx-bytes,port=1,switchid=SW0000000000000001 value=9223372036854775807i 1700000000123');
  assert.equal(toLine(P({ value: 1n << 63n })), undefined);
});

test('json lines keep 64-bit values exact as decimal strings', () => {
  const o = JSON.parse(toJsonLine(P({ value: 0xffff_ffff_ffff_fff0n })));
  assert.deepEqual(o, { metric: 'switch.rx-bytes', tags: { switchid: 'SW0000000000000001', port: '1' }, value: '18446744073709551600', timestamp: 1700000000123 });
});

function collector(): Writable & { text: () => string; writes: number } {
  const chunks: string[] = [];
  const w = new Writable({ write(c, _e, cb) { chunks.push(String(c)); cb(); } }) as Writable & { text: () => string; writes: number };
  w.text = () => chunks.join('');
  Object.defineProperty(w, 'writes', { get: () => chunks.length });
  return w;
}

test('stream sink buffers and writes in chunks; flush writes the rest', async () => {
  const out = collector();
  const s = new StreamSink({ format: 'line', stream: out, chunkBytes: 1 << 20 });
  writePoints(s, [P(), P({ value: 43n })]);
  assert.equal(out.writes, 0);
  await s.flush();
  assert.equal(out.text(), 'switch.rx-bytes,port=1,switchid=SW0000000000000001 value=42i 1700000000123\nswitch.rx-bytes,port=1,switchid=SW0000000000000001 value=43i 1700000000123\n');
  await s.close();
});

test('stream sink: a partial chunk is written after the linger time without any flush', async () => {
  const out = collector();
  const s = new StreamSink({ format: 'line', stream: out, chunkBytes: 1 << 20, lingerMs: 20 });
  writePoints(s, [P()]);
  writePoints(s, [P({ value: 43n })]);
  assert.equal(out.writes, 0, 'nothing yet: the two batches wait to share one write');
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(out.writes, 1);
  assert.match(out.text(), /value=42i[^\n]*\n[^\n]*value=43i/);
  await s.close();
});

test('stream sink survives EPIPE: later writes are dropped and counted, nothing throws', async () => {
  const w = new Writable({ write(_c, _e, cb) { cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })); } });
  const errors: Error[] = [];
  const s = new StreamSink({ format: 'json', stream: w, chunkBytes: 1, onError: (e) => errors.push(e) });
  writePoints(s, [P()]);
  await new Promise((r) => setImmediate(r));
  writePoints(s, [P(), P()]);
  await s.flush();
  await s.close();
  assert.equal(s.dropped, 2);
  assert.deepEqual(errors, []);
});

test('stream sink into a real pipe closed early (| head -n 1): the writer exits cleanly', () => {
  const sinkModule = fileURLToPath(new URL('../../src/sinks/stream.js', import.meta.url));
  const batchModule = fileURLToPath(new URL('../../src/metrics/point-batch.js', import.meta.url));
  const script = `
    import { StreamSink } from ${JSON.stringify(sinkModule)};
    import { PointBatch } from ${JSON.stringify(batchModule)};
    const s = new StreamSink({ format: 'line', chunkBytes: 4096 });
    const b = new PointBatch(1);
    for (let i = 0; i < 100; i++) b.add('m', ',a=b', 0, 1);
    for (let i = 0; i < 2000; i++) { s.write(b); await new Promise((r) => setImmediate(r)); }
    await s.close();
    process.stderr.write('done dropped>0=' + (s.dropped > 0) + '\\n');
  `;
  const dir = mkdtempSync(join(tmpdir(), 'ofstats-sink-'));
  const file = join(dir, 'writer.mjs');
  writeFileSync(file, script);
  const r = spawnSync('bash', ['-c', `node ${file} | head -n 1`], { encoding: 'utf8', timeout: 20_000 });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'm,a=b value=1i 1\n');
  assert.match(r.stderr, /done dropped>0=true/);
  assert.doesNotMatch(r.stderr, /Error|EPIPE/);
});

test('fanout: every sink gets every point; a failing sink does not stop the others', async () => {
  const a = collector();
  const b = collector();
  const errs: string[] = [];
  const bad = { name: 'bad', write() { throw new Error('boom'); }, flush: async () => { throw new Error('boom'); }, close: async () => {} };
  const f = new FanoutSink([new StreamSink({ format: 'line', stream: a }), bad, new StreamSink({ format: 'json', stream: b })], (n) => errs.push(n));
  writePoints(f, [P()]);
  await f.flush();
  await f.close();
  assert.equal(a.text().trim().split('\n').length, 1);
  assert.equal(JSON.parse(b.text()).value, '42');
  assert.deepEqual(errs, ['bad', 'bad']);
});

test('points carry their line-protocol tag text, and a line made from it equals one made from the tags alone', async () => {
  const { batchToPoints } = await import('../../src/metrics/index.js');
  const { batch, flow, meter } = await import('./fixtures.js');
  const pts = [
    ...batchToPoints({ ...batch('FLOW', [flow(0x4000000000000001n), flow(0x8000000000000002n), flow(0n, { table_id: 3 })]), switchId: 'SW 00,AB=1' }, { prefix: 'kilda' }),
    ...batchToPoints(batch('METER', [meter(5, [[1n, 2n]])]), { prefix: '' }),
  ];
  assert.ok(pts.length > 0);
  for (const p of pts) {
    assert.equal(typeof p.tagText, 'string');
    const fromTags: Point = { metric: p.metric, tags: p.tags, value: p.value, timestamp: p.timestamp };
    assert.equal(toLine(p), toLine(fromTags));
  }
  assert.ok(toLine(pts[0]!)!.includes(',switchid=SW\\ 00\\,AB\\=1'));
});
