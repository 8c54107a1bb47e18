/**
 * What replay serves: per recorded switch (a "profile"), its FEATURES_REPLY and, per request
 * key (keys.ts), the answer it gave: the reply's messages, all parts, as captured, or the ERROR
 * it answered with. Profiles are immutable once built and shared by every simulated switch.
 */

/** One answer as seen in the capture, in capture order (`seq`). */
export type Observed =
  | { seq: number; kind: 'reply'; parts: Buffer[]; complete: boolean }
  | { seq: number; kind: 'error'; error: Buffer };

export type Answer =
  | {
      kind: 'reply';
      /** The last complete reply (or, when none was complete, the last partial one, its last part's MORE flag cleared). */
      parts: readonly Buffer[];
      complete: boolean;
      /** The first complete reply, when the capture holds two or more: counter rates come from the pair. */
      first?: readonly Buffer[];
    }
  | { kind: 'error'; error: Buffer };

export interface Profile {
  /** Datapath id from the FEATURES_REPLY; undefined when the capture has none. */
  dpid: bigint | undefined;
  features: Buffer | undefined;
  answers: ReadonlyMap<string, Answer>;
  sessions: number;
}

export interface Recording {
  profiles: Profile[];
  /** Notes about the capture (gaps, cut-off replies, sessions that were skipped). */
  notices: string[];
}

/**
 * The answer to serve from everything observed for one key: the latest wins, except that a
 * partial reply never displaces a complete one.
 */
export function reduceAnswers(seen: readonly Observed[]): Answer | undefined {
  const sorted = [...seen].sort((a, b) => a.seq - b.seq);
  let best: Observed | undefined;
  let firstComplete: Buffer[] | undefined;
  for (const o of sorted) {
    if (o.kind === 'reply' && o.complete && firstComplete === undefined) firstComplete = o.parts;
    if (best && best.kind === 'reply' && best.complete && o.kind === 'reply' && !o.complete) continue;
    best = o;
  }
  if (!best) return undefined;
  if (best.kind === 'error') return { kind: 'error', error: best.error };
  const first = best.complete && firstComplete !== undefined && firstComplete !== best.parts ? firstComplete : undefined;
  return { kind: 'reply', parts: best.parts, complete: best.complete, ...(first ? { first } : {}) };
}
