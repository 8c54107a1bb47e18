/**
 * `npm run bench:codec`: decode speed of a real 100,000-entry flow-stats reply stream captured
 * from Open vSwitch in this run, next to `ovs-ofctl dump-flows` on the same switch.
 *
 *   node dist/bench/codec.js [--rules N] [--from-cache] [--seconds S]
 *
 * --from-cache skips Open vSwitch and decodes bench/out/flow-stats-N.bin (for profiling with
 * `node --cpu-prof dist/bench/codec.js --from-cache`); ovs-ofctl is then not measured.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Framer } from '../protocol/framer.js';
import { decodeMessage } from '../protocol/codec.js';
import { scanFlowStatsMessage, leanFlowStats } from '../protocol/fast/flow-stats-scan.js';
import { FlowStatsColumns } from '../protocol/fast/flow-stats-columns.js';
import { writeRuleFiles } from '../scripts/ovs-rules.js';
import { startOvs } from './ovs-sandbox.js';
import { captureFlowStats } from './capture.js';
import { BENCH_OUT } from './out-dir.js';

interface Args {
  rules: number;
  fromCache: boolean;
  seconds: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { rules: 100_000, fromCache: false, seconds: 1.5 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rules') a.rules = Number(argv[++i]);
    else if (argv[i] === '--from-cache') a.fromCache = true;
    else if (argv[i] === '--seconds') a.seconds = Number(argv[++i]);
  }
  return a;
}

const OUT = BENCH_OUT;

interface OfctlRun {
  wallS: number;
  cpuS: number;
  entries: number;
}

/** `ovs-ofctl dump-flows`, timed by /usr/bin/time (its own CPU, user + sys) and by wall clock. */
function timeOfctl(target: string): OfctlRun {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', 'ovs-ofctl', '-O', 'OpenFlow13', 'dump-flows', target], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const wallS = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`ovs-ofctl dump-flows failed: ${r.stderr}`);
  const [u, s] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  const entries = r.stdout.split('\n').filter((l) => l.includes('cookie=')).length;
  return { wallS, cpuS: u! + s!, entries };
}

function loadRules(ovs: ReturnType<typeof startOvs>, n: number): number {
  const files = writeRuleFiles(join(OUT, 'rules'), n);
  const t0 = performance.now();
  ovs.ofctl(['add-groups', ovs.target, files.groups]);
  for (const m of readFileSync(files.meters, 'utf8').trim().split('\n')) ovs.ofctl(['add-meter', ovs.target, m]);
  ovs.ofctl(['add-flows', ovs.target, files.flows]);
  return (performance.now() - t0) / 1000;
}

/** Throughput of `fn` (one call = one pass over the capture): best of a few timed rounds. */
function measure(fn: () => number, seconds: number): { passesPerS: number; units: number } {
  let units = fn(); // warm-up, and the count each pass produces
  for (let i = 0; i < 3; i++) units = fn();
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let passes = 0;
    const t0 = performance.now();
    let dt = 0;
    do {
      fn();
      passes++;
      dt = performance.now() - t0;
    } while (dt < (seconds * 1000) / 3);
    best = Math.max(best, passes / (dt / 1000));
  }
  return { passesPerS: best, units };
}

function pinToCore(core: number): string {
  try {
    execFileSync('taskset', ['-a', '-cp', String(core), String(process.pid)], { stdio: 'ignore' });
    return `pinned to CPU ${core} (taskset)`;
  } catch {
    return 'not pinned (taskset unavailable)';
  }
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  mkdirSync(OUT, { recursive: true });
  const cpu = cpus();
  console.log(
    `machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, node ${process.version}, ${process.platform}/${process.arch}, ` +
      `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (figures are only comparable on an idle machine)`,
  );

  const cacheFile = join(OUT, `flow-stats-${args.rules}.bin`);
  let stream: Buffer;
  let ofctl: OfctlRun[] = [];
  let captureMs = 0;
  if (args.fromCache) {
    stream = readFileSync(cacheFile);
    console.log(`decoding cached capture ${cacheFile}; ovs-ofctl not measured in this mode`);
  } else {
    const ovs = startOvs();
    try {
      const loadS = loadRules(ovs, args.rules);
      console.log(`Open vSwitch sandbox ${ovs.dir}: loaded ${fmt(args.rules)} rules in ${loadS.toFixed(1)} s`);
      const cap = await captureFlowStats(ovs.target);
      stream = cap.bytes;
      captureMs = cap.ms;
      writeFileSync(cacheFile, stream);
      console.log(`captured ${cap.messages} MULTIPART_REPLY messages, ${fmt(stream.length)} bytes in ${cap.ms.toFixed(0)} ms (cached in ${cacheFile})`);
      for (let i = 0; i < 3; i++) ofctl.push(timeOfctl(ovs.target));
    } finally {
      ovs.stop();
    }
  }
  // The switch is gone; from here on the only work is ours, on one core.
  console.log(pinToCore(0));

  const messages = new Framer().push(stream);
  const mb = stream.length / 1e6;

  // The poller's path: every part of the reply into one columns object. Fresh per pass (the
  // connection makes one per request), sized by the previous poll as the connection does.
  let lastSize = 0;
  const leanCols = measure(() => {
    const c = new FlowStatsColumns(lastSize);
    for (const m of messages) scanFlowStatsMessage(m, c);
    lastSize = c.length;
    return c.length;
  }, args.seconds);
  // The same, but growing from the default size: what the first poll of a switch costs.
  const leanColsCold = measure(() => {
    const c = new FlowStatsColumns();
    for (const m of messages) scanFlowStatsMessage(m, c);
    return c.length;
  }, args.seconds);
  // Plain objects with bigints made from the columns (tests' comparison form, not the poller's).
  const leanArr = measure(() => {
    let n = 0;
    for (const m of messages) n += leanFlowStats(m).length;
    return n;
  }, args.seconds);
  const entries = leanCols.units;

  let full: { passesPerS: number; units: number } | undefined;
  let fullError = '';
  try {
    full = measure(() => {
      let n = 0;
      for (const m of messages) {
        const d = decodeMessage(m) as unknown as { body: unknown[] };
        n += d.body.length;
      }
      return n;
    }, args.seconds);
    if (full.units !== entries) fullError = `full decode counted ${full.units} entries, lean ${entries}`;
  } catch (e) {
    fullError = `full decode failed: ${(e as Error).message}`;
  }

  const rows: string[][] = [['path', 'entries/s', 'MB/s', 'vs ovs-ofctl (CPU)', 'vs ovs-ofctl (wall)']];
  const best = ofctl.length ? ofctl.reduce((a, b) => (a.cpuS < b.cpuS ? a : b)) : undefined;
  const ofctlCpuRate = best ? best.entries / best.cpuS : 0;
  const ofctlWallRate = ofctl.length ? Math.max(...ofctl.map((r) => r.entries / r.wallS)) : 0;
  const ratio = (rate: number, base: number): string => (base ? `${(rate / base).toFixed(1)}x` : 'n/a');
  const row = (name: string, passesPerS: number): void => {
    const rate = passesPerS * entries;
    rows.push([name, fmt(rate), (passesPerS * mb).toFixed(0), ratio(rate, ofctlCpuRate), ratio(rate, ofctlWallRate)]);
  };
  if (full) row('full decode (decodeMessage)', full.passesPerS);
  row('lean scan → columns (sized by last poll)', leanCols.passesPerS);
  row('lean scan → columns (growing from 256)', leanColsCold.passesPerS);
  row('lean scan → objects with bigints', leanArr.passesPerS);
  if (best) {
    rows.push(['ovs-ofctl dump-flows (own CPU)', fmt(ofctlCpuRate), '', '1.0x', '']);
    rows.push(['ovs-ofctl dump-flows (wall)', fmt(ofctlWallRate), '', '', '1.0x']);
  }
  console.log(`\n${fmt(entries)} entries in ${messages.length} messages, ${mb.toFixed(1)} MB`);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  if (best) {
    console.log(`ovs-ofctl runs: ${ofctl.map((r) => `${r.entries} entries, ${r.wallS.toFixed(2)} s wall, ${r.cpuS.toFixed(2)} s CPU`).join('; ')}`);
    console.log(`our client fetched the same table (request to last reply byte, no decode) in ${(captureMs / 1000).toFixed(2)} s`);
  }
  if (full) {
    const target = 1_000_000;
    const fullRate = full.passesPerS * entries;
    const leanRate = leanCols.passesPerS * entries;
    console.log(`targets: full >= ${fmt(target)}/s: ${fullRate >= target ? 'met' : 'NOT met'}; lean >= 3x full: ${leanRate >= 3 * fullRate ? 'met' : 'NOT met'} (${(leanRate / fullRate).toFixed(1)}x)`);
  }
  if (fullError) {
    console.log(`full decode: ${fullError}`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
