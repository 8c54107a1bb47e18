import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCliSync } from '../support/cli.js';
import { buildSettings, ConfigError, loadConfigFile, parseConfig, parseDpid } from '../../src/config/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLE = join(ROOT, 'config/ofstats.example.yaml');

function errorOf(text: string): string {
  try {
    parseConfig(text, 'c.yaml');
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message;
  }
  assert.fail('no error');
}

test('the documented example config is valid', () => {
  const c = loadConfigFile(EXAMPLE);
  const s = buildSettings(c, {});
  assert.deepEqual(s.listen, ['6653']);
  assert.equal(s.role, 'slave');
  assert.deepEqual(s.intervalsFor(1n), { FLOW: 120_000, TABLE: 30_000, PORT_STATS: 10_000 });
  assert.equal(s.intervalsFor(2n).PORT_STATS, 60_000);
  assert.equal(s.intervalsFor(3n).PORT_STATS, 10_000);
  assert.equal(Object.keys(s.intervalsFor(3n)).length, 9);
});

test('unknown key: named with its path and line', () => {
  assert.equal(errorOf('limits:\n  requestsPerSecnd: 5\n'), 'config c.yaml:2:3: limits.requestsPerSecnd: unknown key "requestsPerSecnd"');
  assert.equal(errorOf('switches:\n  "0000000000000001":\n    intervals:\n      flw: 3\n'),
    'config c.yaml:4:7: switches.0000000000000001.intervals.flw: unknown key "flw"');
});

test('wrong type and wrong value: named with path and line', () => {
  assert.equal(errorOf('limits:\n  requestsInFlight: many\n'), 'config c.yaml:2:21: limits.requestsInFlight: must be integer');
  assert.equal(errorOf('output: xml\n'), 'config c.yaml:1:9: output: must be one of line, json');
  assert.match(errorOf('intervals:\n  port: -1\n'), /^config c\.yaml:2:9: intervals\.port: must be >= 0$/);
  assert.match(errorOf('switches:\n  br0: {}\n'), /^config c\.yaml:2:3: switches\.br0: "br0" is not a datapath id/);
  assert.match(errorOf('- 1\n'), /^config c\.yaml:1:1: \(top level\): must be object$/);
});

test('YAML syntax errors give the line', () => {
  assert.match(errorOf('listen: [6653\nrole: slave\n'), /^config c\.yaml:\d+:\d+: YAML syntax: /);
  assert.match(errorOf('role: slave\nrole: equal\n'), /^config c\.yaml:2:1: YAML syntax: Map keys must be unique/);
});

test('empty file is an empty config; flags override the file', () => {
  const file = parseConfig('', 'c.yaml');
  assert.deepEqual(file, {});
  const s = buildSettings(parseConfig('metricPrefix: a\noutput: json\nlisten: [1]\nintervals: {port: 5}\n', 'c'), {
    metricPrefix: 'kilda', output: 'line', listen: ['7000'], interval: '2',
  });
  assert.equal(s.metricPrefix, 'kilda');
  assert.deepEqual(s.sinks, [{ type: 'stdout', format: 'line' }]);
  assert.deepEqual(s.listen, ['7000']);
  assert.equal(s.intervalsFor(1n).PORT_STATS, 2_000);
  assert.equal(s.intervalsFor(1n).FLOW, 2_000);
});

test('told neither listen nor connect, ofstats listens on the OpenFlow port 6653; either one alone is kept as given', () => {
  assert.deepEqual(buildSettings({}, {}).listen, ['6653']);
  assert.deepEqual(buildSettings({}, { connect: ['unix:/run/br0.mgmt'] }).listen, []);
  assert.deepEqual(buildSettings(parseConfig('connect: [tcp:127.0.0.1:1]\n', 'c'), {}).listen, []);
  assert.deepEqual(buildSettings({}, { listen: ['127.0.0.1:7000'] }).listen, ['127.0.0.1:7000']);
});

test('bad flags are configuration errors', () => {
  assert.throws(() => buildSettings({}, { interval: 'soon' }), /--interval: "soon" is not a number/);
  assert.throws(() => buildSettings({}, { interval: '0' }), /--interval/);
  assert.throws(() => buildSettings({}, { output: 'xml' }), /--output: "xml" must be one of line, json/);
  assert.throws(() => buildSettings({}, { logLevel: 'loud' }), /--log-level/);
  assert.throws(() => buildSettings({}, { wait: '3' }), /--wait: only makes sense with --once/);
});

test('datapath ids in every documented spelling', () => {
  for (const k of ['0000000000000abc', '0xabc', '00:00:00:00:00:00:0a:bc', 'SW0000000000000ABC', 'abc']) assert.equal(parseDpid(k), 0xabcn);
  assert.throws(() => buildSettings(parseConfig('switches:\n  "0x1": {}\n  "01": {}\n', 'c'), {}), /configured twice/);
});

const cli = (args: string[]) => runCliSync(['run', ...args], { timeoutMs: 10_000 });

test('CLI: a bad config exits 2 with the message, never a stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ofstats-cfg-'));
  try {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'connect: [tcp:127.0.0.1:1]\nlimits:\n  requestsInFlight: "x"\n');
    const cases: [string[], RegExp][] = [
      [['--config', bad], /bad\.yaml:3:21: limits\.requestsInFlight: must be integer/],
      [['--config', join(dir, 'missing.yaml')], /missing\.yaml: cannot read the file \(ENOENT\)/],
      [['--connect', 'tcp:127.0.0.1:1', '--output', 'xml'], /--output: "xml" must be one of line, json/],
      [['--connect', 'bogus:thing'], /bogus/],
      [['--no-such-flag'], /unknown option/],
    ];
    for (const [args, re] of cases) {
      const r = cli(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(r.stdout, '');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('limits.maxSeries: 2,000,000 remembered entries by default (1,000 switches x 1,000 rules fit), settable, not negative', () => {
  assert.equal(buildSettings(parseConfig('', 'c.yaml'), {}).limits.maxSeries, 2_000_000);
  assert.equal(buildSettings(parseConfig('limits:\n  maxSeries: 5000\n', 'c.yaml'), {}).limits.maxSeries, 5000);
  assert.equal(errorOf('limits:\n  maxSeries: -1\n'), 'config c.yaml:2:14: limits.maxSeries: must be >= 0');
});
