/**
 * Exponential backoff with "equal jitter": each delay is half the exponential step plus a
 * random part of the other half, so many dialers that lost the same switch at once do not
 * retry in lockstep, yet no retry comes sooner than half the step.
 */
export interface BackoffOptions {
  minMs: number;
  maxMs: number;
  /** Injectable for tests; returns [0, 1). */
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly random: () => number;

  constructor(private readonly opts: BackoffOptions) {
    if (!(opts.minMs > 0) || !(opts.maxMs >= opts.minMs)) {
      throw new RangeError(`backoff needs 0 < min <= max (got ${opts.minMs}, ${opts.maxMs})`);
    }
    this.random = opts.random ?? Math.random;
  }

  /** The delay before the next attempt; each call doubles the step up to the maximum. */
  next(): number {
    // Cap the exponent so the step never overflows to Infinity on a long outage.
    const step = Math.min(this.opts.maxMs, this.opts.minMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(step / 2 + this.random() * (step / 2));
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
