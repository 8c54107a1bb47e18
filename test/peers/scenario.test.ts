/**
 * The scenario's own checks (its dumps are parsed by ./ovs-dumps.ts, tested beside it): traffic
 * really crosses the three bridges, and the refusing proxy is a faithful switch for
 * ovs-ofctl itself (same dumps through it, an error for a refused type).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startScenario, type Scenario } from './scenario.js';

const run = promisify(execFile);

let s: Scenario;
before(async () => {
  s = await startScenario({ refuse: ['METER'], fillerRules: 50 });
});
after(async () => {
  await s?.stop();
});

test('traffic injected at SW1 crosses SW2 and SW3; every rule of the description is installed', async () => {
  const t = await s.inject();
  const f1 = (sw: number, table = 0) => t[sw]!.flows.find((f) => f.cookie === 0x4000000000000001n && f.table === table)!;
  assert.equal(f1(0).packets, 6n);
  assert.equal(f1(1, 4).packets, 6n);
  assert.equal(f1(2).packets, 6n);
  for (const r of s.description.rules) {
    assert.ok(t[r.sw]!.flows.some((f) => f.cookie === r.cookie && f.table === r.table), `SW${r.sw + 1} ${r.cookie.toString(16)}`);
  }
  assert.equal(t[0]!.flows.filter((f) => f.table === 1).length, 50);
});

test('the refusing proxy: ovs-ofctl through it sees the same flows, and an error for meter stats', async () => {
  const env = s.ovs.env;
  const direct = await s.ovs.ofctl('-O', 'OpenFlow13', '--no-stats', 'dump-flows', s.bridges[0]!.mgmt);
  const proxied = await run('ovs-ofctl', ['-O', 'OpenFlow13', '--no-stats', 'dump-flows', s.targets[0]!], { env });
  assert.equal(proxied.stdout, direct);
  const refused = await run('ovs-ofctl', ['-O', 'OpenFlow13', 'meter-stats', s.targets[0]!], { env }).then(
    (r) => r.stdout + r.stderr, (e: { stdout: string; stderr: string }) => e.stdout + e.stderr);
  // OVS names code 2 by its OpenFlow 1.0 name (OFPBRC_BAD_STAT); the data decodes as our request.
  assert.match(refused, /OFPT_ERROR \(OF1.3\) \(xid=0x[0-9a-f]+\): OFPBRC_BAD_STAT\nOFPST_METER request/, refused);
  assert.equal(s.proxies[0]!.refused.get(9), 1);
});
