/**
 * Loaded into the ofstats process under test with `node --import` (nothing in src changes).
 * - Records every poll's duration, from the scheduler's start of the poll (gate wait
 *   included, as ofstats.poll.duration-ms counts it) to its outcome, and writes them to
 *   $OFSTATS_BENCH_POLLS at exit as "startMs durationMs ok" lines: the self metrics carry only
 *   the sum and the maximum, percentiles need every poll.
 * - Once a second writes one JSON status line to fd 3 (a pipe the benchmark reads): the
 *   scheduler's counters, switches polled, points handed to the stdout sink and dropped by it.
 *   So stdout can go to /dev/null: ofstats still formats and writes every line, and no reader
 *   on a busy machine slows it down (a slow pipe makes the sink drop points).
 */
import { writeFileSync, writeSync } from 'node:fs';
import { Scheduler } from '../src/scheduler/scheduler.js';
import { StreamSink } from '../src/sinks/stream.js';

const file = process.env.OFSTATS_BENCH_POLLS;
if (file) {
  const rows: string[] = [];
  let scheduler: Scheduler | undefined;
  const sinks = new Set<StreamSink>();
  let points = 0;

  type PollFn = (this: Scheduler, ...args: unknown[]) => Promise<{ ok: boolean }>;
  const sproto = Scheduler.prototype as unknown as { poll: PollFn };
  const poll = sproto.poll;
  sproto.poll = function (this: Scheduler, ...args: unknown[]) {
    scheduler = this;
    const t0 = performance.now();
    const p = poll.apply(this, args);
    void p.then((o) => {
      rows.push(`${Math.round(performance.timeOrigin + t0)} ${(performance.now() - t0).toFixed(2)} ${o.ok ? 1 : 0}`);
    });
    return p;
  };

  const kproto = StreamSink.prototype as unknown as { write(this: StreamSink, pts: readonly unknown[]): void };
  const write = kproto.write;
  kproto.write = function (this: StreamSink, pts: readonly unknown[]) {
    sinks.add(this);
    // Self metrics (`ofstats.*`, written on their own) are not part of the output measured.
    if (!(pts[0] as { metric?: string } | undefined)?.metric?.includes('ofstats.')) points += pts.length;
    write.call(this, pts);
  };

  const status = (): void => {
    const s = scheduler?.stats;
    const line = JSON.stringify({
      t: Date.now(), switches: scheduler?.switchCount ?? 0, points,
      dropped: [...sinks].reduce((n, k) => n + k.dropped, 0),
      ok: s?.pollsOk ?? 0, failed: s?.pollsFailed ?? 0, skipped: s?.pollsSkipped ?? 0, slowed: s?.pollsSlowed ?? 0,
    });
    try {
      writeSync(3, line + '\n');
    } catch {
      /* the benchmark is gone */
    }
  };
  setInterval(status, 1000).unref();
  process.on('exit', () => {
    status();
    writeFileSync(file, rows.join('\n') + '\n');
  });
}
