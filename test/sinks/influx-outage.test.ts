/**
 * A real influxd stopped for 30 s while points keep coming, then started again on the same
 * data dir and port: every point taken meanwhile arrives, and none is sent twice. InfluxDB
 * keeps one point per series and timestamp, so a duplicate would not show in a count; the
 * server's own counter of points accepted over HTTP (httpd pointsWrittenOK) shows it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { InfluxSink } from '../../src/sinks/influx.js';
import { writePoints } from '../../src/sinks/write-points.js';
import { startInflux } from '../peers/influxdb.js';
import { captureLog, pt, sinkOptions, T0 } from './helpers.js';

const OUTAGE_MS = 30_000;
const TICK_MS = 50;
const PER_TICK = 3;

test('InfluxDB down for 30 s mid-run: every point taken meanwhile arrives, none twice', { timeout: 90_000 }, async () => {
  const influx = await startInflux();
  try {
    await influx.exec('CREATE DATABASE outage');
    const { log, lines } = captureLog();
    const sink = new InfluxSink(sinkOptions(influx.url, 'outage', {
      log, batchSize: 50, flushIntervalMs: 100, bufferSize: 100_000, backoffMinMs: 100, backoffMaxMs: 2_000, requestTimeoutMs: 2_000,
    }));
    const expected: string[] = [];
    let n = 0;
    let paused = false;
    const generator = setInterval(() => {
      if (paused) return;
      const pts = [];
      // Unique timestamps (T0 + running count), so every point is its own row.
      for (let i = 0; i < PER_TICK; i++, n++) {
        pts.push(pt('switch.rx-bytes', BigInt(n), T0 + n, { port: String(i + 1) }));
        expected.push(String(T0 + n));
      }
      writePoints(sink, pts);
    }, TICK_MS);

    await sleep(2_000);
    // Settle before the stop so the server's counter covers exactly what was sent to it.
    paused = true;
    await sink.flush();
    const beforeStop = await influx.httpStats();
    const sentBefore = n;
    await influx.stop();
    paused = false;

    await sleep(OUTAGE_MS);
    const takenDuringOutage = n - sentBefore;
    assert.ok(takenDuringOutage > 1_000, `only ${takenDuringOutage} points during the outage`);
    assert.ok(sink.buffered > 0);
    assert.ok(sink.stats.failedRequests >= 5, `${sink.stats.failedRequests} failed attempts in 30 s`);
    assert.ok(sink.stats.failedRequests < 60, `${sink.stats.failedRequests} attempts in 30 s: backoff does not grow`);
    await influx.start();

    await sleep(2_000);
    clearInterval(generator);
    await sink.close();
    const afterRestart = await influx.httpStats();

    assert.equal(sink.dropped, 0);
    assert.equal(sink.stats.written, n);
    // Each point accepted exactly once over both server lifetimes.
    assert.equal(beforeStop.pointsWrittenOK! + afterRestart.pointsWrittenOK!, n);
    const rows = await influx.query('SELECT * FROM "switch.rx-bytes"', 'outage');
    assert.equal(rows.length, n);
    assert.deepEqual(rows.map((r) => r.time), expected);
    assert.deepEqual(rows.map((r) => r.value), expected.map((_, i) => String(i)));
    assert.ok(lines.some((l) => l.level === 'warn' && /ECONNREFUSED/.test(String(l.obj.err))));
    assert.ok(lines.some((l) => l.level === 'info' && /reachable again/.test(l.msg)));
  } finally {
    await influx.cleanup();
  }
});
