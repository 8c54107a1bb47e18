/**
 * Makes the regression fixtures of pcap-fixtures/ (README there):
 *
 *   npm run fixtures:capture [-- NAME...]           every fixture below (or the named ones),
 *                                                   recorded from a real Open vSwitch
 *   npm run fixtures:add -- NAME CAPTURE [REGISTRY] [--prefix P] [--force]
 *                                                   a fixture from any capture, printed for review
 *
 * `capture` builds test/peers/scenario.ts's OpenKilda-style network, injects its traffic, runs
 * the built `ofstats run --once` dialling the bridges (with the scenario's registry) while
 * tshark records on loopback, then computes the points from the capture with the offline
 * pipeline (src/offline/sessions.ts). Nothing is written unless that result equals ovs-ofctl's
 * dumps of the same switches taken in the same pause of traffic (test/fixtures/truth-check.ts)
 * and what the live run printed (timestamps aside).
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sniffFormat } from '../src/capture/capture-file.js';
import { pointsOfBatches } from '../src/offline/points.js';
import type { CaptureBatches } from '../src/offline/sessions.js';
import { STAT_TYPES, type StatType } from '../src/scheduler/types.js';
import { startCapture } from '../test/capture/tshark.js';
import {
  CAPTURE_NAMES, captureBytes, compute, diffLines, dpidOptions, EXPECTED_NAMES, expectedPath, FIXTURES_DIR, linesText, loadRegistry, readLines,
  REGISTRY_NAMES, writeMaybeGzipped,
} from '../test/fixtures/fixture.js';
import { startRelay, type Relay, type RelayConn } from '../test/fixtures/relay.js';
import { checkEntries, checkPoints } from '../test/fixtures/truth-check.js';
import { killVswitchd } from '../test/peers/ovs-extra.js';
import { startScenario, type Scenario } from '../test/peers/scenario.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const PREFIX = 'kilda';
const OFPMP_FLOW = 1;
const MULTIPART_REPLY = 19;
/** A multipart type Open vSwitch does not know in OpenFlow 1.3 (OpenFlow 1.4's TABLE_DESC). */
const UNKNOWN_MULTIPART_TYPE = 14;

interface Spec {
  name: string;
  description: string;
  /** Scenario switch indices ofstats dials. */
  dial: number[];
  /** test/peers/scenario.ts's filler rules (on every switch). */
  fillerRules?: number;
  /** Extra never-hit rules on one switch only. */
  extra?: { sw: number; rules: number };
  /** Stat types whose requests the relay makes Open vSwitch refuse. */
  refuse?: StatType[];
  /** Kill ovs-vswitchd once this switch's FLOW reply has streamed this many bytes. */
  cut?: { sw: number; afterBytes: number };
}

const SPECS: Spec[] = [
  {
    name: 'openkilda-3-switches',
    description: 'Three bridges as a three-switch path with flow, one-switch, Y- and HA-flow rules, satellites, service rules, ' +
      'flow and service meters (some dropping), an HA Y-point group and traffic: every stat type of every switch, one poll.',
    dial: [0, 1, 2],
  },
  {
    name: 'flows-10000',
    description: 'The same network with 10,000 more rules per switch; SW2 polled: its FLOW reply spans many MULTIPART_REPLY messages.',
    dial: [1],
    fillerRules: 10_000,
  },
  {
    name: 'refused-meters-groups',
    description: 'The network as a switch without meters and groups sees it: Open vSwitch answers METER, METER_CONFIG, GROUP and ' +
      'GROUP_DESC with ERROR BAD_REQUEST/BAD_MULTIPART (the relay hands it those requests with a multipart type it does not ' +
      'know; see README). The other stat types give points; the refused ones none.',
    dial: [0, 1, 2],
    refuse: ['METER', 'METER_CONFIG', 'GROUP', 'GROUP_DESC'],
  },
  {
    name: 'cut-mid-flow-reply',
    description: 'SW1 and SW3 polled; SW3 holds 60,000 more rules and ovs-vswitchd is killed (SIGKILL) while SW3\'s FLOW reply ' +
      'streams: SW1 gives all its points, SW3 only those of replies completed before the cut.',
    dial: [0, 2],
    extra: { sw: 2, rules: 60_000 },
    cut: { sw: 2, afterBytes: 256 * 1024 },
  },
];

// ---- running ofstats ----

interface CliRun { status: number | null; stdout: string; stderr: string }

function runOfstats(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(guard);
      resolve({ status, stdout, stderr });
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Never-hit rules in table 1 of one switch: unknown flow cookies and service cookies. */
function extraRules(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const cookie = i % 2 === 0 ? 0x4000000000000000n | BigInt(0x20000 + i) : 0x8000000000000000n | BigInt(0x20000 + i);
    lines.push(`table=1,priority=20,cookie=0x${cookie.toString(16)},udp,in_port=${1 + (i % 6)},tp_dst=${1 + (i % 60000)},tp_src=${1 + Math.floor(i / 60000)},actions=output:${1 + ((i + 1) % 6)}`);
  }
  return lines.join('\n') + '\n';
}

/** Series (measurement, tags) → timestamp, from line protocol; ofstats' own metrics left out. */
function seriesTimes(lines: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) {
    const x = / (\d+)$/.exec(l);
    if (!x || /^(\w+\.)?ofstats\./.test(l)) continue;
    m.set(l.slice(0, x.index), Number(x[1]));
  }
  return m;
}

// ---- one fixture ----

interface Made { name: string; files: Record<string, number> }

async function makeFixture(spec: Spec): Promise<Made> {
  const work = mkdtempSync(join(tmpdir(), `ofstats-fixture-${spec.name}-`));
  let scenario: Scenario | undefined;
  const relays: Relay[] = [];
  try {
    log(`${spec.name}: building the scenario`);
    scenario = await startScenario(spec.fillerRules !== undefined ? { fillerRules: spec.fillerRules } : {});
    const sc = scenario;
    if (spec.extra) {
      const file = join(work, 'extra.flows');
      writeFileSync(file, extraRules(spec.extra.rules));
      await sc.ovs.ofctl('-O', 'OpenFlow13', 'add-flows', sc.bridges[spec.extra.sw]!.mgmt, file);
    }
    log(`${spec.name}: injecting traffic`);
    const truth = await sc.inject();

    const switchPorts = new Map<number, number>();
    for (const i of spec.dial) switchPorts.set(i, await sc.ovs.listen(sc.bridges[i]!.name));
    // Where ofstats dials: the bridges themselves, or relays in front of them.
    const dialPorts = new Map<number, number>();
    let cutDone: Promise<void> | undefined;
    const cutConns: RelayConn[] = [];
    for (const i of spec.dial) {
      if (!spec.refuse && !spec.cut) {
        dialPorts.set(i, switchPorts.get(i)!);
        continue;
      }
      const refuse = new Set<number>((spec.refuse ?? []).map((t) => MP_CODE[t]));
      let flowBytes = 0;
      const relay = await startRelay(switchPorts.get(i)!, {
        toSwitch: (m) => {
          if (m[1] === 18 && refuse.has(m.readUInt16BE(8))) m.writeUInt16BE(UNKNOWN_MULTIPART_TYPE, 8);
          return m;
        },
        fromSwitch: (m, conn) => {
          if (spec.cut?.sw !== i || cutDone || m[1] !== MULTIPART_REPLY || m.readUInt16BE(8) !== OFPMP_FLOW) return;
          flowBytes += m.length;
          if (flowBytes < spec.cut.afterBytes) return;
          conn.upstream.pause();
          cutDone = cutSwitch(sc, conn, relays.filter((r) => r !== relay));
        },
      });
      relays.push(relay);
      cutConns.push(...relay.conns);
      dialPorts.set(i, relay.port);
    }

    const capFile = join(work, 'capture.pcapng');
    const filter = [...dialPorts.values()].map((p) => `tcp port ${p}`).join(' or ');
    const cap = await startCapture({ ifaces: ['lo'], filter, file: capFile });
    log(`${spec.name}: ofstats run --once, capturing`);
    const registryFile = sc.registryFile;
    const run = await runOfstats([
      '--once', '--wait', '10', '--metric-prefix', PREFIX, '--registry', registryFile, '--output', 'line', '--log-level', 'warn',
      ...[...dialPorts.values()].flatMap((p) => ['--connect', `tcp:127.0.0.1:${p}`]),
    ]);
    if (cutDone) await cutDone;
    await sleep(500); // the closing segments
    await cap.stop();
    const problems: string[] = [];
    const expectStatus = spec.cut ? 1 : 0;
    if (run.status !== expectStatus) problems.push(`ofstats run --once exited ${run.status}, expected ${expectStatus}:\n${run.stderr}`);
    if (spec.cut && !cutDone) problems.push('the FLOW reply never reached the cut point: ovs-vswitchd was not killed');
    if (!spec.cut) {
      const after = await sc.truth();
      if (JSON.stringify(after, jsonable) !== JSON.stringify(truth, jsonable)) problems.push('counters moved while ofstats polled: the capture cannot be checked');
    }

    // The offline pipeline over the capture, exactly as the regression test runs it.
    const capture = readFileSync(capFile);
    const registry = loadRegistry(registryFile);
    const computed = compute(capture, registry, PREFIX);
    const { batches } = computed;
    const { points } = pointsOfBatches(batches.batches, { prefix: PREFIX, ...(registry ? { registry } : {}) });

    const dialledIds = spec.dial.map((i) => sc.switchIds[i]!);
    const dialledTruth = spec.dial.map((i) => truth[i]!);
    problems.push(...checkEntries(batches.batches, dialledIds, dialledTruth));
    problems.push(...checkPoints(points, PREFIX, sc.switchIds, truth, sc.description));
    problems.push(...checkShape(spec, batches, sc.switchIds));
    problems.push(...checkLive(run.stdout, computed.lines));
    if (points.length === 0) problems.push('no points at all');
    if (problems.length > 0) throw new Error(`${spec.name}: not written, the capture does not check out:\n  ${problems.slice(0, 40).join('\n  ')}${problems.length > 40 ? `\n  ... ${problems.length - 40} more` : ''}`);

    const dir = join(FIXTURES_DIR, spec.name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeMaybeGzipped(dir, 'capture.pcapng', capture);
    copyFileSync(registryFile, join(dir, 'registry.yaml'));
    writeFileSync(join(dir, 'fixture.json'), JSON.stringify({
      prefix: PREFIX,
      description: spec.description,
      source: `npm run fixtures:capture (scripts/fixtures-capture.ts), ${ovsVersion()}, ${new Date().toISOString().slice(0, 10)}`,
      switches: Object.fromEntries(spec.dial.map((i) => [sc.switchIds[i]!, sc.bridges[i]!.name])),
      checked: 'every counter equals ovs-ofctl dump-flows/dump-ports/dump-tables/meter-stats/dump-group-stats of the same switches ' +
        'in the same pause of traffic; the points equal what ofstats run --once printed, timestamps aside',
    }, null, 2) + '\n');
    writeMaybeGzipped(dir, 'expected.lp', Buffer.from(linesText(computed.lines)));
    writeFileSync(join(dir, 'expected-unanswered.txt'), linesText(computed.unanswered));
    log(`${spec.name}: ${computed.lines.length} points, ${batches.batches.length} polls, ${batches.unanswered.length} without a batch` +
      `, largest reply ${Math.max(0, ...batches.parts)} parts`);
    return { name: spec.name, files: sizes(dir) };
  } finally {
    for (const r of relays) await r.close();
    await scenario?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

const MP_CODE: Record<StatType, number> = {
  DESC: 0, FLOW: 1, TABLE: 3, PORT_STATS: 4, GROUP: 6, GROUP_DESC: 7, METER: 9, METER_CONFIG: 10, PORT_DESC: 13,
};

/**
 * With ovs-vswitchd's reply held back mid-stream (`conn` paused): wait until the other
 * switches have answered everything, kill ovs-vswitchd, and let what it had sent flow on.
 */
async function cutSwitch(sc: Scenario, conn: RelayConn, others: Relay[]): Promise<void> {
  const until = Date.now() + 20_000;
  await sleep(300);
  while (Date.now() < until && !others.every((r) => r.conns.length > 0 && r.conns.every((c) => c.outstanding.size === 0))) await sleep(20);
  await killVswitchd(sc.ovs);
  conn.upstream.resume();
}

/** The polls the fixture's story needs, and no batch for what must have none. */
function checkShape(spec: Spec, b: CaptureBatches, switchIds: readonly string[]): string[] {
  const problems: string[] = [];
  const have = new Set(b.batches.map((x) => `${x.switchId} ${x.statType}`));
  const refused = new Set<string>(spec.refuse ?? []);
  for (const i of spec.dial) {
    const id = switchIds[i]!;
    const cut = spec.cut?.sw === i;
    for (const t of STAT_TYPES) {
      const want = !refused.has(t) && !cut;
      if (want && !have.has(`${id} ${t}`)) problems.push(`${id}: no ${t} poll in the capture`);
      if (!want && have.has(`${id} ${t}`) && (refused.has(t) || t === 'FLOW')) problems.push(`${id}: a ${t} poll that should have been refused or cut`);
    }
    for (const t of refused) {
      if (!b.unanswered.some((u) => u.switchId === id && u.multipartType === t && u.reason === 'error' && /BAD_REQUEST/.test(u.detail))) {
        problems.push(`${id}: no ERROR BAD_REQUEST for ${t}`);
      }
    }
    if (cut && !b.unanswered.some((u) => u.switchId === id && u.multipartType === 'FLOW' && u.reason === 'cut-off')) problems.push(`${id}: no FLOW reply cut off`);
  }
  if (spec.fillerRules !== undefined && !b.batches.some((x, k) => x.statType === 'FLOW' && b.parts[k]! > 1)) problems.push('no FLOW reply in several parts');
  return problems;
}

/** What ofstats printed live equals the offline points, series by series; its reply times precede the print. */
function checkLive(stdout: string, offline: readonly string[]): string[] {
  const live = seriesTimes(stdout.split('\n').filter((l) => l !== ''));
  const off = seriesTimes(offline);
  const strip = (m: Map<string, number>) => [...m.keys()].sort();
  const diff = diffLines(strip(live), strip(off));
  if (diff !== undefined) return [`ofstats printed other points than the offline pipeline computes:\n${diff}`];
  const problems: string[] = [];
  for (const [k, t] of off) {
    const l = live.get(k)!;
    if (t > l || l - t > 2_000) problems.push(`${k}: captured at ${t}, ofstats stamped ${l}`);
  }
  return problems;
}

const jsonable = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? [...v] : v);

function ovsVersion(): string {
  try {
    return execFileSync('ovs-vswitchd', ['--version'], { encoding: 'utf8' }).split('\n')[0]!.trim();
  } catch {
    return 'Open vSwitch';
  }
}

function sizes(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of [...EXPECTED_NAMES, 'expected-unanswered.txt', 'fixture.json', ...CAPTURE_NAMES, ...REGISTRY_NAMES]) {
    const p = join(dir, n);
    if (existsSync(p)) out[n] = statSync(p).size;
  }
  return out;
}

function log(msg: string): void {
  process.stderr.write(`fixtures: ${msg}\n`);
}

// ---- fixtures:add ----

function addFixture(args: string[]): number {
  let prefix = '';
  let force = false;
  const dpids: Record<string, string> = {};
  const pos: string[] = [];
  for (let k = 0; k < args.length; k++) {
    if (args[k] === '--prefix') prefix = args[++k] ?? '';
    else if (args[k] === '--force') force = true;
    else if (args[k] === '--dpid') {
      // DPID, or SWITCH_IP:PORT=DPID: for sessions whose handshake the capture missed.
      const v = args[++k] ?? '';
      const eq = v.lastIndexOf('=');
      const [where, id] = eq < 0 ? ['*', v] : [v.slice(0, eq), v.slice(eq + 1)];
      if (!/^(0x[0-9a-fA-F]{1,16}|[0-9]{1,20})$/.test(id)) {
        process.stderr.write(`--dpid ${v}: a datapath id is decimal or 0x hex\n`);
        return 2;
      }
      dpids[where] = id;
    } else pos.push(args[k]!);
  }
  const [name, capturePath, registryPath] = pos;
  if (!name || !capturePath || pos.length > 3 || !/^[A-Za-z0-9._-]+$/.test(name)) {
    process.stderr.write('usage: npm run fixtures:add -- NAME CAPTURE [REGISTRY] [--prefix PREFIX] [--dpid [SWITCH_IP:PORT=]DPID]... [--force]\n');
    return 2;
  }
  // npm runs scripts from the package root; paths are the caller's.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const cap = resolve(cwd, capturePath);
  const reg = registryPath === undefined ? undefined : resolve(cwd, registryPath);
  const dir = join(FIXTURES_DIR, name);
  if (existsSync(dir) && !force) {
    process.stderr.write(`${dir} exists: pick another name, or --force to replace it\n`);
    return 2;
  }
  const raw = captureBytes(cap);
  const format = sniffFormat(raw.subarray(0, 4));
  if (format === undefined) {
    process.stderr.write(`${cap}: not a pcap or pcapng file\n`);
    return 2;
  }
  const registry = loadRegistry(reg);
  const hasDpids = Object.keys(dpids).length > 0;
  const computed = compute(raw, registry, prefix, dpidOptions(hasDpids ? dpids : undefined));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeMaybeGzipped(dir, `capture.${format}`, raw);
  if (reg !== undefined) copyFileSync(reg, join(dir, /\.json$/i.test(reg) ? 'registry.json' : 'registry.yaml'));
  writeFileSync(join(dir, 'fixture.json'), JSON.stringify({
    prefix,
    description: `added from ${basename(cap)}`,
    ...(hasDpids ? { dpids } : {}),
    source: `npm run fixtures:add, ${new Date().toISOString().slice(0, 10)}`,
    checked: 'NOT against the switch: expected.lp is what this version of ofstats computed; a reviewer compared it with the switch\'s own counters (say who, when, how)',
  }, null, 2) + '\n');
  writeMaybeGzipped(dir, 'expected.lp', Buffer.from(linesText(computed.lines)));
  writeFileSync(join(dir, 'expected-unanswered.txt'), linesText(computed.unanswered));
  report(computed.batches, computed.unanswered, computed.resets);
  process.stdout.write(linesText(computed.lines));
  process.stderr.write(`\nwrote ${dir} (${Object.entries(sizes(dir)).map(([n, s]) => `${n} ${s} B`).join(', ')}).\n` +
    'REVIEW expected.lp above against the switch\'s own counters before committing: it is only as good as that check.\n');
  return 0;
}

function report(b: CaptureBatches, unanswered: string[], resets: string[]): void {
  const w = (s: string) => process.stderr.write(s + '\n');
  for (const s of b.sessions) w(`session ${s.name}: ${s.switchId ?? 'no datapath id'}, ${s.batches} poll(s), ${s.unanswered} without a batch`);
  const per = new Map<string, number>();
  for (const x of b.batches) per.set(`${x.switchId} ${x.statType}`, (per.get(`${x.switchId} ${x.statType}`) ?? 0) + x.entries.length);
  for (const [k, n] of [...per].sort()) w(`  ${k}: ${n} entries`);
  for (const u of unanswered) w(`no batch: ${u}`);
  for (const n of b.notices) w(`notice: ${n}`);
  for (const r of resets) w(`counter reset: ${r}`);
}

// ---- main ----

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === 'add') return addFixture(rest);
  if (cmd !== 'capture') {
    process.stderr.write('usage: fixtures-capture.js capture [NAME...] | add NAME CAPTURE [REGISTRY] [--prefix P] [--dpid [IP:PORT=]DPID]... [--force]\n');
    return 2;
  }
  const unknown = rest.filter((n) => !SPECS.some((s) => s.name === n));
  if (unknown.length > 0) {
    process.stderr.write(`unknown fixture(s): ${unknown.join(', ')}; known: ${SPECS.map((s) => s.name).join(', ')}\n`);
    return 2;
  }
  const made: Made[] = [];
  for (const spec of SPECS.filter((s) => rest.length === 0 || rest.includes(s.name))) made.push(await makeFixture(spec));
  for (const m of made) process.stdout.write(`${m.name}: ${Object.entries(m.files).map(([n, s]) => `${n} ${s} B`).join(', ')}\n`);
  // The fixtures as written must pass the regression test's own reading.
  for (const m of made) {
    const dir = join(FIXTURES_DIR, m.name);
    const meta = JSON.parse(readFileSync(join(dir, 'fixture.json'), 'utf8')) as { prefix: string };
    const cap = CAPTURE_NAMES.map((n) => join(dir, n)).find((p) => existsSync(p))!;
    const again = compute(captureBytes(cap), loadRegistry(join(dir, 'registry.yaml')), meta.prefix);
    const d = diffLines(readLines(expectedPath(dir)!), again.lines);
    if (d !== undefined) throw new Error(`${m.name}: the stored fixture reads back differently:\n${d}`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`fixtures: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
