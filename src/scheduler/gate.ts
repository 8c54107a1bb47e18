/**
 * The global caps, shared by every switch: requests per second and requests in flight.
 * p-queue does the queueing; the scheduler sees only this small interface, so a test can
 * put a plain pass-through in its place.
 */
import PQueue from 'p-queue';

export interface Gate {
  /** Run fn when the caps allow; resolves or rejects with fn's outcome. */
  add<T>(fn: () => Promise<T>): Promise<T>;
  /** Requests running now. */
  readonly inFlight: number;
  /** Requests waiting for the caps. */
  readonly waiting: number;
  /** Reject everything still waiting (shutdown); running requests are not touched. */
  clear(): void;
}

export interface GateLimits {
  /** At most this many requests start in any one-second window, across all switches. */
  requestsPerSecond: number;
  /** At most this many requests outstanding at once, across all switches. */
  requestsInFlight: number;
}

export function createGate(limits: GateLimits): Gate {
  const q = new PQueue({
    concurrency: limits.requestsInFlight,
    intervalCap: limits.requestsPerSecond,
    interval: 1000,
    // A sliding window: never more than the cap in any rolling second, even across the
    // boundary of two fixed windows.
    strict: true,
  });
  // One controller per waiting request: aborting a shared signal would also reject the
  // requests already running, whose replies are still worth having.
  const waiting = new Set<AbortController>();
  return {
    add<T>(fn: () => Promise<T>): Promise<T> {
      const ac = new AbortController();
      waiting.add(ac);
      return q.add(() => {
        waiting.delete(ac);
        return fn();
      }, { signal: ac.signal }).finally(() => waiting.delete(ac)) as Promise<T>;
    },
    get inFlight() { return q.pending; },
    get waiting() { return q.size; },
    clear() {
      for (const ac of waiting) ac.abort();
      waiting.clear();
    },
  };
}

/** No caps: every request runs at once (tests, and `--once` on a handful of switches). */
export function passThroughGate(): Gate {
  let running = 0;
  return {
    async add<T>(fn: () => Promise<T>): Promise<T> {
      running++;
      try {
        return await fn();
      } finally {
        running--;
      }
    },
    get inFlight() { return running; },
    get waiting() { return 0; },
    clear() {},
  };
}
