/**
 * Issue 4's proof end to end: a real Open vSwitch holding an OpenKilda-style network
 * (test/peers/scenario.ts), a real InfluxDB, and the built CLI `ofstats run --once` with the
 * scenario's flow registry. Every measurement, tag set and value in InfluxDB must be what the
 * seed (../shared/seeds/002_544d5299114fc53f.txt, with ../shared/reference/openkilda-stats.md
 * for what the seed leaves open) and ovs-ofctl's dumps of the same switches say.
 *
 * The expected points are derived here from the scenario's hand-written description (who
 * owns each rule, meter and group, and where the switch sits on the owner's path) and the
 * cookie layout of the reference page, never from src/: a shared bug would otherwise pass.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInflux, type InfluxPeer } from '../peers/influxdb.js';
import {
  portMetrics, startScenario, type MeterSpec, type RuleOwner, type Scenario, type ScenarioDescription, type SwitchTruth,
} from '../peers/scenario.js';
import { runCli as cli } from '../support/cli.js';

const PREFIX = 'kilda';
const DB = 'openkilda_e2e';

// ---- what the seed says, from the reference page's cookie layout ----

const SERVICE = 1n << 63n;
const FORWARD = 1n << 62n;
const REVERSE = 1n << 61n;
const LOOP = 1n << 51n;
const MIRROR = 1n << 50n;
/** The cookie types this scenario uses, as OpenKilda's CookieType names them (lower-cased for the `type` tag). */
const TYPE_NAMES: Record<number, string> = {
  0x000: 'service_or_flow_segment',
  0x007: 'vlan_stats_pre_ingress',
  0x008: 'shared_of_flow',
  0x00b: 'exclusion_flow',
  0x00c: 'server_42_flow_rtt_ingress',
};

function cookieFacts(c: bigint) {
  const type = Number((c >> 52n) & 0x1ffn);
  const fwd = (c & FORWARD) !== 0n;
  const rev = (c & REVERSE) !== 0n;
  const valid = (c & SERVICE) === 0n && [0x000, 0x007, 0x00c].includes(type) && !(fwd && rev);
  const loop = (c & LOOP) !== 0n;
  const mirror = (c & MIRROR) !== 0n;
  return {
    type, valid, loop, mirror,
    satellite: !valid || type !== 0 || loop || mirror,
    // OpenKilda's cache miss: the direction of a valid flow-segment cookie, else unknown.
    missDirection: valid && fwd !== rev ? (fwd ? 'forward' : 'reverse') : 'unknown',
  };
}

const signed = (c: bigint) => BigInt.asIntN(64, c).toString();
const hex16 = (c: bigint) => '0x' + c.toString(16).toUpperCase().padStart(16, '0');

type Tags = Record<string, string>;
const seriesKey = (metric: string, tags: Tags) =>
  metric + ' ' + Object.keys(tags).sort().map((k) => `${k}=${tags[k]}`).join(',');

class Expected {
  readonly points = new Map<string, bigint>();
  /** packets, bytes and bits (bytes x 8) of one family. */
  triple(base: string, tags: Tags, packets: bigint, bytes: bigint): void {
    this.put(`${base}.packets`, tags, packets);
    this.put(`${base}.bytes`, tags, bytes);
    this.put(`${base}.bits`, tags, bytes * 8n);
  }
  put(metric: string, tags: Tags, value: bigint): void {
    const k = seriesKey(`${PREFIX}.${metric}`, tags);
    assert.ok(!this.points.has(k), `the scenario itself would write one series twice: ${k}`);
    this.points.set(k, value);
  }
}

function ownerOf(d: ScenarioDescription, sw: number, cookie: bigint, table: number): RuleOwner | undefined {
  const r = d.rules.find((x) => x.sw === sw && x.cookie === cookie && x.table === table);
  assert.ok(r, `SW${sw + 1}: ovs-ofctl shows a rule the scenario did not install: ${hex16(cookie)} table ${table}`);
  return r.owner;
}

function flowExpectations(e: Expected, d: ScenarioDescription, sw: number, switchid: string, t: SwitchTruth): void {
  for (const f of t.flows) {
    if ((f.cookie & SERVICE) !== 0n) {
      e.triple('switch.flow.system', { switchid, cookieHex: hex16(f.cookie) }, f.packets, f.bytes);
      continue;
    }
    const owner = ownerOf(d, sw, f.cookie, f.table);
    const c = cookieFacts(f.cookie);
    const where = { switchid, cookie: signed(f.cookie), tableid: String(f.table), inPort: String(f.inPort), outPort: String(f.outPort) };
    if (owner?.kind === 'haflow') {
      e.triple('haflow.raw', { ...where, ha_flow_id: owner.haFlowId!, flowid: owner.flowId, direction: owner.direction }, f.packets, f.bytes);
    } else {
      const tags: Tags = {
        ...where,
        flowid: owner?.flowId ?? 'unknown',
        direction: owner?.direction ?? c.missDirection,
        type: TYPE_NAMES[c.type]!,
        is_flow_satellite: String(c.satellite),
      };
      if (c.satellite && c.valid) {
        Object.assign(tags, { is_mirror: String(c.mirror), is_loop: String(c.loop), is_flowrtt_inject: String(c.type === 0x00c) });
      }
      e.triple('flow.raw', tags, f.packets, f.bytes);
    }
    // Endpoint metrics: known rules with a valid, non-satellite cookie only.
    if (!owner || !c.valid || c.satellite) continue;
    const at = new Set(owner.positions);
    if (owner.kind === 'haflow') {
      const tags = { ha_flow_id: owner.haFlowId!, flowid: owner.flowId, direction: owner.direction };
      if (at.has('ingress')) e.triple('haflow.ingress', tags, f.packets, f.bytes);
      if (at.has('egress')) e.triple('haflow', tags, f.packets, f.bytes);
      if (at.has('ypoint')) e.triple('haflow.ypoint', tags, f.packets, f.bytes);
    } else {
      const tags: Tags = { flowid: owner.flowId, direction: owner.direction, is_y_flow_subflow: String(owner.kind === 'yflow') };
      if (owner.kind === 'yflow') tags.y_flow_id = owner.yFlowId!;
      if (at.has('ingress')) e.triple('flow.ingress', tags, f.packets, f.bytes);
      if (at.has('egress')) e.triple('flow', tags, f.packets, f.bytes);
      if (owner.kind === 'yflow' && at.has('ypoint')) e.triple('yflow.ypoint', tags, f.packets, f.bytes);
    }
  }
}

function meterFamily(m: MeterSpec, switchid: string): [string, Tags] {
  const base = { switchid, meterid: String(m.id) };
  const o = m.owner;
  if (!o) {
    return m.id <= 31
      ? ['switch.flow.system.meter', { ...base, cookieHex: hex16(SERVICE | BigInt(m.id)) }]
      : ['flow.meter', { ...base, flowid: 'unknown', direction: 'unknown', cookie: 'unknown' }];
  }
  switch (o.kind) {
    case 'flow': {
      const tags: Tags = { ...base, flowid: o.flowId, direction: o.direction, cookie: signed(o.cookie), is_y_flow_subflow: String(o.yFlowId !== undefined) };
      if (o.yFlowId !== undefined) tags.y_flow_id = o.yFlowId;
      return ['flow.meter', tags];
    }
    case 'yflow-shared': return ['yflow.meter.shared', { ...base, y_flow_id: o.yFlowId }];
    case 'yflow-ypoint': return ['yflow.meter.ypoint', { ...base, y_flow_id: o.yFlowId }];
    case 'haflow': return ['haflow.meter', { ...base, ha_flow_id: o.haFlowId, flowid: o.flowId, direction: o.direction, cookie: signed(o.cookie) }];
    case 'haflow-ypoint': return ['haflow.meter.ypoint', { ...base, ha_flow_id: o.haFlowId }];
  }
}

function expectedPoints(s: Scenario, truth: SwitchTruth[]): Expected {
  const e = new Expected();
  const d = s.description;
  truth.forEach((t, sw) => {
    const switchid = s.switchIds[sw]!;
    flowExpectations(e, d, sw, switchid, t);
    for (const m of t.meters) {
      const spec = d.meters.find((x) => x.sw === sw && x.id === m.id);
      assert.ok(spec, `SW${sw + 1}: unexpected meter ${m.id}`);
      const [family, tags] = meterFamily(spec, switchid);
      // The seed's meter metrics are band 0's counters: what the meter dropped.
      e.triple(family, tags, m.bands[0]!.packets, m.bands[0]!.bytes);
    }
    for (const g of t.groups) {
      const spec = d.groups.find((x) => x.sw === sw && x.id === g.id);
      assert.ok(spec, `SW${sw + 1}: unexpected group ${g.id}`);
      if (spec.haFlowId === undefined) continue; // only HA Y-point groups give metrics
      e.triple('haflow.group.ypoint', { switchid, groupid: String(g.id), ha_flow_id: spec.haFlowId }, g.buckets[0]!.packets, g.buckets[0]!.bytes);
    }
    for (const p of t.ports) {
      for (const [suffix, v] of portMetrics(p)) if (v !== undefined) e.put(`switch.${suffix}`, { switchid, port: String(p.port) }, v);
    }
    for (const tb of t.tables) {
      if (tb.active === 0n) continue;
      const tags = { switchid, tableid: String(tb.table) };
      e.put('switch.table.active', tags, tb.active);
      e.put('switch.table.lookup', tags, tb.lookup);
      e.put('switch.table.matched', tags, tb.matched);
      e.put('switch.table.missed', tags, tb.lookup - tb.matched);
    }
  });
  return e;
}

// ---- the run ----

const runCli = (args: string[]) => cli(['run', ...args]);

const parseKey = (k: string): [string, Tags] => {
  const [metric, tags = ''] = k.split(' ');
  return [metric!, Object.fromEntries(tags.split(',').filter(Boolean).map((kv) => kv.split('=') as [string, string]))];
};

/** Each missing series beside the stored series of its measurement nearest to it, by tag: what differs. */
function explain(missing: string[], extra: string[]): string {
  const lines = [`${missing.length} series expected but not stored, ${extra.length} stored but not expected`];
  const unmatched = new Set(extra);
  for (const k of missing) {
    const [metric, want] = parseKey(k);
    let best: [string, number] | undefined;
    for (const x of unmatched) {
      const [m, tags] = parseKey(x);
      if (m !== metric) continue;
      const keys = new Set([...Object.keys(want), ...Object.keys(tags)]);
      const same = [...keys].filter((t) => want[t] === tags[t]).length - keys.size;
      if (!best || same > best[1]) best = [x, same];
    }
    if (!best) { lines.push(`  missing ${k}`); continue; }
    unmatched.delete(best[0]);
    const tags = parseKey(best[0])[1];
    const diff = [...new Set([...Object.keys(want), ...Object.keys(tags)])].filter((t) => want[t] !== tags[t])
      .map((t) => `${t}: expected ${want[t] ?? '(absent)'}, got ${tags[t] ?? '(absent)'}`);
    lines.push(`  ${k}\n      ${diff.join('; ')}`);
  }
  for (const x of unmatched) lines.push(`  not expected ${x}`);
  return lines.join('\n');
}

interface Stored { metric: string; tags: Tags; value: string; time: number }

/** Every point in the database, each series with its exact tag set (GROUP BY *). */
async function storedPoints(influx: InfluxPeer): Promise<Stored[]> {
  const rows = await influx.query('SELECT "value" FROM /.*/ GROUP BY *', DB);
  return rows.map((r) => ({
    metric: r.name!,
    tags: Object.fromEntries((r.tags ?? '').split(',').filter(Boolean).map((kv) => {
      const i = kv.indexOf('=');
      return [kv.slice(0, i), kv.slice(i + 1)];
    })),
    value: r.value!,
    time: Number(r.time),
  }));
}

let influx: InfluxPeer;
let scenario: Scenario;

before(async () => {
  [influx, scenario] = await Promise.all([startInflux(), startScenario()]);
  await influx.exec(`CREATE DATABASE ${DB}`);
});

after(async () => {
  await Promise.allSettled([scenario?.stop(), influx?.cleanup()]);
});

test('ofstats run --once into InfluxDB: every measurement, tag set and value is what the seed and ovs-ofctl say', async () => {
  const truth = await scenario.inject();
  const t0 = Date.now();
  const r = await runCli([
    '--once', '--metric-prefix', PREFIX, '--registry', scenario.registryFile, '--influx', `${influx.url}/${DB}`,
    '--output', 'json', ...scenario.bridges.flatMap((b) => ['--connect', b.mgmt]),
  ]);
  const t1 = Date.now();
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(await scenario.truth(), truth, 'counters moved while ofstats polled: the comparison would mean nothing');

  // The seed's conditions hold in the scenario itself, or the test proves less than it says.
  const meter = (sw: number, id: number) => truth[sw]!.meters.find((m) => m.id === id)!;
  assert.ok(meter(0, 32).bands[0]!.packets > 0n, 'the low-rate flow meter dropped injected traffic');
  assert.ok(meter(0, 2).bands[0]!.packets > 0n, 'the service meter dropped injected traffic');
  assert.ok(truth[1]!.groups.find((g) => g.id === 60)!.buckets[0]!.packets > 0n, 'the HA Y-point group forwarded traffic');

  const expected = expectedPoints(scenario, truth);
  // 39 rules, 15 meters, 2 groups, 27 ports, 4 tables in use give 415 series: an empty dump would prove nothing.
  assert.ok(expected.points.size >= 400, `${expected.points.size} series expected`);
  const stored = await storedPoints(influx);
  const ours = stored.filter((p) => !/(^|\.)ofstats\./.test(p.metric));

  // No duplicates: InfluxDB merges a series' points at the same time, so count what was sent.
  const stats = await influx.httpStats();
  assert.equal(stats.pointsWrittenOK, stored.length, 'points written = points stored: none written twice');
  const keys = ours.map((p) => seriesKey(p.metric, p.tags));
  assert.equal(new Set(keys).size, keys.length, 'one point per series from one poll');

  // Every measurement and tag set, both ways; readable differences first.
  const got = new Map(ours.map((p, i) => [keys[i]!, p.value]));
  const missing = [...expected.points.keys()].filter((k) => !got.has(k)).sort();
  const extra = [...got.keys()].filter((k) => !expected.points.has(k)).sort();
  if (missing.length || extra.length) assert.fail(explain(missing, extra));
  for (const [k, v] of expected.points) assert.equal(got.get(k), v.toString(), k);

  // bits = bytes x 8 everywhere, and every point carries a reply's arrival time.
  for (const p of ours) {
    if (p.metric.endsWith('.bits')) {
      const bytes = got.get(seriesKey(p.metric.replace(/\.bits$/, '.bytes'), p.tags));
      assert.equal(p.value, (BigInt(bytes!) * 8n).toString(), `${p.metric} ${JSON.stringify(p.tags)}`);
    }
    assert.ok(p.time >= t0 - 1 && p.time <= t1 + 1, `${p.metric} at ${p.time}, run ${t0}..${t1}`);
  }

  // The families the issue names are all there, so the scenario covers them.
  const families = new Set(ours.map((p) => p.metric.replace(/\.(bits|bytes|packets)$/, '')));
  for (const f of ['flow.raw', 'flow.ingress', 'flow', 'yflow.ypoint', 'haflow.raw', 'haflow.ingress', 'haflow', 'haflow.ypoint',
    'flow.meter', 'yflow.meter.shared', 'yflow.meter.ypoint', 'haflow.meter', 'haflow.meter.ypoint', 'haflow.group.ypoint',
    'switch.flow.system', 'switch.flow.system.meter']) {
    assert.ok(families.has(`${PREFIX}.${f}`), `${PREFIX}.${f} present`);
  }
});
