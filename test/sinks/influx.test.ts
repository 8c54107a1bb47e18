/**
 * The InfluxDB sink against a real influxd (Debian's influxdb 1.6) started here, and against a
 * fake HTTP server that never answers. What the server stored is read back as CSV, so 64-bit
 * values are compared as the server's own decimal text.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { influxSettings } from '../../src/config/influx.js';
import { InfluxSink } from '../../src/sinks/influx.js';
import { writePoints } from '../../src/sinks/write-points.js';
import type { Point } from '../../src/metrics/types.js';
import { selfPoints } from '../../src/self/metrics.js';
import { startInflux, type InfluxPeer } from '../peers/influxdb.js';
import { freePort } from '../support/net.js';
import { waitFor } from '../support/wait.js';
import { captureLog, pt, sinkOptions, T0 } from './helpers.js';

let influx: InfluxPeer;
before(async () => {
  influx = await startInflux();
});
after(async () => {
  await influx?.cleanup();
});

async function count(db: string, measurement: string): Promise<number> {
  const rows = await influx.query(`SELECT count("value") FROM "${measurement}"`, db);
  return rows.length ? Number(rows[0]!.count) : 0;
}

test('points arrive exactly: measurement, tags, integer value (2^53+1, 2^63-1), ms timestamp', async () => {
  await influx.exec('CREATE DATABASE exactdb');
  const { log, lines } = captureLog();
  const sink = new InfluxSink(sinkOptions(influx.url, 'exactdb', { log }));
  const big = 9_007_199_254_740_993n; // 2^53 + 1: the first integer a double cannot hold
  const max = 9_223_372_036_854_775_807n; // 2^63 - 1: InfluxDB's largest integer
  writePoints(sink, [
    pt('switch.rx-bytes', 42n, T0, { switchid: 'SW0000000000000001', port: '1' }),
    pt('flow.raw.bits', big, T0 + 1, { flowid: 'flow one,two=3', direction: 'forward' }),
    pt('flow.raw.bits', max, T0 + 2, { flowid: 'f2', direction: 'reverse' }),
    pt('flow.raw.bits', 0n, T0 + 3, { flowid: 'f3', direction: 'forward' }),
    // Above int64 (an unsigned counter near 2^64): line protocol cannot carry it.
    pt('flow.raw.bits', 18_446_744_073_709_551_614n, T0 + 4, { flowid: 'f4', direction: 'forward' }),
  ]);
  await sink.flush();
  assert.equal(sink.stats.unwritable, 1);
  assert.equal(sink.stats.written, 4);

  assert.deepEqual(await influx.query('SELECT * FROM "switch.rx-bytes"', 'exactdb'), [
    { name: 'switch.rx-bytes', tags: '', time: String(T0), port: '1', switchid: 'SW0000000000000001', value: '42' },
  ]);
  assert.deepEqual(await influx.query('SELECT * FROM "flow.raw.bits"', 'exactdb'), [
    { name: 'flow.raw.bits', tags: '', time: String(T0 + 1), direction: 'forward', flowid: 'flow one,two=3', value: big.toString() },
    { name: 'flow.raw.bits', tags: '', time: String(T0 + 2), direction: 'reverse', flowid: 'f2', value: max.toString() },
    { name: 'flow.raw.bits', tags: '', time: String(T0 + 3), direction: 'forward', flowid: 'f3', value: '0' },
  ]);
  const types = await influx.query('SHOW FIELD KEYS', 'exactdb');
  assert.deepEqual(types.map((r) => [r.name, r.fieldKey, r.fieldType]), [
    ['flow.raw.bits', 'value', 'integer'],
    ['switch.rx-bytes', 'value', 'integer'],
  ]);
  await sink.close();
  assert.equal(lines.filter((l) => l.level === 'error').length, 0);
});

test('precision s: the server stores whole seconds', async () => {
  const sink = new InfluxSink(sinkOptions(influx.url, 'secs', { precision: 's', createDatabase: true }));
  writePoints(sink, [pt('m', 7n, T0 + 5_999)]);
  await sink.close();
  assert.deepEqual((await influx.query('SELECT * FROM m', 'secs')).map((r) => [r.time, r.value]), [['1700000006000', '7']]);
});

test('4xx: writing to a missing database without createDatabase is logged with the server message, sent once, not retried', async () => {
  const { log, lines } = captureLog();
  const sink = new InfluxSink(sinkOptions(influx.url, 'missing', { log, batchSize: 5, backoffMinMs: 10, backoffMaxMs: 20 }));
  const before = await influx.httpStats();
  for (let i = 0; i < 12; i++) writePoints(sink, [pt('m', BigInt(i), T0 + i)]);
  await sink.flush();
  await sleep(300); // many backoff periods: a retry loop would show here
  const afterStats = await influx.httpStats();
  // 12 points in batches of 5: three requests, each refused once (the queries above are not writes).
  assert.equal(afterStats.writeReq! - before.writeReq!, 3);
  assert.equal(sink.stats.refused, 12);
  assert.equal(sink.stats.written, 0);
  assert.equal(sink.buffered, 0);
  const errors = lines.filter((l) => l.level === 'error');
  // The same refusal three times in a row is logged once (the others are counted).
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.obj.status, 404);
  assert.match(String(errors[0]!.obj.err), /database not found: "missing"/);
  await sink.close();
});

test('createDatabase: the database is created before the first write, and once more if dropped meanwhile', async () => {
  const { log, lines } = captureLog();
  const sink = new InfluxSink(sinkOptions(influx.url, 'created', { log, createDatabase: true }));
  writePoints(sink, [pt('m', 1n, T0), pt('m', 2n, T0 + 1)]);
  await sink.flush();
  assert.equal(await count('created', 'm'), 2);
  await influx.exec('DROP DATABASE created');
  writePoints(sink, [pt('m', 3n, T0 + 2)]);
  await sink.flush();
  assert.deepEqual((await influx.query('SELECT * FROM m', 'created')).map((r) => r.value), ['3']);
  assert.ok(lines.some((l) => l.level === 'warn' && /database not found: creating it/.test(l.msg)));
  await sink.close();
  assert.equal(sink.dropped, 0);
});

test('4xx: bad credentials with auth enabled are logged (401) and not retried; good ones from the URL write', async () => {
  const secure = await startInflux({ auth: true });
  try {
    await secure.exec('CREATE DATABASE locked');
    const { log, lines } = captureLog();
    const bad = influxSettings(undefined, `http://admin:wrong@127.0.0.1:${secure.port}/locked`)!;
    const sink = new InfluxSink({ ...bad, log, backoffMinMs: 10, backoffMaxMs: 20, flushIntervalMs: 50 });
    const before = await secure.httpStats();
    writePoints(sink, [pt('m', 1n, T0)]);
    await sink.flush();
    await sleep(300);
    const afterStats = await secure.httpStats();
    assert.equal(afterStats.authFail! - before.authFail!, 1);
    assert.equal(sink.stats.refused, 1);
    const err = lines.find((l) => l.level === 'error')!;
    assert.equal(err.obj.status, 401);
    assert.match(String(err.obj.err), /authorization failed/);
    await sink.close();

    const good = new InfluxSink({ ...influxSettings(undefined, `http://admin:admin-pw@127.0.0.1:${secure.port}/locked`)!, flushIntervalMs: 50 });
    writePoints(good, [pt('m', 5n, T0)]);
    await good.close();
    assert.deepEqual((await secure.query('SELECT * FROM m', 'locked')).map((r) => r.value), ['5']);
  } finally {
    await secure.cleanup();
  }
});

test('buffer full: the oldest waiting points are dropped and counted, the batch in flight is kept, the rest arrives', async () => {
  // A server that is not there yet: its port is known, it starts later.
  const late = await startInflux({ deferStart: true });
  try {
    const { log, lines } = captureLog();
    const sink = new InfluxSink(sinkOptions(late.url, 'late', {
      log, createDatabase: true, bufferSize: 10, batchSize: 4, backoffMinMs: 20, backoffMaxMs: 100, flushIntervalMs: 50,
    }));
    for (let i = 0; i < 30; i++) {
      writePoints(sink, [pt('m', BigInt(i), T0 + i)]);
      assert.ok(sink.buffered <= 10);
    }
    // Points 0..3 became the first batch (sending failed: connection refused), 4..29 then
    // pushed one another out of the 6 other places: 24..29 are left.
    assert.equal(sink.stats.overflowed, 20);
    assert.equal(sink.dropped, 20);
    assert.ok(lines.some((l) => l.level === 'warn' && /buffer full/.test(l.msg)));
    const self = selfPoints({
      switchesConnected: 0, pollsOk: 0, pollsFailed: 0, pollsSkipped: 0, pollsSlowed: 0, pollsUnsupported: 0, pollDurationMsSum: 0,
      pollDurationMsMax: 0, decodeErrors: 0, requestsInFlight: 0, requestsWaiting: 0, pointsDropped: sink.dropped, counterResets: 0,
      sinksDropped: { [sink.name]: sink.dropped },
    }, { prefix: '' }, T0);
    assert.deepEqual(self.filter((p) => p.metric === 'ofstats.sink.dropped').map((p) => [p.tags, p.value]), [[{ sink: 'influx' }, 20n]]);

    await waitFor('a failed send to the server not yet there', () => sink.stats.failedRequests >= 1);
    await late.start();
    await sink.flush();
    const values = (await late.query('SELECT * FROM m', 'late')).map((r) => Number(r.value));
    assert.deepEqual(values, [0, 1, 2, 3, 24, 25, 26, 27, 28, 29]);
    assert.ok(lines.some((l) => l.level === 'info' && /reachable again/.test(l.msg)));
    await sink.close();
    assert.equal(sink.dropped, 20);
  } finally {
    await late.cleanup();
  }
});

test('one write bigger than the buffer: only its newest points stay, the others count as overflowed, unwritable ones apart', async () => {
  const late = await startInflux({ deferStart: true });
  try {
    const sink = new InfluxSink(sinkOptions(late.url, 'big', { createDatabase: true, bufferSize: 10, batchSize: 4, backoffMinMs: 20, backoffMaxMs: 100, flushIntervalMs: 50 }));
    // 0..3 become the batch in flight (refused connection: kept), then one poll of 30 points
    // with two a line cannot carry, one of them among the newest.
    writePoints(sink, [0, 1, 2, 3].map((i) => pt('m', BigInt(i), T0, { i: String(i) })));
    const poll: Point[] = [];
    for (let i = 4; i < 34; i++) {
      poll.push(pt('m', BigInt(i), T0 + 1, { i: String(i) }));
      if (i === 10 || i === 31) poll.push(pt('m', 1n << 63n, T0 + 1, { i: `big${i}` }));
    }
    writePoints(sink, poll);
    assert.equal(sink.buffered, 10);
    assert.equal(sink.stats.unwritable, 2);
    assert.equal(sink.stats.overflowed, 24);
    await waitFor('a failed send to the server not yet there', () => sink.stats.failedRequests >= 1);
    await late.start();
    await sink.close();
    const values = (await late.query('SELECT * FROM m', 'big')).map((r) => Number(r.value)).sort((a, b) => a - b);
    assert.deepEqual(values, [0, 1, 2, 3, 28, 29, 30, 31, 32, 33]);
    assert.equal(sink.stats.written, 10);
    assert.equal(sink.dropped, 26);
  } finally {
    await late.cleanup();
  }
});

test('precision u and n: the server stores the same ms timestamp, exactly', async () => {
  for (const precision of ['u', 'n'] as const) {
    const sink = new InfluxSink(sinkOptions(influx.url, `prec_${precision}`, { precision, createDatabase: true }));
    writePoints(sink, [pt('m', 9_007_199_254_740_993n, T0, { a: 'é x' })]);
    await sink.close();
    assert.deepEqual((await influx.query('SELECT * FROM m', `prec_${precision}`)).map((r) => [r.time, r.a, r.value]), [[String(T0), 'é x', '9007199254740993']]);
  }
});

test('fake server that never answers: write() never blocks, memory stays bounded, one request at a time, close() gives up in time', async () => {
  let requests = 0;
  let open = 0;
  let maxOpen = 0;
  const held: IncomingMessage[] = [];
  const fake = createServer((req) => {
    requests++;
    open++;
    maxOpen = Math.max(maxOpen, open);
    held.push(req);
    req.resume();
    req.socket.once('close', () => { open--; });
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  const port = (fake.address() as AddressInfo).port;
  try {
    const { log, lines } = captureLog();
    const sink = new InfluxSink(sinkOptions(`http://127.0.0.1:${port}`, 'db', {
      log, bufferSize: 1_000, batchSize: 100, requestTimeoutMs: 150, backoffMinMs: 20, backoffMaxMs: 60, closeTimeoutMs: 300, flushIntervalMs: 20,
    }));
    let slowest = 0;
    let maxBuffered = 0;
    const heap0 = process.memoryUsage().heapUsed;
    for (let round = 0; round < 60; round++) {
      const batch = Array.from({ length: 1_000 }, (_, i) => pt('switch.rx-bytes', BigInt(round * 1_000 + i), T0 + round * 1_000 + i, { port: String(i) }));
      const t = performance.now();
      writePoints(sink, batch);
      slowest = Math.max(slowest, performance.now() - t);
      maxBuffered = Math.max(maxBuffered, sink.buffered);
      await sleep(20);
    }
    const heapGrowth = process.memoryUsage().heapUsed - heap0;
    assert.ok(slowest < 100, `write() took ${slowest} ms`);
    assert.ok(maxBuffered <= 1_000);
    assert.equal(sink.stats.overflowed, 60_000 - sink.buffered);
    assert.ok(heapGrowth < 64 * 1024 * 1024, `heap grew ${heapGrowth} bytes`);
    assert.ok(requests >= 3, `only ${requests} requests: timeouts are not retried`);
    assert.equal(maxOpen, 1);
    assert.ok(lines.some((l) => l.level === 'warn' && /no answer within 150 ms/.test(String(l.obj.err))));

    const buffered = sink.buffered;
    const t = Date.now();
    await sink.close();
    const took = Date.now() - t;
    assert.ok(took < 1_000, `close() took ${took} ms`);
    assert.equal(sink.stats.lost, buffered);
    assert.equal(sink.stats.written, 0);
    assert.equal(sink.dropped, 60_000);
    const gaveUp = lines.find((l) => l.level === 'error' && /gave up/.test(l.msg))!;
    assert.equal(gaveUp.obj.lost, buffered);
  } finally {
    fake.closeAllConnections();
    await new Promise((r) => fake.close(r));
  }
});

test('close() flushes what the flush interval has not sent yet; later writes are counted lost', async () => {
  const sink = new InfluxSink(sinkOptions(influx.url, 'closing', { createDatabase: true, flushIntervalMs: 60_000, batchSize: 1_000 }));
  for (let i = 0; i < 10; i++) writePoints(sink, [pt('m', BigInt(i), T0 + i)]);
  await sleep(100);
  assert.equal(sink.buffered, 10); // nothing sent: neither a full batch nor the interval yet
  await sink.close();
  assert.equal(await count('closing', 'm'), 10);
  writePoints(sink, [pt('m', 99n, T0 + 99)]);
  assert.equal(sink.stats.lost, 1);
});

test('connection refused with nobody ever listening: points wait, close() reports them lost', async () => {
  const port = await freePort();
  const { log, lines } = captureLog();
  const sink = new InfluxSink(sinkOptions(`http://127.0.0.1:${port}`, 'db', { log, closeTimeoutMs: 200, backoffMinMs: 20, backoffMaxMs: 50 }));
  writePoints(sink, [pt('m', 1n, T0), pt('m', 2n, T0 + 1)]);
  await waitFor('the refused connection logged', () => lines.some((l) => l.level === 'warn'));
  assert.equal(sink.buffered, 2);
  assert.match(String(lines.find((l) => l.level === 'warn')?.obj.err), /ECONNREFUSED/);
  await sink.close();
  assert.equal(sink.stats.lost, 2);
});
