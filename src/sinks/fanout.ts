/** Several sinks at once: each gets every batch; one failing sink does not stop the others. */
import type { PointBatch } from '../metrics/point-batch.js';
import type { Sink } from './types.js';

export class FanoutSink implements Sink {
  readonly name = 'fanout';
  constructor(private readonly sinks: readonly Sink[], private readonly onError: (sink: string, err: unknown) => void = () => {}) {}

  write(batch: PointBatch): void {
    if (batch.length === 0) return;
    for (const s of this.sinks) {
      try {
        s.write(batch);
      } catch (e) {
        this.onError(s.name, e);
      }
    }
  }

  async flush(): Promise<void> {
    await this.each((s) => s.flush());
  }

  async close(): Promise<void> {
    await this.each((s) => s.close());
  }

  private async each(f: (s: Sink) => Promise<void>): Promise<void> {
    const res = await Promise.allSettled(this.sinks.map(f));
    res.forEach((r, i) => {
      if (r.status === 'rejected') this.onError(this.sinks[i]!.name, r.reason);
    });
  }
}
