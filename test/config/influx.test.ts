import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSettings, ConfigError, parseConfig } from '../../src/config/index.js';
import { selfPoints } from '../../src/self/metrics.js';
import { influxSettings, parseInfluxUrl } from '../../src/config/influx.js';
import { influxLine } from '../../src/sinks/influx.js';
import { pt, T0 } from '../sinks/helpers.js';

test('--influx URL: credentials, port and database, percent-escapes decoded', () => {
  assert.deepEqual(parseInfluxUrl('http://us%40er:p%3Ass@db.example:8087/my%20db', 'x'), {
    protocol: 'http', host: 'db.example', port: 8087, database: 'my db', username: 'us@er', password: 'p:ss',
  });
  const s = influxSettings(undefined, 'https://influx.example/stats')!;
  assert.equal(s.url, 'https://influx.example:8086');
  assert.equal(s.database, 'stats');
  assert.equal(s.username, undefined);
  assert.equal(s.precision, 'ms');
  assert.equal(s.createDatabase, false);
  assert.equal(influxSettings(undefined, 'http://[::1]:9000/d')!.url, 'http://[::1]:9000');
});

test('--influx URL errors are configuration errors naming the option, never echoing the password', () => {
  for (const [url, re] of [
    ['not a url', /option --influx: .* is not a URL/],
    ['ftp://h/db', /"ftp:" is not http: or https:/],
    ['http://h:8086', /needs a database/],
    ['http://h/a/b', /the path must be just the database name/],
    ['http://h/db?rp=x', /no query or fragment/],
  ] as const) {
    assert.throws(() => influxSettings(undefined, url), (e: Error) => e instanceof ConfigError && re.test(e.message), url);
  }
  assert.throws(() => influxSettings(undefined, 'http://u:secret@/db'), (e: Error) => !e.message.includes('secret'));
});

test('config influx section: every key, flag URL parts win, file credentials kept', () => {
  const file = parseConfig([
    'influx:',
    '  url: http://fileuser:filepw@10.0.0.1:8086/filedb',
    '  retentionPolicy: two_weeks',
    '  precision: s',
    '  createDatabase: true',
    '  batchSize: 500',
    '  flushInterval: 2.5',
    '  bufferSize: 2000',
    '  backoffMin: 0.2',
    '  backoffMax: 4',
    '  requestTimeout: 3',
    '  closeTimeout: 1',
  ].join('\n'), 't.yaml');
  const s = buildSettings(file, {}).influx!;
  assert.deepEqual({ ...s }, {
    url: 'http://10.0.0.1:8086', database: 'filedb', username: 'fileuser', password: 'filepw', retentionPolicy: 'two_weeks',
    precision: 's', createDatabase: true, batchSize: 500, flushIntervalMs: 2500, bufferSize: 2000, backoffMinMs: 200,
    backoffMaxMs: 4000, requestTimeoutMs: 3000, closeTimeoutMs: 1000,
  });
  const f = buildSettings(file, { influx: 'http://127.0.0.1:9999/flagdb' }).influx!;
  assert.equal(f.url, 'http://127.0.0.1:9999');
  assert.equal(f.database, 'flagdb');
  assert.equal(f.username, 'fileuser');
  assert.equal(f.batchSize, 500);
  // host/port/database keys instead of a URL
  const h = buildSettings(parseConfig('influx: {host: h.example, port: 8090, database: d, username: u, password: p}', 't'), {}).influx!;
  assert.equal(h.url, 'http://h.example:8090');
  assert.equal(h.username, 'u');
  assert.equal(buildSettings({}, {}).influx, undefined);
});

test('config influx section: schema and consistency errors', () => {
  assert.throws(() => parseConfig('influx: {url: "http://h/d", batchsize: 3}', 't.yaml'), /t\.yaml:1:\d+: influx\.batchsize: unknown key/);
  assert.throws(() => parseConfig('influx: {precision: h}', 't.yaml'), /influx\.precision: must be one of n, u, ms, s/);
  assert.throws(() => buildSettings(parseConfig('influx: {host: h}', 't'), {}), /needs a database/);
  assert.throws(() => buildSettings(parseConfig('influx: {database: d}', 't'), {}), /needs url or host/);
  assert.throws(() => buildSettings(parseConfig('influx: {url: "http://h/d", batchSize: 10, bufferSize: 10}', 't'), {}), /batchSize: must be below/);
  assert.throws(() => buildSettings(parseConfig('influx: {url: "http://h/d", backoffMin: 5, backoffMax: 1}', 't'), {}), /backoffMax/);
});

test('--output none: no stdout sink (InfluxDB only), whatever the file says', () => {
  assert.deepEqual(buildSettings({}, { output: 'none', influx: 'http://h/d' }).sinks, []);
  assert.deepEqual(buildSettings(parseConfig('sinks: [{type: stdout, format: json}]', 't'), { output: 'none' }).sinks, []);
  assert.throws(() => buildSettings({}, { output: 'nothing' }), /must be one of line, json, none/);
});

test('influx lines: integer field, timestamp at the configured precision, unwritable points refused', () => {
  const p = pt('switch.rx-bytes', 9_007_199_254_740_993n, T0, { switchid: 'SW0000000000000001' });
  assert.equal(influxLine(p, 'ms'), 'switch.rx-bytes,switchid=SW0000000000000001 value=9007199254740993i 1700000000123');
  assert.equal(influxLine(p, 's'), 'switch.rx-bytes,switchid=SW0000000000000001 value=9007199254740993i 1700000000');
  assert.equal(influxLine(p, 'u'), 'switch.rx-bytes,switchid=SW0000000000000001 value=9007199254740993i 1700000000123000');
  assert.equal(influxLine(p, 'n'), 'switch.rx-bytes,switchid=SW0000000000000001 value=9007199254740993i 1700000000123000000');
  // A tag value with spaces: the timestamp is still the last field.
  assert.equal(influxLine(pt('m', 1n, T0, { a: 'x y' }), 's'), 'm,a=x\\ y value=1i 1700000000');
  assert.equal(influxLine(pt('m', 1n << 63n, T0), 'ms'), undefined);
  assert.equal(influxLine(pt('', 1n, T0), 'ms'), undefined);
  assert.equal(influxLine(pt('m', 1n, Number.NaN), 'ms'), undefined);
});

test('self metrics: ofstats.sink.dropped per sink, tagged with its name', () => {
  const pts = selfPoints({
    switchesConnected: 0, pollsOk: 0, pollsFailed: 0, pollsSkipped: 0, pollsSlowed: 0, pollsUnsupported: 0,
    pollDurationMsSum: 0, pollDurationMsMax: 0, decodeErrors: 0, requestsInFlight: 0, requestsWaiting: 0, pointsDropped: 27, counterResets: 0,
    sinksDropped: { 'stream:line': 7, influx: 20 },
  }, { prefix: '' }, 5);
  const dropped = pts.filter((p) => p.metric === 'ofstats.sink.dropped').map((p) => [p.tags.sink, p.value]);
  assert.deepEqual(dropped, [['stream:line', 7n], ['influx', 20n]]);
});
