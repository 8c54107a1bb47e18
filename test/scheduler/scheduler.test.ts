import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import type { MultipartOptions, MultipartResult, SwitchHandle, StatRequestType } from '../../src/connection/types.js';
import { FlowStatsColumns } from '../../protocol/fast/flow-stats-columns.js';
import { FakeClock, realClock } from '../../src/scheduler/clock.js';
import { createGate, passThroughGate, type Gate } from '../../src/scheduler/gate.js';
import { Scheduler, type Log } from '../../src/scheduler/scheduler.js';
import type { IntervalsMs, PollBatch, StatType } from '../../src/scheduler/types.js';

interface Call { type: StatRequestType; at: number; body: unknown[] | undefined; lean: boolean }

/** What a lean FLOW request gives: `n` rules as columns (cookie i+1, i packets). */
function flowColumns(n: number): FlowStatsColumns {
  const c = new FlowStatsColumns(n);
  for (let i = 0; i < n; i++) {
    c.cookieLo[i] = i + 1;
    c.packetsLo[i] = i;
  }
  c.length = n;
  return c;
}

/** A switch whose answers take `delay(type)` ms of fake time, or fail as `fail(type)` says. */
function fakeSwitch(clock: { now(): number; setTimeout(fn: () => void, ms: number): unknown }, n: number, opts: {
  delay?: (type: StatRequestType, call: number) => number;
  fail?: (type: StatRequestType) => Error | undefined;
} = {}): SwitchHandle & { calls: Call[] } {
  const calls: Call[] = [];
  const dpid = BigInt(n);
  return {
    switchId: 'SW' + dpid.toString(16).toUpperCase().padStart(16, '0'),
    dpid,
    peer: `tcp:127.0.0.1:${40000 + n}`,
    desc: undefined,
    ports: new Map([[1, { port_no: 1, name: 'p1', hw_addr: '00:00:00:00:00:01' }]]),
    connected: true,
    calls,
    multipart<E>(type: StatRequestType, body?: unknown[], mo?: MultipartOptions): Promise<MultipartResult<E>> {
      const lean = mo?.lean === true;
      calls.push({ type, at: clock.now(), body, lean });
      const d = opts.delay?.(type, calls.length) ?? 0;
      return new Promise((resolve, reject) => {
        clock.setTimeout(() => {
          const err = opts.fail?.(type);
          if (err) reject(err);
          // As the connection answers: a lean FLOW request's entries come as columns.
          else if (lean && type === 'FLOW') resolve({ entries: [], flows: flowColumns(3), arrivedAt: clock.now(), parts: 1 });
          else resolve({ entries: [{ n: calls.length }] as E[], arrivedAt: clock.now(), parts: 1 });
        }, d);
      });
    },
  };
}

function failure(kind: string, errorType?: string, errorCode?: string): Error {
  return Object.assign(new Error(`${kind} ${errorType ?? ''}`), { kind, errorType, errorCode });
}

function recordingLog(): Log & { lines: { level: string; msg: string; obj: object }[] } {
  const lines: { level: string; msg: string; obj: object }[] = [];
  const at = (level: string) => (obj: object, msg: string) => { lines.push({ level, msg, obj }); };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn') };
}

function setup(intervals: IntervalsMs, o: { gate?: Gate; random?: () => number } = {}) {
  const clock = new FakeClock();
  const log = recordingLog();
  const batches: PollBatch[] = [];
  const s = new Scheduler({
    gate: o.gate ?? passThroughGate(),
    intervalsFor: () => intervals,
    onBatch: (b) => batches.push(b),
    log,
    clock,
    random: o.random ?? (() => 0),
  });
  return { clock, log, batches, s };
}

test('fake switches: each stat type polls on its own interval and becomes one batch per poll', async () => {
  const { clock, s, batches } = setup({ PORT_STATS: 10_000, FLOW: 30_000 });
  const sw = fakeSwitch(clock, 1);
  s.addSwitch(sw);
  await clock.advance(60_000);
  const ports = sw.calls.filter((c) => c.type === 'PORT_STATS').length;
  const flows = sw.calls.filter((c) => c.type === 'FLOW').length;
  // random() = 0: first poll at t=0, then every interval, up to and including t=60 s.
  assert.equal(ports, 7);
  assert.equal(flows, 3);
  assert.equal(batches.length, 10);
  const b = batches.find((x) => x.statType === 'FLOW')!;
  assert.equal(b.switchId, 'SW0000000000000001');
  assert.equal(b.dpid, 1n);
  assert.equal(b.ports.get(1), 'p1');
  assert.equal(typeof b.arrivedAt, 'number');
  // FLOW is asked for the lean scan and its batch carries the columns; other types carry entries.
  assert.ok(sw.calls.filter((c) => c.type === 'FLOW').every((c) => c.lean));
  assert.ok(sw.calls.filter((c) => c.type !== 'FLOW').every((c) => !c.lean));
  assert.equal(b.flows?.length, 3);
  assert.equal(b.flows.cookie(2), 3n);
  assert.deepEqual(b.entries, []);
  const pb = batches.find((x) => x.statType === 'PORT_STATS')!;
  assert.equal(pb.flows, undefined);
  assert.equal(pb.entries.length, 1);
  assert.deepEqual(sw.calls.find((c) => c.type === 'PORT_STATS')!.body, [{ port_no: 0xffffffff }]);
  assert.equal(s.stats.pollsOk, 10);
  s.stop();
  assert.equal(clock.pending, 0);
});

test('fake switches: first polls of 1,000 switches are spread over the interval, not one burst', async () => {
  let seed = 42;
  // A small deterministic generator stands in for Math.random.
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const { clock, s } = setup({ PORT_STATS: 10_000 }, { random });
  const sws = Array.from({ length: 1000 }, (_, i) => fakeSwitch(clock, i + 1));
  const t0 = clock.now();
  for (const sw of sws) s.addSwitch(sw);
  await clock.advance(9_999);
  const perSecond = new Array(10).fill(0);
  for (const sw of sws) for (const c of sw.calls) perSecond[Math.floor((c.at - t0) / 1000)]++;
  assert.equal(perSecond.reduce((a, b) => a + b, 0), 1000);
  // Uniform spread: about 100 a second; a burst would put them all in the first.
  for (const n of perSecond) assert.ok(n > 60 && n < 140, `per-second first polls ${perSecond}`);
  s.stop();
});

test('fake switches: a poll still running when its next turn comes is skipped and counted', async () => {
  const { clock, s, log } = setup({ TABLE: 1_000 });
  // First answer takes 2.5 s, then answers are instant.
  const sw = fakeSwitch(clock, 1, { delay: (_t, call) => (call === 1 ? 2_500 : 0) });
  s.addSwitch(sw);
  await clock.advance(2_600);
  // Turns at t=0 (runs), t=1 s and t=2 s (skipped: still running).
  assert.equal(sw.calls.length, 1);
  assert.equal(s.stats.pollsSkipped, 2);
  assert.ok(log.lines.some((l) => l.msg.includes('skipped')));
  s.stop();
});

test('fake switches: a switch slower than its interval is slowed down (doubling) and recovers (halving)', async () => {
  const { clock, s, log } = setup({ FLOW: 1_000 });
  let delay = 1_500;
  const sw = fakeSwitch(clock, 7, { delay: () => delay });
  s.addSwitch(sw);
  await clock.advance(1_600);
  assert.equal(s.intervalOf(sw.switchId, 'FLOW'), 2_000);
  assert.equal(s.stats.pollsSlowed, 1);
  assert.ok(log.lines.some((l) => l.level === 'warn' && l.msg.includes('interval doubled')));
  // 1.5 s fits in 2 s but not in half of it: the interval stays.
  await clock.advance(6_000);
  assert.equal(s.intervalOf(sw.switchId, 'FLOW'), 2_000);
  delay = 3_000;
  await clock.advance(6_000);
  assert.equal(s.intervalOf(sw.switchId, 'FLOW'), 4_000);
  assert.equal(s.stats.pollsSlowed, 2);
  // Fast again: halved step by step back to the configured interval, and the log says so.
  delay = 10;
  await clock.advance(20_000);
  assert.equal(s.intervalOf(sw.switchId, 'FLOW'), 1_000);
  assert.ok(log.lines.some((l) => l.msg.includes('interval halved')));
  assert.ok(log.lines.some((l) => l.msg.includes('configured interval restored')));
  s.stop();
});

test('fake switches: slowing down stops at maxSlowdown times the configured interval', async () => {
  const clock = new FakeClock();
  const s = new Scheduler({
    gate: passThroughGate(), intervalsFor: () => ({ GROUP: 1_000 }), onBatch: () => {},
    log: recordingLog(), clock, random: () => 0, maxSlowdown: 4,
  });
  s.addSwitch(fakeSwitch(clock, 1, { delay: () => 60_000 }));
  await clock.advance(600_000);
  assert.equal(s.intervalOf('SW0000000000000001', 'GROUP'), 4_000);
  assert.equal(s.stats.pollsSlowed, 2);
  s.stop();
});

test('fake switches: a stat type answered with BAD_REQUEST is switched off for that switch only, with one log line', async () => {
  const { clock, s, log } = setup({ METER: 1_000, PORT_STATS: 1_000 });
  const a = fakeSwitch(clock, 1, { fail: (t) => (t === 'METER' ? failure('error-reply', 'BAD_REQUEST', 'BAD_MULTIPART') : undefined) });
  const b = fakeSwitch(clock, 2);
  s.addSwitch(a);
  s.addSwitch(b);
  await clock.advance(10_000);
  assert.equal(a.calls.filter((c) => c.type === 'METER').length, 1);
  assert.equal(a.calls.filter((c) => c.type === 'PORT_STATS').length, 11);
  assert.equal(b.calls.filter((c) => c.type === 'METER').length, 11);
  assert.equal(s.intervalOf(a.switchId, 'METER'), undefined);
  assert.equal(log.lines.filter((l) => l.msg.includes('does not support METER')).length, 1);
  assert.equal(s.stats.pollsUnsupported, 1);
  assert.equal(s.stats.pollsFailed, 0);
  s.stop();
});

test('fake switches: other failures are counted, keep the schedule, and warn once per streak', async () => {
  const { clock, s, log } = setup({ TABLE: 1_000 });
  let broken = true;
  s.addSwitch(fakeSwitch(clock, 1, { fail: () => (broken ? failure('timeout') : undefined) }));
  await clock.advance(4_500);
  assert.equal(s.stats.pollsFailed, 5);
  assert.equal(log.lines.filter((l) => l.level === 'warn' && l.msg === 'poll failed').length, 1);
  broken = false;
  await clock.advance(1_000);
  assert.equal(s.stats.pollsOk, 1);
  assert.ok(log.lines.some((l) => l.msg === 'polling works again'));
  s.stop();
});

test('fake switches: a switch that goes away is no longer polled; its replacement with the same id is', async () => {
  const { clock, s } = setup({ DESC: 1_000 });
  const first = fakeSwitch(clock, 3);
  s.addSwitch(first);
  await clock.advance(1_500);
  s.removeSwitch(first.switchId, first);
  await clock.advance(5_000);
  assert.equal(first.calls.length, 2);
  const again = fakeSwitch(clock, 3);
  s.addSwitch(again);
  // A stale switch-down for the old handle does not remove the new one.
  s.removeSwitch(first.switchId, first);
  await clock.advance(2_500);
  assert.equal(again.calls.length, 3);
  assert.equal(s.switchCount, 1);
  s.stop();
  assert.equal(s.switchCount, 0);
});

test('fake switches: stop() then drain(): no new polls, running ones finish within the grace period', async () => {
  const { clock, s, batches } = setup({ FLOW: 1_000 });
  s.addSwitch(fakeSwitch(clock, 1, { delay: () => 500 }));
  await clock.advance(100);
  assert.equal(s.inFlight, 1);
  s.stop();
  const drained = s.drain(2_000);
  await clock.advance(600);
  assert.equal(await drained, true);
  assert.equal(batches.length, 1);
  await clock.advance(5_000);
  assert.equal(batches.length, 1);
});

test('fake switches: drain() gives up after the grace period', async () => {
  const { clock, s } = setup({ FLOW: 1_000 });
  s.addSwitch(fakeSwitch(clock, 1, { delay: () => 60_000 }));
  await clock.advance(10);
  s.stop();
  const drained = s.drain(1_000);
  await clock.advance(1_000);
  assert.equal(await drained, false);
});

test('fake switches: pollOnce polls each type once and reports unsupported types apart from failures', async () => {
  const { clock, s, batches } = setup({});
  const sw = fakeSwitch(clock, 1, {
    fail: (t) => (t === 'GROUP' ? failure('error-reply', 'BAD_REQUEST', 'BAD_TYPE') : t === 'METER' ? failure('timeout') : undefined),
  });
  const types: StatType[] = ['FLOW', 'GROUP', 'METER'];
  const p = s.pollOnce(sw, types);
  await clock.advance(0);
  const out = await p;
  assert.deepEqual(out.map((o) => [o.statType, o.ok, o.ok ? o.entries : o.unsupported]), [
    ['FLOW', true, 3], ['GROUP', false, true], ['METER', false, false],
  ]);
  assert.equal(batches.length, 1);
});

test('fake switches: global caps (p-queue): requests per second and in flight, across all switches', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 0 });
  try {
    const gate = createGate({ requestsPerSecond: 5, requestsInFlight: 3 });
    // The real clock reads the mocked globals, so the scheduler and p-queue share one time.
    const clock = realClock;
    const s = new Scheduler({
      gate, intervalsFor: () => ({ PORT_STATS: 100_000 }), onBatch: () => {}, log: recordingLog(), clock, random: () => 0,
    });
    let maxInFlight = 0;
    const starts: number[] = [];
    const sws = Array.from({ length: 20 }, (_, i) => fakeSwitch(clock, i + 1, { delay: () => 100 }));
    for (const sw of sws) {
      const orig = sw.multipart.bind(sw);
      sw.multipart = ((type: StatRequestType, body?: unknown[]) => {
        starts.push(Date.now());
        maxInFlight = Math.max(maxInFlight, gate.inFlight);
        return orig(type, body);
      }) as typeof sw.multipart;
      s.addSwitch(sw);
    }
    for (let i = 0; i < 100; i++) {
      t.mock.timers.tick(50);
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(starts.length, 20);
    assert.ok(maxInFlight <= 3, `in flight ${maxInFlight}`);
    // No rolling second holds more than 5 starts.
    for (const a of starts) assert.ok(starts.filter((b) => b >= a && b < a + 1000).length <= 5, `starts ${starts}`);
    s.stop();
  } finally {
    t.mock.timers.reset();
  }
});

test('fake switches: stopping rejects requests still waiting for the caps, so drain() does not hang on them', async () => {
  const gate = createGate({ requestsPerSecond: 1000, requestsInFlight: 1 });
  let release!: () => void;
  const first = gate.add(() => new Promise<void>((r) => { release = r; }));
  const second = gate.add(async () => 'ran');
  assert.equal(gate.waiting, 1);
  gate.clear();
  await assert.rejects(second);
  release();
  await first;
  void mock;
});
