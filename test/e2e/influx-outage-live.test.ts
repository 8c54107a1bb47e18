/**
 * Issue 4's last proof with real peers end to end: `ofstats run` (the built CLI, polling on its
 * schedule) dials two real Open vSwitch bridges holding a few hundred rules and writes to a
 * real influxd; influxd is stopped for 30 s mid-run and started again on the same data dir and
 * port. Every point ofstats took, the ones taken while influxd was down included, must be in
 * InfluxDB with the same measurement, tags, value and ms timestamp, and none may be sent twice.
 *
 * The independent record of what was taken is ofstats' stdout (`--output json` beside
 * `--influx`: both sinks get every point). InfluxDB keeps one point per series and timestamp,
 * so a point sent twice would not show in what it stores; the server's own counter of points
 * accepted over HTTP (httpd pointsWrittenOK, per process lifetime) shows it. To read the first
 * lifetime's counter exactly, ofstats is frozen (SIGSTOP) for the moment between that read and
 * influxd's exit, so no write can land unseen in between; it runs on as before right after.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { startInflux, type InfluxPeer } from '../peers/influxdb.js';
import { settle, startOvs, waitFor, type OvsBridge, type OvsSandbox } from '../peers/ovs.js';
import { counted, parseFlows, parsePorts, type FlowDump } from '../peers/ovs-dumps.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const OF13 = ['-O', 'OpenFlow13'];
const DB = 'outage_live';
const OUTAGE_MS = 30_000;
const INTERVAL_S = 2;
const FLOW_RULES = 140;
const SERVICE_RULES = 10;
/** Each of flow, port and table polled this often per bridge while influxd was down, at least (15 expected). */
const MIN_POLLS_IN_OUTAGE = 10;

const SERVICE = 1n << 63n;
const FORWARD = 1n << 62n;
const REVERSE = 1n << 61n;

// ---- the switches ----

interface Rule { cookie: bigint; line: string }

/** Per bridge: a catch-all and some service rules (switch.flow.system), flow rules (flow.raw) on UDP ports. */
function rules(): Rule[] {
  const out: Rule[] = [{ cookie: SERVICE | 1n, line: 'table=0,priority=0,cookie=0x8000000000000001,actions=drop' }];
  for (let i = 0; i < SERVICE_RULES; i++) {
    const cookie = SERVICE | BigInt(2 + i);
    out.push({ cookie, line: `table=0,priority=50,cookie=0x${cookie.toString(16)},udp,in_port=1,tp_dst=${3000 + i},actions=drop` });
  }
  for (let i = 0; i < FLOW_RULES; i++) {
    const cookie = (i % 2 === 0 ? FORWARD : REVERSE) | BigInt(i + 1);
    out.push({ cookie, line: `table=0,priority=100,cookie=0x${cookie.toString(16)},udp,in_port=1,tp_dst=${1000 + i},actions=output:2` });
  }
  return out;
}

/** UDP destination ports hit by the one injection (every 7th flow rule, a service rule, the catch-all) and how often. */
const INJECTED: readonly (readonly [number, number])[] = [
  ...Array.from({ length: 10 }, (_, k) => [1000 + 7 * k, 1 + (k % 3)] as const),
  [3000, 2],
  [9999, 1],
];

const packet = (dst: number) =>
  'in_port(1),eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800),' +
  `ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=${dst})`;

const switchIdOf = (b: OvsBridge) => 'SW' + b.dpidHex.toUpperCase();
const signed = (c: bigint) => BigInt.asIntN(64, c).toString();
const hex16 = (c: bigint) => '0x' + c.toString(16).toUpperCase().padStart(16, '0');

type Flows = (FlowDump & { packets: bigint; bytes: bigint })[];

/**
 * Inject once, then wait (ovs.ts settle: revalidator cycles) until every packet shows in the
 * flow counters and one more cycle changes neither flows nor ports: from then on every poll
 * must read the same values. Returns the flow dumps, per bridge.
 */
async function injectAndSettle(ovs: OvsSandbox): Promise<Flows[]> {
  for (const b of ovs.bridges) {
    const pkts = INJECTED.flatMap(([dst, n]) => Array.from({ length: n }, () => packet(dst)));
    await ovs.appctl('netdev-dummy/receive', b.ports[0]!, ...pkts);
  }
  const injected = INJECTED.reduce((n, [, c]) => n + BigInt(c), 0n);
  const dumps = await settle(
    ovs,
    () => Promise.all(ovs.bridges.map(async (b) => ({
      flows: counted(parseFlows(await ovs.ofctl(...OF13, 'dump-flows', b.mgmt))),
      ports: parsePorts(await ovs.ofctl(...OF13, 'dump-ports', b.mgmt)),
    }))),
    (d) => d.every((s) => s.flows.reduce((n, f) => n + f.packets, 0n) === injected),
    15_000,
  );
  return dumps.map((d) => d.flows);
}

// ---- ofstats ----

interface JsonPoint { metric: string; tags: Record<string, string>; value: string; timestamp: number }
interface LogLine { level: number; time: number; msg: string; [k: string]: unknown }

/** The CLI as a child, its stdout parsed into points as it arrives (the record of what was taken). */
class Ofstats {
  readonly points: JsonPoint[] = [];
  stderr = '';
  private partial = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [CLI, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      const lines = (this.partial + s).split('\n');
      this.partial = lines.pop()!;
      for (const l of lines) if (l) this.points.push(JSON.parse(l) as JsonPoint);
    });
    this.child.stdout!.on('end', () => {
      if (this.partial) this.points.push(JSON.parse(this.partial) as JsonPoint);
      this.partial = '';
    });
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => (this.stderr += s));
    this.exited = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('close', (code) => resolve(code));
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  signal(s: NodeJS.Signals): void {
    this.child.kill(s);
  }

  logs(): LogLine[] {
    return this.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
  }

  /** The end of its log, for assertion messages. */
  tail(): string {
    return this.stderr.slice(-3000);
  }
}

// ---- InfluxDB ----

type Tags = Record<string, string>;
/** Line protocol leaves out tags with an empty value, so the stored series has none of them. */
const key = (metric: string, tags: Tags, time: number) =>
  `${metric} ${Object.keys(tags).filter((k) => tags[k] !== '').sort().map((k) => `${k}=${tags[k]}`).join(',')} ${time}`;

const parseTags = (s: string): Tags => Object.fromEntries(s.split(',').filter(Boolean).map((kv) => {
  const i = kv.indexOf('=');
  return [kv.slice(0, i), kv.slice(i + 1)];
}));

/** Every stored point, by measurement, exact tag set (GROUP BY *) and ms time → value as the server's text. */
async function stored(influx: InfluxPeer): Promise<Map<string, string>> {
  const rows = await influx.query('SELECT "value" FROM /.*/ GROUP BY *', DB);
  const out = new Map<string, string>();
  for (const r of rows) {
    const k = key(r.name!, parseTags(r.tags ?? ''), Number(r.time));
    assert.ok(!out.has(k), `InfluxDB returned one point twice: ${k}`);
    out.set(k, r.value!);
  }
  return out;
}

/** Points stored with a time in [from, to] (ms), over every measurement. */
async function storedBetween(influx: InfluxPeer, from: number, to: number): Promise<number> {
  const rows = await influx.query(`SELECT count("value") FROM /.*/ WHERE time >= ${from}ms AND time <= ${to}ms`, DB);
  return rows.reduce((n, r) => n + Number(r.count), 0);
}

/** Polls per switch and stat type that InfluxDB holds: one point of a series every poll of its type has. */
async function pollsStored(influx: InfluxPeer, firstFlowCookie: bigint): Promise<Map<string, number>> {
  const probes: [string, string][] = [
    ['flow', `SELECT count("value") FROM "flow.raw.packets" WHERE "cookie" = '${signed(firstFlowCookie)}' GROUP BY "switchid"`],
    ['port', `SELECT count("value") FROM "switch.rx-packets" WHERE "port" = '1' GROUP BY "switchid"`],
    ['table', `SELECT count("value") FROM "switch.table.lookup" WHERE "tableid" = '0' GROUP BY "switchid"`],
  ];
  const out = new Map<string, number>();
  for (const [type, q] of probes) {
    for (const r of await influx.query(q, DB)) out.set(`${parseTags(r.tags ?? '').switchid} ${type}`, Number(r.count));
  }
  return out;
}

/** Which poll a point came from: its switch, its stat type (from the metric family) and its reply's arrival time. */
function pollOf(p: JsonPoint): string | undefined {
  const type = p.metric.startsWith('flow.') || p.metric.startsWith('switch.flow.system') ? 'flow'
    : p.metric.startsWith('switch.table.') ? 'table'
      : p.metric.startsWith('switch.') ? 'port' : undefined;
  return type && p.tags.switchid ? `${p.tags.switchid} ${type} ${Math.trunc(p.timestamp)}` : undefined;
}

test('ofstats run into a real InfluxDB stopped for 30 s: every point taken meanwhile arrives, none twice', { timeout: 120_000 }, async (t) => {
  const [influx, ovs] = await Promise.all([startInflux(), startOvs({ bridges: 2, portsPerBridge: 2 })]);
  let ofstats: Ofstats | undefined;
  try {
    await influx.exec(`CREATE DATABASE ${DB}`);
    const ruleSet = rules();
    for (const b of ovs.bridges) {
      const file = join(ovs.dir, `${b.name}.flows`);
      writeFileSync(file, ruleSet.map((r) => r.line).join('\n') + '\n');
      await ovs.ofctl(...OF13, 'add-flows', b.mgmt, file);
    }
    const truth = await injectAndSettle(ovs);
    assert.equal(truth.flatMap((t) => t).length, 2 * ruleSet.length, 'every rule installed');

    const config = join(ovs.dir, 'ofstats.yaml');
    writeFileSync(config, [
      'stats: [flow, port, table]',
      'selfMetricsInterval: 1',
      'shutdownGrace: 5',
      'logLevel: info',
      'influx:',
      '  flushInterval: 0.2',
      '  batchSize: 5000',
      // ~500 points a second for 30 s fit with room to spare: nothing may be pushed out.
      '  bufferSize: 200000',
      '  backoffMin: 0.2',
      '  backoffMax: 2',
      '  requestTimeout: 5',
      '  closeTimeout: 15',
      '',
    ].join('\n'));
    ofstats = new Ofstats([
      '--config', config, '--interval', String(INTERVAL_S), '--influx', `${influx.url}/${DB}`, '--output', 'json',
      ...ovs.bridges.flatMap((b) => ['--connect', b.mgmt]),
    ]);
    const o = ofstats;
    const switchIds = ovs.bridges.map(switchIdOf);
    const firstFlowCookie = ruleSet.find((r) => (r.cookie & SERVICE) === 0n)!.cookie;

    // Running normally first: InfluxDB holds two polls of every type from every switch.
    await waitFor('two polls of each type from each switch in InfluxDB', async () => {
      assert.ok(o.running, `ofstats exited early:\n${o.tail()}`);
      const polls = await pollsStored(influx, firstFlowCookie);
      return switchIds.every((s) => ['flow', 'port', 'table'].every((t) => (polls.get(`${s} ${t}`) ?? 0) >= 2));
    }, 20_000, 250);

    // The outage. Frozen, ofstats cannot send while the first lifetime's counter is read and
    // influxd exits. A request whose bytes all reached influxd is handled within milliseconds
    // and counted; one that ofstats was frozen in the middle of sending stays active without
    // progress and dies with influxd (retried later, counted in the second lifetime).
    o.signal('SIGSTOP');
    let last = '';
    let still = 0;
    await waitFor('influxd to finish the write requests it has whole', async () => {
      const s = await influx.httpStats();
      const now = `${s.writeReq} ${s.pointsWrittenOK}`;
      still = now === last ? still + 1 : 0;
      last = now;
      return still >= 1 && (s.writeReqActive === 0 || still >= 5);
    }, 5_000, 200);
    const before = await influx.httpStats();
    const tStop = Date.now();
    await influx.stop();
    const tDown = Date.now();
    o.signal('SIGCONT');
    assert.ok(before.pointsWrittenOK! > 0);

    await sleep(tDown + OUTAGE_MS - Date.now());
    assert.ok(o.running, `ofstats exited during the outage:\n${o.tail()}`);
    const tStart = Date.now();
    await influx.start();
    const tUp = Date.now();

    // Drained while running: everything taken during the outage is stored, by the time stdout
    // has moved past its end (stdout is written in chunks, so its record of the window is whole).
    const takenBetween = (from: number, to: number) => o.points.filter((p) => p.timestamp >= from && p.timestamp <= to).length;
    await waitFor('the points taken during the outage to reach InfluxDB', async () => {
      assert.ok(o.running, `ofstats exited after the outage:\n${o.tail()}`);
      const past = o.points.some((p) => p.timestamp > tUp + 500);
      return past && await storedBetween(influx, tStop, tUp) === takenBetween(tStop, tUp);
    }, 20_000, 250);

    o.signal('SIGTERM');
    const guard = setTimeout(() => o.signal('SIGKILL'), 30_000);
    const code = await o.exited;
    clearTimeout(guard);
    assert.equal(code, 0, `ofstats run exit status after SIGTERM:\n${o.tail()}`);
    const after = await influx.httpStats();

    // ---- every point of every poll, as stdout took it, is in InfluxDB ----
    const taken = o.points;
    const keys = taken.map((p) => key(p.metric, p.tags, Math.trunc(p.timestamp)));
    assert.equal(new Set(keys).size, keys.length, 'stdout has one point per series and ms: each is its own row in InfluxDB');
    const db = await stored(influx);
    const wrong: string[] = [];
    taken.forEach((p, i) => {
      const v = db.get(keys[i]!);
      if (v !== p.value) wrong.push(`${keys[i]}: stdout ${p.value}, InfluxDB ${v ?? '(missing)'}`);
    });
    assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} of ${taken.length} points differ or are missing`);
    assert.equal(db.size, taken.length, 'InfluxDB holds nothing stdout did not take');

    // None twice: each point accepted exactly once over both lifetimes of the server.
    assert.equal(before.pointsWrittenOK! + after.pointsWrittenOK!, taken.length,
      `points accepted: ${before.pointsWrittenOK} before the stop + ${after.pointsWrittenOK} after the restart, ${taken.length} taken`);

    // Polling went on through the outage, and those polls are whole: every rule, every time.
    const polls = new Map<string, number>();
    let outagePoints = 0;
    for (const p of taken) {
      if (p.timestamp < tDown || p.timestamp > tStart) continue;
      outagePoints++;
      const poll = pollOf(p);
      if (poll) polls.set(poll, (polls.get(poll) ?? 0) + 1);
    }
    t.diagnostic(`${taken.length} points taken, ${outagePoints} of them in ${polls.size} polls while influxd was down; ` +
      `accepted ${before.pointsWrittenOK} + ${after.pointsWrittenOK}`);
    for (const s of switchIds) {
      for (const t of ['flow', 'port', 'table']) {
        const n = [...polls.keys()].filter((k) => k.startsWith(`${s} ${t} `)).length;
        assert.ok(n >= MIN_POLLS_IN_OUTAGE, `${s}: ${n} ${t} polls while influxd was down`);
      }
    }
    // packets, bytes and bits of every rule.
    for (const [poll, n] of polls) if (poll.includes(' flow ')) assert.equal(n, 3 * ruleSet.length, `points of the flow poll ${poll}`);

    // Values are what the switch says: every flow.raw / switch.flow.system packet count equals
    // ovs-ofctl's n_packets of that rule (traffic stopped before ofstats started).
    const packets = new Map<string, bigint>();
    ovs.bridges.forEach((b, i) => {
      for (const f of truth[i]!) {
        const id = (f.cookie & SERVICE) !== 0n ? `cookieHex=${hex16(f.cookie)}` : `cookie=${signed(f.cookie)}`;
        packets.set(`${switchIdOf(b)} ${id}`, f.packets);
      }
    });
    let checked = 0;
    let nonZero = 0;
    for (const p of taken) {
      if (p.metric !== 'flow.raw.packets' && p.metric !== 'switch.flow.system.packets') continue;
      const id = p.tags.cookieHex !== undefined ? `cookieHex=${p.tags.cookieHex}` : `cookie=${p.tags.cookie}`;
      const want = packets.get(`${p.tags.switchid} ${id}`);
      assert.equal(p.value, want?.toString(), `${p.metric} ${JSON.stringify(p.tags)} against ovs-ofctl`);
      checked++;
      if (p.value !== '0') nonZero++;
    }
    assert.ok(checked > 0 && nonZero > 0, `${checked} packet counts checked, ${nonZero} non-zero`);

    // ofstats' own account: nothing dropped by either sink.
    for (const p of taken) {
      if (p.metric === 'ofstats.sink.dropped' || p.metric === 'ofstats.points.dropped') {
        assert.equal(p.value, '0', `${p.metric} ${JSON.stringify(p.tags)} at ${p.timestamp}`);
      }
    }

    // The outage and the recovery are logged, each once, and nothing worse.
    const logs = o.logs();
    const down = logs.filter((l) => /InfluxDB write failed/.test(l.msg));
    assert.equal(down.length, 1, `outage warnings: ${JSON.stringify(down)}`);
    assert.ok(down[0]!.level === 40 && /ECONNREFUSED|ECONNRESET|socket hang up/.test(String(down[0]!.err)), JSON.stringify(down[0]));
    assert.ok(down[0]!.time >= tStop && down[0]!.time <= tStart, `outage logged at ${down[0]!.time}, influxd down ${tStop}..${tStart}`);
    const up = logs.filter((l) => /InfluxDB reachable again/.test(l.msg));
    assert.equal(up.length, 1, `recoveries: ${JSON.stringify(up)}`);
    assert.ok(up[0]!.level === 30 && up[0]!.time >= tStart, JSON.stringify(up[0]));
    assert.ok(Number(up[0]!.downMs) >= OUTAGE_MS - 5_000, `recovery says down for ${String(up[0]!.downMs)} ms`);
    assert.deepEqual(logs.filter((l) => l.level >= 50), [], 'no error logged');
    assert.ok(logs.some((l) => l.msg === 'stopped'), 'ofstats logged its orderly stop');
  } finally {
    if (ofstats?.running) ofstats.signal('SIGKILL');
    await Promise.allSettled([ovs.stop(), influx.cleanup()]);
  }
});
