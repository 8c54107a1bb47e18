/**
 * Loaded into the ofstats process under test with `node --import` (nothing in src changes):
 * records every poll's duration, from the scheduler's start of the poll (gate wait included,
 * as ofstats.poll.duration-ms counts it) to its outcome, and writes them to
 * $OFSTATS_BENCH_POLLS at exit as "startMs durationMs ok" lines. The self metrics carry only
 * the sum and the maximum; percentiles need every poll.
 */
import { writeFileSync } from 'node:fs';
import { Scheduler } from '../src/scheduler/scheduler.js';

const file = process.env.OFSTATS_BENCH_POLLS;
if (file) {
  const rows: string[] = [];
  type PollFn = (this: Scheduler, ...args: unknown[]) => Promise<{ ok: boolean }>;
  const proto = Scheduler.prototype as unknown as { poll: PollFn };
  const original = proto.poll;
  proto.poll = function (this: Scheduler, ...args: unknown[]) {
    const t0 = performance.now();
    const p = original.apply(this, args);
    void p.then((o) => {
      rows.push(`${Math.round(performance.timeOrigin + t0)} ${(performance.now() - t0).toFixed(2)} ${o.ok ? 1 : 0}`);
    });
    return p;
  };
  process.on('exit', () => writeFileSync(file, rows.join('\n') + '\n'));
}
