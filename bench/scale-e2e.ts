/**
 * One full flow-stats poll of a real Open vSwitch holding R rules, measured in this process
 * through the same pipeline `ofstats run` uses (switch manager → scheduler.pollOnce(FLOW) →
 * batchToPointBatch with a SeriesMemory → StreamSink writing line protocol, here to /dev/null),
 * next to the CPU ovs-vswitchd spends answering it (/proc utime+stime around the poll) and
 * an `ovs-ofctl dump-flows` of the same table. In process rather than `ofstats run --once`
 * so node's start-up and module loading (about 0.2 s) are not charged to the poll.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { createSwitchManager, type SwitchHandle } from '../src/connection/index.js';
import { tuneHeapForPolling } from '../src/cli/heap.js';
import { createLogger } from '../src/log.js';
import { batchToPointBatch, batchToPoints, SeriesMemory } from '../src/metrics/index.js';
import { passThroughGate, Scheduler, type PollOutcome } from '../src/scheduler/index.js';
import { requestBody } from '../src/scheduler/requests.js';
import type { PollBatch } from '../src/scheduler/types.js';
import { StreamSink, toLine } from '../src/sinks/index.js';
import { loadRules } from './scale-capture.js';
import { startOvs } from './ovs-sandbox.js';
import { cpuSeconds, load1, sleep } from './scale-proc.js';

export interface PollCost {
  /** ofstats' CPU for the whole poll, and the parts spent mapping to points and formatting. */
  cpuS: number;
  metricsS: number;
  formatS: number;
  wallS: number;
  /** Of cpuS, the main thread's (JavaScript); the rest is V8's GC threads and libuv's pool. */
  mainCpuS: number;
  ovsCpuS: number;
  entries: number;
  points: number;
}

export interface E2eResult {
  rules: number;
  load: number;
  loadS: number;
  /** The first poll builds every rule's tags; the later ones are the steady state. */
  first: PollCost;
  steady: PollCost[];
  ofctl: { wallS: number; cpuS: number; ovsCpuS: number; entries: number }[];
  /** The scheduler's FLOW entries (lean scan) give the same points as the full decoder's. */
  sameAsFullDecode: string;
}

const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** profile: write a .cpuprofile of the steady polls alone (not the set-up, not ovs-ofctl) there. */
export async function runE2e(rules: number, outDir: string, rounds: number, log: (s: string) => void, profile?: string): Promise<E2eResult> {
  // The heap settings `ofstats run` starts with.
  tuneHeapForPolling();
  const ovs = startOvs();
  const logger = await createLogger('warn');
  const manager = createSwitchManager({ connect: [ovs.target], logger, requestTimeoutMs: 120_000 });
  try {
    const loadS = loadRules(ovs, rules, join(outDir, `rules-${rules}`));
    log(`  ${rules.toLocaleString('en-US')} rules loaded into Open vSwitch in ${loadS.toFixed(1)} s`);
    const ovsPid = Number(readFileSync(join(ovs.dir, 'ovs-vswitchd.pid'), 'utf8').trim());

    const devnull = createWriteStream('/dev/null');
    const sink = new StreamSink({ format: 'line', stream: devnull });
    const memory = new SeriesMemory({ logger });
    let metricsS = 0;
    let formatS = 0;
    let points = 0;
    let lastBatch: PollBatch | undefined;
    const scheduler = new Scheduler({
      gate: passThroughGate(),
      intervalsFor: () => ({}),
      log: logger,
      requestTimeoutMs: 120_000,
      onBatch: (b) => {
        lastBatch = b;
        const t0 = cpuNow();
        const pts = batchToPointBatch(b, { prefix: '', memory });
        const t1 = cpuNow();
        sink.write(pts);
        metricsS += t1 - t0;
        formatS += cpuNow() - t1;
        points += pts.length;
      },
    });
    await manager.start();
    const t0 = Date.now();
    while (manager.switches().length === 0 && Date.now() - t0 < 10_000) await sleep(20);
    const h: SwitchHandle | undefined = manager.switches()[0];
    if (!h) throw new Error('the Open vSwitch bridge did not connect');

    const poll = async (): Promise<PollCost> => {
      metricsS = 0;
      formatS = 0;
      points = 0;
      const ovs0 = cpuSeconds(ovsPid);
      const m0 = cpuSeconds(process.pid, process.pid);
      const c0 = cpuNow();
      const w0 = performance.now();
      const [outcome] = (await scheduler.pollOnce(h, ['FLOW'])) as [PollOutcome];
      await sink.flush();
      const cpuS = cpuNow() - c0;
      const wallS = (performance.now() - w0) / 1000;
      const ovsCpuS = cpuSeconds(ovsPid) - ovs0;
      const mainCpuS = cpuSeconds(process.pid, process.pid) - m0;
      if (!outcome.ok) throw new Error(`flow poll failed: ${outcome.error}`);
      return { cpuS, metricsS, formatS, wallS, mainCpuS, ovsCpuS, entries: outcome.entries, points };
    };
    const load = load1();
    const first = await poll();
    const steady: PollCost[] = [];
    const session = profile ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    for (let i = 0; i < rounds; i++) {
      await sleep(300);
      steady.push(await poll());
    }
    if (session && profile) {
      const { profile: p } = await session.post('Profiler.stop');
      writeFileSync(profile, JSON.stringify(p));
      session.disconnect();
      log(`  CPU profile of the steady polls: ${profile}`);
    }
    // Same switch, same counters (no traffic): the full decoder's entries must map to the same lines.
    const full = await h.multipart('FLOW', requestBody('FLOW'), { timeoutMs: 120_000 });
    const lines = (b: PollBatch): string[] => batchToPoints(b, { prefix: '' }).map((p) => toLine(p) ?? '').sort();
    const a = lines(lastBatch!);
    const b = lines({ ...lastBatch!, flows: undefined, entries: full.entries });
    const diff = a.findIndex((l, i) => l !== b[i]);
    const sameAsFullDecode = a.length === b.length && diff === -1 ? `yes, ${a.length} lines` : `NO: ${a.length} vs ${b.length} lines, first difference ${a[diff]} / ${b[diff]}`;
    const ofctl = [];
    for (let i = 0; i < 3; i++) {
      const ovs0 = cpuSeconds(ovsPid);
      const w0 = performance.now();
      const r = spawnSync('/usr/bin/time', ['-f', '%U %S', 'ovs-ofctl', '-O', 'OpenFlow13', 'dump-flows', ovs.target], {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
      });
      const wallS = (performance.now() - w0) / 1000;
      if (r.status !== 0) throw new Error(`ovs-ofctl dump-flows failed: ${r.stderr}`);
      const [u, s] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
      ofctl.push({ wallS, cpuS: u! + s!, ovsCpuS: cpuSeconds(ovsPid) - ovs0, entries: r.stdout.split('\n').filter((l) => l.includes('cookie=')).length });
    }
    devnull.end();
    return { rules, load, loadS, first, steady, ofctl, sameAsFullDecode };
  } finally {
    await manager.stop().catch(() => undefined);
    ovs.stop();
  }
}
