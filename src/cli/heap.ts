/**
 * V8 heap settings for the long-running poller.
 *
 * Allocation-site pretenuring is switched off. When 1,000 switches connect at once, the first
 * round of polls allocates fast enough that V8 sees the decoded reply objects (meter configs,
 * group descriptions, table stats...) survive young collections and starts allocating them
 * straight into the old generation. From then on every poll's short-lived entries are old
 * garbage: at 1,000 switches x 1,000 rules the heap grew ~6 MB/s until a major collection,
 * peaking at 1.3 GB RSS for a ~440 MB live set. Without pretenuring the same run grows
 * ~0.7 MB/s (measured with `node --no-allocation-site-pretenuring`; docs/profile.md). The
 * flag is read when V8 processes allocation feedback during collections, so setting it before
 * the first poll is enough.
 */
import { setFlagsFromString } from 'node:v8';

export function tuneHeapForPolling(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
