import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

// The README's first command ends in `npm start`: a newcomer with no switch must see metrics.
test('npm start (quick start): ofstats polls three replayed switches and prints flow metrics with flow ids', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, 'dist/scripts/quickstart.js'), '--once', '--output', 'json'], {
    cwd: ROOT, timeout: 60_000, maxBuffer: 64 << 20,
  });
  const points = stdout.trim().split('\n').map((l) => JSON.parse(l) as { metric: string; tags: Record<string, string>; value: string });
  const switches = new Set(points.map((p) => p.tags.switchid).filter(Boolean));
  assert.deepEqual([...switches].sort(), ['SW0000000000000001', 'SW0000000000000002', 'SW0000000000000003']);
  // The registry shipped with the fixture names the flows: flowid is not `unknown` for them.
  assert.ok(points.some((p) => p.metric === 'kilda.flow.ingress.packets' && p.tags.flowid !== 'unknown'));
  assert.ok(points.some((p) => p.metric.startsWith('kilda.switch.rx-bytes')));
});
