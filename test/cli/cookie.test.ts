/**
 * `ofstats cookie` as a user runs it: the built binary. Expected decodings come from the
 * reference page's vectors (../shared/reference/openkilda-stats.md §2), not from our output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCliSync } from '../support/cli.js';

const FIELDS = ['cookie', 'kind', 'type', 'direction', 'flow_effective_id', 'loop', 'mirror', 'y_flow', 'ha_server42',
  'sub_type', 'stats_vlan', 'service_tag', 'port'];

function run(...args: string[]) {
  const r = runCliSync(['cookie', ...args]);
  return { status: r.status, out: r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>), err: r.stderr };
}

test('one JSON object per cookie with exactly the documented fields; hex, decimal and signed decimal', () => {
  // The same cookie three ways: 0x hex, unsigned decimal, and OpenKilda's signed `cookie` tag.
  const r = run('0x8000000000000002', '9223372036854775810', '-9223372036854775806', '0x400800000000000f');
  assert.equal(r.status, 0, r.err);
  assert.equal(r.err, '');
  assert.equal(r.out.length, 4);
  for (const o of r.out) assert.deepEqual(Object.keys(o), FIELDS);
  for (const o of r.out.slice(0, 3)) {
    assert.deepEqual(o, {
      cookie: '0x8000000000000002', kind: 'service', type: 'SERVICE_OR_FLOW_SEGMENT', direction: null,
      flow_effective_id: null, loop: null, mirror: null, y_flow: null, ha_server42: null, sub_type: null,
      stats_vlan: null, service_tag: 'VERIFICATION_BROADCAST_RULE', port: null,
    });
  }
  assert.deepEqual(r.out[3], {
    cookie: '0x400800000000000F', kind: 'flow', type: 'SERVICE_OR_FLOW_SEGMENT', direction: 'forward',
    flow_effective_id: 15, loop: true, mirror: false, y_flow: false, ha_server42: false, sub_type: 0,
    stats_vlan: 0, service_tag: null, port: null,
  });
});

test('an unparsable argument: an error line naming it on stderr, the others still printed, exit 1', () => {
  const r = run('0x8050000000000005', 'nope', '-x', '0x1FFFFFFFFFFFFFFFF', '0x008000000064000A');
  assert.equal(r.status, 1);
  assert.deepEqual(r.out.map((o) => [o.cookie, o.kind, o.port]), [['0x8050000000000005', 'port_colour', 5], ['0x008000000064000A', 'shared', 10]]);
  const errs = r.err.split('\n').filter(Boolean);
  assert.equal(errs.length, 3, r.err);
  assert.match(errs[0]!, /"nope"/);
  assert.match(errs[1]!, /"-x"/);
  assert.match(errs[2]!, /"0x1FFFFFFFFFFFFFFFF"/);
  for (const e of errs) assert.doesNotMatch(e, /\bat .+:\d+:\d+/);
});
