import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selfPoints } from '../../src/self/metrics.js';

test('self metrics: one ofstats.* point per counter, prefixed like every metric', () => {
  const pts = selfPoints({
    switchesConnected: 3, pollsOk: 10, pollsFailed: 1, pollsSkipped: 2, pollsSlowed: 1, pollsUnsupported: 0,
    pollDurationMsSum: 123.4, pollDurationMsMax: 50, decodeErrors: 4, requestsInFlight: 5, requestsWaiting: 6, pointsDropped: 0, counterResets: 7,
  }, { prefix: 'kilda' }, 1000);
  const m = Object.fromEntries(pts.map((p) => [p.metric, p.value]));
  assert.deepEqual(m, {
    'kilda.ofstats.switches.connected': 3n,
    'kilda.ofstats.polls.ok': 10n,
    'kilda.ofstats.polls.failed': 1n,
    'kilda.ofstats.polls.skipped': 2n,
    'kilda.ofstats.polls.slowed': 1n,
    'kilda.ofstats.polls.unsupported': 0n,
    'kilda.ofstats.poll.duration-ms.sum': 123n,
    'kilda.ofstats.poll.duration-ms.max': 50n,
    'kilda.ofstats.decode.errors': 4n,
    'kilda.ofstats.requests.in-flight': 5n,
    'kilda.ofstats.requests.waiting': 6n,
    'kilda.ofstats.points.dropped': 0n,
    'kilda.ofstats.counter.resets': 7n,
  });
  for (const p of pts) assert.equal(p.timestamp, 1000);
});
