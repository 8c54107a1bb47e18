/**
 * A tag set as InfluxDB line protocol writes it (`,k=v,...`: sorted, escaped). It lives with
 * the metrics because a remembered series makes its text once (Point.tagText); the sinks use
 * it from here, so imports keep flowing from metrics to sinks.
 */

// Newlines end a line in any position, escaped or not, so they cannot be carried at all.
export const NEWLINES = /[\r\n]/g;

const TAG_SPECIAL = /[,= \r\n]/;

/** Tag keys and values: commas, equals signs and spaces are escaped. */
export function escapeTag(s: string): string {
  // Almost every tag (ids, numbers, booleans) has nothing to escape: one test instead of two replaces.
  if (!TAG_SPECIAL.test(s)) return s;
  return s.replace(NEWLINES, ' ').replace(/[,= ]/g, (c) => '\\' + c);
}

/** The `,k=v,...` part of a tag set, sorted and escaped (Point.tagText). */
export function formatTags(tags: Readonly<Record<string, string>>): string {
  const parts = [''];
  for (const k of Object.keys(tags).sort()) {
    const v = tags[k];
    if (v === undefined || v === '' || k === '') continue;
    parts.push(`${escapeTag(k)}=${escapeTag(v)}`);
  }
  // join gives one flat string; `+=` kept a tree of concatenations alive per tags object
  // (~0.5 KB per remembered rule).
  return parts.length === 1 ? '' : parts.join(',');
}
