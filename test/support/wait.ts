/** Waiting for a condition with a deadline: tests wait for what they need, never a fixed time. */
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `check` until it holds; throws after `timeoutMs` saying what was awaited. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000, intervalMs = 25): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
